"""pending-proposal: relations still proposed or requested."""

from __future__ import annotations

from typing import Any

from mapper.store_protocol import CypherStore
from queries import cypher
from queries.common import is_pending, rel_label, status_of
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding

ID = "pending-proposal"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each relation of any type whose status is proposed or requested."""
    out = []
    for u, v, attrs in ctx.edges:
        if not is_pending(attrs):
            continue
        out.append(_finding(u, v, attrs))
    return out


def _finding(u: str, v: str, rel: dict[str, Any]) -> Finding:
    what = "proposed, not agreed" if status_of(rel) == "proposed" else "requested, not acted on"
    since = f" since {rel['since']}" if rel.get("since") else ""
    return finding(ID, [u, v], f"{rel_label(rel)} is {what}{since}", rel.get("sources") or [], rel)


def find_cypher(store: CypherStore, params: GapParams) -> list[Finding]:
    """:func:`find_nx` in one Cypher query over relationships of every type."""
    as_of = params.as_of
    rows = cypher.collected_rows(
        store,
        "MATCH (u:Entity)-[r]->(v:Entity) "
        f"WHERE {cypher.not_provenance('r')} AND {cypher.pending('r')} AND {cypher.valid_edge('u', 'r', 'v', as_of)}",
        {**cypher.RELATION_COLUMNS, "since": "toString(r.since)"},
        cypher.params(as_of),
    )
    return [_finding(r["source"], r["target"], r) for r in rows]


RULE = Rule(
    order=50,
    id=ID,
    title="Proposals and requests nobody has acted on",
    explanation=(
        "A relation with status proposed (someone suggested it, e.g. that the IGF host the "
        "global dialogue on AI governance) or requested (someone asked for it, e.g. that the "
        "Dynamic Coalitions Coordination Group see the WSIS+20 letter before it is sent), but "
        "not agreed or done. Follow it up with whoever can decide; when it is agreed or "
        "refused, update the status (active, planned or concluded) or remove the relation, "
        "citing the source that settled it."
    ),
    params=(),
    find_nx=find_nx,
    find_cypher=find_cypher,
)
