"""isolated-actor: ecosystem actors with no ENGAGES_IN or CONTRIBUTES_TO at all."""

from __future__ import annotations

from typing import Any

from queries.common import cypher_pending
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding

ID = "isolated-actor"
ACTIVITY_RELATIONS = ("ENGAGES_IN", "CONTRIBUTES_TO")


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each actor of the ecosystem, other than the root, with no outgoing ENGAGES_IN or
    CONTRIBUTES_TO relation (of any status) valid on the as-of date.
    """
    graph, root = ctx.graph, ctx.params.ecosystem
    out = []
    for node in sorted(ctx.ecosystem_actors - {root}):
        if any(a.get("type") in ACTIVITY_RELATIONS for _, _, a in graph.out_edges(node, data=True)):
            continue
        out.append(
            finding(
                ID,
                [node],
                f"{ctx.label(node)} is part of the {root} ecosystem but engages on and contributes "
                "to nothing recorded",
                ctx.entity_sources(node),
            )
        )
    return out


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    # MATCH (a:Entity {category: 'actor'}) WHERE a.id IN $ecosystem AND a.id <> $root
    #   AND NOT (a)-[:ENGAGES_IN|CONTRIBUTES_TO]->()
    raise cypher_pending(ID)


RULE = Rule(
    id=ID,
    title="Ecosystem actors with no recorded engagement",
    explanation=(
        "A body of the ecosystem (a Dynamic Coalition, NRI, policy network, BPF or member) with "
        "no ENGAGES_IN or CONTRIBUTES_TO relation of any status: the map knows it exists but "
        "not what it works on. Often this means its work has not been collected yet. Ask the "
        "body (for Dynamic Coalitions, through the DCCG) which implementation activities it "
        "takes part in, and add them with sources; if it is dormant, record an end date."
    ),
    params=("ecosystem",),
    find_nx=find_nx,
    find_cypher=find_cypher,
)
