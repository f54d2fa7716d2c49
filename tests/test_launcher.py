"""The launcher's command line (scripts/neo4jctl.py): restarting a home with its password, and
``LOAD CSV`` file URLs only when asked for, confined to HOME/import."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import ClientError

from tests.neo4j_fixtures import SCRIPTS, neo4jctl


def neo4jctl_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "neo4jctl.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_restart_existing_home_with_its_password_and_file_urls(tmp_path: Path) -> None:
    home = tmp_path / "home"
    # token_urlsafe may begin with "-", which argparse would take for an option after a bare
    # "--password": the "--password=VALUE" form is how such a password is given.
    password = secrets.token_urlsafe(12)
    port = str(neo4jctl._free_port())
    try:
        first = neo4jctl_cli(
            "start", "--background", "--home", str(home), "--port", port, f"--password={password}"
        )
        assert first.returncode == 0, first.stderr
        assert password not in first.stdout + first.stderr
        assert "no file URLs" in first.stdout and "page cache 64 MiB" in first.stdout
        uri = f"bolt://127.0.0.1:{port}"
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
            driver.execute_query("CREATE (:Kept {id: 'k'})", database_="neo4j")
        assert neo4jctl_cli("stop", "--home", str(home)).returncode == 0

        # The same home and password again: this used to fail with "Old password and new
        # password cannot be the same". And this time LOAD CSV may read files, under HOME/import.
        second = neo4jctl_cli(
            "start",
            "--background",
            "--home",
            str(home),
            "--port",
            port,
            f"--password={password}",
            "--allow-file-urls",
            "--page-cache-mb",
            "80",
        )
        assert second.returncode == 0, second.stderr
        assert "page cache 80 MiB" in second.stdout
        assert password not in second.stdout + second.stderr
        assert f"LOAD CSV reads files under {home / 'import'}" in second.stdout
        (home / "import" / "people.csv").write_text("name\nAda\nGrace\n", encoding="utf-8")
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
            kept, _, _ = driver.execute_query("MATCH (n:Kept) RETURN n.id AS id", database_="neo4j")
            assert [r["id"] for r in kept] == ["k"]
            rows, _, _ = driver.execute_query(
                "LOAD CSV WITH HEADERS FROM 'file:///people.csv' AS row RETURN row.name AS name",
                database_="neo4j",
            )
            assert [r["name"] for r in rows] == ["Ada", "Grace"]
            # file:///etc/passwd now means HOME/import/etc/passwd: not there.
            with pytest.raises(ClientError) as err:
                driver.execute_query("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", database_="neo4j")
            assert "root:" not in str(err.value)
            assert "Couldn't load the external resource" in err.value.message, err.value.message
    finally:
        neo4jctl_cli("stop", "--home", str(home))


def test_server_set_up_to_serve_gets_its_page_cache_and_jvm_options() -> None:
    """The scale benchmark's server: the page cache asked for and SERVING_JAVA_OPTS in place
    of the tests' quick-start options (read back from the server and its command line)."""
    server = neo4jctl.Neo4jServer(page_cache_mb=96, java_opts=neo4jctl.SERVING_JAVA_OPTS)
    with server:
        with neo4j.GraphDatabase.driver(server.uri) as driver:
            rows, _, _ = driver.execute_query(
                "SHOW SETTINGS YIELD name, value WHERE name = 'server.memory.pagecache.size' RETURN value",
                database_="system",
            )
        assert [r["value"] for r in rows] == ["96.00MiB"], rows
        pid = int((server.home / neo4jctl.PID_FILE).read_text().split()[0])
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert b"-Xmx2g" in argv and b"-XX:TieredStopAtLevel=1" not in argv
        assert not any(arg.startswith(b"-XX:SharedArchiveFile") for arg in argv)
