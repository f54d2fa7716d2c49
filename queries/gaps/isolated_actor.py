"""isolated-actor: ecosystem actors with no ENGAGES_IN or CONTRIBUTES_TO at all."""

from __future__ import annotations

from mapper.store_protocol import CypherStore
from queries import cypher
from queries.common import relations_out
from queries.ecosystem import ecosystem_call
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding, label

ID = "isolated-actor"
ACTIVITY_RELATIONS = ("ENGAGES_IN", "CONTRIBUTES_TO")


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each actor of the ecosystem, other than the root, with no outgoing ENGAGES_IN or
    CONTRIBUTES_TO relation (of any status) valid on the as-of date.
    """
    graph, root = ctx.graph, ctx.params.ecosystem
    out = []
    for node in sorted(ctx.ecosystem_actors - {root}):
        if any(a.get("type") in ACTIVITY_RELATIONS for _, a in relations_out(graph, node)):
            continue
        out.append(_finding(node, ctx.name(node), root, ctx.entity_sources(node)))
    return out


def _finding(node: str, name: str, root: str, sources: list[str]) -> Finding:
    return finding(
        ID,
        [node],
        f"{label(node, name)} is part of the {root} ecosystem but engages on and contributes to nothing recorded",
        sources,
    )


def find_cypher(store: CypherStore, params: GapParams) -> list[Finding]:
    """:func:`find_nx` in one Cypher query (the ecosystem walk, then ``NOT EXISTS``)."""
    as_of = params.as_of
    rows = cypher.collected_rows(
        store,
        ecosystem_call(as_of) + "UNWIND eco AS a WITH a "
        "WHERE a.category = 'actor' AND a.id <> $root "
        f"AND NOT EXISTS {{ MATCH (a)-[r:{cypher.types(ACTIVITY_RELATIONS)}]->(t:Entity) "
        f"WHERE {cypher.valid_rel('r', as_of)} AND {cypher.valid_node('t', as_of)} }}",
        {"id": "a.id", "name": "a.name", "sources": cypher.entity_sources("a")},
        cypher.params(as_of, root=params.ecosystem),
    )
    return [_finding(r["id"], r["name"], params.ecosystem, r["sources"]) for r in rows]


RULE = Rule(
    order=60,
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
