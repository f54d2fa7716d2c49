"""uncovered-activity: activities and processes no ecosystem actor engages on."""

from __future__ import annotations

from typing import Any

from queries.common import cypher_pending, is_engaging, is_pending
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding

ID = "uncovered-activity"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each entity of category activity or process with no engaging (active or planned)
    ENGAGES_IN from an actor of the ecosystem. The explanation names who does engage, if anyone.
    """
    graph, root = ctx.graph, ctx.params.ecosystem
    out = []
    for node in sorted(graph):
        if ctx.category(node) not in ("activity", "process"):
            continue
        engaged = sorted(
            {u for u, _, a in graph.in_edges(node, data=True) if is_engaging(a) and ctx.category(u) == "actor"}
        )
        if set(engaged) & ctx.ecosystem_actors:
            continue
        others = f"; engaged only by {', '.join(engaged)}" if engaged else "; nobody is recorded as engaged"
        pending = sorted(
            {
                u
                for u, _, a in graph.in_edges(node, data=True)
                if a.get("type") == "ENGAGES_IN" and is_pending(a) and u in ctx.ecosystem_actors
            }
        )
        if pending:
            others += f" (proposed or requested for {', '.join(pending)})"
        kind = graph.nodes[node].get("type")
        out.append(
            finding(
                ID,
                [node],
                f"No {root}-ecosystem actor engages on the {kind} {ctx.label(node)}{others}",
                ctx.entity_sources(node),
            )
        )
    return out


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    # MATCH (x:Entity) WHERE x.category IN ['activity', 'process'] AND NOT EXISTS {
    #   MATCH (a:Entity)-[r:ENGAGES_IN]->(x) WHERE a.id IN $ecosystem_actors
    #   AND coalesce(r.status, 'active') IN ['active', 'planned'] }
    raise cypher_pending(ID)


RULE = Rule(
    id=ID,
    title="Activities and processes no ecosystem actor engages on",
    explanation=(
        "An activity or process (a GDC implementation track, a WSIS+20 step, a CSTD working "
        "group) on which no actor of the ecosystem (the IGF and its bodies, Dynamic Coalitions, "
        "NRIs and members, by default) engages with status active or planned. Either the "
        "ecosystem is absent from that piece of implementation work, or its presence is not "
        "recorded. Check with the bodies closest to the topic whether someone takes part; if so, "
        "add the ENGAGES_IN relation with its source; if not, this is a candidate for the MAG or "
        "an intersessional body to take up, or a deliberate choice to note."
    ),
    params=("ecosystem",),
    find_nx=find_nx,
    find_cypher=find_cypher,
)
