"""Schema extensions checked by the pydantic models: every malformed shape is one named problem."""

from __future__ import annotations

import pytest

from mapper.schema import DEFAULT_SCHEMA
from mapper.schema_extension import extension_errors

CASES = [
    ("not a mapping", ["x"], [("schema", "must be a mapping with entity_types and/or relation_types")]),
    ("unknown key", {"colours": {}}, [("schema", "unknown key 'colours'")]),
    ("entity types not a mapping", {"entity_types": ["a"]}, [("schema.entity_types", "must be a mapping")]),
    (
        "unknown category",
        {"entity_types": {"think_tank": "club"}},
        [
            (
                "schema.entity_types",
                "unknown category 'club' (one of actor, process, activity, objective, event, document)",
            )
        ],
    ),
    (
        "bad relation name",
        {"relation_types": {"funds": {"from": ["actor"], "to": ["actor"]}}},
        [("schema.relation_types", "invalid relation type name 'funds' (want ^[A-Z][A-Z0-9_]*$)")],
    ),
    (
        "relation spec not a mapping",
        {"relation_types": {"FUNDS": "actor"}},
        [("schema.relation_types.FUNDS", "must be a mapping with from and to")],
    ),
    (
        "empty ends",
        {"relation_types": {"FUNDS": {"from": [], "to": ["actor"]}}},
        [("schema.relation_types.FUNDS.from", "must be a non-empty list of categories")],
    ),
    (
        "missing end",
        {"relation_types": {"FUNDS": {"from": ["actor"]}}},
        [("schema.relation_types.FUNDS.to", "is required")],
    ),
]


@pytest.mark.parametrize(("case", "extension", "expected"), CASES, ids=[c[0] for c in CASES])
def test_malformed_extension_is_named(case: str, extension: object, expected: list) -> None:
    assert extension_errors(extension) == expected


def test_a_valid_extension_extends_the_schema() -> None:
    extension = {
        "entity_types": {"think_tank": "actor"},
        "relation_types": {"FUNDS": {"from": ["actor"], "to": ["activity", "process"]}},
    }
    assert extension_errors(extension) == []
    schema = DEFAULT_SCHEMA.extended(extension)
    assert schema.category("think_tank") == "actor" and "FUNDS" in schema.relation_types
