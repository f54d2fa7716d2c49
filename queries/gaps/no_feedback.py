"""no-feedback: input sent (CONTRIBUTES_TO) with no RESPONDS_TO back to the contributor."""

from __future__ import annotations

from typing import Any

from mapper.store_protocol import CypherStore
from queries import cypher
from queries.common import status_of
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding, label

ID = "no-feedback"
INPUT_STATUSES = ("active", "concluded")


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each CONTRIBUTES_TO ``A -> X`` with status active or concluded for which there is no
    RESPONDS_TO ``X -> A`` (any status) valid on the as-of date.
    """
    graph = ctx.graph
    out = []
    for u, v, attrs in ctx.edges_of("CONTRIBUTES_TO"):
        if status_of(attrs) not in INPUT_STATUSES:
            continue
        answered = any(a.get("type") == "RESPONDS_TO" for a in (graph.get_edge_data(v, u) or {}).values())
        if answered:
            continue
        out.append(_finding(u, ctx.name(u), v, ctx.name(v), attrs))
    return out


def _finding(u: str, u_name: str, v: str, v_name: str, rel: dict[str, Any]) -> Finding:
    return finding(
        ID,
        [u, v],
        f"{label(u, u_name)} sent input to {label(v, v_name)} ({status_of(rel)}); no response "
        f"back to {u} is recorded",
        rel.get("sources") or [],
        rel,
    )


def find_cypher(store: CypherStore, params: GapParams) -> list[Finding]:
    """:func:`find_nx` in one Cypher query (the missing answer is a ``NOT EXISTS`` subquery)."""
    as_of = params.as_of
    rows = cypher.collected_rows(
        store,
        "MATCH (u:Entity)-[r:CONTRIBUTES_TO]->(v:Entity) "
        f"WHERE {cypher.status('r')} IN $statuses AND {cypher.valid_edge('u', 'r', 'v', as_of)} "
        f"AND NOT EXISTS {{ MATCH (v)-[b:RESPONDS_TO]->(u) WHERE {cypher.valid_rel('b', as_of)} }}",
        cypher.NAMED_RELATION_COLUMNS,
        cypher.params(as_of, statuses=list(INPUT_STATUSES)),
    )
    return [_finding(r["source"], r["source_name"], r["target"], r["target_name"], r) for r in rows]


RULE = Rule(
    order=40,
    id=ID,
    title="Input sent with no feedback",
    explanation=(
        "An actor contributed input (CONTRIBUTES_TO, active or concluded) to a document, process "
        "or activity, and nothing records a response from it back to the contributor "
        '(RESPONDS_TO). This is the "black box" the MAG working group described for Dynamic '
        "Coalitions' input to the GDC. Ask the receiving process or its secretariat how the "
        "input was used; record the answer as RESPONDS_TO with its source, or raise the missing "
        "feedback loop where the process is reviewed."
    ),
    params=(),
    find_nx=find_nx,
    find_cypher=find_cypher,
)
