"""JSON, CSV and Markdown are written as they are produced (issue 25): the same bytes as the
whole-text renderings they replace, on arbitrary data and on every query of the seed."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.cells import CONTROL_RE, CSV_RECORDS_PER_CHUNK, csv_lines, csv_text
from mapper.output import cell, json_chunks, render_lines, to_json_text, write
from mapper.store import EmbeddedStore, seed_dataset
from queries.brokers import brokers
from queries.diff import diff
from queries.engagement import what, who
from queries.gaps import list_rules, run_gaps
from queries.lookup import search, show, stats
from queries.matrix import matrix
from queries.paths import path
from queries.timeline import timeline

TEXT = st.text(alphabet=st.sampled_from(["a", "é", " ", "\n", "\x1b", "\u202e", '"', "\\", "中", ",", "="]))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=30,
)


JSON_VALUES_WITHOUT_FLOATS = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES_WITHOUT_FLOATS)
def test_streamed_json_is_json_dumps_text_byte_for_byte(data: Any) -> None:
    whole = json.dumps(data, indent=2, ensure_ascii=False)
    assert "".join(json_chunks(data)) == CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", whole) + "\n"


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_streamed_json_reads_back_as_the_data(data: Any) -> None:
    """Floats included: orjson spells a small one ``1e-05`` as ``0.00001``, the same value, and
    writes an infinity (which JSON has not) as null, in whichever piece it falls."""

    def finite(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: finite(v) for k, v in value.items()}
        return [finite(v) for v in value] if isinstance(value, list) else value

    assert json.loads("".join(json_chunks(data))) == finite(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(TEXT, min_size=3, max_size=3), max_size=6))
def test_streamed_csv_is_the_whole_text_byte_for_byte(rows: list[list[str]]) -> None:
    assert "".join(csv_lines(["a", "b", "c"], rows)) == csv_text(["a", "b", "c"], rows)


STORE = EmbeddedStore(seed_dataset())
QUERIES: dict[str, Callable[[Any], Any]] = {
    "stats": stats,
    "search": lambda s: search(s, "forum"),
    "show": lambda s: show(s, "dccg"),
    "who": lambda s: who(s, "gdc-implementation", deep=True),
    "what": lambda s: what(s, "igf"),
    "matrix": matrix,
    "path": lambda s: path(s, "dccg", "odet"),
    "brokers": lambda s: brokers(s, 10),
    "timeline": lambda s: timeline(s, None, None),
    "gaps": lambda s: run_gaps(s, as_of="2025-06-30"),
    "gaps --limit 3": lambda s: run_gaps(s, as_of="2025-06-30", limit=3),
    "gaps --list-rules": lambda _: list_rules(),
    "diff": lambda s: diff(s, s),
}


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_streams_the_bytes_it_rendered_whole(name: str) -> None:
    result = QUERIES[name](STORE)
    written = {}
    for fmt in ("json", "csv", "md", "table"):
        out = io.StringIO()
        write(result, fmt, out, terminal=False)
        written[fmt] = out.getvalue()
    # The whole-text renderings the streamed ones replace.
    assert written["json"] == to_json_text(result.to_json())
    rows = [[cell(row.get(c), "|") for c in result.columns] for row in result.rows()]
    assert written["csv"] == csv_text(result.columns, rows)
    assert written["md"].count("\n") == len(result.rows()) + 2
    assert json.loads(written["json"]) == json.loads(json.dumps(result.to_json()))

    # Written as produced, not as one string: the header, then a piece per chunk of records
    # (CSV) or per record (Markdown), per member (JSON).
    def pieces(fmt: str) -> int:
        return sum(1 for _ in render_lines(result, fmt, terminal=False))

    assert pieces("csv") == 1 + math.ceil(len(rows) / CSV_RECORDS_PER_CHUNK)
    assert pieces("md") == len(rows) + 2
    assert pieces("json") > 1


def test_a_long_list_is_written_in_chunks_as_json_dumps_writes_it_whole() -> None:
    from mapper.output import JSON_ITEMS_PER_CHUNK

    items = [{"rule": "r", "subjects": [f"e{i}", "\x1b"], "n": i, "none": None} for i in range(1300)]
    data = {"total": len(items), "findings": iter(items), "empty": iter([])}
    whole = json.dumps({**data, "findings": items, "empty": []}, indent=2, ensure_ascii=False)
    pieces = list(json_chunks(data))
    assert "".join(pieces) == whole + "\n"
    assert len(pieces) < len(items) / JSON_ITEMS_PER_CHUNK + 20  # a piece per chunk, not per item
