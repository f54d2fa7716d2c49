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

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from mapper.cells import inert
from mapper.errors import UsageError
from mapper.layout import fits, table_lines, wrap_items
from mapper.schema import ENGAGED_STATUSES, STATUSES
from mapper.store_protocol import CypherStore, Store
from queries import cypher
from queries.asof import as_of_graph
from queries.common import Record, check_choice, iso_date, status_of, store_schema
from queries.dispatch import query_pair
from queries.ecosystem import ecosystem_call, ecosystem_nx
from queries.lookup import resolve_id

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
    def columns(self) -> list[str]:
        return [self.rows_by] + [c["id"] for c in self.column_heads]

    def cell_text(self, row: str, column: str) -> str | int:
        cell = self._index.get((row, column))
        if cell is None:
            return "" if self.cells_by == "role" else 0
        if self.cells_by == "count":
            return int(cell["count"])
        return str(cell["label"])

    def rows(self) -> list[Record]:
        out = []
        for head in self.row_heads:
            row: Record = {self.rows_by: head["id"]}
            for col in self.column_heads:
                row[col["id"]] = self.cell_text(head["id"], col["id"])
            out.append(row)
        return out

    def table_lines(self, width: int | None) -> Iterator[str]:
        """The terminal view: the grid when its columns fit ``width`` side by side, else a list,
        one row a paragraph (``actor: activity (role, status), ...``), since a grid of columns
        one character wide says nothing. Columns nobody engages on are named after either."""
        if not self.row_heads:
            yield "(none)\n"
            return
        texts = [[inert(str(v)) for v in row.values()] for row in self.rows()]
        if fits(self.columns, texts, width):
            yield from table_lines(self.columns, texts, width, fold=False)
        else:
            yield from self._list_lines(width)
        unengaged = [_named(head) for head in self.column_heads if head["id"] not in self._engaged_columns()]
        if unengaged and self.cells_by == "role":
            yield "\n"
            for line in wrap_items(unengaged, width, f"No engagement ({len(unengaged)}): ", "    "):
                yield line + "\n"

    def _engaged_columns(self) -> set[str]:
        return {c["column"] for c in self.cells}

    def _list_lines(self, width: int | None) -> Iterator[str]:
        """One paragraph per row: its name and id, then each column it engages on."""
        what = "count" if self.cells_by == "count" else "role, status"
        yield f"{self.rows_by}: {self.columns_by} ({what}), ...\n\n"
        columns = {head["id"]: head for head in self.column_heads}
        by_row: dict[str, list[str]] = {}
        for c in self.cells:
            shown = str(c["count"]) if self.cells_by == "count" else _role_status(c["label"])
            by_row.setdefault(c["row"], []).append(f"{_named(columns[c['column']])} ({inert(shown)})")
        for head in self.row_heads:
            for line in wrap_items(by_row.get(head["id"], []), width, f"{_named(head)}: ", "    "):
                yield line + "\n"

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


def _named(head: Record) -> str:
    """``Name [id]`` (only the id when the name is the id), as inert text."""
    name, ident = head.get("name") or head["id"], head["id"]
    return inert(ident if name == ident else f"{name} [{ident}]")


def _role_status(label: str) -> str:
    """A role cell's label (``lead, contributor (planned)``) as role-status pairs
    (``lead, active; contributor, planned``)."""
    pairs = []
    for part in label.split(", "):
        role, _, status = part.partition(" (")
        pairs.append(f"{role}, {status.rstrip(')') or 'active'}")
    return "; ".join(pairs)


def matrix(
    store: Store,
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
    >>> m = matrix(store, rows="type", cols="objective", cells="count")
    >>> int(m.cell_text("igf_body", "gdc-objective-1")) >= 1
    True
    """
    day = iso_date(as_of)
    check_choice(cols, COLUMN_KINDS, "--cols")
    check_choice(cells, CELL_KINDS, "--cells")
    statuses = [status] if isinstance(status, str) else list(status or ENGAGED_STATUSES)
    for s in statuses:
        check_choice(s, STATUSES, "--status")
    root = None
    if ecosystem:
        root = resolve_id(store, ecosystem, day)
    types = None
    if col_types:
        schema = store_schema(store)
        wanted = [t for t in schema.entity_types if schema.category(t) in COLUMN_KINDS[cols]]
        types = sorted({check_choice(t, wanted, "--col-type") for t in col_types})
    return _MATRIX(store, rows, cols, cells, sorted(statuses), day, root, types)


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
    actor_types = _check_rows(rows, schema)
    allowed_actors = None
    if root is not None:
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
            return str(attrs["type"])
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
        for column, via in _reached(view, target, cols, col_categories):
            if column in column_set:
                _add_engagement(acc.setdefault((row, column), _empty_cell()), actor, via, attrs)

    row_ids = sorted({r for r, _ in acc})
    row_heads = [_row_head(rows, rid, view.nodes[rid] if rid in view else {}) for rid in row_ids]
    column_heads = [
        {"id": c, "name": view.nodes[c].get("name", c), "type": view.nodes[c].get("type")} for c in column_ids
    ]
    cell_list = [_cell(rid, cid, cell) for (rid, cid), cell in sorted(acc.items())]
    return MatrixResult(rows, cols, cells, statuses, row_heads, column_heads, cell_list, as_of, root)


def _reached(
    view: nx.MultiDiGraph, target: str, cols: str, col_categories: tuple[str, ...]
) -> list[tuple[str, str | None]]:
    """The columns an engagement on ``target`` counts in, each with what it reaches them through:
    with objective columns, the objectives ``target`` ADDRESSES (through ``target``); otherwise
    ``target`` itself when it is of a column category."""
    if cols == "objective":
        return [
            (obj, target)
            for _, obj, a in view.out_edges(target, data=True)
            if a.get("type") == "ADDRESSES" and view.nodes[obj].get("category") == "objective"
        ]
    if view.nodes[target].get("category") in col_categories:
        return [(target, None)]
    return []


def _empty_cell() -> dict[str, Any]:
    sets = ("roles", "statuses", "actors", "via", "sources", "pairs")
    return {**{name: set() for name in sets}, "count": 0}


def _add_engagement(cell: dict[str, Any], actor: str, via: str | None, attrs: dict[str, Any]) -> None:
    """Count the engagement ``attrs`` of ``actor`` in ``cell``."""
    cell["roles"].add(attrs.get("role") or "")
    cell["statuses"].add(status_of(attrs))
    cell["pairs"].add((attrs.get("role") or "", status_of(attrs)))
    cell["actors"].add(actor)
    if via:
        cell["via"].add(via)
    cell["sources"].update(attrs.get("sources") or [])
    cell["count"] += 1


def _check_rows(rows: str, schema: Any) -> list[str]:
    """The schema's actor types, after checking ``rows`` is a row kind or one of them."""
    actor_types = schema.types_in("actor") if schema else []
    if rows not in ROW_KINDS and rows not in actor_types:
        raise UsageError(
            f"--rows must be one of {', '.join(ROW_KINDS)} or an actor type "
            f"({', '.join(actor_types)}), not {rows!r}"
        )
    return actor_types


def _row_head(rows: str, rid: str, attrs: dict[str, Any]) -> Record:
    if rows in ("type", "stakeholder_group"):
        return {"id": rid, "name": rid, "type": rows}
    return {"id": rid, "name": attrs.get("name", rid), "type": attrs.get("type")}


def _cell(rid: str, cid: str, cell: dict[str, Any]) -> Record:
    """One matrix cell from what was accumulated for it (both backends)."""
    labels = sorted(
        (role or "engaged") + ("" if st == "active" else f" ({st})") for role, st in cell["pairs"]
    )
    return {
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


def _matrix_cypher(
    store: CypherStore,
    rows: str,
    cols: str,
    cells: str,
    statuses: list[str],
    as_of: str | None,
    root: str | None,
    col_types: list[str] | None = None,
) -> MatrixResult:
    actor_types = _check_rows(rows, store.schema())
    col_categories = list(COLUMN_KINDS[cols])
    type_filter = " AND c.type IN $col_types" if col_types is not None else ""
    query = ""
    actor_filter = ""
    if root is not None:
        query += ecosystem_call(as_of)
        actor_filter += " AND a IN eco"
    if rows in actor_types:
        actor_filter += " AND a.type = $rows"
    query += (
        "MATCH (a:Entity)-[r:ENGAGES_IN]->(t:Entity) "
        f"WHERE a.category = 'actor' AND {cypher.valid_edge('a', 'r', 't', as_of)} "
        f"AND {cypher.status('r')} IN $statuses{actor_filter} "
    )
    if cols == "objective":  # one hit per ADDRESSES relation, as the nx version counts them
        query += (
            "MATCH (t)-[ad:ADDRESSES]->(c:Entity) "
            f"WHERE c.category = 'objective' AND {cypher.valid_rel('ad', as_of)} AND {cypher.valid_node('c', as_of)}"
            f"{type_filter} "
            "WITH a, r, c, t.id AS via "
        )
    else:
        query += f"WITH a, r, t AS c, null AS via WHERE c.category IN $col_categories{type_filter} "
    row_key = {"type": "a.type", "stakeholder_group": "coalesce(a.stakeholder_group, '(none)')"}.get(
        rows, "a.id"
    )
    query += (
        f"WITH {row_key} AS row, c.id AS column, a, r, via, {cypher.status('r')} AS status "
        "RETURN row, column, count(*) AS count, head(collect(a {.name, .type})) AS head, "
        "collect(DISTINCT coalesce(r.role, '')) AS roles, collect(DISTINCT status) AS statuses, "
        "collect(DISTINCT [coalesce(r.role, ''), status]) AS pairs, collect(DISTINCT a.id) AS actors, "
        "collect(DISTINCT via) AS via, reduce(acc = [], s IN collect(r.sources) | acc + coalesce(s, [])) AS sources"
    )
    found = store.run(
        query,
        cypher.params(
            as_of, root=root, rows=rows, statuses=statuses, col_categories=col_categories, col_types=col_types
        ),
    )
    acc = {
        (f["row"], f["column"]): {
            "count": f["count"],
            "roles": set(f["roles"]),
            "statuses": set(f["statuses"]),
            "pairs": {tuple(p) for p in f["pairs"]},
            "actors": set(f["actors"]),
            "via": set(f["via"]),
            "sources": set(f["sources"]),
            "head": {k: v for k, v in (f["head"] or {}).items() if v is not None},
        }
        for f in found
    }
    heads = {rid: cell["head"] for (rid, _), cell in acc.items()}
    row_heads = [_row_head(rows, rid, heads[rid]) for rid in sorted(heads)]
    columns = store.run(
        "MATCH (c:Entity) "
        f"WHERE c.category IN $col_categories AND {cypher.valid_node('c', as_of)}{type_filter} "
        "RETURN c.id AS id, coalesce(c.name, c.id) AS name, c.type AS type",
        cypher.params(as_of, col_categories=col_categories, col_types=col_types),
    )
    column_heads = sorted((dict(c) for c in columns), key=lambda c: c["id"])
    cell_list = [_cell(rid, cid, cell) for (rid, cid), cell in sorted(acc.items())]
    return MatrixResult(rows, cols, cells, statuses, row_heads, column_heads, cell_list, as_of, root)


_MATRIX = query_pair("matrix", networkx=_matrix_nx, cypher=_matrix_cypher)
