"""Static figures (PNG, SVG, PDF) for an A4 landscape page, byte-for-byte reproducible.

The network figure uses the map's vocabulary (:mod:`exports.style`): colour per entity type,
marker per category, colour per relation type, dash pattern per status, gap findings outlined
in red; the same layout as the HTML map for the same seed; a title, a caption with the date and
the counts, and a legend. The engagement figure lays actors, activities and objectives out in
columns.

Each figure is laid out once, as a :class:`exports.drawing.Drawing` (lines, curves, markers and
text in points on the page). SVG is written from it directly, without matplotlib (the report
draws its figures so); PNG and PDF are its matplotlib replay, saved by :func:`save`.
Determinism: no creation dates (``metadata`` without ``Date`` / ``CreationDate``), a fixed PNG
``Software`` tag, SVG text as (escaped) text elements, sorted drawing order. Text from the data
is never parsed as mathtext (``parse_math=False``).

Only :func:`save`, :func:`new_figure` and the replay import matplotlib (it is slow to import).
"""

from __future__ import annotations

import io
import math
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from exports import style
from exports.drawing import (
    Command,
    Drawing,
    Entry,
    Shape,
    Stroke,
    dash_of,
    legend,
    marker,
    polygon,
    rect,
    text_width,
    to_figure,
    to_svg,
)
from exports.engagement import wrap_name
from exports.layout import compute_positions
from exports.registry import ExportOptions, export_format
from exports.view import busiest
from mapper.outputs import atomic_write_bytes
from mapper.schema import ROLES, STATUSES, SYMMETRIC_RELATIONS
from queries.gaps import Finding

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

    from exports.engagement import EngagementView

FIGURE_FORMATS = ("png", "svg", "pdf")
LABEL_ALL_LIMIT = 300
LABEL_TOP = 80
DPI = 110

FIGURE_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "igf-mapper",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "path.simplify": True,
}


@contextmanager
def quiet_fonts() -> Any:
    """Missing glyphs (CJK text without a CJK font) draw as boxes; do not warn per glyph."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support")
        yield


def new_figure(width: float, height: float) -> Any:
    """A matplotlib Figure with its own Agg canvas (no pyplot, no global state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def save(fig: Any, fmt: str) -> bytes:
    """``fig`` as ``fmt`` bytes; the same figure always gives the same bytes."""
    import matplotlib

    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"unknown figure format {fmt!r} (one of {', '.join(FIGURE_FORMATS)})")
    by_format: dict[str, dict[str, Any]] = {
        "png": {"Software": "igf-mapper"},
        "svg": {"Date": None, "Creator": "igf-mapper"},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "igf-mapper", "Producer": "igf-mapper"},
    }
    metadata = by_format[fmt]
    buffer = io.BytesIO()
    with matplotlib.rc_context(FIGURE_RC), quiet_fonts():
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=DPI, facecolor="white")
    return buffer.getvalue()


def drawing_bytes(drawing: Drawing, fmt: str) -> bytes:
    """``drawing`` as ``fmt`` bytes: SVG from :func:`exports.drawing.to_svg` (no matplotlib),
    PNG and PDF from its matplotlib replay."""
    if fmt == "svg":
        return to_svg(drawing)
    return save(to_figure(drawing), fmt)


#: A4 landscape in inches: figures are laid out for it, so their points are points on paper.
A4_LANDSCAPE = (297 / 25.4, 210 / 25.4)
#: The smallest text on a figure, in points at A4 landscape size.
MIN_TEXT_PT = 7.0
LABEL_PT = 7.5
LEGEND_PT = 7.5
SUMMARY_CHARS = 48  # the engagement figure's summary lines, under the objectives
ROW_PITCH_PT = 9.8  # the engagement figure's rows, when they fit
TIGHT_PITCH = 1.2  # the closest rows may come: pitch / label size
ENGAGEMENT_USABLE = 0.86  # of the page's height, from the top row down


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _header(drawing: Drawing, title: str, caption: str) -> None:
    """The title and, under it, the caption cut to one line across the page."""
    width, height = drawing.width, drawing.height
    drawing.text(0.012 * width, 0.015 * height, _short(title, 110), 13, va="top", weight="bold")
    # Measured, not counted: 200 characters ran past the right edge of an A4 page.
    line = wrap_name(caption, width=width * (1 - 2 * 0.012), lines=1, size=CAPTION_PT)
    drawing.text(0.012 * width, 0.048 * height, line, CAPTION_PT, va="top", colour="#4a5568")


#: The caption's size under a figure's title, in points.
CAPTION_PT = 8.5


#: A legend with more entries than this may be laid out in columns (``_stack_legends(columns=)``).
LEGEND_FOLD = 5


def _stack_legends(
    drawing: Drawing,
    sections: list[tuple[str, list[Entry]]],
    x0: float,
    top: float,
    k: float,
    columns: int = 1,
) -> float:
    """Legends one under the other from ``top`` (a fraction of the page's height from its
    bottom) down; returns the bottom. A legend of more than :data:`LEGEND_FOLD` entries takes
    ``columns`` columns."""
    for heading, entries in sections:
        if not entries:
            continue
        bottom = legend(
            drawing,
            heading,
            entries,
            x0 * drawing.width,
            (1 - top) * drawing.height,
            LEGEND_PT * k,
            8 * k,
            columns if len(entries) > LEGEND_FOLD else 1,
        )
        top = 1 - bottom / drawing.height - 0.012
    return top


def _legend_handles(
    legend: dict[str, list[dict[str, Any]]], flagged: bool, flagged_relations: bool = False
) -> list[tuple[str, list[Entry]]]:
    outline = Stroke("#333333", 1.0)
    types = [
        Entry(
            f"{t['name']} ({t['category']})",
            "marker",
            outline,
            fill=t["colour"],
            marker=style.marker(t["category"]),
        )
        for t in legend["types"]
    ]
    if flagged:
        types.append(Entry("named by a gap finding", "marker", Stroke(style.GAP_COLOUR, 2.0), fill="#ffffff"))
    relations = [Entry(r["name"], "line", Stroke(r["colour"], 1.5)) for r in legend["relations"]]
    if flagged_relations:  # drawn thicker (_draw_edges), in their type's colour
        relations.append(Entry("thick: named by a gap finding", "line", Stroke("#333333", 3.2)))
    statuses = [
        Entry(s["name"], "line", Stroke("#333333", 1.3, dash=dash_of(style.dashes(s["name"]), 1.3)))
        for s in legend["statuses"]
    ]
    return [("Entity type (category)", types), ("Relation type", relations), ("Status", statuses)]


def _network_positions(
    graph: nx.MultiDiGraph, seed: int
) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """The map's positions (same seed, same picture), nodes moved apart; and the map's sizes."""
    from exports.declutter import separate

    degree = dict(graph.degree())
    sizes = {n: 10 + 3 * math.sqrt(degree.get(n, 0)) for n in graph}
    raw = compute_positions(graph, seed=seed, spacing=110.0)
    pos = separate(raw, {n: s * 1.2 for n, s in sizes.items()}, gap=10.0)
    return {k: (x, -y) for k, (x, y) in pos.items()}, sizes


#: Arrowheads as matplotlib's "-|>" draws them at mutation_scale 5: 2 pt long, 1 pt each side.
HEAD_LENGTH_PT = 2.0
HEAD_HALF_WIDTH_PT = 1.0


def _quadratic(p0: Any, p1: Any, p2: Any, t: Any) -> Any:
    """Points at ``t`` (one per row) on the quadratic Bézier curves ``p0, p1, p2`` ((n, 2) arrays)."""
    s = (1 - t)[:, None]
    t = t[:, None]
    return s * s * p0 + 2 * s * t * p1 + t * t * p2


def _crossing(curve: tuple[Any, Any, Any], lo: Any, hi: Any, centre: Any, radius: Any) -> Any:
    """Per curve, the ``t`` in ``[lo, hi]`` where it crosses the circle (``centre``, ``radius``)
    that holds the point at ``lo`` and not the one at ``hi``: bisection, as matplotlib finds
    where to cut an arrow at the circles around its ends (it assumes one crossing too)."""
    import numpy as np

    for _ in range(30):  # a 2**-30 part of the curve: far below a printed dot
        mid = (lo + hi) / 2
        delta = _quadratic(*curve, mid) - centre
        inside = np.einsum("ij,ij->i", delta, delta) < radius * radius
        lo, hi = np.where(inside, mid, lo), np.where(inside, hi, mid)
    return (lo + hi) / 2


def arrow_geometry(
    starts: Any,
    ends: Any,
    *,
    rads: Any,
    shrink_start: Any,
    shrink_end: Any,
    linewidths: Any,
    both_ends: Any,
    pt_per_unit: float,
) -> tuple[list[Any], list[tuple[int, Any]]]:
    """The edges as one ``FancyArrowPatch`` each would draw them (``connectionstyle="arc3,rad=r"``,
    ``arrowstyle="-|>"``, or ``"<|-|>"`` where ``both_ends``, ``mutation_scale=5``), for all edges
    at once with numpy (patches cut each curve by a bisection in Python at every draw).

    ``starts`` and ``ends`` are in data units of an axes drawn at ``pt_per_unit`` points per unit
    on both axes; ``shrink_start``, ``shrink_end`` (the radius of the circle the line stops at
    around each end) and ``linewidths`` are in points, one per edge. The arc3 curve is cut where
    it leaves the circle around its start and enters the one around its end; a line end with an
    arrowhead ends at the head's tip, pulled back so that the tip's stroke does not overshoot.

    Returns ``(lines, heads)`` in data units: per edge its points, two for a straight segment or
    three for a quadratic curve (start, control, end), and per arrowhead ``(edge index, its
    three corners)``, in edge order.
    """
    import numpy as np

    p0, p2 = np.asarray(starts, dtype=float).reshape(-1, 2), np.asarray(ends, dtype=float).reshape(-1, 2)
    rads = np.asarray(rads, dtype=float)
    both_ends = np.asarray(both_ends, dtype=bool)
    r_start = np.asarray(shrink_start, dtype=float) / pt_per_unit
    r_end = np.asarray(shrink_end, dtype=float) / pt_per_unit
    d = p2 - p0
    p1 = (p0 + p2) / 2 + rads[:, None] * np.stack([d[:, 1], -d[:, 0]], axis=1)  # arc3's control point
    curve = (p0, p1, p2)
    # An end is cut only when the curve leaves its circle (matplotlib leaves it whole otherwise).
    zeros, ones = np.zeros(len(p0)), np.ones(len(p0))
    t0 = np.where(np.hypot(*d.T) > r_start, _crossing(curve, zeros, ones, p0, r_start), 0.0)
    left_at = _quadratic(*curve, t0)
    t1 = np.where(
        np.hypot(*(left_at - p2).T) > r_end, 1 - _crossing(curve[::-1], 1 - ones, 1 - t0, p2, r_end), 1.0
    )
    # The part [t0, t1] of a quadratic curve is the quadratic curve through these three points.
    q0, q2 = left_at, _quadratic(*curve, t1)
    q1 = (
        ((1 - t0) * (1 - t1))[:, None] * p0
        + ((1 - t0) * t1 + t0 * (1 - t1))[:, None] * p1
        + (t0 * t1)[:, None] * p2
    )
    # Arrowheads (matplotlib's ArrowStyle "-|>"): the tip on the line end, pulled back along the
    # curve's tangent by half the line width over the sine of the head's half angle.
    length, half = HEAD_LENGTH_PT / pt_per_unit, HEAD_HALF_WIDTH_PT / pt_per_unit
    pad = 0.5 * np.asarray(linewidths, dtype=float) / pt_per_unit * math.hypot(length, half) / half

    def head(tip: Any, towards: Any) -> tuple[Any, Any, Any]:
        back = towards - tip
        norm = np.hypot(*back.T)
        has = norm > 0  # no tangent, no head (matplotlib's "no room for an arrow")
        unit = back / np.where(has, norm, 1.0)[:, None]
        tip = tip + np.where(has, pad, 0.0)[:, None] * unit
        side = np.stack([-unit[:, 1], unit[:, 0]], axis=1) * half
        base = tip + unit * length
        return tip, np.stack([base + side, tip, base - side], axis=1), has

    end_tip, end_heads, end_has = head(q2, q1)
    start_tip, start_heads, start_has = head(q0, q1)
    start_has &= both_ends
    q0 = np.where(start_has[:, None], start_tip, q0)
    lines = [
        np.array([a, b]) if rad == 0 else np.array([a, control, b])
        for a, control, b, rad in zip(q0, q1, end_tip, rads, strict=True)
    ]
    heads = [(int(i), end_heads[i]) for i in np.flatnonzero(end_has)]
    heads += [(int(i), start_heads[i]) for i in np.flatnonzero(start_has)]
    return lines, sorted(heads, key=lambda head: head[0])


@dataclass(frozen=True)
class _Frame:
    """The network's plotting box on the page (points, y down) and its data-to-page scale."""

    left: float
    top: float
    right: float
    bottom: float
    centre: tuple[float, float]  # the data point at the box's centre
    pt_per_unit: float

    def page(self, x: float, y: float) -> tuple[float, float]:
        """A data point (y up) on the page (y down)."""
        k = self.pt_per_unit
        return (
            (self.left + self.right) / 2 + (x - self.centre[0]) * k,
            (self.top + self.bottom) / 2 - (y - self.centre[1]) * k,
        )


def _fit(box: tuple[float, float, float, float], pos: dict[str, tuple[float, float]]) -> _Frame:
    """The frame that shows ``pos`` (60 units of margin) in ``box`` (left, top, right, bottom
    in page points) at one scale on both axes, centred."""
    left, top, right, bottom = box
    if not pos:
        return _Frame(left, top, right, bottom, (0.0, 0.0), 1.0)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    pad = 60.0
    width, height = max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
    scale = min((right - left) / width, (bottom - top) / height)
    centre = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
    return _Frame(left, top, right, bottom, centre, scale)


def _curve_commands(frame: _Frame, points: Any) -> list[Command]:
    """An edge's line (two points: straight; three: quadratic) as page commands."""
    page = [frame.page(float(x), float(y)) for x, y in points]
    if len(page) == 2:
        return [("M", *page[0]), ("L", *page[1])]
    return [("M", *page[0]), ("Q", *page[1], *page[2])]


def _draw_edge_groups(
    drawing: Drawing, edges: list[Any], pos: dict[str, Any], frame: _Frame, rcol: dict[str, str]
) -> None:
    """Many edges: straight lines, one path per relation type and status."""
    groups: dict[tuple[str, str], list[Command]] = defaultdict(list)
    for u, v, _key, attrs in edges:
        groups[(attrs.get("type", ""), style.status_of(attrs))] += _curve_commands(frame, [pos[u], pos[v]])
    for (rtype, status), commands in sorted(groups.items()):
        look = Stroke(rcol.get(rtype, style.FALLBACK_COLOUR), 0.4, 0.6, dash_of(style.dashes(status), 0.4))
        drawing.add(Shape(tuple(commands), look))


def _draw_edges(
    drawing: Drawing,
    graph: nx.MultiDiGraph,
    pos: dict[str, Any],
    frame: _Frame,
    radius_pt: dict[str, float],
    rcol: dict[str, str],
    flagged: set[str],
) -> None:
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: str(e[2]))
    if len(edges) > 1500:
        _draw_edge_groups(drawing, edges, pos, frame, rcol)
        return
    shown = [(u, v, key, attrs) for u, v, key, attrs in edges if u != v]
    if not shown:
        return
    pair_seen: dict[tuple[str, str], int] = defaultdict(int)
    rads = []
    for u, v, _key, _attrs in shown:
        pair = (min(u, v), max(u, v))
        nth = pair_seen[pair]
        pair_seen[pair] += 1
        # Parallel relations between one pair bend away from each other, alternately.
        rads.append(0.0 if nth == 0 else (0.12 * ((nth + 1) // 2)) * (1 if nth % 2 else -1))
    colours = [rcol.get(attrs.get("type"), style.FALLBACK_COLOUR) for _, _, _, attrs in shown]
    widths = [1.3 if key in flagged else 0.6 for _, _, key, _ in shown]
    both = [attrs.get("type") in SYMMETRIC_RELATIONS for _, _, _, attrs in shown]
    lines, heads = arrow_geometry(
        [pos[u] for u, _, _, _ in shown],
        [pos[v] for _, v, _, _ in shown],
        rads=rads,
        shrink_start=[radius_pt[u] for u, _, _, _ in shown],
        shrink_end=[radius_pt[v] for _, v, _, _ in shown],
        linewidths=widths,
        both_ends=both,
        pt_per_unit=frame.pt_per_unit,
    )
    # The lines, then the arrowheads filled and solid on top, so every head shows. Lines (and
    # heads) that look alike are one path, one SVG element; a dash pattern starts again at each
    # part of a path, as it did on each edge drawn on its own.
    statuses = [style.status_of(attrs) for _, _, _, attrs in shown]
    by_look: dict[tuple[str, float, str], list[Command]] = defaultdict(list)
    for i, line in enumerate(lines):
        by_look[(colours[i], widths[i], statuses[i])] += _curve_commands(frame, line)
    for (colour, width, status), commands in sorted(by_look.items()):
        look = Stroke(colour, width, 0.75, dash_of(style.dashes(status), width), "round", "round")
        drawing.add(Shape(tuple(commands), look))
    head_looks: dict[tuple[str, float], list[Command]] = defaultdict(list)
    for i, corners in heads:
        head_looks[(colours[i], widths[i])] += polygon([frame.page(float(x), float(y)) for x, y in corners])
    for (colour, width), commands in sorted(head_looks.items()):
        look = Stroke(colour, width, 0.75, (), "round", "round")
        drawing.add(Shape(tuple(commands), look, colour, 0.75))


def _draw_nodes(
    drawing: Drawing,
    graph: nx.MultiDiGraph,
    pos: dict[str, Any],
    frame: _Frame,
    radius_pt: dict[str, float],
    flagged: set[str],
    ecol: dict[str, str],
) -> None:
    """Each entity's marker (shape by category, colour by type), outlined in red when a gap
    finding names it; by type, then by id."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for node in sorted(graph):
        by_type[graph.nodes[node].get("type", "")].append(node)
    for t in sorted(by_type):
        members = by_type[t]
        category = graph.nodes[members[0]].get("category")
        grow = math.sqrt(1.4) if category == "objective" else 1.0  # stars look small at one size
        for m in members:
            outline = Stroke(style.GAP_COLOUR, 1.4) if m in flagged else Stroke("#333333", 0.4)
            x, y = frame.page(*pos[m])
            fill = ecol.get(t, style.FALLBACK_COLOUR)
            drawing.add(marker(style.marker(category), x, y, 2 * radius_pt[m] * grow, fill, outline, "node"))


def _draw_labels(
    drawing: Drawing, graph: nx.MultiDiGraph, pos: dict[str, Any], frame: _Frame, radius_pt: dict[str, float]
) -> int:
    """Labels where they fit, the most connected entities first; returns how many."""
    from exports.declutter import place_labels

    degree = dict(graph.degree())
    order = sorted(graph, key=lambda m: (-degree.get(m, 0), m))
    items = [
        (n, frame.page(*pos[n]), radius_pt[n], _short(graph.nodes[n].get("name") or n, 34)) for n in order
    ]
    placed = place_labels(
        items,
        (frame.left, frame.top, frame.right, frame.bottom),
        lambda text: text_width(text, LABEL_PT),
        LABEL_PT,
    )
    for _ident, text, (x0, y0) in placed:
        drawing.text(x0, y0, text, LABEL_PT, va="top", colour="#1a202c")
    return len(placed)


def network_figure(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    caption: str,
    findings: Sequence[Finding] = (),
    seed: int = 42,
) -> Drawing:
    """The network on an A4 landscape page: the map's layout, nodes that never overlap, labels
    (7.5 pt) only where they fit, most connected first, and a legend in the same size.

    Past :data:`exports.view.MAX_NODES` entities only the best connected are drawn, as on
    the map (20,000 took 2 min and 5.4 GB, and no one reads them on a page); the caption
    says how many were left out.
    """
    graph, omitted = busiest(graph)
    if omitted:
        caption = f"{caption} · {omitted:,} less connected entities left out"
    found: list[Finding] = list(findings)
    flagged = {s for f in found for s in f.entity_ids}
    flagged_edges = {f.relation_id for f in found if f.relation_id}
    width, height = (side * 72 for side in A4_LANDSCAPE)
    drawing = Drawing(width, height)
    pos, sizes = _network_positions(graph, seed)
    # The plot takes the left three quarters, under the header; the legends the rest.
    frame = _fit((0.008 * width, (1 - 0.925) * height, 0.758 * width, 0.99 * height), pos)
    legend_of = style.legend(graph)
    ecol = {str(t["name"]): str(t["colour"]) for t in legend_of["types"]}
    rcol = {str(r["name"]): str(r["colour"]) for r in legend_of["relations"]}
    radius_pt = {n: max(1.6, s * frame.pt_per_unit) for n, s in sizes.items()}
    _draw_edges(drawing, graph, pos, frame, radius_pt, rcol, flagged_edges)
    _draw_nodes(drawing, graph, pos, frame, radius_pt, flagged, ecol)
    labelled = _draw_labels(drawing, graph, pos, frame, radius_pt)
    n = graph.number_of_nodes()
    note = f"labels: {labelled} of {n} entities, where they fit (most connected first); the interactive map names every one"
    _header(drawing, title, f"{caption} · {note}" if labelled < n else caption)
    _stack_legends(drawing, _legend_handles(legend_of, bool(flagged), bool(flagged_edges)), 0.765, 0.925, 1.0)
    return drawing


def _row_metrics(rows: float) -> tuple[float, float]:
    """``(row pitch, label size)`` in points for ``rows`` rows of labels down an A4 landscape page.

    Up to 52 rows keep the comfortable 9.8 pt pitch and 7.5 pt labels. More rows close up,
    labels shrinking with the pitch but never under :data:`MIN_TEXT_PT`; the page never grows:
    what does not fit at that size is folded first (:func:`_fold`, :data:`ENGAGEMENT_ROWS`).

    >>> _row_metrics(40), _row_metrics(57)[1] < 7.5, _row_metrics(200)
    ((9.8, 7.5), True, (8.4, 7.0))
    """
    usable = A4_LANDSCAPE[1] * 72 * ENGAGEMENT_USABLE
    if rows * ROW_PITCH_PT <= usable:
        return ROW_PITCH_PT, LABEL_PT
    pitch = max(usable / rows, MIN_TEXT_PT * TIGHT_PITCH)
    return pitch, min(LABEL_PT, max(MIN_TEXT_PT, round(pitch / TIGHT_PITCH, 3)))


#: Rows down the engagement figure at the tightest pitch: more are folded into "+ N more" rows.
ENGAGEMENT_ROWS = int(A4_LANDSCAPE[1] * 72 * ENGAGEMENT_USABLE / (MIN_TEXT_PT * TIGHT_PITCH))


@dataclass(frozen=True)
class _Row:
    """One row of a column of the engagement figure: a group heading, an entity or a fold."""

    text: str
    node: str | None = None
    part: str = "entity"  # "heading", "entity" or "more"


def _fold(groups: list[tuple[str, list[str]]], room: int, weight: Callable[[str], float]) -> list[_Row]:
    """The rows of ``groups`` (heading, members in order) in at most ``room`` rows.

    When not every group fits with at least its best member, the groups of least weight (the
    sum of their members') fold into one "+ N more groups" row at the end, so that those kept
    still show members (and the figure its lines). Then, while there are too many rows, the
    largest group's least weighted member (the last one on a tie) gives way, never a group's
    last; a group that lost members ends with a "+ N more" row.

    >>> rows = _fold([("a", ["x", "y", "z"]), ("b", ["w"])], 5, {"x": 3, "y": 1, "z": 2, "w": 1}.get)
    >>> [r.text for r in rows]
    ['a (3)', 'x', '+ 2 more', 'b (1)', 'w']
    >>> rows = _fold([("a", ["x", "y"]), ("b", ["w"]), ("c", ["v"])], 4, {"x": 1, "y": 1, "w": 5, "v": 1}.get)
    >>> [r.text for r in rows]
    ['b (1)', 'w', '+ 2 more groups (3)']
    """
    kept = _groups_that_fit(groups, room, weight)
    folded = [g for g in range(len(groups)) if g not in kept]
    room -= 1 if folded else 0
    order = sorted(kept)
    shown = [list(groups[g][1]) for g in order]
    hidden = [0] * len(order)

    def total() -> int:
        return sum(1 + len(s) + (1 if h else 0) for s, h in zip(shown, hidden, strict=True))

    while total() > room and any(len(s) > 1 for s in shown):
        i = max((g for g in range(len(shown)) if len(shown[g]) > 1), key=lambda g: (len(shown[g]), -g))
        at = min(range(len(shown[i])), key=lambda m: (weight(shown[i][m]) or 0, -m))
        del shown[i][at]
        hidden[i] += 1
    rows: list[_Row] = []
    for k, g in enumerate(order):
        heading, members = groups[g]
        rows.append(_Row(f"{heading} ({len(members)})", part="heading"))
        rows += [_Row(node, node) for node in shown[k]]
        if hidden[k]:
            rows.append(_Row(f"+ {hidden[k]} more", part="more"))
    if folded:
        rest = sum(len(groups[g][1]) for g in folded)
        rows.append(_Row(f"+ {len(folded)} more groups ({rest})", part="more"))
    return rows


def _groups_that_fit(
    groups: list[tuple[str, list[str]]], room: int, weight: Callable[[str], float]
) -> set[int]:
    """The groups (by index) kept whole or in part: all when each fits with its best member;
    else the heaviest that do, one row left for the "+ N more groups" row."""

    def least(members: list[str]) -> int:  # heading, best member, "+ N more" when there are others
        return 1 + min(len(members), 1) + (1 if len(members) > 1 else 0)

    if sum(least(members) for _, members in groups) <= room:
        return set(range(len(groups)))
    by_weight = sorted(range(len(groups)), key=lambda g: (-sum(weight(m) or 0 for m in groups[g][1]), g))
    kept: set[int] = set()
    used = 1  # the "+ N more groups" row
    for g in by_weight:
        if used + least(groups[g][1]) <= room:
            kept.add(g)
            used += least(groups[g][1])
    return kept


def _legend_rows(sections: list[tuple[str, list[Any]]], columns: int = 1) -> float:
    """Rows a stack of legends (as :func:`_stack_legends` lays it out) takes, counted at the
    tightest pitch, so never too few: in label heights, as measured on the seed, a legend
    heading with its gap is 2.6, an entry 1.35."""
    heights = [
        2.6 + 1.35 * math.ceil(len(entries) / (columns if len(entries) > LEGEND_FOLD else 1))
        for _, entries in sections
        if entries
    ]
    return sum(heights) / TIGHT_PITCH


def _engagement_legends(
    graph: nx.MultiDiGraph, view: EngagementView, shown: set[str], flagged: set[str]
) -> tuple[list[tuple[str, list[Entry]]], list[tuple[str, list[Entry]]]]:
    """The engagement figure's legends: for its lines (role colours, the activity -> objective
    colour, status dashes), and for its boxes (fill by entity type, the red frames); each lists
    only what the figure shows."""
    used_roles = [r for r in (*ROLES, "") if any(p.role == r and p.type == "ENGAGES_IN" for p in view.pairs)]
    used_status = [s for s in STATUSES if any(p.status == s for p in view.pairs)]
    colours = [Entry(r or "(no role)", "line", Stroke(style.role_colour(r), 2.0)) for r in used_roles]
    if any(p.type == "ADDRESSES" for p in view.pairs):
        colours.append(
            Entry("activity → objective", "line", Stroke(style.RELATION_COLOURS["ADDRESSES"], 2.0, 0.55))
        )
    dashes = [
        Entry(s, "line", Stroke("#333333", 1.2, dash=dash_of(style.dashes(s), 1.2))) for s in used_status
    ]
    lines = [("Line colour: role (actor → activity)", colours), ("Dashes: status", dashes)]
    ecol = style.entity_colours({a.get("type") for _, a in graph.nodes(data=True)})
    types = sorted({graph.nodes[n].get("type") or "" for n in shown}, key=lambda t: (t not in ecol, t))
    fills = [
        Entry(t.replace("_", " ") or "(none)", "patch", fill=style.tint(ecol.get(t, style.FALLBACK_COLOUR)))
        for t in types
    ]
    frames = []
    if view.uncovered & shown:
        gap_frame = Stroke(style.GAP_COLOUR, 1.0, dash=_dashed(1.0))
        frames.append(Entry("no ecosystem actor engages", "patch", gap_frame, fill="#fff5f5"))
    if (flagged - view.uncovered) & shown:
        frames.append(
            Entry("named by another gap finding", "patch", Stroke(style.GAP_COLOUR, 1.0), fill="#ffffff")
        )
    boxes = [("Box fill: entity type", fills), ("Red frame: gap", frames)]
    return lines, boxes


def _engagement_summary(
    graph: nx.MultiDiGraph, view: EngagementView, idle: list[str], folded: int
) -> list[str]:
    """The engagement figure's summary lines: what it draws, and what it counts instead."""
    summary = []
    if view.uncovered:
        summary.append(f"{len(view.uncovered)} activities no ecosystem actor engages on")
    if idle:
        by_type: dict[str, int] = defaultdict(int)
        for node in idle:
            by_type[graph.nodes[node].get("type") or "actor"] += 1
        kinds = ", ".join(
            f"{n} {t.replace('_', ' ')}" for t, n in sorted(by_type.items(), key=lambda x: (-x[1], x[0]))
        )
        summary.append(f"{len(idle)} actors with no engagement recorded ({kinds}), not drawn")
    if folded:
        summary.append(f"{folded} entities folded into '+ N more' rows")
    if idle or folded:
        summary[-1] += "; the interactive map shows every one"
    return summary


@dataclass
class _EngagementPage:
    """What the engagement figure puts in each column, and how tightly."""

    rows: dict[str, list[_Row]]
    idle: list[str]
    lines: list[tuple[str, list[Any]]]  # legends under the objectives
    boxes: list[tuple[str, list[Any]]]  # legends under the actors
    summary: list[str]
    summary_under: str  # the column whose legends the summary follows: actor or objective
    pitch_pt: float
    label_pt: float


def _engagement_page(graph: nx.MultiDiGraph, view: EngagementView, flagged: set[str]) -> _EngagementPage:
    """Lay the engagement view out on one A4 landscape page: the legends' rows reserved under
    the objectives (lines) and the actors (boxes, summary), the rest folded to fit at 7 pt."""
    from exports.engagement import IDLE

    columns: dict[str, list[tuple[str, list[str]]]] = {"actor": [], "activity": [], "objective": []}
    idle: list[str] = []
    for group in view.groups:
        if group.key == IDLE and group.column == "actor":
            idle = list(group.members)
        else:
            columns[group.column].append((group.label, list(group.members)))
    lines_of: dict[str, int] = defaultdict(int)
    for pair in view.pairs:
        lines_of[pair.source] += 1
        lines_of[pair.target] += 1

    def weight(node: str) -> float:  # the most connected stay; on a tie, the gaps
        return lines_of[node] + (0.5 if node in view.uncovered or node in flagged else 0.0)

    every = {n for _, members in (g for c in columns.values() for g in c) for n in members}
    lines, boxes = _engagement_legends(graph, view, every, flagged)
    reserved = {
        "actor": _legend_rows(boxes, 2) + 1.5,
        "activity": 0.0,
        "objective": _legend_rows(lines, 2) + 1.5,
    }
    # The summary goes under the side with more room; its length depends on what is folded, so
    # it is counted with a fold line (never short).
    summary_rows = sum(len(_chunks(s, SUMMARY_CHARS)) for s in _engagement_summary(graph, view, idle, 1))
    need = {c: reserved[c] + sum(1 + len(m) for _, m in columns[c]) for c in ("actor", "objective")}
    summary_under = min(need, key=lambda c: (need[c], c))
    reserved[summary_under] += summary_rows
    rows = {c: _fold(groups, int(ENGAGEMENT_ROWS - reserved[c]), weight) for c, groups in columns.items()}
    shown = {r.node for rs in rows.values() for r in rs if r.node}
    folded = len(every - shown)
    if folded:  # the legends list only what is drawn
        lines, boxes = _engagement_legends(graph, view, shown, flagged)
    pitch_pt, label_pt = _row_metrics(max([len(rows[c]) + reserved[c] for c in rows] + [1]))
    summary = _engagement_summary(graph, view, idle, folded)
    return _EngagementPage(rows, idle, lines, boxes, summary, summary_under, pitch_pt, label_pt)


#: The engagement figure's columns: where their lines end (figure fractions), where their text
#: starts (actors end there, right-aligned) and how many characters of a name they show.
ENGAGEMENT_ANCHORS = {"actor": 0.285, "activity": 0.405, "objective": 0.745}
ENGAGEMENT_TEXT_X = {"actor": 0.278, "activity": 0.412, "objective": 0.752}
ENGAGEMENT_NAME_CHARS = {"actor": 52, "activity": 50, "objective": 46}
ENGAGEMENT_TOP = 0.885
#: A box's padding around its name and the radius of its corners, per point of text size
#: (matplotlib's ``boxstyle="round,pad=0.15"``).
BOX_PAD = 0.15


def _dashed(width: float) -> tuple[float, ...]:
    """matplotlib's "--" for a line ``width`` wide: 3.7 on, 1.6 off, times the width."""
    return (3.7 * width, 1.6 * width)


def _draw_column(
    drawing: Drawing,
    column: str,
    rows: list[_Row],
    graph: nx.MultiDiGraph,
    marks: tuple[set[str], set[str]],
    page: _EngagementPage,
) -> dict[str, float]:
    """One column's rows, from the top down; returns the height (page points from the top) of
    each entity."""
    uncovered, flagged = marks
    width, height = drawing.width, drawing.height
    x_heading = ENGAGEMENT_ANCHORS["actor"] if column == "actor" else ENGAGEMENT_TEXT_X[column]
    ecol = style.entity_colours({a.get("type") for _, a in graph.nodes(data=True)})
    # Actor names end at their boxes' edge; the actor headings and folds at the lines' ends.
    x_of = {
        "entity": ENGAGEMENT_TEXT_X[column] * width,
        "heading": x_heading * width,
        "more": x_heading * width,
    }
    anchor = "end" if column == "actor" else "start"
    size = page.label_pt
    ys: dict[str, float] = {}
    y = (1 - ENGAGEMENT_TOP) * height
    for row in rows:
        look: dict[str, Any] = {"weight": "bold", "colour": "#4a5568"}
        text = _short(
            (graph.nodes[row.node].get("name") or row.node) if row.node else row.text,
            ENGAGEMENT_NAME_CHARS[column],
        )
        x = x_of[row.part]
        if row.part == "more":
            look = {"italic": True, "colour": "#4a5568"}
        elif row.node is not None:
            ys[row.node] = y
            gap = row.node in uncovered
            fill = style.tint(ecol.get(graph.nodes[row.node].get("type", ""), style.FALLBACK_COLOUR))
            frame = None
            if gap or row.node in flagged:
                frame = Stroke(style.GAP_COLOUR, 0.8, dash=_dashed(0.8) if gap else ())
            w, pad = text_width(text, size), BOX_PAD * size
            left = x - w if anchor == "end" else x
            box = rect(left - pad, y - size / 2 - pad, w + 2 * pad, size + 2 * pad, rounded=pad)
            drawing.add(Shape(box, frame, "#fff5f5" if gap else fill))
            look = {"colour": style.GAP_COLOUR if gap else "#1a202c"}
        drawing.text(x, y, text, size, va="center", anchor=anchor, **look)
        y += page.pitch_pt
    return ys


def _draw_pairs(drawing: Drawing, view: EngagementView, ys: dict[str, float], t: float) -> None:
    """One curve per actor-activity and activity-objective pair whose ends are on the page;
    curves that look alike are one path (one SVG element)."""
    width = drawing.width
    anchors = ENGAGEMENT_ANCHORS
    by_look: dict[tuple[str, float, float, str], list[Command]] = defaultdict(list)
    for pair in view.pairs:
        if pair.source not in ys or pair.target not in ys:
            continue
        engaged = pair.type == "ENGAGES_IN"
        x0 = (anchors["actor"] if engaged else 0.66) * width
        x1 = (anchors["activity"] if engaged else anchors["objective"]) * width
        y0, y1 = ys[pair.source], ys[pair.target]
        mid = (x0 + x1) / 2
        colour = style.role_colour(pair.role) if engaged else style.RELATION_COLOURS["ADDRESSES"]
        look = (colour, 0.85 if engaged else 0.55, (0.7 + 0.4 * (len(pair.keys) - 1)) * t, pair.status)
        by_look[look] += [("M", x0, y0), ("C", mid, y0, mid, y1, x1, y1)]
    for (colour, alpha, line_width, status), commands in sorted(by_look.items()):
        dash = dash_of(style.dashes(status), line_width)
        drawing.add(Shape(tuple(commands), Stroke(colour, line_width, alpha, dash), tag="pair"))


def _draw_keys(drawing: Drawing, page: _EngagementPage, t: float) -> None:
    """The column headings; the line legends under the objectives; the box legends under the
    actors (from the left margin of the page); the summary under one of them."""
    width, height = drawing.width, drawing.height
    step = page.pitch_pt / height
    top = (1 - ENGAGEMENT_TOP - 0.024) * height
    heading = {"weight": "bold"}
    drawing.text(
        ENGAGEMENT_ANCHORS["actor"] * width,
        top,
        "Actors (by stakeholder group)",
        9 * t,
        anchor="end",
        **heading,
    )
    drawing.text(ENGAGEMENT_TEXT_X["activity"] * width, top, "Activities (by process)", 9 * t, **heading)
    drawing.text(ENGAGEMENT_TEXT_X["objective"] * width, top, "Objectives", 9 * t, **heading)
    left = {"actor": 0.012, "objective": ENGAGEMENT_ANCHORS["objective"]}
    bottom = {
        column: _stack_legends(
            drawing,
            sections,
            left[column],
            ENGAGEMENT_TOP - (len(page.rows[column]) + 1.0) * step,
            t,
            columns,
        )
        for column, sections, columns in (("objective", page.lines, 2), ("actor", page.boxes, 2))
    }
    y = (1 - bottom[page.summary_under] + 0.005) * height
    for line in page.summary:
        for part in _chunks(line, SUMMARY_CHARS):
            drawing.text(left[page.summary_under] * width, y, part, LEGEND_PT * t, va="top", colour="#4a5568")
            y += page.pitch_pt


def engagement_figure(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    caption: str,
    findings: Sequence[Finding] = (),
    uncovered: Sequence[str] | None = None,
) -> Drawing:
    """The engagement view (:mod:`exports.engagement`) on one A4 landscape page (297 x 210 mm).

    Actors (by stakeholder group) on the left, activities (by process) in the middle,
    objectives on the right; one line per actor-activity pair, coloured by role and dashed by
    status; uncovered activities in a red dashed frame, other entities named by a gap finding
    in a solid one. Actors with no engagement line are counted by type under the legends
    (every one is in the interactive view). Rows close up to fit the page with labels down to
    7 pt; what still does not fit is folded into "+ N more" rows (:func:`_engagement_page`).
    The page never grows and no text is under 7 pt.
    """
    from exports.engagement import engagement_view

    view = engagement_view(graph, uncovered=uncovered)
    flagged = {s for f in findings for s in f.entity_ids}
    page = _engagement_page(graph, view, flagged)
    t = page.label_pt / LABEL_PT  # column text (headings, legends, summary) scales with the labels
    width, height = (side * 72 for side in A4_LANDSCAPE)
    drawing, labels = Drawing(width, height), Drawing(width, height)
    ys: dict[str, float] = {}
    for column, rows in page.rows.items():
        ys.update(_draw_column(labels, column, rows, graph, (view.uncovered, flagged), page))
    _draw_pairs(drawing, view, ys, t)  # under the names' boxes
    drawing.add(*labels.items)
    _draw_keys(drawing, page, t)
    _header(drawing, title, caption)
    return drawing


def _chunks(text: str, width: int) -> list[str]:
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def figure_bytes(
    graph: nx.MultiDiGraph,
    fmt: str,
    *,
    title: str,
    caption: str,
    findings: Sequence[Any] = (),
    seed: int = 42,
    view: str = "network",
    uncovered: Sequence[str] | None = None,
) -> bytes:
    """The ``view`` figure of ``graph`` (network or engagement) as ``fmt`` (png, svg or pdf) bytes."""
    if view == "engagement":
        drawing = engagement_figure(
            graph, title=title, caption=caption, findings=findings, uncovered=uncovered
        )
    else:
        drawing = network_figure(graph, title=title, caption=caption, findings=findings, seed=seed)
    return drawing_bytes(drawing, fmt)


def _write_figure(fmt: str, graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    data = figure_bytes(
        graph,
        fmt,
        title=options.title,
        caption=options.caption,
        findings=options.findings,
        seed=options.seed,
        view=options.view,
        uncovered=options.uncovered,
    )
    atomic_write_bytes(out, data)
    return [out]


# One decorator per format, so exports.registry.format_names can read them without importing this.
@export_format("png", "PNG figure (network or engagement view) for an A4 landscape page", figure=True)
def write_png(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    return _write_figure("png", graph, out, options)


@export_format("svg", "SVG figure (network or engagement view) for an A4 landscape page", figure=True)
def write_svg(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    return _write_figure("svg", graph, out, options)


@export_format("pdf", "PDF figure (network or engagement view) for an A4 landscape page", figure=True)
def write_pdf(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    return _write_figure("pdf", graph, out, options)
