"""The one interface every store offers: what queries, exports and the CLI may ask of a store.

Two stores implement it: :class:`mapper.store.EmbeddedStore` (a JSON file read into a networkx
graph) and :class:`mapper.neo4j.Neo4jStore` (a Neo4j database). Code outside ``mapper``
takes a :class:`Store` and never asks which one it has; the query registry
(:mod:`queries.dispatch`) reads :attr:`Store.backend` to pick each query's networkx or Cypher
implementation, the way networkx's own backend dispatch reads a graph's backend name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:  # types only: importing them here would load networkx for every CLI start
    import networkx as nx

    from mapper.dataset import Dataset
    from mapper.schema import Schema

#: Which implementation of a query a store runs: networkx in this process, or Cypher in Neo4j.
Backend = Literal["networkx", "cypher"]
BACKENDS: tuple[Backend, ...] = ("networkx", "cypher")


@dataclass
class LoadReport:
    """What a load did (or would do, with ``dry_run``)."""

    path: str
    files: list[str]
    replace: bool
    dry_run: bool
    loaded: dict[str, int]
    added: dict[str, int]
    updated: dict[str, int]
    totals: dict[str, int]

    columns: ClassVar[list[str]] = ["section", "loaded", "added", "updated", "total"]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "section": s,
                "loaded": self.loaded[s],
                "added": self.added[s],
                "updated": self.updated[s],
                "total": self.totals[s],
            }
            for s in ("sources", "entities", "relations")
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "store": self.path,
            "files": self.files,
            "replace": self.replace,
            "dry_run": self.dry_run,
            "loaded": self.loaded,
            "added": self.added,
            "updated": self.updated,
            "totals": self.totals,
        }


@runtime_checkable
class Store(Protocol):
    """A dataset that can be queried, read whole, and written to.

    ``graph`` and ``dataset`` are the whole content (a ``networkx.MultiDiGraph`` as
    :func:`mapper.dataset.to_graph` builds it, and the :class:`~mapper.dataset.Dataset`);
    ``snapshot()`` is an embedded store over one consistent read of that content, so an output
    built from several queries (a map, a report) reads all of them from the same picture.
    """

    backend: Backend
    path: Path | None
    from_seed: bool

    def describe(self) -> str:
        """A human name for the store (a path, or a server and database), without secrets."""
        ...

    def schema(self) -> Schema:
        """The schema in force: the default types plus the dataset's extension."""
        ...

    @property
    def dataset(self) -> Dataset: ...

    @property
    def graph(self) -> nx.MultiDiGraph: ...

    def snapshot(self) -> Store:
        """An embedded store over one read of the whole content (itself for the embedded store)."""
        ...

    def load_files(self, files: Iterable[Path], replace: bool = False, dry_run: bool = False) -> LoadReport:
        """Validate ``files`` against the store, then merge or replace them, all or nothing."""
        ...

    @property
    def narrows(self) -> bool:
        """Whether :meth:`around` and :meth:`entities_matching` return a smaller store than this
        one. When False they return the store itself (Neo4j, whose queries read only what they
        match; an embedded store with no index or with its graph loaded), so a query that would
        gather a neighbourhood step by step reads the whole store at once instead."""
        ...

    def around(self, ids: Iterable[str], relation_types: Iterable[str] | None = None) -> Store:
        """A store holding at least the entities ``ids``, every relation touching one of them (of
        ``relation_types``, when given) and the entities at their other ends: what a query about
        those entities reads. The embedded store reads it from its index; a store that does not
        :attr:`narrows` returns itself."""
        ...

    def entities_matching(self, text: str) -> Store:
        """A store holding at least every entity whose id, name or an alias contains ``text``
        (casefolded; relations optional): what ``search`` reads."""
        ...


@runtime_checkable
class CypherStore(Store, Protocol):
    """A store whose queries run as Cypher: the Cypher half of each query pair receives it."""

    def run(
        self, query: str, params: dict[str, Any] | None = None, write: bool = False
    ) -> list[dict[str, Any]]:
        """Run one parameterised query; records as dicts of plain values."""
        ...


__all__ = ["BACKENDS", "Backend", "CypherStore", "LoadReport", "Store"]
