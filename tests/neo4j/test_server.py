"""The development Neo4j server itself (scripts/neo4jctl.py), through the official Python driver."""

from __future__ import annotations

import contextlib
import socket
import uuid
from pathlib import Path
from typing import Any

import neo4j
import pytest
from neo4j.exceptions import AuthError

from tests.neo4j_fixtures import neo4jctl


def test_return_1(neo4j_server: Any) -> None:
    with neo4j.GraphDatabase.driver(neo4j_server.uri) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one", database_="neo4j")
    assert records[0]["one"] == 1


def test_runs_the_pinned_community_version(neo4j_server: Any) -> None:
    with neo4j.GraphDatabase.driver(neo4j_server.uri) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition",
            database_="system",
        )
    assert records[0]["versions"] == [neo4jctl.NEO4J_VERSION]
    assert records[0]["edition"] == "community"


def test_write_then_read_a_node(neo4j_server: Any) -> None:
    node_id = f"test-{uuid.uuid4()}"
    with neo4j.GraphDatabase.driver(neo4j_server.uri) as driver:
        driver.execute_query(
            "CREATE (:ServerTest {id: $id, name: $name})", {"id": node_id, "name": "Ada"}, database_="neo4j"
        )
        records, _, _ = driver.execute_query(
            "MATCH (n:ServerTest {id: $id}) RETURN n.name AS name", {"id": node_id}, database_="neo4j"
        )
        driver.execute_query("MATCH (n:ServerTest {id: $id}) DELETE n", {"id": node_id}, database_="neo4j")
    assert [r["name"] for r in records] == ["Ada"]


def _non_loopback_addresses() -> list[str]:
    addresses: set[str] = set()
    # The address used for outside traffic (a UDP "connect" sends nothing), and the host name's.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, contextlib.suppress(OSError):
        s.connect(("192.0.2.1", 9))
        addresses.add(s.getsockname()[0])
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addresses.add(str(info[4][0]))
    return sorted(a for a in addresses if not a.startswith("127."))


def test_listens_on_loopback_only(neo4j_server: Any) -> None:
    assert neo4j_server.uri == f"bolt://127.0.0.1:{neo4j_server.port}"
    for address in _non_loopback_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, neo4j_server.port), timeout=2).close()


def test_right_password_works(neo4j_auth_server: Any) -> None:
    with neo4j.GraphDatabase.driver(neo4j_auth_server.uri, auth=neo4j_auth_server.auth) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one", database_="neo4j")
    assert records[0]["one"] == 1


def test_wrong_password_raises_auth_error(neo4j_auth_server: Any) -> None:
    with neo4j.GraphDatabase.driver(neo4j_auth_server.uri, auth=("neo4j", "not-the-password")) as driver:
        with pytest.raises(AuthError):
            driver.execute_query("RETURN 1", database_="neo4j")


def test_missing_credentials_are_refused(neo4j_auth_server: Any) -> None:
    with neo4j.GraphDatabase.driver(neo4j_auth_server.uri) as driver:
        with pytest.raises(AuthError):
            driver.execute_query("RETURN 1", database_="neo4j")


def test_password_stays_out_of_process_list_and_log(neo4j_auth_server: Any) -> None:
    cmdline = Path(f"/proc/{neo4j_auth_server.pid}/cmdline")
    if cmdline.exists():  # Linux
        assert neo4j_auth_server.password.encode() not in cmdline.read_bytes()
    assert neo4j_auth_server.password not in neo4j_auth_server.log_path.read_text()
    assert neo4j_auth_server.password not in repr(neo4j_auth_server)


def test_busy_port_gives_a_clear_error(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server = neo4jctl.Neo4jServer(port=busy.getsockname()[1], home=tmp_path / "home")
        with pytest.raises(RuntimeError, match="already in use"):
            server.start()


def test_short_password_is_refused_before_starting(tmp_path: Path) -> None:
    server = neo4jctl.Neo4jServer(home=tmp_path / "home", password="short")
    with pytest.raises(RuntimeError, match="at least 8 characters"):
        server.start()


def test_a_server_that_dies_reports_its_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A JVM that cannot start stands in for any early failure: the error must carry its output.
    monkeypatch.setenv("IGFMAP_NEO4J_JAVA_OPTS", "-Xmx1k")
    server = neo4jctl.Neo4jServer(home=tmp_path / "home")
    with pytest.raises(RuntimeError, match=r"exited with code \d+ before it was ready") as info:
        server.start()
    assert "heap" in str(info.value).lower()
    assert not (tmp_path / "home" / "neo4j.pid").exists()
