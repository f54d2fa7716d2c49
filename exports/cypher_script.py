"""A Cypher script that recreates the graph on an empty Neo4j database.

The script builds exactly the model of the Neo4j store (:mod:`mapper.neo4j`, named in :mod:`mapper.graph_names`, documented
in docs/neo4j.md), so ``igfmap --neo4j URI`` and every query work on the result:

* constraints first (unique ``Entity.id`` and ``Source.id``), then one ``(:IgfmapMeta)`` node
  with the schema extension;
* sources as ``(:Source {id, kind, title, date, url, locator})``;
* entities as ``(:Entity:<Category>:<Type>)``, e.g. ``:Entity:Actor:DynamicCoalition``, with
  their fields and ``category`` as properties and their provenance as
  ``(:Entity)-[:SOURCED_FROM {position}]->(:Source)``;
* relations as relationships of the schema's type with their fields, a ``sources`` list and a
  ``key`` ``source|TYPE|target|role``.

Because it is a script file, values are literals, not parameters: strings are single-quoted
with ``\\``, ``'``, and control characters escaped (so every statement is one line), dates are
``date('YYYY-MM-DD')``. Labels, relationship types and property names come only from the
validated schema and are checked against its name patterns again here. Statements MERGE on
ids and keys, so running the script twice changes nothing. Rows go in ``UNWIND`` batches of
:data:`BATCH` per statement, one statement per line, each ending in ``;``.

Run it with ``cypher-shell -a bolt://localhost:7687 -f graph.cypher`` or with
:func:`statements` and the Python driver.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from exports.registry import ExportOptions, export_format
from mapper.graph_names import META_LABEL, PROVENANCE, SCHEMA_MARKER_ID, category_label, rel_type, type_label
from mapper.outputs import atomic_write_lines
from mapper.progress import track
from mapper.schema import DATE_FIELDS, DEFAULT_SCHEMA, SCHEMA_VERSION

BATCH = 500
PROPERTY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def string_literal(text: str) -> str:
    """``text`` as a single-quoted Cypher string literal on one line.

    >>> string_literal("it's a \\\\ test\\n")
    "'it\\\\'s a \\\\\\\\ test\\\\n'"
    """
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or ch in "\u2028\u2029\u0085":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def _key(name: str) -> str:
    if not PROPERTY_RE.match(name):
        raise ValueError(f"refusing unsafe property name {name!r}")
    return name


def literal(value: Any, name: str = "") -> str:
    """A Python value as a Cypher literal (strings, numbers, booleans, lists, maps, dates)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} as a Cypher literal")
        return repr(value)
    if isinstance(value, str):
        if name in DATE_FIELDS:
            return f"date({string_literal(value)})"
        return string_literal(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {literal(v, k)}" for k, v in value.items()) + "}"
    if hasattr(value, "isoformat"):
        return f"date({string_literal(value.isoformat())})"
    raise ValueError(f"cannot write {type(value).__name__} as a Cypher literal")


def _rows(items: list[dict[str, Any]]) -> Iterator[str]:
    for start in range(0, len(items), BATCH):
        yield "[" + ", ".join(literal(r) for r in items[start : start + BATCH]) + "]"


def statements(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The script's statements in order, each one line without the trailing ``;``."""
    schema = graph.graph.get("schema") or DEFAULT_SCHEMA
    yield "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"
    yield "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE"
    yield "CREATE INDEX relation_status IF NOT EXISTS FOR ()-[r:ENGAGES_IN]-() ON (r.status)"
    extension = json.dumps(schema.extension, sort_keys=True)
    yield (
        f"MERGE (m:{META_LABEL} {{id: '{SCHEMA_MARKER_ID}'}}) "
        f"SET m.schema_version = {SCHEMA_VERSION}, m.extension = {string_literal(extension)}"
    )
    sources = graph.graph.get("sources", {})
    source_rows = [dict(sources[k]) for k in sorted(sources)]
    for batch in _rows(source_rows):
        yield f"UNWIND {batch} AS row MERGE (s:Source {{id: row.id}}) SET s = row"

    total = graph.number_of_nodes() + graph.number_of_edges()
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in track(sorted(graph.nodes), total, "cypher: entities"):
        attrs = graph.nodes[node]
        props = {
            k: v for k, v in attrs.items() if k not in ("sources", "category") and v not in (None, "", [])
        }
        props["id"] = node
        props["category"] = schema.category(attrs["type"])
        by_type[attrs["type"]].append(
            {"id": node, "props": props, "sources": list(attrs.get("sources") or [])}
        )
    for entity_type in sorted(by_type):
        labels = f"Entity:{category_label(schema.category(entity_type))}:{type_label(entity_type)}"
        for batch in _rows(by_type[entity_type]):
            yield (
                f"UNWIND {batch} AS row MERGE (n:Entity {{id: row.id}}) SET n = row.props, n:{labels} "
                "WITH n, row UNWIND range(0, size(row.sources) - 1) AS i "
                f"MATCH (s:Source {{id: row.sources[i]}}) MERGE (n)-[p:{PROVENANCE}]->(s) SET p.position = i"
            )

    by_rel: dict[str, list[dict[str, Any]]] = defaultdict(list)
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: str(e[2]))
    for u, v, key, attrs in track(edges, total, "cypher: relations"):
        props = {
            k: val
            for k, val in attrs.items()
            if k not in ("source", "target", "type") and val not in (None, "", [])
        }
        props["key"] = str(key)
        by_rel[attrs["type"]].append({"source": u, "target": v, "props": props})
    for name in sorted(by_rel):
        for batch in _rows(by_rel[name]):
            yield (
                f"UNWIND {batch} AS row MATCH (a:Entity {{id: row.source}}) MATCH (b:Entity {{id: row.target}}) "
                f"MERGE (a)-[r:{rel_type(name)} {{key: row.props.key}}]->(b) SET r = row.props"
            )


def cypher_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The whole script a line at a time: a comment header, then one statement per line."""
    yield "// igf-mapper graph as Cypher: recreates the graph on an empty Neo4j database (5.x).\n"
    yield (
        f"// {graph.number_of_nodes()} entities, {graph.number_of_edges()} relations, "
        f"{len(graph.graph.get('sources', {}))} sources.\n"
    )
    yield "// Run: cypher-shell -a bolt://localhost:7687 -u neo4j -f THIS_FILE\n"
    yield "// Idempotent: statements MERGE on ids and relation keys.\n"
    for statement in statements(graph):
        yield statement + ";\n"


def cypher_text(graph: nx.MultiDiGraph) -> str:
    """The whole script (:func:`cypher_lines`) as one text."""
    return "".join(cypher_lines(graph))


def script_statements(text: str) -> list[str]:
    """The statements of a script written by :func:`cypher_text` (comments dropped)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            out.append(line[:-1] if line.endswith(";") else line)
    return out


@export_format("cypher", "Cypher script recreating the graph on Neo4j")
def write_cypher(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    atomic_write_lines(out, cypher_lines(graph))
    return [out]
