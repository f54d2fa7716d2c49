"""Finding entities: ``resolve_id`` (with "did you mean"), ``search``, ``show`` and ``stats``.

Every public function takes a store first; each query is a registered pair
(:mod:`queries.dispatch`): the networkx version runs on the store's graph, the Cypher version
(Neo4j store) sits beside it. ``show`` and
resolving an id read only the entity's neighbourhood (``store.around``), ``search`` only the
entities that can match (``store.entities_matching``): on an embedded store with an index, that skips building
the whole graph.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

import networkx as nx

from mapper.dataset import relation_key
from mapper.errors import NotFoundError
from mapper.graph_names import PROVENANCE
from mapper.store_protocol import CypherStore, Store
from queries import cypher
from queries.asof import as_of_graph, entity_valid
from queries.common import (
    Record,
    entity_record,
    iso_date,
    source_records,
    status_of,
)
from queries.dispatch import query_pair

# --- resolve_id -------------------------------------------------------------------------------


def resolve_id(store: Store, text: str, as_of: str | date | None = None) -> str:
    """The id of the entity ``text`` names, or :class:`NotFoundError` with suggestions.

    ``text`` is an id, or a name or alias that names exactly one entity (case-insensitive).
    With ``as_of``, the entity must be valid on that date; when it is not, the error says
    when it was valid and what succeeded it.

    Examples
    --------
    >>> resolve_id(store, "oset")
    'oset'
    >>> resolve_id(store, "OSET", as_of="2024-10-31")   # a name or alias works too
    'oset'
    >>> resolve_id(store, "osett")
    Traceback (most recent call last):
    mapper.errors.NotFoundError: no entity with id 'osett'; did you mean oset (Office of the Secretary-General's Envoy on Technology), odet (Office for Digital and Emerging Technologies)?
    """
    day = iso_date(as_of)
    # An id is decided from its neighbourhood (its SUCCEEDED_BY edges explain an invalid date);
    # a name, an alias or a "did you mean" needs every entity.
    if not store.narrows:
        return _RESOLVE(store, text, day)
    try:
        return _RESOLVE(store.around([text], ["SUCCEEDED_BY"]), text, day)
    except NotFoundError:
        pass
    return _RESOLVE(store, text, day)


def resolve_in_graph(graph: nx.MultiDiGraph, text: str, as_of: str | None = None) -> str:
    """:func:`resolve_id` on a networkx graph (a snapshot an export already holds)."""
    return _resolve_nx(graph, text, as_of)


def _resolve_nx(graph: nx.MultiDiGraph, text: str, as_of: str | None) -> str:
    if text in graph:
        _check_valid(graph, text, as_of)
        return text
    wanted = text.strip().casefold()
    hits: list[str] = sorted(
        node
        for node, attrs in graph.nodes(data=True)
        if wanted in {k.casefold() for k in _names(node, attrs)}
    )
    if len(hits) == 1:
        _check_valid(graph, hits[0], as_of)
        return hits[0]
    if len(hits) > 1:
        raise NotFoundError(
            f"{text!r} names {len(hits)} entities; use an id: "
            + ", ".join(f"{h} ({graph.nodes[h].get('name', h)})" for h in hits[:8])
        )
    names = {n: graph.nodes[n].get("name", n) for n in graph}
    suggestions = suggest(text, ((n, _names(n, a)) for n, a in graph.nodes(data=True)))
    hint = (
        "; did you mean " + ", ".join(f"{s} ({names[s]})" for s in suggestions) + "?"
        if suggestions
        else "; try `igfmap search TEXT`"
    )
    raise NotFoundError(f"no entity with id {text!r}{hint}")


def _check_valid(graph: nx.MultiDiGraph, node: str, as_of: str | None) -> None:
    attrs = graph.nodes[node]
    if entity_valid(attrs, as_of):
        return
    successors = [v for _, v, a in graph.out_edges(node, data=True) if a.get("type") == "SUCCEEDED_BY"]
    predecessors = [u for u, _, a in graph.in_edges(node, data=True) if a.get("type") == "SUCCEEDED_BY"]
    raise _not_valid(node, attrs, as_of, successors, predecessors)


def _not_valid(
    node: str, attrs: dict[str, Any], as_of: str | None, successors: list[str], predecessors: list[str]
) -> NotFoundError:
    """The error for an entity that is not valid on ``as_of`` (both backends)."""
    span = f"{attrs.get('valid_from', '…')} to {attrs.get('valid_to', '…')}"
    successors = sorted(successors)
    predecessors = sorted(predecessors)
    extra = ""
    if successors:
        extra += f"; succeeded by {', '.join(successors)}"
    if predecessors:
        extra += f"; preceded by {', '.join(predecessors)}"
    return NotFoundError(f"{node} is not valid on {as_of} (valid {span}){extra}")


def _resolve_cypher(store: CypherStore, text: str, as_of: str | None) -> str:
    if store.run("MATCH (n:Entity {id: $text}) RETURN n.id AS id", {"text": text}):
        _check_valid_cypher(store, text, as_of)
        return text
    wanted = text.strip().casefold()
    # Python's casefold() and Cypher's toLower() agree on ASCII text. Entities whose id, name
    # or aliases are all ASCII are decided in Cypher; the few with non-ASCII text come along
    # as candidates and casefold() decides, so both backends find exactly the same entities.
    candidates = store.run(
        "MATCH (n:Entity) "
        "WHERE any(k IN [n.id, n.name] + coalesce(n.aliases, []) WHERE toLower(k) = $wanted OR k =~ $non_ascii) "
        "RETURN n.id AS id, n.name AS name, n.aliases AS aliases",
        {"wanted": wanted, "non_ascii": cypher.NON_ASCII},
    )
    named = {c["id"]: c for c in candidates if wanted in {k.casefold() for k in _names(c["id"], c)}}
    hits: list[str] = sorted(named)
    if len(hits) == 1:
        _check_valid_cypher(store, hits[0], as_of)
        return hits[0]
    if len(hits) > 1:
        raise NotFoundError(
            f"{text!r} names {len(hits)} entities; use an id: "
            + ", ".join(f"{h} ({named[h].get('name') or h})" for h in hits[:8])
        )
    # "Did you mean": difflib similarity has no Cypher equivalent, so the name index (ids,
    # names, aliases; no relations) is fetched, only on this error path.
    index = store.run("MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.aliases AS aliases")
    names = {r["id"]: r.get("name") or r["id"] for r in index}
    suggestions = suggest(text, ((r["id"], _names(r["id"], r)) for r in index))
    hint = (
        "; did you mean " + ", ".join(f"{s} ({names[s]})" for s in suggestions) + "?"
        if suggestions
        else "; try `igfmap search TEXT`"
    )
    raise NotFoundError(f"no entity with id {text!r}{hint}")


_RESOLVE = query_pair("resolve", networkx=_resolve_nx, cypher=_resolve_cypher)


def _check_valid_cypher(store: CypherStore, node: str, as_of: str | None) -> None:
    if as_of is None:
        return
    row = store.run(
        "MATCH (n:Entity {id: $id}) "
        f"RETURN {cypher.valid_node('n', as_of)} AS valid, n.valid_from AS valid_from, n.valid_to AS valid_to, "
        "COLLECT { MATCH (n)-[:SUCCEEDED_BY]->(s:Entity) RETURN s.id } AS successors, "
        "COLLECT { MATCH (p:Entity)-[:SUCCEEDED_BY]->(n) RETURN p.id } AS predecessors",
        cypher.params(as_of, id=node),
    )[0]
    if row["valid"]:
        return
    attrs = {k: row[k] for k in ("valid_from", "valid_to") if row[k] is not None}
    raise _not_valid(node, attrs, as_of, row["successors"], row["predecessors"])


def _names(node: str, attrs: dict[str, Any]) -> list[str]:
    return [node, attrs.get("name") or node, *(attrs.get("aliases") or [])]


def suggest(text: str, candidates: Any, n: int = 5) -> list[str]:
    """Ids whose id, name or alias is close to ``text`` (difflib), best first.

    ``candidates`` yields ``(id, [id, name, alias, ...])``. Substring matches of ``text`` in a
    name come first, then close matches by similarity ratio.

    >>> suggest("osset", [("oset", ["oset", "OSET"]), ("igf", ["igf"])])
    ['oset']
    """
    wanted = text.strip().casefold()
    by_key: dict[str, set[str]] = {}
    for ident, names in candidates:
        for name in names:
            if name:
                by_key.setdefault(str(name).casefold(), set()).add(ident)
    scored: dict[str, float] = {}
    for key, idents in by_key.items():
        ratio = difflib.SequenceMatcher(None, wanted, key).ratio()
        if len(wanted) >= 3 and (wanted in key or key in wanted):
            ratio = max(ratio, 0.9)
        if ratio >= 0.6:
            for ident in idents:
                scored[ident] = max(scored.get(ident, 0.0), ratio)
    return [i for i, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))][:n]


# --- search -----------------------------------------------------------------------------------


@dataclass
class SearchResult:
    """Entities whose id, name or an alias matches a text."""

    query: str
    as_of: str | None
    matches: list[Record]

    columns: ClassVar[list[str]] = ["id", "type", "name", "matched_on", "aliases"]

    def rows(self) -> list[Record]:
        return self.matches

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "as_of": self.as_of, "matches": self.matches}


def search(
    store: Store, text: str, as_of: str | date | None = None, limit: int | None = None
) -> SearchResult:
    """Entities matching ``text`` (case-insensitive) on id, name or aliases.

    Exact matches come first, then prefix matches, then substring matches; ties by id.
    Each match says which field matched (``matched_on``: id, name or alias).

    Examples
    --------
    >>> "oset" in [m["id"] for m in search(store, "envoy on technology").matches]
    True
    """
    day = iso_date(as_of)
    # Only the entities that can match are read (no relation): the ranking is the query's own.
    matches = _SEARCH(store.entities_matching(text.strip()), text, day)
    return SearchResult(text, day, matches[:limit] if limit else matches)


def _search_nx(graph: nx.MultiDiGraph, text: str, as_of: str | None) -> list[Record]:
    wanted = text.strip().casefold()
    return _ranked(_match(node, attrs, wanted) for node, attrs in as_of_graph(graph, as_of).nodes(data=True))


def _match(node: str, attrs: dict[str, Any], wanted: str) -> tuple[int, str, Record] | None:
    """``(rank, id, match record)`` when ``wanted`` matches the entity, else None."""
    best: tuple[int, str] | None = None
    fields = [("id", node), ("name", attrs.get("name") or "")]
    fields += [("alias", a) for a in attrs.get("aliases") or []]
    for field_name, value in fields:
        key = str(value).casefold()
        rank = 0 if key == wanted else 1 if key.startswith(wanted) else 2 if wanted in key else None
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, field_name)
    if not best:
        return None
    return (
        best[0],
        node,
        {
            "id": node,
            "type": attrs.get("type"),
            "category": attrs.get("category"),
            "name": attrs.get("name", node),
            "aliases": list(attrs.get("aliases") or []),
            "matched_on": best[1],
        },
    )


def _ranked(found: Any) -> list[Record]:
    """Match records best first: exact, prefix, substring; ties by id."""
    return [record for _, _, record in sorted((f for f in found if f), key=lambda t: (t[0], t[1]))]


def _search_cypher(store: CypherStore, text: str, as_of: str | None) -> list[Record]:
    wanted = text.strip().casefold()
    # Cypher narrows to the entities whose id, name or an alias contains the text (toLower, exact
    # for ASCII; entities with non-ASCII text come along); _match ranks them as the nx version does.
    rows = store.run(
        "MATCH (n:Entity) "
        f"WHERE {cypher.valid_node('n', as_of)} "
        "AND any(k IN [n.id, n.name] + coalesce(n.aliases, []) WHERE toLower(k) CONTAINS $wanted OR k =~ $non_ascii) "
        "RETURN n.id AS id, n {.name, .type, .category, .aliases} AS attrs",
        cypher.params(as_of, wanted=wanted, non_ascii=cypher.NON_ASCII),
    )
    return _ranked(
        _match(r["id"], {k: v for k, v in r["attrs"].items() if v is not None}, wanted) for r in rows
    )


# --- show -------------------------------------------------------------------------------------


_SEARCH = query_pair("search", networkx=_search_nx, cypher=_search_cypher)


@dataclass
class ShowResult:
    """One entity with its relations both ways and every source they cite."""

    entity: Record
    outgoing: list[Record]
    incoming: list[Record]
    sources: list[Record]
    as_of: str | None = None

    columns: ClassVar[list[str]] = ["field", "value"]

    def rows(self) -> list[Record]:
        out: list[Record] = [{"field": k, "value": v} for k, v in self.entity.items()]
        for rel in self.outgoing:
            out.append(
                {"field": f"-> {rel['type']}", "value": _rel_cell(rel, rel["target"], rel.get("target_name"))}
            )
        for rel in self.incoming:
            out.append(
                {"field": f"<- {rel['type']}", "value": _rel_cell(rel, rel["source"], rel.get("source_name"))}
            )
        for src in self.sources:
            bits = [src.get("kind"), src.get("title"), src.get("date"), src.get("locator"), src.get("url")]
            out.append({"field": f"source {src['id']}", "value": "; ".join(str(b) for b in bits if b)})
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "entity": self.entity,
            "outgoing": self.outgoing,
            "incoming": self.incoming,
            "sources": self.sources,
        }


def _rel_cell(rel: Record, other: str, other_name: str | None) -> str:
    extras = ", ".join(x for x in (rel.get("role"), rel.get("status")) if x)
    dates = ""
    if rel.get("since") or rel.get("until"):
        dates = f" {rel.get('since', '')}..{rel.get('until', '')}"
    name = f" ({other_name})" if other_name and other_name != other else ""
    return f"{other}{name} [{extras}]{dates} sources: {', '.join(rel.get('sources', []))}"


def show(store: Store, entity_id: str, as_of: str | date | None = None) -> ShowResult:
    """The entity ``entity_id``, its outgoing and incoming relations, and their sources.

    Raises :class:`NotFoundError` (with "did you mean") for an unknown id.

    Examples
    --------
    >>> r = show(store, "dccg")
    >>> {"wsis20-letter", "dc-gdc-implementation"} <= {x["target"] for x in r.outgoing}
    True
    """
    day = iso_date(as_of)
    node = resolve_id(store, entity_id, day)
    return _SHOW(store.around([node]), node, day)  # its relations and their other ends only


def _show_nx(graph: nx.MultiDiGraph, node: str, as_of: str | None) -> ShowResult:
    view = as_of_graph(graph, as_of)
    attrs = view.nodes[node]
    entity = {**entity_record(attrs, node), "category": attrs.get("category")}

    def named(rel: dict[str, Any], end: str) -> Record:
        return {**rel, f"{end}_name": view.nodes[rel[end]].get("name", rel[end])}

    outgoing = sorted((named(dict(a), "target") for _, _, a in view.out_edges(node, data=True)), key=_order)
    incoming = sorted((named(dict(a), "source") for _, _, a in view.in_edges(node, data=True)), key=_order)
    cited = set(entity.get("sources", []))
    for rel in outgoing + incoming:
        cited.update(rel.get("sources", []))
    return ShowResult(entity, outgoing, incoming, source_records(graph, cited), as_of)


def _order(rel: Record) -> tuple[str, ...]:
    return (rel["type"], *relation_key(rel))


def _show_cypher(store: CypherStore, node: str, as_of: str | None) -> ShowResult:
    row = store.run(
        "MATCH (n:Entity {id: $id}) "
        f"RETURN {cypher.entity_map('n')} AS n, "
        "COLLECT { MATCH (n)-[r]->(m:Entity) "
        f"WHERE {cypher.not_provenance('r')} AND {cypher.valid_rel('r', as_of)} AND {cypher.valid_node('m', as_of)} "
        "RETURN {type: type(r), other: m.id, name: m.name, props: properties(r)} } AS outgoing, "
        "COLLECT { MATCH (m:Entity)-[r]->(n) "
        f"WHERE {cypher.not_provenance('r')} AND {cypher.valid_rel('r', as_of)} AND {cypher.valid_node('m', as_of)} "
        "RETURN {type: type(r), other: m.id, name: m.name, props: properties(r)} } AS incoming",
        cypher.params(as_of, id=node),
    )[0]
    attrs = cypher.entity_attrs(row["n"])
    entity = {**entity_record(attrs, node), "category": attrs.get("category")}
    outgoing = sorted(
        (
            {
                **cypher.relation_record(node, r["type"], r["other"], r["props"]),
                "target_name": r["name"] or r["other"],
            }
            for r in row["outgoing"]
        ),
        key=_order,
    )
    incoming = sorted(
        (
            {
                **cypher.relation_record(r["other"], r["type"], node, r["props"]),
                "source_name": r["name"] or r["other"],
            }
            for r in row["incoming"]
        ),
        key=_order,
    )
    cited = set(entity.get("sources", []))
    for rel in outgoing + incoming:
        cited.update(rel.get("sources", []))
    return ShowResult(entity, outgoing, incoming, cypher.source_records(store, cited), as_of)


# --- stats ------------------------------------------------------------------------------------


_SHOW = query_pair("show", networkx=_show_nx, cypher=_show_cypher)


@dataclass
class StatsResult:
    """Counts by entity type, category, relation type, relation status and source kind."""

    as_of: str | None
    totals: dict[str, int]
    entity_types: dict[str, int]
    categories: dict[str, int]
    relation_types: dict[str, int]
    statuses: dict[str, int]
    source_kinds: dict[str, int] = field(default_factory=dict)

    columns: ClassVar[list[str]] = ["group", "name", "count"]

    def rows(self) -> list[Record]:
        out = [{"group": "total", "name": k, "count": v} for k, v in self.totals.items()]
        for group, counts in (
            ("category", self.categories),
            ("entity_type", self.entity_types),
            ("relation_type", self.relation_types),
            ("status", self.statuses),
            ("source_kind", self.source_kinds),
        ):
            out += [{"group": group, "name": k, "count": v} for k, v in counts.items()]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "totals": self.totals,
            "categories": self.categories,
            "entity_types": self.entity_types,
            "relation_types": self.relation_types,
            "statuses": self.statuses,
            "source_kinds": self.source_kinds,
        }


def stats(store: Store, as_of: str | date | None = None) -> StatsResult:
    """How many entities of each type, relations of each type and status, sources of each kind.

    Examples
    --------
    >>> sorted(stats(store).totals)
    ['entities', 'relations', 'sources']
    """
    day = iso_date(as_of)
    return _STATS(store, day)


#: What ``stats`` counts a missing type or kind as (only hand-written Cypher can leave one out).
UNKNOWN = "(unknown)"


def _counts(values: Any, times: Any = None) -> dict[str, int]:
    """How often each value occurs (``times[i]`` times each, when given), sorted by value."""
    counter: Counter[str] = Counter()
    for value, n in zip(values, times, strict=True) if times is not None else ((v, 1) for v in values):
        counter[UNKNOWN if value is None else value] += n
    return {k: counter[k] for k in sorted(counter)}


def _stats_nx(graph: nx.MultiDiGraph, as_of: str | None) -> StatsResult:
    view = as_of_graph(graph, as_of)
    sources = graph.graph.get("sources", {})
    if as_of is not None:  # only the sources that what is valid cites
        cited: set[str] = set()
        for _, attrs in view.nodes(data=True):
            cited.update(attrs.get("sources") or [])
        for _, _, attrs in view.edges(data=True):
            cited.update(attrs.get("sources") or [])
        sources = {k: v for k, v in sources.items() if k in cited}
    return StatsResult(
        as_of=as_of,
        totals={
            "entities": view.number_of_nodes(),
            "relations": view.number_of_edges(),
            "sources": len(sources),
        },
        entity_types=_counts(a.get("type") for _, a in view.nodes(data=True)),
        categories=_counts(a.get("category") for _, a in view.nodes(data=True)),
        relation_types=_counts(a.get("type") for _, _, a in view.edges(data=True)),
        statuses=_counts(status_of(a) for _, _, a in view.edges(data=True)),
        source_kinds=_counts(s.get("kind") for s in sources.values()),
    )


def _stats_cypher(store: CypherStore, as_of: str | None) -> StatsResult:
    if as_of is None:
        cited_sources = "MATCH (s:Source) RETURN s"
    else:  # only the sources that what is valid cites
        cited_sources = (
            f"MATCH (n:Entity)-[:{PROVENANCE}]->(s:Source) WHERE {cypher.valid_node('n', as_of)} RETURN s "
            "UNION "
            f"MATCH (a:Entity)-[r]->(b:Entity) WHERE {cypher.not_provenance('r')} AND {cypher.valid_edge('a', 'r', 'b', as_of)} "
            "UNWIND r.sources AS sid MATCH (s:Source {id: sid}) RETURN s"
        )
    row = store.run(
        "CALL () { MATCH (n:Entity) "
        f"WHERE {cypher.valid_node('n', as_of)} "
        "WITH n.type AS type, n.category AS category, count(*) AS count "
        "RETURN collect({type: type, category: category, count: count}) AS entities } "
        "CALL () { MATCH (a:Entity)-[r]->(b:Entity) "
        f"WHERE {cypher.not_provenance('r')} AND {cypher.valid_edge('a', 'r', 'b', as_of)} "
        f"WITH type(r) AS type, {cypher.status('r')} AS status, count(*) AS count "
        "RETURN collect({type: type, status: status, count: count}) AS relations } "
        f"CALL () {{ CALL () {{ {cited_sources} }} "
        "WITH s.kind AS kind, count(DISTINCT s) AS count "
        "RETURN collect({kind: kind, count: count}) AS sources } "
        "RETURN entities, relations, sources",
        cypher.params(as_of),
    )[0]

    def tally(groups: list[Record], key: str) -> dict[str, int]:
        return _counts([g[key] for g in groups], [g["count"] for g in groups])

    return StatsResult(
        as_of=as_of,
        totals={
            "entities": sum(g["count"] for g in row["entities"]),
            "relations": sum(g["count"] for g in row["relations"]),
            "sources": sum(g["count"] for g in row["sources"]),
        },
        entity_types=tally(row["entities"], "type"),
        categories=tally(row["entities"], "category"),
        relation_types=tally(row["relations"], "type"),
        statuses=tally(row["relations"], "status"),
        source_kinds=tally(row["sources"], "kind"),
    )


_STATS = query_pair("stats", networkx=_stats_nx, cypher=_stats_cypher)
