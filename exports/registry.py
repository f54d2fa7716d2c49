"""The export formats: each registered once, by the module that writes it.

A format module decorates its writer with :func:`export_format`; :func:`formats` imports every
module of the ``exports`` package once and returns what they registered, so a new format is one
module (the way datasette finds its hooks). Writers take the already-narrowed graph, the output
path and the :class:`ExportOptions`, and return the files they wrote.

>>> sorted(formats())[:3]
['csv', 'cypher', 'gexf']
>>> formats()["csv"].target
'directory'
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mapper.errors import UsageError, did_you_mean

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class ExportOptions:
    """What a writer may use besides the graph: layout seed, and for figures title, caption, findings."""

    seed: int = 42
    title: str = ""
    caption: str = ""
    findings: Sequence[Any] = ()
    view: str = "network"
    #: Engagement view: the activities to mark as uncovered (the ``uncovered-activity`` findings).
    uncovered: Sequence[str] | None = None
    #: Matrix view: the table to write (:class:`exports.matrix_view.MatrixTable`).
    table: Any = None


Writer = Callable[["nx.MultiDiGraph", Path, ExportOptions], list[Path]]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, what it is, whether ``--out`` is a file or a directory."""

    name: str
    summary: str
    write: Writer = field(repr=False)
    target: Literal["file", "directory"] = "file"
    #: Figures are drawn: they take a title, a caption and gap findings to outline.
    figure: bool = False


_REGISTERED: dict[str, ExportFormat] = {}


def export_format(
    name: str, summary: str, *, target: Literal["file", "directory"] = "file", figure: bool = False
) -> Callable[[Writer], Writer]:
    """Register the decorated writer as the export format ``name``."""

    def register(write: Writer) -> Writer:
        if name in _REGISTERED and _REGISTERED[name].write is not write:
            raise ValueError(f"export format {name!r} is registered twice")
        _REGISTERED[name] = ExportFormat(name, summary, write, target, figure)
        return write

    return register


@cache
def formats() -> dict[str, ExportFormat]:
    """Every registered export format by name (imports the ``exports`` modules once)."""
    package = importlib.import_module("exports")
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"exports.{info.name}")
    return dict(sorted(_REGISTERED.items()))


#: A registration as it reads in a format module: ``@export_format("name", ...)``.
_DECLARED = re.compile(r'^@export_format\(\s*"([^"]+)"', re.MULTILINE)


@cache
def format_names() -> tuple[str, ...]:
    """The names :func:`formats` registers, sorted, read from the format modules' decorators
    without importing them: ``igfmap export --help`` lists them and must not load matplotlib
    (a test checks the two agree).

    >>> format_names() == tuple(formats())
    True
    """
    package = Path(__file__).parent
    return tuple(
        sorted({n for p in package.glob("*.py") for n in _DECLARED.findall(p.read_text(encoding="utf-8"))})
    )


#: Writers of a view other than the network, by (view, format name): e.g. the matrix as CSV.
_VIEW_WRITERS: dict[tuple[str, str], Writer] = {}


def view_writer(view: str, *names: str) -> Callable[[Writer], Writer]:
    """Register the decorated writer for the formats ``names`` when ``--view view`` is asked for."""

    def register(write: Writer) -> Writer:
        for name in names:
            if _VIEW_WRITERS.get((view, name), write) is not write:
                raise ValueError(f"export format {name!r} of view {view!r} is registered twice")
            _VIEW_WRITERS[(view, name)] = write
        return write

    return register


def view_formats(view: str) -> list[str]:
    """The formats a view other than the network has writers of its own for."""
    formats()
    return sorted(name for v, name in _VIEW_WRITERS if v == view)


def writer_for(fmt: ExportFormat, view: str) -> Writer:
    """The writer of ``fmt`` for ``view``: the view's own one, else the format's (network, and
    figures, which draw every view), else a :class:`UsageError` naming what the view exports."""
    formats()
    if (view, fmt.name) in _VIEW_WRITERS:
        return _VIEW_WRITERS[(view, fmt.name)]
    if view == "network" or fmt.figure:
        return fmt.write
    known = view_formats(view) or ["png", "svg", "pdf"]
    raise UsageError(f"--view {view} is for {', '.join(known[:-1])} and {known[-1]}, not {fmt.name}")


def get_format(name: str) -> ExportFormat:
    """The format ``name``, or a :class:`UsageError` naming the formats there are."""
    known = formats()
    if name not in known:
        raise UsageError(
            f"--format must be one of {', '.join(known)}, not {name!r}{did_you_mean(name, known)}"
        )
    return known[name]


__all__ = [
    "ExportFormat",
    "ExportOptions",
    "export_format",
    "format_names",
    "formats",
    "get_format",
    "view_formats",
    "view_writer",
    "writer_for",
]
