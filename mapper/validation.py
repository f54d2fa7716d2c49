"""Validation: raw records in, a canonical :class:`~mapper.dataset.Dataset` out, or every problem.

Checks (design section 4): required fields, id syntax and uniqueness, known types, endpoint
existence (in the input or the ``existing`` dataset it loads into), allowed category pairs,
ISO dates and since <= until, enums, source existence, at least one source per relation.
All problems are collected and raised together as one :class:`~mapper.errors.DataError`, each
formatted ``FILE:LINE[:COLUMN]: field: message``.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mapper.bulk import gc_paused
from mapper.cells import has_control
from mapper.dataset import Dataset, Record, RelationKey, as_canonical, relation_key
from mapper.errors import DataError, did_you_mean
from mapper.progress import track
from mapper.readers import RawInput, RawRecord, ReadLimits, read_raw
from mapper.schema import (
    DATE_FIELDS,
    DEFAULT_SCHEMA,
    DEFAULT_STATUS,
    ENUMS,
    FIELDS,
    ID_RE,
    LIST_FIELDS,
    REQUIRED,
    Schema,
)

ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _squash(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text.lower())


def _suggest(value: str, choices: Any) -> str:
    """What to write instead: the choice ``value`` differs from only by case or separators
    (``NRI`` -> ``nri``, ``civil society`` -> ``civil-society``), else the closest spelling."""
    exact = [c for c in choices if _squash(c) == _squash(value)]
    if exact:
        return f" (write {exact[0]!r})"
    return did_you_mean(value, choices)


def _id_hint(ident: str) -> str:
    """A valid id close to ``ident`` (``Global Digital Compact`` -> ``global-digital-compact``)."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", ident.lower()).strip("-._")
    return f" (write {slug!r})" if slug and ID_RE.match(slug) else ""


_MONTH_NAME_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d. %B %Y")


def _date_hint(text: str) -> str:
    """Why ``text`` is not an ISO date, and what to write instead when that can be told."""

    def iso(y: int, m: int, d: int) -> str | None:
        try:
            return date(y, m, d).isoformat()
        except ValueError:
            return None

    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?", text)
    if match:
        y, m, d = map(int, match.groups())
        fixed = iso(y, m, d)
        if fixed:
            return f"write {fixed}"
        if 1 <= m <= 12:
            days = calendar.monthrange(y, m)[1]
            return f"not a real date: {calendar.month_name[m]} {y} has {days} days"
        return "not a real date: the month must be 01 to 12 (dates are YYYY-MM-DD)"
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        a, b, y = map(int, match.groups())
        day_first, month_first = iso(y, b, a), iso(y, a, b)
        if day_first and month_first and day_first != month_first:
            return f"write {day_first} if it is day/month, {month_first} if month/day"
        if day_first or month_first:
            return f"write {day_first or month_first}"
    for fmt in _MONTH_NAME_FORMATS:
        try:
            return f"write {datetime.strptime(text, fmt).date().isoformat()}"
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}(-\d{1,2})?", text):
        return "a full date is needed (YYYY-MM-DD), e.g. the first day of the year or month"
    return "want an ISO date YYYY-MM-DD"


_POSITION_RE = re.compile(r"^(.*?):(\d+)(?::[0-9A-Z]+)?: ")


def issue_position(issue: str) -> tuple[str, int]:
    """The file and line an issue names; sort key: file, then line (messages without a
    position keep their order at the end)."""
    match = _POSITION_RE.match(issue)
    return (match.group(1), int(match.group(2))) if match else ("\uffff", 0)


MISSING = "required field is missing or empty"


class _Collector:
    def __init__(self) -> None:
        self.issues: list[str] = []
        self._reported: set[tuple[int, str]] = set()  # (id(record), field) already explained

    def add(self, record: RawRecord, field_name: str, message: str) -> None:
        # A value refused for what it holds is not reported again as missing.
        if message == MISSING and (id(record), field_name) in self._reported:
            return
        self._reported.add((id(record), field_name))
        self.issues.append(f"{record.where(field_name)}: {field_name}: {message}")


_FIELD_SETS = {section: frozenset(names) for section, names in FIELDS.items()}
_NOT_PLAIN_TEXT = LIST_FIELDS | DATE_FIELDS


def _normalise(record: RawRecord, out: _Collector) -> Record:
    """Field values as canonical Python values (strings, lists of strings, ISO dates)."""
    values: Record = {}
    allowed = _FIELD_SETS[record.section]
    # One search over all of the record's text fields (a newline is never a finding) instead of
    # one per field; a record with a control character is then checked field by field.
    clean = not has_control("\n".join([v for v in record.data.values() if type(v) is str]))
    for name, value in record.data.items():
        if name not in allowed:
            out.add(record, str(name), f"unknown field{_suggest(str(name), FIELDS[record.section])}")
            continue
        if value is None:
            continue
        if type(value) is str and name not in _NOT_PLAIN_TEXT:
            # The common case, first: a text field given as text (a million of them at scale).
            problem = None if clean else _control_problem(value)
            if problem:
                out.add(record, name, problem)
            elif text := value.strip():
                values[name] = text
            continue
        if type(value) is list and name in LIST_FIELDS and _plain_texts(value):
            # The common list (sources, aliases): text items without a control character.
            values[name] = [text for item in value if (text := item.strip())]
            continue
        problem = _scalar_problem(value)
        if problem:
            out.add(record, name, problem)
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"  # as JSON writes it, not Python's "True"
        if name in LIST_FIELDS:
            if isinstance(value, str):
                items = value.split("|")
            elif isinstance(value, list):
                items = value
            else:
                out.add(record, name, "must be a list (or text with items separated by |)")
                continue
            bad = [v for v in items if isinstance(v, (dict, list))]
            if bad:
                out.add(record, name, "list items must be text")
                continue
            problems = [p for p in map(_scalar_problem, items) if p]
            if problems:
                out.add(record, name, problems[0])
                continue
            values[name] = [str(v).strip() for v in items if v is not None and str(v).strip()]
        elif name in DATE_FIELDS:
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                values[name] = value.isoformat()
                continue
            text = str(value).strip()
            if not text:
                continue
            try:
                if not ISO_DATE_RE.match(text):
                    raise ValueError
                values[name] = date.fromisoformat(text).isoformat()
            except ValueError:
                out.add(record, name, f"bad date {text!r}: {_date_hint(text)}")
        elif isinstance(value, (dict, list)):
            out.add(record, name, "must be text, not a list or mapping")
        else:
            text = str(value).strip()
            if text:
                values[name] = text
    return values


def _plain_texts(items: list[Any]) -> bool:
    """Every item is text and none holds a control character (one search for all of them)."""
    for item in items:
        if type(item) is not str:
            return False
    return not has_control("\n".join(items))


def _scalar_problem(value: Any) -> str | None:
    """Why a scalar cannot be stored as text, or None: non-finite numbers, bytes, control
    characters (ESC, NUL... would act in terminals and are not allowed in XML exports)."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} is not a finite number; write it as text in quotes or leave it out"
    if isinstance(value, (bytes, bytearray, set)):
        return f"must be text, not {type(value).__name__}"
    if isinstance(value, str):
        return _control_problem(value)
    return None


def _control_problem(text: str) -> str | None:
    control = has_control(text)
    return f"control character {control} is not allowed (remove it)" if control else None


def _check_common(record: RawRecord, values: Record, schema: Schema, out: _Collector) -> bool:
    """Required fields, enums and date order; False when a required field is missing."""
    ok = True
    for name in REQUIRED[record.section]:
        if not values.get(name):
            out.add(record, name, MISSING)
            ok = False
    for name, allowed in ENUMS.items():
        value = values.get(name)
        if value is not None and name in _FIELD_SETS[record.section] and value not in allowed:
            out.add(
                record,
                name,
                f"unknown value {value!r}{_suggest(value, allowed)} (one of {', '.join(allowed)})",
            )
    for start, end in (("valid_from", "valid_to"), ("since", "until")):
        if values.get(start) and values.get(end) and values[start] > values[end]:
            out.add(record, start, f"{start} {values[start]} is after {end} {values[end]}")
    return ok


def _schema(raw: RawInput, base: Schema, out: _Collector) -> Schema:
    # pydantic is loaded only for datasets that carry an extension.
    from mapper.schema_extension import extension_errors

    schema = base
    for extension, where in raw.schemas:
        errors = extension_errors(extension)
        for field_name, message in errors:
            out.issues.append(f"{where}: {field_name}: {message}")
        if not errors:
            schema = schema.extended(extension)
    return schema


class _Validator:
    """One validation pass, section by section (sources, entities, relations); every problem
    goes to the collector and validation goes on, so all of them are reported at once."""

    def __init__(self, raw: RawInput, existing: Dataset | None):
        self.out = _Collector()
        self.out.issues.extend(raw.issues)
        self.schema = _schema(raw, existing.schema if existing else DEFAULT_SCHEMA, self.out)
        self.by_section: dict[str, list[tuple[RawRecord, Record]]] = {s: [] for s in FIELDS}
        for record in track(raw.records, len(raw.records), "validate"):
            values = _normalise(record, self.out)
            if _check_common(record, values, self.schema, self.out):
                self.by_section[record.section].append((record, values))
        self.all_sources: dict[str, Record] = dict(existing.sources) if existing else {}
        # Entities with a usable id count as present for relation endpoints even when another
        # field is wrong, so one mistake is reported once rather than again at every relation.
        self.declared: dict[str, Record] = dict(existing.entities) if existing else {}
        # Records, not positions: a position is worked out only for a message (costly for JSON).
        self.first_seen: dict[tuple[str, str], RawRecord] = {}

    def check_id(self, record: RawRecord, values: Record, section: str) -> bool:
        ident = values["id"]
        if not ID_RE.match(ident):
            self.out.add(
                record,
                "id",
                f"invalid id {ident!r}: use lowercase letters, digits, '.', '_', '-' (no spaces or capitals)"
                + _id_hint(ident),
            )
            return False
        key = (section, ident)
        if key in self.first_seen:
            self.out.add(record, "id", f"duplicate id {ident!r} (first at {self.first_seen[key].where()})")
            return False
        self.first_seen[key] = record
        return True

    def check_sources(self, record: RawRecord, values: Record) -> None:
        for source_id in values.get("sources", []):
            if source_id not in self.all_sources:
                hint = _suggest(source_id, self.all_sources)
                self.out.add(record, "sources", f"unknown source id {source_id!r}{hint}")

    def sources(self) -> dict[str, Record]:
        sources: dict[str, Record] = {}
        for record, values in self.by_section["sources"]:
            if self.check_id(record, values, "sources"):
                sources[values["id"]] = as_canonical("sources", values)
        self.all_sources.update(sources)
        return sources

    def entities(self) -> dict[str, Record]:
        entities: dict[str, Record] = {}
        for record, values in self.by_section["entities"]:
            ok = self.check_id(record, values, "entities")
            if ok:
                self.declared[values["id"]] = values
            if values["type"] not in self.schema.entity_types:
                hint = _suggest(values["type"], self.schema.entity_types)
                self.out.add(record, "type", f"unknown entity type {values['type']!r}{hint}")
                ok = False
            self.check_sources(record, values)
            if ok:
                entities[values["id"]] = as_canonical("entities", values)
        return entities

    def relation_ok(self, record: RawRecord, values: Record) -> bool:
        """The relation's type, its ends and the categories they join (each problem reported)."""
        ok = True
        rel_type = values["type"]
        if rel_type not in self.schema.relation_types:
            hint = _suggest(rel_type, self.schema.relation_types)
            self.out.add(record, "type", f"unknown relation type {rel_type!r}{hint}")
            ok = False
        if values["source"] == values["target"]:
            # No relation type of the schema relates an entity to itself (a DC coordinating
            # with itself, an activity succeeded by itself): such a row is a copy-paste slip.
            self.out.add(
                record,
                "target",
                f"source and target are both {values['target']!r}: {rel_type} cannot relate an entity to itself",
            )
            ok = False
        ends = {}
        for end in ("source", "target"):
            entity = self.declared.get(values[end])
            if entity is None:
                hint = _suggest(values[end], self.declared)
                self.out.add(record, end, f"no entity with id {values[end]!r}{hint}")
                ok = False
            else:
                ends[end] = entity
        if not ok:
            return False
        from_cat = self.schema.category(ends["source"]["type"])
        to_cat = self.schema.category(ends["target"]["type"])
        if from_cat is None or to_cat is None:
            return False  # an endpoint's own type is wrong; that is reported on the entity
        return self.categories_ok(record, values, ends, from_cat, to_cat)

    def categories_ok(
        self, record: RawRecord, values: Record, ends: dict[str, Record], from_cat: str, to_cat: str
    ) -> bool:
        rel_type = values["type"]
        from_type, to_type = ends["source"]["type"], ends["target"]["type"]
        if not self.schema.allows(rel_type, from_cat, to_cat):
            self.out.add(
                record,
                "type",
                f"{rel_type} cannot join a {from_cat} ({values['source']}) to a {to_cat} ({values['target']})",
            )
            return False
        if rel_type == "SUCCEEDED_BY" and from_type != to_type:
            self.out.add(
                record, "type", f"SUCCEEDED_BY joins entities of the same type, not {from_type} and {to_type}"
            )
            return False
        return True

    def relations(self) -> dict[RelationKey, Record]:
        relations: dict[RelationKey, Record] = {}
        for record, values in self.by_section["relations"]:
            values.setdefault("status", DEFAULT_STATUS)
            ok = self.relation_ok(record, values)
            self.check_sources(record, values)
            key = relation_key(values)
            if key in relations:
                first = self.first_seen[("relations", "|".join(key))].where()
                self.out.add(record, "source", f"duplicate relation {'|'.join(key)!r} (first at {first})")
                ok = False
            if ok:
                self.first_seen[("relations", "|".join(key))] = record
                relations[key] = as_canonical("relations", values)
        return relations


def validate(raw: RawInput, existing: Dataset | None = None) -> Dataset:
    """Validate raw input (optionally against the dataset it loads into); raise on any issue."""
    check = _Validator(raw, existing)
    sources = check.sources()
    entities = check.entities()
    relations = check.relations()
    if check.out.issues:
        raise DataError(sorted(check.out.issues, key=issue_position))
    return Dataset(sources=sources, entities=entities, relations=relations, schema=check.schema)


def read_dataset(
    paths: Iterable[Path | str], existing: Dataset | None = None, limits: ReadLimits | None = None
) -> Dataset:
    """Read and validate a dataset from files/directories; raises ``DataError`` listing all issues.

    ``existing`` supplies entities and sources that relations may refer to, e.g. the store a
    file is being loaded into. ``limits`` bound what reading may cost (default:
    :func:`mapper.readers.read_limits`).

    >>> from mapper.store import seed_path
    >>> read_dataset([seed_path()]).counts()["entities"] > 200
    True
    """
    with gc_paused():  # millions of small records, no cycles (see mapper.bulk)
        return validate(read_raw(list(paths), limits), existing=existing)
