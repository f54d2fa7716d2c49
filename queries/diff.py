"""What changed between two mapping rounds: entities, relations and sources added, removed and
changed (field by field), and gap findings opened and closed.

Entities and sources are matched by id, relations by (source, type, target, role). Gap
findings are matched by rule, subjects and relation (see :attr:`Finding.key`), so a finding
whose wording changed (say, an objective going from 1 actor to 0) is neither opened nor closed.
Both rounds are compared as of the same date when ``as_of`` is given, and both run the same gap
rules with the same parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import networkx as nx

from mapper.dataset import canonical, relation_key, relation_key_str
from mapper.schema import ENTITY_FIELDS, RELATION_FIELDS, SOURCE_FIELDS
from mapper.store_protocol import CypherStore, Store
from queries import cypher
from queries.asof import as_of_graph
from queries.common import Record, iso_date, rel_label
from queries.dispatch import query_pair
from queries.gaps import DEFAULT_PARAMS, run_gaps
from queries.gaps.base import Finding

SECTIONS = ("entities", "relations", "sources")
FIELD_ORDER = {"entities": ENTITY_FIELDS, "relations": RELATION_FIELDS, "sources": SOURCE_FIELDS}


@dataclass
class DiffResult:
    """Changes per section and the gap findings opened and closed between two rounds."""

    old: str
    new: str
    sections: dict[str, dict[str, list[Record]]]
    opened: list[Finding]
    closed: list[Finding]
    gap_params: dict[str, Any]
    as_of: str | None = None

    columns: ClassVar[list[str]] = ["section", "change", "id", "detail"]

    @property
    def summary(self) -> dict[str, dict[str, int]]:
        out = {s: {k: len(v) for k, v in self.sections[s].items()} for s in SECTIONS}
        out["gaps"] = {"opened": len(self.opened), "closed": len(self.closed)}
        return out

    @property
    def changed_anything(self) -> bool:
        return any(n for counts in self.summary.values() for n in counts.values())

    def rows(self) -> list[Record]:
        out: list[Record] = []
        for section in SECTIONS:
            parts = self.sections[section]
            for record in parts["added"]:
                out.append(
                    {
                        "section": section,
                        "change": "added",
                        "id": _ident(section, record),
                        "detail": _describe(section, record),
                    }
                )
            for record in parts["removed"]:
                out.append(
                    {
                        "section": section,
                        "change": "removed",
                        "id": _ident(section, record),
                        "detail": _describe(section, record),
                    }
                )
            for item in parts["changed"]:
                detail = "; ".join(
                    f"{c['field']}: {_short(c['old'])} -> {_short(c['new'])}" for c in item["changes"]
                )
                out.append({"section": section, "change": "changed", "id": item["id"], "detail": detail})
        for change, findings in (("opened", self.opened), ("closed", self.closed)):
            for f in findings:
                out.append(
                    {
                        "section": "gaps",
                        "change": change,
                        "id": f"{f.rule}: {', '.join(f.subjects)}",
                        "detail": f.explanation,
                    }
                )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "as_of": self.as_of,
            "summary": self.summary,
            **{s: self.sections[s] for s in SECTIONS},
            "gaps": {
                "params": self.gap_params,
                "opened": [f.to_json() for f in self.opened],
                "closed": [f.to_json() for f in self.closed],
            },
        }


def _ident(section: str, record: Record) -> str:
    return relation_key_str(record) if section == "relations" else record["id"]


def _describe(section: str, record: Record) -> str:
    if section == "relations":
        return rel_label(record)
    if section == "entities":
        return f"{record.get('type')}: {record.get('name')}"
    return f"{record.get('kind')}: {record.get('title')}"


def _short(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def diff(
    old: Store,
    new: Store,
    *,
    as_of: str | date | None = None,
    rules: Iterable[str] | None = None,
    ecosystem: str = DEFAULT_PARAMS["ecosystem"],
    min_actors: int = DEFAULT_PARAMS["min_actors"],
    months: int = DEFAULT_PARAMS["months"],
) -> DiffResult:
    """Compare two mapping rounds.

    Parameters
    ----------
    old, new : Store
        The two rounds: any stores (:func:`mapper.store.open_round` opens a store file, a
        dataset file or a dataset directory as one; a Neo4j store works as well).
    as_of : str or date, optional
        Compare only what is valid on that date in both rounds.
    rules, ecosystem, min_actors, months
        Passed to :func:`queries.gaps.run_gaps` for both rounds.

    Returns
    -------
    DiffResult
        ``sections[s][change]`` for s in entities, relations, sources and change in added,
        removed (full records, sorted by id/key) and changed (``{id, changes: [{field, old,
        new}]}``, plus ``key`` for relations); ``opened``/``closed`` gap findings.

    Examples
    --------
    >>> from mapper.store import EmbeddedStore, seed_dataset
    >>> old = EmbeddedStore(seed_dataset())
    >>> d = diff(old, old, as_of="2025-06-30")
    >>> d.summary["relations"], d.opened, d.closed
    ({'added': 0, 'removed': 0, 'changed': 0}, [], [])
    """
    day = iso_date(as_of)
    old_name, new_name = old.describe(), new.describe()
    sections = {}
    old_records, new_records = _records(old, day), _records(new, day)
    for section in SECTIONS:
        sections[section] = _compare(section, old_records[section], new_records[section])
    gap_kwargs: dict[str, Any] = {
        "rules": rules,
        "ecosystem": ecosystem,
        "min_actors": min_actors,
        "months": months,
        "as_of": day,
    }
    before = run_gaps(old, **gap_kwargs)
    after = run_gaps(new, **gap_kwargs)
    before_keys = {f.key for f in before.findings}
    after_keys = {f.key for f in after.findings}
    opened = [f for f in after.findings if f.key not in before_keys]
    closed = [f for f in before.findings if f.key not in after_keys]
    gap_params = {**after.params.to_json(), "rules": after.rules}
    return DiffResult(old_name, new_name, sections, opened, closed, gap_params, day)


def _records(store: Store, as_of: str | None) -> dict[str, dict[Any, Record]]:
    return _RECORDS(store, as_of)


def _records_nx(graph: nx.MultiDiGraph, as_of: str | None) -> dict[str, dict[Any, Record]]:
    view = as_of_graph(graph, as_of)
    entities = {n: {k: v for k, v in a.items() if k != "category"} for n, a in view.nodes(data=True)}
    relations = {relation_key(a): dict(a) for _, _, a in view.edges(data=True)}
    sources = {k: dict(v) for k, v in graph.graph.get("sources", {}).items()}
    return {"entities": entities, "relations": relations, "sources": sources}


def _records_cypher(store: CypherStore, as_of: str | None) -> dict[str, dict[Any, Record]]:
    # A diff compares every record, so every record valid on the date is read (the as-of
    # filter runs in Cypher); the comparison itself is the shared _compare.
    params = cypher.params(as_of)
    entities = {}
    for row in store.run(
        f"MATCH (n:Entity) WHERE {cypher.valid_node('n', as_of)} RETURN {cypher.entity_map('n')} AS n", params
    ):
        attrs = cypher.entity_attrs(row["n"])
        entities[attrs["id"]] = {k: v for k, v in attrs.items() if k != "category"}
    relations = {}
    for row in store.run(
        "MATCH (a:Entity)-[r]->(b:Entity) "
        f"WHERE {cypher.not_provenance('r')} AND {cypher.valid_edge('a', 'r', 'b', as_of)} "
        "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS props",
        params,
    ):
        rel = cypher.relation_record(row["source"], row["type"], row["target"], row["props"])
        relations[relation_key(rel)] = rel
    sources = {
        r["s"]["id"]: canonical("sources", r["s"])
        for r in store.run("MATCH (s:Source) RETURN properties(s) AS s")
    }
    return {"entities": entities, "relations": relations, "sources": sources}


_RECORDS = query_pair("diff-records", networkx=_records_nx, cypher=_records_cypher)


def _compare(section: str, old: dict[Any, Record], new: dict[Any, Record]) -> dict[str, list[Record]]:
    order = FIELD_ORDER[section]
    added = [new[k] for k in sorted(set(new) - set(old))]
    removed = [old[k] for k in sorted(set(old) - set(new))]
    changed = []
    for k in sorted(set(old) & set(new)):
        a, b = old[k], new[k]
        names = [f for f in order if f in a or f in b] + sorted((set(a) | set(b)) - set(order))
        changes = [{"field": f, "old": a.get(f), "new": b.get(f)} for f in names if a.get(f) != b.get(f)]
        if changes:
            item: Record = {"id": "|".join(k) if section == "relations" else k}
            if section == "relations":
                item["key"] = dict(zip(("source", "type", "target", "role"), k, strict=True))
            item["changes"] = changes
            changed.append(item)
    return {"added": added, "removed": removed, "changed": changed}
