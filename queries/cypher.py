"""Shared pieces of the Cypher versions of the queries (the Neo4j store's side of each module).

The graph model is the one in docs/neo4j.md: ``(:Entity)`` nodes with a ``category`` property,
relationships of the schema's types between them, ``(:Source)`` nodes that entities point to
with ``SOURCED_FROM {position}``, and one ``(:IgfmapMeta)`` node. Every query here matches
``(:Entity)-[r]->(:Entity)`` (so neither ``SOURCED_FROM`` nor the meta node is ever part of an
answer) and takes values only as parameters; relationship types are put into query text only
from constants or the schema, through :func:`mapper.graph_names.rel_type`.

The as-of filter is written into each query by :func:`valid_node` / :func:`valid_rel`: it is
the Cypher form of :mod:`queries.asof` (both bounds inclusive, a missing bound open, and a
relation counts only when both its ends are valid), comparing the native ``Date`` properties
with ``date($as_of)``. When there is no as-of date the predicates are left out altogether.

The helpers at the end turn rows into the records the networkx versions produce (canonical
field order, dates as ISO strings), so both backends hand identical rows to the shared
formatting and sorting code of each query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from mapper.dataset import canonical
from mapper.graph_names import PROVENANCE, rel_type
from mapper.schema import DEFAULT_STATUS, ENGAGED_STATUSES, PENDING_STATUSES, SOURCE_FIELDS
from mapper.store_protocol import CypherStore
from queries.common import Record

# Variables (or ``startNode(r)``-like expressions) that may be spliced into a predicate: only
# what the query modules themselves write, never user input.
_EXPR_RE = re.compile(r"^(?:[a-z][A-Za-z0-9_]*|(?:startNode|endNode)\([a-z][A-Za-z0-9_]*\))$")

#: A regex (passed as the parameter ``$non_ascii``) that matches text with a non-ASCII character.
NON_ASCII = r"(?s).*[^\x00-\x7F].*"


def _expr(var: str) -> str:
    if not _EXPR_RE.match(var):
        raise ValueError(f"not a query variable: {var!r}")
    return var


def valid_node(var: str, as_of: str | None) -> str:
    """``var`` is valid on ``$as_of`` (``valid_from <= as_of <= valid_to``); ``true`` without a date."""
    if as_of is None:
        return "true"
    v = _expr(var)
    return (
        f"({v}.valid_from IS NULL OR {v}.valid_from <= date($as_of)) "
        f"AND ({v}.valid_to IS NULL OR {v}.valid_to >= date($as_of))"
    )


def valid_rel(var: str, as_of: str | None) -> str:
    """Relationship ``var`` holds on ``$as_of`` (``since <= as_of <= until``; ends not checked)."""
    if as_of is None:
        return "true"
    v = _expr(var)
    return (
        f"({v}.since IS NULL OR {v}.since <= date($as_of)) "
        f"AND ({v}.until IS NULL OR {v}.until >= date($as_of))"
    )


def valid_edge(start: str, rel: str, end: str, as_of: str | None) -> str:
    """The relation and both its ends are valid on ``$as_of`` (the as-of view keeps it)."""
    if as_of is None:
        return "true"
    return f"{valid_node(start, as_of)} AND {valid_rel(rel, as_of)} AND {valid_node(end, as_of)}"


def valid_path_rels(rels: str, as_of: str | None, extra: str = "") -> str:
    """Every relationship of the list ``rels`` (a variable-length match) is in the as-of view.

    ``extra`` is a further predicate on each relationship, written with the variable ``x``.
    Written as ``all(x IN rels WHERE ...)`` on single relationships so that Neo4j can check
    it while it expands (a pruning breadth-first expand for ``DISTINCT`` end nodes).
    """
    parts = [p for p in (extra, valid_edge("startNode(x)", "x", "endNode(x)", as_of)) if p and p != "true"]
    if not parts:
        return "true"
    return f"all(x IN {_expr(rels)} WHERE {' AND '.join(parts)})"


def status(var: str) -> str:
    """A relation's status, ``active`` when none is stored (:func:`queries.common.status_of`)."""
    return f"coalesce({_expr(var)}.status, '{DEFAULT_STATUS}')"


def engaging(var: str) -> str:
    """The relationship (an ENGAGES_IN) counts as engagement: status active or planned."""
    return f"{status(var)} IN {_literal_list(ENGAGED_STATUSES)}"


def pending(var: str) -> str:
    """The relationship is proposed or requested (not agreed)."""
    return f"{status(var)} IN {_literal_list(PENDING_STATUSES)}"


def _literal_list(values: Iterable[str]) -> str:
    # Only for the schema's fixed enumerations (plain lowercase words), never user input.
    items = list(values)
    for item in items:
        if not re.match(r"^[a-z][a-z-]*$", item):
            raise ValueError(f"not a schema constant: {item!r}")
    return "[" + ", ".join(f"'{i}'" for i in items) + "]"


def types(names: Iterable[str]) -> str:
    """``A|B|C`` for a relationship pattern, each name checked by :func:`rel_type`."""
    return "|".join(rel_type(n) for n in names)


def not_provenance(var: str) -> str:
    """Leave out the provenance relationship (belt and braces: it never joins two entities)."""
    return f"type({_expr(var)}) <> '{PROVENANCE}'"


def entity_sources(var: str) -> str:
    """The entity's source ids in their stored order (a ``COLLECT`` subquery)."""
    v = _expr(var)
    return f"COLLECT {{ MATCH ({v})-[sp:{PROVENANCE}]->(so:Source) RETURN so.id ORDER BY sp.position }}"


def entity_map(var: str) -> str:
    """All the entity's properties plus its ``sources`` (a map projection)."""
    return f"{_expr(var)} {{.*, sources: {entity_sources(var)}}}"


# --- rows to records --------------------------------------------------------------------------


def entity_attrs(props: dict[str, Any]) -> Record:
    """A node's properties as the networkx node attributes: the canonical entity record
    (schema field order, empty fields dropped) followed by ``category``."""
    record = canonical("entities", {k: v for k, v in props.items() if k != "category"})
    return {**record, "category": props.get("category")}


def relation_record(source: str, rel_type_name: str, target: str, props: dict[str, Any]) -> Record:
    """A relationship as the canonical relation record the networkx edges carry."""
    fields = {k: v for k, v in props.items() if k != "key"}
    return canonical("relations", {"source": source, "type": rel_type_name, "target": target, **fields})


#: For :func:`collected_rows` in rules that judge relations ``(u)-[r]->(v)``: each row is
#: itself the relation record a finding reads (``source``, ``type``, ``target``, ``role``,
#: ``status``, ``sources``; a missing field is None). Not ``properties(r)``: a map holding
#: dates costs the Python driver several times as much as these few strings.
RELATION_COLUMNS = {
    "source": "u.id",
    "type": "type(r)",
    "target": "v.id",
    "role": "r.role",
    "status": "r.status",
    "sources": "r.sources",
}
#: :data:`RELATION_COLUMNS` and the names of both ends.
NAMED_RELATION_COLUMNS = {**RELATION_COLUMNS, "source_name": "u.name", "target_name": "v.name"}


def source_records(store: CypherStore, ids: Iterable[str]) -> list[Record]:
    """The source records for ``ids`` (unknown ids are skipped), sorted by id, as
    :func:`queries.common.source_records` gives them."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = store.run("MATCH (s:Source) WHERE s.id IN $ids RETURN properties(s) AS s", {"ids": wanted})
    found = {row["s"]["id"]: canonical("sources", row["s"]) for row in rows}
    return [found[i] for i in wanted if i in found]


def source_field(store: CypherStore, field: str) -> dict[str, str]:
    """Each source's ``field`` as text (a date in ISO form), for the sources that have one.

    For rules that judge a relation by its cited sources: one pass over the ``Source`` nodes
    here, then the rule tests the ids of ``r.sources`` against sets passed as parameters and
    reads the values in Python. Looking each cited source up in the query (an index seek per
    id) took most of the server's time at 300,000 relations.
    """
    if field not in SOURCE_FIELDS or field == "id":
        raise ValueError(f"not a source field: {field!r}")
    # Two lists in one record, the cheapest shape for the driver; neither holds a null (ids
    # never are, and the field is tested), so they stay aligned.
    [row] = store.run(
        f"MATCH (s:Source) WHERE s.{field} IS NOT NULL "
        f"RETURN collect(s.id) AS ids, collect(toString(s.{field})) AS values"
    )
    return dict(zip(row["ids"], row["values"], strict=True))


def collected_rows(
    store: CypherStore, body: str, columns: dict[str, str], params: dict[str, Any]
) -> list[Record]:
    """``body RETURN columns`` as a list of dicts, fetched as one record holding every row.

    ``columns`` maps each name to its expression. For answers of tens of thousands of rows:
    the Python driver pays a fixed cost for each record it receives (a Bolt message, a
    ``Record``), more than for the few values in it; one record of row lists took about half
    the client time. The server builds the list in memory: keep it for answers of scalars
    (ids, names, short lists), never whole nodes or relationships.
    """
    names = list(columns)
    rows = store.run(f"{body} RETURN collect([{', '.join(columns.values())}]) AS rows", params)
    return [dict(zip(names, values, strict=True)) for values in rows[0]["rows"]]


def params(as_of: str | None, **values: Any) -> dict[str, Any]:
    """Query parameters: ``as_of`` (only when there is a date) plus ``values``."""
    out = dict(values)
    if as_of is not None:
        out["as_of"] = as_of
    return out
