"""The as-of view of a graph: only the entities and relations valid on a date.

An entity is valid on ``D`` when ``valid_from <= D <= valid_to`` (a missing bound is open); a
relation when ``since <= D <= until`` and both its ends are valid. Both bounds are inclusive,
so an office that closed on 2024-12-31 is still there on that day and its successor, opened on
2025-01-01, from the next. Dates are ISO strings, which compare correctly as text.

Cypher equivalent (:mod:`queries.cypher` writes it into each query on the Neo4j store, where
the dates are native ``Date`` values)::

    WHERE (n.valid_from IS NULL OR n.valid_from <= date($as_of))
      AND (n.valid_to IS NULL OR n.valid_to >= date($as_of))
    ... AND (r.since IS NULL OR r.since <= date($as_of)) AND (r.until IS NULL OR r.until >= date($as_of))
    ... and both ends of r valid as well
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import networkx as nx

from queries.common import iso_date


def valid_on(record: Mapping[str, Any], as_of: str | None, start: str, end: str) -> bool:
    """True when ``record[start] <= as_of <= record[end]`` (missing bounds are open).

    >>> valid_on({"valid_from": "2025-01-01"}, "2024-10-31", "valid_from", "valid_to")
    False
    """
    if as_of is None:
        return True
    low, high = record.get(start), record.get(end)
    if low and str(low) > as_of:
        return False
    return not (high and str(high) < as_of)


def entity_valid(attrs: Mapping[str, Any], as_of: str | None) -> bool:
    """Whether an entity exists on ``as_of`` (always, when ``as_of`` is None)."""
    return valid_on(attrs, as_of, "valid_from", "valid_to")


def relation_valid(attrs: Mapping[str, Any], as_of: str | None) -> bool:
    """Whether a relation holds on ``as_of`` (its ends are checked separately)."""
    return valid_on(attrs, as_of, "since", "until")


def as_of_graph(graph: nx.MultiDiGraph, as_of: str | date | None) -> nx.MultiDiGraph:
    """``graph`` restricted to what is valid on ``as_of``; ``graph`` itself when None.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A graph view of a dataset (:func:`mapper.dataset.to_graph`).
    as_of : str, date or None
        The date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph sharing ``graph.graph`` (sources and schema) with shallow copies of the
        node and edge attributes; treat it as read-only.

    Examples
    --------
    >>> from mapper.dataset import Dataset, to_graph
    >>> ds = Dataset.from_records(entities=[
    ...     {"id": "oset", "type": "un_entity", "name": "OSET", "valid_to": "2024-12-31"},
    ...     {"id": "odet", "type": "un_entity", "name": "ODET", "valid_from": "2025-01-01"}])
    >>> sorted(as_of_graph(to_graph(ds), "2025-02-01"))
    ['odet']
    """
    day = iso_date(as_of)
    if day is None:
        return graph
    view = nx.MultiDiGraph()
    view.graph = graph.graph
    view.add_nodes_from((n, a) for n, a in graph.nodes(data=True) if entity_valid(a, day))
    view.add_edges_from(
        (u, v, k, a)
        for u, v, k, a in graph.edges(keys=True, data=True)
        if u in view and v in view and relation_valid(a, day)
    )
    return view
