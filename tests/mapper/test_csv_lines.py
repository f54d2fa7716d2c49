"""CSV written a chunk of records at a time is the text one writer call per record makes: every
cell neutralised for spreadsheets, and a record holding a carriage return fully quoted."""

from __future__ import annotations

import csv
import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mapper import cells
from mapper.cells import csv_lines, spreadsheet_text


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
