"""One output layer for every command: ``--format table|json|csv|md``.

A command's library function returns a result object that follows :class:`Tabular`: ``columns``
and ``rows()`` give the flat view (table, CSV, Markdown) and ``to_json()`` the stable JSON
shape documented in docs/json.md. :func:`render` turns either into text.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Protocol

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
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render(result: Tabular, fmt: str = "table") -> str:
    """The result as text in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return to_json_text(result.to_json())
    columns = result.columns
    rows = result.rows()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(c), "|") for c in columns])
        return buffer.getvalue()
    if fmt == "md":

        def esc(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(esc(cell(row.get(c))) for c in columns) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        if not rows:
            return "(none)\n"
        texts = [[cell(row.get(c)).replace("\n", " ") for c in columns] for row in rows]
        widths = [max(len(c), *(len(t[i]) for t in texts)) for i, c in enumerate(columns)]

        def line(values: list[str]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=False)).rstrip()

        out = [line(columns), line(["-" * w for w in widths])] + [line(t) for t in texts]
        return "\n".join(out) + "\n"
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
