"""stale-claim: engagements whose newest dated source is older than N months."""

from __future__ import annotations

from typing import Any

from queries import cypher
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding, label, months_before

ID = "stale-claim"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each engaging ENGAGES_IN whose newest dated source is dated before ``months`` months
    before the as-of date (today when none). Sources without a date are ignored; a relation
    with no dated source gives no finding.
    """
    reference = ctx.params.reference_date
    cutoff = months_before(reference, ctx.params.months)
    out = []
    for u, v, attrs in ctx.engaging_edges:
        sources = list(attrs.get("sources") or [])
        dates = [str(d) for s in sources if (d := ctx.sources.get(s, {}).get("date"))]
        if not dates or max(dates) >= cutoff:
            continue
        out.append(_finding(u, ctx.name(u), v, ctx.name(v), attrs, max(dates), ctx.params, reference))
    return out


def _finding(
    u: str,
    u_name: str,
    v: str,
    v_name: str,
    rel: dict[str, Any],
    newest: str,
    params: GapParams,
    reference: str,
) -> Finding:
    return finding(
        ID,
        [u, v],
        f"{label(u, u_name)} engages on {label(v, v_name)}: the newest source is from {newest}, "
        f"more than {params.months} months before {reference}",
        list(rel.get("sources") or []),
        rel,
    )


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    """:func:`find_nx` in one Cypher query: the newest source date is a ``max`` over Source nodes."""
    as_of = params.as_of
    reference = params.reference_date
    rows = store.run(
        "MATCH (u:Entity)-[r:ENGAGES_IN]->(v:Entity) "
        f"WHERE {cypher.engaging('r')} AND {cypher.valid_edge('u', 'r', 'v', as_of)} "
        "CALL (r) { UNWIND coalesce(r.sources, []) AS sid MATCH (s:Source {id: sid}) "
        "WHERE s.date IS NOT NULL RETURN max(s.date) AS newest } "
        "WITH u, r, v, newest WHERE newest < date($cutoff) "
        "RETURN u.id AS u, u.name AS u_name, v.id AS v, v.name AS v_name, type(r) AS type, "
        "properties(r) AS props, newest",
        cypher.params(as_of, cutoff=months_before(reference, params.months)),
    )
    return [
        _finding(
            r["u"],
            r["u_name"],
            r["v"],
            r["v_name"],
            cypher.relation_record(r["u"], r["type"], r["v"], r["props"]),
            r["newest"],
            params,
            reference,
        )
        for r in rows
    ]


RULE = Rule(
    order=80,
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
