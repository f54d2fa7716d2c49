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

import io
import json
import shutil
import sys
from typing import Any, Protocol

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mapper.cells import CONTROL_RE, csv_text, inert

FORMATS = ("table", "json", "csv", "md")
#: A rule of ASCII dashes under the header, one per column: readable in any terminal and file.
HEADER_RULE = box.Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True)


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


def _one_cell_per_char(text: str) -> bool:
    """Whether every character of ``text`` takes exactly one terminal cell (as rich counts)."""
    if text.isascii():
        return text.isprintable()
    return all(char.isprintable() and cell_len(char) == 1 for char in text)


def table_text(columns: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """A plain-text table drawn by rich: a header, a rule, one line per row.

    ``width`` (a terminal's) wraps the longest columns to fit; ``None`` keeps every row on one
    line, so piped output stays one record per line. Cells are :class:`rich.text.Text`, never
    markup, so data cannot style or hide text.
    """
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    # What rich draws when nothing needs wrapping: each column as wide as its widest cell, one
    # space of padding after every column but the last, one more space between columns. Drawn
    # directly because rich took 0.17 s for the seed's 200 gap findings (a third of `igfmap
    # gaps`); rich still draws tables that must wrap or hold characters whose terminal width is
    # not their length (wide, combining, control).
    padded = [w + 1 for w in widths[:-1]] + widths[-1:]
    if (width is None or sum(padded) + len(padded) - 1 <= width) and all(
        _one_cell_per_char(text) for text in (*columns, *(v for row in rows for v in row))
    ):
        lines = [columns, ["-" * w for w in padded], *rows]
        return "".join(
            " ".join(v.ljust(w) for v, w in zip(line, padded, strict=True)).rstrip() + "\n" for line in lines
        )
    return rich_table_text(columns, rows, width)


def rich_table_text(columns: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """:func:`table_text` always drawn by rich (the reference its direct drawing must match)."""
    natural = sum(max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)) + 3 * len(columns)
    table = Table(
        box=HEADER_RULE, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0), header_style="", expand=False
    )
    for name in columns:
        table.add_column(Text(name), overflow="fold")
    for row in rows:
        table.add_row(*(Text(v) for v in row))
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or natural,
        color_system=None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


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
        if terminal is None:
            terminal = sys.stdout.isatty()
        texts = [[inert(cell(row.get(c)).replace("\n", " ")) for c in columns] for row in rows]
        return table_text(columns, texts, width=shutil.get_terminal_size().columns if terminal else None)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
