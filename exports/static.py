"""Static figures (PNG, SVG, PDF) drawn with matplotlib, byte-for-byte reproducible.

The network figure uses the map's vocabulary (:mod:`exports.style`): colour per entity type,
marker per category, colour per relation type, dash pattern per status, gap findings outlined
in red; the same layout as the HTML map for the same seed; a title, a caption with the date and
the counts, and a legend. Determinism: no creation dates (``metadata`` without ``Date`` /
``CreationDate``), a fixed ``svg.hashsalt``, a fixed PNG ``Software`` tag, SVG text as (escaped) text elements,
sorted drawing order. Text from the data is never parsed as mathtext (``parse_math=False``).

Only :func:`save` and the drawing functions import matplotlib (it is slow to import).
"""

from __future__ import annotations

import io
import math
import warnings
from collections import defaultdict
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from exports import style
from exports.layout import compute_positions
from exports.registry import ExportOptions, export_format
from mapper.schema import ROLES, STATUSES, SYMMETRIC_RELATIONS
from mapper.store import atomic_write_bytes
from queries.gaps import Finding

if TYPE_CHECKING:
    from exports.engagement import EngagementView

FIGURE_FORMATS = ("png", "svg", "pdf")
LABEL_ALL_LIMIT = 300
LABEL_TOP = 80
DPI = 110

FIGURE_RC = {
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
    metadata: dict[str, Any] = {
        "png": {"Software": "igf-mapper"},
        "svg": {"Date": None, "Creator": "igf-mapper"},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "igf-mapper", "Producer": "igf-mapper"},
    }[fmt]
    buffer = io.BytesIO()
    with matplotlib.rc_context(FIGURE_RC), quiet_fonts():
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=DPI, facecolor="white")
    return buffer.getvalue()


#: A4 landscape in inches: figures are laid out for it, so their points are points on paper.
A4_LANDSCAPE = (11.69, 8.27)
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


def _a4(scale: float = 1.0) -> Any:
    """A figure with A4 landscape proportions, ``scale`` times the size (fonts scale with it)."""
    return new_figure(A4_LANDSCAPE[0] * scale, A4_LANDSCAPE[1] * scale)


def _header(fig: Any, title: str, caption: str, k: float) -> None:
    fig.text(0.012, 0.985, _short(title, 110), fontsize=13 * k, fontweight="bold", va="top", parse_math=False)
    fig.text(
        0.012, 0.952, _short(caption, 200), fontsize=8.5 * k, color="#4a5568", va="top", parse_math=False
    )


def _stack_legends(fig: Any, sections: list[tuple[str, list[Any]]], x0: float, top: float, k: float) -> float:
    """Legends one under the other from ``top`` (figure fraction) down; returns the bottom."""
    renderer = fig.canvas.get_renderer()
    for heading, handles in sections:
        if not handles:
            continue
        leg = fig.legend(
            handles=handles,
            title=heading,
            loc="upper left",
            bbox_to_anchor=(x0, top),
            fontsize=LEGEND_PT * k,
            title_fontsize=8 * k,
            frameon=False,
            alignment="left",
            borderaxespad=0.0,
            labelspacing=0.35,
            handlelength=2.2,
        )
        extent = leg.get_window_extent(renderer).transformed(fig.transFigure.inverted())
        top = extent.y0 - 0.012
    return top


def _legend_handles(legend: dict[str, list[dict[str, Any]]], flagged: bool) -> list[tuple[str, list[Any]]]:
    from matplotlib.lines import Line2D

    types = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=style.marker(t["category"]),
            markersize=6,
            markerfacecolor=t["colour"],
            markeredgecolor="#333333",
            label=f"{t['name']} ({t['category']})",
        )
        for t in legend["types"]
    ]
    if flagged:
        types.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=6,
                markerfacecolor="white",
                markeredgecolor=style.GAP_COLOUR,
                markeredgewidth=2,
                label="named by a gap finding",
            )
        )
    relations = [Line2D([], [], color=r["colour"], linewidth=2, label=r["name"]) for r in legend["relations"]]
    statuses = [
        Line2D(
            [], [], color="#333333", linewidth=1.3, linestyle=style.mpl_linestyle(s["name"]), label=s["name"]
        )
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

    Returns ``(lines, heads)`` as matplotlib paths in data units: per edge a straight segment or
    a quadratic curve, and per arrowhead ``(edge index, closed triangle)``, in edge order.
    """
    import numpy as np
    from matplotlib.path import Path as MplPath

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
    lines = []
    for a, control, b, rad in zip(q0, q1, end_tip, rads, strict=True):
        if rad == 0:
            lines.append(MplPath([a, b], [MplPath.MOVETO, MplPath.LINETO]))
        else:
            lines.append(MplPath([a, control, b], [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3]))
    closed = [MplPath.MOVETO, MplPath.LINETO, MplPath.LINETO, MplPath.CLOSEPOLY]
    heads = [(int(i), MplPath([*end_heads[i], end_heads[i][0]], closed)) for i in np.flatnonzero(end_has)]
    heads += [
        (int(i), MplPath([*start_heads[i], start_heads[i][0]], closed)) for i in np.flatnonzero(start_has)
    ]
    return lines, sorted(heads, key=lambda head: head[0])


def _draw_edges(
    ax: Any, graph: nx.MultiDiGraph, pos: dict, radius_pt: dict, rcol: dict, flagged: set, pt_per_unit: float
) -> None:
    from matplotlib.collections import LineCollection, PathCollection

    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: str(e[2]))
    if len(edges) > 1500:  # many edges: one collection per type and status
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for u, v, _key, attrs in edges:
            groups[(attrs.get("type", ""), style.status_of(attrs))].append([pos[u], pos[v]])
        for (rtype, status), segments in sorted(groups.items()):
            ax.add_collection(
                LineCollection(
                    segments,
                    colors=rcol.get(rtype, style.FALLBACK_COLOUR),
                    linestyles=[style.mpl_linestyle(status)],
                    linewidths=0.4,
                    alpha=0.6,
                    zorder=1,
                )
            )
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
        pt_per_unit=pt_per_unit,
    )
    # Two collections instead of a patch per edge: the lines, then the arrowheads filled and
    # solid on top, so every head shows. Lines (and heads) that look alike are joined into one
    # path, one SVG element: a path per edge and per head took twice as long to draw. A dash
    # pattern starts again at each part of a path, as it did on each edge drawn on its own.
    statuses = [style.status_of(attrs) for _, _, _, attrs in shown]
    line_looks, line_paths = _joined(lines, [(colours[i], widths[i], statuses[i]) for i in range(len(lines))])
    head_looks, head_paths = _joined([path for _, path in heads], [(colours[i], widths[i]) for i, _ in heads])
    common = {"alpha": 0.75, "zorder": 1, "joinstyle": "round", "capstyle": "round"}
    ax.add_collection(
        PathCollection(
            line_paths,
            facecolors="none",
            edgecolors=[colour for colour, _, _ in line_looks],
            linewidths=[width for _, width, _ in line_looks],
            linestyles=[style.mpl_linestyle(status) for _, _, status in line_looks],
            **common,
        ),
        autolim=False,
    )
    ax.add_collection(
        PathCollection(
            head_paths,
            facecolors=[colour for colour, _ in head_looks],
            edgecolors=[colour for colour, _ in head_looks],
            linewidths=[width for _, width in head_looks],
            **common,
        ),
        autolim=False,
    )


def _joined(paths: list[Any], looks: list[Any]) -> tuple[list[Any], list[Any]]:
    """``paths`` joined into one compound path per look, in sorted order of the looks."""
    from matplotlib.path import Path as MplPath

    by_look: dict[Any, list[Any]] = defaultdict(list)
    for path, look in zip(paths, looks, strict=True):
        by_look[look].append(path)
    order = sorted(by_look)
    joined = [MplPath.make_compound_path(*by_look[look]) for look in order]
    for path in joined:
        # matplotlib simplifies long straight paths (path.simplify): not these, whose parts
        # are separate edges, each drawn exactly as on its own.
        path.should_simplify = False
    return order, joined


def network_figure(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    caption: str,
    findings: Sequence[Finding] = (),
    seed: int = 42,
) -> Any:
    """The network on an A4 landscape page: the map's layout, nodes that never overlap, labels
    (7.5 pt) only where they fit, most connected first, and a legend in the same size."""
    import matplotlib

    found: list[Finding] = list(findings)
    flagged = {s for f in found for s in f.entity_ids}
    flagged_edges = {f.relation_id for f in found if f.relation_id}
    with matplotlib.rc_context(FIGURE_RC), quiet_fonts():
        fig = _a4()
        ax = fig.add_axes((0.008, 0.01, 0.75, 0.915))
        ax.set_axis_off()
        pos, sizes = _network_positions(graph, seed)
        legend = style.legend(graph)
        ecol = {t["name"]: t["colour"] for t in legend["types"]}
        rcol = {r["name"]: r["colour"] for r in legend["relations"]}
        if pos:
            xs = [p[0] for p in pos.values()]
            ys = [p[1] for p in pos.values()]
            pad = 60.0
            width, height = max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
            box = ax.get_position()
            aspect = (box.width * A4_LANDSCAPE[0]) / (box.height * A4_LANDSCAPE[1])
            # Same scale on both axes: widen whichever side is short.
            if width / height < aspect:
                width = height * aspect
            else:
                height = width / aspect
            cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
            ax.set_xlim(cx - width / 2, cx + width / 2)
            ax.set_ylim(cy - height / 2, cy + height / 2)
            pt_per_unit = box.width * A4_LANDSCAPE[0] * 72 / width
        else:
            pt_per_unit = 1.0
        radius_pt = {n: max(1.6, s * pt_per_unit) for n, s in sizes.items()}
        _draw_edges(ax, graph, pos, radius_pt, rcol, flagged_edges, pt_per_unit)
        by_type: dict[str, list[str]] = defaultdict(list)
        for node in sorted(graph):
            by_type[graph.nodes[node].get("type", "")].append(node)
        for t in sorted(by_type):
            members = by_type[t]
            category = graph.nodes[members[0]].get("category")
            ax.scatter(
                [pos[m][0] for m in members],
                [pos[m][1] for m in members],
                s=[(2 * radius_pt[m]) ** 2 * (1.4 if category == "objective" else 1.0) for m in members],
                c=ecol.get(t, style.FALLBACK_COLOUR),
                marker=style.marker(category),
                edgecolors=[style.GAP_COLOUR if m in flagged else "#333333" for m in members],
                linewidths=[1.4 if m in flagged else 0.4 for m in members],
                zorder=2,
            )
        from exports.declutter import place_labels

        degree = dict(graph.degree())
        order = sorted(graph, key=lambda m: (-degree.get(m, 0), m))
        points = fig.dpi / 72
        obstacles = []
        for node in order:
            px, py = ax.transData.transform(pos[node])
            r = radius_pt[node] * points
            obstacles.append((px - r, py - r, px + r, py + r))
        labelled = place_labels(
            ax,
            [(n, pos[n], radius_pt[n], _short(graph.nodes[n].get("name") or n, 34)) for n in order],
            fontsize=LABEL_PT,
            obstacles=obstacles,
            color="#1a202c",
            zorder=3,
        )
        n = graph.number_of_nodes()
        note = f"labels: {len(labelled)} of {n} entities, where they fit (most connected first); the interactive map names every one"
        _header(fig, title, f"{caption} · {note}" if len(labelled) < n else caption, 1.0)
        _stack_legends(fig, _legend_handles(legend, bool(flagged)), 0.765, 0.925, 1.0)
    return fig


def _row_metrics(rows: float) -> tuple[float, float, float]:
    """``(page scale, row pitch, label size)`` for ``rows`` rows of labels down an A4 page.

    Up to 52 rows keep the comfortable 9.8 pt pitch and 7.5 pt labels. More rows close up,
    labels shrinking with the pitch but never under :data:`MIN_TEXT_PT` (60 rows); beyond
    that the page grows instead (its text gets smaller than that only when fitted to A4).
    Pitch and size are in points of the scaled page.

    >>> _row_metrics(40), _row_metrics(60)[0], round(_row_metrics(122)[0], 2)
    ((1.0, 9.8, 7.5), 1.0, 2.0)
    """
    usable = A4_LANDSCAPE[1] * 72 * ENGAGEMENT_USABLE
    if rows * ROW_PITCH_PT <= usable:
        return 1.0, ROW_PITCH_PT, LABEL_PT
    pitch = usable / rows
    if pitch >= MIN_TEXT_PT * TIGHT_PITCH:
        return 1.0, pitch, min(LABEL_PT, pitch / TIGHT_PITCH)
    return rows * MIN_TEXT_PT * TIGHT_PITCH / usable, MIN_TEXT_PT * TIGHT_PITCH, MIN_TEXT_PT


def _engagement_key(
    graph: nx.MultiDiGraph, view: EngagementView, idle: list[str]
) -> tuple[list[Any], list[str]]:
    """The engagement figure's legends (roles and statuses in use) and its summary lines."""
    from matplotlib.lines import Line2D

    used_roles = [r for r in (*ROLES, "") if any(p.role == r and p.type == "ENGAGES_IN" for p in view.pairs)]
    used_status = [s for s in STATUSES if any(p.status == s for p in view.pairs)]
    handles = [
        (
            "Line colour: role",
            [
                Line2D([], [], color=style.role_colour(r), linewidth=2, label=r or "(no role)")
                for r in used_roles
            ],
        ),
        (
            "Dashes: status",
            [
                Line2D([], [], color="#333333", linewidth=1.2, linestyle=style.mpl_linestyle(s), label=s)
                for s in used_status
            ],
        ),
    ]
    summary = [f"{len(view.pairs)} lines for {sum(len(p.keys) for p in view.pairs)} relations"]
    if view.uncovered:
        summary.append(f"{len(view.uncovered)} activities no ecosystem actor engages on (red, dashed)")
    if idle:
        by_type: dict[str, int] = defaultdict(int)
        for node in idle:
            by_type[graph.nodes[node].get("type") or "actor"] += 1
        kinds = ", ".join(
            f"{n} {t.replace('_', ' ')}" for t, n in sorted(by_type.items(), key=lambda x: (-x[1], x[0]))
        )
        summary.append(f"{len(idle)} actors with no engagement recorded: {kinds}")
    return handles, summary


def engagement_figure(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    caption: str,
    findings: Sequence[Finding] = (),
    uncovered: Sequence[str] | None = None,
) -> Any:
    """The engagement view (:mod:`exports.engagement`) on an A4 landscape page.

    Actors (by stakeholder group) on the left, activities (by process) in the middle,
    objectives on the right; one line per actor-activity pair, coloured by role and dashed by
    status; uncovered activities in a red dashed frame. Actors with no engagement line are
    counted by type under the legends (every one is in the interactive view). Rows close up
    to fit the page with labels down to 7 pt; only beyond that does the page grow
    (:func:`_row_metrics`). Nothing is drawn off the page.
    """
    import matplotlib
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_rgba
    from matplotlib.path import Path as MplPath

    from exports.engagement import IDLE, engagement_view

    view = engagement_view(graph, uncovered=uncovered)
    flagged = {s for f in findings for s in f.entity_ids}
    blocks: dict[str, list[tuple[str, str | None]]] = {"actor": [], "activity": [], "objective": []}
    idle: list[str] = []
    for group in view.groups:
        if group.key == IDLE and group.column == "actor":
            idle = list(group.members)
            continue
        blocks[group.column].append((f"{group.label} ({len(group.members)})", None))
        blocks[group.column] += [("", m) for m in group.members]
    handles, summary = _engagement_key(graph, view, idle)
    # The objectives column also holds the legends and the summary, so the rows are counted
    # with them (in label heights, measured on the seed: a legend heading with its gap 2.6, an
    # entry 1.35; converted at the tightest pitch, so never too few).
    legend_labels = sum(2.6 + 1.35 * len(entries) for _, entries in handles if entries)
    summary_rows = sum(len(_chunks(line, SUMMARY_CHARS)) for line in summary)
    objective_rows = len(blocks["objective"]) + 1.5 + legend_labels / TIGHT_PITCH + summary_rows
    k, pitch_pt, label_pt = _row_metrics(max([len(b) for b in blocks.values()] + [objective_rows, 1]))
    t = label_pt / LABEL_PT  # column text (headings, legends, summary) scales with the labels
    ecol = style.entity_colours({a.get("type") for _, a in graph.nodes(data=True)})
    with matplotlib.rc_context(FIGURE_RC), quiet_fonts():
        fig = _a4(k)
        height_pt = A4_LANDSCAPE[1] * 72 * k
        top = 0.885
        step = pitch_pt / height_pt
        anchors = {"actor": 0.285, "activity": 0.405, "objective": 0.745}
        text_x = {"actor": 0.278, "activity": 0.412, "objective": 0.752}
        limits = {"actor": 52, "activity": 50, "objective": 46}
        ys: dict[str, float] = {}
        fig.text(
            anchors["actor"],
            top + 0.024,
            "Actors (by stakeholder group)",
            ha="right",
            fontsize=9 * t,
            fontweight="bold",
        )
        fig.text(
            text_x["activity"], top + 0.024, "Activities (by process)", fontsize=9 * t, fontweight="bold"
        )
        fig.text(text_x["objective"], top + 0.025, "Objectives", fontsize=9 * t, fontweight="bold")
        for column, block in blocks.items():
            y = top
            for heading, node in block:
                if node is None:
                    fig.text(
                        text_x[column] if column != "actor" else anchors["actor"],
                        y,
                        _short(heading, limits[column]),
                        ha="right" if column == "actor" else "left",
                        va="center",
                        fontsize=label_pt,
                        fontweight="bold",
                        color="#4a5568",
                        parse_math=False,
                    )
                else:
                    ys[node] = y
                    attrs = graph.nodes[node]
                    gap = node in view.uncovered
                    fig.text(
                        text_x[column],
                        y,
                        _short(attrs.get("name") or node, limits[column]),
                        ha="right" if column == "actor" else "left",
                        va="center",
                        fontsize=label_pt,
                        color=style.GAP_COLOUR if gap else "#1a202c",
                        parse_math=False,
                        bbox={
                            "boxstyle": "round,pad=0.15",
                            "facecolor": "#fff5f5"
                            if gap
                            else style.tint(ecol.get(attrs.get("type", ""), style.FALLBACK_COLOUR)),
                            "edgecolor": style.GAP_COLOUR if gap or node in flagged else "none",
                            "linestyle": "--" if gap else "-",
                            "linewidth": 0.8,
                        },
                    )
                y -= step
        out_x = {"activity": 0.66, "objective": anchors["objective"]}
        # One collection of curves, not a patch each (each patch was drawn on its own).
        curves, colours, widths, dash = [], [], [], []
        for pair in view.pairs:
            if pair.source not in ys or pair.target not in ys:
                continue
            engaged = pair.type == "ENGAGES_IN"
            x0 = anchors["actor"] if engaged else out_x["activity"]
            x1 = anchors["activity"] if engaged else out_x["objective"]
            y0, y1 = ys[pair.source], ys[pair.target]
            mid = (x0 + x1) / 2
            curves.append(
                MplPath(
                    [(x0, y0), (mid, y0), (mid, y1), (x1, y1)],
                    [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4],
                )
            )
            colour = style.role_colour(pair.role) if engaged else style.RELATION_COLOURS["ADDRESSES"]
            colours.append(to_rgba(colour, 0.85 if engaged else 0.55))
            widths.append((0.7 + 0.4 * (len(pair.keys) - 1)) * t)
            dash.append(style.mpl_linestyle(pair.status))
        fig.add_artist(
            PathCollection(
                curves,
                transform=fig.transFigure,
                facecolors="none",
                edgecolors=colours,
                linewidths=widths,
                linestyles=dash,
                capstyle="butt",
            )
        )
        # Legend and summary under the objectives, the shortest column.
        below = top - (len(blocks["objective"]) + 1.5) * step
        bottom = _stack_legends(fig, handles, anchors["objective"], below, t)
        y = bottom - 0.005
        for line in summary:
            for part in _chunks(line, SUMMARY_CHARS):
                fig.text(
                    anchors["objective"],
                    y,
                    part,
                    fontsize=LEGEND_PT * t,
                    color="#4a5568",
                    va="top",
                    parse_math=False,
                )
                y -= step
        _header(fig, title, caption, k)
    return fig


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
        fig = engagement_figure(graph, title=title, caption=caption, findings=findings, uncovered=uncovered)
    else:
        fig = network_figure(graph, title=title, caption=caption, findings=findings, seed=seed)
    return save(fig, fmt)


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
