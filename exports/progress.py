"""A progress bar for long exports, shown only on a terminal and only for big graphs.

The CLI turns it off with ``--quiet`` (:func:`set_enabled`). Library callers get no bar unless
standard error is a terminal; tests and pipes never see one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: Exports of at least this many items (nodes + edges) show a bar.
THRESHOLD = 2000

_enabled = True


def set_enabled(enabled: bool) -> None:
    """Allow (True, the default) or forbid progress bars in this process."""
    global _enabled
    _enabled = enabled


def wanted(total: int) -> bool:
    return _enabled and total >= THRESHOLD and sys.stderr.isatty()


def track(items: Iterable[T], total: int, description: str, size: int | None = None) -> Iterator[T]:
    """Yield ``items`` (``total`` of them), drawing a rich progress bar on stderr when
    :func:`wanted` for ``size`` (the export's nodes + edges; default ``total``)."""
    if not wanted(total if size is None else size):
        yield from items
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
        for i, item in enumerate(items, 1):
            yield item
            if i % 10 == 0 or i == total:
                progress.update(task, completed=i)
