"""The store's JSON text, written fast, is byte for byte what json.dumps(indent=1) writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.jsontext import document_bytes

json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8)
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
record = st.dictionaries(
    st.text(max_size=6),
    st.one_of(st.text(max_size=10), st.lists(st.text(max_size=6), max_size=3), json_value),
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["schema_version", "schema", "sources", "entities", "relations"]),
        st.one_of(st.lists(record, max_size=4), json_value),
    )
)
def test_document_text_is_json_dumps_indent_1(doc: dict) -> None:
    assert document_bytes(doc).decode("utf-8") == json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def test_infinite_and_nan_floats_in_records_are_written_as_json_writes_them() -> None:
    # orjson writes these as null; json as Infinity and NaN (found by the test above).
    for value in (float("inf"), float("-inf"), float("nan"), [1.5, float("inf")]):
        doc = {"sources": [{"id": "s", "x": value}]}
        assert document_bytes(doc).decode("utf-8") == json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
