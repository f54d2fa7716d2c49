"""Bulk work on many small objects: the cyclic garbage collector paused meanwhile.

Reading a large store makes millions of dicts, lists and strings, none of which form cycles.
CPython's collector runs every time allocations outnumber deallocations by a threshold, and
each full collection walks every object still alive, so parsing and graph building spent
most of their time collecting nothing: ``json.loads`` of a 108 MB store took 19 s with the
collector on and 6 s with it off on the benchmark machine. Reference counting still frees
everything as usual; cycles made meanwhile are collected when the collector resumes. A report
is the other bulk: its figures' items, template nodes and rows live until it is written, so a
paused report does not walk them again and again while it is made.

When it resumes, its first collections still walk every object made during the pause once
or twice more (seconds at 150,000 entities). A short-lived process that keeps what it read
until it exits (the CLI) can skip that: with :func:`freeze_after_bulk` the objects alive when
the outermost pause ends are moved to the collector's permanent generation (:func:`gc.freeze`)
and never walked again. A library caller keeps the default: frozen objects that later form
unreachable cycles would never be collected.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_freeze = False


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


__all__ = ["freeze_after_bulk", "gc_paused"]
