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

from queries.asof import as_of_graph
from queries.common import Record, check_relation_types, cypher_pending, iso_date, node_ref, status_of


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
    store: Any,
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
    >>> r = path(store, "dccg", "odet")                       # doctest: +SKIP
    >>> r.length, route_text(r.paths[0])                      # doctest: +SKIP
    (2, 'dccg -ENGAGES_IN-> gdc-implementation <-ENGAGES_IN- odet')
    """
    from queries.lookup import resolve_id

    day = iso_date(as_of)
    a = resolve_id(store, source, day)
    b = resolve_id(store, target, day)
    checked = check_relation_types(store, relations)
    types = set(checked) if checked else None
    if store.kind == "neo4j":
        return _path_cypher(store, a, b, limit, day, types, directed)
    return _path_nx(store.graph, a, b, limit, day, types, directed)


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
            found.append({"nodes": nodes, "hops": [_hop(view, u, v, ok, directed) for u, v in pairwise(nodes)]})
            if len(found) >= limit:
                break
    return PathResult(node_ref(view, a), node_ref(view, b), found, as_of, directed)


def _hop(view: nx.MultiDiGraph, u: str, v: str, ok: Any, directed: bool) -> Record:
    rels = [attrs for attrs in (view.get_edge_data(u, v) or {}).values() if ok(attrs)]
    if not directed:
        rels += [attrs for attrs in (view.get_edge_data(v, u) or {}).values() if ok(attrs)]
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
    store: Any,
    a: str,
    b: str,
    limit: int,
    as_of: str | None,
    types: set[str] | None,
    directed: bool,
) -> PathResult:
    # MATCH p = allShortestPaths((a:Entity {id: $a})-[*]-(b:Entity {id: $b}))
    # RETURN p ORDER BY [n IN nodes(p) | n.id] LIMIT $limit
    raise cypher_pending("path")
