"""The fast paths of the flat output formats write the text the plain definitions write.

CSV written a chunk of records at a time is the text one writer call per record makes (every
cell neutralised for spreadsheets, a record holding a carriage return fully quoted); Markdown
rows escaped a row at a time are those escaped a cell at a time."""

from __future__ import annotations

import csv
import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mapper import cells
from mapper.cells import csv_lines, inert, spreadsheet_text
from mapper.output import TableResult, cell, render


class Tagged(str):
    """A str subclass: neutralised like any text."""


def _one_call_per_record(header: list[Any], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in [header, *rows]:
        cells_ = ["" if v is None else spreadsheet_text(v) for v in row]
        (quoted if any("\r" in c for c in cells_ if isinstance(c, str)) else writer).writerow(cells_)
    return buffer.getvalue()


CELL = st.one_of(
    st.none(),
    st.integers(),
    st.text(alphabet="ab=+-@'\t\r\n\",|", max_size=6),
    st.text(alphabet="ab=+-@'", max_size=4).map(Tagged),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=12), st.integers(1, 4))
def test_chunked_csv_is_one_call_per_record(rows: list[list[Any]], per_chunk: int) -> None:
    header = ["a", "=b", "c"]
    original = cells.CSV_RECORDS_PER_CHUNK
    cells.CSV_RECORDS_PER_CHUNK = per_chunk  # chunks of 1 to 4 records: carriage returns in some
    try:
        written = "".join(csv_lines(header, iter(rows)))
    finally:
        cells.CSV_RECORDS_PER_CHUNK = original
    assert written == _one_call_per_record(header, rows)


def _md_cell_by_cell(columns: list[str], rows: list[dict[str, Any]]) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |\n", "|" + "---|" * len(columns) + "\n"]
    for row in rows:
        lines.append(
            "| " + " | ".join(esc(inert(cell(row.get(c)), keep_newlines=True)) for c in columns) + " |\n"
        )
    return "".join(lines)


MD_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(alphabet="ab|\\\n\x00\x1b\u202e\u2028 ", max_size=6),
    st.lists(st.text(alphabet="a|\\\x00", max_size=3), max_size=2),
    st.text(alphabet="a|", max_size=3).map(Tagged),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries({"a": MD_CELL, "b": MD_CELL}), max_size=8))
def test_markdown_rows_escaped_at_once_are_escaped_cell_by_cell(rows: list[dict[str, Any]]) -> None:
    columns = ["a", "b"]
    assert render(TableResult(columns, rows), "md", terminal=False) == _md_cell_by_cell(columns, rows)


TEXT = st.text(alphabet="ab=+-@'|\\,\"\r\n\x00\x1b\u202e ", max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(TEXT, min_size=1, max_size=2), TEXT, st.lists(TEXT, max_size=3), st.integers(0, 2)
        ),
        max_size=8,
    ),
    st.booleans(),
)
def test_gap_report_text_rows_write_what_its_rows_write(
    found: list[tuple[list[str], str, list[str], int]], terminal: bool
) -> None:
    """CSV and Markdown from a gap report's text rows are those from its row dicts."""
    from queries.gaps import GapParams, GapReport
    from queries.gaps.base import Finding

    findings = [
        Finding(("isolated-actor", "stale-claim", "=x")[rule], tuple(subjects), why, tuple(evidence))
        for subjects, why, evidence, rule in found
    ]
    report = GapReport(["isolated-actor", "stale-claim", "=x"], GapParams(), findings, limit=2)
    plain = TableResult(report.columns, report.rows())
    for fmt in ("csv", "md"):
        assert render(report, fmt, terminal=terminal) == render(plain, fmt, terminal=terminal)


def test_csv_records_given_as_iterators_are_written_whole() -> None:
    rows = [iter(["a", "=b"]), ("c", "d"), ["e", None]]
    assert "".join(csv_lines(["x", "y"], iter(rows))) == "x,y\na,'=b\nc,d\ne,\n"
