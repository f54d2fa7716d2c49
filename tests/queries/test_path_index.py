"""``path`` on an indexed store reads only the neighbourhoods it searches and finds exactly the
paths the whole graph gives."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.generate import generate
from mapper.store import EmbeddedStore, open_store, write_store_file
from queries.asof import entity_valid
from queries.paths import path


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[EmbeddedStore, Path, list[str]]:
    dataset = generate(800, seed=7)
    store_file = tmp_path_factory.mktemp("path-index") / "store.json"
    write_store_file(store_file, dataset)
    return EmbeddedStore(dataset), store_file, sorted(dataset.entities)


OPTIONS = [
    {},
    {"directed": True},
    {"as_of": "2024-06-30"},
    {"relations": ["ENGAGES_IN", "PART_OF", "MEMBER_OF"]},
    {"as_of": "2025-03-01", "directed": True},
    {"as_of": "2025-03-01", "relations": ["ENGAGES_IN", "CONTRIBUTES_TO", "RESPONDS_TO", "ADDRESSES"]},
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "default")
def test_indexed_path_equals_whole_graph_path(stores, options) -> None:  # type: ignore[no-untyped-def]
    whole, store_file, ids = stores
    day = options.get("as_of")
    ids = [i for i in ids if entity_valid(whole.dataset.entities[i], day)]
    rng = random.Random(str(options))
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(25)] + [("igf", ids[0]), (ids[-1], ids[-1])]
    found = 0
    for a, b in pairs:
        indexed = open_store(store_file)
        expected = path(whole, a, b, limit=50, **options).to_json()
        assert path(indexed, a, b, limit=50, **options).to_json() == expected, (a, b)
        assert "graph" not in vars(indexed), "the indexed store built its whole graph"
        found += bool(expected["paths"])
    assert found >= 3  # connected pairs among them: the comparison is about real paths
