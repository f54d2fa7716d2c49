"""one-sided-activity: activities whose engaged actors span fewer than two stakeholder groups."""

from __future__ import annotations

from typing import Any

from queries.common import cypher_pending, is_engaging
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding

ID = "one-sided-activity"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each entity of category activity with at least one engaged actor (any actor, active or
    planned) whose engaged actors' ``stakeholder_group`` values number fewer than two.
    Actors without a stakeholder group add no group.
    """
    graph = ctx.graph
    out = []
    for node in sorted(graph):
        if ctx.category(node) != "activity":
            continue
        edges = [
            (u, a)
            for u, _, a in graph.in_edges(node, data=True)
            if is_engaging(a) and ctx.category(u) == "actor"
        ]
        if not edges:
            continue
        actors = sorted({u for u, _ in edges})
        groups = sorted({g for u in actors if (g := graph.nodes[u].get("stakeholder_group"))})
        if len(groups) >= 2:
            continue
        spread = f"only the {groups[0]} group" if groups else "no recorded stakeholder group"
        out.append(
            finding(
                ID,
                [node],
                f"{ctx.label(node)}: its engaged actors ({', '.join(actors)}) span {spread}",
                [s for _, a in edges for s in a.get("sources") or []],
            )
        )
    return out


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    # MATCH (a:Entity)-[r:ENGAGES_IN]->(x:Entity {category: 'activity'}) WHERE <engaging>
    # WITH x, collect(DISTINCT a.id) AS actors, collect(DISTINCT a.stakeholder_group) AS groups
    # WHERE size(groups) < 2
    raise cypher_pending(ID)


RULE = Rule(
    id=ID,
    title="Activities engaged on by a single stakeholder group",
    explanation=(
        "An activity whose engaged actors (active or planned, inside or outside the ecosystem) "
        "all come from one stakeholder group, or have none recorded: the work is not "
        "multistakeholder in practice. An actor recorded as multistakeholder (such as the IGF "
        "itself) counts as one group. Invite the missing groups (through the relevant Dynamic "
        "Coalition, NRI or policy network), or record the participants who already take part "
        "with their stakeholder group."
    ),
    params=(),
    find_nx=find_nx,
    find_cypher=find_cypher,
)
