"""The engagement matrix view: actors × activities, in the form of the UN's WSIS–SDG matrix.

``igfmap map --view matrix`` and ``igfmap export --view matrix`` (and the report's matrix) draw
the same table, built once here by :func:`matrix_table` from the matrix query
(:func:`queries.matrix.matrix`, every status) on a store, narrowed to the entities of a selection
(:func:`exports.view.select`):

* **rows** are the actors, grouped by stakeholder group (their type when they have none); actors
  with no engagement are rows too (the page folds them into a count per group);
* **columns** are the activities and processes, grouped by the process they are PART_OF or by
  the objective they ADDRESS (an activity that addresses several objectives sits under each;
  one that addresses none inherits its process's; a GDC paragraph counts for its objective);
* a **cell** holds every ENGAGES_IN relation from the row's actor to the column's activity:
  coloured by the strongest role, patterned by the most engaged status among them;
* columns no ecosystem actor engages on (the ``uncovered-activity`` findings) are the gaps.

The page (``templates/matrix.html.j2``, ``matrix.js``, ``matrix.css``) has the map's safety:
a CSP that forbids every request and allows only its own script, the data in a JSON block,
every value set as text. It needs no vis-network.

>>> from mapper.store import open_store
>>> store = open_store()
>>> table = matrix_table(store, store.graph)
>>> len(table.columns) > 20, table.rows[0]["group"] in table.group_order()
(True, True)
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from exports import style
from exports.engagement import NO_PROCESS, ROLE_RANK, STATUS_RANK, _process_of
from exports.registry import ExportOptions, view_writer
from mapper.schema import ROLES, STAKEHOLDER_GROUPS, STATUSES
from mapper.store_protocol import Store
from queries.asof import as_of_graph
from queries.common import iso_date
from queries.matrix import matrix

NO_OBJECTIVE = "(addresses no objective)"
MATRIX_TITLE = "IGF engagement matrix"
GROUPINGS = ("process", "objective")
#: One or two letters per role, written in the cells (colour is not the only cue).
ROLE_ABBREVIATIONS = {
    "lead": "L",
    "co-lead": "CL",
    "convener": "Cv",
    "facilitator": "F",
    "contributor": "C",
    "participant": "P",
    "observer": "O",
    "endorser": "E",
    "": "·",
}
#: How each status patterns a cell (the page's CSS classes and the figure's hatches agree).
STATUS_PATTERNS = {
    "active": "solid",
    "planned": "hatched",
    "proposed": "cross-hatched",
    "requested": "dotted",
    "concluded": "faded",
}


@dataclass
class MatrixTable:
    """The engagement matrix as drawn: heads, groups, cells and the records cards need."""

    rows: list[dict[str, Any]]
    columns: list[dict[str, Any]]
    cells: list[dict[str, Any]]
    relations: dict[str, dict[str, Any]]
    entities: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    uncovered: list[str]
    objectives: list[dict[str, Any]]
    as_of: str | None = None
    _index: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {(c["row"], c["column"]): c for c in self.cells}

    def cell(self, row: str, column: str) -> dict[str, Any] | None:
        return self._index.get((row, column))

    def group_order(self) -> list[str]:
        """Stakeholder groups in the schema's order, then any other row group by name."""
        present = {r["group"] for r in self.rows}
        return [g for g in STAKEHOLDER_GROUPS if g in present] + sorted(present - set(STAKEHOLDER_GROUPS))

    def row_groups(self, engaged_only: bool = False) -> list[tuple[str, list[dict[str, Any]]]]:
        """``(group, rows)`` in order, rows by name; only rows with a cell when ``engaged_only``."""
        engaged = {c["row"] for c in self.cells}
        out = []
        for group in self.group_order():
            members = [
                r for r in self.rows if r["group"] == group and (not engaged_only or r["id"] in engaged)
            ]
            if members:
                out.append((group, members))
        return out

    def column_groups(self, by: str = "process") -> list[tuple[str, str, list[dict[str, Any]]]]:
        """``(key, label, columns)`` grouped by process or by objective (see the module docstring)."""
        if by not in GROUPINGS:
            raise ValueError(f"group columns by one of {', '.join(GROUPINGS)}, not {by!r}")
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for col in self.columns:
            keys = (col["objectives"] or [NO_OBJECTIVE]) if by == "objective" else [col["process"]]
            for key in keys:
                groups[key].append(col)
        names = {o["id"]: o["name"] for o in self.objectives}
        names.update({c["id"]: c["name"] for c in self.columns})
        keys = sorted(
            (k for k in groups if k not in (NO_PROCESS, NO_OBJECTIVE)), key=lambda k: _order_key(names, k)
        )
        if by == "objective":
            keys = [o["id"] for o in self.objectives if o["id"] in groups]
        keys += [k for k in (NO_PROCESS, NO_OBJECTIVE) if k in groups]
        # A process heads its own group; the rest by name.
        return [
            (
                k,
                _group_label(by, k, names),
                sorted(groups[k], key=lambda c: (c["id"] != k, _order_key(names, c["id"]))),
            )
            for k in keys
        ]

    def to_json(self) -> dict[str, Any]:
        """The table as JSON (the ``json`` export): heads, groups, cells with their relations."""
        return {
            "as_of": self.as_of,
            "rows": self.rows,
            "columns": self.columns,
            "objectives": self.objectives,
            "uncovered": self.uncovered,
            "cells": [dict(c, relations=[self.relations[k] for k in c["keys"]]) for c in self.cells],
            "sources": self.sources,
        }

    def table_rows(self) -> list[list[str]]:
        """Header and one line per actor (empty rows too): the ``csv`` and ``xlsx`` exports.

        A cell gives its roles, with the status when it is not active, as ``igfmap matrix`` does.
        """
        columns = [c for _key, _label, cols in self.column_groups("process") for c in cols]
        head = ["actor", "actor name", "stakeholder group", *[c["name"] for c in columns]]
        ids = ["", "", "activity id", *[c["id"] for c in columns]]
        lines = [head, ids]
        for group, rows in self.row_groups():
            for r in rows:
                cells = [(self.cell(r["id"], c["id"]) or {}).get("label", "") for c in columns]
                lines.append([r["id"], r["name"], group, *cells])
        return lines


def _order_key(names: dict[str, str], key: str) -> tuple[str, str]:
    return (names.get(key, key).casefold(), key)


def _group_label(by: str, key: str, names: dict[str, str]) -> str:
    if key in (NO_PROCESS, NO_OBJECTIVE):
        return key
    return f"{'process' if by == 'process' else 'objective'}: {names.get(key, key)}"


def _objective_of(graph: nx.MultiDiGraph, node: str) -> str:
    """The objective an ADDRESSES target stands for: itself, or the objective a GDC paragraph
    (a commitment) is PART_OF, when it is one."""
    if graph.nodes[node].get("type") == "objective":
        return node
    for _, parent, attrs in graph.out_edges(node, data=True):
        if attrs.get("type") == "PART_OF" and graph.nodes[parent].get("type") == "objective":
            return str(parent)
    return node


def _addressed(graph: nx.MultiDiGraph, node: str) -> list[str]:
    found = {
        _objective_of(graph, v)
        for _, v, a in graph.out_edges(node, data=True)
        if a.get("type") == "ADDRESSES" and graph.nodes[v].get("category") == "objective"
    }
    return sorted(found)


def _column_heads(
    structure: nx.MultiDiGraph, graph: nx.MultiDiGraph, heads: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The query's columns that the selection shows, with their process and objectives."""
    out = []
    for head in heads:
        node = head["id"]
        if node not in graph:
            continue
        process = node if structure.nodes[node].get("category") == "process" else _process_of(structure, node)
        objectives = _addressed(structure, node)
        if not objectives and process and process != node:
            objectives = _addressed(structure, process)
        out.append(
            {
                "id": node,
                "name": head.get("name") or node,
                "type": head.get("type"),
                "process": process or NO_PROCESS,
                "objectives": objectives,
            }
        )
    return out


def _row_heads(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    rows = []
    for node, attrs in graph.nodes(data=True):
        if attrs.get("category") != "actor":
            continue
        rows.append(
            {
                "id": node,
                "name": attrs.get("name") or node,
                "type": attrs.get("type"),
                "group": attrs.get("stakeholder_group") or attrs.get("type") or "other",
                "aliases": list(attrs.get("aliases") or []),
            }
        )
    return sorted(rows, key=lambda r: (str(r["name"]).casefold(), r["id"]))


def _cell_relations(
    graph: nx.MultiDiGraph, row: str, column: str, relations: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    """The cell's ENGAGES_IN relations (recorded in ``relations``), its strongest role and most
    engaged status, and the text ``igfmap matrix`` gives it."""
    found = sorted(
        (str(k), a)
        for _, v, k, a in graph.out_edges(row, keys=True, data=True)
        if v == column and a.get("type") == "ENGAGES_IN"
    )
    if not found:
        return None
    for key, attrs in found:
        relations[key] = dict(attrs, source=row, target=column, key=key)
    role, status = min(
        ((a.get("role") or "", style.status_of(a)) for _, a in found),
        key=lambda rs: (STATUS_RANK.get(rs[1], 9), ROLE_RANK.get(rs[0], 99)),
    )
    labels = sorted(
        (a.get("role") or "engaged") + ("" if style.status_of(a) == "active" else f" ({style.status_of(a)})")
        for _, a in found
    )
    return {
        "row": row,
        "column": column,
        "role": role,
        "status": status,
        "label": ", ".join(dict.fromkeys(labels)),
        "keys": [k for k, _ in found],
    }


def matrix_table(
    store: Store,
    graph: nx.MultiDiGraph,
    *,
    as_of: str | date | None = None,
    uncovered: Sequence[str] | None = None,
) -> MatrixTable:
    """The engagement matrix of ``graph`` (``store``'s graph narrowed by :func:`exports.view.select`).

    The cells come from :func:`queries.matrix.matrix` on ``store`` (every status, valid on
    ``as_of``), kept where both the actor and the activity are in ``graph``; rows are every
    actor of ``graph``. ``uncovered`` names the columns to mark as gaps (normally the subjects of
    the ``uncovered-activity`` findings); by default those with no active or planned cell.
    """
    day = iso_date(as_of)
    result = matrix(store, rows="actor", cols="activity", cells="role", status=list(STATUSES), as_of=day)
    structure = as_of_graph(store.snapshot().graph, day)
    rows = _row_heads(graph)
    columns = _column_heads(structure, graph, result.column_heads)
    row_ids, column_ids = {r["id"] for r in rows}, {c["id"] for c in columns}
    relations: dict[str, dict[str, Any]] = {}
    cells = []
    for found in result.cells:
        if found["row"] in row_ids and found["column"] in column_ids:
            cell = _cell_relations(graph, found["row"], found["column"], relations)
            if cell is not None:
                cells.append(cell)
    if uncovered is None:
        covered = {c["column"] for c in cells if c["status"] in ("active", "planned")}
        uncovered = sorted(column_ids - covered)
    objective_ids = sorted({o for c in columns for o in c["objectives"]})
    objectives = sorted(
        ({"id": o, "name": structure.nodes[o].get("name") or o} for o in objective_ids if o in structure),
        key=lambda o: _order_key({}, str(o["name"])),
    )
    entities = {
        n: _entity(structure, n) for n in sorted(row_ids | column_ids | set(objective_ids)) if n in structure
    }
    cited = {s for r in relations.values() for s in r.get("sources") or []}
    cited |= {s for e in entities.values() for s in e.get("sources") or []}
    known = structure.graph.get("sources", {})
    return MatrixTable(
        rows=rows,
        columns=columns,
        cells=cells,
        relations=dict(sorted(relations.items())),
        entities=entities,
        sources={s: dict(known[s]) for s in sorted(cited) if s in known},
        uncovered=sorted(set(uncovered) & column_ids),
        objectives=objectives,
        as_of=day,
    )


def _entity(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    keep = (
        "name",
        "type",
        "stakeholder_group",
        "aliases",
        "description",
        "url",
        "region",
        "country",
        "sources",
    )
    return {k: graph.nodes[node][k] for k in keep if graph.nodes[node].get(k) not in (None, "", [])}


def legend() -> dict[str, list[dict[str, str]]]:
    """The roles (colour, letters) and statuses (pattern) a matrix uses, in the schema's order."""
    return {
        "roles": [
            {
                "name": r or "(no role)",
                "key": r,
                "colour": style.role_colour(r),
                "abbr": ROLE_ABBREVIATIONS[r],
            }
            for r in (*ROLES, "")
        ],
        "statuses": [{"name": s, "pattern": STATUS_PATTERNS[s]} for s in STATUSES],
    }


# --- the exports ---------------------------------------------------------------------------------


@view_writer("matrix", "json")
def write_matrix_json(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    from mapper.outputs import atomic_write_text

    table = table_of(options)
    atomic_write_text(out, json.dumps(table.to_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return [out]


@view_writer("matrix", "csv")
def write_matrix_csv(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    """``matrix.csv`` in the ``--out`` folder: one line per actor, one column per activity."""
    from mapper.cells import csv_text
    from mapper.outputs import atomic_write_text

    lines = table_of(options).table_rows()
    atomic_write_text(out / "matrix.csv", csv_text(lines[0], lines[1:]))
    return [out / "matrix.csv"]


@view_writer("matrix", "xlsx")
def write_matrix_xlsx(graph: nx.MultiDiGraph, out: Path, options: ExportOptions) -> list[Path]:
    """One ``matrix`` sheet, text cells only (nothing a spreadsheet would evaluate)."""
    from mapper.outputs import atomic_write_bytes

    atomic_write_bytes(out, _xlsx_bytes(table_of(options).table_rows()))
    return [out]


def _xlsx_bytes(lines: list[list[str]]) -> bytes:
    import io
    from datetime import datetime

    from openpyxl import Workbook

    from mapper.writers import append_text_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "matrix"
    workbook.properties.created = workbook.properties.modified = datetime(2024, 1, 1)  # reproducible
    for line in lines:
        append_text_row(sheet, list(line))
    sheet.freeze_panes = "D3"  # actor names and activity names stay in view
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_of(options: ExportOptions) -> MatrixTable:
    table = options.table
    if not isinstance(table, MatrixTable):
        raise ValueError("the matrix writers need ExportOptions.table (exports.export builds it)")
    return table


def group_counts(table: MatrixTable) -> Counter[str]:
    """Actors with no engagement in the table, per row group."""
    engaged = {c["row"] for c in table.cells}
    return Counter(r["group"] for r in table.rows if r["id"] not in engaged)


# --- the page ------------------------------------------------------------------------------------


def page_data(table: MatrixTable, *, title: str, caption: str, focus: str | None = None) -> dict[str, Any]:
    """What the page's script reads (the JSON block of ``templates/matrix.html.j2``)."""
    marks = legend()
    return {
        "meta": {
            "title": title,
            "caption": caption,
            "as_of": table.as_of,
            "focus": focus,
            "roles": marks["roles"],
            "role_rank": dict(ROLE_RANK),
            "status_rank": dict(STATUS_RANK),
        },
        "rows": table.rows,
        "columns": table.columns,
        "cells": [{"row": c["row"], "column": c["column"], "keys": c["keys"]} for c in table.cells],
        "relations": table.relations,
        "entities": table.entities,
        "sources": table.sources,
        "uncovered": table.uncovered,
        "row_groups": table.group_order(),
        "process_groups": _groups_json(table, "process"),
        "objective_groups": _groups_json(table, "objective"),
    }


def _groups_json(table: MatrixTable, by: str) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": label, "members": [c["id"] for c in cols]}
        for key, label, cols in table.column_groups(by)
    ]


def render_matrix_page(table: MatrixTable, *, title: str, caption: str, focus: str | None = None) -> str:
    """The matrix page: self-contained, offline, its script the only one allowed to run."""
    from markupsafe import Markup

    from exports.html_map import _asset, _csp, _raw_block, page_script, script_json
    from exports.templating import environment

    script = _raw_block(page_script("matrix.js"), "script")
    groups = Counter(r["group"] for r in table.rows)
    return str(
        environment(autoescape=True)
        .get_template("matrix.html.j2")
        .render(
            title=title,
            caption=caption,
            csp=_csp([script]),
            counts={
                "nodes": len(table.rows) + len(table.columns),
                "edges": len(table.relations),
                "rows": len(table.rows),
                "columns": len(table.columns),
                "gaps": len(table.uncovered),
            },
            groups=[{"name": g, "count": groups[g]} for g in table.group_order()],
            legend=legend(),
            map_css=Markup(_raw_block(_asset("map.css"), "style")),
            matrix_css=Markup(_raw_block(_asset("matrix.css"), "style")),
            matrix_js=Markup(script),
            data_json=Markup(script_json(page_data(table, title=title, caption=caption, focus=focus))),
        )
    )


# --- the report's matrix ---------------------------------------------------------------------------

#: The report's matrix prints on A4 landscape pages (10 mm margins: 1047 CSS px wide), at
#: 7.5 pt: the actor column, the band of rotated headings (under a quarter of the page, so the
#: browser repeats it on every page), a line of text and a character, in CSS px as printed.
PRINT_WIDTH = 1047.0
NAME_PX, HEAD_PX, LINE_PX, CHAR_PX = 200.0, 160.0, 11.5, 5.0


def _lines(text: str, width_px: float) -> int:
    """Lines ``text`` takes in ``width_px`` at 8 pt, broken between words (an estimate)."""
    per_line = max(int(width_px / CHAR_PX), 1)
    lines, used = 1, 0
    for word in str(text).split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def _print_parts(columns: list[tuple[str, dict[str, Any]]]) -> list[list[tuple[str, dict[str, Any]]]]:
    """Columns cut into parts of about equal width, none wider than a landscape page; each
    part is one table, whose rows the browser carries over to the next page with its headings."""
    widths = [max(23.0, _lines(col["name"], HEAD_PX - 10) * LINE_PX + 4) for _group, col in columns]
    room = PRINT_WIDTH - NAME_PX - 30
    target = sum(widths) / max(1, -(-sum(widths) // room))
    parts: list[list[tuple[str, dict[str, Any]]]] = [[]]
    used = 0.0
    for column, width in zip(columns, widths, strict=True):
        if parts[-1] and (used + width > room or used >= target):
            parts.append([])
            used = 0.0
        parts[-1].append(column)
        used += width
    return parts


def _print_column(col: dict[str, Any], group: str, first: bool, uncovered: set[str]) -> dict[str, Any]:
    """A column of the report's matrix: the first of a group not headed by its process says
    which group it opens."""
    heads = col["process"] == col["id"]
    return {
        "id": col["id"],
        "name": col["name"],
        "uncovered": col["id"] in uncovered,
        "first": first,
        "heads": heads,
        "group": group if first and not heads else "",
    }


def report_matrix(table: MatrixTable) -> dict[str, Any]:
    """The report's matrix: the page's layout (actors by stakeholder group, activities by
    process, cells coloured by role and patterned by status), only the actors and activities
    with an engagement, cut into tables as wide as an A4 landscape page (rows carry over to the
    next page, headings repeated); the activities nobody engages on are named under it."""
    engaged_columns = {c["column"] for c in table.cells}
    # A group's process heads it (greyed when nobody engages on the process itself).
    columns = [
        (label, col)
        for key, label, cols in table.column_groups("process")
        if any(c["id"] in engaged_columns for c in cols)
        for col in cols
        if col["id"] in engaged_columns or col["id"] == key
    ]
    per_row = Counter(c["row"] for c in table.cells)
    rows: list[dict[str, Any]] = []
    for group, members in table.row_groups(engaged_only=True):
        rows.append({"heading": f"{group} ({len(members)})"})
        rows += [{"id": r["id"], "name": r["name"], "count": per_row[r["id"]]} for r in members]
    roles = {r["key"]: r for r in legend()["roles"]}
    uncovered = set(table.uncovered)
    parts = []
    for cols in _print_parts(columns):
        groups: list[dict[str, Any]] = []
        for label, _col in cols:
            if groups and groups[-1]["label"] == label:
                groups[-1]["span"] += 1
            else:
                groups.append({"label": label, "span": 1})
        body = []
        for row in rows:
            if row.get("heading"):
                body.append(row)
                continue
            cells = []
            for _label, col in cols:
                cell = table.cell(row["id"], col["id"])
                look = roles.get(cell["role"], roles[""]) if cell else None
                cells.append(
                    {
                        "abbr": look["abbr"],
                        "colour": look["colour"],
                        "status": cell["status"],
                        "label": cell["label"],
                    }
                    if cell and look
                    else None
                )
            body.append(dict(row, cells=cells))
        parts.append(
            {
                "groups": groups,
                "columns": [
                    _print_column(c, g, i == 0 or g != cols[i - 1][0], uncovered)
                    for i, (g, c) in enumerate(cols)
                ],
                "rows": body,
            }
        )
    return {
        "rows": sum(1 for r in rows if not r.get("heading")),
        "columns": len(columns),
        "parts": parts,
        "legend": legend(),
        "idle": sum(group_counts(table).values()),
        "unengaged": [c["name"] for c in table.columns if c["id"] not in engaged_columns],
    }


__all__ = [
    "GROUPINGS",
    "MATRIX_TITLE",
    "MatrixTable",
    "group_counts",
    "legend",
    "matrix_table",
    "page_data",
    "render_matrix_page",
    "report_matrix",
    "table_of",
]
