"""Graph and table formats: GraphML, GEXF, JSON node-link, CSV (Gephi), XLSX; and their readers.

How the data is encoded (documented in docs/maps.md):

* **Nodes** are entities, identified by the entity id. Attributes: every entity field except
  ``id`` (it is the node id), plus ``category`` and ``label`` (the name, which Gephi shows).
* **Edges** are relations, identified by the relation key ``source|TYPE|target|role``.
  Attributes: every relation field except ``source`` and ``target`` (they are the edge's
  ends), plus ``label`` (the relation type). GEXF reserves ``type`` for the edge direction,
  so there the relation type is ``relation_type``; CSV does the same because Gephi's edge
  table reads ``Type`` as Directed/Undirected.
* **Lists** (``aliases``, ``tags``, ``sources``) are one string with items joined by ``|``
  in GraphML, GEXF and CSV (Kumu's and the dataset CSV's convention); JSON keeps lists.
* **Sources** (the provenance records) travel as a graph attribute ``sources`` holding a JSON
  array in GraphML, as ``graph.sources`` in JSON, as ``sources.csv`` beside the CSV tables.
  GEXF has no graph attributes: there sources are only referred to by id.
* **Schema extension**: graph attribute ``schema_extension`` (JSON) in GraphML, ``graph.schema``
  in JSON, ``schema.json`` beside CSV tables when there is one.

Every writer is deterministic (sorted nodes and edges, no timestamps) and atomic.
:func:`read_graph` reads GraphML, GEXF, JSON and CSV exports back into the graph shape of
:func:`mapper.dataset.to_graph`, so ``from_graph(read_graph(export))`` is the original dataset.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from exports import style
from exports.registry import ExportOptions, export_format
from mapper.cells import csv_lines, list_cell, list_items
from mapper.dataset import Dataset, from_graph, relation_key_str, schema_from_extension
from mapper.output import json_chunks
from mapper.outputs import atomic_write_bytes, atomic_write_lines, atomic_write_text
from mapper.progress import track
from mapper.schema import (
    ENTITY_FIELDS,
    LIST_FIELDS,
    RELATION_FIELDS,
    SCHEMA_VERSION,
    SOURCE_FIELDS,
    SYMMETRIC_RELATIONS,
    Schema,
)

NODE_FIELDS = [f for f in ENTITY_FIELDS if f != "id"] + ["category"]
EDGE_FIELDS = [f for f in RELATION_FIELDS if f not in ("source", "target")]
CSV_NODE_HEADER = ["Id", "Label", *NODE_FIELDS]
CSV_EDGE_HEADER = [
    "Source",
    "Target",
    "Type",
    "Id",
    "Label",
    "relation_type",
    *[f for f in EDGE_FIELDS if f != "type"],
]


def _encode(name: str, value: Any) -> Any:
    if name in LIST_FIELDS and isinstance(value, (list, tuple)):
        return list_cell(value)
    return value


def _decode(name: str, value: Any) -> Any:
    if name in LIST_FIELDS and isinstance(value, str):
        return [v for v in list_items(value) if v]
    return value


def _sorted_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    return sorted(((u, v, str(k), a) for u, v, k, a in graph.edges(keys=True, data=True)), key=lambda e: e[2])


def source_records(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The graph's source records, sorted by id."""
    return [dict(graph.graph.get("sources", {})[k]) for k in sorted(graph.graph.get("sources", {}))]


def _extension(graph: nx.MultiDiGraph) -> dict[str, Any]:
    schema = graph.graph.get("schema")
    return dict(schema.extension) if schema is not None and schema.extension else {}


def flat_graph(graph: nx.MultiDiGraph, relation_type_name: str = "type") -> nx.MultiDiGraph:
    """A copy of ``graph`` with only string attributes, as GraphML and GEXF want them.

    Lists are ``|``-joined; graph attributes become JSON text; ``relation_type_name`` names
    the attribute holding the relation type (GEXF needs ``relation_type``).
    """
    flat = nx.MultiDiGraph()
    flat.graph["name"] = "igf-mapper graph"
    flat.graph["schema_version"] = SCHEMA_VERSION
    flat.graph["sources"] = json.dumps(source_records(graph), ensure_ascii=False, sort_keys=True)
    ext = _extension(graph)
    if ext:
        flat.graph["schema_extension"] = json.dumps(ext, ensure_ascii=False, sort_keys=True)
    total = graph.number_of_nodes() + graph.number_of_edges()
    for node in track(sorted(graph.nodes), total, "export: nodes"):
        attrs = graph.nodes[node]
        data = {"label": str(attrs.get("name") or node)}
        for name in NODE_FIELDS:
            if attrs.get(name) not in (None, "", []):
                data[name] = _encode(name, attrs[name])
        flat.add_node(node, **data)
    for u, v, key, attrs in track(_sorted_edges(graph), total, "export: relations"):
        data = {"label": str(attrs.get("type", ""))}
        for name in EDGE_FIELDS:
            if attrs.get(name) not in (None, "", []):
                data[relation_type_name if name == "type" else name] = _encode(name, attrs[name])
        flat.add_edge(u, v, key=key, **data)
    return flat


# --- GraphML -----------------------------------------------------------------------------------


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """GraphML (readable by networkx, igraph, Gephi, yEd, Cytoscape) of ``graph``."""
    flat = flat_graph(graph)
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()


def _schema_from(extension_json: str | None) -> Schema:
    return schema_from_extension(json.loads(extension_json) if extension_json else None)


def unflatten(flat: nx.MultiDiGraph, relation_type_name: str = "type") -> nx.MultiDiGraph:
    """The :func:`mapper.dataset.to_graph` shape of a graph read from GraphML or GEXF."""
    sources_json = flat.graph.get("sources")
    sources = json.loads(sources_json) if sources_json else []
    schema = _schema_from(flat.graph.get("schema_extension"))
    graph = nx.MultiDiGraph(schema=schema, sources={s["id"]: s for s in sources})
    for node in sorted(flat.nodes):
        attrs = flat.nodes[node]
        record: dict[str, Any] = {"id": str(node)}
        for name in ENTITY_FIELDS:
            if name != "id" and attrs.get(name) not in (None, ""):
                record[name] = _decode(name, attrs[name])
        graph.add_node(str(node), **record, category=schema.category(record.get("type", "")))
    for u, v, _key, attrs in flat.edges(keys=True, data=True):
        record = {"source": str(u), "target": str(v)}
        for name in RELATION_FIELDS:
            source_name = relation_type_name if name == "type" else name
            if name not in ("source", "target") and attrs.get(source_name) not in (None, ""):
                record[name] = _decode(name, attrs[source_name])
        ordered = {n: record[n] for n in RELATION_FIELDS if n in record}
        graph.add_edge(str(u), str(v), key=relation_key_str(ordered), **ordered)
    return graph


def read_graphml(path: Path | str) -> nx.MultiDiGraph:
    """A GraphML export read back into the graph shape of :func:`mapper.dataset.to_graph`."""
    flat = nx.read_graphml(path, node_type=str, edge_key_type=str, force_multigraph=True)
    return unflatten(flat)


# --- GEXF --------------------------------------------------------------------------------------

_GEXF_SHAPES = {
    "actor": "disc",
    "process": "square",
    "activity": "diamond",
    "objective": "diamond",
    "event": "triangle",
    "document": "triangle",
}


def gexf_bytes(graph: nx.MultiDiGraph, seed: int = 42) -> bytes:
    """GEXF 1.2 (Gephi's format) of ``graph``, with colours, sizes and positions for Gephi."""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    from exports.layout import compute_positions

    flat = flat_graph(graph, relation_type_name="relation_type")
    colours = style.entity_colours({a.get("type", "") for _, a in graph.nodes(data=True)})
    positions = compute_positions(graph, seed=seed)
    degree = dict(graph.degree())
    for node, attrs in flat.nodes(data=True):
        r, g, b = style.hex_to_rgb(colours.get(attrs.get("type", ""), style.FALLBACK_COLOUR))
        x, y = positions.get(node, (0.0, 0.0))
        attrs["viz"] = {
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
            "position": {"x": x, "y": -y, "z": 0.0},
            "size": round(8 + 2 * degree.get(node, 0) ** 0.5, 2),
            "shape": _GEXF_SHAPES.get(attrs.get("category", ""), "disc"),
        }
    for _u, _v, key, attrs in flat.edges(keys=True, data=True):
        attrs["id"] = key
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    # Deterministic meta: no "last modified today" date, no library version.
    meta = writer.xml.find("meta")
    assert meta is not None
    from exports.view import newest_date

    meta.set("lastmodifieddate", newest_date(graph) or "1970-01-01")
    creator = meta.find("creator")
    assert creator is not None
    creator.text = "igf-mapper"
    SubElement(
        meta, "description"
    ).text = f"IGF ecosystem graph: {graph.number_of_nodes()} entities, {graph.number_of_edges()} relations"
    writer.add_graph(flat)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def read_gexf(path: Path | str) -> nx.MultiDiGraph:
    """A GEXF export read back into the graph shape of :func:`mapper.dataset.to_graph`
    (without source records, which GEXF does not carry)."""
    flat = nx.read_gexf(path, node_type=str)
    if not flat.is_multigraph():
        flat = nx.MultiDiGraph(flat)
    keyed = nx.MultiDiGraph()
    keyed.add_nodes_from(flat.nodes(data=True))
    for u, v, attrs in flat.edges(data=True):
        data = {k: val for k, val in attrs.items() if k not in ("id", "key", "networkx_key", "label")}
        keyed.add_edge(u, v, key=attrs.get("id"), **data)
    return unflatten(keyed, relation_type_name="relation_type")


# --- JSON node-link ----------------------------------------------------------------------------


def node_link_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The node-link document as text, a node or an edge at a time (never whole in memory):
    ``{directed, multigraph, graph: {schema_version, schema, sources}, nodes: [{id, ...entity
    fields, category}], edges: [{source, target, key, ...relation fields}]}``, byte for byte
    ``json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, indent=1)`` of the
    graph ``g`` holding the nodes sorted and the edges in key order."""
    document = {
        "directed": True,
        "multigraph": True,
        "graph": {
            "schema_version": SCHEMA_VERSION,
            "schema": _extension(graph),
            "sources": source_records(graph),
        },
        "nodes": ({**graph.nodes[node], "id": node} for node in sorted(graph.nodes)),
        "edges": (
            {**attrs, "source": u, "target": v, "key": key} for u, v, key, attrs in _node_link_edges(graph)
        ),
    }
    return json_chunks(document, indent=1, inert=False)


def _node_link_edges(graph: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """The edges in the order networkx lists a graph built from sorted nodes and key-sorted
    edges: by source node, then by target in the order its first key comes, then by key."""
    for u in sorted(graph.nodes):
        edges = sorted(
            ((u, v, str(k), a) for v, keyed in graph.adj[u].items() for k, a in keyed.items()),
            key=lambda e: e[2],
        )
        first: dict[str, int] = {}
        for edge in edges:
            first.setdefault(edge[1], len(first))
        yield from sorted(edges, key=lambda e: first[e[1]])  # stable: key order within a target


def read_json(path: Path | str) -> nx.MultiDiGraph:
    """A JSON node-link export read back into the :func:`mapper.dataset.to_graph` shape."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    loaded = nx.node_link_graph(doc, directed=True, multigraph=True, edges="edges")
    schema = schema_from_extension(doc["graph"].get("schema"))
    graph = nx.MultiDiGraph(schema=schema, sources={s["id"]: s for s in doc["graph"].get("sources", [])})
    # node_link_graph takes the node id out of the attributes; entities keep it as a field.
    graph.add_nodes_from((n, {"id": n, **a}) for n, a in loaded.nodes(data=True))
    for u, v, key, attrs in loaded.edges(keys=True, data=True):
        record = {"source": u, **attrs, "target": v}
        graph.add_edge(u, v, key=key, **{n: record[n] for n in RELATION_FIELDS if n in record})
    return graph


# --- CSV (Gephi) -------------------------------------------------------------------------------


def csv_tables(graph: nx.MultiDiGraph) -> dict[str, Iterator[str]]:
    """``nodes.csv``, ``edges.csv`` (Gephi's spreadsheet import headers) and ``sources.csv``,
    each as its records' lines, made as they are written (text cells neutralised for
    spreadsheets, see :func:`mapper.cells.csv_lines`)."""
    total = graph.number_of_nodes() + graph.number_of_edges()
    node_rows = (
        [node, attrs.get("name") or node, *[_encode(f, attrs.get(f)) for f in NODE_FIELDS]]
        for node, attrs in ((n, graph.nodes[n]) for n in track(sorted(graph.nodes), total, "export: nodes"))
    )
    edge_rows = (
        [
            u,
            v,
            "Undirected" if attrs.get("type", "") in SYMMETRIC_RELATIONS else "Directed",
            key,
            attrs.get("type", ""),
            attrs.get("type", ""),
            *[_encode(f, attrs.get(f)) for f in EDGE_FIELDS if f != "type"],
        ]
        for u, v, key, attrs in track(_sorted_edges(graph), total, "export: relations")
    )
    source_rows = ([s.get(f) for f in SOURCE_FIELDS] for s in source_records(graph))
    return {
        "nodes.csv": csv_lines(CSV_NODE_HEADER, node_rows),
        "edges.csv": csv_lines(CSV_EDGE_HEADER, edge_rows),
        "sources.csv": csv_lines(list(SOURCE_FIELDS), source_rows),
    }


def read_csv_tables(directory: Path | str) -> nx.MultiDiGraph:
    """A CSV export (``nodes.csv``, ``edges.csv``, ``sources.csv``) read back."""
    directory = Path(directory)

    def rows(name: str) -> list[dict[str, str]]:
        path = directory / name
        if not path.exists():
            return []
        from mapper.cells import restore_text

        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [{k: restore_text(v) for k, v in row.items()} for row in csv.DictReader(handle)]

    schema_file = directory / "schema.json"
    schema = schema_from_extension(
        json.loads(schema_file.read_text())["schema"] if schema_file.exists() else None
    )
    sources = {r["id"]: {k: v for k, v in r.items() if v} for r in rows("sources.csv")}
    graph = nx.MultiDiGraph(schema=schema, sources=sources)
    for row in rows("nodes.csv"):
        record = {"id": row["Id"]}
        record.update({f: _decode(f, row[f]) for f in ENTITY_FIELDS if f != "id" and row.get(f)})
        graph.add_node(row["Id"], **record, category=schema.category(record.get("type", "")))
    for row in rows("edges.csv"):
        record = {"source": row["Source"], "type": row["relation_type"], "target": row["Target"]}
        record.update({f: _decode(f, row[f]) for f in RELATION_FIELDS if f not in record and row.get(f)})
        ordered = {n: record[n] for n in RELATION_FIELDS if n in record}
        graph.add_edge(row["Source"], row["Target"], key=row["Id"], **ordered)
    return graph


# --- dispatch ----------------------------------------------------------------------------------


@export_format("graphml", "GraphML, all attributes (networkx, igraph, Gephi)")
def write_graphml(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    atomic_write_bytes(out, graphml_bytes(graph))
    return [out]


@export_format("gexf", "GEXF 1.2 with colours, sizes, positions (Gephi)")
def write_gexf(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    atomic_write_bytes(out, gexf_bytes(graph, seed=options.seed))
    return [out]


@export_format("json", "node-link JSON (networkx node_link_data)")
def write_json(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    atomic_write_lines(out, node_link_lines(graph))
    return [out]


@export_format("csv", "nodes.csv, edges.csv (Gephi headers), sources.csv", target="directory")
def write_csv(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    written = []
    ext = _extension(graph)
    if ext:
        atomic_write_text(
            out / "schema.json", json.dumps({"schema_version": 1, "schema": ext}, indent=1) + "\n"
        )
        written.append(out / "schema.json")
    for name, lines in csv_tables(graph).items():
        atomic_write_lines(out / name, lines)
        written.append(out / name)
    return written


@export_format("xlsx", "entities, relations, sources sheets (igfmap load reads it back)")
def write_xlsx(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    from mapper.writers import write_dataset

    dataset: Dataset = from_graph(graph)
    return list(write_dataset(dataset, out, "xlsx"))


def read_graph(path: Path | str, fmt: str) -> nx.MultiDiGraph:
    """Read an export back (graphml, gexf, json, csv, xlsx) into the ``to_graph`` shape."""
    if fmt == "graphml":
        return read_graphml(path)
    if fmt == "gexf":
        return read_gexf(path)
    if fmt == "json":
        return read_json(path)
    if fmt == "csv":
        return read_csv_tables(path)
    if fmt == "xlsx":
        from mapper.dataset import to_graph
        from mapper.validation import read_dataset

        return to_graph(read_dataset([Path(path)]))
    raise ValueError(f"cannot read format {fmt!r}")
