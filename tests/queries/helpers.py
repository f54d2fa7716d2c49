"""Hand-built graphs for the query tests: tiny datasets built from records, no files."""

from __future__ import annotations

from typing import Any

from mapper.dataset import Dataset
from mapper.store import EmbeddedStore

SOURCES = [
    {"id": "s", "kind": "meeting_summary", "title": "A meeting summary", "date": "2024-10-31"},
    {"id": "map", "kind": "igf_mapping", "title": "The IGF's own mapping", "date": "2024-06-01"},
    {"id": "old", "kind": "news", "title": "An old news item", "date": "2020-01-01"},
    {"id": "undated", "kind": "secondary", "title": "An undated blog post"},
]


def E(ident: str, type: str = "dynamic_coalition", **fields: Any) -> dict[str, Any]:
    """An entity record (name defaults to the upper-cased id, source to ``s``)."""
    return {"id": ident, "type": type, "name": fields.pop("name", ident.upper()), "sources": ["s"], **fields}


def R(source: str, type: str, target: str, **fields: Any) -> dict[str, Any]:
    """A relation record (status defaults to active, sources to ``["s"]``)."""
    fields.setdefault("status", "active")
    fields.setdefault("sources", ["s"])
    return {"source": source, "type": type, "target": target, **fields}


def make_store(
    entities: list[dict], relations: list[dict] = (), sources: list[dict] = SOURCES
) -> EmbeddedStore:
    return EmbeddedStore(Dataset.from_records(sources, entities, list(relations)))


def base_entities() -> list[dict[str, Any]]:
    """The IGF root and two Dynamic Coalitions that are PART_OF it, plus an outsider."""
    return [
        E(
            "igf",
            "igf_body",
            name="Internet Governance Forum",
            aliases=["IGF"],
            stakeholder_group="multistakeholder",
        ),
        E("dc-a", stakeholder_group="civil-society", aliases=["DCA"]),
        E("dc-b", stakeholder_group="technical-community"),
        E(
            "itu",
            "un_entity",
            name="International Telecommunication Union",
            stakeholder_group="intergovernmental",
        ),
    ]


def base_relations() -> list[dict[str, Any]]:
    return [R("dc-a", "PART_OF", "igf"), R("dc-b", "PART_OF", "igf")]


def world() -> EmbeddedStore:
    """A small world used by several query tests (OSET -> ODET included)."""
    entities = [
        *base_entities(),
        E(
            "oset",
            "un_entity",
            name="Office of the SG's Envoy on Technology",
            aliases=["OSET", "Tech Envoy"],
            stakeholder_group="intergovernmental",
            valid_from="2021-01-20",
            valid_to="2024-12-31",
        ),
        E(
            "odet",
            "un_entity",
            name="Office for Digital and Emerging Technologies",
            aliases=["ODET"],
            stakeholder_group="intergovernmental",
            valid_from="2025-01-01",
        ),
        E("member-y", "organization", stakeholder_group="private-sector"),
        E("gdc", "process", name="GDC implementation"),
        E("track-1", "activity", name="Track one"),
        E("track-2", "activity", name="Track two"),
        E("obj-1", "objective", name="Objective one"),
        E("obj-2", "objective", name="Objective two"),
        E("letter", "document", name="WSIS+20 letter"),
        E("summit", "event", name="A summit", valid_from="2024-09-22", valid_to="2024-09-23"),
    ]
    relations = [
        *base_relations(),
        R("member-y", "MEMBER_OF", "dc-a"),
        R("oset", "SUCCEEDED_BY", "odet"),
        R("track-1", "PART_OF", "gdc"),
        R("track-2", "PART_OF", "gdc"),
        R("track-1", "ADDRESSES", "obj-1"),
        R("track-2", "ADDRESSES", "obj-2"),
        R("dc-a", "ENGAGES_IN", "track-1", role="participant"),
        R("dc-b", "ENGAGES_IN", "track-1", role="contributor", status="planned", sources=["map"]),
        R("member-y", "ENGAGES_IN", "track-1", role="observer", status="proposed"),
        R("oset", "ENGAGES_IN", "gdc", role="lead", since="2024-09-22", until="2024-12-31"),
        R("odet", "ENGAGES_IN", "gdc", role="lead", since="2025-01-01"),
        R("itu", "ENGAGES_IN", "track-2", role="lead", sources=["old"]),
        R("dc-b", "CONTRIBUTES_TO", "letter", role="contributor", status="requested"),
        R("itu", "CONVENES", "summit"),
    ]
    return make_store(entities, relations)
