"""Shortest connections between two entities, with the relation types along the way.

By default relations are followed in either direction (a Dynamic Coalition and ODET are
connected when both engage on the same track, though both edges point at the track);
``directed=True`` follows them only from source to target. All shortest paths are returned in
lexicographic order of their node ids, up to ``limit``, so the output is deterministic and the
Cypher version (``allShortestPaths`` ordered by ``[n IN nodes(p) | n.id]``) agrees with it.
Each hop lists every relation joining its two entities (of the allowed types).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, ClassVar

import networkx as nx

from mapper.store_protocol import CypherStore, Store
from queries import cypher
from queries.asof import as_of_graph, entity_valid, relation_valid
from queries.common import Record, check_relation_types, iso_date, node_ref, status_of
from queries.dispatch import query_pair
from queries.lookup import resolve_id


@dataclass
class PathResult:
    """The shortest paths between two entities (``paths`` is empty when they are not connected)."""

    source: Record
    target: Record
    paths: list[Record]
    as_of: str | None = None
    directed: bool = False

    columns: ClassVar[list[str]] = ["path", "length", "route"]

    @property
    def length(self) -> int | None:
        return len(self.paths[0]["nodes"]) - 1 if self.paths else None

    def rows(self) -> list[Record]:
        return [
            {"path": i, "length": len(p["nodes"]) - 1, "route": route_text(p)}
            for i, p in enumerate(self.paths, 1)
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "as_of": self.as_of,
            "directed": self.directed,
            "length": self.length,
            "paths": self.paths,
        }


def route_text(path: Record) -> str:
    """``a -TYPE-> b <-TYPE- c``: a path in the docs' arrow notation."""
    parts = [path["nodes"][0]]
    for hop in path["hops"]:
        forward = sorted({r["type"] for r in hop["relations"] if r["source"] == hop["from"]})
        backward = sorted({r["type"] for r in hop["relations"] if r["source"] != hop["from"]})
        arrows = []
        if forward:
            arrows.append(f"-{'|'.join(forward)}->")
        if backward:
            arrows.append(f"<-{'|'.join(backward)}-")
        parts.append(" / ".join(arrows))
        parts.append(hop["to"])
    return " ".join(parts)


def path(
    store: Store,
    source: str,
    target: str,
    *,
    limit: int = 5,
    as_of: str | date | None = None,
    relations: Sequence[str] | None = None,
    directed: bool = False,
) -> PathResult:
    """All shortest paths from ``source`` to ``target``, up to ``limit``.

    Parameters
    ----------
    store : EmbeddedStore or Neo4jStore
    source, target : str
        Entity ids (or unique names/aliases); unknown ids raise :class:`NotFoundError`.
    limit : int
        At most this many paths (all of the same, shortest, length).
    as_of : str or date, optional
        Only entities and relations valid on that date.
    relations : list of str, optional
        Only follow these relation types (default: all).
    directed : bool
        Follow relations only in their direction.

    Examples
    --------
    >>> r = path(store, "dccg", "odet")
    >>> r.length, route_text(r.paths[0]).startswith("dccg -ENGAGES_IN-> dc-gdc-implementation")
    (3, True)
    """
    day = iso_date(as_of)
    a = resolve_id(store, source, day)
    b = resolve_id(store, target, day)
    checked = check_relation_types(store, relations)
    types = set(checked) if checked else None
    return _PATH(_reach(store, a, b, day, types, directed), a, b, limit, day, types, directed)


#: Above this many entities on one side's frontier, the whole graph is cheaper than lookups.
MAX_FRONTIER = 20_000


def _reach(store: Store, a: str, b: str, as_of: str | None, types: set[str] | None, directed: bool) -> Store:
    """A store holding every shortest path from ``a`` to ``b`` with each hop's relations: on an
    indexed store, read from the index by a breadth-first search from both ends at once, so a
    path on a large store does not build the whole graph; ``store`` itself when it answers
    queries directly (Neo4j, a store whose graph is loaded) or when the search grows too wide.

    Each side expands one whole level at a time and the search stops once the two sides meet:
    with radii ``ra`` and ``rb`` every shortest path is then at most ``ra + rb`` long, so each of
    its hops has an end within ``ra - 1`` of ``a`` or within ``rb - 1`` of ``b`` (both expanded),
    and the store returned holds all the relations of those entities.
    """
    wanted = sorted(types) if types is not None else None
    if not store.narrows:
        return store
    seen = {"a": {a: 0}, "b": {b: 0}}
    frontier = {"a": [a], "b": [b]}
    expanded: set[str] = set()
    while frontier["a"] and frontier["b"] and not seen["a"].keys() & seen["b"].keys():
        side = "a" if len(frontier["a"]) <= len(frontier["b"]) else "b"
        if len(frontier[side]) > MAX_FRONTIER:
            return store
        local = store.around(frontier[side], wanted).dataset
        expanded.update(frontier[side])
        level, nodes = seen[side], set(frontier[side])
        step = []
        for rel in local.relations.values():
            if not (relation_valid(rel, as_of) and (types is None or rel["type"] in types)):
                continue
            ends = [(rel["source"], rel["target"])]  # (from, to) in the direction this side walks
            if not directed:
                ends.append((rel["target"], rel["source"]))
            for here, there in ends if side == "a" else [(t, s) for s, t in ends]:
                entity = local.entities.get(there)
                if here in nodes and there not in level and entity and entity_valid(entity, as_of):
                    level[there] = level[here] + 1
                    step.append(there)
        frontier[side] = sorted(set(step))
    return store.around(sorted(expanded | {a, b}), wanted)


def _path_nx(
    graph: nx.MultiDiGraph,
    a: str,
    b: str,
    limit: int,
    as_of: str | None,
    types: set[str] | None,
    directed: bool,
) -> PathResult:
    view = as_of_graph(graph, as_of)

    def ok(attrs: dict[str, Any]) -> bool:
        return types is None or attrs.get("type") in types

    def forward(node: str) -> set[str]:
        out = {v for _, v, attrs in view.out_edges(node, data=True) if ok(attrs)}
        if not directed:
            out |= {u for u, _, attrs in view.in_edges(node, data=True) if ok(attrs)}
        return out

    def backward(node: str) -> set[str]:
        out = {u for u, _, attrs in view.in_edges(node, data=True) if ok(attrs)}
        if not directed:
            out |= {v for _, v, attrs in view.out_edges(node, data=True) if ok(attrs)}
        return out

    # Distances to b, walking edges backwards, so that the search from a only steps closer.
    dist = {b: 0}
    queue = deque([b])
    while queue and a not in dist:
        node = queue.popleft()
        for prev in backward(node):
            if prev not in dist:
                dist[prev] = dist[node] + 1
                queue.append(prev)

    def walk(node: str, trail: list[str]) -> Iterator[list[str]]:
        if node == b:
            yield trail
            return
        for nxt in sorted(forward(node)):
            if dist.get(nxt) == dist[node] - 1:
                yield from walk(nxt, [*trail, nxt])

    found: list[Record] = []
    if a in dist:
        for nodes in walk(a, [a]):
            found.append(
                {"nodes": nodes, "hops": [_hop(view, u, v, ok, directed) for u, v in pairwise(nodes)]}
            )
            if len(found) >= limit:
                break
    return PathResult(node_ref(view, a), node_ref(view, b), found, as_of, directed)


def _hop(view: nx.MultiDiGraph, u: str, v: str, ok: Any, directed: bool) -> Record:
    rels = [attrs for attrs in (view.get_edge_data(u, v) or {}).values() if ok(attrs)]
    if not directed:
        rels += [attrs for attrs in (view.get_edge_data(v, u) or {}).values() if ok(attrs)]
    return _hop_record(u, v, rels)


def _hop_record(u: str, v: str, rels: list[dict[str, Any]]) -> Record:
    """One hop of a path: every relation joining ``u`` and ``v`` (both backends)."""
    relations = sorted(
        (
            {
                "source": r["source"],
                "type": r["type"],
                "target": r["target"],
                "role": r.get("role") or "",
                "status": status_of(r),
                "sources": list(r.get("sources") or []),
            }
            for r in rels
        ),
        key=lambda r: (r["source"] != u, r["type"], r["role"]),
    )
    return {"from": u, "to": v, "relations": relations}


def _path_cypher(
    store: CypherStore,
    a: str,
    b: str,
    limit: int,
    as_of: str | None,
    types: set[str] | None,
    directed: bool,
) -> PathResult:
    names = sorted(types) if types is not None else sorted(store.schema().relation_types)
    pattern = cypher.types(names)
    ends = store.run(
        "MATCH (n:Entity) WHERE n.id IN [$a, $b] "
        "RETURN n.id AS id, coalesce(n.name, n.id) AS name, n.type AS type, n.category AS category",
        {"a": a, "b": b},
    )
    refs = {row["id"]: dict(row) for row in ends}
    arrow = "->" if directed else "-"
    if a == b:  # Neo4j's shortest path needs two different ends; the path is the node itself
        routes = [[a]]
    else:
        # allShortestPaths is Neo4j's breadth-first search; the as-of predicates are checked
        # while it expands. Paths through parallel relations repeat a node sequence: DISTINCT.
        # Ids are ASCII slugs, so Cypher's list order is Python's (re-sorted below anyway).
        found = store.run(
            "MATCH (a:Entity {id: $a}), (b:Entity {id: $b}) "
            f"MATCH p = allShortestPaths((a)-[:{pattern}*]{arrow}(b)) "
            f"WHERE all(x IN relationships(p) WHERE {cypher.valid_rel('x', as_of)}) "
            f"AND all(y IN nodes(p) WHERE {cypher.valid_node('y', as_of)}) "
            "WITH DISTINCT [n IN nodes(p) | n.id] AS ids "
            "RETURN ids ORDER BY ids LIMIT $limit",
            cypher.params(as_of, a=a, b=b, limit=max(limit, 1)),
        )
        routes = sorted(row["ids"] for row in found)
    pairs = sorted({(u, v) for route in routes for u, v in pairwise(route)})
    joined: dict[tuple[str, str], list[dict[str, Any]]] = {pair: [] for pair in pairs}
    if pairs:
        rows = store.run(
            "UNWIND $pairs AS pair "
            f"MATCH (u:Entity {{id: pair[0]}})-[r:{pattern}]{arrow}(v:Entity {{id: pair[1]}}) "
            f"WHERE {cypher.valid_rel('r', as_of)} "
            "RETURN pair[0] AS u, pair[1] AS v, startNode(r).id AS source, type(r) AS type, "
            "endNode(r).id AS target, properties(r) AS props",
            cypher.params(as_of, pairs=[list(p) for p in pairs]),
        )
        for row in rows:
            rel = cypher.relation_record(row["source"], row["type"], row["target"], row["props"])
            joined[(row["u"], row["v"])].append(rel)
    paths = [
        {"nodes": route, "hops": [_hop_record(u, v, joined[(u, v)]) for u, v in pairwise(route)]}
        for route in routes
    ]
    return PathResult(refs[a], refs[b], paths, as_of, directed)


_PATH = query_pair("path", networkx=_path_nx, cypher=_path_cypher)
