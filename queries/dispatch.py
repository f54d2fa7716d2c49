"""The query registry: each named query is registered once as a pair of implementations.

A query's networkx version takes the store's graph (a ``networkx.MultiDiGraph``); its Cypher
version takes the store itself (a :class:`~mapper.store_protocol.CypherStore`, which runs
Cypher). Both take the same further arguments and return the same plain rows. Calling the
registered :class:`QueryPair` with a store picks the implementation by ``store.backend``: this
is the only place in ``queries`` and ``exports`` that looks at which backend a store has.

>>> import networkx as nx
>>> count = QueryPair("doc-example", networkx=lambda graph: graph.number_of_nodes(),
...                   cypher=lambda store: store.run("MATCH (n) RETURN count(n) AS n")[0]["n"])
>>> from mapper.store import EmbeddedStore
>>> from mapper.dataset import Dataset
>>> count(EmbeddedStore(Dataset()))
0

:func:`registered` lists every pair of the package (the parity tests run each on both stores).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from mapper.store_protocol import Store

R = TypeVar("R")

#: Every registered query pair by name.
QUERIES: dict[str, QueryPair[Any]] = {}


@dataclass(frozen=True)
class QueryPair(Generic[R]):
    """One query: its networkx and Cypher implementations side by side."""

    name: str
    networkx: Callable[..., R] = field(repr=False)
    cypher: Callable[..., R] = field(repr=False)

    def __call__(self, store: Store, *args: Any, **kwargs: Any) -> R:
        if store.backend == "cypher":
            return self.cypher(store, *args, **kwargs)
        return self.networkx(store.graph, *args, **kwargs)


def registered() -> dict[str, QueryPair[Any]]:
    """Every query pair of the ``queries`` package (imports its modules once)."""
    package = importlib.import_module("queries")
    for info in pkgutil.walk_packages(package.__path__, "queries."):
        importlib.import_module(info.name)
    return dict(sorted(QUERIES.items()))


def query_pair(name: str, *, networkx: Callable[..., R], cypher: Callable[..., R]) -> QueryPair[R]:
    """Register the networkx/Cypher pair of the query ``name`` and return it (callable on a store)."""
    if name in QUERIES:
        raise ValueError(f"query {name!r} is registered twice")
    pair = QueryPair(name, networkx, cypher)
    QUERIES[name] = pair
    return pair


__all__ = ["QUERIES", "QueryPair", "query_pair", "registered"]
