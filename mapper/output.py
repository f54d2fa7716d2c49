"""One output layer for every command: ``--format table|json|csv|md``.

A command's library function returns a result object that follows :class:`Tabular`: ``columns``
and ``rows()`` give the flat view (table, CSV, Markdown) and ``to_json()`` the stable JSON
shape documented in docs/json.md. :func:`render` turns either into text, and :func:`write`
writes it as it is produced (JSON a member at a time, CSV and Markdown a record at a time);
tables are laid out for the terminal's width by :mod:`mapper.layout`.

Text from a dataset is inert wherever it is shown: control and bidirectional characters appear
as escapes (``\\x1b``, ``\\u202e``) in tables and Markdown (and in CSV written to a terminal),
JSON escapes them as ``\\uXXXX`` (the same data), and CSV cells a spreadsheet would evaluate are
neutralised (see :mod:`mapper.cells`).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TextIO, runtime_checkable

import orjson

from mapper.bulk import gc_paused
from mapper.cells import CONTROL_RE, csv_lines, inert
from mapper.layout import table_lines

FORMATS = ("table", "json", "csv", "md")


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
    """``data`` as indented JSON text, inert: what :func:`json_chunks` writes, in one piece."""
    return "".join(json_chunks(data))


def _dumps(data: Any) -> str:
    """``data`` as JSON indented by two spaces, non-ASCII kept, as ``json.dumps(indent=2,
    ensure_ascii=False)`` writes it: by orjson, whose indenting encoder is C (json's falls back
    to Python with ``indent``: 4 s for 160,000 findings against 0.3 s), else by json for what
    orjson refuses (lone surrogates, keys that are not strings, integers past 64 bits). Floats
    differ in one way only: one under 1e-4 is spelled ``0.00001``, not ``1e-05``. NaN and the
    infinities, which JSON has not, are null either way."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(_finite(data), indent=2, ensure_ascii=False)


def _finite(data: Any) -> Any:
    """``data`` with NaN and infinite floats as None, as orjson writes them."""
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(value) for value in data]
    return data


def _inert_json(text: str) -> str:
    # json escapes C0 controls itself; C1 controls, DEL and bidi overrides get \uXXXX too, which
    # is the same JSON value but cannot act on a terminal. ASCII text without DEL has none of
    # them (two scans in C, much faster than the search on tens of megabytes of findings).
    if text.isascii() and "\x7f" not in text:
        return text
    return CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: How deep :func:`json_chunks` goes before a value is written in one piece: the top object and
#: its lists (findings, engagements, cells), whose items are what grows with the data.
STREAM_DEPTH = 2


def json_chunks(data: Any, level: int = 0, *, indent: int = 2, inert: bool = True) -> Iterator[str]:
    """:func:`to_json_text` of ``data`` in pieces, byte for byte: objects and lists down to
    :data:`STREAM_DEPTH` a member at a time, so the whole text is never held at once.

    Lists may be iterators, consumed as they are written. A file export passes another
    ``indent`` (orjson indents by two only: other widths are ``json.dumps``'s text, byte for
    byte) and ``inert=False`` (C1 controls and bidi overrides kept as they are, not escaped).
    """
    yield from _json_value(data, level, indent, _inert_json if inert else str)
    if level == 0:
        yield "\n"


def _streamable(data: Any) -> bool:
    """A list, an iterator (a lazy list), or an object whose keys are strings (json.dumps
    writes other keys its own way)."""
    if isinstance(data, dict):
        return all(isinstance(k, str) for k in data)
    return isinstance(data, (list, Iterator))


def _json_value(data: Any, level: int, indent: int, shown: Callable[[str], str]) -> Iterator[str]:
    if isinstance(data, Iterator) and level >= STREAM_DEPTH:
        data = list(data)
    if level >= STREAM_DEPTH or not _streamable(data) or (isinstance(data, (dict, list)) and not data):
        # json.dumps indents nested lines from column 0; a string never holds a raw newline.
        text = shown(_dumps(data) if indent == 2 else json.dumps(data, indent=indent, ensure_ascii=False))
        yield text.replace("\n", "\n" + " " * (indent * level)) if level else text
        return
    if indent == 2 and level == STREAM_DEPTH - 1 and not isinstance(data, dict):
        yield from _json_items(data, level, shown)
        return
    inner = " " * (indent * (level + 1))
    is_object = isinstance(data, dict)
    members = iter(data.items()) if is_object else ((None, v) for v in data)
    first = True
    for key, value in members:
        yield ("{\n" if is_object else "[\n") if first else ",\n"
        first = False
        yield inner if key is None else f"{inner}{shown(json.dumps(key, ensure_ascii=False))}: "
        yield from _json_value(value, level + 1, indent, shown)
    if first:  # an iterator that gave nothing
        yield "[]"
        return
    yield "\n" + " " * (indent * level) + ("}" if is_object else "]")


#: Items of a streamed list that :func:`_json_items` encodes in one call.
JSON_ITEMS_PER_CHUNK = 512


def _json_items(items: Iterable[Any], level: int, shown: Callable[[str], str]) -> Iterator[str]:
    """A list at ``level`` whose items are written whole (findings, engagements, cells), a chunk
    of :data:`JSON_ITEMS_PER_CHUNK` items per orjson call: the text that one call per item
    writes, without a Python round per item (160,905 findings at 150,000 entities)."""
    pad = "  " * level
    first = True
    for chunk in _batches(items):
        # "[\n  item,\n  item\n]" from column 0: drop the brackets, move the items to this level.
        body = shown(_dumps(chunk))[2:-2].replace("\n", "\n" + pad)
        yield ("[\n" if first else ",\n") + pad + body
        first = False
    yield "[]" if first else "\n" + pad + "]"


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    """``items`` in lists of :data:`JSON_ITEMS_PER_CHUNK` (``itertools.batched`` is Python 3.12)."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, JSON_ITEMS_PER_CHUNK)):
        yield chunk


def table_text(columns: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """A plain-text table: a header, a rule, the rows; laid out to fit ``width`` terminal cells
    by the rules of :mod:`mapper.layout` (``None``: every row on one line)."""
    return "".join(table_lines(columns, rows, width))


def terminal_width(out: TextIO | None = None) -> int | None:
    """The width tables are laid out for: ``COLUMNS`` when it is a positive number, else the
    width of the terminal that ``out``, stderr or stdin is (so ``igfmap gaps | less`` fits the
    screen), else ``None`` (no terminal at all: rows stay one line each)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (out or sys.stdout, sys.stderr, sys.stdin):
        try:
            size = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):  # not a terminal, or no file descriptor
            continue
        if size > 0:
            return size
    return None


@runtime_checkable
class LazyJson(Protocol):
    """A result whose JSON can hold iterators for its long lists (written as they are made)."""

    def to_json_stream(self) -> Any: ...


@runtime_checkable
class TextRows(Protocol):
    """A result that gives its flat rows as text directly: each row's cells in column order,
    lists joined by ``list_sep``, as :func:`cell` shows them (160,000 findings skip a dict and
    a lookup per cell on their way to CSV or Markdown)."""

    def text_rows(self, list_sep: str) -> Iterable[list[str]]: ...


@runtime_checkable
class OwnTable(Protocol):
    """A result that lays out its own table (a summary first, a list when a grid cannot fit)."""

    def table_lines(self, width: int | None) -> Iterator[str]: ...


def write(result: Tabular, fmt: str, out: TextIO, terminal: bool | None = None) -> None:
    """:func:`render` written to ``out`` a line at a time (160,000 findings make tens of
    megabytes of text), tables laid out for :func:`terminal_width`."""
    width = terminal_width(out) if fmt == "table" else None
    lines = render_lines(result, fmt, terminal if terminal is not None else out.isatty(), width)
    with gc_paused():  # a row of strings or a JSON text per finding: no cycles (see mapper.bulk)
        out.writelines(lines)


def _text_rows(result: Tabular, list_sep: str) -> Iterable[list[str]]:
    """Each flat row's cells as text (:func:`cell`, lists joined by ``list_sep``), in column order."""
    if isinstance(result, TextRows):
        return result.text_rows(list_sep)
    columns = result.columns
    # Cells that are text already (most) skip cell()'s call.
    return (
        [v if type(v := row.get(c)) is str else cell(v, list_sep) for c in columns] for row in result.rows()
    )


def _table_texts(columns: list[str], rows: list[dict[str, Any]]) -> list[list[str]]:
    """Table cells as single-line, inert text."""
    return [[inert(cell(row.get(c))) for c in columns] for row in rows]


def result_table_lines(result: Tabular, width: int | None) -> Iterator[str]:
    """The table of ``result``: its own layout when it has one, else the generic one."""
    if isinstance(result, OwnTable):
        yield from result.table_lines(width)
        return
    rows = result.rows()
    if not rows:
        yield "(none)\n"
        return
    yield from table_lines(result.columns, _table_texts(result.columns, rows), width)


def render(
    result: Tabular, fmt: str = "table", terminal: bool | None = None, width: int | None = None
) -> str:
    """The result as text in ``fmt`` (one of :data:`FORMATS`).

    ``terminal`` (default: whether stdout is one) makes CSV text inert as well; tables and
    Markdown always are, being meant for people. ``width`` lays a table out for that many
    terminal cells (``None``: every row on one line).
    """
    if terminal is None:
        terminal = sys.stdout.isatty()
    return "".join(render_lines(result, fmt, terminal, width))


def render_lines(result: Tabular, fmt: str, terminal: bool, width: int | None = None) -> Iterator[str]:
    """:func:`render` in pieces, for writing as they are made."""
    if fmt == "json":
        yield from json_chunks(result.to_json_stream() if isinstance(result, LazyJson) else result.to_json())
        return
    if fmt == "table":
        yield from result_table_lines(result, width)
        return
    columns = result.columns
    if fmt == "csv":
        texts = _text_rows(result, "|")
        if terminal:
            texts = ([inert(text) for text in record] for record in texts)
        yield from csv_lines(columns, texts)
        return
    if fmt == "md":
        yield "| " + " | ".join(columns) + " |\n"
        yield "|" + "---|" * len(columns) + "\n"
        for cells in _text_rows(result, ", "):
            # A row's cells escaped in one go, joined by NUL, which inert text never holds raw.
            shown = "\0".join(cells)
            if not "".join(cells).isprintable():  # rare: a control, bidi or line-breaking character
                shown = "\0".join([inert(text, keep_newlines=True) for text in cells]).replace("\n", " ")
            shown = shown.replace("\\", "\\\\").replace("|", "\\|")
            yield "| " + shown.replace("\0", " | ") + " |\n"
        return
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
