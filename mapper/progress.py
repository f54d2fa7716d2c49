"""Progress bars for long work (load, push, exports of big graphs), shown only on a terminal
and only for big inputs.

The CLI turns them off with ``--quiet`` (:func:`set_enabled`). Library callers get no bar
unless standard error is a terminal; tests and pipes never see one.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: Work on at least this many items (records, nodes + edges) shows a bar.
THRESHOLD = 2000

_enabled = True


def set_enabled(enabled: bool) -> None:
    """Allow (True, the default) or forbid progress bars in this process."""
    global _enabled
    _enabled = enabled


def wanted(total: int) -> bool:
    return _enabled and total >= THRESHOLD and sys.stderr.isatty()


@contextlib.contextmanager
def bar(total: int, description: str, size: int | None = None) -> Iterator[Callable[[int], None]]:
    """A ``step(n)`` callback advancing a rich bar on stderr, when :func:`wanted` for ``size``
    (default ``total``); otherwise a callback that does nothing."""
    if not wanted(total if size is None else size):
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)


def track(items: Iterable[T], total: int, description: str, size: int | None = None) -> Iterator[T]:
    """Yield ``items`` (``total`` of them), drawing a bar while they are consumed (see :func:`bar`)."""
    with bar(total, description, size) as step:
        for i, item in enumerate(items, 1):
            yield item
            if i % 10 == 0 or i == total:
                step(10 if i % 10 == 0 else i % 10)
