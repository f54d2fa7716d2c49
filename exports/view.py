"""What a map or an export shows: a store's graph narrowed by date, focus, type and objective,
and gap findings in one plain shape.

Every export takes a *source*: a store (``EmbeddedStore``, or a Neo4j store offering ``graph``
or ``dataset``) or a ``networkx.MultiDiGraph`` built by :func:`mapper.dataset.to_graph`.
:func:`select` applies the options the ``map`` and ``export`` commands share, in this order:
``as_of`` (only what is valid that day), ``focus``/``depth`` (the neighbourhood of one
entity), ``objective`` (an objective, what addresses or aligns with it, and the actors engaged
on that), then ``types`` (keep only entities of these types or categories).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date
from typing import Any

import networkx as nx

from mapper.errors import NotFoundError, UsageError


class GraphSource:
    """A read-only store over a graph, for queries that want a store (``kind``, ``graph``)."""

    kind = "embedded"

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph

    @property
    def dataset(self) -> Any:
        from mapper.dataset import from_graph

        return from_graph(self.graph)


def graph_of(source: Any) -> nx.MultiDiGraph:
    """The full graph of a store or a graph."""
    if isinstance(source, nx.MultiDiGraph):
        return source
    graph = getattr(source, "graph", None)
    if isinstance(graph, nx.MultiDiGraph):
        return graph
    dataset = getattr(source, "dataset", None)
    if dataset is not None:
        from mapper.dataset import to_graph

        return to_graph(dataset)
    raise TypeError(f"cannot export from {type(source).__name__}: want a store or a MultiDiGraph")


def as_store(source: Any) -> Any:
    """``source`` as something with ``kind`` and ``graph`` (what :mod:`queries` expects)."""
    if isinstance(source, nx.MultiDiGraph):
        return GraphSource(source)
    return source


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
    from queries.lookup import resolve_id

    try:
        return resolve_id(GraphSource(graph), text)
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
            import difflib

            close = difflib.get_close_matches(t, sorted(known_types | known_categories), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"--type {t!r} is not an entity type or category{hint}")
    wanted = set(types)
    return {n for n, a in graph.nodes(data=True) if a.get("type") in wanted or a.get("category") in wanted}


def select(
    source: Any,
    *,
    as_of: str | date | None = None,
    focus: str | None = None,
    depth: int = 1,
    types: Sequence[str] = (),
    objective: str | None = None,
) -> nx.MultiDiGraph:
    """The part of ``source``'s graph to show (see the module docstring for the order).

    Examples
    --------
    >>> from mapper.dataset import Dataset, to_graph
    >>> g = to_graph(Dataset.from_records(entities=[{"id": "a", "type": "nri", "name": "A"},
    ...     {"id": "b", "type": "activity", "name": "B"}]))
    >>> sorted(select(g, types=["activity"]))
    ['b']
    """
    from queries.asof import as_of_graph

    graph = as_of_graph(graph_of(source), as_of)
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


@dataclass
class Finding:
    """A gap finding in the plain shape exports use (design section 6)."""

    rule: str
    subjects: list[str]
    explanation: str
    evidence: list[str] = field(default_factory=list)
    #: Relation keys ``source|TYPE|target|role`` among the subjects, when the finding is about
    #: relations rather than entities.
    relations: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "subjects": list(self.subjects),
            "explanation": self.explanation,
            "evidence": list(self.evidence),
            "relations": list(self.relations),
        }


def _subject_ids(value: Any) -> tuple[list[str], list[str]]:
    """Entity ids and relation keys named by a finding's ``subjects``."""
    entities: list[str] = []
    relations: list[str] = []
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if isinstance(item, dict):
            if "source" in item and "type" in item and "target" in item:
                key = "|".join([item["source"], item["type"], item["target"], item.get("role") or ""])
                relations.append(key)
                entities += [item["source"], item["target"]]
            elif "id" in item:
                entities.append(str(item["id"]))
        elif isinstance(item, (list, tuple)) and len(item) in (3, 4):
            parts = [str(p) for p in item] + ([""] if len(item) == 3 else [])
            relations.append("|".join(parts))
            entities += [parts[0], parts[2]]
        elif item is not None:
            text = str(item)
            if text.count("|") == 3:
                relations.append(text)
                parts = text.split("|")
                entities += [parts[0], parts[2]]
            else:
                entities.append(text)
    return list(dict.fromkeys(entities)), list(dict.fromkeys(relations))


def _evidence_ids(value: Any) -> list[str]:
    out: list[str] = []
    for item in value or []:
        if isinstance(item, dict):
            ident = item.get("id") or item.get("source")
            if ident:
                out.append(str(ident))
        else:
            out.append(str(item))
    return list(dict.fromkeys(out))


def normalise_findings(findings: Iterable[Any]) -> list[Finding]:
    """Findings of any shape the gap API returns (objects, dataclasses, dicts) as
    :class:`Finding`, in the order given (the gap API sorts by rule order)."""
    out: list[Finding] = []
    for raw in findings:
        if isinstance(raw, Finding):
            out.append(raw)
            continue
        if isinstance(raw, dict):
            data = raw
        elif hasattr(raw, "to_json"):
            data = raw.to_json()
        elif is_dataclass(raw) and not isinstance(raw, type):
            data = asdict(raw)
        else:
            data = {k: getattr(raw, k, None) for k in ("rule", "subjects", "explanation", "evidence")}
        entities, relations = _subject_ids(data.get("subjects") or data.get("subject") or [])
        extra = list(data.get("relations") or [])
        if data.get("relation"):
            extra.append(data["relation"])
        for item in extra:
            _, keys = _subject_ids([item])
            relations += [k for k in keys if k not in relations]
        out.append(
            Finding(
                rule=str(data.get("rule") or "finding"),
                subjects=entities,
                explanation=str(data.get("explanation") or ""),
                evidence=_evidence_ids(data.get("evidence")),
                relations=relations,
            )
        )
    return out


def run_gap_rules(source: Any, as_of: str | date | None = None, ecosystem: str = "igf") -> list[Finding]:
    """Every gap rule's findings on ``source`` (:func:`queries.gaps.run_gaps`).

    When the data has no ``ecosystem`` root (a dataset about another process), the rules
    that need one are left out and the others still run.
    """
    from queries.gaps import run_gaps
    from queries.gaps.registry import RULES

    store = as_store(source)
    try:
        report = run_gaps(store, as_of=as_of, ecosystem=ecosystem)
    except NotFoundError:
        rules = [r.id for r in RULES if "ecosystem" not in r.params]
        report = run_gaps(store, rules, as_of=as_of, ecosystem=ecosystem)
    return normalise_findings(report.findings)
