"""objective-coverage: objectives with fewer than N ecosystem actors engaged through activities."""

from __future__ import annotations

from collections.abc import Iterable

from mapper.store_protocol import CypherStore
from queries import cypher
from queries.common import relations_in
from queries.ecosystem import ecosystem_actor_ids
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding, label

ID = "objective-coverage"


#: An objective as both backends read it: id, name, the ids of the valid activities and
#: processes that ADDRESS it, and its own sources.
Objective = tuple[str, str | None, list[str], list[str]]
#: For each addressing item, its ecosystem actors and the sources of their engagements.
Reach = dict[str, tuple[set[str], list[str]]]
_NOBODY: tuple[set[str], list[str]] = (set(), [])


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each entity of category objective with fewer than ``min_actors`` distinct ecosystem
    actors engaged (active or planned) on the activities and processes that ADDRESS it.
    """
    graph = ctx.graph
    reach: Reach = {}
    for item, engagements in ctx.engaged_by.items():
        mine = [(actor, a) for actor, a in engagements if actor in ctx.ecosystem_actors]
        reach[item] = ({actor for actor, _ in mine}, [s for _, a in mine for s in a.get("sources") or []])
    objectives = (
        (
            node,
            ctx.name(node),
            sorted(
                {
                    u
                    for u, a in relations_in(graph, node)
                    if a.get("type") == "ADDRESSES" and ctx.category(u) in ("activity", "process")
                }
            ),
            ctx.entity_sources(node),
        )
        for node in ctx.of_categories("objective")
    )
    return _findings(objectives, reach, ctx.params)


def _findings(objectives: Iterable[Objective], reach: Reach, params: GapParams) -> list[Finding]:
    """The objectives with too few actors (both backends). Who engages on an item is looked up
    once in ``reach``, not once per objective the item serves."""
    root, wanted = params.ecosystem, params.min_actors
    out = []
    for node, name, items, sources in objectives:
        actors: set[str] = set()
        for item in items:
            actors |= reach.get(item, _NOBODY)[0]
        if len(actors) >= wanted:
            continue
        evidence = [*sources, *(s for item in items for s in reach.get(item, _NOBODY)[1])]
        who = f" ({', '.join(sorted(actors))})" if actors else ""
        plural = "" if len(actors) == 1 else "s"
        addressing = len(items)
        out.append(
            finding(
                ID,
                [node],
                f"{label(node, name)}: {len(actors)} {root}-ecosystem actor{plural}{who} engaged through "
                f"{addressing} addressing activit{'y' if addressing == 1 else 'ies'} "
                f"(at least {wanted} wanted)",
                evidence,
            )
        )
    return out


def find_cypher(store: CypherStore, params: GapParams) -> list[Finding]:
    """:func:`find_nx` in two Cypher queries joined by :func:`_findings`: each objective with
    the activities and processes that address it, then each such item with its ecosystem
    actors. Asking who engages on an item once per objective it serves (and concatenating
    their sources in a ``reduce``, quadratic in Cypher) took minutes at 300,000 relations."""
    as_of = params.as_of
    item_filter = (
        f"x.category IN ['activity', 'process'] AND {cypher.valid_rel('ad', as_of)} "
        f"AND {cypher.valid_node('x', as_of)}"
    )
    objectives = store.run(
        "MATCH (o:Entity) "
        f"WHERE o.category = 'objective' AND {cypher.valid_node('o', as_of)} "
        f"CALL (o) {{ MATCH (x:Entity)-[ad:ADDRESSES]->(o) WHERE {item_filter} "
        "RETURN collect(DISTINCT x.id) AS items } "
        f"RETURN o.id AS id, o.name AS name, items, {cypher.entity_sources('o')} AS sources",
        cypher.params(as_of),
    )
    engaged = store.run(
        "MATCH (x:Entity)-[ad:ADDRESSES]->(o:Entity) "
        f"WHERE o.category = 'objective' AND {cypher.valid_node('o', as_of)} AND {item_filter} "
        "WITH DISTINCT x "
        "MATCH (a:Entity)-[r:ENGAGES_IN]->(x) "
        f"WHERE a.id IN $eco AND {cypher.engaging('r')} AND {cypher.valid_rel('r', as_of)} "
        "RETURN x.id AS item, collect(DISTINCT a.id) AS actors, collect(r.sources) AS sources",
        cypher.params(as_of, eco=ecosystem_actor_ids(store, params.ecosystem, as_of)),
    )
    reach: Reach = {
        row["item"]: (set(row["actors"]), [s for sources in row["sources"] for s in sources or []])
        for row in engaged
    }
    return _findings(((r["id"], r["name"], r["items"], r["sources"]) for r in objectives), reach, params)


RULE = Rule(
    order=70,
    id=ID,
    title="Objectives few ecosystem actors work toward",
    explanation=(
        "A GDC objective or commitment (paragraph) toward which fewer than --min-actors "
        "(default 2) distinct ecosystem actors engage, counting engagement (active or planned) "
        "on the activities and processes that ADDRESS it. Either the ecosystem contributes "
        "little to that objective, or the activities that serve it are not linked to it. Link "
        "activities to the objectives they serve (ADDRESSES), and bring the objective to the "
        "bodies whose topics match it when the gap is real."
    ),
    params=("ecosystem", "min_actors"),
    find_nx=find_nx,
    find_cypher=find_cypher,
)
