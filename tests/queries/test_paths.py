"""Shortest paths on hand-built graphs."""

from __future__ import annotations

import pytest

from mapper.errors import NotFoundError
from queries.paths import path, route_text
from tests.queries.helpers import E, R, make_store, world


def test_shortest_path_with_relation_types():
    result = path(world(), "dc-a", "obj-1")
    assert result.length == 2
    [p] = result.paths
    assert p["nodes"] == ["dc-a", "track-1", "obj-1"]
    assert route_text(p) == "dc-a -ENGAGES_IN-> track-1 -ADDRESSES-> obj-1"
    assert p["hops"][0]["relations"][0]["role"] == "participant"


def test_all_shortest_paths_in_order_up_to_limit():
    store = world()
    result = path(store, "dc-a", "dc-b")
    assert [p["nodes"] for p in result.paths] == [["dc-a", "igf", "dc-b"], ["dc-a", "track-1", "dc-b"]]
    assert route_text(result.paths[0]) == "dc-a -PART_OF-> igf <-PART_OF- dc-b"
    assert len(path(store, "dc-a", "dc-b", limit=1).paths) == 1


def test_directed_and_relation_filter():
    store = world()
    assert path(store, "dc-a", "dc-b", directed=True).paths == []
    only = path(store, "dc-a", "dc-b", relations=["ENGAGES_IN"])
    assert [p["nodes"] for p in only.paths] == [["dc-a", "track-1", "dc-b"]]


def test_as_of_changes_the_route():
    store = world()
    assert path(store, "oset", "odet").length == 1
    assert path(store, "odet", "track-1", as_of="2025-02-01").paths[0]["nodes"] == ["odet", "gdc", "track-1"]
    with pytest.raises(NotFoundError, match="not valid"):
        path(store, "oset", "odet", as_of="2025-02-01")


def test_no_path_and_same_node():
    store = make_store([E("a", "organization"), E("b", "organization")])
    assert path(store, "a", "b").paths == [] and path(store, "a", "b").length is None
    assert path(store, "a", "a").paths == [{"nodes": ["a"], "hops": []}]


def test_parallel_relations_shown_in_one_hop():
    store = make_store(
        [E("a", "organization"), E("b", "organization")],
        [R("a", "COORDINATES_WITH", "b"), R("b", "REPORTS_TO", "a")],
    )
    [p] = path(store, "a", "b").paths
    assert route_text(p) == "a -COORDINATES_WITH-> / <-REPORTS_TO- b"


def test_unknown_ids():
    with pytest.raises(NotFoundError, match="did you mean dc-a"):
        path(world(), "dc-aa", "igf")


def test_json_shape():
    data = path(world(), "dc-a", "obj-1").to_json()
    assert list(data) == ["from", "to", "as_of", "directed", "length", "paths"]
    assert list(data["paths"][0]) == ["nodes", "hops"]
    assert list(data["paths"][0]["hops"][0]) == ["from", "to", "relations"]
