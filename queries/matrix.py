"""The engagement matrix: actors (or actor types, or stakeholder groups) against activities,
events or objectives.

A cell holds the ENGAGES_IN relations from the row's actors to the column: by default those
with status active or planned (``status`` changes that). Objective columns are reached through
ADDRESSES: an actor engaging on an activity or process that ADDRESSES an objective sits in that
objective's column. A cell shows the roles (``cells="role"``, with the status in brackets
when it is not active) or the number of engagements behind it (``cells="count"``: one per
ENGAGES_IN relation, per objective reached).

Rows are the actors with at least one engagement in the matrix; columns are every entity of
the column kind, engaged on or not, so empty columns show what nobody engages on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from mapper.errors import UsageError
from mapper.schema import ENGAGED_STATUSES, STATUSES
from queries.asof import as_of_graph
from queries.common import Record, check_choice, cypher_pending, iso_date, status_of, store_schema

ROW_KINDS = ("actor", "type", "stakeholder_group")
COLUMN_KINDS = {"activity": ("activity", "process"), "event": ("event",), "objective": ("objective",)}
CELL_KINDS = ("role", "count")


@dataclass
class MatrixResult:
    """Row and column headers plus the non-empty cells (a sparse matrix)."""

    rows_by: str
    columns_by: str
    cells_by: str
    statuses: list[str]
    row_heads: list[Record]
    column_heads: list[Record]
    cells: list[Record]
    as_of: str | None = None
    ecosystem: str | None = None
    _index: dict[tuple[str, str], Record] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {(c["row"], c["column"]): c for c in self.cells}

    @property
    def columns(self) -> list[str]:  # type: ignore[override]
        return [self.rows_by] + [c["id"] for c in self.column_heads]

    def cell_text(self, row: str, column: str) -> str | int:
        cell = self._index.get((row, column))
        if cell is None:
            return "" if self.cells_by == "role" else 0
        if self.cells_by == "count":
            return cell["count"]
        return cell["label"]

    def rows(self) -> list[Record]:
        out = []
        for head in self.row_heads:
            row: Record = {self.rows_by: head["id"]}
            for col in self.column_heads:
                row[col["id"]] = self.cell_text(head["id"], col["id"])
            out.append(row)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "rows_by": self.rows_by,
            "columns_by": self.columns_by,
            "cells_by": self.cells_by,
            "statuses": self.statuses,
            "as_of": self.as_of,
            "ecosystem": self.ecosystem,
            "rows": self.row_heads,
            "columns": self.column_heads,
            "cells": self.cells,
        }


def matrix(
    store: Any,
    rows: str = "actor",
    cols: str = "activity",
    cells: str = "role",
    *,
    status: str | Sequence[str] | None = None,
    as_of: str | date | None = None,
    ecosystem: str | None = None,
    col_types: Sequence[str] | None = None,
) -> MatrixResult:
    """The engagement matrix.

    Parameters
    ----------
    store : EmbeddedStore or Neo4jStore
    rows : str
        ``actor`` (one row per actor), ``type`` (per actor type), ``stakeholder_group``,
        or an actor entity type such as ``dynamic_coalition`` (one row per actor of that type).
    cols : str
        ``activity`` (activities and processes), ``event`` or ``objective`` (via ADDRESSES).
    cells : str
        ``role`` or ``count``.
    status : str or list of str, optional
        Statuses of the ENGAGES_IN relations counted (default active and planned).
    as_of : str or date, optional
        Only entities and relations valid on that date.
    ecosystem : str, optional
        Only actors in this root's ecosystem (e.g. ``igf``).
    col_types : list of str, optional
        Only columns of these entity types (e.g. ``["objective"]`` for the five GDC objectives
        without the numbered commitments).

    Returns
    -------
    MatrixResult

    Examples
    --------
    >>> m = matrix(store, rows="type", cols="objective", cells="count")  # doctest: +SKIP
    >>> m.cell_text("dynamic_coalition", "gdc-obj-3")                     # doctest: +SKIP
    4
    """
    day = iso_date(as_of)
    check_choice(cols, COLUMN_KINDS, "--cols")
    check_choice(cells, CELL_KINDS, "--cells")
    statuses = [status] if isinstance(status, str) else list(status or ENGAGED_STATUSES)
    for s in statuses:
        check_choice(s, STATUSES, "--status")
    root = None
    if ecosystem:
        from queries.lookup import resolve_id

        root = resolve_id(store, ecosystem, day)
    types = None
    if col_types:
        schema = store_schema(store)
        wanted = [t for t in schema.entity_types if schema.category(t) in COLUMN_KINDS[cols]]
        types = sorted({check_choice(t, wanted, "--col-type") for t in col_types})
    if store.kind == "neo4j":
        return _matrix_cypher(store, rows, cols, cells, sorted(statuses), day, root, types)
    return _matrix_nx(store.graph, rows, cols, cells, sorted(statuses), day, root, types)


def _matrix_nx(
    graph: nx.MultiDiGraph,
    rows: str,
    cols: str,
    cells: str,
    statuses: list[str],
    as_of: str | None,
    root: str | None,
    col_types: list[str] | None = None,
) -> MatrixResult:
    view = as_of_graph(graph, as_of)
    schema = graph.graph.get("schema")
    actor_types = schema.types_in("actor") if schema else []
    if rows not in ROW_KINDS and rows not in actor_types:
        raise UsageError(
            f"--rows must be one of {', '.join(ROW_KINDS)} or an actor type "
            f"({', '.join(actor_types)}), not {rows!r}"
        )
    allowed_actors = None
    if root is not None:
        from queries.ecosystem import ecosystem_nx

        allowed_actors = ecosystem_nx(view, root)
    col_categories = COLUMN_KINDS[cols]
    column_ids = sorted(
        n
        for n, a in view.nodes(data=True)
        if a.get("category") in col_categories and (col_types is None or a.get("type") in col_types)
    )
    column_set = set(column_ids)

    def row_of(actor: str) -> str | None:
        attrs = view.nodes[actor]
        if attrs.get("category") != "actor":
            return None
        if allowed_actors is not None and actor not in allowed_actors:
            return None
        if rows == "type":
            return attrs.get("type")
        if rows == "stakeholder_group":
            return attrs.get("stakeholder_group") or "(none)"
        if rows in actor_types and attrs.get("type") != rows:
            return None
        return actor

    # (row, column) -> accumulated engagements
    acc: dict[tuple[str, str], dict[str, Any]] = {}
    for actor, target, attrs in view.edges(data=True):
        if attrs.get("type") != "ENGAGES_IN" or status_of(attrs) not in statuses:
            continue
        row = row_of(actor)
        if row is None:
            continue
        if cols == "objective":
            reached = [
                (obj, target)
                for _, obj, a in view.out_edges(target, data=True)
                if a.get("type") == "ADDRESSES" and view.nodes[obj].get("category") == "objective"
            ]
        elif view.nodes[target].get("category") in col_categories:
            reached = [(target, None)]
        else:
            reached = []
        for column, via in reached:
            if column not in column_set:
                continue
            cell = acc.setdefault(
                (row, column),
                {"roles": set(), "statuses": set(), "actors": set(), "via": set(), "sources": set(),
                 "count": 0, "pairs": set()},
            )
            cell["roles"].add(attrs.get("role") or "")
            cell["statuses"].add(status_of(attrs))
            cell["pairs"].add((attrs.get("role") or "", status_of(attrs)))
            cell["actors"].add(actor)
            if via:
                cell["via"].add(via)
            cell["sources"].update(attrs.get("sources") or [])
            cell["count"] += 1

    row_ids = sorted({r for r, _ in acc})
    row_heads = []
    for rid in row_ids:
        if rows in ("type", "stakeholder_group"):
            row_heads.append({"id": rid, "name": rid, "type": rows})
        else:
            row_heads.append({"id": rid, "name": view.nodes[rid].get("name", rid), "type": view.nodes[rid].get("type")})
    column_heads = [
        {"id": c, "name": view.nodes[c].get("name", c), "type": view.nodes[c].get("type")} for c in column_ids
    ]
    cell_list = []
    for (rid, cid), cell in sorted(acc.items()):
        labels = sorted(
            (role or "engaged") + ("" if st == "active" else f" ({st})") for role, st in cell["pairs"]
        )
        cell_list.append(
            {
                "row": rid,
                "column": cid,
                "count": cell["count"],
                "roles": sorted(r for r in cell["roles"] if r),
                "statuses": sorted(cell["statuses"]),
                "label": ", ".join(dict.fromkeys(labels)),
                "actors": sorted(cell["actors"]),
                "via": sorted(cell["via"]),
                "sources": sorted(cell["sources"]),
            }
        )
    return MatrixResult(rows, cols, cells, statuses, row_heads, column_heads, cell_list, as_of, root)


def _matrix_cypher(
    store: Any,
    rows: str,
    cols: str,
    cells: str,
    statuses: list[str],
    as_of: str | None,
    root: str | None,
    col_types: list[str] | None = None,
) -> MatrixResult:
    # MATCH (a:Entity {category: 'actor'})-[r:ENGAGES_IN]->(t:Entity)
    # [OPTIONAL MATCH (t)-[:ADDRESSES]->(o:Entity {category: 'objective'})] WHERE r.status IN $statuses
    raise cypher_pending("matrix")
