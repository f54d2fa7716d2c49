"""The engagement matrix on hand-built graphs."""

from __future__ import annotations

import pytest

from mapper.errors import UsageError
from queries.matrix import matrix
from tests.queries.helpers import world


def test_actor_by_activity_roles():
    m = matrix(world())
    assert [h["id"] for h in m.row_heads] == ["dc-a", "dc-b", "itu", "odet", "oset"]
    assert [h["id"] for h in m.column_heads] == ["gdc", "track-1", "track-2"]
    assert m.cell_text("dc-a", "track-1") == "participant"
    assert m.cell_text("dc-b", "track-1") == "contributor (planned)"
    assert m.cell_text("dc-a", "gdc") == ""
    assert m.columns == ["actor", "gdc", "track-1", "track-2"]
    assert m.rows()[0] == {"actor": "dc-a", "gdc": "", "track-1": "participant", "track-2": ""}


def test_proposed_engagements_are_left_out_unless_asked():
    assert "member-y" not in [h["id"] for h in matrix(world()).row_heads]
    m = matrix(world(), status="proposed")
    assert [h["id"] for h in m.row_heads] == ["member-y"]
    assert m.cell_text("member-y", "track-1") == "observer (proposed)"


def test_type_rows_objective_columns_counts():
    m = matrix(world(), rows="type", cols="objective", cells="count")
    assert [h["id"] for h in m.row_heads] == ["dynamic_coalition", "un_entity"]
    assert [h["id"] for h in m.column_heads] == ["obj-1", "obj-2"]
    assert m.cell_text("dynamic_coalition", "obj-1") == 2
    assert m.cell_text("dynamic_coalition", "obj-2") == 0
    assert m.cell_text("un_entity", "obj-2") == 1
    cell = next(c for c in m.cells if c["row"] == "dynamic_coalition")
    assert cell["actors"] == ["dc-a", "dc-b"] and cell["via"] == ["track-1"]


def test_rows_by_actor_type_and_group_and_ecosystem():
    assert [h["id"] for h in matrix(world(), rows="dynamic_coalition").row_heads] == ["dc-a", "dc-b"]
    groups = matrix(world(), rows="stakeholder_group", cells="count")
    assert groups.cell_text("intergovernmental", "gdc") == 2
    assert [h["id"] for h in matrix(world(), ecosystem="igf").row_heads] == ["dc-a", "dc-b"]


def test_as_of():
    m = matrix(world(), as_of="2024-10-31")
    assert "odet" not in [h["id"] for h in m.row_heads]
    assert m.cell_text("oset", "gdc") == "lead"


def test_event_columns():
    m = matrix(world(), cols="event", status=["active"])
    assert m.column_heads == [{"id": "summit", "name": "A summit", "type": "event"}]
    assert m.row_heads == []  # CONVENES is not ENGAGES_IN


def test_bad_options():
    with pytest.raises(UsageError, match="--rows"):
        matrix(world(), rows="nope")
    with pytest.raises(UsageError, match="--cols"):
        matrix(world(), cols="objectives")
    with pytest.raises(UsageError, match="--cells"):
        matrix(world(), cells="x")


def test_json_shape():
    data = matrix(world()).to_json()
    assert list(data) == [
        "rows_by",
        "columns_by",
        "cells_by",
        "statuses",
        "as_of",
        "ecosystem",
        "rows",
        "columns",
        "cells",
    ]
    assert list(data["cells"][0]) == [
        "row",
        "column",
        "count",
        "roles",
        "statuses",
        "label",
        "actors",
        "via",
        "sources",
    ]


def test_column_types():
    from tests.queries.helpers import E, R, make_store

    store = make_store(
        [E("a", "organization"), E("t", "activity"), E("o", "objective"), E("p", "commitment")],
        [R("a", "ENGAGES_IN", "t"), R("t", "ADDRESSES", "o"), R("t", "ADDRESSES", "p")],
    )
    full = matrix(store, cols="objective")
    assert [c["id"] for c in full.column_heads] == ["o", "p"]
    only = matrix(store, cols="objective", col_types=["commitment"])
    assert [c["id"] for c in only.column_heads] == ["p"] and [c["column"] for c in only.cells] == ["p"]
    with pytest.raises(UsageError, match="--col-type"):
        matrix(store, cols="objective", col_types=["activity"])
