"""The ecosystem of a root entity: the root plus everything with a PART_OF/MEMBER_OF path to it.

The IGF ecosystem (root ``igf``) holds the IGF's bodies, Dynamic Coalitions, NRIs, policy
networks and BPFs, their members and their parts, however deep. The walk follows PART_OF and
MEMBER_OF edges backwards from the root, visits each entity once (so cycles in the data are
harmless) and skips edges whose status is ``proposed`` or ``requested``: a suggested
membership is not a membership. On an as-of view only the relations valid that day count.

The Cypher version (:func:`ecosystem_call`, used inside the gap rules, ``matrix`` and
``brokers`` queries) is one variable-length match; Neo4j never repeats a relationship within a
path, so cycles are harmless there too, and with ``DISTINCT`` members it runs as a pruning
breadth-first expand::

    MATCH (root:Entity {id: $root})
    MATCH (n:Entity)-[rels:PART_OF|MEMBER_OF*0..]->(root)
    WHERE all(x IN rels WHERE NOT coalesce(x.status, 'active') IN ['proposed', 'requested']
              AND <x and both its ends valid on $as_of>)
    RETURN collect(DISTINCT n)
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from mapper.store_protocol import CypherStore, Store
from queries import cypher
from queries.asof import as_of_graph
from queries.common import STRUCTURAL_RELATIONS, is_pending, iso_date, relations_in
from queries.dispatch import query_pair
from queries.lookup import resolve_id

DEFAULT_ROOT = "igf"


def ecosystem(store: Store, root: str = DEFAULT_ROOT, as_of: str | date | None = None) -> set[str]:
    """Ids of ``root`` and every entity with a PART_OF/MEMBER_OF path to it.

    Parameters
    ----------
    store : EmbeddedStore or Neo4jStore
    root : str
        The root entity id (resolved with "did you mean" when unknown).
    as_of : str or date, optional
        Only relations and entities valid on that date.

    Examples
    --------
    >>> "dccg" in ecosystem(store)
    True
    """
    day = iso_date(as_of)
    node = resolve_id(store, root, day)
    return _ECOSYSTEM(store, node, day)


def ecosystem_nx(graph: nx.MultiDiGraph, root: str) -> set[str]:
    """:func:`ecosystem` on a networkx graph (already restricted to the as-of date)."""
    if root not in graph:
        return set()
    members = {root}
    frontier = [root]
    while frontier:
        node = frontier.pop()
        for child, attrs in relations_in(graph, node):
            if child in members or attrs.get("type") not in STRUCTURAL_RELATIONS:
                continue
            if is_pending(attrs):
                continue
            members.add(child)
            frontier.append(child)
    return members


def actors_nx(graph: nx.MultiDiGraph, nodes: Any = None) -> set[str]:
    """The nodes (of ``nodes``, default all) whose category is ``actor``."""
    pool = graph.nodes if nodes is None else nodes
    return {n for n in pool if n in graph and graph.nodes[n].get("category") == "actor"}


# --- Cypher -----------------------------------------------------------------------------------


def ecosystem_call(as_of: str | None, name: str = "eco") -> str:
    """A ``CALL`` subquery binding ``name`` to the list of ecosystem nodes of ``$root``.

    The root counts only when it is valid on ``$as_of`` (as in :func:`ecosystem_nx`, which
    gets an as-of view); the list is empty when it is not.
    """
    walk = cypher.valid_path_rels("rels", as_of, f"NOT {cypher.pending('x')}")
    return (
        "CALL () { "
        "MATCH (root:Entity {id: $root}) "
        f"WHERE {cypher.valid_node('root', as_of)} "
        f"MATCH (member:Entity)-[rels:{cypher.types(STRUCTURAL_RELATIONS)}*0..]->(root) "
        f"WHERE {walk} "
        f"RETURN collect(DISTINCT member) AS {name} }} "
    )


def ecosystem_actor_ids(store: CypherStore, root: str, as_of: str | None) -> list[str]:
    """The ids of the ecosystem's actors, for a rule to pass as ``$eco`` and test ``a.id IN $eco``.

    A parameter list is one constant for the whole query, which Neo4j checks membership of
    through a set; testing ``a IN eco`` against the list bound by :func:`ecosystem_call` scans
    it for every row, and at 300,000 relations that made a rule take minutes.
    """
    rows = store.run(
        f"{ecosystem_call(as_of)} RETURN [m IN eco WHERE m.category = 'actor' | m.id] AS ids",
        cypher.params(as_of, root=root),
    )
    return sorted(rows[0]["ids"]) if rows else []


def ecosystem_cypher(store: CypherStore, root: str, as_of: str | None) -> set[str]:
    """:func:`ecosystem` inside Neo4j: the member ids."""
    rows = store.run(
        f"{ecosystem_call(as_of)} RETURN [m IN eco | m.id] AS ids",
        cypher.params(as_of, root=root),
    )
    return set(rows[0]["ids"]) if rows else set()


def _ecosystem_as_of_nx(graph: nx.MultiDiGraph, root: str, as_of: str | None) -> set[str]:
    return ecosystem_nx(as_of_graph(graph, as_of), root)


_ECOSYSTEM = query_pair("ecosystem", networkx=_ecosystem_as_of_nx, cypher=ecosystem_cypher)
