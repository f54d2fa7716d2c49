"""Kumu JSON blueprint: ``{"elements": [...], "connections": [...]}`` for import into kumu.io.

Elements carry Kumu's standard fields ``id`` (the entity id), ``label`` (name), ``type``
(entity type), ``description`` and ``tags``, plus custom fields (``category``, ``aliases``,
``stakeholder group``, ``region``, ``country``, ``url``, ``valid from``, ``valid to``,
``sources``). Connections carry ``id`` (the relation key, unique across elements and
connections since entity ids cannot hold ``|``), ``from`` and ``to`` (element ids), ``type``
(relation type), ``direction`` (``mutual`` for COORDINATES_WITH, else ``directed``) and the
relation fields as custom fields. Kumu field names are human-readable, so ``_`` becomes a space.
A ``sources`` list of the provenance records rides along (Kumu ignores unknown top-level keys).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from exports.formats import source_records
from exports.registry import ExportOptions, export_format
from mapper.output import json_chunks
from mapper.outputs import atomic_write_lines
from mapper.schema import ENTITY_FIELDS, RELATION_FIELDS, SYMMETRIC_RELATIONS

_ELEMENT_STANDARD = {"id", "name", "type", "description", "tags"}
_CONNECTION_STANDARD = {"source", "target", "type"}


def _field(name: str) -> str:
    return name.replace("_", " ")


def blueprint(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The blueprint document for ``graph`` (sorted, so the same graph gives the same JSON)."""
    return {
        "elements": list(_elements(graph)),
        "connections": list(_connections(graph)),
        "sources": source_records(graph),
    }


def _elements(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    for node in sorted(graph.nodes):
        attrs = graph.nodes[node]
        element: dict[str, Any] = {
            "id": node,
            "label": attrs.get("name") or node,
            "type": attrs.get("type", ""),
        }
        if attrs.get("description"):
            element["description"] = attrs["description"]
        element["tags"] = list(attrs.get("tags") or [])
        element["category"] = attrs.get("category") or ""
        for name in ENTITY_FIELDS:
            if name not in _ELEMENT_STANDARD and attrs.get(name) not in (None, "", []):
                element[_field(name)] = attrs[name]
        yield element


def _connections(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    for u, v, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: str(e[2])):
        rtype = attrs.get("type", "")
        connection: dict[str, Any] = {
            "id": str(key),
            "from": u,
            "to": v,
            "type": rtype,
            "direction": "mutual" if rtype in SYMMETRIC_RELATIONS else "directed",
        }
        for name in RELATION_FIELDS:
            if name not in _CONNECTION_STANDARD and attrs.get(name) not in (None, "", []):
                connection[_field(name)] = attrs[name]
        yield connection


def kumu_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The blueprint as JSON text (indent 1), an element or a connection at a time."""
    document = {
        "elements": _elements(graph),
        "connections": _connections(graph),
        "sources": source_records(graph),
    }
    return json_chunks(document, indent=1, inert=False)


def read_kumu(doc: dict[str, Any]) -> nx.MultiDiGraph:
    """A blueprint read back into the :func:`mapper.dataset.to_graph` shape (for tests and
    for bringing Kumu edits home)."""
    from mapper.dataset import Dataset, to_graph

    entities = []
    for element in doc["elements"]:
        record = {"id": element["id"], "name": element["label"], "type": element["type"]}
        for name in ENTITY_FIELDS:
            key = _field(name)
            if name not in record and element.get(key) not in (None, "", []):
                record[name] = element[key]
        entities.append(record)
    relations = []
    for connection in doc["connections"]:
        record = {"source": connection["from"], "type": connection["type"], "target": connection["to"]}
        for name in RELATION_FIELDS:
            key = _field(name)
            if name not in record and connection.get(key) not in (None, "", []):
                record[name] = connection[key]
        relations.append(record)
    return to_graph(Dataset.from_records(doc.get("sources", []), entities, relations))


@export_format("kumu", "Kumu JSON blueprint")
def write_kumu(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    atomic_write_lines(out, kumu_lines(graph))
    return [out]
