"""The Neo4j store as one class: the :class:`~mapper.store_protocol.Store` over a Neo4j database."""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from mapper.dataset import Dataset, to_graph
from mapper.errors import IgfmapError
from mapper.neo4j.user_queries import UserQueries
from mapper.neo4j.writes import Writes
from mapper.store import EmbeddedStore, lock_timeout, plan_load
from mapper.store_protocol import Backend, CypherStore, LoadReport


class Neo4jStore(Writes, UserQueries):
    """A connection to a Neo4j database holding one igf-mapper dataset."""

    backend: Backend = "cypher"
    #: Cypher queries read only what they match: :meth:`around` is the store itself.
    narrows = False

    @cached_property
    def dataset(self) -> Dataset:
        return self.read_dataset()

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return to_graph(self.dataset)

    def around(self, ids: Iterable[str], relation_types: Iterable[str] | None = None) -> Neo4jStore:
        """Itself: Cypher queries read only what they match (see :attr:`narrows`)."""
        return self

    def entities_matching(self, text: str) -> Neo4jStore:
        """Itself, as :meth:`around`."""
        return self

    def read_complete_dataset(self) -> Dataset:
        """The whole dataset as the last complete push left it (for ``pull``).

        A live push is waited for (up to ``--lock-timeout``, then :class:`LockTimeoutError`);
        a push that began and did not complete is refused (:class:`IgfmapError`): the database
        then holds part of it. A push that began during the read makes it read again.
        """
        deadline = time.monotonic() + lock_timeout()
        while True:
            before = self.settled_push_state(deadline)
            if before is not None and not before.complete:
                raise IgfmapError(
                    f"the push into {self.describe()} that began at {before.started} did not complete: "
                    "the database holds part of it, so nothing was pulled or written "
                    "(`igfmap push` completes it)"
                )
            dataset = self.read_dataset()
            if self.push_state() == before:
                return dataset

    def snapshot(self) -> EmbeddedStore:
        """An embedded store over one read of the database (maps and reports use one picture)."""
        return EmbeddedStore(self.dataset)

    def load_files(self, files: Iterable[Path], replace: bool = False, dry_run: bool = False) -> LoadReport:
        """Validate files against the database content, then write them (nothing when invalid)."""
        result, report = plan_load(self.read_dataset(), list(files), replace, dry_run, self.describe())
        if not dry_run:
            self.write_dataset(result, wipe=replace, completes_push=replace)
        return report


if TYPE_CHECKING:  # mypy checks here that the class implements the protocols it is used as
    _AS_STORE: type[CypherStore] = Neo4jStore
