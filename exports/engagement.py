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
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import networkx as nx

from exports import style
from exports.drawing import text_width
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
    #: Objectives no engaged activity (or process holding one) addresses: nobody works towards them.
    unworked: set[str] = field(default_factory=set)

    @property
    def gaps(self) -> set[str]:
        """Entities marked as gaps: uncovered activities, objectives nobody works towards and
        actors that engage on nothing."""
        return self.uncovered | self.unworked | self.unengaged

    def gap_kind(self, node: str) -> str | None:
        """``uncovered``, ``unworked`` (both need action), ``unengaged`` or None."""
        for gap, members in (("uncovered", self.uncovered), ("unworked", self.unworked)):
            if node in members:
                return gap
        return "unengaged" if node in self.unengaged else None

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


def _columns(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Each shown entity's column; anything else an actor engages in (an event) joins the middle."""
    columns = {n: c for n, a in graph.nodes(data=True) if (c := column_of(a))}
    for u, v, a in graph.edges(data=True):
        if a.get("type") == "ENGAGES_IN" and columns.get(u) == "actor" and v not in columns:
            columns[v] = "activity"
    return columns


def _namer(graph: nx.MultiDiGraph) -> Callable[[str], tuple[str, str]]:
    """The sort key of an entity by name (case-folded), then id."""
    return lambda n: (str(graph.nodes[n].get("name") or n).casefold(), n)


def _activity_groups(graph: nx.MultiDiGraph, columns: dict[str, str]) -> list[Group]:
    """The middle column: each process heads its group, activities under their nearest process,
    then the activities of no process, then events."""
    key_of = _namer(graph)
    by_process: dict[str, list[str]] = defaultdict(list)
    for node in (n for n, c in columns.items() if c == "activity"):
        category = graph.nodes[node].get("category")
        if category == "process":
            by_process[node].insert(0, node)
        elif category == "activity":
            by_process[_process_of(graph, node) or NO_PROCESS].append(node)
        else:
            by_process[EVENTS].append(node)
    processes = sorted((k for k in by_process if k not in (NO_PROCESS, EVENTS)), key=key_of)
    groups: list[Group] = []
    for key in [*processes, NO_PROCESS, EVENTS]:
        members = by_process.get(key)
        if not members:
            continue
        head = [key] if key in members else []
        rest = sorted((m for m in members if m != key), key=key_of)
        label = f"process: {graph.nodes[key].get('name') or key}" if head else key
        groups.append(Group("activity", key, label, tuple(head + rest)))
    return groups


def _by_mean(graph: nx.MultiDiGraph, nodes: Iterable[str], where: dict[str, list[float]]) -> tuple[str, ...]:
    """``nodes`` by the mean position of what they link to (those linking to nothing last), then name."""
    key_of = _namer(graph)
    return tuple(sorted(nodes, key=lambda n: (_mean(where[n]) is None, _mean(where[n]) or 0.0, *key_of(n))))


def _actor_groups(
    graph: nx.MultiDiGraph, columns: dict[str, str], engage_pairs: list[Pair], y_index: dict[str, int]
) -> tuple[list[Group], list[str]]:
    """Actors with an engagement line, by stakeholder group (type when none) and by where their
    engagements point; and the actors with no line, in the same order."""
    targets: dict[str, list[float]] = defaultdict(list)
    for p in engage_pairs:
        targets[p.source].append(y_index[p.target])
    by_group: dict[str, list[str]] = defaultdict(list)
    for node, column in columns.items():
        if column == "actor":
            by_group[actor_group(graph.nodes[node])].append(node)
    keys = [g for g in STAKEHOLDER_GROUPS if g in by_group] + sorted(
        g for g in by_group if g not in STAKEHOLDER_GROUPS
    )
    has_line = {p.source for p in engage_pairs}
    block: list[Group] = []
    idle: list[str] = []
    for key in keys:
        members = _by_mean(graph, by_group[key], targets)
        idle += [m for m in members if m not in has_line]
        drawn = tuple(m for m in members if m in has_line)
        if drawn:
            block.append(Group("actor", key, key, drawn))
    return block, idle


def actor_group(attrs: dict[str, Any]) -> str:
    """The heading an actor sits under: its stakeholder group, else its type."""
    return str(attrs.get("stakeholder_group") or attrs.get("type") or "other")


def _objective_groups(
    graph: nx.MultiDiGraph, columns: dict[str, str], address_pairs: list[Pair], y_index: dict[str, int]
) -> list[Group]:
    """Objectives by type, then by where what addresses them sits."""
    sources: dict[str, list[float]] = defaultdict(list)
    for p in address_pairs:
        sources[p.target].append(y_index[p.source])
    by_type: dict[str, list[str]] = defaultdict(list)
    for node, column in columns.items():
        if column == "objective":
            by_type[graph.nodes[node].get("type") or "objective"].append(node)
    return [Group("objective", key, key, _by_mean(graph, by_type[key], sources)) for key in sorted(by_type)]


def _stack(
    blocks: Sequence[list[Group]], column_gap: float, row: float, group_gap: float
) -> tuple[dict[str, tuple[float, float]], float]:
    """One x per block (left, middle, right), rows stacked and centred on y=0; and the tallest height."""
    positions: dict[str, tuple[float, float]] = {}
    tallest = 0.0
    for x, block in zip((-column_gap, 0.0, column_gap), blocks, strict=True):
        rows = sum(len(g.members) for g in block)
        height = max(rows - 1, 0) * row + max(len(block) - 1, 0) * group_gap
        tallest = max(tallest, height)
        y = -height / 2
        for group in block:
            for member in group.members:
                positions[member] = (x, round(y, 1))
                y += row
            y += group_gap
    return positions, tallest


def _idle_positions(
    idle: list[str], tallest: float, *, left: float, row: float, idle_column: float
) -> dict[str, tuple[float, float]]:
    """Actors with no line at all, in sub-columns left of ``left``: nothing crosses them, and
    the picture keeps a landscape shape instead of one very long column."""
    per_column = max(int(tallest // row) + 1, 8)
    last = math.ceil(len(idle) / per_column) - 1
    return {
        member: (
            round(left - (last - i // per_column) * idle_column, 1),
            round(-tallest / 2 + (i % per_column) * row, 1),
        )
        for i, member in enumerate(idle)
    }


def whole_marks(graph: nx.MultiDiGraph) -> tuple[set[str], set[str], set[str]]:
    """What the gap marks come from, computed on ``graph`` (the whole data, so that a focused
    view marks nothing the whole map does not): the actors with an active or planned
    engagement, the activities and processes one engages on, and the objectives those (or a
    process they are part of) address."""
    columns = _columns(graph)
    working = [p for p in _pairs(graph, columns, "ENGAGES_IN") if p.status in ("active", "planned")]
    engaged = {p.source for p in working}
    covered = {p.target for p in working}
    parts = _part_of_graph(graph)
    reach = set(covered)
    for node in covered:
        reach.update(nx.descendants(parts, node) if node in parts else ())
    worked = {
        v
        for u, v, a in graph.edges(data=True)
        if a.get("type") == "ADDRESSES" and u in reach and columns.get(v) == "objective"
    }
    return engaged, covered, worked


def _part_of_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The PART_OF relations alone (child → parent)."""
    parts = nx.DiGraph()
    parts.add_edges_from((u, v) for u, v, a in graph.edges(data=True) if a.get("type") == "PART_OF")
    return parts


def engagement_view(
    graph: nx.MultiDiGraph,
    *,
    uncovered: Iterable[str] | None = None,
    whole: nx.MultiDiGraph | None = None,
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
        actor at all engages on (active or planned) in ``whole``.
    whole : the whole data (default ``graph``): who engages and which objectives are worked
        towards are judged on it, so a focused view marks nothing the whole map does not.
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
    columns = _columns(graph)
    engage_pairs = _pairs(graph, columns, "ENGAGES_IN")
    address_pairs = _pairs(graph, columns, "ADDRESSES")
    middle = _activity_groups(graph, columns)
    y_index = {n: i for i, n in enumerate(n for g in middle for n in g.members)}
    actors, idle = _actor_groups(graph, columns, engage_pairs, y_index)
    objectives = _objective_groups(graph, columns, address_pairs, y_index)
    positions, tallest = _stack((actors, middle, objectives), column_gap, row, group_gap)
    idle_group = []
    if idle:
        left = -column_gap - idle_offset
        positions.update(_idle_positions(idle, tallest, left=left, row=row, idle_column=idle_column))
        idle_group = [Group("actor", IDLE, IDLE, tuple(idle))]
    engaged, covered, worked = whole_marks(graph if whole is None else whole)
    if uncovered is None:
        uncovered = {
            n for n in y_index if graph.nodes[n].get("category") in ("activity", "process")
        } - covered
    return EngagementView(
        columns=dict(sorted(columns.items())),
        groups=idle_group + actors + middle + objectives,
        pairs=engage_pairs + address_pairs,
        positions=dict(sorted(positions.items())),
        uncovered=set(uncovered) & set(columns),
        unengaged={n for n, c in columns.items() if c == "actor" and n not in engaged},
        unworked={n for n, c in columns.items() if c == "objective" and n not in worked},
    )


# --- the page's layout: every box readable when the engaged part fills a screen ------------------

#: Text size of the HTML engagement view's names and headings, in map pixels: the page opens
#: fitted to the engaged part, and :func:`screen_layout` picks the layout that gives the largest
#: scale on a 1600 x 1000 screen.
FONT = 14
#: The folds' text (vis-network draws it, with looser lines than the boxes' names).
FOLD_FONT = 12
#: Distance between the lines of a box's name (the page draws them), in map pixels.
LINE = 14.7
#: Room between a box's frame and its text, across and down.
PAD_X = 6.0
PAD_Y = 2.0
#: White between two boxes one above the other (OCR and eyes need some), and between sub-columns.
V_GAP = 3.0
SUB_GAP = 10.0
#: Between the three columns: the lines from one to the next run there.
COL_GAP = 56.0
HEAD = 21.0
#: The widths a name may wrap at (on at most two lines): the layout takes the one that reads best.
WRAPS = tuple(float(w) for w in range(110, 176, 5))
#: The drawing area of a 1600 x 1000 window less the header: with the side panel open, and closed.
SCREEN = (1310.0, 938.0)
SCREEN_WIDE = (1600.0, 938.0)
#: The on-screen text size (px) the layout aims for; the panel closes on opening only when that
#: reaches it and an open panel does not.
READABLE = 12.05


@dataclass
class ScreenLayout:
    """Where the page draws each box, heading and fold (count node for actors with no line), each
    box's size (``sizes``: width and height in map pixels), and whether the side panel opens
    closed to give the drawing the whole width (``panel``: open)."""

    positions: dict[str, tuple[float, float]]
    labels: dict[str, str]
    headings: list[dict[str, Any]]
    folds: list[dict[str, Any]]
    sizes: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    panel: bool = True
    #: Text size on a 1600 x 1000 screen when the page opens (the fit :func:`fit_scale` gives).
    text_px: float = 0.0


@lru_cache(maxsize=1 << 16)  # the layout tries each name at several widths
def wrap_name(name: str, width: float = 150.0, lines: int = 2, size: float = FONT) -> str:
    """``name`` on at most ``lines`` lines no wider than ``width`` pixels at ``size`` px (DejaVu
    Sans, the font Chromium draws ``sans-serif`` with on Debian; narrower fonts fit too), broken
    between words and cut with … beyond.

    >>> wrap_name("GDC objective 3: an inclusive, open, safe and secure digital space")
    'GDC objective 3: an\\ninclusive, open…'
    """
    measure = _text_width(size)
    space = measure(" ")
    # DejaVu Sans kerns no glyph against a space, so a line is exactly as wide as its words and
    # the spaces between them (test_engagement checks the font): each word is measured once
    # (about 700 words on the seed) rather than every longer line a name is tried at. A word
    # that starts with a combining mark puts it on the space: that line is measured whole.
    parts: list[str] = []
    widths: list[float] = []
    cut = False
    for word in str(name).split():
        wide = measure(word)
        joined = widths[-1] + space + wide if parts else math.inf
        if parts and unicodedata.category(word[0]).startswith("M"):
            joined = measure(parts[-1] + " " + word)
        if joined <= width:
            parts[-1] += " " + word
            widths[-1] = joined
        elif len(parts) == lines:  # a line too many: what follows is cut anyway
            cut = True
            break
        else:
            parts.append(word)
            widths.append(wide)
    if cut:
        words = parts[-1].split(" ")
        while len(words) > 1 and measure(" ".join(words) + "…") > width:
            words.pop()  # cut between words where the … fits
        parts[-1] = " ".join(words).rstrip(" ,;:") + "…"
        widths[-1] = measure(parts[-1])
    for i, part in enumerate(parts):  # a word too long for a line is cut to fit
        if widths[i] <= width:
            continue
        while measure(part) > width and len(part) > 2:
            part = part[:-2].rstrip(" ,;:") + "…"
        parts[i] = part
    return "\n".join(parts)


def _text_width(size: float) -> Callable[[str], float]:
    """Width in pixels of a text at ``size`` px in DejaVu Sans (:func:`exports.drawing.text_width`,
    the figures' measure: Chromium draws ``sans-serif`` with DejaVu Sans on Debian)."""
    return lambda text: text_width(text, size)


@dataclass(frozen=True)
class Slot:
    """One row of a column: a heading (``payload``: label, members), a box or a fold, with the
    width and height its text needs."""

    part: str  # "head" | "box" | "fold"
    id: str
    text_w: float = 0.0
    text_h: float = 0.0
    payload: Any = None

    @cached_property
    def height(self) -> float:
        """The room it takes in its sub-column, the gap below a box included."""
        return HEAD if self.part == "head" else self.text_h + 2 * PAD_Y + V_GAP


def _box_slot(part: str, ident: str, label: str, size: float = FONT) -> Slot:
    lines = label.split("\n")
    return Slot(part, ident, max(_text_width(size)(t) for t in lines), len(lines) * LINE)


def _flow(slots: list[Slot], height: float) -> list[list[Slot]]:
    """``slots`` cut into sub-columns at most ``height`` tall; a heading never ends one."""
    subs: list[list[Slot]] = [[]]
    used = 0.0
    for i, slot in enumerate(slots):
        need = slot.height + (slots[i + 1].height if slot.part == "head" and i + 1 < len(slots) else 0)
        if subs[-1] and used + need > height:
            subs.append([])
            used = 0.0
        subs[-1].append(slot)
        used += slot.height
    return subs


def _sub_width(sub: list[Slot]) -> float:
    """A sub-column is as wide as its widest box (headings are cut to it)."""
    return max((s.text_w for s in sub if s.part != "head"), default=60.0) + 2 * PAD_X


def fit_scale(width: float, height: float, screen: tuple[float, float]) -> float:
    """The scale the page opens at for flowed columns ``width`` x ``height`` (:func:`_extent`) on
    ``screen``: the page's fit (map.js ``fitInto``) keeps 4 px round the boxes (the headings are
    in the height) and 8 px of the screen free."""
    return min((screen[0] - 8) / (width + 8), (screen[1] - 8) / (height - V_GAP + 8), 1.6)


def _extent(columns: list[list[list[Slot]]]) -> tuple[float, float]:
    """Width and height of flowed columns."""
    subs = sum(len(c) for c in columns)
    width = sum(_sub_width(sub) for c in columns for sub in c)
    width += (subs - len(columns)) * SUB_GAP + (len(columns) - 1) * COL_GAP
    height = max(sum(s.height for s in sub) for c in columns for sub in c)
    return width, height


def _best_flow(
    columns: list[list[Slot]], screen: tuple[float, float]
) -> tuple[float, list[list[list[Slot]]]]:
    """The sub-column height that lets the flowed columns fill ``screen`` at the largest scale.

    Heights are tried every half line, from the one where the columns' narrowest boxes alone
    would be too wide to beat the best found, up to where even one sub-column that tall could
    not beat it."""
    totals = [sum(s.height for s in c) for c in columns]
    narrowest = [
        min((s.text_w for s in c if s.part != "head"), default=0.0) + 2 * PAD_X + SUB_GAP for c in columns
    ]
    tallest_slot = max(s.height for c in columns for s in c)
    best: tuple[float, list[list[list[Slot]]]] | None = None
    height = tallest_slot + HEAD
    while best is None or (
        height < max(totals) + LINE and fit_scale(0, height - tallest_slot, screen) > best[0]
    ):
        # Sub-columns needed at this height at least, each at least as wide as its narrowest box.
        least = sum(math.ceil(t / height) * w for t, w in zip(totals, narrowest, strict=True))
        if best is None or fit_scale(least + (len(columns) - 1) * COL_GAP - 3 * SUB_GAP, 0, screen) > best[0]:
            flowed = [_flow(c, height) for c in columns]
            scale = fit_scale(*_extent(flowed), screen)
            if best is None or scale > best[0] + 1e-9:
                best = (scale, flowed)
        height += LINE / 2
    return best


def _place(
    flowed: list[list[list[Slot]]], left: float
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float, float]], list[dict[str, Any]]]:
    """Centres and sizes (width, height, reach above the centre) of the boxes, and the headings,
    of flowed columns, the first sub-column's left edge at ``left``."""
    positions: dict[str, tuple[float, float]] = {}
    sizes: dict[str, tuple[float, float, float]] = {}
    headings: list[dict[str, Any]] = []
    x = left
    for column in flowed:
        for sub in column:
            width, y, top = _sub_width(sub), 0.0, -4.0
            for slot in sub:
                if slot.part == "head":
                    label, members = slot.payload
                    headings.append(
                        {"label": label, "members": members, "x": x, "y": y + HEAD - 6, "width": width}
                    )
                    top = y + 2  # the heading's text: a fit to the box below shows it too
                else:
                    box_h = slot.text_h + 2 * PAD_Y
                    positions[slot.id] = (round(x + width / 2, 1), round(y + box_h / 2, 1))
                    sizes[slot.id] = (round(width, 1), round(box_h, 1), round(y + box_h / 2 - top, 1))
                    top = y - 4
                y += slot.height
            x += width + SUB_GAP
        x += COL_GAP - SUB_GAP
    return positions, sizes, headings


def _column_slots(
    view: EngagementView,
    graph: nx.MultiDiGraph,
    folds: list[dict[str, Any]],
    idle: Sequence[str],
    wrap: float,
) -> tuple[list[list[Slot]], dict[str, str]]:
    """The three columns' slots with names wrapped at ``wrap`` pixels, and the labels."""
    labels = {n: wrap_name(graph.nodes[n].get("name") or n, wrap) for n in view.columns}
    columns: list[list[Slot]] = [[], [], []]
    for group in view.groups:
        if group.key == IDLE and group.column == "actor":
            continue
        slots = columns[COLUMNS.index(group.column)]
        slots.append(Slot("head", "", payload=(f"{group.label} ({len(group.members)})", list(group.members))))
        slots += [_box_slot("box", m, labels[m]) for m in group.members]
    if folds:
        heading = f"{IDLE} ({len(idle)})"
        columns[0].append(Slot("head", "", payload=(heading, [f["id"] for f in folds] + list(idle))))
        columns[0] += [_box_slot("fold", f["id"], f["label"], FOLD_FONT) for f in folds]
    return [c or [Slot("box", "")] for c in columns], labels


def _choose(
    view: EngagementView, graph: nx.MultiDiGraph, folds: list[dict[str, Any]], idle: Sequence[str]
) -> tuple[bool, float, list[list[list[Slot]]], dict[str, str]]:
    """The panel (open or not), the scale, the flowed columns and the labels the page opens with:
    the widest wrap (the fewest names cut: a name cut to "Dynamic Coalition on…" is not read)
    whose text reaches :data:`READABLE` px, with the panel open if that does, else closed. When
    none does, no screen holds them all readably anyway: the panel stays open (its search finds
    a name), names are cut least, and the reader zooms in."""
    for wrap in sorted(WRAPS, reverse=True):
        for panel, screen in ((True, SCREEN), (False, SCREEN_WIDE)):
            slots, labels = _column_slots(view, graph, folds, idle, wrap)
            # The boxes' own area bounds the scale: skip the flow when even that is too small.
            area = sum((s.text_w + 2 * PAD_X + SUB_GAP) * s.height for c in slots for s in c)
            if FONT * math.sqrt((screen[0] - 8) * (screen[1] - 8) / area) < READABLE:
                continue
            scale, flowed = _best_flow(slots, screen)
            if FONT * scale >= READABLE:
                return panel, scale, flowed, labels
    slots, labels = _column_slots(view, graph, folds, idle, max(WRAPS))
    scale, flowed = _best_flow(slots, SCREEN)
    return True, scale, flowed, labels


def screen_layout(view: EngagementView, graph: nx.MultiDiGraph) -> ScreenLayout:
    """The page's layout of ``view``: the three columns, each in as many sub-columns as make the
    engaged part fill a screen at the largest scale, each sub-column as wide as its widest name
    and each box as tall as its lines; actors with no engagement line folded into one count box
    per stakeholder group at the foot of the actor column (their own boxes, shown when a fold is
    opened, sit in sub-columns further left)."""
    idle = next((g.members for g in view.groups if g.key == IDLE and g.column == "actor"), ())
    by_group: dict[str, list[str]] = defaultdict(list)
    for node in idle:
        by_group[actor_group(graph.nodes[node])].append(node)
    folds: list[dict[str, Any]] = [
        {"id": f"fold:{key}", "label": wrap_name(f"{len(members)} {key}", size=FOLD_FONT), "members": members}
        for key, members in by_group.items()
    ]
    panel, scale, flowed, labels = _choose(view, graph, folds, idle)
    positions, sizes, headings = _place(flowed, 0.0)
    positions.pop("", None)
    idle_slots: list[Slot] = []
    for key, group_members in by_group.items():
        idle_slots.append(
            Slot("head", "", payload=(f"{key}: no engagement ({len(group_members)})", group_members))
        )
        idle_slots += [_box_slot("box", m, labels[m]) for m in group_members]
    if idle_slots:
        height = max(y + sizes[n][1] / 2 for n, (_, y) in positions.items())
        idle_flow = _flow(idle_slots, max(height, HEAD + idle_slots[1].height))
        left = -sum(_sub_width(sub) + SUB_GAP for sub in idle_flow) - COL_GAP + SUB_GAP
        idle_positions, idle_sizes, idle_headings = _place([idle_flow], left)
        positions.update(idle_positions)
        sizes.update(idle_sizes)
        headings += idle_headings
    for fold in folds:
        fold["x"], fold["y"] = positions.pop(fold["id"])
        fold["w"], fold["h"], _ = sizes[fold["id"]]
    sizes.pop("", None)  # the stand-in for an empty column
    return ScreenLayout(
        dict(sorted(positions.items())),
        labels,
        headings,
        folds,
        dict(sorted(sizes.items())),
        panel,
        FONT * scale,
    )


def engaging_relations(graph: nx.MultiDiGraph) -> list[str]:
    """Keys of every ENGAGES_IN relation from an actor (what the view must draw once each)."""
    return sorted(
        str(k)
        for u, _v, k, a in graph.edges(keys=True, data=True)
        if a.get("type") == "ENGAGES_IN" and graph.nodes[u].get("category") == "actor"
    )


__all__ = [
    "COLUMNS",
    "EngagementView",
    "Group",
    "Pair",
    "ScreenLayout",
    "engagement_view",
    "engaging_relations",
    "screen_layout",
    "whole_marks",
]
