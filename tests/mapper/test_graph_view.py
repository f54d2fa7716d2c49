"""The graph view is built straight into networkx's dicts: it must be the graph that networkx's
own ``add_nodes_from``/``add_edges_from`` make from the same items, orders included."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from mapper.dataset import Dataset, graph_from_document, to_graph
from mapper.index import dataset_from_document
from mapper.jsontext import document_bytes
from mapper.store import open_store, read_store_file, seed_dataset, write_store_file


def _public_build(dataset: Dataset) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(schema=dataset.schema, sources=dict(sorted(dataset.sources.items())))
    for i in sorted(dataset.entities):
        entity = dataset.entities[i]
        graph.add_node(i, **entity, category=dataset.schema.category(entity["type"]))
    for key in sorted(dataset.relations):
        rel = dataset.relations[key]
        graph.add_edge(rel["source"], rel["target"], key="|".join(key), **rel)
    return graph


def _assert_same(ours: nx.MultiDiGraph, public: nx.MultiDiGraph) -> None:
    assert ours.graph == public.graph
    assert list(ours.nodes(data=True)) == list(public.nodes(data=True))
    assert list(ours.edges(keys=True, data=True)) == list(public.edges(keys=True, data=True))
    # Neighbour order both ways, which traversals follow.
    assert {n: list(ours.succ[n]) for n in ours} == {n: list(public.succ[n]) for n in public}
    assert {n: list(ours.pred[n]) for n in ours} == {n: list(public.pred[n]) for n in public}
    assert list(ours.in_edges(keys=True)) == list(public.in_edges(keys=True))
    assert nx.utils.graphs_equal(ours, public)


def test_seed_graph_is_networkx_own() -> None:
    seed = seed_dataset()
    ours = to_graph(seed)
    _assert_same(ours, _public_build(seed))
    # It stays a working graph: what networkx adds and removes afterwards behaves as usual.
    ours.add_edge("igf", "new-node", key="x")
    ours.remove_node("igf")
    assert "igf" not in ours and "new-node" in ours


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=30, max_value=150), st.integers(min_value=0, max_value=10_000))
def test_generated_graphs_are_networkx_own(entities: int, seed: int) -> None:
    dataset = generate(entities, seed=seed)
    _assert_same(to_graph(dataset), _public_build(dataset))


def test_graph_straight_from_a_store_document_is_to_graph_of_its_dataset() -> None:
    # What the store does with a document whose checksum matches its index: the Dataset skipped.
    for dataset in (seed_dataset(), generate(2_000, seed=3)):
        doc = orjson.loads(document_bytes(dataset.to_document()))
        ours = graph_from_document(doc)
        _assert_same(ours, _public_build(dataset_from_document(doc)))
        assert ours.graph["schema"] == dataset.schema


def test_an_indexed_store_answers_from_its_document_with_the_same_graph(tmp_path: Path) -> None:
    store_file = tmp_path / "s.json"
    write_store_file(store_file, generate(1_000, seed=5))
    store = open_store(store_file)
    graph = store.graph  # built from the document: the dataset not yet made
    assert "dataset" not in store.__dict__
    _assert_same(graph, _public_build(store.dataset))
    assert store.dataset == read_store_file(store_file)
