"""Graph and table formats: each is read back with the same counts and attributes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from exports.export import export
from exports.formats import read_graph
from exports.kumu import blueprint, read_kumu
from mapper.dataset import from_graph, to_graph
from mapper.validation import read_dataset
from mapper.writers import write_dataset
from tests.exports.conftest import store_of, tiny_dataset


def canonical(dataset) -> dict:
    """The document as the readers would normalise it (e.g. default status)."""
    return dataset.to_document()


@pytest.mark.parametrize(
    ("fmt", "name"), [("graphml", "g.graphml"), ("json", "g.json"), ("csv", "tables"), ("gexf", "g.gexf")]
)
def test_round_trip_gives_back_the_dataset(tmp_path: Path, tiny, fmt: str, name: str) -> None:
    result = export(store_of(to_graph(tiny)), fmt, tmp_path / name)
    assert (result.nodes, result.edges) == (10, 14)
    back = from_graph(read_graph(tmp_path / name, fmt)).to_document()
    expected = tiny.to_document()
    if fmt == "gexf":  # GEXF has no graph attributes: sources are referred to by id only
        expected["sources"] = []
    assert back == expected


@pytest.mark.parametrize(
    ("fmt", "name"), [("graphml", "g.graphml"), ("json", "g.json"), ("csv", "t"), ("gexf", "g.gexf")]
)
def test_round_trip_of_hostile_text(tmp_path: Path, hostile, fmt: str, name: str) -> None:
    export(store_of(to_graph(hostile)), fmt, tmp_path / name)
    back = from_graph(read_graph(tmp_path / name, fmt)).to_document()
    expected = hostile.to_document()
    if fmt == "gexf":
        expected["sources"] = []
    assert back == expected


def test_graphml_read_by_networkx_directly_keeps_attributes(tmp_path: Path, tiny_graph) -> None:
    export(store_of(tiny_graph), "graphml", tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True, edge_key_type=str)
    assert (g.number_of_nodes(), g.number_of_edges()) == (10, 14)
    assert (
        g.nodes["dccg"]["aliases"] == "DCCG"
        and g.nodes["dccg"]["label"] == "Dynamic Coalition Coordination Group"
    )
    assert g.nodes["igf"]["tags"] == "un|forum" and g.nodes["igf"]["category"] == "actor"
    edge = g.edges["dc-a", "ai-dialogue", "dc-a|ENGAGES_IN|ai-dialogue|observer"]
    assert edge["type"] == "ENGAGES_IN" and edge["status"] == "planned" and edge["since"] == "2025-02-01"
    assert json.loads(g.graph["sources"])[0]["id"] == "s-map"


def test_graphml_read_by_igraph_with_the_same_counts_and_attributes(tmp_path: Path, seed_store) -> None:
    import igraph

    result = export(seed_store, "graphml", tmp_path / "seed.graphml")
    g = igraph.Graph.Read_GraphML(str(tmp_path / "seed.graphml"))
    assert (g.vcount(), g.ecount()) == (len(seed_store.dataset.entities), len(seed_store.dataset.relations))
    assert (g.vcount(), g.ecount()) == (result.nodes, result.edges)
    assert {"id", "label", "type", "name", "category", "sources"} <= set(g.vs.attributes())
    assert {"type", "status", "sources", "label"} <= set(g.es.attributes())
    by_id = {v["id"]: v for v in g.vs}
    for node, attrs in seed_store.graph.nodes(data=True):
        vertex = by_id[node]
        assert vertex["name"] == attrs["name"] and vertex["type"] == attrs["type"]
        assert vertex["sources"] == "|".join(attrs.get("sources", []))
    types = sorted(e["type"] for e in g.es)
    assert types == sorted(a["type"] for _, _, a in seed_store.graph.edges(data=True))
    assert len(json.loads(g["sources"])) == len(seed_store.dataset.sources)


def test_gexf_is_gephi_ready(tmp_path: Path, tiny_graph) -> None:
    export(store_of(tiny_graph), "gexf", tmp_path / "g.gexf")
    text = (tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert 'version="1.2"' in text and "<viz:color" in text and "<viz:position" in text
    assert 'lastmodifieddate="2025-06-23"' in text  # from the data, not today
    g = nx.read_gexf(tmp_path / "g.gexf")
    assert (g.number_of_nodes(), g.number_of_edges()) == (10, 14)
    assert g.nodes["igf"]["label"] == "Internet Governance Forum"
    assert {a["relation_type"] for _, _, a in g.edges(data=True)} >= {"ENGAGES_IN", "PART_OF"}


def test_csv_has_gephi_headers(tmp_path: Path, tiny_graph) -> None:
    result = export(store_of(tiny_graph), "csv", tmp_path / "tables")
    assert sorted(Path(f).name for f in result.files) == ["edges.csv", "nodes.csv", "sources.csv"]
    with (tmp_path / "tables" / "nodes.csv").open(encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    with (tmp_path / "tables" / "edges.csv").open(encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:5] == ["Source", "Target", "Type", "Id", "Label"]
    assert len(nodes) == 10 and len(edges) == 14
    kinds = {e["relation_type"]: e["Type"] for e in edges}
    assert kinds["COORDINATES_WITH"] == "Undirected" and kinds["ENGAGES_IN"] == "Directed"


def test_xlsx_reloads_with_igfmap_load(tmp_path: Path, runner, tiny) -> None:
    from mapper.cli import app

    export(store_of(to_graph(tiny)), "xlsx", tmp_path / "g.xlsx")
    store = tmp_path / "store.json"
    result = runner.invoke(app, ["--store", str(store), "load", str(tmp_path / "g.xlsx")])
    assert result.exit_code == 0, result.output
    # What `load` stores equals the same dataset loaded from JSON (same reader normalisation).
    write_dataset(tiny, tmp_path / "same.json", "json")
    assert read_dataset([store]).to_document() == read_dataset([tmp_path / "same.json"]).to_document()
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "g.xlsx").sheetnames == ["sources", "entities", "relations"]


def test_seed_round_trips_through_every_graph_format(tmp_path: Path, seed_store) -> None:
    original = seed_store.dataset.to_document()
    for fmt, name in (("graphml", "s.graphml"), ("json", "s.json"), ("csv", "s"), ("xlsx", "s.xlsx")):
        export(seed_store, fmt, tmp_path / name)
        back = from_graph(read_graph(tmp_path / name, fmt)).to_document()
        assert back == original, fmt


def test_kumu_blueprint(tmp_path: Path, tiny) -> None:
    export(store_of(to_graph(tiny)), "kumu", tmp_path / "k.json")
    doc = json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))
    assert len(doc["elements"]) == 10 and len(doc["connections"]) == 14
    igf = next(e for e in doc["elements"] if e["id"] == "igf")
    assert igf["label"] == "Internet Governance Forum" and igf["type"] == "igf_body"
    assert igf["tags"] == ["un", "forum"] and igf["stakeholder group"] == "multistakeholder"
    dccg = next(e for e in doc["elements"] if e["id"] == "dccg")
    assert dccg["description"] == "Coordinates the Dynamic Coalitions."
    connection = next(c for c in doc["connections"] if c["type"] == "COORDINATES_WITH")
    assert (
        connection["direction"] == "mutual" and connection["from"] == "dccg" and connection["to"] == "nri-x"
    )
    assert {c["direction"] for c in doc["connections"]} == {"mutual", "directed"}
    ids = [e["id"] for e in doc["elements"]] + [c["id"] for c in doc["connections"]]
    assert len(ids) == len(set(ids))  # Kumu wants ids unique across elements and connections
    assert from_graph(read_kumu(doc)).to_document() == tiny.to_document()
    assert blueprint(to_graph(tiny_dataset())) == doc


def test_exports_are_deterministic(tmp_path: Path, tiny_graph) -> None:
    for fmt in ("graphml", "gexf", "json", "kumu", "cypher"):
        export(store_of(tiny_graph), fmt, tmp_path / f"a.{fmt}")
        export(store_of(to_graph(tiny_dataset())), fmt, tmp_path / f"b.{fmt}")
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes(), fmt


def test_filters_apply_to_exports(tmp_path: Path, tiny_graph) -> None:
    result = export(store_of(tiny_graph), "json", tmp_path / "f.json", focus="dccg", depth=1)
    doc = json.loads((tmp_path / "f.json").read_text())
    assert result.nodes == len(doc["nodes"]) == 4
    assert export(store_of(tiny_graph), "json", tmp_path / "t.json", types=["actor"]).nodes == 5


def _whole_node_link_text(graph: nx.MultiDiGraph) -> str:
    """The JSON export as it was built before it streamed: the whole document, then dumped."""
    from exports.formats import _extension, source_records

    plain = nx.MultiDiGraph()
    plain.graph.update({"schema_version": 1, "schema": _extension(graph), "sources": source_records(graph)})
    for node in sorted(graph.nodes):
        plain.add_node(node, **graph.nodes[node])
    for u, v, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: str(e[2])):
        plain.add_edge(u, v, key=str(key), **attrs)
    return json.dumps(nx.node_link_data(plain, edges="edges"), ensure_ascii=False, indent=1) + "\n"


def test_streamed_json_export_is_the_whole_document_byte_for_byte(
    tmp_path: Path, seed_store, hostile
) -> None:
    # Issue 25: the export is written a node and an edge at a time; its bytes stay networkx's
    # node_link_data of the sorted graph (ids like "a" and "a-b" order differently as keys).
    from benchmarks.generate import generate

    for name, graph in (
        ("seed", seed_store.graph),
        ("hostile", to_graph(hostile)),
        ("gen", to_graph(generate(400, seed=3))),
    ):
        export(store_of(graph), "json", tmp_path / f"{name}.json")
        assert (tmp_path / f"{name}.json").read_text(encoding="utf-8") == _whole_node_link_text(graph), name
