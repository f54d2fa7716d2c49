"""unreflected-engagement: ecosystem engagements that the IGF's own mapping does not record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mapper.store_protocol import CypherStore
from queries import cypher
from queries.common import status_of
from queries.ecosystem import ecosystem_call
from queries.gaps.base import Finding, GapContext, GapParams, Rule, finding, label

ID = "unreflected-engagement"
MAPPING_KIND = "igf_mapping"


def find_nx(ctx: GapContext) -> list[Finding]:
    """Each engaging ENGAGES_IN from an ecosystem actor none of whose sources has kind
    ``igf_mapping``. The explanation names the kinds of source that do record it.
    """
    kind_of = ctx.source_field("kind")
    out = []
    for u, v, attrs in ctx.engaging_edges:
        if u not in ctx.ecosystem_actors:
            continue
        kinds = _kinds(attrs.get("sources"), kind_of)
        if MAPPING_KIND in kinds:
            continue
        out.append(_finding(u, ctx.name(u), v, ctx.name(v), attrs, kinds))
    return out


def _kinds(sources: Iterable[str] | None, kind_of: Mapping[str, str]) -> list[str]:
    """The kinds of the cited sources, sorted; ``unknown`` for one without a kind or not on record."""
    return sorted({kind_of.get(s) or "unknown" for s in sources or []})


def _finding(u: str, u_name: str, v: str, v_name: str, rel: dict[str, Any], kinds: list[str]) -> Finding:
    role = f" as {rel['role']}" if rel.get("role") else ""
    return finding(
        ID,
        [u, v],
        f"{label(u, u_name)} engages on {label(v, v_name)}{role} ({status_of(rel)}) but no "
        f"{MAPPING_KIND} source records it (sources: {', '.join(kinds) or 'none'})",
        list(rel.get("sources") or []),
        rel,
    )


def find_cypher(store: CypherStore, params: GapParams) -> list[Finding]:
    """:func:`find_nx` with the sources' kinds read once: Neo4j walks the ecosystem, follows
    its actors' engaging ENGAGES_IN and keeps those citing no ``igf_mapping`` source (a set
    passed as a parameter); the kinds for the explanation are looked up in Python."""
    as_of = params.as_of
    kind_of = cypher.source_field(store, "kind")
    rows = cypher.collected_rows(
        store,
        # From the ecosystem's actors (each once: the walk's members are distinct), rather
        # than testing the start of every ENGAGES_IN for membership.
        f"{ecosystem_call(as_of)} UNWIND eco AS u WITH u WHERE u.category = 'actor' "
        "MATCH (u)-[r:ENGAGES_IN]->(v:Entity) "
        f"WHERE {cypher.engaging('r')} AND {cypher.valid_edge('u', 'r', 'v', as_of)} "
        "AND none(sid IN coalesce(r.sources, []) WHERE sid IN $mapping)",
        cypher.NAMED_RELATION_COLUMNS,
        cypher.params(
            as_of,
            root=params.ecosystem,
            mapping=[source for source, source_kind in kind_of.items() if source_kind == MAPPING_KIND],
        ),
    )
    return [
        _finding(
            r["source"],
            r["source_name"],
            r["target"],
            r["target_name"],
            r,
            _kinds(r["sources"], kind_of),
        )
        for r in rows
    ]


RULE = Rule(
    order=20,
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
