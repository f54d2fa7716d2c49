"""The in-memory dataset: sources, entities and relations as canonical records, plus the schema.

A *record* is a plain dict holding only the fields that have a value, in the schema's field
order, with dates as ISO strings and list fields as lists of strings. Canonical records make
two saves of the same data byte-identical, whatever file format the data came from.

The graph view (:func:`to_graph`) is a ``networkx.MultiDiGraph``: nodes are entity ids with
the entity's fields (plus ``category``) as attributes; edges carry the relation's fields and
are keyed by :func:`relation_key_str`; ``G.graph["sources"]`` maps source ids to source records
and ``G.graph["schema"]`` holds the :class:`~mapper.schema.Schema`. The view is for reading:
its edges carry the dataset's relation records themselves, so copy an edge's attributes before
changing them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from mapper.bulk import gc_paused
from mapper.schema import DEFAULT_SCHEMA, FIELDS, SCHEMA_VERSION, Schema

Record = dict[str, Any]
RelationKey = tuple[str, str, str, str]


def relation_key(record: Record) -> RelationKey:
    """Relations are identified by (source, type, target, role); role may be empty."""
    return (record["source"], record["type"], record["target"], record.get("role") or "")


def relation_key_str(record: Record) -> str:
    return "|".join(relation_key(record))


def canonical(section: str, record: Record) -> Record:
    """The record with only non-empty fields, in the schema's field order."""
    out: Record = {}
    for name in FIELDS[section]:
        if name not in record:  # most fields are absent: test that first
            continue
        value = record[name]
        if value is None or value == "" or value == []:
            continue
        out[name] = list(value) if isinstance(value, (list, tuple)) else value
    return out


_POSITIONS = {section: {name: i for i, name in enumerate(names)} for section, names in FIELDS.items()}


def as_canonical(section: str, record: Record) -> Record:
    """:func:`canonical`, or ``record`` itself when it already is: for a record nobody changes
    afterwards (one validation just made, one a document is about to write), where a copy of
    each of 500,000 records would only cost time."""
    positions, last = _POSITIONS[section], -1
    for name, value in record.items():
        position = positions.get(name, -1)
        if position <= last or value is None or value == "" or value == [] or type(value) is tuple:
            return canonical(section, record)
        last = position
    return record


@dataclass
class Dataset:
    """Sources, entities and relations keyed by identity, with the schema they conform to."""

    sources: dict[str, Record] = field(default_factory=dict)
    entities: dict[str, Record] = field(default_factory=dict)
    relations: dict[RelationKey, Record] = field(default_factory=dict)
    schema: Schema = DEFAULT_SCHEMA

    def merge(self, other: Dataset) -> Dataset:
        """A new dataset: ``self`` with ``other`` upserted by id (relations by key)."""
        return Dataset(
            sources={**self.sources, **other.sources},
            entities={**self.entities, **other.entities},
            relations={**self.relations, **other.relations},
            schema=self.schema.extended(other.schema.extension),
        )

    def counts(self) -> dict[str, int]:
        return {
            "sources": len(self.sources),
            "entities": len(self.entities),
            "relations": len(self.relations),
        }

    def to_document(self) -> dict[str, Any]:
        """The canonical, sorted document that stores and JSON/YAML writers persist."""
        doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        if self.schema.extension:
            doc["schema"] = self.schema.extension
        for section in ("sources", "entities", "relations"):
            records = getattr(self, section)
            doc[section] = [as_canonical(section, records[k]) for k in sorted(records)]
        return doc

    @classmethod
    def from_records(
        cls,
        sources: Iterable[Record] = (),
        entities: Iterable[Record] = (),
        relations: Iterable[Record] = (),
        schema: Schema = DEFAULT_SCHEMA,
    ) -> Dataset:
        """Build from already-valid records (use :mod:`mapper.validation` for untrusted input)."""
        return cls(
            sources={r["id"]: canonical("sources", r) for r in sources},
            entities={r["id"]: canonical("entities", r) for r in entities},
            relations={relation_key(r): canonical("relations", r) for r in relations},
            schema=schema,
        )


def to_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """The graph view of a dataset (see the module docstring for its shape).

    Nodes and edges go in sorted, so the graph (and everything drawn from it) is the same
    whatever order the records were read in.
    """
    entities, relations = dataset.entities, dataset.relations
    return _graph_of(
        dataset.schema,
        dict(sorted(dataset.sources.items())),
        [entities[i] for i in sorted(entities)],
        (("|".join(key), relations[key]) for key in sorted(relations)),
    )


def schema_from_extension(extension: dict[str, Any] | None) -> Schema:
    """The schema a document's ``schema`` member (its extension, if any) makes."""
    return DEFAULT_SCHEMA.extended(extension) if extension else DEFAULT_SCHEMA


def graph_from_document(doc: dict[str, Any]) -> nx.MultiDiGraph:
    """:func:`to_graph` of the dataset a store document holds, made from the document itself:
    for a document the store wrote (its records sorted by id and by relation key, each once, as
    :meth:`Dataset.to_document` writes them), so the :class:`Dataset` need not be built first
    (at 150,000 entities its three dicts cost as much as a gap rule)."""
    return _graph_of(
        schema_from_extension(doc.get("schema")),
        {r["id"]: r for r in doc.get("sources", [])},
        doc.get("entities", []),
        ((relation_key_str(rel), rel) for rel in doc.get("relations", [])),
    )


def _graph_of(
    schema: Schema,
    sources: dict[str, Record],
    entities: list[Record],
    relations: Iterable[tuple[str, Record]],
) -> nx.MultiDiGraph:
    """The graph view of records already in order: entities by id, relations (with their key
    as the edge key, ``source|TYPE|target|role``) by key."""
    categories = {kind: schema.category(kind) for kind in {e["type"] for e in entities}}
    graph = nx.MultiDiGraph(schema=schema, sources=sources)
    with gc_paused():  # one graph of many small dicts (see mapper.bulk)
        _fill_graph(
            graph,
            ((e["id"], {**e, "category": categories[e["type"]]}) for e in entities),
            ((rel["source"], rel["target"], key, rel) for key, rel in relations),
        )
    return graph


def _fill_graph(
    graph: nx.MultiDiGraph,
    nodes: Iterable[tuple[str, Record]],
    edges: Iterable[tuple[str, str, str, Record]],
) -> None:
    """Fill an empty ``graph`` with ``nodes`` and ``edges`` (whose ends are among the nodes).

    The same graph ``add_nodes_from`` and ``add_edges_from`` make, node, neighbour and key
    order included (a test compares the two), written straight into networkx's adjacency
    dicts: the public calls check and copy every item, which took seconds at 300,000 edges.
    Edge attributes are the relation records themselves, not copies (``add_edge`` would copy
    300,000 dicts): the graph view is for reading, and whoever wants to change an edge's
    attributes copies them first, as the exports do.
    """
    node, succ, pred = graph._node, graph._succ, graph._pred
    for n, attrs in nodes:
        node[n] = attrs
        succ[n] = {}
        pred[n] = {}
    for u, v, key, attrs in edges:
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys[key] = attrs


def from_graph(graph: nx.MultiDiGraph) -> Dataset:
    """The dataset a graph view was built from (inverse of :func:`to_graph`)."""
    entities = [{k: v for k, v in attrs.items() if k != "category"} for _, attrs in graph.nodes(data=True)]
    relations = [attrs for _, _, attrs in graph.edges(data=True)]
    return Dataset.from_records(
        sources=graph.graph.get("sources", {}).values(),
        entities=entities,
        relations=relations,
        schema=graph.graph.get("schema", DEFAULT_SCHEMA),
    )
