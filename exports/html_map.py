"""The interactive HTML map: one self-contained, offline, script-safe UTF-8 file, in two views.

* ``network`` (default): every entity and relation of the selection, positions precomputed
  from ``seed`` (:mod:`exports.layout`) and moved apart until no two nodes overlap.
* ``engagement``: actors → activities → objectives (:mod:`exports.engagement`), one line per
  actor-activity pair, packed to be read on one screen; gaps marked by severity, judged on the
  whole data.

pyvis builds the vis-network node, edge and option objects through its public API
(``Network.add_node``, ``Network.add_edge``, the ``Options`` setters); its membership checks
scan lists, but on a directed network they are C-speed scans (3,000 nodes build in about a
second). The page comes from the project's template ``exports/templates/map.html.j2`` (Jinja,
autoescape on) with vis-network inlined from the pyvis package, so nothing is fetched:

* a Content-Security-Policy meta tag forbids every request (``default-src 'none'``) and lets
  only the two inline scripts run, named by their SHA-256 hashes; the data sits in a
  ``<script type="application/json">`` block (never executed) with ``<``, ``>``, ``&`` and
  U+2028/9 escaped, so no value can close the block;
* the page script (``templates/map.js``) treats every value as text: ``textContent`` and DOM
  nodes, never ``innerHTML``; tooltips are DOM elements; links only for http(s) URLs.

The page script draws the network view's labels itself, by priority (the focus, the selection,
the highlighted, then the most connected), at a constant on-screen size, never colliding, placed
again whenever the view moves; highlights a neighbourhood on click or hover and the matches of a
search (and fits the view to them); refits the view after every filter and collapse; folds the
engagement view's idle actors; re-filters by date like ``--as-of`` and keeps its state in the
URL fragment. Same input, same seed: same bytes.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import math
import re
import sys
import types
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import networkx as nx
import orjson
from markupsafe import Markup

from exports import style
from exports.declutter import separate
from exports.engagement import (
    FOLD_FONT,
    FONT,
    IDLE,
    LINE,
    PAD_X,
    PAD_Y,
    EngagementView,
    ScreenLayout,
    engagement_view,
    screen_layout,
    wrap_name,
)
from exports.layout import compute_positions
from exports.templating import environment
from exports.view import MAX_NODES, busiest, check_view, date_caption, resolve, select, view_findings
from mapper.progress import track
from mapper.schema import ROLES, SYMMETRIC_RELATIONS
from mapper.store_protocol import Store
from queries.common import iso_date
from queries.gaps import Finding

DEFAULT_TITLE = "IGF ecosystem map"
VIS_VERSION = "vis-9.1.2"
LABEL_MAX = 32
#: Network labels: two lines of at most this many pixels (whole names up to about 50 characters).
NETWORK_WRAP = 200.0

# Replaced one after the other with bytes.replace: str.translate with a dict looks every character
# up in Python and took 0.3 s on the seed's 1 MB of map data, the replaces take 1 ms.
_JSON_ESCAPES = tuple(
    (char.encode(), escape.encode())
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    )
)


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element (no ``</script>``, no
    ``<!--``, no line separators that old parsers choke on).

    Written by orjson (the seed's 0.7 MB of map data in 1 ms, against 6 ms for ``json.dumps``);
    what orjson refuses (keys that are not strings, integers beyond 64 bits, lone surrogates)
    by ``json``.

    >>> script_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    try:
        text = orjson.dumps(data)
    except orjson.JSONEncodeError:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    for char, escape in _JSON_ESCAPES:
        text = text.replace(char, escape)
    return text.decode("utf-8", "surrogatepass")


def csp_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _asset(name: str) -> str:
    return (resources.files("exports") / "templates" / name).read_text(encoding="utf-8")


def page_script(name: str) -> str:
    """A page's script (``map.js``, ``matrix.js``) after the card helpers both share (``card.js``),
    as one inline block: one CSP hash, and the helpers written once."""
    return _asset("card.js") + "\n" + _asset(name)


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, read from the installed pyvis package."""
    lib = Path(_pyvis_network().__file__).parent / "templates" / "lib" / VIS_VERSION
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
    """What :func:`map_page` drew (and :func:`write_map` wrote, at ``path``)."""

    path: str
    nodes: int
    edges: int
    findings: int
    bytes: int
    physics: bool
    view: str = "network"
    #: Engagement view: entities marked as gaps (uncovered activities, unengaged actors).
    gaps: int = 0
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
            "view": self.view,
            "gaps": self.gaps,
            "omitted": self.omitted,
        }


def _cited_sources(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    known = graph.graph.get("sources", {})
    cited: set[str] = set()
    for _, attrs in graph.nodes(data=True):
        cited.update(attrs.get("sources") or [])
    for _, _, attrs in graph.edges(data=True):
        cited.update(attrs.get("sources") or [])
    return {s: dict(known[s]) for s in sorted(cited) if s in known}


# --- building blocks shared by both views ------------------------------------------------------


def _finding_index(findings: Sequence[Finding]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Which findings (by index) name each entity, and which are about each relation."""
    node_findings: dict[str, list[int]] = {}
    edge_findings: dict[str, list[int]] = {}
    for i, found in enumerate(findings):
        for subject in found.entity_ids:
            node_findings.setdefault(subject, []).append(i)
        if found.relation_id:
            edge_findings.setdefault(found.relation_id, []).append(i)
    return node_findings, edge_findings


def _type_categories(graph: nx.MultiDiGraph) -> dict[str, str]:
    schema = graph.graph.get("schema")
    return dict(schema.entity_types) if schema is not None else {}


def _entity_record(
    graph: nx.MultiDiGraph, node: str, category: str | None, finds: list[int] | None
) -> dict[str, Any]:
    """The stored entity as the page's card reads it."""
    record = {k: v for k, v in graph.nodes[node].items() if k != "category"}
    record["id"] = node
    record["category"] = category
    if finds:
        record["findings"] = finds
    return record


def _new_network() -> Any:
    """An empty directed pyvis network (vis-network objects come from its public API)."""
    return _pyvis_network().Network(directed=True, cdn_resources="in_line", heading="")


def _pyvis_network() -> Any:
    """The ``pyvis.network`` module, imported without IPython and PyYAML when they are not
    loaded yet.

    pyvis 0.3.2 imports ``IPython.display.IFrame`` at the top of ``pyvis.network`` for its
    notebook ``show()``, which the map never calls; importing IPython is about 40 ms of every
    ``igfmap map`` and ``report``. It also imports jsonpickle (for ``Network.to_json``, never
    called here), which registers every JSON backend it can import, PyYAML among them (7 ms;
    jsonpickle means to stop registering it by default in 5.0). During that one import a
    stand-in ``IPython.display`` is there and ``yaml`` is marked missing (so jsonpickle skips
    it), both undone right after: an IPython or PyYAML imported later (or already, in a
    notebook) is the real one.
    """
    if "pyvis.network" in sys.modules:
        return _import_pyvis()
    stand_ins: dict[str, types.ModuleType | None] = {}
    if "IPython.display" not in sys.modules:
        stand_in = types.ModuleType("IPython.display", "pyvis's notebook helper, not loaded by igfmap")
        stand_in.IFrame = None  # type: ignore[attr-defined]  # only pyvis's notebook show() uses it
        stand_ins["IPython.display"] = stand_in
    if "yaml" not in sys.modules and "jsonpickle" not in sys.modules:
        stand_ins["yaml"] = None  # `import yaml` raises ImportError: not a jsonpickle backend
    sys.modules.update(stand_ins)  # type: ignore[arg-type]
    try:
        return _import_pyvis()
    finally:
        for name, module in stand_ins.items():
            if name in sys.modules and sys.modules[name] is module:
                del sys.modules[name]


def _import_pyvis() -> Any:
    import pyvis.network

    return pyvis.network


def collapsible_groups(graph: nx.MultiDiGraph, minimum: int = 4) -> list[dict[str, Any]]:
    """Groups that crowd a network picture: entities of one type that are all PART_OF or
    MEMBER_OF the same parent (the Dynamic Coalitions, the NRIs, the members of a body), with at
    least ``minimum`` members. Each entity is in one group at most (biggest groups first)."""
    candidates: dict[tuple[str, str], set[str]] = {}
    for u, v, a in graph.edges(data=True):
        if a.get("type") in ("PART_OF", "MEMBER_OF") and u != v:
            candidates.setdefault((v, graph.nodes[u].get("type") or ""), set()).add(u)
    taken: set[str] = set()
    groups = []
    for (parent, kind), members in sorted(candidates.items(), key=lambda x: (-len(x[1]), x[0])):
        free = sorted(members - taken - {parent})
        if len(free) < minimum:
            continue
        taken.update(free)
        parent_name = graph.nodes[parent].get("name") or parent
        groups.append(
            {
                "id": f"group:{parent}:{kind}",
                "label": f"{len(free)} {kind.replace('_', ' ')} · {short_label(parent_name, 28)}",
                "members": free,
            }
        )
    return groups


def _dates(graph: nx.MultiDiGraph) -> list[str]:
    """Every validity bound in the data, sorted: the stops of the page's date control."""
    found: set[str] = set()
    for _, attrs in graph.nodes(data=True):
        found.update(str(attrs[k]) for k in ("valid_from", "valid_to") if attrs.get(k))
    for _, _, attrs in graph.edges(data=True):
        found.update(str(attrs[k]) for k in ("since", "until") if attrs.get(k))
    return sorted(found)


def _vis_options(net: Any, *, physics: bool, seed: int, font_size: int) -> dict[str, Any]:
    """vis-network options: pyvis's own option setters, then the page's additions to its output."""
    net.toggle_physics(physics)
    net.options.edges.inherit_colors(False)
    net.set_edge_smooth("continuous" if physics else "straightCross")
    if not physics:
        net.options.edges.smooth.enabled = False
    net.toggle_stabilization(physics)
    options: dict[str, Any] = json.loads(net.options.to_json())
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
                "avoidOverlap": 1,
            },
            "maxVelocity": 40,
            "minVelocity": 1,
        }
    )
    options["physics"]["stabilization"].update({"iterations": 250, "updateInterval": 25, "fit": True})
    options["interaction"].update(
        {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": False,
            "hideEdgesOnDrag": False,
        }
    )
    options["nodes"] = {
        "font": {
            "size": font_size,
            "face": "system-ui, sans-serif",
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
        },
        "scaling": {"label": {"drawThreshold": 4}},
    }
    options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    options["edges"]["font"] = {"size": 0}
    return options


#: Width over height of a map's drawing area on a 1600 x 1000 screen (less panel and header).
SCREEN_ASPECT = 1.4


def widen(
    positions: dict[str, tuple[float, float]], aspect: float = SCREEN_ASPECT
) -> dict[str, tuple[float, float]]:
    """``positions`` stretched sideways until their extent is as wide as a screen (never narrowed):
    a tall layout fitted to a wide screen leaves its sides empty and crowds its labels.

    >>> widen({"a": (0.0, 0.0), "b": (1.0, 10.0)}, aspect=1.0)["b"]
    (10.0, 10.0)
    """
    if len(positions) < 2:
        return positions
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if width <= 0 or width >= aspect * height:
        return positions
    k = aspect * height / width
    return {n: (round(x * k, 1), y) for n, (x, y) in positions.items()}


# --- the network view --------------------------------------------------------------------------


def _network_nodes(
    net: Any,
    graph: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]],
    sizes: dict[str, float],
    node_findings: dict[str, list[int]],
) -> dict[str, dict[str, Any]]:
    """Add one vis-network node per entity (pyvis ``add_node``); return the entity records."""
    type_category = _type_categories(graph)
    ecol = style.entity_colours({a.get("type") for _, a in graph.nodes(data=True)} | set(type_category))
    entities: dict[str, dict[str, Any]] = {}
    for node in track(sorted(graph.nodes), graph.number_of_nodes(), "map: nodes"):
        attrs = graph.nodes[node]
        category = attrs.get("category") or type_category.get(attrs.get("type", ""))
        colour = ecol.get(attrs.get("type", ""), style.FALLBACK_COLOUR)
        flagged = node in node_findings
        border = style.GAP_COLOUR if flagged else "#333333"
        x, y = positions.get(node, (0.0, 0.0))
        net.add_node(
            node,
            label=wrap_name(attrs.get("name") or node, NETWORK_WRAP),
            shape=style.shape(category),
            color={
                "background": colour,
                "border": border,
                "highlight": {"background": colour, "border": border},
            },
            size=sizes[node],
            borderWidth=3 if flagged else 1,
            x=x,
            y=y,
        )
        entities[node] = _entity_record(graph, node, category, node_findings.get(node))
    return entities


def _network_edges(
    net: Any, graph: nx.MultiDiGraph, edge_findings: dict[str, list[int]]
) -> dict[str, dict[str, Any]]:
    """Add one vis-network edge per relation (pyvis ``add_edge``), parallel ones curved apart;
    return the relation records keyed by relation key."""
    rcol = style.relation_colours({a.get("type") for _, _, a in graph.edges(data=True)})
    relations: dict[str, dict[str, Any]] = {}
    pair_count: Counter[tuple[str, str]] = Counter()
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: str(e[2]))
    for u, v, key, attrs in track(edges, len(edges), "map: relations"):
        rtype = attrs.get("type", "")
        edge_id = str(key)
        pair = (min(u, v), max(u, v))
        nth = pair_count[pair]
        pair_count[pair] += 1
        options: dict[str, Any] = {
            "id": edge_id,
            "color": {
                "color": rcol.get(rtype, style.FALLBACK_COLOUR),
                "highlight": "#000000",
                "opacity": 0.85,
            },
            "dashes": style.dashes(style.status_of(attrs)) or False,
            "width": 3 if edge_id in edge_findings else 1.5,
            "arrows": "to;from" if rtype in SYMMETRIC_RELATIONS else "to",
        }
        if nth:
            options["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if nth % 2 else "curvedCCW",
                "roundness": 0.15 * ((nth + 1) // 2),
            }
        net.add_edge(u, v, **options)
        record = dict(attrs)
        if edge_id in edge_findings:
            record["findings"] = edge_findings[edge_id]
        relations[edge_id] = record
    return relations


def network_data(
    graph: nx.MultiDiGraph,
    findings: Sequence[Finding] = (),
    seed: int = 42,
    physics: bool | None = None,
) -> dict[str, Any]:
    """The network view: vis-network nodes, edges and options (built with pyvis) and the
    records behind them.

    Returns ``{"nodes", "edges", "options", "entities", "relations", "sources", "findings",
    "physics", "groups", "rank", "headings"}``: ``nodes``/``edges`` are vis-network objects in
    sorted order; ``entities`` and ``relations`` are the stored records keyed by node id and
    relation key; ``groups`` the groups the page can collapse; ``rank`` the node ids, most
    connected first (the order in which labels claim space).

    Positions come from :func:`exports.layout.compute_positions` and are then moved apart until
    no two nodes overlap; physics is off unless asked for (the drawing starts where it ends).
    """
    physics = bool(physics)
    findings = list(findings)
    node_findings, edge_findings = _finding_index(findings)
    degree = dict(graph.degree())
    sizes = {n: round(10 + 3 * math.sqrt(degree.get(n, 0)), 1) for n in graph}
    raw = widen(compute_positions(graph, seed=seed, spacing=110.0))
    # Star and diamond shapes reach a little beyond their size; keep 10 px between outlines.
    positions = separate(raw, {n: s * 1.2 for n, s in sizes.items()}, gap=10.0)
    net = _new_network()
    entities = _network_nodes(net, graph, positions, sizes, node_findings)
    relations = _network_edges(net, graph, edge_findings)
    options = _vis_options(net, physics=physics, seed=seed, font_size=13)
    rank = sorted(graph, key=lambda n: (-degree.get(n, 0), n))
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "entities": entities,
        "relations": relations,
        "sources": _cited_sources(graph),
        "findings": [_page_finding(f) for f in findings],
        "physics": physics,
        "groups": collapsible_groups(graph),
        "rank": rank,
        "headings": [],
        "members": {},
        "boxes": {},
        "panel": True,
        "gaps": [],
    }


# --- the engagement view -----------------------------------------------------------------------


#: Frame of an entity named by a gap finding of another rule (``--highlight-gaps``) in the
#: engagement view: amber, so that red stays for what needs action.
FINDING_COLOUR = "#b7791f"
#: How much white the engagement boxes' type colour is mixed with: pale, so text stands out.
BOX_TINT = 0.72
#: Frame of an actor with no active or planned engagement: grey and dashed, a quiet mark.
UNENGAGED_COLOUR = "#718096"


def _engagement_frame(gap: str | None, flagged: bool, colour: str) -> dict[str, Any]:
    """Box background, frame colour, width and dashes by severity: red for what needs action
    (an uncovered activity, an objective nobody works towards), amber for another rule's
    finding, grey dashes for an actor that engages on nothing."""
    if gap in ("uncovered", "unworked"):
        return {"background": "#ffe3e3", "border": style.GAP_COLOUR, "width": 2, "dashes": False}
    if flagged:
        return {
            "background": style.tint(colour, BOX_TINT),
            "border": FINDING_COLOUR,
            "width": 2,
            "dashes": False,
        }
    if gap == "unengaged":
        return {
            "background": style.tint(colour, BOX_TINT),
            "border": UNENGAGED_COLOUR,
            "width": 1.5,
            "dashes": [5, 3],
        }
    return {"background": style.tint(colour, BOX_TINT), "border": colour, "width": 1.5, "dashes": False}


def _engagement_nodes(
    net: Any,
    graph: nx.MultiDiGraph,
    view: EngagementView,
    layout: ScreenLayout,
    node_findings: dict[str, list[int]],
) -> dict[str, dict[str, Any]]:
    """One box per entity of the view (pyvis ``add_node``), framed by gap severity; the records."""
    type_category = _type_categories(graph)
    ecol = style.entity_colours({graph.nodes[n].get("type") for n in view.columns} | set(type_category))
    entities: dict[str, dict[str, Any]] = {}
    for node in sorted(view.columns):
        attrs = graph.nodes[node]
        category = attrs.get("category") or type_category.get(attrs.get("type", ""))
        gap = view.gap_kind(node)
        frame = _engagement_frame(
            gap, node in node_findings, ecol.get(attrs.get("type", ""), style.FALLBACK_COLOUR)
        )
        x, y = layout.positions[node]
        width, height, _ = layout.sizes[node]
        net.add_node(
            node,
            label=layout.labels[node],
            shape="box",
            # vis-network adds the margins to the constraints: the drawn box is width x height.
            widthConstraint={"minimum": width - 2 * PAD_X, "maximum": width - 2 * PAD_X},
            heightConstraint={"minimum": height - 2 * PAD_Y, "valign": "middle"},
            color={
                "background": frame["background"],
                "border": frame["border"],
                "highlight": {"background": frame["background"], "border": "#000000"},
            },
            borderWidth=frame["width"],
            shapeProperties={"borderDashes": frame["dashes"], "borderRadius": 4},
            x=x,
            y=y,
        )
        record = _entity_record(graph, node, category, node_findings.get(node))
        record["column"] = view.columns[node]
        if gap:
            record["gap"] = gap
        entities[node] = record
    return entities


def _engagement_edges(
    net: Any, view: EngagementView, shown: nx.MultiDiGraph, edge_findings: dict[str, list[int]]
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """One line per pair (pyvis ``add_edge``): coloured by role, dashed by status; the relation
    records and ``{line id: [relation keys]}``."""
    relations: dict[str, dict[str, Any]] = {}
    members: dict[str, list[str]] = {}
    for pair in view.pairs:
        engaged = pair.type == "ENGAGES_IN"
        colour = style.role_colour(pair.role) if engaged else style.RELATION_COLOURS["ADDRESSES"]
        flagged = any(k in edge_findings for k in pair.keys)
        net.add_edge(
            pair.source,
            pair.target,
            id=pair.id,
            color={"color": colour, "highlight": "#000000", "opacity": 0.9 if engaged else 0.6},
            dashes=style.dashes(pair.status) or False,
            width=(3 if flagged else 1.4) + 0.6 * (len(pair.keys) - 1),
            arrows="",  # columns read left to right; arrowheads would sit on the boxes
        )
        members[pair.id] = list(pair.keys)
        for _u, v, key, attrs in shown.edges(pair.source, keys=True, data=True):
            if key in pair.keys and v == pair.target:
                relations[key] = (
                    dict(attrs, findings=edge_findings[key]) if key in edge_findings else dict(attrs)
                )
    return relations, members


def _engagement_options(net: Any, seed: int) -> dict[str, Any]:
    """vis-network options of the engagement view: boxes sized by the layout (each node's
    constraints), text wrapped by it."""
    options = _vis_options(net, physics=False, seed=seed, font_size=FONT)
    options["nodes"]["margin"] = {"top": PAD_Y, "bottom": PAD_Y, "left": PAD_X, "right": PAD_X}
    options["edges"]["smooth"] = {
        "enabled": True,
        "type": "cubicBezier",
        "forceDirection": "horizontal",
        "roundness": 0.45,
    }
    options["interaction"]["zoomSpeed"] = 0.6
    return options


def _engagement_groups(view: EngagementView, layout: ScreenLayout) -> list[dict[str, Any]]:
    """What the page can collapse: the folds of actors with no line (folded on opening, each at
    its place in the actor column), then each column group of three or more."""
    folds = [dict(f, folded=True) for f in layout.folds]
    groups = [
        {
            "id": f"group:{g.column}:{g.key}",
            "label": f"{g.label} ({len(g.members)})",
            "members": list(g.members),
        }
        for g in view.groups
        if len(g.members) >= 3 and g.key != IDLE
    ]
    return folds + groups


def engagement_data(
    graph: nx.MultiDiGraph,
    findings: Sequence[Finding] = (),
    *,
    uncovered: Sequence[str] | None = None,
    whole: nx.MultiDiGraph | None = None,
    seed: int = 42,
) -> dict[str, Any]:
    """The engagement view (:mod:`exports.engagement`) as vis-network data, same keys as
    :func:`network_data` plus ``members`` (``{line id: [relation keys]}``) and ``gaps`` (the
    entities marked as gaps). Gap marks come from ``whole`` (the whole data; default ``graph``)."""
    view = engagement_view(graph, uncovered=uncovered, whole=whole)
    layout = screen_layout(view, graph)
    shown = view.graph(graph)
    findings = list(findings)
    node_findings, edge_findings = _finding_index(findings)
    net = _new_network()
    entities = _engagement_nodes(net, graph, view, layout, node_findings)
    relations, members = _engagement_edges(net, view, shown, edge_findings)
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _engagement_options(net, seed),
        "entities": entities,
        "relations": relations,
        "sources": _cited_sources(shown),
        "findings": [_page_finding(f) for f in findings],
        "physics": False,
        "groups": _engagement_groups(view, layout),
        "rank": sorted(view.columns),
        "headings": layout.headings,
        "boxes": layout.sizes,
        "panel": layout.panel,
        "members": members,
        "gaps": sorted(view.gaps),
        "view": view,
        "graph": shown,
    }


def _mark_legend(view: EngagementView | None) -> dict[str, Any]:
    """The legend's marks: their colours, and how many entities the engagement view marks by kind."""
    kinds = ("uncovered", "unworked", "unengaged")
    return {
        "gap_colour": style.GAP_COLOUR,
        "finding_colour": FINDING_COLOUR,
        "unengaged_colour": UNENGAGED_COLOUR,
        "addresses_colour": style.RELATION_COLOURS["ADDRESSES"],
        "marks": {k: len(getattr(view, k)) if view is not None else 0 for k in kinds},
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


def _roles_legend(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    used = {a.get("role") or "" for _, _, a in graph.edges(data=True) if a.get("type") == "ENGAGES_IN"}
    return [{"name": r or "(no role)", "colour": style.role_colour(r)} for r in (*ROLES, "") if r in used]


# --- the page ----------------------------------------------------------------------------------


def _page_scripts() -> tuple[list[str], str, str]:
    """The two inline scripts (vis-network, the page's), vis-network's CSS and the page's CSS."""
    vis_js, vis_css = vis_assets()
    return (
        [_raw_block(vis_js, "script"), _raw_block(page_script("map.js"), "script")],
        vis_css,
        _asset("map.css"),
    )


def _csp(scripts: Sequence[str]) -> str:
    return (
        "default-src 'none'; "
        f"script-src {' '.join(csp_hash(s) for s in scripts)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def render_map(
    graph: nx.MultiDiGraph,
    *,
    title: str | None = None,
    caption: str | None = None,
    findings: Sequence[Any] = (),
    seed: int = 42,
    physics: bool | None = None,
    view: str = "network",
    focus: str | None = None,
    as_of: str | None = None,
    uncovered: Sequence[str] | None = None,
    all_dates: Sequence[str] | None = None,
    whole: nx.MultiDiGraph | None = None,
) -> str:
    """The HTML page for ``graph`` (already narrowed with :func:`exports.view.select`).

    ``view`` is ``network`` or ``engagement``. ``findings`` (:class:`queries.gaps.Finding`) are
    outlined on the map and named in the entity card; pass only those about what the graph
    shows. ``focus`` is centred and marked; ``as_of`` is where the date control starts.
    ``whole`` is the whole data (by date only) the engagement view's gap marks come from.
    """
    found = list(findings)
    if check_view(view) == "engagement":
        data = engagement_data(graph, found, uncovered=uncovered, whole=whole, seed=seed)
        shown = data["graph"]
    else:
        data = network_data(graph, found, seed=seed, physics=physics)
        shown = graph
    legend = style.legend(shown)
    title = title or DEFAULT_TITLE
    caption = caption if caption is not None else date_caption(graph, None)
    rules = Counter(f.rule for f in found)
    dates = sorted(set(all_dates if all_dates is not None else _dates(graph)) | ({as_of} if as_of else set()))
    meta = {
        "title": title,
        "caption": caption,
        "seed": seed,
        "view": view,
        "counts": {"nodes": len(data["nodes"]), "edges": len(data["relations"])},
        "physics": data["physics"],
        "focus": focus if focus in data["entities"] else None,
        "as_of": as_of,
        "dates": dates,
        "gap_colour": style.GAP_COLOUR,
        "font": FONT if view == "engagement" else None,
        "foldFont": FOLD_FONT,
        "line": LINE,
        "panel": data["panel"],
    }
    keys = ("nodes", "edges", "options", "entities", "relations", "sources", "findings", "groups", "rank")
    payload = {k: data[k] for k in (*keys, "headings", "members", "boxes", "gaps")} | {"meta": meta}
    scripts, vis_css, map_css = _page_scripts()
    page = environment(autoescape=True).get_template("map.html.j2")
    return page.render(
        title=title,
        caption=caption,
        meta=meta,
        csp=_csp(scripts),
        legend=legend,
        filters=_filters(shown, legend),
        roles=_roles_legend(shown) if view == "engagement" else [],
        groups=data["groups"],
        gaps_marked=len(data.get("gaps", [])),
        rules=sorted(rules.items()),
        findings_count=len(found),
        **_mark_legend(data.get("view")),
        vis_css=Markup(_raw_block(vis_css, "style")),
        map_css=Markup(_raw_block(map_css, "style")),
        vis_js=Markup(scripts[0]),
        map_js=Markup(scripts[1]),
        data_json=Markup(script_json(payload)),
    )


def map_page(
    store: Store,
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
    view: str = "network",
    ecosystem: str | None = None,
    max_nodes: int = MAX_NODES,
) -> tuple[str, MapResult]:
    """The interactive map of ``store``: the page's HTML, and what it draws (``path`` empty).

    Parameters
    ----------
    store : the store to draw (one snapshot of it gives the graph and the gap findings)
    title : page title (default "IGF ecosystem map").
    as_of, focus, depth, types, objective : what to show (:func:`exports.view.select`).
    highlight_gaps : outline the entities named by gap findings; ``findings`` gives them,
        otherwise every gap rule of the queries package runs on the same snapshot.
    seed : layout seed; same input and seed give a byte-identical file.
    physics : turn vis-network physics on (default off: the layout is precomputed).
    view : ``network`` (every entity and relation), ``engagement`` (actors → activities →
        objectives, :mod:`exports.engagement`) or ``matrix`` (actors × activities, a table:
        :mod:`exports.matrix_view`).
    ecosystem : the root of the ecosystem the gap rules look at (default: ``igf`` when the
        data has it, :func:`queries.roots.default_root`).
    max_nodes : draw at most this many entities: the best-connected ones plus the focus
        (:func:`busiest`); the caption says how many were left out.

    Examples
    --------
    >>> page, result = map_page(store, focus="igf", depth=1)
    >>> result.view, result.nodes > 10, page.startswith("<!DOCTYPE html>")
    ('network', True, True)
    """
    check_view(view)
    store = store.snapshot()
    day = iso_date(as_of)
    graph = select(store.graph, as_of=day, focus=focus, depth=depth, types=types, objective=objective)
    focus_id = resolve(graph, focus, "--focus") if focus else None
    selected = graph.number_of_nodes()
    graph, omitted = busiest(graph, max_nodes, [focus_id] if focus_id else [])
    found, uncovered = view_findings(
        store, graph, view, findings=findings, highlight_gaps=highlight_gaps, as_of=day, ecosystem=ecosystem
    )
    if title is None and focus_id:
        name = graph.nodes[focus_id].get("name", focus_id)
        title = f"{DEFAULT_TITLE}: {name} and {depth} hop{'s' if depth != 1 else ''} around"
    caption = date_caption(store.graph if not day else graph, day)
    if omitted:
        caption += (
            f"; showing the {graph.number_of_nodes():,} best-connected of {selected:,} entities"
            f"{' (and the focus)' if focus else ''}; narrow with --focus, --type or --objective."
        )
    html = _page_html(
        store,
        graph,
        view,
        title=title,
        caption=caption,
        findings=found,
        seed=seed,
        physics=physics,
        focus=focus_id,
        as_of=day,
        uncovered=uncovered,
    )
    return html, _drawn(html, findings=len(found), physics=bool(physics), view=view, omitted=omitted)


def _page_html(
    store: Store,
    graph: nx.MultiDiGraph,
    view: str,
    *,
    title: str | None,
    caption: str,
    findings: list[Any],
    seed: int,
    physics: bool | None,
    focus: str | None,
    as_of: str | None,
    uncovered: list[str] | None,
) -> str:
    """The page of ``view``: the matrix (a table, :mod:`exports.matrix_view`) or a drawing."""
    if view == "matrix":
        from exports.matrix_view import MATRIX_TITLE, matrix_table, render_matrix_page

        table = matrix_table(store, graph, as_of=as_of, uncovered=uncovered)
        return render_matrix_page(table, title=title or MATRIX_TITLE, caption=caption, focus=focus)
    return render_map(
        graph,
        title=title,
        caption=caption,
        findings=findings,
        seed=seed,
        physics=physics,
        view=view,
        focus=focus,
        as_of=as_of,
        uncovered=uncovered,
        all_dates=_dates(store.graph),
        whole=select(store.graph, as_of=as_of),
    )


def _drawn(html: str, *, findings: int, physics: bool, view: str, omitted: int) -> MapResult:
    """What the map page ``html`` draws, as its own counts say (``path`` empty: not written)."""
    nodes, edges = _data_counts(html)
    marked = re.search(r'<span id="count-gaps">(\d+)</span>', html)
    gaps = int(marked.group(1)) if marked else 0
    size = len(html.encode("utf-8"))
    return MapResult("", nodes, edges, findings, size, physics, view=view, gaps=gaps, omitted=omitted)


def write_map(store: Store, out: Path | str = "igfmap-map.html", **options: Any) -> MapResult:
    """Write the interactive map of ``store`` to ``out`` (atomically, UTF-8); ``options`` are
    those of :func:`map_page`.

    >>> result = write_map(store, tmp / "map.html", focus="igf", depth=1)
    >>> result.view, result.nodes > 10, (tmp / "map.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    ('network', True, True)
    """
    from mapper.outputs import atomic_write_text

    html, result = map_page(store, **options)
    atomic_write_text(Path(out), html)
    return dataclasses.replace(result, path=str(out))


def _data_counts(html: str) -> tuple[int, int]:
    """(entities, relations) the page says it draws (its body's data attributes)."""
    found = re.search(r'<body data-nodes="(\d+)" data-edges="(\d+)"', html)
    assert found, "map page without counts"
    return int(found.group(1)), int(found.group(2))
