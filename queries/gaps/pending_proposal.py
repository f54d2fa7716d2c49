"""pending-proposal: relations still proposed or requested."""

from __future__ import annotations

from typing import Any

from queries.common import cypher_pending, is_pending, rel_label, status_of
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding

ID = "pending-proposal"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each relation of any type whose status is proposed or requested."""
    out = []
    for u, v, attrs in ctx.graph.edges(data=True):
        if not is_pending(attrs):
            continue
        what = "proposed, not agreed" if status_of(attrs) == "proposed" else "requested, not acted on"
        since = f" since {attrs['since']}" if attrs.get("since") else ""
        out.append(
            finding(
                ID,
                [u, v],
                f"{rel_label(attrs)} is {what}{since}",
                attrs.get("sources") or [],
                attrs,
            )
        )
    return out


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    # MATCH (a:Entity)-[r]->(b:Entity) WHERE r.status IN ['proposed', 'requested']
    raise cypher_pending(ID)


RULE = Rule(
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
