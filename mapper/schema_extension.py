"""The schema extension a dataset may carry, as pydantic models (checked on read).

``schema: {entity_types: {name: category}, relation_types: {NAME: {from: [...], to: [...]}}}``
lets a dataset map other processes. :func:`extension_errors` turns pydantic's errors into the
``(field, message)`` pairs that validation reports as ``FILE:LINE: field: message``.

>>> extension_errors({"entity_types": {"think_tank": "actor"}})
[]
>>> extension_errors({"entity_types": {"Think-Tank": "actor"}})
[('schema.entity_types', "invalid type name 'Think-Tank' (want ^[a-z][a-z0-9_]*$)")]
>>> extension_errors({"relation_types": {"FUNDS": {"from": ["actor"], "to": ["budget"]}}})
[('schema.relation_types.FUNDS.to', "unknown category 'budget' (one of actor, process, activity, objective, event, document)")]
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mapper.schema import CATEGORIES, RELATION_NAME_RE, TYPE_NAME_RE


def _category(value: Any) -> str:
    if value not in CATEGORIES:
        raise ValueError(f"unknown category {value!r} (one of {', '.join(CATEGORIES)})")
    return str(value)


class RelationTypeSpec(BaseModel):
    """Which categories a relation type may join."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: list[Any] = Field(alias="from", min_length=1)
    to: list[Any] = Field(min_length=1)

    @field_validator("from_", "to")
    @classmethod
    def _categories(cls, values: list[Any]) -> list[str]:
        return [_category(v) for v in values]


class SchemaExtension(BaseModel):
    """New entity types (with their category) and relation types (with their allowed ends)."""

    model_config = ConfigDict(extra="forbid")

    entity_types: dict[Any, Any] = Field(default_factory=dict)
    relation_types: dict[Any, RelationTypeSpec] = Field(default_factory=dict)

    @field_validator("entity_types")
    @classmethod
    def _entity_types(cls, types: dict[Any, Any]) -> dict[str, str]:
        for name, category in types.items():
            if not isinstance(name, str) or not TYPE_NAME_RE.match(name):
                raise ValueError(f"invalid type name {name!r} (want {TYPE_NAME_RE.pattern})")
            _category(category)
        return types

    @field_validator("relation_types", mode="before")
    @classmethod
    def _relation_names(cls, types: Any) -> Any:
        for name in types if isinstance(types, dict) else ():
            if not isinstance(name, str) or not RELATION_NAME_RE.match(name):
                raise ValueError(f"invalid relation type name {name!r} (want {RELATION_NAME_RE.pattern})")
        return types


_MESSAGES = {
    "extra_forbidden": "unknown key",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping with from and to",
    "list_type": "must be a non-empty list of categories",
    "too_short": "must be a non-empty list of categories",
    "missing": "is required",
}


def _field(loc: tuple[Any, ...]) -> str:
    # pydantic's location of a value inside a list is its index: the list's own name is enough.
    parts = ["schema"] + ["from" if p == "from_" else str(p) for p in loc if not isinstance(p, int)]
    return ".".join(parts)


def extension_errors(extension: Any) -> list[tuple[str, str]]:
    """Problems with a schema extension as ``(field, message)`` pairs; empty when valid."""
    if not isinstance(extension, dict):
        return [("schema", "must be a mapping with entity_types and/or relation_types")]
    try:
        SchemaExtension.model_validate({k: v for k, v in extension.items() if v is not None})
    except ValidationError as err:
        out = []
        for error in err.errors():
            loc = tuple(error["loc"])
            if error["type"] == "extra_forbidden":
                out.append((_field(loc[:-1]), f"unknown key {loc[-1]!r}"))
            elif error["type"] == "value_error":
                out.append((_field(loc), str(error["ctx"]["error"])))
            else:
                out.append((_field(loc), _MESSAGES.get(error["type"], error["msg"])))
        return out
    return []
