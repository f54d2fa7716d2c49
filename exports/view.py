"""What a map or an export shows: a store's graph narrowed by date, focus, type and objective,
and the gap findings (:class:`queries.gaps.Finding`) about it.

Every export takes a :class:`~mapper.store_protocol.Store` and reads one snapshot of it
(:func:`graph_of`), so the graph drawn and the gap findings outlined come from the same data.
:func:`select` applies the options the ``map`` and ``export`` commands share, in this order:
``as_of`` (only what is valid that day), ``focus``/``depth`` (the neighbourhood of one
entity), ``objective`` (an objective, what addresses or aligns with it, and the actors engaged
on that), then ``types`` (keep only entities of these types or categories).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import networkx as nx

from exports.engagement import engagement_view
from mapper.errors import NotFoundError, UsageError, did_you_mean
from mapper.store_protocol import Store
from queries.asof import as_of_graph
from queries.gaps import Finding, run_gaps
from queries.lookup import resolve_in_graph
from queries.roots import default_root, rules_without_root

#: The most entities a map draws: above it, the best-connected ones plus the focus (see
#: :func:`busiest`). 2,000 nodes draw and settle in Chromium in a few seconds.
MAX_NODES = 2000


def graph_of(store: Store) -> nx.MultiDiGraph:
    """The whole graph of one consistent read of ``store`` (see :meth:`Store.snapshot`)."""
    return store.snapshot().graph


def subgraph(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """A new graph with ``nodes`` and the edges among them, sharing ``graph.graph``."""
    keep = set(nodes)
    view = nx.MultiDiGraph()
    view.graph = graph.graph
    view.add_nodes_from((n, a) for n, a in graph.nodes(data=True) if n in keep)
    view.add_edges_from(
        (u, v, k, a) for u, v, k, a in graph.edges(keys=True, data=True) if u in keep and v in keep
    )
    return view


def resolve(graph: nx.MultiDiGraph, text: str, option: str) -> str:
    """The id ``text`` names (id, name or alias), or :class:`NotFoundError` with suggestions."""
    try:
        return resolve_in_graph(graph, text)
    except NotFoundError as err:
        raise NotFoundError(f"{option}: {err}") from None


def focus_nodes(graph: nx.MultiDiGraph, focus: str, depth: int) -> set[str]:
    """``focus`` and every entity within ``depth`` hops of it, whatever the edge direction."""
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    return set(nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), focus, cutoff=depth))


def objective_nodes(graph: nx.MultiDiGraph, objective: str) -> set[str]:
    """An objective, what ADDRESSES it or ALIGNS_WITH it (either way), their parts and the
    actors that engage in, contribute to or convene any of those."""
    if graph.nodes[objective].get("category") != "objective":
        raise UsageError(
            f"--objective {objective} is a {graph.nodes[objective].get('type')}, not an objective"
        )
    core = {objective}
    for u, v, a in list(graph.in_edges(objective, data=True)) + list(graph.out_edges(objective, data=True)):
        if a.get("type") in ("ADDRESSES", "ALIGNS_WITH"):
            core.add(v if u == objective else u)
    # Parts of what addresses the objective (an activity inside a process) work toward it too.
    for node in list(core):
        for u, _, a in graph.in_edges(node, data=True):
            if a.get("type") == "PART_OF" and graph.nodes[u].get("category") in ("activity", "process"):
                core.add(u)
    nodes = set(core)
    for node in core:
        for u, _, a in graph.in_edges(node, data=True):
            if graph.nodes[u].get("category") == "actor" and a.get("type") in (
                "ENGAGES_IN",
                "CONTRIBUTES_TO",
                "CONVENES",
                "MANDATED_BY",
            ):
                nodes.add(u)
    return nodes


def type_nodes(graph: nx.MultiDiGraph, types: Sequence[str]) -> set[str]:
    """Entities whose type or category is one of ``types`` (unknown names are a usage error)."""
    schema = graph.graph.get("schema")
    known_types = set(schema.entity_types) if schema is not None else set()
    known_categories = set(schema.entity_types.values()) if schema is not None else set()
    known_types |= {a.get("type") for _, a in graph.nodes(data=True)}
    for t in types:
        if t not in known_types and t not in known_categories:
            hint = did_you_mean(t, sorted(known_types | known_categories))
            raise UsageError(f"--type {t!r} is not an entity type or category{hint}")
    wanted = set(types)
    return {n for n, a in graph.nodes(data=True) if a.get("type") in wanted or a.get("category") in wanted}


def select(
    graph: nx.MultiDiGraph,
    *,
    as_of: str | date | None = None,
    focus: str | None = None,
    depth: int = 1,
    types: Sequence[str] = (),
    objective: str | None = None,
) -> nx.MultiDiGraph:
    """The part of ``graph`` to show (see the module docstring for the order).

    Examples
    --------
    >>> from mapper.dataset import Dataset, to_graph
    >>> g = to_graph(Dataset.from_records(entities=[{"id": "a", "type": "nri", "name": "A"},
    ...     {"id": "b", "type": "activity", "name": "B"}]))
    >>> sorted(select(g, types=["activity"]))
    ['b']
    """
    graph = as_of_graph(graph, as_of)
    if focus:
        node = resolve(graph, focus, "--focus")
        graph = subgraph(graph, focus_nodes(graph, node, depth))
    if objective:
        node = resolve(graph, objective, "--objective")
        graph = subgraph(graph, objective_nodes(graph, node))
    if types:
        graph = subgraph(graph, type_nodes(graph, types))
    return graph


def newest_date(graph: nx.MultiDiGraph) -> str | None:
    """The newest date in the data (sources, entities, relations), for a deterministic caption."""
    dates: list[str] = []
    for record in graph.graph.get("sources", {}).values():
        if record.get("date"):
            dates.append(str(record["date"]))
    for _, attrs in graph.nodes(data=True):
        dates += [str(attrs[k]) for k in ("valid_from",) if attrs.get(k)]
    for _, _, attrs in graph.edges(data=True):
        dates += [str(attrs[k]) for k in ("since",) if attrs.get(k)]
    return max(dates) if dates else None


def date_caption(graph: nx.MultiDiGraph, as_of: str | date | None) -> str:
    """``as of D`` when a date was asked for, else ``data to D`` (newest date in the data)."""
    if as_of:
        return f"as of {as_of if isinstance(as_of, str) else as_of.isoformat()}"
    newest = newest_date(graph)
    return f"data to {newest}" if newest else "undated data"


# --- gap findings -----------------------------------------------------------------------------


def run_gap_rules(
    store: Store, as_of: str | date | None = None, ecosystem: str | None = None
) -> list[Finding]:
    """Every gap rule's findings on ``store`` (:func:`queries.gaps.run_gaps`) for the ecosystem of
    ``ecosystem`` (None: :func:`~queries.roots.default_root`).

    When the data has no such root (a dataset about another process), the rules that need one
    are left out and the others still run.
    """
    root = default_root(store, ecosystem, as_of)
    if root is not None:
        try:
            return run_gaps(store, as_of=as_of, ecosystem=root).findings
        except NotFoundError:
            pass
    return run_gaps(store, rules_without_root(), as_of=as_of).findings


VIEWS = ("network", "engagement", "matrix")


def check_view(view: str) -> str:
    """``view`` if it is one the map and the figures draw, else a :class:`UsageError`."""
    if view not in VIEWS:
        raise UsageError(f"--view must be one of {', '.join(VIEWS)}, not {view!r}")
    return view


def shown_entities(graph: nx.MultiDiGraph, view: str) -> set[str]:
    """The entities a view of ``graph`` draws (the engagement view leaves documents out)."""
    if check_view(view) == "engagement":
        return set(engagement_view(graph).columns)
    return set(graph)


def findings_about(findings: Sequence[Finding], shown: set[str]) -> list[Finding]:
    """Only the findings whose entities are all shown: a map's header, panel and outlines agree."""
    return [f for f in findings if all(s in shown for s in f.entity_ids)]


def view_findings(
    store: Store,
    graph: nx.MultiDiGraph,
    view: str,
    *,
    findings: Sequence[Finding] | None,
    highlight_gaps: bool,
    as_of: str | date | None,
    ecosystem: str | None = None,
) -> tuple[list[Finding], list[str] | None]:
    """The findings a map or figure of ``graph`` outlines, and the activities its engagement
    and matrix views mark as uncovered (None for the network view). Both come from one run of the rules."""
    found: list[Finding] = list(findings) if findings is not None else []
    if findings is None and highlight_gaps:
        found = run_gap_rules(store, as_of=as_of, ecosystem=ecosystem)
    uncovered = None
    if view in ("engagement", "matrix"):
        every = (
            found
            if highlight_gaps and findings is None
            else run_gap_rules(store, as_of=as_of, ecosystem=ecosystem)
        )
        uncovered = sorted({s for f in every if f.rule == "uncovered-activity" for s in f.subjects})
    return findings_about(found, shown_entities(graph, view)), uncovered


def busiest(
    graph: nx.MultiDiGraph, limit: int = MAX_NODES, keep: Sequence[str] = ()
) -> tuple[nx.MultiDiGraph, int]:
    """``graph`` cut to its ``limit`` best-connected entities (most relations; ties by id) plus
    ``keep`` (the focus), with the relations among them; and how many entities were left out.

    Why: a map of 150,000 entities does not draw (the browser hangs, and nobody reads it); the
    map says what it draws instead, in its caption.
    """
    if graph.number_of_nodes() <= limit:
        return graph, 0
    degree = graph.degree()
    chosen = set(sorted(graph, key=lambda n: (-degree[n], n))[:limit]) | {k for k in keep if k in graph}
    small = nx.MultiDiGraph()
    small.graph = graph.graph
    small.add_nodes_from((n, graph.nodes[n]) for n in sorted(chosen))
    small.add_edges_from(
        (u, v, k, a) for u, v, k, a in graph.edges(keys=True, data=True) if u in chosen and v in chosen
    )
    return small, graph.number_of_nodes() - small.number_of_nodes()
