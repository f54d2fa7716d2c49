"""One output layer for every command: ``--format table|json|csv|md``.

A command's library function returns a result object that follows :class:`Tabular`: ``columns``
and ``rows()`` give the flat view (table, CSV, Markdown) and ``to_json()`` the stable JSON
shape documented in docs/json.md. :func:`render` turns either into text.

Text from a dataset is inert wherever it is shown: control and bidirectional characters appear
as escapes (``\\x1b``, ``\\u202e``) in tables and Markdown (and in CSV written to a terminal),
JSON escapes them as ``\\uXXXX`` (the same data), and CSV cells a spreadsheet would evaluate are
neutralised (see :mod:`mapper.cells`).
"""

from __future__ import annotations

import json
import sys
from typing import Any, Protocol

from mapper.cells import CONTROL_RE, csv_text, inert

FORMATS = ("table", "json", "csv", "md")


class Tabular(Protocol):
    columns: list[str]

    def rows(self) -> list[dict[str, Any]]: ...

    def to_json(self) -> Any: ...


class TableResult:
    """A ready-made :class:`Tabular` for results that are one list of rows."""

    def __init__(self, columns: list[str], rows: list[dict[str, Any]], data: Any = None):
        self.columns = columns
        self._rows = rows
        self._data = rows if data is None else data

    def rows(self) -> list[dict[str, Any]]:
        return self._rows

    def to_json(self) -> Any:
        return self._data


def cell(value: Any, list_sep: str = ", ") -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return list_sep.join(cell(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def to_json_text(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    # json escapes C0 controls itself; C1 controls, DEL and bidi overrides get \uXXXX too, which
    # is the same JSON value but cannot act on a terminal.
    return CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def render(result: Tabular, fmt: str = "table", terminal: bool | None = None) -> str:
    """The result as text in ``fmt`` (one of :data:`FORMATS`).

    ``terminal`` (default: whether stdout is one) makes CSV text inert as well; tables and
    Markdown always are, being meant for people.
    """
    if fmt == "json":
        return to_json_text(result.to_json())
    columns = result.columns
    rows = result.rows()
    if fmt == "csv":
        if terminal is None:
            terminal = sys.stdout.isatty()
        shown = inert if terminal else str
        return csv_text(columns, ([shown(cell(row.get(c), "|")) for c in columns] for row in rows))
    if fmt == "md":

        def esc(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += [
            "| " + " | ".join(esc(inert(cell(row.get(c)), keep_newlines=True)) for c in columns) + " |"
            for row in rows
        ]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        if not rows:
            return "(none)\n"
        texts = [[inert(cell(row.get(c)).replace("\n", " ")) for c in columns] for row in rows]
        widths = [max(len(c), *(len(t[i]) for t in texts)) for i, c in enumerate(columns)]

        def line(values: list[str]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=False)).rstrip()

        out = [line(columns), line(["-" * w for w in widths])] + [line(t) for t in texts]
        return "\n".join(out) + "\n"
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
