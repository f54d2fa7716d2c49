"""resolve_id ("did you mean"), search, show and stats on hand-built graphs."""

from __future__ import annotations

import pytest

from mapper.errors import NotFoundError
from queries.lookup import resolve_id, search, show, stats, suggest
from tests.queries.helpers import E, make_store, world


def test_resolve_exact_id_name_and_alias():
    store = world()
    assert resolve_id(store, "dc-a") == "dc-a"
    assert resolve_id(store, "DCA") == "dc-a"  # alias, case-insensitive
    assert resolve_id(store, "tech envoy") == "oset"
    assert resolve_id(store, "International Telecommunication Union") == "itu"


def test_unknown_id_suggests_from_ids_names_and_aliases():
    store = world()
    with pytest.raises(NotFoundError) as err:
        resolve_id(store, "osett")
    assert "did you mean oset" in str(err.value)
    with pytest.raises(NotFoundError, match="did you mean odet"):
        resolve_id(store, "Digital and Emerging Tech")  # part of a name
    with pytest.raises(NotFoundError, match="try `igfmap search TEXT`"):
        resolve_id(store, "zzzzzz")
    assert NotFoundError.exit_code == 1


def test_ambiguous_name():
    store = make_store([E("a", "organization", name="Same"), E("b", "organization", name="Same")])
    with pytest.raises(NotFoundError, match="names 2 entities"):
        resolve_id(store, "same")


def test_resolve_as_of_names_the_successor():
    store = world()
    assert resolve_id(store, "oset", "2024-10-31") == "oset"
    with pytest.raises(NotFoundError, match=r"not valid on 2025-02-01.*succeeded by odet"):
        resolve_id(store, "oset", "2025-02-01")
    with pytest.raises(NotFoundError, match="preceded by oset"):
        resolve_id(store, "odet", "2024-10-31")


def test_suggest_orders_by_similarity():
    assert suggest("dc-c", [("dc-a", ["dc-a"]), ("dc-b", ["dc-b"]), ("igf", ["igf"])]) == ["dc-a", "dc-b"]


def test_search_ranks_exact_prefix_substring():
    store = world()
    ids = [m["id"] for m in search(store, "track").matches]
    assert ids == ["track-1", "track-2"]
    result = search(store, "odet")
    assert result.matches[0]["id"] == "odet" and result.matches[0]["matched_on"] == "id"
    assert [m["id"] for m in search(store, "envoy").matches] == ["oset"]
    assert search(store, "nothing-like-this").matches == []


def test_search_as_of_tech_office():
    store = world()
    assert [m["id"] for m in search(store, "technolog", as_of="2024-10-31").matches] == ["oset"]
    assert [m["id"] for m in search(store, "technolog", as_of="2025-02-01").matches] == ["odet"]
    assert search(store, "technolog", limit=1).to_json()["matches"][0]["id"] in {"odet", "oset"}


def test_show_entity_relations_both_ways_and_sources():
    store = world()
    result = show(store, "dc-b")
    assert result.entity["id"] == "dc-b" and result.entity["category"] == "actor"
    assert [(r["type"], r["target"]) for r in result.outgoing] == [
        ("CONTRIBUTES_TO", "letter"),
        ("ENGAGES_IN", "track-1"),
        ("PART_OF", "igf"),
    ]
    assert result.incoming == []
    assert [s["id"] for s in result.sources] == ["map", "s"]
    incoming = show(store, "track-1").incoming
    assert {r["source"] for r in incoming} == {"dc-a", "dc-b", "member-y"}
    assert incoming[0]["source_name"]
    rows = result.rows()
    assert rows[0] == {"field": "id", "value": "dc-b"}
    assert any(r["field"] == "-> ENGAGES_IN" for r in rows)
    assert any(r["field"] == "source map" for r in rows)


def test_show_as_of_hides_invalid_relations():
    store = world()
    incoming = show(store, "gdc", as_of="2025-02-01").incoming
    assert ("odet", "ENGAGES_IN") in [(r["source"], r["type"]) for r in incoming]
    assert "oset" not in [r["source"] for r in incoming]
    with pytest.raises(NotFoundError):
        show(store, "nope")


def test_stats_counts():
    result = stats(world())
    assert result.totals == {"entities": 14, "relations": 16, "sources": 4}
    assert result.categories["actor"] == 7
    assert result.relation_types["ENGAGES_IN"] == 6
    assert result.statuses == {"active": 13, "planned": 1, "proposed": 1, "requested": 1}
    dated = stats(world(), as_of="2025-02-01")
    assert dated.totals["entities"] == 12  # no oset, no summit
    assert "source_kinds" in dated.to_json()
