"""Credentials inside the URI are accepted, stripped before any message, and never printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from mapper.neo4j.connection import shown_uri, split_credentials

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
    # Unescaped characters a URL parser would end the password at: it ends at the last "@".
    assert split_credentials("bolt://neo4j:Sec/ret?99#x@h:7687") == ("bolt://h:7687", "neo4j", "Sec/ret?99#x")
    assert split_credentials("bolt://h:7687#frag") == ("bolt://h:7687", None, None)


def test_shown_uri_masks_credential_parameters() -> None:
    assert shown_uri("neo4j://u:p@h:7687?policy=eu&password=x1&token=y#z") == (
        "neo4j://h:7687?policy=eu&password=***&token=***"
    )


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


#: Hostile passwords: each holds characters a URL parser would stop at, or is placed where a
#: parser would not look for one.
HOSTILE = "Sec/ret?9#9@x%zz"


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        (f"bolt://neo4j:{HOSTILE}@127.0.0.1:1", "error: cannot reach Neo4j at bolt://127.0.0.1:1: "),
        (f"bolt://neo4j:{HOSTILE}@127.0.0.1:1/", "error: cannot reach Neo4j at bolt://127.0.0.1:1/: "),
        (f"bolt://:{HOSTILE}@127.0.0.1:1", "error: cannot reach Neo4j at bolt://127.0.0.1:1: "),
        (
            f"bolt+x://neo4j:{HOSTILE}@127.0.0.1:1",
            "error: cannot use the Neo4j URI bolt+x://127.0.0.1:1: URI scheme 'bolt+x' is not supported.",
        ),
        (
            f"bolt://neo4j:{HOSTILE}@127.0.0.1:1?policy=eu",
            "error: cannot use the Neo4j URI bolt://127.0.0.1:1?policy=eu: Routing context",
        ),
        (
            f"bolt://127.0.0.1:1#{HOSTILE.replace('@', '')}",
            "error: cannot reach Neo4j at bolt://127.0.0.1:1: ",
        ),
        (
            f"neo4j://127.0.0.1:1?password={HOSTILE}",
            "error: cannot use the Neo4j URI neo4j://127.0.0.1:1?password=***: credentials go before the host",
        ),
        (
            f"bolt://neo4j@127.0.0.1:1?policy=eu&auth_token={HOSTILE}",
            "error: cannot use the Neo4j URI bolt://127.0.0.1:1?policy=eu&auth_token=***: credentials go",
        ),
    ],
)
def test_hostile_password_never_echoed(uri: str, message: str) -> None:
    result = run("--neo4j", uri, "stats")
    assert result.returncode == 3, result.stderr
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    output = result.stdout + result.stderr
    for part in ("Sec", "ret?9", "9@x", "%zz"):
        assert part not in output


def test_password_not_echoed_in_the_load_reference_hint(neo4j_auth_server) -> None:
    password = neo4j_auth_server.password + "/?#"  # wrong, and holding what a parser stops at
    host = neo4j_auth_server.uri.removeprefix("bolt://")
    result = run("--neo4j", f"bolt://neo4j:{neo4j_auth_server.password}@{host}", "stats")
    assert result.returncode == 0, result.stderr
    bad = Path(__file__).resolve().parent.parent / "data" / "bad" / "relation-to-missing-entity.yaml"
    result = run("--neo4j", f"bolt://neo4j:{neo4j_auth_server.password}@{host}", "load", str(bad))
    assert result.returncode == 1, result.stderr
    assert f"[references checked against Neo4j bolt://{host}; --neo4j URI points at another]" in result.stderr
    assert neo4j_auth_server.password not in result.stdout + result.stderr
    result = run("--neo4j", f"bolt://neo4j:{password}@{host}", "load", str(bad))
    assert result.returncode == 3
    assert result.stderr == f"error: authentication failed for user 'neo4j' at bolt://{host}\n"
