"""The report bundle (``igfmap report --out DIR``).

Writes::

    DIR/report.md                    the report in Markdown (figures linked from figures/)
    DIR/report.html                  the same report, self-contained: figures inlined as SVG
                                     data URIs, no script, a CSP that forbids every request
    DIR/map.html                     the interactive engagement view, gap findings outlined
    DIR/figures/engagement.svg       the engagement view (actors → activities → objectives)
    DIR/figures/map.svg              the network figure
    DIR/figures/objective-coverage.svg   objectives x stakeholder groups heat map
    DIR/figures/engagement-by-group.svg  engagements per stakeholder group, by status
    DIR/tables/matrix.csv            the engagement matrix (actors x activities, roles)
    DIR/tables/gaps.csv              every gap finding with its evidence
    DIR/tables/objective-coverage.csv, engagement-by-group.csv, sources.csv

Sections: summary figures, the engagement view and the network, objective coverage, the engagement matrix, findings per gap
rule with their evidence, and the sources cited. The content comes from the query layer
(:func:`queries.matrix.matrix`, :func:`queries.gaps.run_gaps`) on the store, so ``--neo4j``
reports run their queries in the database. With the same data and ``--as-of`` the bundle is
byte-identical (without ``--as-of``, ``stale-claim`` measures age against today).
"""

from __future__ import annotations

import base64
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import networkx as nx

from exports import style
from exports.drawing import Drawing, Entry, Shape, Stroke, hatch, legend, rect, text_width, to_svg
from exports.html_map import render_map
from exports.matrix_view import matrix_table
from exports.static import engagement_figure, network_figure
from exports.templating import environment
from exports.view import date_caption, findings_about, run_gap_rules, shown_entities
from mapper.cells import csv_lines
from mapper.outputs import atomic_write_bytes, atomic_write_lines
from mapper.schema import STAKEHOLDER_GROUPS, STATUSES
from mapper.store_protocol import Store
from queries.asof import as_of_graph
from queries.common import iso_date
from queries.ecosystem import DEFAULT_ROOT
from queries.gaps import Finding
from queries.gaps.base import label
from queries.gaps.registry import ORDER, RULES
from queries.matrix import matrix
from queries.roots import default_root

DEFAULT_TITLE = "IGF ecosystem mapping report"
NO_GROUP = "(no group)"


@dataclass
class ReportResult:
    """What :func:`write_report` wrote."""

    out: str
    files: list[str]
    entities: int
    relations: int
    findings: int

    columns: ClassVar[list[str]] = ["file", "bytes"]

    def rows(self) -> list[dict[str, Any]]:
        return [{"file": f, "bytes": (Path(self.out) / f).stat().st_size} for f in self.files]

    def to_json(self) -> dict[str, Any]:
        return {
            "out": self.out,
            "files": self.files,
            "entities": self.entities,
            "relations": self.relations,
            "findings": self.findings,
        }


@dataclass
class Bundle:
    """The bundle: ``files`` maps relative paths to bytes, ``tables`` to the CSV tables' lines,
    made as they are written (a table is never held whole in memory)."""

    files: dict[str, bytes]
    tables: dict[str, Iterator[str]]
    entities: int
    relations: int
    findings: int


# --- the numbers -------------------------------------------------------------------------------


def _status(attrs: dict[str, Any]) -> str:
    return style.status_of(attrs)


def engagement_by_group(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """``{stakeholder group: {status: ENGAGES_IN count}}`` over actors (every status)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for u, _v, attrs in graph.edges(data=True):
        if attrs.get("type") != "ENGAGES_IN" or graph.nodes[u].get("category") != "actor":
            continue
        counts[graph.nodes[u].get("stakeholder_group") or NO_GROUP][_status(attrs)] += 1
    order = [g for g in STAKEHOLDER_GROUPS if g in counts] + sorted(
        g for g in counts if g not in STAKEHOLDER_GROUPS
    )
    return {g: {s: counts[g][s] for s in STATUSES} for g in order}


def objective_coverage(
    store: Store, as_of: str | None, ecosystem: str | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Per objective: distinct actors engaged (active/planned) through activities, by
    stakeholder group, and how many of them are in the ``ecosystem`` root's ecosystem.

    Returns ``(rows, groups)``; each row is ``{id, name, groups: {group: n}, total,
    ecosystem}``, where ``ecosystem`` is None without a root.
    """
    by_actor = matrix(store, rows="actor", cols="objective", cells="count", as_of=as_of)
    graph = store.graph
    eco_actors: dict[str, set[str]] = defaultdict(set)
    if ecosystem:
        eco = matrix(store, rows="actor", cols="objective", cells="count", as_of=as_of, ecosystem=ecosystem)
        for cell in eco.cells:
            eco_actors[cell["column"]].add(cell["row"])
    per_column: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for cell in by_actor.cells:
        attrs = graph.nodes[cell["row"]] if cell["row"] in graph else {}
        group = attrs.get("stakeholder_group") or NO_GROUP
        per_column[cell["column"]][group].add(cell["row"])
    used = {g for col in per_column.values() for g in col}
    groups = [g for g in STAKEHOLDER_GROUPS if g in used] + sorted(
        g for g in used if g not in STAKEHOLDER_GROUPS
    )
    rows = []
    for head in by_actor.column_heads:
        cols = per_column.get(head["id"], {})
        rows.append(
            {
                "id": head["id"],
                "name": head["name"],
                "groups": {g: len(cols.get(g, set())) for g in groups},
                "total": len(set().union(*cols.values())) if cols else 0,
                "ecosystem": len(eco_actors.get(head["id"], set())) if ecosystem else None,
            }
        )
    return rows, groups


def cited_sources(graph: nx.MultiDiGraph, findings: list[Finding]) -> list[dict[str, Any]]:
    known = graph.graph.get("sources", {})
    cited: set[str] = set()
    for _, attrs in graph.nodes(data=True):
        cited.update(attrs.get("sources") or [])
    for _, _, attrs in graph.edges(data=True):
        cited.update(attrs.get("sources") or [])
    for f in findings:
        cited.update(f.evidence)
    return [dict(known[s]) for s in sorted(cited) if s in known]


def summary(graph: nx.MultiDiGraph, findings: list[Finding]) -> list[tuple[str, str]]:
    """(label, value) pairs for the summary section."""
    categories = Counter(a.get("category") for _, a in graph.nodes(data=True))
    engagements = [(u, v, a) for u, v, a in graph.edges(data=True) if a.get("type") == "ENGAGES_IN"]
    engaged = [e for e in engagements if _status(e[2]) in ("active", "planned")]
    known = graph.graph.get("sources", {})
    reflected = sum(
        1
        for _, _, a in engaged
        if any(known.get(s, {}).get("kind") == "igf_mapping" for s in a.get("sources") or [])
    )
    rows = [
        ("Entities", str(graph.number_of_nodes())),
        ("Relations", str(graph.number_of_edges())),
        ("Sources cited", str(len(cited_sources(graph, findings)))),
    ]
    rows += [
        (f"{c.capitalize()} entities", str(n))
        for c, n in sorted(categories.items(), key=lambda x: str(x[0]))
        if c
    ]
    rows.append(("Engagements (ENGAGES_IN, any status)", str(len(engagements))))
    rows.append(("Engagements active or planned", str(len(engaged))))
    if engaged:
        rows.append(
            (
                "Of those reflected in the IGF's own mapping",
                f"{reflected} ({round(100 * reflected / len(engaged))}%)",
            )
        )
    rows.append(("Gap findings", str(len(findings))))
    return rows


# --- figures -----------------------------------------------------------------------------------


def ecosystem_heading(root: str | None) -> str | None:
    """The coverage column of the actors in ``root``'s ecosystem (None: no such column).

    >>> ecosystem_heading("igf"), ecosystem_heading("wsis-process")
    ('IGF ecosystem', 'wsis-process ecosystem')
    """
    if not root:
        return None
    return "IGF ecosystem" if root == DEFAULT_ROOT else f"{root} ecosystem"


#: The heat map's row names wrap at this many characters (two lines fit a row; more are cut).
HEAT_NAME_CHARS = 56
HEAT_NAME_LINES = 3
#: Where the colour scale starts for a count of one: visibly above white, which means zero.
HEAT_FLOOR = 0.22


#: matplotlib's YlGnBu (ColorBrewer's nine colours, evenly spaced), for :func:`heat_colours`.
YLGNBU = ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58")


def ylgnbu(x: float) -> tuple[float, float, float, float]:
    """matplotlib's ``colormaps["YlGnBu"](x)`` without importing matplotlib: its 256-entry table
    (linear between the anchors), looked up at ``int(x * 256)``."""
    index = min(255, max(0, int(x * 256)))
    at = index / 255 * (len(YLGNBU) - 1)
    k = min(int(at), len(YLGNBU) - 2)
    low, high = style.hex_to_rgb(YLGNBU[k]), style.hex_to_rgb(YLGNBU[k + 1])
    r, g, b = (((1 - (at - k)) * a + (at - k) * c) / 255 for a, c in zip(low, high, strict=True))
    return (r, g, b, 1.0)


def heat_colours(values: list[list[int]]) -> tuple[list[list[tuple[float, ...]]], int]:
    """The heat map's cell colours and top count: zero is white; one and above run along
    YlGnBu from :data:`HEAT_FLOOR` (a clear pale green) to its darkest blue at the top count."""
    vmax = max([1, *(v for row in values for v in row)])
    span = max(1, vmax - 1)
    return [
        [
            (1.0, 1.0, 1.0, 1.0) if v <= 0 else ylgnbu(HEAT_FLOOR + (1 - HEAT_FLOOR) * (v - 1) / span)
            for v in row
        ]
        for row in values
    ], vmax


def _wrapped(name: Any) -> str:
    """A row name on at most :data:`HEAT_NAME_LINES` lines (whole unless longer than that)."""
    import textwrap

    lines = textwrap.wrap(" ".join(str(name).split()), HEAT_NAME_CHARS) or [""]
    if len(lines) > HEAT_NAME_LINES:
        lines = [
            *lines[: HEAT_NAME_LINES - 1],
            _short(" ".join(lines[HEAT_NAME_LINES - 1 :]), HEAT_NAME_CHARS),
        ]
    return "\n".join(lines)


#: The heat map's geometry in inches, as printed in A4's text column (7.3 x 10.7 in): so its
#: 8 pt text stays 8 pt there. Row names take the left, one column per group, a title above.
HEAT_LABEL_IN, HEAT_COLUMN_IN, HEAT_TOP_IN, HEAT_BOTTOM_IN = 3.75, 0.42, 0.75, 1.1


def heatmap_svg(
    rows: list[dict[str, Any]], groups: list[str], title: str, ecosystem: str | None = None
) -> bytes:
    """Objectives x stakeholder groups as SVG: distinct actors engaged, the count written in each
    cell; zero cells white and framed, counts from one up on a scale that starts above white;
    row names wrapped, not cut.

    Drawn as a table of rectangles and words (:mod:`exports.drawing`): drawing it with
    matplotlib took a tenth of ``igfmap report``'s time. Text is text (selectable, printed sharp).
    """
    heading = ecosystem_heading(ecosystem)
    columns = [*groups, "all actors", *([heading] if heading else [])]
    values = [
        [r["groups"].get(g, 0) for g in groups] + [r["total"]] + ([r["ecosystem"]] if heading else [])
        for r in rows
    ]
    names = [_wrapped(r["name"]).split("\n") for r in rows]
    # Each row as tall as its name's lines (one or two on the seed).
    heights = [72 * (0.05 + 0.12 * len(n)) for n in names]
    width = 72 * max(7.0, HEAT_LABEL_IN + HEAT_COLUMN_IN * len(columns) + 0.2)
    height = max(72 * 3.0, 72 * (HEAT_TOP_IN + HEAT_BOTTOM_IN) + sum(heights))
    left, top, cell_w = 72 * HEAT_LABEL_IN, 72 * HEAT_TOP_IN, 72 * HEAT_COLUMN_IN
    plot_h = height - 72 * (HEAT_TOP_IN + HEAT_BOTTOM_IN)
    scale = plot_h / max(sum(heights), 0.3 * 72)  # a short table is stretched to the least height
    colours, vmax = heat_colours(values)
    drawing = Drawing(width, height)
    drawing.text(0.01 * width, 18, title, 12, va="top", weight="bold")
    drawing.text(
        0.01 * width,
        36,
        "distinct actors engaged (active or planned) through activities that address each objective; white: none",
        8.5,
        va="top",
        colour="#4a5568",
    )
    y = top
    for name, row, fills, row_h in zip(names, values, colours, heights, strict=True):
        _heat_row(drawing, name, row, fills, (y, row_h * scale), left, cell_w, vmax)
        y += row_h * scale
    _heat_frame(drawing, columns, len(groups), (left, top, cell_w, plot_h))
    return to_svg(drawing)


def _heat_row(
    drawing: Drawing,
    name: list[str],
    row: list[int],
    fills: list[Any],
    span: tuple[float, float],
    left: float,
    cell_w: float,
    vmax: int,
) -> None:
    """One row (``span``: its top and height): its cells with their counts, its tick and its
    name right-aligned beside it."""
    y, row_h = span
    middle = y + row_h / 2
    tick = Stroke("#000000", 0.8)
    for j, (value, fill) in enumerate(zip(row, fills, strict=True)):
        x = left + j * cell_w
        drawing.add(Shape(rect(x, y, cell_w, row_h), Stroke("#cbd5e0", 0.6), _hex(fill)))
        colour = "#ffffff" if value > 1 + (vmax - 1) * 0.55 else "#1a202c" if value else "#a0aec0"
        # Digits have no descender: their baseline sits half a cap height under the middle.
        drawing.text(x + cell_w / 2, middle + 2.9, str(value), 8, anchor="middle", colour=colour)
    drawing.add(Shape((("M", left - 3.5, middle), ("L", left, middle)), tick))
    step = 8 * 1.05 * 1.15  # matplotlib's line spacing 1.05 of the font's line height
    first = middle + 2.9 - step * (len(name) - 1) / 2
    for k, line in enumerate(name):
        drawing.text(left - 7, first + k * step, line, 8, anchor="end")


def _heat_frame(
    drawing: Drawing, columns: list[str], groups: int, plot: tuple[float, float, float, float]
) -> None:
    """The frame, the line between the groups and the totals, and the slanted column names
    (``plot``: left, top, a column's width, the height)."""
    left, top, cell_w, plot_h = plot
    bottom = top + plot_h
    split = left + groups * cell_w
    drawing.add(Shape(rect(left, top, cell_w * len(columns), plot_h), Stroke("#a0aec0", 0.8)))
    drawing.add(Shape((("M", split, top), ("L", split, bottom)), Stroke("#4a5568", 1.5)))
    for j, column in enumerate(columns):
        x = left + (j + 0.5) * cell_w
        drawing.add(Shape((("M", x, bottom), ("L", x, bottom + 3.5)), Stroke("#000000", 0.8)))
        # Slanted 35 degrees, ending at its tick (matplotlib's rotation=35, ha="right").
        drawing.text(x + 3, bottom + 13, column, 8, anchor="end", rotation=35)


def _hex(rgba: Any) -> str:
    return "#" + "".join(f"{round(255 * c):02x}" for c in rgba[:3])


#: The bar chart's colour per status; the uncertain ones (not active or planned) are hatched.
STATUS_BAR_COLOURS = {
    "active": "#2b6cb0",
    "planned": "#63b3ed",
    "proposed": "#f6ad55",
    "requested": "#ed8936",
    "concluded": "#a0aec0",
}


#: Statuses drawn as solid bars; the others are hatched.
SURE_STATUSES = ("active", "planned")


def engagement_figure_by_group(counts: dict[str, dict[str, int]], title: str) -> Drawing:
    """Engagements per stakeholder group as stacked bars by status, a total at each bar's end,
    a status legend on the right: 9.5 in wide, 0.42 in per group (as matplotlib drew it)."""
    groups = list(counts)
    width, height = 9.5 * 72, 72 * max(2.6, 1.5 + 0.42 * len(groups))
    drawing = Drawing(width, height)
    # The axes: from a quarter of the width, 0.9 in above the bottom, 0.7 in below the top.
    left, right, top, bottom = 0.25 * width, 0.80 * width, 0.7 * 72, height - 0.9 * 72
    totals = [sum(counts[g].get(s, 0) for s in STATUSES) for g in groups]
    ticks = _nice_ticks(max([1, *totals]) * 1.05)
    per_unit = (right - left) / ticks[-1]
    row = (bottom - top) / max(1, len(groups)) if groups else bottom - top
    for i, group in enumerate(groups):
        x, centre = left, top + (i + 0.5) * row
        for status in STATUSES:
            n = counts[group].get(status, 0)
            if n:
                _bar(drawing, x, centre - 0.4 * row, n * per_unit, 0.8 * row, status)
                x += n * per_unit
        drawing.text(x + text_width(" ", 8), centre, str(totals[i]), 8, va="center")
        drawing.add(Shape((("M", left - 3.5, centre), ("L", left, centre)), Stroke("#000000", 0.8)))
        drawing.text(left - 7, centre, group, 9, va="center", anchor="end")
    axis = Stroke("#000000", 0.8, cap="square")
    drawing.add(Shape((("M", left, top), ("L", left, bottom), ("L", right, bottom)), axis))
    for tick in ticks:
        x = left + tick * per_unit
        drawing.add(Shape((("M", x, bottom), ("L", x, bottom + 3.5)), Stroke("#000000", 0.8)))
        drawing.text(x, bottom + 7, f"{tick:g}", 9, va="top", anchor="middle")
    drawing.text((left + right) / 2, bottom + 22, "ENGAGES_IN relations", 9, va="top", anchor="middle")
    used = [s for s in STATUSES if any(counts[g].get(s, 0) for g in groups)]
    if used:
        entries = [
            Entry(s, "patch", fill=STATUS_BAR_COLOURS[s], hatch=None if s in SURE_STATUSES else "#ffffff")
            for s in used
        ]
        legend(drawing, "status", entries, right + 0.02 * width, top + 4, 8, 8.5)
    drawing.text(0.01 * width, 0.22 * 72, title, 12, va="top", weight="bold")
    return drawing


def _nice_ticks(top: float) -> list[float]:
    """Ticks from 0 to at least ``top`` at a round step (1, 2, 2.5 or 5 times a power of ten),
    five to ten of them as matplotlib's default locator picks.

    >>> _nice_ticks(51.45), _nice_ticks(1.05)
    ([0, 10, 20, 30, 40, 50, 60], [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2])
    """
    power = 10 ** math.floor(math.log10(top / 5))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if top / (m * power) <= 6)
    count = math.ceil(top / step - 1e-9)
    return [round(k * step, 10) if k * step % 1 else int(k * step) for k in range(count + 1)]


def _bar(drawing: Drawing, x: float, y: float, w: float, h: float, status: str) -> None:
    """One bar segment with a white edge; hatched unless active or planned."""
    drawing.add(Shape(rect(x, y, w, h), Stroke("#ffffff", 1.0), STATUS_BAR_COLOURS[status]))
    if status not in SURE_STATUSES:
        drawing.add(hatch(x, y, w, h, "#ffffff"))


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- text helpers ------------------------------------------------------------------------------


def md_escape(text: Any) -> str:
    """Text for a Markdown table cell or paragraph: no HTML, no Markdown syntax, one line."""
    out = " ".join(str(text).split())
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_{}[]()#+!|~":
        out = out.replace(ch, "\\" + ch)
    return out


#: Where the coverage table's long heading words may break, as a narrow A4 column needs. The
#: browser has no English hyphenation dictionary on Linux, so without these it breaks anywhere
#: ("governm|ent"); a word not listed still breaks anywhere rather than overflow.
HEADING_BREAKS = {
    "government": "govern-ment",
    "intergovernmental": "inter-govern-mental",
    "multistakeholder": "multi-stake-holder",
    "technical": "tech-nical",
    "community": "commu-nity",
    "society": "soci-ety",
    "private": "pri-vate",
    "academia": "aca-demia",
    "ecosystem": "eco-system",
}


def soft_hyphens(text: Any) -> str:
    """``text`` with soft hyphens (U+00AD) where :data:`HEADING_BREAKS` lets its words break.

    >>> soft_hyphens("intergovernmental").split("\\u00ad")
    ['inter', 'govern', 'mental']
    >>> soft_hyphens("IGF ecosystem").replace("\\u00ad", "|")
    'IGF eco|system'
    """

    def hyphenate(match: re.Match[str]) -> str:
        word = match.group(0)
        parts = HEADING_BREAKS.get(word.lower())
        if parts is None:
            return word
        out, at = [], 0
        for part in parts.split("-"):
            out.append(word[at : at + len(part)])
            at += len(part)
        return "\u00ad".join(out)

    return re.sub(r"[A-Za-z]+", hyphenate, str(text))


def safe_url(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) URL without spaces or quotes, else None."""
    from urllib.parse import urlsplit

    if not isinstance(url, str):
        return None
    text = url.strip()
    if any(c in text for c in " \"'<>`\\") or any(ord(c) < 0x20 for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


# --- the bundle, step by step ------------------------------------------------------------------


@dataclass
class _Inputs:
    """One read of the store and what every section is computed from."""

    store: Store
    full: nx.MultiDiGraph
    graph: nx.MultiDiGraph
    day: str | None
    found: list[Finding]
    title: str
    caption: str
    seed: int
    ecosystem: str | None  # the root of the coverage table's ecosystem column (None: no column)


def _figures(
    inp: _Inputs, coverage_rows: list[dict[str, Any]], groups: list[str], by_group: dict[str, dict[str, int]]
) -> dict[str, bytes]:
    """The report's figures as SVG (no matplotlib): the engagement view first, then the network."""
    graph = inp.graph
    uncovered = sorted({s for f in inp.found if f.rule == "uncovered-activity" for s in f.subjects})
    files = {
        "figures/engagement.svg": to_svg(
            engagement_figure(
                graph,
                title=f"{inp.title}: who engages on what",
                caption=f"Actors → activities → objectives · {inp.caption}",
                findings=inp.found,
                uncovered=uncovered,
            )
        ),
        "figures/map.svg": to_svg(
            network_figure(
                graph,
                title=f"{inp.title}: the network",
                caption=f"{graph.number_of_nodes()} entities · {graph.number_of_edges()} relations · "
                f"{inp.caption} · gap findings outlined in red",
                findings=inp.found,
                seed=inp.seed,
            )
        ),
        "figures/objective-coverage.svg": heatmap_svg(
            coverage_rows, groups, "Objective coverage by stakeholder group", inp.ecosystem
        ),
        "figures/engagement-by-group.svg": to_svg(
            engagement_figure_by_group(by_group, "Engagement by stakeholder group")
        ),
    }
    return files


def _tables(
    inp: _Inputs,
    eng: Any,
    coverage_rows: list[dict[str, Any]],
    groups: list[str],
    by_group: dict[str, dict[str, int]],
) -> dict[str, Iterator[str]]:
    """Every table of the report as CSV lines (:func:`mapper.cells.csv_lines`: text cells neutralised
    for spreadsheets), made as they are written."""
    matrix_header = ["actor", "actor name", *[c["id"] for c in eng.column_heads]]
    matrix_rows = (
        [h["id"], h["name"], *[eng.cell_text(h["id"], c["id"]) for c in eng.column_heads]]
        for h in eng.row_heads
    )
    sources = cited_sources(inp.graph, inp.found)
    source_fields = ["id", "kind", "title", "date", "url", "locator"]
    tables = {
        "tables/matrix.csv": csv_lines(matrix_header, matrix_rows),
        "tables/gaps.csv": csv_lines(
            ["rule", "subjects", "relation", "explanation", "evidence"],
            (
                [f.rule, "|".join(f.subjects), f.relation_id or "", f.explanation, "|".join(f.evidence)]
                for f in inp.found
            ),
        ),
        "tables/objective-coverage.csv": csv_lines(
            [
                "objective",
                "name",
                *groups,
                "all actors",
                *([f"{inp.ecosystem} ecosystem"] if inp.ecosystem else []),
            ],
            [
                [r["id"], r["name"], *[r["groups"][g] for g in groups], r["total"]]
                + ([r["ecosystem"]] if inp.ecosystem else [])
                for r in coverage_rows
            ],
        ),
        "tables/engagement-by-group.csv": csv_lines(
            ["stakeholder_group", *STATUSES], [[g, *[c[s] for s in STATUSES]] for g, c in by_group.items()]
        ),
        "tables/sources.csv": csv_lines(
            source_fields, [[s.get(f, "") for f in source_fields] for s in sources]
        ),
    }
    return tables


def matrix_view(table: Any) -> dict[str, Any]:
    """The engagement matrix for reading and printing, laid out as the interactive matrix
    (:func:`exports.matrix_view.report_matrix`): names, not ids; headings broken between words."""
    from exports.matrix_view import report_matrix

    return report_matrix(table)


# --- page 1: the key findings ------------------------------------------------------------------

#: How many names page 1 lists at most for each key finding (the rest are counted).
KEY_NAMES = 40
#: How many of the most engaged actors page 1 names.
TOP_ACTORS = 6


def _named(names: list[str], limit: int = KEY_NAMES) -> dict[str, Any]:
    """``{"names": the first limit, "more": how many are left out}``."""
    return {"names": names[:limit], "more": max(0, len(names) - limit)}


def most_engaged_actors(graph: nx.MultiDiGraph, limit: int = TOP_ACTORS) -> list[dict[str, Any]]:
    """The actors that engage (active or planned) on the most distinct activities, processes
    and events: ``[{id, name, group, count}]``, most first, ties by name."""
    targets: dict[str, set[str]] = defaultdict(set)
    for u, v, attrs in graph.edges(data=True):
        if attrs.get("type") == "ENGAGES_IN" and _status(attrs) in ("active", "planned"):
            if graph.nodes[u].get("category") == "actor":
                targets[u].add(v)
    ranked = sorted(
        targets, key=lambda n: (-len(targets[n]), str(graph.nodes[n].get("name") or n).casefold())
    )
    return [
        {
            "id": n,
            "name": graph.nodes[n].get("name") or n,
            "group": graph.nodes[n].get("stakeholder_group") or graph.nodes[n].get("type") or "",
            "count": len(targets[n]),
        }
        for n in ranked[:limit]
    ]


def key_findings(inp: _Inputs, coverage_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What page 1 says: the count per gap rule with its one-line meaning (the rule's title),
    the uncovered activities and the least-covered objectives by name, the most engaged actors."""
    counts = Counter(f.rule for f in inp.found)
    rules = [{"id": r.id, "title": r.title, "count": counts.get(r.id, 0)} for r in RULES]
    rules += [{"id": rid, "title": rid, "count": n} for rid, n in sorted(counts.items()) if rid not in ORDER]
    names: dict[str, str] = {str(n): str(inp.full.nodes[n].get("name") or n) for n in inp.full}
    uncovered = sorted(
        {str(s) for f in inp.found if f.rule == "uncovered-activity" for s in f.subjects},
        key=lambda n: ((names.get(n) or n).casefold(), n),
    )
    # Objectives are ranked by the actors of the ecosystem when there is one (what the
    # objective-coverage rule counts), else by all actors.
    measure = "ecosystem" if inp.ecosystem else "total"
    ranked = sorted(coverage_rows, key=lambda r: (r[measure], r["total"], str(r["name"]).casefold()))
    # Those with none engaged by name; or, when every objective has some, the six lowest with
    # their count.
    least = [r for r in ranked if r[measure] == 0] or ranked[:6]
    return {
        "rules": rules,
        "uncovered": _named([names.get(n, n) for n in uncovered]),
        "uncovered_total": len(uncovered),
        "least_covered": _named([f"{r['name']} ({r[measure]})" if r[measure] else r["name"] for r in least]),
        "least_measure": f"{ecosystem_heading(inp.ecosystem)} actor" if inp.ecosystem else "actor",
        "least_zero": sum(1 for r in coverage_rows if r[measure] == 0),
        "objectives": len(coverage_rows),
        "top_actors": most_engaged_actors(inp.graph),
    }


# --- gap findings, compact ---------------------------------------------------------------------

#: A rule with at least this many one-subject findings prints them as one compact table.
COMPACT_FROM = 6


def finding_detail(explanation: str, subjects: Sequence[str], names: dict[str, str]) -> str:
    """A finding's explanation without its subjects' ``Name (id)`` (the table names them already).

    >>> finding_detail("African IGF (afigf) is part of the igf ecosystem", ["afigf"], {"afigf": "African IGF"})
    'is part of the igf ecosystem'
    >>> finding_detail("No actor engages on the activity X (x); nobody is engaged", ["x"], {"x": "X"})
    'No actor engages on the activity; nobody is engaged'
    """
    text = explanation
    for subject in subjects:
        text = text.replace(label(subject, names.get(subject, subject)), "")
    text = re.sub(r"\s+([;,.])", r"\1", " ".join(text.split()))
    return text.lstrip(":; ").strip()


def _compact(findings: list[Finding], names: dict[str, str], types: dict[str, str]) -> dict[str, Any]:
    """A rule's findings laid out for reading: ``list`` (a few), ``table`` (one row per finding:
    its subjects, then what the explanation says beyond naming them) or ``grouped`` (each
    finding has one subject and says the same of it: one row per entity type, naming them)."""
    if len(findings) < COMPACT_FROM:
        return {"layout": "list"}
    rows: list[dict[str, Any]] = [
        {
            "subjects": [{"id": s, "name": names.get(s, s)} for s in f.subjects],
            "type": types.get(f.subjects[0], "") if f.subjects else "",
            "detail": finding_detail(f.explanation, f.subjects, names),
            "evidence": f.evidence,
        }
        for f in findings
    ]
    details = {r["detail"] for r in rows}
    if len(details) > 1 or any(len(r["subjects"]) != 1 for r in rows):
        return {"layout": "table", "rows": rows}
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (str(r["subjects"][0]["name"]).casefold(), r["subjects"][0]["id"])):
        by_type[row["type"]].append(row)
    groups = [
        {
            "type": t.replace("_", " ") or "(no type)",
            "names": [r["subjects"][0]["name"] for r in members],
            "evidence": sorted({e for r in members for e in r["evidence"]}),
        }
        for t, members in sorted(by_type.items(), key=lambda x: (-len(x[1]), x[0]))
    ]
    return {"layout": "grouped", "detail": details.pop(), "groups": groups}


def _rules_view(inp: _Inputs) -> list[dict[str, Any]]:
    """Findings per gap rule, in the registry's order, with the names of their subjects."""
    rule_info = {r.id: r for r in RULES}
    rule_order = [r.id for r in RULES] + sorted({f.rule for f in inp.found} - {r.id for r in RULES})
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in inp.found:
        by_rule[f.rule].append(f)
    names = {n: inp.full.nodes[n].get("name", n) for n in inp.full}
    names.update({n: inp.graph.nodes[n].get("name", n) for n in inp.graph})
    types = {n: str(inp.full.nodes[n].get("type") or "") for n in inp.full}
    return [
        {
            "id": rid,
            "title": getattr(rule_info.get(rid), "title", rid),
            "explanation": getattr(rule_info.get(rid), "explanation", ""),
            "compact": _compact(by_rule.get(rid, []), names, types),
            "findings": [
                {
                    "subjects": [{"id": s, "name": names.get(s, s)} for s in f.entity_ids],
                    "explanation": f.explanation,
                    "evidence": f.evidence,
                }
                for f in by_rule.get(rid, [])
            ],
        }
        for rid in rule_order
        if rid in rule_info or by_rule.get(rid)
    ]


def _environment(autoescape: bool) -> Any:
    return environment(autoescape, {"md": md_escape, "breakable": soft_hyphens})


def build_report(
    store: Store,
    *,
    title: str | None = None,
    as_of: str | date | None = None,
    seed: int = 42,
    findings: list[Any] | None = None,
    ecosystem: str | None = None,
) -> Bundle:
    """The bundle: its files as ``{relative path: bytes}``, its tables as lines (see the module docstring).

    ``ecosystem`` roots the coverage table's ecosystem column (default ``igf`` when the data
    has it; otherwise there is no such column). Pass the root the ``findings`` were found for.
    """
    from mapper.bulk import gc_paused

    # The bundle makes tens of thousands of objects (figures' items, template nodes, table
    # rows) that live until it is written: the cyclic collector would walk them again and again
    # for no garbage. Paused, what garbage there is waits until the pause ends (in the CLI,
    # which exits soon after, it is frozen instead: see mapper.bulk).
    with gc_paused():
        return _build_report(
            store, title=title, as_of=as_of, seed=seed, findings=findings, ecosystem=ecosystem
        )


def _build_report(
    store: Store,
    *,
    title: str | None,
    as_of: str | date | None,
    seed: int,
    findings: list[Any] | None,
    ecosystem: str | None,
) -> Bundle:
    day = iso_date(as_of)
    store = store.snapshot()  # every table, figure and finding from one read of the store
    full = store.graph
    graph = as_of_graph(full, day)
    root = default_root(store, ecosystem, day)
    inp = _Inputs(
        store=store,
        full=full,
        graph=graph,
        day=day,
        found=list(findings) if findings is not None else run_gap_rules(store, as_of=day, ecosystem=root),
        title=title or DEFAULT_TITLE,
        caption=date_caption(graph if day else full, day),
        seed=seed,
        ecosystem=root,
    )
    coverage_rows, groups = objective_coverage(store, day, inp.ecosystem)
    by_group = engagement_by_group(graph)
    eng = matrix(store, rows="actor", cols="activity", cells="role", as_of=day)
    files = _figures(inp, coverage_rows, groups, by_group)
    tables = _tables(inp, eng, coverage_rows, groups, by_group)
    uncovered = sorted({s for f in inp.found if f.rule == "uncovered-activity" for s in f.subjects})
    files["map.html"] = render_map(
        graph,
        title=f"{inp.title}: map",
        caption=inp.caption,
        findings=findings_about(inp.found, shown_entities(graph, "engagement")),
        seed=seed,
        view="engagement",
        as_of=day,
        uncovered=uncovered,
    ).encode("utf-8")
    context = {
        "title": inp.title,
        "caption": inp.caption,
        "summary": summary(graph, inp.found),
        "key": key_findings(inp, coverage_rows),
        "rules": _rules_view(inp),
        "matrix": matrix_view(matrix_table(store, graph, as_of=day, uncovered=uncovered)),
        "coverage": coverage_rows,
        "groups": groups,
        "ecosystem_heading": ecosystem_heading(inp.ecosystem),
        "sources": [dict(s, safe_url=safe_url(s.get("url"))) for s in cited_sources(graph, inp.found)],
        "findings_total": len(inp.found),
    }
    files["report.md"] = markdown_report(context).encode("utf-8")
    figures = {
        "engagement": "figures/engagement.svg",
        "map": "figures/map.svg",
        "coverage": "figures/objective-coverage.svg",
        "by_group": "figures/engagement-by-group.svg",
    }
    html = (
        _environment(autoescape=True)
        .get_template("report.html.j2")
        .render(
            **context,
            figures={k: _data_uri(files[v]) for k, v in figures.items()},
            csp="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
        )
    )
    files["report.html"] = html.encode("utf-8")
    return Bundle(
        dict(sorted(files.items())), tables, graph.number_of_nodes(), graph.number_of_edges(), len(inp.found)
    )


def markdown_report(ctx: dict[str, Any]) -> str:
    """The report as Markdown, from ``templates/report.md.j2``: autoescape off, every value from
    the data passed through :func:`md_escape` (the template's ``md`` filter)."""
    return str(_environment(autoescape=False).get_template("report.md.j2").render(**ctx))


def write_report(
    store: Store,
    out: Path | str,
    *,
    title: str | None = None,
    as_of: str | date | None = None,
    seed: int = 42,
    findings: list[Any] | None = None,
    ecosystem: str | None = None,
) -> ReportResult:
    """Write the report bundle for ``store`` into the directory ``out``.

    Examples
    --------
    >>> result = write_report(store, tmp / "report", as_of="2025-06-30")
    >>> "report.html" in result.files and (tmp / "report" / "report.md").is_file()
    True
    """
    out = Path(out)
    bundle = build_report(store, title=title, as_of=as_of, seed=seed, findings=findings, ecosystem=ecosystem)
    for name, data in bundle.files.items():
        atomic_write_bytes(out / name, data)
    for name, lines in bundle.tables.items():
        atomic_write_lines(out / name, lines)
    return ReportResult(
        out=str(out),
        files=sorted([*bundle.files, *bundle.tables]),
        entities=bundle.entities,
        relations=bundle.relations,
        findings=bundle.findings,
    )
