"""Bulk work on many small objects: the cyclic garbage collector paused meanwhile.

Reading a large store makes millions of dicts, lists and strings, none of which form cycles.
CPython's collector runs every time allocations outnumber deallocations by a threshold, and
each full collection walks every object still alive, so parsing and graph building spent
most of their time collecting nothing: ``json.loads`` of a 108 MB store took 19 s with the
collector on and 6 s with it off on the benchmark machine. Reference counting still frees
everything as usual; cycles made meanwhile are collected when the collector resumes. A report's
figures are the other bulk: thousands of matplotlib objects in cycles, garbage once drawn, so
in a paused report they wait instead of being walked while drawing (1 MB more at peak on the seed).

When it resumes, its first collections still walk every object made during the pause once
or twice more (seconds at 150,000 entities). A short-lived process that keeps what it read
until it exits (the CLI) can skip that: with :func:`freeze_after_bulk` the objects alive when
the outermost pause ends are moved to the collector's permanent generation (:func:`gc.freeze`)
and never walked again. A library caller keeps the default: frozen objects that later form
unreachable cycles would never be collected.

Such a process can skip freeing as well: with :func:`keep_until_exit` on, what it hands to
:func:`keep` (the stores it opened, the results it printed) stays referenced until it ends
without the interpreter's shutdown (``mapper.cli.common.exit_flushed``), and the system takes
the memory back at once instead of Python freeing millions of objects one by one.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_freeze = False
_kept: list[object] | None = None  # None: nothing kept (the library's default)


def freeze_after_bulk(enabled: bool = True) -> None:
    """Freeze what is alive at the end of each outermost :func:`gc_paused` (for the CLI)."""
    global _freeze
    _freeze = enabled


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; nested uses keep it off until the outermost ends.

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _freeze:
                gc.freeze()
            gc.enable()


def keep_until_exit(enabled: bool = True) -> None:
    """Keep everything handed to :func:`keep` until the process ends (for the CLI)."""
    global _kept
    _kept = [] if enabled else None


def keep(value: object) -> None:
    """Keep ``value`` referenced until the process ends, when :func:`keep_until_exit` is on."""
    if _kept is not None:
        _kept.append(value)


__all__ = ["freeze_after_bulk", "gc_paused", "keep", "keep_until_exit"]
