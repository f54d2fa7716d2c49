"""One visual vocabulary for every map and figure: colour per entity type, shape per category,
colour per relation type and line style per status.

The HTML map (vis-network) and the static figures (matplotlib) both read their styles from
here, so a legend means the same thing everywhere. Types without a declared colour (added by a
schema extension, or a new built-in type) get colours from :data:`EXTRA_COLOURS` in sorted-name
order (:func:`colours`), so the same schema always gets the same colours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from mapper.schema import CATEGORIES, DEFAULT_ENTITY_TYPES, DEFAULT_RELATION_TYPES, DEFAULT_STATUS, STATUSES

ENTITY_COLOURS: dict[str, str] = {
    "un_entity": "#1f77b4",
    "igf_body": "#ff7f0e",
    "dynamic_coalition": "#2ca02c",
    "nri": "#9467bd",
    "policy_network": "#8c564b",
    "best_practice_forum": "#e377c2",
    "government": "#7f7f7f",
    "organization": "#bcbd22",
    "process": "#17becf",
    "activity": "#6baed6",
    "objective": "#fdae6b",
    "commitment": "#fdd0a2",
    "event": "#c5b0d5",
    "document": "#c49c94",
}
EXTRA_COLOURS = (
    "#9edae5",
    "#dbdb8d",
    "#f7b6d2",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#31a354",
)

RELATION_COLOURS: dict[str, str] = {
    "ENGAGES_IN": "#2b6cb0",
    "PART_OF": "#718096",
    "MEMBER_OF": "#4a5568",
    "ADDRESSES": "#dd6b20",
    "MANDATED_BY": "#805ad5",
    "CONTRIBUTES_TO": "#2f855a",
    "RESPONDS_TO": "#319795",
    "COORDINATES_WITH": "#b7791f",
    "REPORTS_TO": "#975a16",
    "CONVENES": "#b83280",
    "DISCUSSED_AT": "#a0aec0",
    "SUCCEEDED_BY": "#1a202c",
    "ALIGNS_WITH": "#c05621",
}
EXTRA_RELATION_COLOURS = ("#553c9a", "#285e61", "#744210", "#702459", "#22543d", "#2a4365")

#: vis-network shape and matplotlib marker for each category.
CATEGORY_SHAPES: dict[str, str] = {
    "actor": "dot",
    "process": "square",
    "activity": "diamond",
    "objective": "star",
    "event": "triangle",
    "document": "triangleDown",
}
CATEGORY_MARKERS: dict[str, str] = {
    "actor": "o",
    "process": "s",
    "activity": "D",
    "objective": "*",
    "event": "^",
    "document": "v",
}

#: Dash pattern per status, in pixels (vis-network ``dashes``, SVG ``stroke-dasharray``);
#: an empty list is a solid line. Matplotlib gets the same pattern in points.
STATUS_DASHES: dict[str, list[int]] = {
    "active": [],
    "planned": [10, 5],
    "proposed": [4, 4],
    "requested": [2, 4],
    "concluded": [12, 3, 3, 3],
}

#: Line colour per engagement role in the engagement view (strongest roles darkest).
ROLE_COLOURS: dict[str, str] = {
    "lead": "#08306b",
    "co-lead": "#2171b5",
    "convener": "#6a3d9a",
    "facilitator": "#b15928",
    "contributor": "#238b45",
    "participant": "#74c476",
    "observer": "#969696",
    "endorser": "#e7298a",
    "": "#4a5568",
}

#: Outline of entities named by a gap finding.
GAP_COLOUR = "#d00000"
FALLBACK_COLOUR = "#999999"


def status_of(attrs: dict[str, Any]) -> str:
    """A relation's status; relations stored without one count as ``active``."""
    return attrs.get("status") or DEFAULT_STATUS


def entity_colours(types: Iterable[str]) -> dict[str, str]:
    """Colour for each entity type in ``types`` and every built-in one (see :func:`colours`)."""
    return colours(types, DEFAULT_ENTITY_TYPES, ENTITY_COLOURS, EXTRA_COLOURS)


def relation_colours(types: Iterable[str]) -> dict[str, str]:
    """Colour for each relation type in ``types`` and every built-in one (see :func:`colours`)."""
    return colours(types, DEFAULT_RELATION_TYPES, RELATION_COLOURS, EXTRA_RELATION_COLOURS)


def colours(
    types: Iterable[str], builtin: Iterable[str], declared: dict[str, str], palette: Sequence[str]
) -> dict[str, str]:
    """A colour for each of ``builtin`` and ``types``: its ``declared`` one, else one from
    ``palette`` in sorted-name order (a type added by a schema extension, or a built-in type
    nobody gave a colour yet), so the same types always get the same colours.

    >>> colours(["zeta", "alpha"], ["dc", "nri"], {"dc": "#111"}, ["#aaa", "#bbb", "#ccc"])
    {'dc': '#111', 'nri': '#bbb', 'alpha': '#aaa', 'zeta': '#ccc'}
    """
    known = list(builtin)
    named = known + sorted({t for t in types if t} - set(known))
    undeclared = sorted(t for t in named if t not in declared)
    extra = {name: palette[i % len(palette)] for i, name in enumerate(undeclared)}
    return {t: declared.get(t) or extra[t] for t in named}


def dashes(status: str) -> list[int]:
    return STATUS_DASHES.get(status, [])


def mpl_linestyle(status: str) -> tuple[float, tuple[float, ...]] | Literal["solid"]:
    """The status's dash pattern as a matplotlib linestyle (pattern scaled to points)."""
    pattern = dashes(status)
    if not pattern:
        return "solid"
    return (0, tuple(p / 2.5 for p in pattern))


def role_colour(role: str | None) -> str:
    """The engagement view's line colour for a role (no role: dark grey)."""
    return ROLE_COLOURS.get(role or "", ROLE_COLOURS[""])


def tint(colour: str, amount: float = 0.72) -> str:
    """``colour`` mixed with white (``amount`` of white), for box backgrounds that keep text legible."""
    r, g, b = hex_to_rgb(colour)
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * amount) for c in (r, g, b)))


def shape(category: str | None) -> str:
    return CATEGORY_SHAPES.get(category or "", "dot")


def marker(category: str | None) -> str:
    return CATEGORY_MARKERS.get(category or "", "o")


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def legend(graph: object) -> dict[str, list[dict[str, object]]]:
    """The legend entries for what ``graph`` holds, in schema order.

    Returns ``{"types": [{name, category, colour, shape}], "categories": [{name, shape,
    marker}], "relations": [{name, colour}], "statuses": [{name, dashes}]}``.
    """
    import networkx as nx

    assert isinstance(graph, nx.MultiDiGraph)
    node_types = {a.get("type") for _, a in graph.nodes(data=True)}
    schema = graph.graph.get("schema")
    type_category = dict(schema.entity_types) if schema is not None else dict(DEFAULT_ENTITY_TYPES)
    rel_types = {a.get("type") for _, _, a in graph.edges(data=True)}
    statuses = {status_of(a) for _, _, a in graph.edges(data=True)}
    ecol = entity_colours(type_category)
    rcol = relation_colours(rel_types)
    order = list(DEFAULT_ENTITY_TYPES) + sorted(t for t in type_category if t not in DEFAULT_ENTITY_TYPES)
    order += sorted(t for t in node_types if t and t not in order)
    types = [
        {
            "name": t,
            "category": type_category.get(t, ""),
            "colour": ecol.get(t, FALLBACK_COLOUR),
            "shape": shape(type_category.get(t)),
        }
        for t in order
        if t in node_types
    ]
    used_categories = {type_category.get(t) for t in node_types}
    categories = [
        {"name": c, "shape": CATEGORY_SHAPES[c], "marker": CATEGORY_MARKERS[c]}
        for c in CATEGORIES
        if c in used_categories
    ]
    rel_order = list(DEFAULT_RELATION_TYPES) + sorted(t for t in rel_types if t not in DEFAULT_RELATION_TYPES)
    relations = [{"name": r, "colour": rcol[r]} for r in rel_order if r in rel_types]
    status_list = [{"name": s, "dashes": dashes(s)} for s in STATUSES if s in statuses]
    return {"types": types, "categories": categories, "relations": relations, "statuses": status_list}
