"""who and what on hand-built graphs."""

from __future__ import annotations

import pytest

from mapper.errors import NotFoundError, UsageError
from queries.engagement import ENGAGEMENT_KEYS, what, who
from tests.queries.helpers import world


def test_who_lists_every_status_sorted():
    result = who(world(), "track-1")
    assert [(e["actor"], e["role"], e["status"]) for e in result.engagements] == [
        ("dc-a", "participant", "active"),
        ("dc-b", "contributor", "planned"),
        ("member-y", "observer", "proposed"),
    ]
    assert all(tuple(e) == ENGAGEMENT_KEYS for e in result.engagements)
    assert [s["id"] for s in result.sources] == ["map", "s"]
    assert result.entity == {"id": "track-1", "name": "Track one", "type": "activity", "category": "activity"}


def test_who_filters_role_and_status():
    store = world()
    assert [e["actor"] for e in who(store, "track-1", status="active").engagements] == ["dc-a"]
    assert [e["actor"] for e in who(store, "track-1", status=["planned", "proposed"]).engagements] == [
        "dc-b",
        "member-y",
    ]
    assert [e["actor"] for e in who(store, "track-1", role="contributor").engagements] == ["dc-b"]
    with pytest.raises(UsageError, match="--status must be one of"):
        who(store, "track-1", status="ongoing")
    with pytest.raises(UsageError, match="did you mean 'lead'"):
        who(store, "track-1", role="leader")


def test_who_as_of_tech_office():
    store = world()
    assert [e["actor"] for e in who(store, "gdc").engagements] == ["odet", "oset"]
    assert [e["actor"] for e in who(store, "gdc", as_of="2024-10-31").engagements] == ["oset"]
    assert [e["actor"] for e in who(store, "gdc", as_of="2025-02-01").engagements] == ["odet"]


def test_who_deep_covers_parts_and_objectives_go_through_addresses():
    store = world()
    deep = who(store, "gdc", deep=True, status="active")
    assert [(e["actor"], e["target"]) for e in deep.engagements] == [
        ("dc-a", "track-1"),
        ("itu", "track-2"),
        ("odet", "gdc"),
        ("oset", "gdc"),
    ]
    assert [e["actor"] for e in who(store, "obj-2").engagements] == ["itu"]
    assert [e["target"] for e in who(store, "obj-1").engagements] == ["track-1"] * 3


def test_who_event_lists_convenors_and_documents_contributors():
    store = world()
    assert [(e["actor"], e["relation"]) for e in who(store, "summit").engagements] == [("itu", "CONVENES")]
    assert [e["status"] for e in who(store, "letter").engagements] == ["requested"]
    assert who(store, "summit", relations=["ENGAGES_IN"]).engagements == []


def test_who_on_an_actor_is_a_usage_error():
    with pytest.raises(UsageError, match="igfmap what dc-a"):
        who(world(), "dc-a")


def test_who_unknown_id():
    with pytest.raises(NotFoundError, match="did you mean track-1"):
        who(world(), "track1")


def test_what():
    store = world()
    result = what(store, "dc-b")
    assert [(e["target"], e["relation"], e["status"]) for e in result.engagements] == [
        ("letter", "CONTRIBUTES_TO", "requested"),
        ("track-1", "ENGAGES_IN", "planned"),
    ]
    assert [e["target"] for e in what(store, "dc-b", status="requested").engagements] == ["letter"]
    with pytest.raises(NotFoundError, match="succeeded by odet"):
        what(store, "oset", as_of="2025-01-15")
    with pytest.raises(UsageError, match="igfmap who track-1"):
        what(store, "track-1")


def test_what_deep_covers_parts_and_members():
    store = world()
    assert what(store, "igf").engagements == []
    deep = what(store, "igf", deep=True)
    assert [(e["actor"], e["target"]) for e in deep.engagements] == [
        ("dc-b", "letter"),
        ("dc-a", "track-1"),
        ("dc-b", "track-1"),
        ("member-y", "track-1"),
    ]


def test_json_shape():
    data = who(world(), "track-1").to_json()
    assert list(data) == ["query", "entity", "as_of", "filters", "engagements", "sources"]
    assert list(data["filters"]) == ["role", "status", "relations", "deep"]


def test_relation_types_are_checked_against_the_schema():
    with pytest.raises(UsageError, match="did you mean 'CONVENES'"):
        who(world(), "summit", relations=["CONVENE"])
