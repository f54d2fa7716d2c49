"""unreflected-engagement: ecosystem engagements that the IGF's own mapping does not record."""

from __future__ import annotations

from typing import Any

from queries.common import cypher_pending, is_engaging, status_of
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding

ID = "unreflected-engagement"
MAPPING_KIND = "igf_mapping"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each engaging ENGAGES_IN from an ecosystem actor none of whose sources has kind
    ``igf_mapping``. The explanation names the kinds of source that do record it.
    """
    out = []
    for u, v, attrs in ctx.graph.edges(data=True):
        if not is_engaging(attrs) or u not in ctx.ecosystem_actors:
            continue
        sources = list(attrs.get("sources") or [])
        kinds = sorted({ctx.sources.get(s, {}).get("kind") or "unknown" for s in sources})
        if MAPPING_KIND in kinds:
            continue
        role = f" as {attrs['role']}" if attrs.get("role") else ""
        out.append(
            finding(
                ID,
                [u, v],
                f"{ctx.label(u)} engages on {ctx.label(v)}{role} ({status_of(attrs)}) but no "
                f"{MAPPING_KIND} source records it (sources: {', '.join(kinds) or 'none'})",
                sources,
                attrs,
            )
        )
    return out


def find_cypher(store: Any, params: GapParams) -> list[Finding]:
    # MATCH (a:Entity)-[r:ENGAGES_IN]->(x) WHERE a.id IN $ecosystem_actors AND <engaging>
    #   AND NOT any(s IN r.sources WHERE s IN $igf_mapping_source_ids)
    raise cypher_pending(ID)


RULE = Rule(
    id=ID,
    title="Ecosystem engagements missing from the IGF's own mapping",
    explanation=(
        "An actor of the ecosystem engages (active or planned) on an activity, process or event, "
        "but none of the sources for that engagement is the IGF's own mapping (source kind "
        "igf_mapping): the IGF's self-mapping of its engagement on implementation work does not "
        "reflect it. The MAG working group named this risk for Dynamic Coalitions taking part "
        "in GDC implementation. Confirm the engagement with the body concerned and add it to "
        "the IGF mapping exercise (then cite that mapping as a source here), or correct the "
        "relation if it no longer holds."
    ),
    params=("ecosystem",),
    find_nx=find_nx,
    find_cypher=find_cypher,
)
