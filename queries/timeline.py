"""The timeline: dated entities and relations in date order.

Each entity with ``valid_from`` gives a ``start`` event and with ``valid_to`` an ``end`` event;
each relation with ``since``/``until`` likewise. Events are sorted by date, then entities
before relations, starts before ends, then id, and can be limited to ``since <= date <= until``.
With ``as_of``, only what is valid on that date is considered (its whole dated history shows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import networkx as nx

from mapper.dataset import relation_key_str
from mapper.errors import UsageError
from mapper.store_protocol import CypherStore, Store
from queries import cypher
from queries.asof import as_of_graph
from queries.common import Record, iso_date, rel_label, status_of
from queries.dispatch import query_pair

#: The keys of each item of ``events`` in the JSON of ``timeline``.
EVENT_KEYS = ("date", "event", "kind", "id", "label", "type", "source", "target", "role", "status", "sources")


@dataclass
class TimelineResult:
    """Dated start/end events of entities and relations."""

    events: list[Record]
    since: str | None = None
    until: str | None = None
    as_of: str | None = None

    columns: ClassVar[list[str]] = ["date", "event", "kind", "type", "label", "status", "sources"]

    def rows(self) -> list[Record]:
        return self.events

    def to_json(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "as_of": self.as_of, "events": self.events}


def timeline(
    store: Store,
    since: str | date | None = None,
    until: str | date | None = None,
    *,
    as_of: str | date | None = None,
) -> TimelineResult:
    """Dated entities and relations in order, optionally between ``since`` and ``until``.

    Parameters
    ----------
    store : EmbeddedStore or Neo4jStore
    since, until : str or date, optional
        Keep events on or after ``since`` and on or before ``until``.
    as_of : str or date, optional
        Only entities and relations valid on that date.

    Examples
    --------
    >>> "odet" in [e["id"] for e in timeline(store, "2025-01-01", "2025-01-01").events]
    True
    """
    low = iso_date(since, "--since")
    high = iso_date(until, "--until")
    if low and high and low > high:
        raise UsageError(f"--since {low} is after --until {high}")
    day = iso_date(as_of)
    events = _TIMELINE(store, low, high, day)
    return TimelineResult(events, low, high, day)


def _timeline_nx(
    graph: nx.MultiDiGraph, low: str | None, high: str | None, as_of: str | None
) -> list[Record]:
    view = as_of_graph(graph, as_of)
    return _events(
        view.nodes(data=True),
        ((key, attrs) for _, _, key, attrs in view.edges(keys=True, data=True)),
        low,
        high,
    )


def _events(nodes: Any, edges: Any, low: str | None, high: str | None) -> list[Record]:
    """The sorted events of dated ``(id, attrs)`` nodes and ``(key, attrs)`` edges (both backends)."""
    found: list[tuple[tuple[Any, ...], Record]] = []

    def add(when: Any, event: str, kind: str, record: Record) -> None:
        day = str(when)
        if (low and day < low) or (high and day > high):
            return
        record = {"date": day, "event": event, "kind": kind, **record}
        order = (day, kind != "entity", event != "start", record["id"])
        found.append((order, record))

    for node, attrs in nodes:
        base = {
            "id": node,
            "label": f"{attrs.get('name', node)} ({node})",
            "type": attrs.get("type"),
            "source": None,
            "target": None,
            "role": None,
            "status": None,
            "sources": list(attrs.get("sources") or []),
        }
        if attrs.get("valid_from"):
            add(attrs["valid_from"], "start", "entity", dict(base))
        if attrs.get("valid_to"):
            add(attrs["valid_to"], "end", "entity", dict(base))
    for key, attrs in edges:
        base = {
            "id": key,
            "label": rel_label(attrs),
            "type": attrs.get("type"),
            "source": attrs["source"],
            "target": attrs["target"],
            "role": attrs.get("role") or "",
            "status": status_of(attrs),
            "sources": list(attrs.get("sources") or []),
        }
        if attrs.get("since"):
            add(attrs["since"], "start", "relation", dict(base))
        if attrs.get("until"):
            add(attrs["until"], "end", "relation", dict(base))
    return [record for _, record in sorted(found, key=lambda t: t[0])]


def _timeline_cypher(
    store: CypherStore, low: str | None, high: str | None, as_of: str | None
) -> list[Record]:
    # Only what has a date inside the window comes back; _events builds and orders the events.
    def window(a: str, b: str) -> str:
        def inside(field: str) -> str:
            test = f"{field} IS NOT NULL"
            if low:
                test += f" AND {field} >= date($low)"
            if high:
                test += f" AND {field} <= date($high)"
            return f"({test})"

        return f"({inside(a)} OR {inside(b)})"

    params = cypher.params(as_of, low=low, high=high)
    nodes = store.run(
        "MATCH (n:Entity) "
        f"WHERE {window('n.valid_from', 'n.valid_to')} AND {cypher.valid_node('n', as_of)} "
        f"RETURN {cypher.entity_map('n')} AS n",
        params,
    )
    edges = store.run(
        "MATCH (a:Entity)-[r]->(b:Entity) "
        f"WHERE {window('r.since', 'r.until')} AND {cypher.not_provenance('r')} "
        f"AND {cypher.valid_edge('a', 'r', 'b', as_of)} "
        "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS props",
        params,
    )
    entities = ((row["n"]["id"], cypher.entity_attrs(row["n"])) for row in nodes)
    relations = []
    for row in edges:
        rel = cypher.relation_record(row["source"], row["type"], row["target"], row["props"])
        relations.append((relation_key_str(rel), rel))
    return _events(entities, relations, low, high)


_TIMELINE = query_pair("timeline", networkx=_timeline_nx, cypher=_timeline_cypher)
