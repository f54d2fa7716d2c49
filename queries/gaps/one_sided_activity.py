"""one-sided-activity: activities whose engaged actors span fewer than two stakeholder groups."""

from __future__ import annotations

from mapper.store_protocol import CypherStore
from queries import cypher
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding, label

ID = "one-sided-activity"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each entity of category activity with at least one engaged actor (any actor, active or
    planned) whose engaged actors' ``stakeholder_group`` values number fewer than two.
    Actors without a stakeholder group add no group.
    """
    out = []
    for node in ctx.of_categories("activity"):
        edges = [(u, a) for u, a in ctx.engaged_by.get(node, ()) if ctx.category(u) == "actor"]
        if not edges:
            continue
        actors = sorted({u for u, _ in edges})
        groups = sorted({g for u in actors if (g := ctx.nodes[u].get("stakeholder_group"))})
        if len(groups) >= 2:
            continue
        sources = [s for _, a in edges for s in a.get("sources") or []]
        out.append(_finding(node, ctx.name(node), actors, groups, sources))
    return out


def _finding(node: str, name: str, actors: list[str], groups: list[str], sources: list[str]) -> Finding:
    spread = f"only the {groups[0]} group" if groups else "no recorded stakeholder group"
    return finding(
        ID, [node], f"{label(node, name)}: its engaged actors ({', '.join(actors)}) span {spread}", sources
    )


def find_cypher(store: CypherStore, params: GapParams) -> list[Finding]:
    """:func:`find_nx` in one Cypher query, grouped per activity."""
    as_of = params.as_of
    rows = cypher.collected_rows(
        store,
        "MATCH (a:Entity)-[r:ENGAGES_IN]->(x:Entity) "
        f"WHERE x.category = 'activity' AND a.category = 'actor' AND {cypher.engaging('r')} "
        f"AND {cypher.valid_edge('a', 'r', 'x', as_of)} "
        "WITH x, collect(DISTINCT a.id) AS actors, collect(DISTINCT a.stakeholder_group) AS groups, "
        "reduce(acc = [], s IN collect(r.sources) | acc + coalesce(s, [])) AS sources "
        "WHERE size(groups) < 2",
        {"id": "x.id", "name": "x.name", "actors": "actors", "groups": "groups", "sources": "sources"},
        cypher.params(as_of),
    )
    return [
        _finding(r["id"], r["name"], sorted(r["actors"]), sorted(r["groups"]), r["sources"]) for r in rows
    ]


RULE = Rule(
    order=30,
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
