"""objective-coverage: objectives with fewer than N ecosystem actors engaged through activities."""

from __future__ import annotations

from typing import Any

from queries import cypher
from queries.ecosystem import ecosystem_actor_ids
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding, label

ID = "objective-coverage"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each entity of category objective with fewer than ``min_actors`` distinct ecosystem
    actors engaged (active or planned) on the activities and processes that ADDRESS it.
    """
    graph, root, wanted = ctx.graph, ctx.params.ecosystem, ctx.params.min_actors
    # item -> its ecosystem actors and their sources: an item may serve many objectives.
    reach: dict[str, tuple[set[str], list[str]]] = {}
    for item, engagements in ctx.engaged_by.items():
        mine = [(actor, a) for actor, a in engagements if actor in ctx.ecosystem_actors]
        reach[item] = ({actor for actor, _ in mine}, [s for _, a in mine for s in a.get("sources") or []])
    out = []
    for node in ctx.of_categories("objective"):
        addressing = sorted(
            {
                u
                for u, _, a in graph.in_edges(node, data=True)
                if a.get("type") == "ADDRESSES" and ctx.category(u) in ("activity", "process")
            }
        )
        actors: set[str] = set()
        evidence = list(ctx.entity_sources(node))
        for item in addressing:
            item_actors, item_sources = reach.get(item, (set(), []))
            actors |= item_actors
            evidence += item_sources
        if len(actors) >= wanted:
            continue
        out.append(_finding(node, ctx.name(node), sorted(actors), len(addressing), evidence, root, wanted))
    return out


def _finding(
    node: str, name: str, actors: list[str], addressing: int, evidence: list[str], root: str, wanted: int
) -> Finding:
    who = f" ({', '.join(actors)})" if actors else ""
    plural = "" if len(actors) == 1 else "s"
    return finding(
        ID,
        [node],
        f"{label(node, name)}: {len(actors)} {root}-ecosystem actor{plural}{who} engaged through "
        f"{addressing} addressing activit{'y' if addressing == 1 else 'ies'} "
        f"(at least {wanted} wanted)",
        evidence,
    )


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    """:func:`find_nx` in two Cypher queries joined here: each objective with the activities and
    processes that address it, then each such item with its ecosystem actors. An item serves
    many objectives; asking who engages on it once per objective (and concatenating their
    sources in a ``reduce``, quadratic in Cypher) took minutes at 300,000 relations."""
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
    reach = {
        row["item"]: (set(row["actors"]), [s for sources in row["sources"] for s in sources or []])
        for row in engaged
    }
    out = []
    for row in objectives:
        actors: set[str] = set()
        evidence = list(row["sources"])
        for item in row["items"]:
            item_actors, item_sources = reach.get(item, (set(), []))
            actors |= item_actors
            evidence += item_sources
        if len(actors) >= params.min_actors:
            continue
        out.append(
            _finding(
                row["id"],
                row["name"],
                sorted(actors),
                len(row["items"]),
                evidence,
                params.ecosystem,
                params.min_actors,
            )
        )
    return out


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
