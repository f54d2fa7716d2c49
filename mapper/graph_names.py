"""How igf-mapper's model is named in a Neo4j graph: labels, relationship types, marker nodes.

One small core module that everything writing or reading Cypher shares: the Neo4j store
(:mod:`mapper.neo4j`), the Cypher half of each query pair (:mod:`queries.cypher`) and the
Cypher script export (:mod:`exports.cypher_script`). It imports neither the driver nor the
store, so a query or an export can build Cypher without depending on a backend.

Labels and relationship types are never parameters in Cypher: they come only from the
validated schema and are checked here against the schema's name patterns before use.
"""

from __future__ import annotations

from mapper.errors import IgfmapError
from mapper.schema import CATEGORIES, RELATION_NAME_RE, TYPE_NAME_RE

#: An entity's provenance, ``(:Entity)-[:SOURCED_FROM {position}]->(:Source)``. Not a schema
#: relation: queries leave it out.
PROVENANCE = "SOURCED_FROM"
#: The label of igf-mapper's own bookkeeping nodes: the schema (id :data:`SCHEMA_MARKER_ID`)
#: and the last push (id :data:`PUSH_MARKER_ID`).
META_LABEL = "IgfmapMeta"
SCHEMA_MARKER_ID = "schema"
PUSH_MARKER_ID = "push"


def type_label(entity_type: str) -> str:
    """An entity type's label (only for validated type names).

    >>> type_label("dynamic_coalition")
    'DynamicCoalition'
    """
    if not TYPE_NAME_RE.match(entity_type):
        raise IgfmapError(f"refusing unsafe entity type name {entity_type!r} as a Neo4j label")
    return "".join(part.capitalize() for part in entity_type.split("_"))


def category_label(category: str | None) -> str:
    """A category's label.

    >>> category_label("actor")
    'Actor'
    """
    if category is None or category not in CATEGORIES:
        raise IgfmapError(f"unknown category {category!r}")
    return category.capitalize()


def rel_type(name: str) -> str:
    """A relation type as a Cypher relationship type, refused unless it is a safe name.

    >>> rel_type("ENGAGES_IN")
    'ENGAGES_IN'
    """
    if not RELATION_NAME_RE.match(name):
        raise IgfmapError(f"refusing unsafe relation type name {name!r} in Cypher")
    return name


__all__ = [
    "META_LABEL",
    "PROVENANCE",
    "PUSH_MARKER_ID",
    "SCHEMA_MARKER_ID",
    "category_label",
    "rel_type",
    "type_label",
]
