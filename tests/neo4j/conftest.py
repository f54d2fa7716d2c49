"""Fixtures of the Neo4j tests (the server itself is started once, in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mapper.neo4j import Neo4jStore


@pytest.fixture
def neo4j(neo4j_server) -> Iterator[Neo4jStore]:
    """A connection to the tests' server, its database emptied first."""
    store = Neo4jStore.connect(neo4j_server.uri)
    store.wipe()
    yield store
    store.close()
