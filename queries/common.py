"""Helpers every query shares: dates, statuses, entity and relation summaries, result rows.

Nothing here knows about a backend. Queries take a :class:`~mapper.store_protocol.Store` and
call a registered pair (:mod:`queries.dispatch`): a networkx implementation (on the store's
``networkx.MultiDiGraph`` as built by :func:`mapper.dataset.to_graph`) or a Cypher one. Both
return the same plain rows, which the typed results in each module wrap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from mapper.errors import UsageError, did_you_mean
from mapper.schema import DEFAULT_STATUS, ENGAGED_STATUSES, PENDING_STATUSES, Schema
from mapper.store_protocol import Store

Record = dict[str, Any]

#: Relation types through which an actor "does something with" an entity (``who``/``what``).
ENGAGEMENT_RELATIONS = ("ENGAGES_IN", "CONTRIBUTES_TO", "CONVENES")
#: Relation types that make an entity part of an ecosystem.
STRUCTURAL_RELATIONS = ("PART_OF", "MEMBER_OF")


def relations_in(graph: Any, node: str) -> list[tuple[str, Record]]:
    """(source, attributes) of every relation into ``node`` of a graph view: what
    ``graph.in_edges(node, data=True)`` gives, without the edge view it builds each call (and
    from networkx's adjacency dicts themselves: its read-only views cost as much again, at
    hundreds of thousands of calls)."""
    return [(u, attrs) for u, keyed in graph._pred[node].items() for attrs in keyed.values()]


def relations_out(graph: Any, node: str) -> list[tuple[str, Record]]:
    """(target, attributes) of every relation out of ``node`` (see :func:`relations_in`)."""
    return [(v, attrs) for v, keyed in graph._succ[node].items() for attrs in keyed.values()]


def iso_date(value: str | date | None, option: str = "as_of") -> str | None:
    """``value`` as an ISO ``YYYY-MM-DD`` string (``None`` passes through).

    >>> iso_date(date(2024, 10, 31))
    '2024-10-31'
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(f"{option} must be an ISO date YYYY-MM-DD, not {value!r}") from None


def status_of(rel: Mapping[str, Any]) -> str:
    """A relation's status; relations stored without one count as ``active``."""
    return rel.get("status") or DEFAULT_STATUS


def is_engaging(rel: Mapping[str, Any]) -> bool:
    """True for an ENGAGES_IN relation whose status is active or planned."""
    return rel.get("type") == "ENGAGES_IN" and status_of(rel) in ENGAGED_STATUSES


def is_pending(rel: Mapping[str, Any]) -> bool:
    """True for a relation with status proposed or requested (suggested, not agreed)."""
    return status_of(rel) in PENDING_STATUSES


def rel_ref(rel: Mapping[str, Any]) -> dict[str, str]:
    """The identifying fields of a relation, for JSON output."""
    return {
        "source": rel["source"],
        "type": rel["type"],
        "target": rel["target"],
        "role": rel.get("role") or "",
    }


def rel_label(rel: Mapping[str, Any]) -> str:
    """``source -TYPE{role, status}-> target``, the notation the docs use."""
    extras = [x for x in (rel.get("role"), status_of(rel)) if x]
    inner = "{" + ", ".join(extras) + "}" if extras else ""
    return f"{rel['source']} -{rel['type']}{inner}-> {rel['target']}"


def node_ref(graph: Any, node: str) -> dict[str, Any]:
    """``{id, name, type, category}`` of a node of a networkx graph view."""
    attrs = graph.nodes[node]
    return {
        "id": node,
        "name": attrs.get("name", node),
        "type": attrs.get("type"),
        "category": attrs.get("category"),
    }


def entity_record(attrs: Mapping[str, Any], node: str) -> Record:
    """The entity's stored fields (without the derived ``category``)."""
    record = {k: v for k, v in attrs.items() if k != "category"}
    record.setdefault("id", node)
    return record


def sorted_unique(values: Iterable[str]) -> list[str]:
    return sorted({v for v in values if v})


def source_records(graph: Any, ids: Iterable[str]) -> list[Record]:
    """The source records for ``ids`` (unknown ids are skipped), sorted by id."""
    known = graph.graph.get("sources", {})
    return [dict(known[i]) for i in sorted(set(ids)) if i in known]


def check_choice(value: str, choices: Iterable[str], option: str) -> str:
    """``value`` if it is one of ``choices``, else a :class:`UsageError` naming them."""
    choices = list(choices)
    if value not in choices:
        raise UsageError(
            f"{option} must be one of {', '.join(choices)}, not {value!r}{did_you_mean(value, choices)}"
        )
    return value


def store_schema(store: Store) -> Schema:
    """The :class:`~mapper.schema.Schema` of a store (embedded or Neo4j)."""
    return store.schema()


def check_relation_types(
    store: Store, types: Iterable[str] | None, option: str = "--relation"
) -> list[str] | None:
    """``types`` checked against the store's schema (so Cypher only ever sees schema names)."""
    if not types:
        return None
    known = sorted(store_schema(store).relation_types)
    return [check_choice(t, known, option) for t in types]
