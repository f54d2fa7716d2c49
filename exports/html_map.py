"""The interactive HTML map: one self-contained, offline, script-safe UTF-8 file.

pyvis builds the vis-network node, edge and option objects (its ``Node``/``Edge`` classes and
``Options``), filled in bulk: pyvis's own ``add_node``/``add_edge`` check membership in lists and
are quadratic. The page comes from the project's template ``exports/templates/map.html.j2``
(Jinja, autoescape on) with vis-network inlined from the pyvis package, so nothing is fetched:

* a Content-Security-Policy meta tag forbids every request (``default-src 'none'``) and lets
  only the two inline scripts run, named by their SHA-256 hashes; the data sits in a
  ``<script type="application/json">`` block (never executed) with ``<``, ``>``, ``&`` and
  U+2028/9 escaped, so no value can close the block;
* the page script (``templates/map.js``) treats every value as text: ``textContent`` and DOM
  nodes, never ``innerHTML``; tooltips are DOM elements; links only for http(s) URLs.

Layout: positions are precomputed from ``seed`` (:mod:`exports.layout`). Up to
:data:`PHYSICS_LIMIT` nodes, vis-network's physics settles them briefly and then stops; above
it, physics starts off so a big map is usable at once. Same input, same seed: same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import networkx as nx

from exports import style
from exports.layout import compute_positions
from exports.view import date_caption, run_gap_rules, select
from mapper.progress import track
from mapper.schema import SYMMETRIC_RELATIONS
from mapper.store_protocol import Store
from queries.gaps import Finding

PHYSICS_LIMIT = 300
#: The most entities a map draws: above it, the best-connected ones plus the focus (see
#: :func:`busiest`). 2,000 nodes draw and settle in Chromium in a few seconds.
MAX_NODES = 2000
DEFAULT_TITLE = "IGF ecosystem map"
VIS_VERSION = "vis-9.1.2"
LABEL_MAX = 32

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element (no ``</script>``, no
    ``<!--``, no line separators that old parsers choke on).

    >>> script_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def csp_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _asset(name: str) -> str:
    return resources.files("exports").joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, read from the installed pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / VIS_VERSION
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js, css


def _raw_block(text: str, tag: str) -> str:
    """Text to place verbatim inside ``<tag>``: refuse anything that could end the element."""
    lowered = text.lower()
    if f"</{tag}" in lowered or "<!--" in lowered:
        raise ValueError(f"inline {tag} content contains '</{tag}' or '<!--'")
    return text


def short_label(name: str, limit: int = LABEL_MAX) -> str:
    name = " ".join(str(name).split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


@dataclass
class MapResult:
    """What :func:`write_map` wrote."""

    path: str
    nodes: int
    edges: int
    findings: int
    bytes: int
    physics: bool
    omitted: int = 0  # entities left out because the selection had more than max_nodes

    columns: ClassVar[list[str]] = ["path", "nodes", "edges", "findings", "bytes"]

    def rows(self) -> list[dict[str, Any]]:
        return [{c: getattr(self, c) for c in self.columns}]

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "nodes": self.nodes,
            "edges": self.edges,
            "findings": self.findings,
            "bytes": self.bytes,
            "physics": self.physics,
            "omitted": self.omitted,
        }


def busiest(
    graph: nx.MultiDiGraph, limit: int = MAX_NODES, keep: Sequence[str] = ()
) -> tuple[nx.MultiDiGraph, int]:
    """``graph`` cut to its ``limit`` best-connected entities (most relations; ties by id) plus
    ``keep`` (the focus), with the relations among them; and how many entities were left out.

    Why: a map of 150,000 entities does not draw (the browser hangs, and nobody reads it); the
    map says what it draws instead, in its caption.
    """
    if graph.number_of_nodes() <= limit:
        return graph, 0
    degree = graph.degree()
    chosen = set(sorted(graph, key=lambda n: (-degree[n], n))[:limit]) | {k for k in keep if k in graph}
    small = nx.MultiDiGraph()
    small.graph = graph.graph
    small.add_nodes_from((n, graph.nodes[n]) for n in sorted(chosen))
    small.add_edges_from(
        (u, v, k, a) for u, v, k, a in graph.edges(keys=True, data=True) if u in chosen and v in chosen
    )
    return small, graph.number_of_nodes() - small.number_of_nodes()


def _cited_sources(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    known = graph.graph.get("sources", {})
    cited: set[str] = set()
    for _, attrs in graph.nodes(data=True):
        cited.update(attrs.get("sources") or [])
    for _, _, attrs in graph.edges(data=True):
        cited.update(attrs.get("sources") or [])
    return {s: dict(known[s]) for s in sorted(cited) if s in known}


def network_data(
    graph: nx.MultiDiGraph,
    findings: Sequence[Finding] = (),
    seed: int = 42,
    physics: bool | None = None,
) -> dict[str, Any]:
    """The vis-network nodes, edges and options (built with pyvis) and the records behind them.

    Returns ``{"nodes", "edges", "options", "entities", "relations", "sources", "findings",
    "physics"}``: ``nodes``/``edges`` are vis-network objects in sorted order; ``entities`` and
    ``relations`` are the stored records keyed by node id and edge id (the relation key).
    """
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    n_nodes = graph.number_of_nodes()
    if physics is None:
        physics = n_nodes <= PHYSICS_LIMIT
    schema = graph.graph.get("schema")
    type_category = dict(schema.entity_types) if schema is not None else {}
    ecol = style.entity_colours({a.get("type") for _, a in graph.nodes(data=True)} | set(type_category))
    rcol = style.relation_colours({a.get("type") for _, _, a in graph.edges(data=True)})
    symmetric = SYMMETRIC_RELATIONS

    findings = list(findings)
    node_findings: dict[str, list[int]] = {}
    edge_findings: dict[str, list[int]] = {}
    for i, finding in enumerate(findings):
        for subject in finding.entity_ids:
            node_findings.setdefault(subject, []).append(i)
        if finding.relation_id:
            edge_findings.setdefault(finding.relation_id, []).append(i)

    net = Network(directed=True, cdn_resources="in_line", heading="")
    positions = compute_positions(graph, seed=seed, spacing=70.0 if physics else 110.0)
    degree = dict(graph.degree())

    entities: dict[str, dict[str, Any]] = {}
    total = n_nodes + graph.number_of_edges()
    for node in track(sorted(graph.nodes), total, "map: nodes"):
        attrs = graph.nodes[node]
        category = attrs.get("category") or type_category.get(attrs.get("type", ""))
        colour = ecol.get(attrs.get("type", ""), style.FALLBACK_COLOUR)
        x, y = positions.get(node, (0.0, 0.0))
        options: dict[str, Any] = {
            "color": {
                "background": colour,
                "border": "#333333",
                "highlight": {"background": colour, "border": "#000000"},
            },
            "size": round(10 + 3 * math.sqrt(degree.get(node, 0)), 1),
            "borderWidth": 1,
            "x": x,
            "y": y,
        }
        if node in node_findings:
            options["borderWidth"] = 3
            options["color"]["border"] = style.GAP_COLOUR
            options["color"]["highlight"]["border"] = style.GAP_COLOUR
        item = Node(node, style.shape(category), short_label(attrs.get("name") or node), **options).options
        net.nodes.append(item)
        net.node_ids.append(node)
        net.node_map[node] = item
        record = {k: v for k, v in attrs.items() if k not in ("category",)}
        record["id"] = node
        record["category"] = category
        if node in node_findings:
            record["findings"] = node_findings[node]
        entities[node] = record

    relations: dict[str, dict[str, Any]] = {}
    pair_count: Counter[tuple[str, str]] = Counter()
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: str(e[2]))
    for u, v, key, attrs in track(edges, total, "map: relations"):
        status = style.status_of(attrs)
        rtype = attrs.get("type", "")
        edge_id = str(key)
        pair = (min(u, v), max(u, v))
        nth = pair_count[pair]
        pair_count[pair] += 1
        options = {
            "id": edge_id,
            "color": {
                "color": rcol.get(rtype, style.FALLBACK_COLOUR),
                "highlight": "#000000",
                "opacity": 0.85,
            },
            "dashes": style.dashes(status) or False,
            "width": 1.5,
            "arrows": "to;from" if rtype in symmetric else "to",
        }
        if nth:
            options["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if nth % 2 else "curvedCCW",
                "roundness": 0.15 * ((nth + 1) // 2),
            }
        if edge_id in edge_findings:
            options["width"] = 3
        net.edges.append(Edge(u, v, directed=True, **options).options)
        record = dict(attrs)
        if edge_id in edge_findings:
            record["findings"] = edge_findings[edge_id]
        relations[edge_id] = record

    net.toggle_physics(physics)
    net.options.edges.inherit_colors(False)
    net.set_edge_smooth("continuous" if physics else "straightCross")
    if not physics:
        net.options.edges.smooth.enabled = False
    net.toggle_stabilization(physics)
    nodes, vis_edges, _heading, _height, _width, options_json = net.get_network_data()
    options = json.loads(options_json)
    options["layout"] = {"randomSeed": seed, "improvedLayout": False}
    options["physics"].update(
        {
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -2600,
                "centralGravity": 0.45,
                "springLength": 85,
                "springConstant": 0.04,
                "damping": 0.45,
                "avoidOverlap": 0.4,
            },
            "maxVelocity": 40,
            "minVelocity": 1,
        }
    )
    options["physics"]["stabilization"].update({"iterations": 250, "updateInterval": 25, "fit": True})
    options["interaction"].update(
        {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False}
    )
    options["nodes"] = {
        "font": {"size": 13, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "scaling": {"label": {"drawThreshold": 4}},
    }
    options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    options["edges"]["font"] = {"size": 0}
    return {
        "nodes": nodes,
        "edges": vis_edges,
        "options": options,
        "entities": entities,
        "relations": relations,
        "sources": _cited_sources(graph),
        "findings": [_page_finding(f) for f in findings],
        "physics": physics,
    }


def _page_finding(finding: Finding) -> dict[str, Any]:
    """A finding as the page's script reads it: every entity it names and its relation key."""
    return {
        "rule": finding.rule,
        "subjects": list(finding.entity_ids),
        "explanation": finding.explanation,
        "evidence": list(finding.evidence),
        "relations": [finding.relation_id] if finding.relation_id else [],
    }


def _filters(
    graph: nx.MultiDiGraph, legend: dict[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    type_counts = Counter(a.get("type") for _, a in graph.nodes(data=True))
    rel_counts = Counter(a.get("type") for _, _, a in graph.edges(data=True))
    status_counts = Counter(style.status_of(a) for _, _, a in graph.edges(data=True))
    return {
        "types": [dict(t, count=type_counts[t["name"]]) for t in legend["types"]],
        "relations": [dict(r, count=rel_counts[r["name"]]) for r in legend["relations"]],
        "statuses": [dict(s, count=status_counts[s["name"]]) for s in legend["statuses"]],
    }


def render_map(
    graph: nx.MultiDiGraph,
    *,
    title: str | None = None,
    caption: str | None = None,
    findings: Sequence[Any] = (),
    seed: int = 42,
    physics: bool | None = None,
) -> str:
    """The HTML page for ``graph`` (already narrowed with :func:`exports.view.select`).

    ``findings`` (:class:`queries.gaps.Finding`) are outlined on the map and named in the
    entity card.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    found = list(findings)
    data = network_data(graph, found, seed=seed, physics=physics)
    legend = style.legend(graph)
    title = title or DEFAULT_TITLE
    caption = caption if caption is not None else date_caption(graph, None)
    rules = Counter(f.rule for f in found)
    meta = {
        "title": title,
        "caption": caption,
        "seed": seed,
        "counts": {"nodes": len(data["nodes"]), "edges": len(data["edges"])},
        "physics": data["physics"],
    }
    payload = {
        k: data[k] for k in ("nodes", "edges", "options", "entities", "relations", "sources", "findings")
    }
    payload["meta"] = meta
    vis_js, vis_css = vis_assets()
    map_js = _asset("map.js")
    map_css = _asset("map.css")
    env = Environment(
        loader=PackageLoader("exports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    template = env.get_template("map.html.j2")
    scripts = [_raw_block(vis_js, "script"), _raw_block(map_js, "script")]
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(csp_hash(s) for s in scripts)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    return template.render(
        title=title,
        caption=caption,
        meta=meta,
        csp=csp,
        legend=legend,
        filters=_filters(graph, legend),
        rules=sorted(rules.items()),
        findings_count=len(found),
        gap_colour=style.GAP_COLOUR,
        vis_css=Markup(_raw_block(vis_css, "style")),
        map_css=Markup(_raw_block(map_css, "style")),
        vis_js=Markup(scripts[0]),
        map_js=Markup(scripts[1]),
        data_json=Markup(script_json(payload)),
    )


def write_map(
    store: Store,
    out: Path | str = "igfmap-map.html",
    *,
    title: str | None = None,
    as_of: str | date | None = None,
    focus: str | None = None,
    depth: int = 1,
    types: Sequence[str] = (),
    objective: str | None = None,
    highlight_gaps: bool = False,
    findings: Sequence[Any] | None = None,
    seed: int = 42,
    physics: bool | None = None,
    max_nodes: int = MAX_NODES,
) -> MapResult:
    """Write the interactive map of ``store`` to ``out``.

    Parameters
    ----------
    store : the store to draw (one snapshot of it gives the graph and the gap findings)
    out : path of the HTML file (written atomically, UTF-8).
    title : page title (default "IGF ecosystem map").
    as_of, focus, depth, types, objective : what to show (:func:`exports.view.select`).
    highlight_gaps : outline the entities named by gap findings; ``findings`` gives them,
        otherwise every gap rule of the queries package runs on the same snapshot.
    seed : layout seed; same input and seed give a byte-identical file.
    physics : force vis-network physics on or off (default: on up to 300 nodes).
    max_nodes : draw at most this many entities: the best-connected ones plus the focus
        (:func:`busiest`); the caption says how many were left out.

    Examples
    --------
    >>> write_map(store, "map.html", focus="igf", depth=2)   # doctest: +SKIP
    MapResult(path='map.html', nodes=41, edges=77, ...)
    """
    from mapper.store import atomic_write_text

    store = store.snapshot()
    graph = select(store.graph, as_of=as_of, focus=focus, depth=depth, types=types, objective=objective)
    selected = graph.number_of_nodes()
    graph, omitted = _cap(graph, focus, max_nodes)
    found: list[Finding] = []
    if highlight_gaps or findings is not None:
        found = list(findings) if findings is not None else run_gap_rules(store, as_of=as_of)
        # Only the findings about what the map shows: its header, panel and outlines agree.
        found = [f for f in found if all(s in graph for s in f.entity_ids)]
    if title is None and focus:
        from exports.view import resolve

        name = graph.nodes[resolve(graph, focus, "--focus")].get("name", focus)
        title = f"{DEFAULT_TITLE}: {name} and {depth} hop{'s' if depth != 1 else ''} around"
    caption = date_caption(store.graph if not as_of else graph, as_of)
    if omitted:
        caption += (
            f"; showing the {graph.number_of_nodes():,} best-connected of {selected:,} entities"
            f"{' (and the focus)' if focus else ''}; narrow with --focus, --type or --objective."
        )
    html = render_map(graph, title=title, caption=caption, findings=found, seed=seed, physics=physics)
    out = Path(out)
    atomic_write_text(out, html)
    return MapResult(
        path=str(out),
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        findings=len(found),
        bytes=len(html.encode("utf-8")),
        physics=graph.number_of_nodes() <= PHYSICS_LIMIT if physics is None else physics,
        omitted=omitted,
    )


def _cap(graph: nx.MultiDiGraph, focus: str | None, limit: int) -> tuple[nx.MultiDiGraph, int]:
    """:func:`busiest` keeping the focus entity, when there is one."""
    if graph.number_of_nodes() <= limit:
        return graph, 0
    from exports.view import resolve

    return busiest(graph, limit, [resolve(graph, focus, "--focus")] if focus else [])
