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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from mapper.errors import UsageError

GRAPH_FORMATS = ("graphml", "gexf", "json", "csv", "xlsx")
FIGURE_FORMATS = ("png", "svg", "pdf")
EXPORT_FORMATS = (*GRAPH_FORMATS, "cypher", "kumu", *FIGURE_FORMATS)
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
    source: Any,
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
    findings: Sequence[Any] | None = None,
) -> ExportResult:
    """Export ``source`` (a store or a graph) as ``fmt`` to ``out``.

    The graph is first narrowed like the map (:func:`exports.view.select`). Figures take a
    ``title`` and outline gap findings with ``highlight_gaps`` (or given ``findings``).

    Examples
    --------
    >>> export(store, "graphml", "igf.graphml")                  # doctest: +SKIP
    ExportResult(format='graphml', files=['igf.graphml'], nodes=152, edges=301, ...)
    """
    from exports.view import date_caption, graph_of, normalise_findings, run_gap_rules, select

    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    started = time.perf_counter()
    graph = select(source, as_of=as_of, focus=focus, depth=depth, types=types, objective=objective)
    out = Path(out)
    files: list[Path]
    if fmt in GRAPH_FORMATS:
        from exports.formats import write_graph_format

        files = write_graph_format(graph, fmt, out, seed=seed)
    elif fmt == "cypher":
        from exports.cypher_script import cypher_text
        from mapper.store import atomic_write_text

        atomic_write_text(out, cypher_text(graph))
        files = [out]
    elif fmt == "kumu":
        from exports.kumu import kumu_text
        from mapper.store import atomic_write_text

        atomic_write_text(out, kumu_text(graph))
        files = [out]
    else:
        from exports.static import figure_bytes
        from mapper.store import atomic_write_bytes

        found: list[Any] = []
        if findings is not None:
            found = normalise_findings(findings)
        elif highlight_gaps:
            found = run_gap_rules(source, as_of=as_of)
        caption_date = date_caption(graph_of(source) if not as_of else graph, as_of)
        caption = f"{graph.number_of_nodes()} entities · {graph.number_of_edges()} relations · {caption_date}"
        data = figure_bytes(
            graph, fmt, title=title or DEFAULT_TITLE, caption=caption, findings=found, seed=seed
        )
        atomic_write_bytes(out, data)
        files = [out]
    return ExportResult(
        format=fmt,
        files=[str(f) for f in files],
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        bytes=sum(f.stat().st_size for f in files),
        seconds=round(time.perf_counter() - started, 3),
    )
