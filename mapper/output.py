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
from collections.abc import Iterator
from typing import Any, Protocol, TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mapper.bulk import gc_paused
from mapper.cells import CONTROL_RE, csv_text, inert

FORMATS = ("table", "json", "csv", "md")
#: A rule of ASCII dashes under the header, one per column: readable in any terminal and file.
HEADER_RULE = box.Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True)


class Tabular(Protocol):
    @property
    def columns(self) -> list[str]: ...

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
        try:
            return list_sep.join(value)  # the usual list: strings (ids, sources)
        except TypeError:
            return list_sep.join(cell(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def to_json_text(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    # json escapes C0 controls itself; C1 controls, DEL and bidi overrides get \uXXXX too, which
    # is the same JSON value but cannot act on a terminal.
    return CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def table_text(columns: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """A plain-text table drawn by rich: a header, a rule, one line per row.

    ``width`` (a terminal's) wraps the longest columns to fit; ``None`` keeps every row on one
    line, so piped output stays one record per line. Cells are :class:`rich.text.Text`, never
    markup, so data cannot style or hide text.
    """
    if _printable(columns, rows) and (width is None or _natural_width(columns, rows) <= width):
        # Nothing to wrap: laid out directly (rich's layout engine took 0.17 s for the seed's
        # 200 gap findings and minutes for a large store's 160,000).
        return plain_table_text(columns, rows)
    return rich_table_text(columns, rows, width)


def _printable(columns: list[str], rows: list[list[str]]) -> bool:
    """No control or other unprintable character (inert text has none): rich measures those
    its own way, so such a table is left to rich."""
    return all(t.isprintable() for t in columns) and all(t.isprintable() for row in rows for t in row)


def _natural_width(columns: list[str], rows: list[list[str]]) -> int:
    """Cells a table needs to keep every row on one line (padding and separators included)."""
    widths = [max(_cells(c), *(_cells(r[i]) for r in rows)) for i, c in enumerate(columns)]
    return sum(widths) + 2 * (len(widths) - 1)


def rich_table_text(columns: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """:func:`table_text` always drawn by rich (the reference the direct layout must match)."""
    natural = _natural_width(columns, rows) + len(columns)  # rich wants a little room beyond the cells
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


def _cells(text: str) -> int:
    """Terminal cells ``text`` takes (wide characters count two), as rich measures them."""
    return len(text) if text.isascii() else cell_len(text)


def plain_table_text(columns: list[str], rows: list[list[str]]) -> str:
    """The table :func:`table_text` draws without a width, laid out directly.

    Line for line what rich prints for it (a test compares the two), but rich renders a
    table cell by cell through its layout engine, which took minutes for the 160,000 findings
    of a large store; unwrapped, the layout is only each column padded to its widest cell.
    """
    return "".join(plain_table_lines(columns, rows))


def plain_table_lines(columns: list[str], rows: list[list[str]]) -> Iterator[str]:
    """:func:`plain_table_text` a line at a time (each ending in a newline), for streaming."""
    widths = [max(1, _cells(name)) for name in columns]  # rich draws no column narrower than 1
    for row in rows:
        for i, text in enumerate(row):
            size = _cells(text)
            if size > widths[i]:
                widths[i] = size

    # Every column but the last has one space of padding (rich's pad_edge=False drops the
    # outer one); columns are separated by one more.
    widths = [w + 1 for w in widths[:-1]] + widths[-1:]

    def line(texts: list[str]) -> str:
        padded = [
            t.ljust(w) if t.isascii() else t + " " * (w - cell_len(t))
            for t, w in zip(texts, widths, strict=True)
        ]
        return " ".join(padded).rstrip() + "\n"

    yield line(columns)
    yield " ".join("-" * w for w in widths) + "\n"
    for row in rows:
        yield line(row)


def write(result: Tabular, fmt: str, out: TextIO, terminal: bool | None = None) -> None:
    """:func:`render` written to ``out``; a long piped table goes out a line at a time rather
    than as one string (160,000 findings make tens of megabytes of text)."""
    if fmt == "table" and not (out.isatty() if terminal is None else terminal):
        with gc_paused():  # a row of strings per finding: no cycles (see mapper.bulk)
            texts = _table_texts(result.columns, result.rows())
            if texts and _printable(result.columns, texts):
                out.writelines(plain_table_lines(result.columns, texts))
                return
    out.write(render(result, fmt, terminal))


def _table_texts(columns: list[str], rows: list[dict[str, Any]]) -> list[list[str]]:
    """Table cells as single-line, inert text."""
    return [[inert(cell(row.get(c))) for c in columns] for row in rows]


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
        width = shutil.get_terminal_size().columns if terminal else None
        return table_text(columns, _table_texts(columns, rows), width=width)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
