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
from typing import Any

import networkx as nx

from exports import style
from exports.layout import compute_positions
from exports.registry import ExportOptions, Writer, export_format
from mapper.schema import SYMMETRIC_RELATIONS
from mapper.store import atomic_write_bytes
from queries.gaps import Finding

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


def _wrap(text: str, width: int = 28) -> str:
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1] + "…"]
    return "\n".join(lines)


def network_figure(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    caption: str,
    findings: Sequence[Finding] = (),
    seed: int = 42,
) -> Any:
    """A matplotlib Figure of ``graph`` with legend, title and caption (see module docstring)."""
    import matplotlib
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    found: list[Finding] = list(findings)
    flagged = {s for f in found for s in f.entity_ids}
    flagged_edges = {f.relation_id for f in found if f.relation_id}
    n = graph.number_of_nodes()
    side = min(30.0, max(10.0, 7.0 + 1.1 * math.sqrt(n)))
    with matplotlib.rc_context(FIGURE_RC), quiet_fonts():
        fig = new_figure(side + 4.2, side * 0.78 + 1.2)
        ax = fig.add_axes((0.01, 0.02, side / (side + 4.2) - 0.01, 0.9))
        ax.set_axis_off()
        fig.text(0.01, 0.975, title, fontsize=17, fontweight="bold", va="top", parse_math=False)
        fig.text(0.01, 0.945, caption, fontsize=10.5, color="#4a5568", va="top", parse_math=False)
        pos = {k: (x, -y) for k, (x, y) in compute_positions(graph, seed=seed).items()}
        legend = style.legend(graph)
        ecol = {t["name"]: t["colour"] for t in legend["types"]}
        rcol = {r["name"]: r["colour"] for r in legend["relations"]}
        degree = dict(graph.degree())
        sizes = {node: 40 + 18 * math.sqrt(degree.get(node, 0)) for node in graph}

        edges = sorted(graph.edges(keys=True, data=True), key=lambda e: str(e[2]))
        if edges:
            if len(edges) <= 1500:
                pair_seen: dict[tuple[str, str], int] = defaultdict(int)
                for u, v, key, attrs in edges:
                    if u == v:
                        continue
                    pair = (min(u, v), max(u, v))
                    nth = pair_seen[pair]
                    pair_seen[pair] += 1
                    rad = 0.0 if nth == 0 else (0.12 * ((nth + 1) // 2)) * (1 if nth % 2 else -1)
                    colour = rcol.get(attrs.get("type"), style.FALLBACK_COLOUR)
                    ax.add_patch(
                        FancyArrowPatch(
                            pos[u],
                            pos[v],
                            arrowstyle="-|>" if attrs.get("type") not in SYMMETRIC_RELATIONS else "<|-|>",
                            mutation_scale=7,
                            connectionstyle=f"arc3,rad={rad}",
                            color=colour,
                            linestyle=style.mpl_linestyle(style.status_of(attrs)),
                            linewidth=1.8 if key in flagged_edges else 0.9,
                            alpha=0.8,
                            shrinkA=math.sqrt(sizes[u]) / 1.6,
                            shrinkB=math.sqrt(sizes[v]) / 1.6,
                            zorder=1,
                        )
                    )
            else:
                groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
                for u, v, _key, attrs in edges:
                    groups[(attrs.get("type", ""), style.status_of(attrs))].append([pos[u], pos[v]])
                for (rtype, status), segments in sorted(groups.items()):
                    ax.add_collection(
                        LineCollection(
                            segments,
                            colors=rcol.get(rtype, style.FALLBACK_COLOUR),
                            linestyles=[style.mpl_linestyle(status)],
                            linewidths=0.5,
                            alpha=0.6,
                            zorder=1,
                        )
                    )

        by_type: dict[str, list[str]] = defaultdict(list)
        for node in sorted(graph):
            by_type[graph.nodes[node].get("type", "")].append(node)
        for t in sorted(by_type):
            members = by_type[t]
            category = graph.nodes[members[0]].get("category")
            ax.scatter(
                [pos[m][0] for m in members],
                [pos[m][1] for m in members],
                s=[sizes[m] * (1.8 if category == "objective" else 1.0) for m in members],
                c=ecol.get(t, style.FALLBACK_COLOUR),
                marker=style.marker(category),
                edgecolors=[style.GAP_COLOUR if m in flagged else "#333333" for m in members],
                linewidths=[2.4 if m in flagged else 0.6 for m in members],
                zorder=2,
            )
        if n <= LABEL_ALL_LIMIT:
            labelled = sorted(graph)
        else:
            labelled = sorted(sorted(graph, key=lambda m: (-degree.get(m, 0), m))[:LABEL_TOP])
        font = 7.5 if n <= 60 else 6.5 if n <= 200 else 5.5
        for node in labelled:
            x, y = pos[node]
            ax.annotate(
                _wrap(graph.nodes[node].get("name") or node),
                (x, y),
                xytext=(0, -(math.sqrt(sizes[node]) / 2 + 2)),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=font,
                color="#1a202c",
                bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.6},
                annotation_clip=False,
                parse_math=False,
                zorder=3,
            )
        if pos:
            xs = [p[0] for p in pos.values()]
            ys = [p[1] for p in pos.values()]
            span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
            ax.set_xlim(min(xs) - 0.1 * span, max(xs) + 0.1 * span)
            ax.set_ylim(min(ys) - 0.08 * span, max(ys) + 0.04 * span)

        type_handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=style.marker(t["category"]),
                markersize=8,
                markerfacecolor=t["colour"],
                markeredgecolor="#333333",
                label=f"{t['name']} ({t['category']})",
            )
            for t in legend["types"]
        ]
        if flagged:
            type_handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=8,
                    markerfacecolor="white",
                    markeredgecolor=style.GAP_COLOUR,
                    markeredgewidth=2.4,
                    label="named by a gap finding",
                )
            )
        rel_handles = [
            Line2D([], [], color=r["colour"], linewidth=2, label=r["name"]) for r in legend["relations"]
        ]
        status_handles = [
            Line2D(
                [],
                [],
                color="#333333",
                linewidth=1.5,
                linestyle=style.mpl_linestyle(s["name"]),
                label=s["name"],
            )
            for s in legend["statuses"]
        ]
        x0 = side / (side + 4.2) + 0.005
        top = 0.93
        renderer = fig.canvas.get_renderer()
        for heading, handles in (
            ("Entity type (category)", type_handles),
            ("Relation type", rel_handles),
            ("Status", status_handles),
        ):
            if not handles:
                continue
            leg = fig.legend(
                handles=handles,
                title=heading,
                loc="upper left",
                bbox_to_anchor=(x0, top),
                fontsize=8.5,
                title_fontsize=9.5,
                frameon=False,
                alignment="left",
            )
            # Stack the next legend under this one.
            extent = leg.get_window_extent(renderer).transformed(fig.transFigure.inverted())
            top = extent.y0 - 0.01
    return fig


def figure_bytes(
    graph: nx.MultiDiGraph,
    fmt: str,
    *,
    title: str,
    caption: str,
    findings: Sequence[Any] = (),
    seed: int = 42,
) -> bytes:
    """The network figure of ``graph`` as ``fmt`` (png, svg or pdf) bytes."""
    fig = network_figure(graph, title=title, caption=caption, findings=findings, seed=seed)
    return save(fig, fmt)


def _write_figure(fmt: str) -> Writer:
    def write(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
        data = figure_bytes(
            graph,
            fmt,
            title=options.title,
            caption=options.caption,
            findings=options.findings,
            seed=options.seed,
        )
        atomic_write_bytes(out, data)
        return [out]

    return write


for _fmt, _what in (("png", "PNG"), ("svg", "SVG"), ("pdf", "PDF")):
    export_format(_fmt, f"{_what} network figure with legend, title, date", figure=True)(_write_figure(_fmt))
