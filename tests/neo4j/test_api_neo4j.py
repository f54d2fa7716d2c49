"""The entry object over a real Neo4j server: the same answers as over the embedded seed, and
credentials that are used but never shown."""

from __future__ import annotations

import pytest

import mapper
from mapper.api import Mapping
from mapper.errors import BackendError
from mapper.store import EmbeddedStore, seed_dataset


@pytest.fixture(scope="module")
def seed() -> EmbeddedStore:
    return EmbeddedStore(seed_dataset())


def test_a_bolt_uri_opens_neo4j_with_the_embedded_answers(neo4j, neo4j_server, seed) -> None:
    neo4j.write_dataset(seed.dataset)
    embedded = Mapping(seed)
    with mapper.open(neo4j_server.uri) as server:
        assert server.describe() == f"{neo4j_server.uri} (database neo4j)"
        assert server.who("gdc-implementation").to_json() == embedded.who("gdc-implementation").to_json()
        assert server.gaps(as_of="2025-06-30").to_json() == embedded.gaps(as_of="2025-06-30").to_json()
        assert (
            server.matrix(rows="type", cells="count").rows()
            == embedded.matrix(rows="type", cells="count").rows()
        )
        assert len(server.gaps(as_of="2025-06-30").to_dataframe()) == len(
            embedded.gaps(as_of="2025-06-30").rows()
        )


def test_credentials_from_arguments_or_the_environment_never_shown(
    neo4j_auth_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = neo4j_auth_server.password
    with mapper.open(neo4j_auth_server.uri, password=secret) as server:
        assert secret not in repr(server) and server.stats().to_json()["totals"] is not None
    monkeypatch.setenv("NEO4J_USERNAME", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", secret)
    with mapper.open(neo4j_auth_server.uri) as server:
        assert secret not in server.describe()
    monkeypatch.setenv("NEO4J_PASSWORD", "not-" + secret)
    with pytest.raises(BackendError) as failed:
        mapper.open(neo4j_auth_server.uri)
    assert secret not in str(failed.value)
