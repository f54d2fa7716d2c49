"""Credentials inside the URI are accepted, stripped before any message, and never printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from mapper.neo4j import split_credentials

IGFMAP = str(Path(sys.executable).parent / "igfmap")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # A real process: what reaches the terminal, driver log lines included.
    return subprocess.run([IGFMAP, *args], capture_output=True, text=True, check=False, env=env)


def test_split_credentials() -> None:
    assert split_credentials("bolt://alice:s3cr%40t@db.example:7687") == (
        "bolt://db.example:7687",
        "alice",
        "s3cr@t",
    )
    assert split_credentials("neo4j+s://bob@x.databases.neo4j.io") == (
        "neo4j+s://x.databases.neo4j.io",
        "bob",
        None,
    )
    assert split_credentials("bolt://u:p@ss@host") == ("bolt://host", "u", "p@ss")
    assert split_credentials("bolt://127.0.0.1:7687") == ("bolt://127.0.0.1:7687", None, None)


def test_password_in_uri_works_and_is_not_shown(neo4j_auth_server) -> None:
    password = neo4j_auth_server.password
    uri = neo4j_auth_server.uri.replace("bolt://", f"bolt://neo4j:{quote(password, safe='')}@")
    result = run("--neo4j", uri, "cypher", "RETURN 1 AS one", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert password not in result.stdout


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_wrong_password_in_uri_is_never_echoed(neo4j_auth_server, debug: list[str]) -> None:
    secret = "Wr0ng-Uri-Secret-Do-Not-Print"
    host = neo4j_auth_server.uri.removeprefix("bolt://")
    result = run("--neo4j", f"bolt://neo4j:{secret}@{host}", *debug, "stats")
    assert result.returncode == 3
    assert secret not in result.stdout + result.stderr
    assert f"error: authentication failed for user 'neo4j' at bolt://{host}\n" in result.stderr
    if not debug:
        assert result.stderr == f"error: authentication failed for user 'neo4j' at bolt://{host}\n"


def test_password_in_uri_never_echoed_when_unreachable() -> None:
    # A malformed port used to make the driver's error quote the whole URI, secret included.
    secret = "Uri-Secret-Do-Not-Print"
    for uri in (f"bolt://neo4j:{secret}@127.0.0.1:1", f"bolt://neo4j:{secret}@127.0.0.1:notaport"):
        result = run("--neo4j", uri, "stats")
        assert result.returncode == 3, result.stderr
        assert secret not in result.stdout + result.stderr
        assert result.stderr.count("\n") == 1
