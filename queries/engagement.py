"""Who engages on what: ``who`` (actors on an activity, process, event, document or objective)
and ``what`` (what an actor engages on).

Both list relations of the types in :data:`~queries.common.ENGAGEMENT_RELATIONS`
(ENGAGES_IN, CONTRIBUTES_TO, CONVENES) with every status, unless ``status`` narrows them
(design section 6: listings show every status). Each row is one relation, with the actor and
the target named, the role, status, dates and the source ids; the result also carries the
source records cited.

``who`` on an objective lists the actors engaging on the activities, processes and documents
that ADDRESS it. ``deep=True`` widens both: ``who`` also covers the target's parts (PART_OF
descendants, e.g. the tracks of a process) and ``what`` also covers the actor's parts and
members (e.g. everything the IGF's Dynamic Coalitions do).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from mapper.errors import UsageError
from mapper.schema import ROLES, STATUSES
from mapper.store_protocol import CypherStore, Store
from queries import cypher
from queries.asof import as_of_graph
from queries.common import (
    ENGAGEMENT_RELATIONS,
    STRUCTURAL_RELATIONS,
    Record,
    check_choice,
    check_relation_types,
    iso_date,
    node_ref,
    source_records,
    status_of,
)
from queries.dispatch import query_pair
from queries.lookup import resolve_id

#: The keys of each item of ``engagements`` in the JSON of ``who`` and ``what``.
ENGAGEMENT_KEYS = (
    "actor",
    "actor_name",
    "actor_type",
    "stakeholder_group",
    "relation",
    "target",
    "target_name",
    "target_type",
    "role",
    "status",
    "since",
    "until",
    "confidence",
    "sources",
    "note",
)


@dataclass
class EngagementResult:
    """The relations ``who`` or ``what`` found, plus the sources they cite."""

    query: str  # "who" or "what"
    entity: Record
    engagements: list[Record]
    sources: list[Record]
    as_of: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """The table columns; ``target`` (``who``) or ``actor`` (``what``) only when they vary."""
        me = self.entity["id"]
        if self.query == "who":
            cols = ["actor", "actor_name", "stakeholder_group", "relation"]
            if any(e["target"] != me for e in self.engagements):
                cols.append("target")
        else:
            cols = ["target", "target_name", "target_type", "relation"]
            if any(e["actor"] != me for e in self.engagements):
                cols.append("actor")
        return [*cols, "role", "status", "since", "until", "sources"]

    def rows(self) -> list[Record]:
        return self.engagements

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "entity": self.entity,
            "as_of": self.as_of,
            "filters": self.filters,
            "engagements": self.engagements,
            "sources": self.sources,
        }


def _as_list(value: str | Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    return values or None


def _filters(
    role: str | Sequence[str] | None,
    status: str | Sequence[str] | None,
    relations: Sequence[str] | None,
    deep: bool,
) -> dict[str, Any]:
    roles = _as_list(role)
    statuses = _as_list(status)
    for r in roles or []:
        check_choice(r, ROLES, "--role")
    for s in statuses or []:
        check_choice(s, STATUSES, "--status")
    return {
        "role": sorted(roles) if roles else None,
        "status": sorted(statuses) if statuses else None,
        "relations": list(relations or ENGAGEMENT_RELATIONS),
        "deep": deep,
    }


def who(
    store: Store,
    entity_id: str,
    *,
    role: str | Sequence[str] | None = None,
    status: str | Sequence[str] | None = None,
    as_of: str | date | None = None,
    deep: bool = False,
    relations: Sequence[str] | None = None,
) -> EngagementResult:
    """Actors engaging on an activity, process, event, document or objective.

    Parameters
    ----------
    store : EmbeddedStore or Neo4jStore
    entity_id : str
        The activity/process/event/document/objective (an id, or a unique name or alias).
    role, status : str or list of str, optional
        Keep only relations with one of these roles / statuses (default: all).
    as_of : str or date, optional
        Only entities and relations valid on that date.
    deep : bool
        Also the entity's parts (PART_OF descendants).
    relations : list of str, optional
        Relation types to list (default ENGAGES_IN, CONTRIBUTES_TO, CONVENES).

    Returns
    -------
    EngagementResult
        Rows sorted by actor, relation, target, role.

    Raises
    ------
    NotFoundError
        Unknown id (the message suggests close ids, names and aliases).
    UsageError
        ``entity_id`` is an actor (use :func:`what`).

    Examples
    --------
    >>> actors = [e["actor"] for e in who(store, "gdc-implementation", as_of="2024-10-31").engagements]
    >>> "oset" in actors, "odet" in actors
    (True, False)
    """
    return _listing("who", store, entity_id, role, status, as_of, deep, relations)


def what(
    store: Store,
    actor_id: str,
    *,
    role: str | Sequence[str] | None = None,
    status: str | Sequence[str] | None = None,
    as_of: str | date | None = None,
    deep: bool = False,
    relations: Sequence[str] | None = None,
) -> EngagementResult:
    """What an actor engages on (and contributes to, and convenes).

    Parameters are those of :func:`who`; ``deep`` adds what the actor's parts and members
    (PART_OF/MEMBER_OF descendants) engage on. Rows are sorted by target, relation, actor, role.

    Raises :class:`NotFoundError` for an unknown id and :class:`UsageError` when ``actor_id``
    is not an actor (use :func:`who`).

    Examples
    --------
    >>> "dc-gdc-implementation" in [e["target"] for e in what(store, "dccg").engagements]
    True
    """
    return _listing("what", store, actor_id, role, status, as_of, deep, relations)


def _listing(
    query: str,
    store: Store,
    entity_id: str,
    role: str | Sequence[str] | None,
    status: str | Sequence[str] | None,
    as_of: str | date | None,
    deep: bool,
    relations: Sequence[str] | None,
) -> EngagementResult:
    """``who`` or ``what``: resolve the id, then the backend's version of the listing."""
    day = iso_date(as_of)
    filters = _filters(role, status, check_relation_types(store, relations), deep)
    node = resolve_id(store, entity_id, day)
    scope = _scope(store, query, node, deep, filters["relations"])
    entity, rows, sources = {"who": _WHO, "what": _WHAT}[query](scope, node, day, filters)
    return EngagementResult(query, entity, rows, sources, day, filters)


def _scope(store: Store, query: str, node: str, deep: bool, relations: list[str]) -> Store:
    """The part of ``store`` the listing reads: the node's relations of the listed types, one
    step further for ``who`` on an objective (the engagements on what ADDRESSES it), the whole
    store with ``deep`` (descendants at any depth)."""
    if deep or not store.narrows:
        return store
    if query == "what":
        return store.around([node], relations)
    local = store.around([node], [*relations, "ADDRESSES"])
    graph = local.graph
    if graph.nodes[node].get("category") != "objective":
        return local
    addressers = [u for u, _, a in graph.in_edges(node, data=True) if a.get("type") == "ADDRESSES"]
    return store.around([node, *addressers], [*relations, "ADDRESSES"])


# --- networkx ---------------------------------------------------------------------------------


def engagement_row(graph: nx.MultiDiGraph, rel: dict[str, Any]) -> Record:
    """One relation as a ``who``/``what`` row (keys :data:`ENGAGEMENT_KEYS`)."""
    return _row(rel, graph.nodes[rel["source"]], graph.nodes[rel["target"]])


def _row(rel: dict[str, Any], actor: dict[str, Any], target: dict[str, Any]) -> Record:
    """The row of ``rel`` given the attributes of its two ends (both backends)."""
    return {
        "actor": rel["source"],
        "actor_name": actor.get("name", rel["source"]),
        "actor_type": actor.get("type"),
        "stakeholder_group": actor.get("stakeholder_group"),
        "relation": rel["type"],
        "target": rel["target"],
        "target_name": target.get("name", rel["target"]),
        "target_type": target.get("type"),
        "role": rel.get("role"),
        "status": status_of(rel),
        "since": rel.get("since"),
        "until": rel.get("until"),
        "confidence": rel.get("confidence"),
        "sources": list(rel.get("sources") or []),
        "note": rel.get("note"),
    }


def _keep(rel: dict[str, Any], filters: dict[str, Any]) -> bool:
    if rel.get("type") not in filters["relations"]:
        return False
    if filters["role"] and rel.get("role") not in filters["role"]:
        return False
    return not (filters["status"] and status_of(rel) not in filters["status"])


def descendants_nx(graph: nx.MultiDiGraph, node: str, types: Iterable[str] = ("PART_OF",)) -> set[str]:
    """Nodes with a path of ``types`` edges to ``node`` (not ``node`` itself; cycle-safe)."""
    types = set(types)
    seen = {node}
    frontier = [node]
    while frontier:
        current = frontier.pop()
        for child, _, attrs in graph.in_edges(current, data=True):
            if child not in seen and attrs.get("type") in types:
                seen.add(child)
                frontier.append(child)
    seen.discard(node)
    return seen


def _finish(
    view: nx.MultiDiGraph, node: str, rels: list[dict[str, Any]], order: tuple[str, ...]
) -> tuple[Record, list[Record], list[Record]]:
    rows = _sorted_rows([engagement_row(view, rel) for rel in rels], order)
    cited = {s for r in rows for s in r["sources"]}
    return node_ref(view, node), rows, source_records(view, cited)


def _sorted_rows(rows: list[Record], order: tuple[str, ...]) -> list[Record]:
    """Rows in ``order`` (``who``: actor, relation, target, role; ``what``: target first)."""
    return sorted(rows, key=lambda r: tuple(r[k] or "" for k in order))


def _who_nx(
    graph: nx.MultiDiGraph, node: str, as_of: str | None, filters: dict[str, Any]
) -> tuple[Record, list[Record], list[Record]]:
    view = as_of_graph(graph, as_of)
    category = view.nodes[node].get("category")
    if category == "actor":
        raise UsageError(f"{node} is an actor; `igfmap what {node}` lists what it engages on")
    targets = {node}
    if category == "objective":  # through what ADDRESSES it
        targets = {u for u, _, a in view.in_edges(node, data=True) if a.get("type") == "ADDRESSES"}
    if filters["deep"]:
        for target in list(targets):
            targets |= descendants_nx(view, target)
    rels = [
        attrs
        for target in targets
        for _, _, attrs in view.in_edges(target, data=True)
        if _keep(attrs, filters)
    ]
    return _finish(view, node, rels, ("actor", "relation", "target", "role"))


def _what_nx(
    graph: nx.MultiDiGraph, node: str, as_of: str | None, filters: dict[str, Any]
) -> tuple[Record, list[Record], list[Record]]:
    view = as_of_graph(graph, as_of)
    if view.nodes[node].get("category") != "actor":
        raise UsageError(f"{node} is not an actor; `igfmap who {node}` lists who engages on it")
    actors = {node}
    if filters["deep"]:
        actors |= descendants_nx(view, node, STRUCTURAL_RELATIONS)
    rels = [
        attrs for actor in actors for _, _, attrs in view.out_edges(actor, data=True) if _keep(attrs, filters)
    ]
    return _finish(view, node, rels, ("target", "relation", "actor", "role"))


# --- Cypher -----------------------------------------------------------------------------------


# The entity is matched first (its category decides the query); then one query walks from it
# to the relations listed. ``deep`` adds a variable-length PART_OF (who) or PART_OF|MEMBER_OF
# (what) walk, any status, over the as-of view, as descendants_nx does.


def _node_ref_cypher(store: CypherStore, node: str) -> Record:
    row = store.run(
        "MATCH (n:Entity {id: $id}) RETURN n.id AS id, coalesce(n.name, n.id) AS name, n.type AS type, "
        "n.category AS category",
        {"id": node},
    )[0]
    return dict(row)


def _filter_clause(filters: dict[str, Any]) -> str:
    clause = ""
    if filters["role"]:
        clause += " AND r.role IN $roles"
    if filters["status"]:
        clause += f" AND {cypher.status('r')} IN $statuses"
    return clause


def _run_listing(
    store: CypherStore,
    entity: Record,
    query: str,
    as_of: str | None,
    filters: dict[str, Any],
    order: tuple[str, ...],
) -> tuple[Record, list[Record], list[Record]]:
    """Run the ``who``/``what`` query (rows: relation, its actor, its target) and finish as nx does."""
    records = store.run(
        query
        + " RETURN a {.id, .name, .type, .stakeholder_group} AS actor, t {.id, .name, .type} AS target, "
        "type(r) AS type, properties(r) AS props",
        cypher.params(as_of, id=entity["id"], roles=filters["role"], statuses=filters["status"]),
    )
    rows = []
    for rec in records:
        actor = {k: v for k, v in rec["actor"].items() if v is not None}
        target = {k: v for k, v in rec["target"].items() if v is not None}
        rel = cypher.relation_record(actor["id"], rec["type"], target["id"], rec["props"])
        rows.append(_row(rel, actor, target))
    rows = _sorted_rows(rows, order)
    cited = {s for r in rows for s in r["sources"]}
    return entity, rows, cypher.source_records(store, cited)


def _who_cypher(
    store: CypherStore, node: str, as_of: str | None, filters: dict[str, Any]
) -> tuple[Record, list[Record], list[Record]]:
    entity = _node_ref_cypher(store, node)
    if entity["category"] == "actor":
        raise UsageError(f"{node} is an actor; `igfmap what {node}` lists what it engages on")
    query = "MATCH (n:Entity {id: $id}) "
    if entity["category"] == "objective":  # through what ADDRESSES it
        query += (
            "MATCH (t0:Entity)-[ad:ADDRESSES]->(n) "
            f"WHERE {cypher.valid_rel('ad', as_of)} AND {cypher.valid_node('t0', as_of)} "
            "WITH DISTINCT t0 "
        )
    else:
        query += "WITH n AS t0 "
    if filters["deep"]:
        query += (
            "MATCH (t:Entity)-[parts:PART_OF*0..]->(t0) "
            f"WHERE {cypher.valid_path_rels('parts', as_of)} "
            "WITH DISTINCT t "
        )
    else:
        query += "WITH t0 AS t "
    query += (
        f"MATCH (a:Entity)-[r:{cypher.types(filters['relations'])}]->(t) "
        f"WHERE {cypher.valid_rel('r', as_of)} AND {cypher.valid_node('a', as_of)}{_filter_clause(filters)}"
    )
    return _run_listing(store, entity, query, as_of, filters, ("actor", "relation", "target", "role"))


def _what_cypher(
    store: CypherStore, node: str, as_of: str | None, filters: dict[str, Any]
) -> tuple[Record, list[Record], list[Record]]:
    entity = _node_ref_cypher(store, node)
    if entity["category"] != "actor":
        raise UsageError(f"{node} is not an actor; `igfmap who {node}` lists who engages on it")
    query = "MATCH (n:Entity {id: $id}) "
    if filters["deep"]:
        query += (
            f"MATCH (a:Entity)-[parts:{cypher.types(STRUCTURAL_RELATIONS)}*0..]->(n) "
            f"WHERE {cypher.valid_path_rels('parts', as_of)} "
            "WITH DISTINCT a "
        )
    else:
        query += "WITH n AS a "
    query += (
        f"MATCH (a)-[r:{cypher.types(filters['relations'])}]->(t:Entity) "
        f"WHERE {cypher.valid_rel('r', as_of)} AND {cypher.valid_node('t', as_of)}{_filter_clause(filters)}"
    )
    return _run_listing(store, entity, query, as_of, filters, ("target", "relation", "actor", "role"))


_WHO = query_pair("who", networkx=_who_nx, cypher=_who_cypher)
_WHAT = query_pair("what", networkx=_what_nx, cypher=_what_cypher)
