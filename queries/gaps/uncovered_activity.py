"""uncovered-activity: activities and processes no ecosystem actor engages on."""

from __future__ import annotations

from mapper.store_protocol import CypherStore
from queries import cypher
from queries.common import is_pending, relations_in
from queries.ecosystem import ecosystem_actor_ids
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding, label

ID = "uncovered-activity"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each entity of category activity or process with no engaging (active or planned)
    ENGAGES_IN from an actor of the ecosystem. The explanation names who does engage, if anyone.
    """
    graph, root = ctx.graph, ctx.params.ecosystem
    out = []
    for node in ctx.of_categories("activity", "process"):
        engaged = sorted({u for u, _ in ctx.engaged_by.get(node, ()) if ctx.category(u) == "actor"})
        if set(engaged) & ctx.ecosystem_actors:
            continue
        pending = sorted(
            {
                u
                for u, a in relations_in(graph, node)
                if a.get("type") == "ENGAGES_IN" and is_pending(a) and u in ctx.ecosystem_actors
            }
        )
        attrs = ctx.nodes[node]
        out.append(
            _finding(
                node, ctx.name(node), attrs.get("type"), engaged, pending, ctx.entity_sources(node), root
            )
        )
    return out


def _finding(
    node: str,
    name: str,
    kind: str | None,
    engaged: list[str],
    pending: list[str],
    sources: list[str],
    root: str,
) -> Finding:
    others = f"; engaged only by {', '.join(engaged)}" if engaged else "; nobody is recorded as engaged"
    if pending:
        others += f" (proposed or requested for {', '.join(pending)})"
    return finding(
        ID,
        [node],
        f"No {root}-ecosystem actor engages on the {kind} {label(node, name)}{others}",
        sources,
    )


def find_cypher(store: CypherStore, params: GapParams) -> list[Finding]:
    """:func:`find_nx` in one Cypher query (the ecosystem walk included)."""
    as_of = params.as_of
    rows = cypher.collected_rows(
        store,
        "MATCH (x:Entity) "
        f"WHERE x.category IN ['activity', 'process'] AND {cypher.valid_node('x', as_of)} "
        "WITH x, COLLECT { MATCH (a:Entity)-[r:ENGAGES_IN]->(x) "
        f"WHERE a.category = 'actor' AND {cypher.engaging('r')} AND {cypher.valid_rel('r', as_of)} "
        f"AND {cypher.valid_node('a', as_of)} RETURN DISTINCT a }} AS engaged "
        "WHERE none(a IN engaged WHERE a.id IN $eco)",
        {
            "id": "x.id",
            "name": "x.name",
            "type": "x.type",
            "engaged": "[a IN engaged | a.id]",
            "pending": "COLLECT { MATCH (a:Entity)-[r:ENGAGES_IN]->(x) "
            f"WHERE a.id IN $eco AND {cypher.pending('r')} AND {cypher.valid_rel('r', as_of)} RETURN DISTINCT a.id }}",
            "sources": cypher.entity_sources("x"),
        },
        cypher.params(as_of, eco=ecosystem_actor_ids(store, params.ecosystem, as_of)),
    )
    return [
        _finding(
            r["id"],
            r["name"],
            r["type"],
            sorted(r["engaged"]),
            sorted(r["pending"]),
            r["sources"],
            params.ecosystem,
        )
        for r in rows
    ]


RULE = Rule(
    order=10,
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
