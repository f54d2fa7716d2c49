"""``as_canonical`` hands back the record itself only when ``canonical`` would make an equal
one: its fast path (key order judged once per key sequence, values tested in C) must agree with
the field-by-field definition on every kind of record."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.dataset import as_canonical, canonical
from mapper.schema import FIELDS

VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.just([]),
    st.just(()),
    st.text(max_size=5),
    st.lists(st.text(max_size=3), max_size=3),
    st.tuples(st.text(max_size=3)),
    st.integers(),
    st.booleans(),
    st.just(0),
    st.just(False),
)


@st.composite
def records(draw: Any) -> tuple[str, dict[str, Any]]:
    section = draw(st.sampled_from(sorted(FIELDS)))
    names = draw(st.lists(st.sampled_from([*FIELDS[section], "unknown", "Name"]), unique=True, max_size=8))
    if draw(st.booleans()):  # about half in the schema's order, the usual case
        order = {name: i for i, name in enumerate(FIELDS[section])}
        names.sort(key=lambda n: order.get(n, -1))
    return section, {name: draw(VALUES) for name in names}


@settings(max_examples=400, deadline=None)
@given(records())
def test_as_canonical_agrees_with_canonical(case: tuple[str, dict[str, Any]]) -> None:
    section, record = case
    made = as_canonical(section, record)
    expected = canonical(section, record)
    assert made == expected
    assert list(made) == list(expected)  # the same field order
    assert [type(v) for v in made.values()] == [type(v) for v in expected.values()]
    if made is record:  # handed back unchanged only when nothing needed changing
        assert record == expected and list(record) == list(expected)


def test_a_canonical_record_is_handed_back_itself() -> None:
    record = canonical("entities", {"name": "IGF", "id": "igf", "type": "forum", "aliases": ("x",)})
    assert as_canonical("entities", record) is record
    assert as_canonical("entities", {**record, "notes": ""}) is not record
