"""stale-claim: engagements whose newest dated source is older than N months."""

from __future__ import annotations

from typing import Any

from queries.common import cypher_pending, is_engaging
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding, months_before

ID = "stale-claim"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each engaging ENGAGES_IN whose newest dated source is dated before ``months`` months
    before the as-of date (today when none). Sources without a date are ignored; a relation
    with no dated source gives no finding.
    """
    reference = ctx.params.reference_date
    cutoff = months_before(reference, ctx.params.months)
    out = []
    for u, v, attrs in ctx.graph.edges(data=True):
        if not is_engaging(attrs):
            continue
        sources = list(attrs.get("sources") or [])
        dates = [str(d) for s in sources if (d := ctx.sources.get(s, {}).get("date"))]
        if not dates or max(dates) >= cutoff:
            continue
        out.append(
            finding(
                ID,
                [u, v],
                f"{ctx.label(u)} engages on {ctx.label(v)}: the newest source is from {max(dates)}, "
                f"more than {ctx.params.months} months before {reference}",
                sources,
                attrs,
            )
        )
    return out


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    # MATCH (a)-[r:ENGAGES_IN]->(x) WHERE <engaging>
    # WITH r, [s IN $dated_sources WHERE s.id IN r.sources | s.date] AS dates
    # WHERE size(dates) > 0 AND reduce(m = '', d IN dates | CASE WHEN d > m THEN d ELSE m END) < $cutoff
    raise cypher_pending(ID)


RULE = Rule(
    id=ID,
    title="Engagements whose evidence is old",
    explanation=(
        "An engagement (active or planned) whose newest dated source is more than --months "
        "(default 24) months older than the as-of date, or today: the claim may no longer hold. "
        "Activities in this field change fast (OSET became ODET; working groups conclude). "
        "Check that the engagement continues and cite a recent source, or set its status to "
        "concluded with an until date."
    ),
    params=("months",),
    find_nx=find_nx,
    find_cypher=find_cypher,
)
