"""no-feedback: input sent (CONTRIBUTES_TO) with no RESPONDS_TO back to the contributor."""

from __future__ import annotations

from typing import Any

from queries.common import cypher_pending, status_of
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding

ID = "no-feedback"
INPUT_STATUSES = ("active", "concluded")


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each CONTRIBUTES_TO ``A -> X`` with status active or concluded for which there is no
    RESPONDS_TO ``X -> A`` (any status) valid on the as-of date.
    """
    graph = ctx.graph
    out = []
    for u, v, attrs in graph.edges(data=True):
        if attrs.get("type") != "CONTRIBUTES_TO" or status_of(attrs) not in INPUT_STATUSES:
            continue
        answered = any(a.get("type") == "RESPONDS_TO" for a in (graph.get_edge_data(v, u) or {}).values())
        if answered:
            continue
        out.append(
            finding(
                ID,
                [u, v],
                f"{ctx.label(u)} sent input to {ctx.label(v)} ({status_of(attrs)}); no response "
                f"back to {u} is recorded",
                attrs.get("sources") or [],
                attrs,
            )
        )
    return out


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    # MATCH (a:Entity)-[r:CONTRIBUTES_TO]->(x:Entity)
    # WHERE coalesce(r.status, 'active') IN ['active', 'concluded'] AND NOT (x)-[:RESPONDS_TO]->(a)
    raise cypher_pending(ID)


RULE = Rule(
    id=ID,
    title="Input sent with no feedback",
    explanation=(
        "An actor contributed input (CONTRIBUTES_TO, active or concluded) to a document, process "
        "or activity, and nothing records a response from it back to the contributor "
        "(RESPONDS_TO). This is the \"black box\" the MAG working group described for Dynamic "
        "Coalitions' input to the GDC. Ask the receiving process or its secretariat how the "
        "input was used; record the answer as RESPONDS_TO with its source, or raise the missing "
        "feedback loop where the process is reviewed."
    ),
    params=(),
    find_nx=find_nx,
    find_cypher=find_cypher,
)
