"""The engagement matrix as a static figure: A4 landscape pages (PNG, SVG, PDF).

``igfmap export --view matrix --format pdf`` draws :class:`exports.matrix_view.MatrixTable` the
way the page shows it: the actors that engage on something as rows under their stakeholder
group, every activity as a column under its process (its whole name, read bottom to top,
wrapped between words), cells coloured by role, lettered, and hatched by status; columns no
ecosystem actor engages on have a red heading and count. Every text is at least 7 pt on the
A4 landscape page (842 × 595 pt). A table that does not fit one page is cut between rows (and
between column groups when too wide), the headings repeated: the PDF gets one page per part,
a PNG or SVG the parts stacked, each an A4 landscape page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import networkx as nx

from exports import style
from exports.matrix_view import ROLE_ABBREVIATIONS, MatrixTable, group_counts
from exports.registry import ExportOptions, view_writer
from mapper.schema import ROLES, STATUSES

PAGE = (841.89, 595.28)  # A4 landscape, in points
MARGIN = 22.0
TEXT_PT = 7.0  # the smallest text on the page
LINE = 9.0  # line pitch of 7 pt text (1.25 lines: glyph boxes of adjacent lines never touch)
HEAD_HEIGHT = 215.0  # the band of rotated column headings
LABEL_WIDTH = 165.0  # actor names (count included)
COUNT_WIDTH = 14.0
CELL_MIN = 13.0
TOP = 56.0  # title and caption
LEGEND_HEIGHT = 44.0
HATCHES = {"active": "", "planned": "////", "proposed": "xxxx", "requested": "....", "concluded": ""}
GAP_RED = style.GAP_COLOUR


@cache
def text_width(text: str, size: float = TEXT_PT, bold: bool = False) -> float:
    """Width in points of ``text`` set in DejaVu Sans at ``size`` points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    font = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    return float(TextPath((0, 0), text, size=size, prop=font, usetex=False).get_extents().width)


def wrap(text: str, width: float, size: float = TEXT_PT, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width`` points, broken between words only (a word wider
    than the line stands alone on its line)."""
    lines: list[str] = []
    for word in " ".join(str(text).split()).split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class _Column:
    key: str  # column id, or the group key for a group's separator
    lines: tuple[str, ...]
    width: float
    separator: bool = False
    uncovered: bool = False
    count: int = 0
    heads_group: bool = False  # a process heading its group: bold, a rule on its left


@dataclass(frozen=True)
class _Row:
    key: str
    lines: tuple[str, ...]
    height: float
    heading: bool = False
    count: int = 0


def _columns(table: MatrixTable, by: str) -> list[list[_Column]]:
    """The column groups, each a separator (its label) then its columns, with their widths."""
    uncovered = set(table.uncovered)
    per_column = {c["id"]: 0 for c in table.columns}
    for cell in table.cells:
        per_column[cell["column"]] += 1
    out = []
    for key, label, cols in table.column_groups(by):
        group = []
        if not cols or cols[0]["id"] != key:  # a process heading its own group names it already
            lines = wrap(label, HEAD_HEIGHT - 6, bold=True)
            group.append(_Column(key, tuple(lines), len(lines) * LINE + 3, separator=True))
        for col in cols:
            bold = col["id"] == key  # drawn bold: measured bold
            lines = wrap(col["name"], HEAD_HEIGHT - 6, bold=bold)
            width = max(CELL_MIN, len(lines) * LINE + 3)
            group.append(
                _Column(
                    col["id"], tuple(lines), width, False, col["id"] in uncovered, per_column[col["id"]], bold
                )
            )
        out.append(group)
    return out


def _rows(table: MatrixTable) -> list[_Row]:
    """Group headings and the actors with an engagement, in the page's order."""
    per_row: dict[str, int] = {}
    for cell in table.cells:
        per_row[cell["row"]] = per_row.get(cell["row"], 0) + 1
    idle = group_counts(table)
    out = []
    for group, rows in table.row_groups(engaged_only=True):
        label = f"{group} · {len(rows)} engaged" + (
            f", {idle[group]} with no engagement (not shown)" if idle[group] else ""
        )
        out.append(_Row(group, (label,), LINE + 4, heading=True))
        for r in rows:
            lines = wrap(r["name"], LABEL_WIDTH - COUNT_WIDTH - 8)[:3]
            out.append(_Row(r["id"], tuple(lines), len(lines) * LINE + 1.5, count=per_row.get(r["id"], 0)))
    return out


def _split_columns(groups: list[list[_Column]], room: float) -> list[list[_Column]]:
    """Column groups packed into parts no wider than ``room``; a group wider than a part is cut
    (its separator repeated)."""
    parts: list[list[_Column]] = [[]]
    for group in groups:
        width = sum(c.width for c in group)
        if parts[-1] and sum(c.width for c in parts[-1]) + width > room:
            parts.append([])
        for col in group:
            used = sum(c.width for c in parts[-1])
            if parts[-1] and used + col.width > room:
                parts.append([group[0]] if group[0].separator and not col.separator else [])
            parts[-1].append(col)
    return [p for p in parts if p]


def _split_rows(rows: list[_Row], room: float) -> list[list[_Row]]:
    """Rows packed into parts no taller than ``room``; a group cut between parts gets its heading
    again (marked continued), and no heading is left alone at the foot of a part."""
    parts: list[list[_Row]] = [[]]
    heading: _Row | None = None
    for row in rows:
        if row.heading:
            heading = row
        used = sum(r.height for r in parts[-1])
        if parts[-1] and used + row.height > room:
            carried = parts[-1].pop() if parts[-1][-1].heading else None
            parts.append([])
            if carried is not None:
                parts[-1].append(carried)
            elif not row.heading and heading is not None:
                parts[-1].append(
                    _Row(heading.key, (heading.lines[0] + " (continued)",), heading.height, heading=True)
                )
        parts[-1].append(row)
    return [p for p in parts if p]


def _draw_header(ax: Any, cols: list[_Column], top: float) -> None:
    """Rotated column headings and the count line under them."""
    x = MARGIN + LABEL_WIDTH
    base = top + TOP + HEAD_HEIGHT
    ax.text(
        MARGIN + LABEL_WIDTH - 3,
        base + LINE / 2 + 1,
        "actors engaged",
        fontsize=TEXT_PT,
        ha="right",
        va="center",
        color="#4a5568",
        parse_math=False,
    )
    for col in cols:
        centre = x + col.width / 2
        colour = (
            GAP_RED if col.uncovered else ("#a0aec0" if not col.count and not col.separator else "#1a202c")
        )
        ax.text(
            centre,
            base - 3,
            "\n".join(col.lines),
            rotation=90,
            rotation_mode="anchor",
            ha="left",
            va="center",
            fontsize=TEXT_PT,
            linespacing=1.25,
            color=colour,
            parse_math=False,
            fontweight="bold" if col.separator or col.heads_group else "normal",
        )
        if not col.separator:
            ax.text(
                centre,
                base + LINE / 2 + 1,
                str(col.count),
                fontsize=TEXT_PT,
                ha="center",
                va="center",
                color=colour,
                fontweight="bold" if col.uncovered else "normal",
            )
        x += col.width
    ax.plot([MARGIN, x], [base + LINE + 2] * 2, color="#718096", linewidth=0.8)


def _draw_cell(ax: Any, cell: dict[str, Any], box: tuple[float, float, float, float]) -> None:
    from matplotlib import patheffects
    from matplotlib.patches import Rectangle

    x, y, w, h = box
    colour = style.role_colour(cell["role"])
    status = cell["status"]
    solid = status in ("active", "concluded")
    ax.add_patch(
        Rectangle(
            (x + 1, y + 1),
            w - 2,
            h - 2,
            facecolor=colour if solid else "white",
            edgecolor=colour,
            hatch=HATCHES.get(status) or None,
            linewidth=0.6,
            alpha=0.45 if status == "concluded" else 1.0,
        )
    )
    light = solid and status == "active"
    ax.text(
        x + w / 2,
        y + h / 2,
        ROLE_ABBREVIATIONS.get(cell["role"], "·"),
        fontsize=TEXT_PT,
        ha="center",
        va="center",
        fontweight="bold",
        color="white" if light else "#1a202c",
        path_effects=[patheffects.withStroke(linewidth=1.6, foreground="#1a202c" if light else "white")],
    )


def _draw_rows(ax: Any, table: MatrixTable, cols: list[_Column], rows: list[_Row], top: float) -> None:
    from matplotlib.patches import Rectangle

    right = MARGIN + LABEL_WIDTH + sum(c.width for c in cols)
    y = top + TOP + HEAD_HEIGHT + LINE + 3
    x = MARGIN + LABEL_WIDTH
    bottom = y + sum(r.height for r in rows)
    for col in cols:  # group separators: a grey band down the table; a rule where each group starts
        if col.separator or col.heads_group:
            ax.plot([x, x], [top + TOP + 8, bottom], color="#718096", linewidth=0.8, zorder=0.6)
        if col.separator:
            ax.add_patch(
                Rectangle(
                    (x, top + TOP),
                    col.width,
                    y - top - TOP + sum(r.height for r in rows),
                    facecolor="#edf2f7",
                    edgecolor="none",
                    zorder=0,
                )
            )
        x += col.width
    for row in rows:
        if row.heading:
            ax.add_patch(
                Rectangle((MARGIN, y), right - MARGIN, row.height, facecolor="#e2e8f0", edgecolor="none")
            )
            ax.text(
                MARGIN + 3,
                y + row.height / 2,
                row.lines[0],
                fontsize=7.5,
                fontweight="bold",
                va="center",
                parse_math=False,
            )
        else:
            ax.text(
                MARGIN + 2,
                y + row.height / 2,
                "\n".join(row.lines),
                fontsize=TEXT_PT,
                va="center",
                linespacing=1.25,
                parse_math=False,
            )
            ax.text(
                MARGIN + LABEL_WIDTH - 3,
                y + row.height / 2,
                str(row.count),
                fontsize=TEXT_PT,
                ha="right",
                va="center",
                color="#4a5568",
            )
            x = MARGIN + LABEL_WIDTH
            for col in cols:
                cell = None if col.separator else table.cell(row.key, col.key)
                if cell is not None:
                    _draw_cell(ax, cell, (x, y, col.width, row.height))
                x += col.width
            ax.plot([MARGIN, right], [y + row.height] * 2, color="#e2e8f0", linewidth=0.5, zorder=0.5)
        y += row.height


def _draw_legend(ax: Any, table: MatrixTable, top: float) -> None:
    """Roles (colour, letters) and statuses (patterns) in use, and what red and the counts mean."""
    used_roles = [r for r in (*ROLES, "") if any(c["role"] == r for c in table.cells)]
    used_status = [s for s in STATUSES if any(c["status"] == s for c in table.cells)]
    y = top + PAGE[1] - MARGIN - LEGEND_HEIGHT + 6
    for title, entries in (
        (
            "Cell colour and letters: role",
            [({"role": r, "status": "active"}, r or "(no role)") for r in used_roles],
        ),
        ("Cell pattern: status", [({"role": "co-lead", "status": s}, s) for s in used_status]),
    ):
        ax.text(MARGIN, y, title, fontsize=7.5, fontweight="bold", va="center")
        x = MARGIN + 150
        for cell, label in entries:
            _draw_cell(ax, cell, (x, y - 6, 18, 12))
            ax.text(x + 21, y, label, fontsize=TEXT_PT, va="center", parse_math=False)
            x += 30 + text_width(label)
        y += 14
    idle = sum(group_counts(table).values())
    note = (
        "Red heading and count: no ecosystem actor engages on the activity (active or planned). "
        f"Counts: actors per activity, activities per actor. {idle} actors with no engagement are not shown."
    )
    ax.text(MARGIN, y, note, fontsize=TEXT_PT, va="center", color="#4a5568", parse_math=False)


def _parts(table: MatrixTable, by: str) -> list[tuple[list[_Column], list[_Row]]]:
    room_w = PAGE[0] - 2 * MARGIN - LABEL_WIDTH
    room_h = PAGE[1] - TOP - HEAD_HEIGHT - LINE - 3 - LEGEND_HEIGHT - MARGIN - 4
    col_parts = _split_columns(_columns(table, by), room_w)
    row_parts = _split_rows(_rows(table), room_h) or [[]]
    return [(c, r) for c in col_parts for r in row_parts]


def _draw_page(
    ax: Any, table: MatrixTable, part: tuple[list[_Column], list[_Row]], top: float, head: tuple[str, str]
) -> None:
    cols, rows = part
    ax.text(MARGIN, top + MARGIN, head[0], fontsize=13, fontweight="bold", va="top", parse_math=False)
    ax.text(MARGIN, top + MARGIN + 19, head[1], fontsize=8.5, color="#4a5568", va="top", parse_math=False)
    _draw_header(ax, cols, top)
    _draw_rows(ax, table, cols, rows, top)
    _draw_legend(ax, table, top)


def matrix_figures(
    table: MatrixTable, *, title: str, caption: str, by: str = "process", stacked: bool = False
) -> list[Any]:
    """The matrix on A4 landscape pages: one figure per page, or (``stacked``) one figure with
    the pages one under the other."""
    from exports.static import new_figure

    parts = _parts(table, by)
    figures = []
    pages = [parts] if stacked else [[p] for p in parts]
    for n, group in enumerate(pages):
        fig = new_figure(PAGE[0] / 72, PAGE[1] * len(group) / 72)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, PAGE[0])
        ax.set_ylim(PAGE[1] * len(group), 0)
        ax.axis("off")
        for i, part in enumerate(group):
            page = i if stacked else n
            suffix = f" · page {page + 1} of {len(parts)}" if len(parts) > 1 else ""
            _draw_page(ax, table, part, PAGE[1] * i, (title, caption + suffix))
        figures.append(fig)
    return figures


def matrix_figure_bytes(table: MatrixTable, fmt: str, *, title: str, caption: str) -> bytes:
    """The matrix as ``fmt``: a PDF of A4 landscape pages, or a PNG/SVG of them stacked."""
    import matplotlib

    from exports.static import FIGURE_RC, quiet_fonts, save

    if fmt != "pdf":
        return save(matrix_figures(table, title=title, caption=caption, stacked=True)[0], fmt)
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    metadata = {"CreationDate": None, "ModDate": None, "Creator": "igf-mapper", "Producer": "igf-mapper"}
    with (
        matplotlib.rc_context(cast(Any, FIGURE_RC)),
        quiet_fonts(),
        PdfPages(buffer, metadata=metadata) as pdf,
    ):
        for fig in matrix_figures(table, title=title, caption=caption):
            pdf.savefig(fig, facecolor="white")
    return buffer.getvalue()


def _write(fmt: str) -> Any:
    def write(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
        from exports.matrix_view import table_of
        from mapper.outputs import atomic_write_bytes

        atomic_write_bytes(
            out, matrix_figure_bytes(table_of(options), fmt, title=options.title, caption=options.caption)
        )
        return [out]

    return write


for _fmt in ("png", "svg", "pdf"):
    view_writer("matrix", _fmt)(_write(_fmt))


__all__: Sequence[str] = ["matrix_figure_bytes", "matrix_figures", "text_width", "wrap"]
