"""The igf-mapper schema, defined once: entity types and their categories, relation types with
the category pairs they may join, the enumerations, and id syntax.

Readers, validation, stores, queries and exports all take their vocabulary from here. A dataset
may extend the schema (design section 3, "Schema extension"); :meth:`Schema.extended` returns a
new schema with the extension applied after checking its names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
TYPE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
RELATION_NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")

CATEGORIES = ("actor", "process", "activity", "objective", "event", "document")

DEFAULT_ENTITY_TYPES: dict[str, str] = {
    "un_entity": "actor",
    "igf_body": "actor",
    "dynamic_coalition": "actor",
    "nri": "actor",
    "policy_network": "actor",
    "best_practice_forum": "actor",
    "government": "actor",
    "organization": "actor",
    "process": "process",
    "activity": "activity",
    "objective": "objective",
    "commitment": "objective",
    "event": "event",
    "document": "document",
}

_ANY = list(CATEGORIES)

# Allowed (from categories, to categories). PART_OF is further restricted by PART_OF_PAIRS and
# SUCCEEDED_BY by "same type"; both are checked in validation.
DEFAULT_RELATION_TYPES: dict[str, dict[str, list[str]]] = {
    "ENGAGES_IN": {"from": ["actor"], "to": ["activity", "process", "event"]},
    "PART_OF": {"from": _ANY, "to": _ANY},
    "MEMBER_OF": {"from": ["actor"], "to": ["actor"]},
    "ADDRESSES": {"from": ["activity", "process", "document"], "to": ["objective"]},
    "MANDATED_BY": {
        "from": ["activity", "actor", "process"],
        "to": ["objective", "document", "process"],
    },
    "CONTRIBUTES_TO": {"from": ["actor"], "to": ["document", "process", "activity"]},
    "RESPONDS_TO": {"from": ["actor", "document"], "to": ["actor", "document"]},
    "COORDINATES_WITH": {"from": ["actor"], "to": ["actor"]},
    "REPORTS_TO": {"from": ["actor"], "to": ["actor"]},
    "CONVENES": {"from": ["actor"], "to": ["event"]},
    "DISCUSSED_AT": {"from": ["activity", "process", "document"], "to": ["event"]},
    "SUCCEEDED_BY": {"from": _ANY, "to": _ANY},
    "ALIGNS_WITH": {
        "from": ["objective", "activity", "process"],
        "to": ["objective", "activity", "process"],
    },
}

# "PART_OF: any -> parent of a compatible category": a child may sit inside a parent of the
# same category, an activity or event inside a process, a document inside a process.
PART_OF_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {(c, c) for c in CATEGORIES} | {("activity", "process"), ("event", "process"), ("document", "process")}
)

SYMMETRIC_RELATIONS = frozenset({"COORDINATES_WITH"})
#: The status of a relation stored without one.
DEFAULT_STATUS = "active"

STAKEHOLDER_GROUPS = (
    "government",
    "intergovernmental",
    "private-sector",
    "civil-society",
    "technical-community",
    "academia",
    "multistakeholder",
)
ROLES = (
    "lead",
    "co-lead",
    "convener",
    "facilitator",
    "contributor",
    "participant",
    "observer",
    "endorser",
)
STATUSES = ("active", "planned", "proposed", "requested", "concluded")
ENGAGED_STATUSES = ("active", "planned")
PENDING_STATUSES = ("proposed", "requested")
CONFIDENCES = ("high", "medium", "low")
SOURCE_KINDS = (
    "meeting_summary",
    "un_resolution",
    "un_document",
    "official_website",
    "self_report",
    "igf_mapping",
    "news",
    "secondary",
)

# Field order is the column order of CSV/XLSX files and templates.
SOURCE_FIELDS = ("id", "kind", "title", "date", "url", "locator")
ENTITY_FIELDS = (
    "id",
    "type",
    "name",
    "aliases",
    "stakeholder_group",
    "region",
    "country",
    "url",
    "description",
    "valid_from",
    "valid_to",
    "tags",
    "sources",
)
RELATION_FIELDS = (
    "source",
    "type",
    "target",
    "role",
    "status",
    "since",
    "until",
    "confidence",
    "sources",
    "note",
)
LIST_FIELDS = frozenset({"aliases", "tags", "sources"})
DATE_FIELDS = frozenset({"date", "valid_from", "valid_to", "since", "until"})
REQUIRED = {
    "sources": ("id", "kind", "title"),
    "entities": ("id", "type", "name"),
    "relations": ("source", "type", "target", "sources"),
}
FIELDS = {"sources": SOURCE_FIELDS, "entities": ENTITY_FIELDS, "relations": RELATION_FIELDS}
ENUMS: dict[str, tuple[str, ...]] = {
    "stakeholder_group": STAKEHOLDER_GROUPS,
    "role": ROLES,
    "status": STATUSES,
    "confidence": CONFIDENCES,
    "kind": SOURCE_KINDS,
}


@dataclass(frozen=True)
class Schema:
    """Entity types (name -> category) and relation types (NAME -> {from, to} categories)."""

    entity_types: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ENTITY_TYPES))
    relation_types: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_RELATION_TYPES.items()}
    )
    # Only what a dataset added on top of the defaults; this is what a store persists.
    extension: dict[str, Any] = field(default_factory=dict)

    def category(self, entity_type: str) -> str | None:
        return self.entity_types.get(entity_type)

    def types_in(self, category: str) -> list[str]:
        return sorted(t for t, c in self.entity_types.items() if c == category)

    def allows(self, relation_type: str, from_category: str, to_category: str) -> bool:
        spec = self.relation_types.get(relation_type)
        if spec is None:
            return False
        if from_category not in spec["from"] or to_category not in spec["to"]:
            return False
        if relation_type == "PART_OF" and relation_type in DEFAULT_RELATION_TYPES:
            return (from_category, to_category) in PART_OF_PAIRS or bool(
                self.extension.get("relation_types", {}).get("PART_OF")
            )
        return True

    def extended(self, extension: dict[str, Any] | None) -> Schema:
        """A new schema with ``extension`` merged in (check it with :func:`mapper.schema_extension.extension_errors` first)."""
        if not extension:
            return self
        merged_ext = {
            "entity_types": {
                **self.extension.get("entity_types", {}),
                **(extension.get("entity_types") or {}),
            },
            "relation_types": {
                **self.extension.get("relation_types", {}),
                **(extension.get("relation_types") or {}),
            },
        }
        merged_ext = {k: dict(sorted(v.items())) for k, v in merged_ext.items() if v}
        entity_types = {**DEFAULT_ENTITY_TYPES, **merged_ext.get("entity_types", {})}
        relation_types = {k: dict(v) for k, v in DEFAULT_RELATION_TYPES.items()}
        for name, spec in merged_ext.get("relation_types", {}).items():
            relation_types[name] = {"from": list(spec["from"]), "to": list(spec["to"])}
        return Schema(entity_types=entity_types, relation_types=relation_types, extension=merged_ext)


DEFAULT_SCHEMA = Schema()
