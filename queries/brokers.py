"""Brokers: the actors that bridge the most, by betweenness centrality on the actor projection.

The actor projection is an undirected simple graph whose nodes are the actors (entities of
category ``actor``) valid on the as-of date. Two actors are joined when

* a relation joins them directly (MEMBER_OF, PART_OF, COORDINATES_WITH, REPORTS_TO,
  RESPONDS_TO, or any other actor-to-actor type), or
* both ENGAGE_IN, CONTRIBUTE_TO or CONVENE the same non-actor entity (activity, process,
  event or document): they meet there.

Relations with status ``proposed`` or ``requested`` do not join anyone (they are not agreed).
Betweenness is networkx's normalised ``betweenness_centrality`` (unweighted): the share of
shortest actor-to-actor routes that pass through an actor. It is exact while the work
(actors x links) stays under :data:`EXACT_BUDGET`; on bigger projections it is estimated from
``k`` pivot actors chosen with a fixed seed (deterministic), and the result says so
(``projection.sample`` is ``k``, ``null`` when exact). Actors with betweenness 0 are not
brokers and are left out. Ties are broken by id.

On the Neo4j store Cypher selects the actors and the relations out of them, and networkx
computes the betweenness (client-side by necessity; see :func:`_brokers_cypher`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any, ClassVar

import networkx as nx

from mapper.store_protocol import CypherStore, Store
from queries import cypher
from queries.asof import as_of_graph
from queries.common import ENGAGEMENT_RELATIONS, Record, is_pending, iso_date
from queries.dispatch import query_pair
from queries.ecosystem import ecosystem_cypher, ecosystem_nx
from queries.lookup import resolve_id

#: Above this many (actors x links) the betweenness is estimated from pivots.
EXACT_BUDGET = 5_000_000
MIN_PIVOTS = 32


@dataclass
class BrokersResult:
    """The top actors by betweenness on the actor projection."""

    brokers: list[Record]
    actors: int
    links: int
    as_of: str | None = None
    top: int = 10
    sample: int | None = None

    columns: ClassVar[list[str]] = ["rank", "id", "name", "type", "betweenness", "degree", "meeting_points"]

    def rows(self) -> list[Record]:
        return self.brokers

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "top": self.top,
            "projection": {"actors": self.actors, "links": self.links, "sample": self.sample},
            "brokers": self.brokers,
        }


def brokers(
    store: Store,
    top: int = 10,
    *,
    as_of: str | date | None = None,
    ecosystem: str | None = None,
) -> BrokersResult:
    """The ``top`` actors by betweenness centrality on the actor projection.

    Parameters
    ----------
    store : EmbeddedStore or Neo4jStore
    top : int
        How many brokers to return.
    as_of : str or date, optional
        Only entities and relations valid on that date.
    ecosystem : str, optional
        Rank only the actors of this root's ecosystem (the projection still holds all actors).

    Returns
    -------
    BrokersResult
        Each broker: rank, id, name, type, betweenness (rounded to 6 places), degree
        (neighbours in the projection) and meeting_points (non-actor entities it shares with
        another actor).

    Examples
    --------
    >>> len(brokers(store, top=3).brokers)
    3
    """
    day = iso_date(as_of)
    root = None
    if ecosystem:
        root = resolve_id(store, ecosystem, day)
    return _BROKERS(store, top, day, root)


def actor_projection(graph: nx.MultiDiGraph) -> tuple[nx.Graph, dict[str, set[str]]]:
    """The actor projection of ``graph`` and, per actor, the entities where it meets others."""
    actors = {n for n, a in graph.nodes(data=True) if a.get("category") == "actor"}
    projection = nx.Graph()
    projection.add_nodes_from(sorted(actors))
    at: dict[str, set[str]] = defaultdict(set)  # non-actor entity -> actors there
    for u, v, attrs in graph.edges(data=True):
        if is_pending(attrs) or u not in actors:
            continue
        if v in actors:
            if u != v:
                projection.add_edge(u, v)
        elif attrs.get("type") in ENGAGEMENT_RELATIONS:
            at[v].add(u)
    meeting: dict[str, set[str]] = defaultdict(set)
    for place in sorted(at):
        present = sorted(at[place])
        if len(present) < 2:
            continue
        for x in present:
            meeting[x].add(place)
        projection.add_edges_from(combinations(present, 2))
    return projection, meeting


def _brokers_nx(graph: nx.MultiDiGraph, top: int, as_of: str | None, root: str | None) -> BrokersResult:
    view = as_of_graph(graph, as_of)
    allowed = None
    if root is not None:
        allowed = ecosystem_nx(view, root)
    return _rank(view, top, as_of, allowed)


def _rank(view: nx.MultiDiGraph, top: int, as_of: str | None, allowed: set[str] | None) -> BrokersResult:
    """Betweenness on the actor projection of ``view``, ranked (both backends)."""
    projection, meeting = actor_projection(view)
    sample = pivots(projection.number_of_nodes(), projection.number_of_edges())
    scores = nx.betweenness_centrality(projection, k=sample, normalized=True, seed=0)
    ranked = sorted(
        (n for n, s in scores.items() if s > 0 and (allowed is None or n in allowed)),
        key=lambda n: (-round(scores[n], 12), n),
    )[: max(top, 0)]
    out = [
        {
            "rank": i,
            "id": n,
            "name": view.nodes[n].get("name", n),
            "type": view.nodes[n].get("type"),
            "betweenness": round(scores[n], 6),
            "degree": projection.degree(n),
            "meeting_points": len(meeting.get(n, ())),
        }
        for i, n in enumerate(ranked, 1)
    ]
    return BrokersResult(out, projection.number_of_nodes(), projection.number_of_edges(), as_of, top, sample)


def pivots(actors: int, links: int, budget: int | None = None) -> int | None:
    """How many pivots to estimate betweenness from (None: compute it exactly).

    >>> pivots(200, 1000), pivots(5000, 234_000)
    (None, 32)
    """
    budget = EXACT_BUDGET if budget is None else budget
    if actors * max(links, 1) <= budget:
        return None
    return min(actors, max(MIN_PIVOTS, budget // max(links, 1)))


def _brokers_cypher(store: CypherStore, top: int, as_of: str | None, root: str | None) -> BrokersResult:
    """Client-side work, by necessity: Neo4j Community has no betweenness centrality (that is
    the Graph Data Science plugin, not installed with the server) and Brandes' algorithm is
    not expressible in plain Cypher at any sensible cost. Cypher selects only what the actor
    projection is made of: the actors valid on the date and the relations out of them (with
    their status and the category of their target); networkx ranks that small graph exactly as
    the embedded store does. The relations are fed to networkx in the embedded graph's order
    (:func:`mapper.dataset.to_graph`: by source, type, target, role), so the projection and
    therefore every floating-point sum of the betweenness are the same on both backends.
    """
    actors = store.run(
        "MATCH (a:Entity) "
        f"WHERE a.category = 'actor' AND {cypher.valid_node('a', as_of)} "
        "RETURN a.id AS id, a.name AS name, a.type AS type",
        cypher.params(as_of),
    )
    edges = store.run(
        "MATCH (a:Entity)-[r]->(t:Entity) "
        f"WHERE a.category = 'actor' AND {cypher.not_provenance('r')} AND {cypher.valid_edge('a', 'r', 't', as_of)} "
        "RETURN a.id AS source, type(r) AS type, t.id AS target, coalesce(r.role, '') AS role, r.status AS status, "
        "t.category AS category",
        cypher.params(as_of),
    )
    view = nx.MultiDiGraph()
    nodes = {a["id"]: {"name": a["name"], "type": a["type"], "category": "actor"} for a in actors}
    for e in edges:
        nodes.setdefault(e["target"], {"category": e["category"]})
    view.add_nodes_from((n, {k: v for k, v in nodes[n].items() if v is not None}) for n in sorted(nodes))
    for e in sorted(edges, key=lambda e: (e["source"], e["type"], e["target"], e["role"])):
        attrs = {"type": e["type"], **({"status": e["status"]} if e["status"] else {})}
        view.add_edge(
            e["source"], e["target"], key="|".join((e["source"], e["type"], e["target"], e["role"])), **attrs
        )
    allowed = None
    if root is not None:
        allowed = ecosystem_cypher(store, root, as_of)
    return _rank(view, top, as_of, allowed)


_BROKERS = query_pair("brokers", networkx=_brokers_nx, cypher=_brokers_cypher)
