"""One entry point for every export format (the ``igfmap export`` command).

==========  =====================================================  ===========================
format      what                                                   ``--out``
==========  =====================================================  ===========================
graphml     GraphML, all attributes (networkx, igraph, Gephi)     a file
gexf        GEXF 1.2 with colours, sizes, positions (Gephi)        a file
json        node-link JSON (networkx ``node_link_data``)           a file
csv         nodes.csv, edges.csv (Gephi headers), sources.csv      a directory
xlsx        entities, relations, sources sheets (``igfmap load``)  a file
cypher      Cypher script recreating the graph on Neo4j            a file
kumu        Kumu JSON blueprint                                    a file
png/svg/pdf static network figure with legend, title, date         a file
==========  =====================================================  ===========================
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from exports.matrix_view import MATRIX_TITLE, MatrixTable, matrix_table
from exports.registry import ExportOptions, get_format, writer_for
from exports.view import check_view, date_caption, select, view_findings
from mapper.store_protocol import Store
from queries.gaps import Finding

DEFAULT_TITLE = "IGF ecosystem map"


@dataclass
class ExportResult:
    """What :func:`export` wrote."""

    format: str
    files: list[str]
    nodes: int
    edges: int
    bytes: int
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    columns: ClassVar[list[str]] = ["format", "file", "bytes", "nodes", "edges"]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "format": self.format,
                "file": f,
                "bytes": Path(f).stat().st_size,
                "nodes": self.nodes,
                "edges": self.edges,
            }
            for f in self.files
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "files": self.files,
            "nodes": self.nodes,
            "edges": self.edges,
            "bytes": self.bytes,
        }


def export(
    store: Store,
    fmt: str,
    out: Path | str,
    *,
    as_of: str | date | None = None,
    focus: str | None = None,
    depth: int = 1,
    types: Sequence[str] = (),
    objective: str | None = None,
    title: str | None = None,
    seed: int = 42,
    highlight_gaps: bool = False,
    findings: Sequence[Finding] | None = None,
    view: str = "network",
    ecosystem: str | None = None,
) -> ExportResult:
    """Export ``store`` as ``fmt`` (a name from :func:`exports.registry.formats`) to ``out``.

    The graph is first narrowed like the map (:func:`exports.view.select`). Figures take a
    ``title`` and outline gap findings with ``highlight_gaps`` (or given ``findings``);
    ``view`` picks the network or the engagement figure (figures only).

    Examples
    --------
    >>> from mapper.store import open_store
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "igf.graphml"
    >>> result = export(open_store(), "graphml", out, focus="dccg", depth=1)
    >>> result.format, result.nodes > 1
    ('graphml', True)
    """
    writer = get_format(fmt)
    write = writer_for(writer, check_view(view))
    started = time.perf_counter()
    store = store.snapshot()
    graph = select(store.graph, as_of=as_of, focus=focus, depth=depth, types=types, objective=objective)
    options = ExportOptions(seed=seed)
    if writer.figure or view == "matrix":
        found, uncovered = view_findings(
            store,
            graph,
            view,
            findings=findings,
            highlight_gaps=highlight_gaps,
            as_of=as_of,
            ecosystem=ecosystem,
        )
        caption_date = date_caption(store.graph if not as_of else graph, as_of)
        caption = f"{graph.number_of_nodes()} entities · {graph.number_of_edges()} relations · {caption_date}"
        if view == "engagement":
            caption = f"Who engages on which activity, toward which objective · {caption_date}"
        if view == "matrix":
            caption = f"Who engages on which activity: actors by stakeholder group × activities by process · {caption_date}"
        options = ExportOptions(
            seed=seed,
            title=title or (MATRIX_TITLE if view == "matrix" else DEFAULT_TITLE),
            caption=caption,
            findings=found,
            view=view,
            uncovered=uncovered,
        )
    if view == "matrix":  # the table comes from the matrix query on the store (exports.matrix_view)
        options = replace(options, table=matrix_table(store, graph, as_of=as_of, uncovered=options.uncovered))
    files = write(graph, Path(out), options)
    return ExportResult(
        format=fmt,
        files=[str(f) for f in files],
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        bytes=sum(f.stat().st_size for f in files),
        seconds=round(time.perf_counter() - started, 3),
        extra=_matrix_counts(options.table) if options.table is not None else {},
    )


def _matrix_counts(table: MatrixTable) -> dict[str, Any]:
    """What a matrix export holds, for its ``wrote`` line: rows, columns and filled cells."""
    return {"actors": len(table.rows), "activities": len(table.columns), "engagements": len(table.cells)}
