"""stale-claim: engagements whose newest dated source is older than N months."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mapper.store_protocol import CypherStore
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
    date_of = ctx.source_field("date")
    out = []
    for u, v, attrs in ctx.engaging_edges:
        dates = _dates(attrs.get("sources"), date_of)
        if not dates or max(dates) >= cutoff:
            continue
        out.append(_finding(u, ctx.name(u), v, ctx.name(v), attrs, max(dates), ctx.params, reference))
    return out


def _dates(sources: Iterable[str] | None, date_of: Mapping[str, str]) -> list[str]:
    """The dates (ISO text) of the cited sources that have one."""
    return [d for s in sources or [] if (d := date_of.get(s))]


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


def find_cypher(store: CypherStore, params: GapParams) -> list[Finding]:
    """:func:`find_nx` with the sources' dates read once: Neo4j keeps the engagements that cite
    a source dated before the cutoff and none dated on or after it (sets passed as
    parameters); the newest date is then looked up in Python, as :func:`find_nx` does."""
    as_of = params.as_of
    reference = params.reference_date
    cutoff = months_before(reference, params.months)
    date_of = cypher.source_field(store, "date")
    # ISO dates compare as text, as in find_nx.
    older = [source for source, day in date_of.items() if day < cutoff]
    recent = [source for source, day in date_of.items() if day >= cutoff]
    rows = cypher.collected_rows(
        store,
        # Every engaging ENGAGES_IN is read: a scan of the type, not a walk from every entity.
        "MATCH (u:Entity)-[r:ENGAGES_IN]->(v:Entity) USING SCAN r:ENGAGES_IN "
        f"WHERE {cypher.engaging('r')} AND {cypher.valid_edge('u', 'r', 'v', as_of)} "
        "AND any(sid IN r.sources WHERE sid IN $older) AND none(sid IN r.sources WHERE sid IN $recent)",
        cypher.NAMED_RELATION_COLUMNS,
        cypher.params(as_of, older=older, recent=recent),
    )
    return [
        _finding(
            r["source"],
            r["source_name"],
            r["target"],
            r["target_name"],
            r,
            max(_dates(r["sources"], date_of)),
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
