"""The engagement view: who engages on which activity, toward which objective, and where the gaps are.

A layered picture of the mission's question (``igfmap map --view engagement``, and the same
``--view`` for png/svg/pdf exports):

* **actors** on the left, grouped by stakeholder group (their type when they have none);
* the **activities** they engage in in the middle, grouped under the process they are PART_OF
  (processes, and any event an actor ENGAGES_IN, sit in the middle column too);
* the **objectives** those activities ADDRESS on the right.

Every ENGAGES_IN relation of the graph is drawn exactly once: one line per actor-activity pair
(:class:`Pair`), carrying every relation between the two, coloured by the strongest role and
dashed by the most engaged status among them. Activities no ecosystem actor engages on (the
``uncovered-activity`` gap rule) and actors that engage on nothing are marked as gaps.

Ordering (one barycentric pass, deterministic): the middle column is ordered by process and
name; actors within their group by the mean position of what they engage in; objectives by the
mean position of what addresses them. So lines run mostly straight across.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from exports import style
from mapper.schema import ROLES, STAKEHOLDER_GROUPS

#: Columns from left to right.
COLUMNS = ("actor", "activity", "objective")
#: Status order for the line that stands for a pair: the most engaged first.
STATUS_RANK = {s: i for i, s in enumerate(("active", "planned", "requested", "proposed", "concluded"))}
ROLE_RANK = {r: i for i, r in enumerate(ROLES)}
NO_PROCESS = "(part of no process)"
EVENTS = "events"
IDLE = "no engagement recorded"


@dataclass(frozen=True)
class Pair:
    """One drawn line: every relation of ``type`` from ``source`` to ``target``."""

    source: str
    target: str
    type: str
    keys: tuple[str, ...]
    role: str
    status: str

    @property
    def id(self) -> str:
        """The line's id on the map (never a relation key: those hold ``|`` three times)."""
        return f"pair:{self.source}>{self.type}>{self.target}"


@dataclass(frozen=True)
class Group:
    """A run of entities in one column under one heading."""

    column: str
    key: str
    label: str
    members: tuple[str, ...]


@dataclass
class EngagementView:
    """What the engagement view draws and where (positions in map pixels, y down)."""

    columns: dict[str, str]
    groups: list[Group]
    pairs: list[Pair]
    positions: dict[str, tuple[float, float]]
    uncovered: set[str] = field(default_factory=set)
    unengaged: set[str] = field(default_factory=set)

    @property
    def gaps(self) -> set[str]:
        """Entities marked as gaps: uncovered activities and actors that engage on nothing."""
        return self.uncovered | self.unengaged

    def graph(self, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
        """``graph`` narrowed to the entities shown and the relations drawn (shares ``graph.graph``)."""
        keys = {k for p in self.pairs for k in p.keys}
        view = nx.MultiDiGraph()
        view.graph = graph.graph
        view.add_nodes_from((n, graph.nodes[n]) for n in sorted(self.columns))
        view.add_edges_from(
            (u, v, k, a) for u, v, k, a in graph.edges(keys=True, data=True) if str(k) in keys
        )
        return view


def column_of(attrs: dict[str, Any]) -> str | None:
    """The column an entity belongs to by its category (events only when engaged in)."""
    category = attrs.get("category")
    if category == "actor":
        return "actor"
    if category in ("activity", "process"):
        return "activity"
    if category == "objective":
        return "objective"
    return None


def _process_of(graph: nx.MultiDiGraph, node: str) -> str | None:
    """The nearest process ``node`` is PART_OF (breadth first, ties by id), if any."""
    seen, frontier = {node}, [node]
    while frontier:
        parents = sorted(
            {
                v
                for u in frontier
                for _, v, a in graph.out_edges(u, data=True)
                if a.get("type") == "PART_OF" and v not in seen
            }
        )
        for parent in parents:
            if graph.nodes[parent].get("category") == "process":
                return str(parent)
        seen.update(parents)
        frontier = parents
    return None


def _pairs(graph: nx.MultiDiGraph, columns: dict[str, str], rtype: str) -> list[Pair]:
    by_pair: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        if attrs.get("type") != rtype or u not in columns or v not in columns:
            continue
        if rtype == "ENGAGES_IN" and not (columns[u] == "actor" and columns[v] == "activity"):
            continue
        if rtype == "ADDRESSES" and not (columns[u] == "activity" and columns[v] == "objective"):
            continue
        by_pair[(u, v)].append((str(key), attrs))
    pairs = []
    for (u, v), rels in sorted(by_pair.items()):
        best = min(
            rels,
            key=lambda r: (
                STATUS_RANK.get(style.status_of(r[1]), 9),
                ROLE_RANK.get(r[1].get("role") or "", 99),
                r[0],
            ),
        )[1]
        pairs.append(
            Pair(
                u, v, rtype, tuple(sorted(k for k, _ in rels)), best.get("role") or "", style.status_of(best)
            )
        )
    return pairs


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def engagement_view(
    graph: nx.MultiDiGraph,
    *,
    uncovered: Iterable[str] | None = None,
    column_gap: float = 560.0,
    row: float = 36.0,
    group_gap: float = 34.0,
    idle_column: float = 340.0,
    idle_offset: float = 420.0,
) -> EngagementView:
    """Lay out the engagement view of ``graph`` (already narrowed with :func:`exports.view.select`).

    Parameters
    ----------
    graph : the graph to draw.
    uncovered : ids of the activities and processes to mark as gaps, normally the subjects of
        the ``uncovered-activity`` findings (:func:`queries.gaps.run_gaps`); by default those no
        actor at all engages on (active or planned).
    column_gap, row, group_gap : horizontal distance between columns, vertical distance between
        rows and extra space between groups, in map pixels.
    idle_column, idle_offset : width of the sub-columns holding the actors with no engagement
        line, and their distance from the actor column.

    Examples
    --------
    >>> from mapper.dataset import Dataset, to_graph
    >>> g = to_graph(Dataset.from_records([{"id": "s", "kind": "news", "title": "S"}], [
    ...     {"id": "a", "type": "nri", "name": "A", "sources": ["s"]},
    ...     {"id": "x", "type": "activity", "name": "X", "sources": ["s"]}],
    ...     [{"source": "a", "type": "ENGAGES_IN", "target": "x", "sources": ["s"]}]))
    >>> view = engagement_view(g)
    >>> [(p.source, p.target) for p in view.pairs], view.positions["a"][0] < view.positions["x"][0]
    ([('a', 'x')], True)
    """
    columns = {n: c for n, a in graph.nodes(data=True) if (c := column_of(a))}
    # Anything else an actor engages in (an event) joins the middle column.
    for u, v, a in graph.edges(data=True):
        if a.get("type") == "ENGAGES_IN" and columns.get(u) == "actor" and v not in columns:
            columns[v] = "activity"
    engage_pairs = _pairs(graph, columns, "ENGAGES_IN")
    address_pairs = _pairs(graph, columns, "ADDRESSES")

    def name(n: str) -> str:
        return str(graph.nodes[n].get("name") or n)

    def order(nodes: Iterable[str]) -> list[str]:
        return sorted(nodes, key=lambda n: (name(n).casefold(), n))

    # Middle column: each process heads its group; activities under their nearest process.
    middle = [n for n, c in columns.items() if c == "activity"]
    by_process: dict[str, list[str]] = defaultdict(list)
    for node in middle:
        category = graph.nodes[node].get("category")
        if category == "process":
            by_process[node].insert(0, node)
        elif category == "activity":
            by_process[_process_of(graph, node) or NO_PROCESS].append(node)
        else:
            by_process[EVENTS].append(node)
    groups: list[Group] = []
    for key in [*order(k for k in by_process if k not in (NO_PROCESS, EVENTS)), NO_PROCESS, EVENTS]:
        members = by_process.get(key)
        if not members:
            continue
        head = [key] if key in members else []
        rest = order(m for m in members if m != key)
        label = f"process: {name(key)}" if head else key
        groups.append(Group("activity", key, label, tuple(head + rest)))
    y_index = {n: i for i, n in enumerate(n for g in groups for n in g.members)}

    # Actors: by stakeholder group (type when none), then by where their engagements point.
    targets: dict[str, list[float]] = defaultdict(list)
    for p in engage_pairs:
        targets[p.source].append(y_index[p.target])
    actor_groups: dict[str, list[str]] = defaultdict(list)
    for node, column in columns.items():
        if column == "actor":
            attrs = graph.nodes[node]
            actor_groups[attrs.get("stakeholder_group") or attrs.get("type") or "other"].append(node)
    actor_keys = [g for g in STAKEHOLDER_GROUPS if g in actor_groups] + sorted(
        g for g in actor_groups if g not in STAKEHOLDER_GROUPS
    )
    has_line = {p.source for p in engage_pairs}
    actor_block, idle = [], []
    for key in actor_keys:
        members = sorted(
            actor_groups[key],
            key=lambda n: (_mean(targets[n]) is None, _mean(targets[n]) or 0.0, name(n).casefold(), n),
        )
        idle += [m for m in members if m not in has_line]
        drawn = tuple(m for m in members if m in has_line)
        if drawn:
            actor_block.append(Group("actor", key, key, drawn))

    # Objectives: by type, then by where what addresses them sits.
    sources: dict[str, list[float]] = defaultdict(list)
    for p in address_pairs:
        sources[p.target].append(y_index[p.source])
    objective_groups: dict[str, list[str]] = defaultdict(list)
    for node, column in columns.items():
        if column == "objective":
            objective_groups[graph.nodes[node].get("type") or "objective"].append(node)
    objective_block = [
        Group(
            "objective",
            key,
            key,
            tuple(
                sorted(
                    objective_groups[key],
                    key=lambda n: (
                        _mean(sources[n]) is None,
                        _mean(sources[n]) or 0.0,
                        name(n).casefold(),
                        n,
                    ),
                )
            ),
        )
        for key in sorted(objective_groups)
    ]

    positions: dict[str, tuple[float, float]] = {}
    tallest = 0.0
    for x, block in ((-column_gap, actor_block), (0.0, groups), (column_gap, objective_block)):
        rows = sum(len(g.members) for g in block)
        height = max(rows - 1, 0) * row + max(len(block) - 1, 0) * group_gap
        tallest = max(tallest, height)
        y = -height / 2
        for group in block:
            for member in group.members:
                positions[member] = (x, round(y, 1))
                y += row
            y += group_gap
    # Actors with no line at all go in a block of sub-columns further left: nothing crosses it,
    # and the picture keeps a landscape shape instead of one very long column.
    idle_group = []
    if idle:
        per_column = max(int(tallest // row) + 1, 8)
        for i, member in enumerate(idle):
            col = i // per_column
            positions[member] = (
                round(
                    -column_gap - idle_offset - (math.ceil(len(idle) / per_column) - 1 - col) * idle_column, 1
                ),
                round(-tallest / 2 + (i % per_column) * row, 1),
            )
        idle_group = [Group("actor", IDLE, IDLE, tuple(idle))]
    engaged = {p.source for p in engage_pairs if p.status in ("active", "planned")}
    if uncovered is None:
        covered = {p.target for p in engage_pairs if p.status in ("active", "planned")}
        uncovered = {n for n in middle if graph.nodes[n].get("category") in ("activity", "process")} - covered
    return EngagementView(
        columns=dict(sorted(columns.items())),
        groups=idle_group + actor_block + groups + objective_block,
        pairs=engage_pairs + address_pairs,
        positions=dict(sorted(positions.items())),
        uncovered=set(uncovered) & set(columns),
        unengaged={n for n, c in columns.items() if c == "actor" and n not in engaged},
    )


def engaging_relations(graph: nx.MultiDiGraph) -> list[str]:
    """Keys of every ENGAGES_IN relation from an actor (what the view must draw once each)."""
    return sorted(
        str(k)
        for u, _v, k, a in graph.edges(keys=True, data=True)
        if a.get("type") == "ENGAGES_IN" and graph.nodes[u].get("category") == "actor"
    )


__all__ = ["COLUMNS", "EngagementView", "Group", "Pair", "engagement_view", "engaging_relations"]
