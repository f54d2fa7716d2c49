"""objective-coverage: objectives with fewer than N ecosystem actors engaged through activities."""

from __future__ import annotations

from typing import Any

from queries.common import cypher_pending, is_engaging
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding

ID = "objective-coverage"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each entity of category objective with fewer than ``min_actors`` distinct ecosystem
    actors engaged (active or planned) on the activities and processes that ADDRESS it.
    """
    graph, root, wanted = ctx.graph, ctx.params.ecosystem, ctx.params.min_actors
    out = []
    for node in sorted(graph):
        if ctx.category(node) != "objective":
            continue
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
            for actor, _, a in graph.in_edges(item, data=True):
                if is_engaging(a) and actor in ctx.ecosystem_actors:
                    actors.add(actor)
                    evidence += a.get("sources") or []
        if len(actors) >= wanted:
            continue
        who = f" ({', '.join(sorted(actors))})" if actors else ""
        plural = "" if len(actors) == 1 else "s"
        out.append(
            finding(
                ID,
                [node],
                f"{ctx.label(node)}: {len(actors)} {root}-ecosystem actor{plural}{who} engaged through "
                f"{len(addressing)} addressing activit{'y' if len(addressing) == 1 else 'ies'} "
                f"(at least {wanted} wanted)",
                evidence,
            )
        )
    return out


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    # MATCH (o:Entity {category: 'objective'})
    # OPTIONAL MATCH (a:Entity)-[r:ENGAGES_IN]->(x)-[:ADDRESSES]->(o)
    #   WHERE x.category IN ['activity', 'process'] AND a.id IN $ecosystem_actors AND <engaging>
    # WITH o, count(DISTINCT a) AS n WHERE n < $min_actors
    raise cypher_pending(ID)


RULE = Rule(
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
