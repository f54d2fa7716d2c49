"""Read-only ``cypher`` is read-only: no files, no URLs, no procedures that write or reach out.

Each refusal happens before anything runs (Neo4j only plans the query), exits 1 with one line,
and leaves the database as it was. The session server is the project's launcher with its
defaults, so ``LOAD CSV`` of a local file fails on the server side even with ``--write``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mapper.cli import app
from mapper.neo4j import Neo4jStore

PASSWD = "file:///etc/passwd"


def cypher(runner, uri: str, *args: str):
    return runner.invoke(app, ["--neo4j", uri, "cypher", *args])


def _scratch(store: Neo4jStore) -> list[dict]:
    """A node for write procedures to act on, and what it holds."""
    return store.run("MATCH (n:Scratch) RETURN properties(n) AS props")


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        (f"LOAD CSV FROM '{PASSWD}' AS line RETURN line", "reads a file or URL with LOAD CSV"),
        (f"PROFILE LOAD CSV FROM '{PASSWD}' AS line RETURN line", "reads a file or URL with LOAD CSV"),
        (
            f"// comment\nMATCH (n) CALL (n) {{ LOAD CSV FROM '{PASSWD}' AS l RETURN l }} RETURN l",
            "reads a file or URL with LOAD CSV",
        ),
        ("LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS line RETURN line", "reads a file or URL with LOAD CSV"),
        ("CALL dbms.components()", "calls dbms.components (mode DBMS)"),
        (
            "MATCH (n:Scratch) CALL db.create.setNodeVectorProperty(n, 'v', [1.0, 2.0])",
            "calls db.create.setNodeVectorProperty (mode WRITE)",
        ),
        ("RETURN apoc.version() AS v", "uses APOC (apoc.*)"),
        ("RETURN `apoc`.`version`() AS v", "uses APOC (apoc.*)"),
        ("CALL apoc.load.json('file:///etc/passwd')", "uses APOC (apoc.*)"),
        # Administration: planned (Show*/Terminate* operators, a schema-write plan)...
        ("SHOW TRANSACTIONS YIELD currentQuery, parameters", "administers the server (SHOW TRANSACTIONS)"),
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "administers the server (TERMINATE TRANSACTIONS)"),
        ("SHOW SETTINGS", "administers the server (SHOW SETTINGS)"),
        ("PROFILE SHOW SETTINGS YIELD name RETURN name", "administers the server (SHOW SETTINGS)"),
        ("SHOW DATABASES", "administers the server (SHOW DATABASES)"),
        ("CALL db.stats.collect('QUERIES')", "calls db.stats.collect (mode READ)"),
        ("CALL db.stats.retrieve('GRAPH COUNTS')", "calls db.stats.retrieve (mode READ)"),
        ("CALL db.clearQueryCaches()", "calls db.clearQueryCaches (mode DBMS)"),
        ("CREATE INDEX scratch_v FOR (n:Scratch) ON (n.v)", "changes the schema or administers the server"),
        # ... and what this database cannot plan: the statement's kind decides.
        ("SHOW SERVERS", "administers the server (SHOW SERVERS)"),
        ("/* c */ show\n servers", "administers the server (SHOW SERVERS)"),
        ("STOP DATABASE neo4j", "administers the server (STOP DATABASE)"),
    ],
)
def test_refused_without_write(runner, neo4j_server, neo4j, query: str, reason: str) -> None:
    neo4j.run("CREATE (:Scratch {id: 's'})", write=True)
    before = _scratch(neo4j)
    result = cypher(runner, neo4j_server.uri, query)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: refused without --write: the query ")
    assert reason in result.stderr
    assert result.stderr.endswith("(nothing was run)\n")
    assert result.stderr.count("\n") == 1
    assert "root:" not in result.output
    assert _scratch(neo4j) == before == [{"props": {"id": "s"}}]  # the write procedure did not run
    assert neo4j.run("MATCH (n) RETURN count(n) AS n") == [{"n": 1}]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("CALL db.labels() YIELD label RETURN count(label) AS n", "n\n-\n"),  # other tests leave labels
        ("RETURN 'apoc.version() and LOAD CSV are only text here' AS s // apoc.x", "apoc.version()"),
        ("PROFILE RETURN 1 AS one", "one\n---\n1\n"),
        ("SHOW PROCEDURES YIELD name WHERE name = 'db.labels' RETURN name", "db.labels"),
        ("SHOW FUNCTIONS YIELD name WHERE name = 'abs' RETURN name", "abs"),
        ("SHOW INDEXES YIELD name RETURN count(*) AS n", "n\n-\n"),
        ("EXPLAIN SHOW SETTINGS", "(none)"),  # only planned: nothing runs
    ],
)
def test_reads_still_work(runner, neo4j_server, neo4j, query: str, expected: str) -> None:
    result = cypher(runner, neo4j_server.uri, query)
    assert result.exit_code == 0, result.output
    assert expected in result.stdout
    assert result.stderr == ""


def test_launcher_refuses_file_urls_even_with_write(runner, neo4j_server, neo4j) -> None:
    result = cypher(runner, neo4j_server.uri, f"LOAD CSV FROM '{PASSWD}' AS line RETURN line", "--write")
    assert result.exit_code == 1
    assert "dbms.security.allow_csv_import_from_file_urls" in result.stderr
    assert result.stdout == ""
    assert "root:" not in result.output


def test_write_procedure_runs_with_write(runner, neo4j_server, neo4j) -> None:
    neo4j.run("CREATE (:Scratch {id: 's'})", write=True)
    query = "MATCH (n:Scratch) CALL db.create.setNodeVectorProperty(n, 'v', [1.0, 2.0])"
    result = cypher(runner, neo4j_server.uri, query, "--write")
    assert result.exit_code == 0, result.output
    assert _scratch(neo4j) == [{"props": {"id": "s", "v": [1.0, 2.0]}}]


def test_syntax_error_is_one_line(runner, neo4j_server) -> None:
    result = cypher(runner, neo4j_server.uri, "MATCH (n RETURN n")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: Cypher syntax error: Invalid input 'RETURN'")
    assert result.stderr.count("\n") == 1


def test_server_notifications_stay_off_stderr_unless_debug(tmp_path: Path, neo4j_server) -> None:
    # A real process: the driver's log lines reach stderr through Python's last-resort handler,
    # which pytest's own logging capture would hide in-process. This query makes the server
    # send a notification (a cartesian product) that quotes the query text.
    igfmap = str(Path(sys.executable).parent / "igfmap")
    query = "MATCH (a), (b) WHERE a.secret_marker = 'x' RETURN count(*) AS c"
    quiet = subprocess.run(
        [igfmap, "--neo4j", neo4j_server.uri, "cypher", query], capture_output=True, text=True, check=False
    )
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    debug = subprocess.run(
        [igfmap, "--neo4j", neo4j_server.uri, "--debug", "cypher", query],
        capture_output=True,
        text=True,
        check=False,
    )
    assert debug.returncode == 0, debug.stderr
    assert "neo4j driver: WARNING" in debug.stderr
    assert quiet.stdout == debug.stdout


def test_terminate_and_show_transactions_leave_other_sessions_alone(runner, neo4j_server, neo4j) -> None:
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(neo4j_server.uri)
    try:
        with driver.session() as session, session.begin_transaction() as other:
            other.run("CREATE (:Scratch {id: $id})", {"id": "s3cret-param"}).consume()
            tx_id = neo4j.run(
                "SHOW TRANSACTIONS YIELD transactionId, currentQuery "
                "WHERE currentQuery CONTAINS 'Scratch' RETURN transactionId"
            )[0]["transactionId"]
            shown = cypher(runner, neo4j_server.uri, "SHOW TRANSACTIONS YIELD currentQuery, parameters")
            killed = cypher(runner, neo4j_server.uri, f"TERMINATE TRANSACTIONS '{tx_id}'")
            other.commit()  # still alive: it commits
        for result in (shown, killed):
            assert result.exit_code == 1
            assert result.stdout == ""
            assert "s3cret-param" not in result.output
        assert neo4j.run("MATCH (n:Scratch) RETURN n.id AS id") == [{"id": "s3cret-param"}]
    finally:
        driver.close()


def test_administration_runs_with_write(runner, neo4j_server, neo4j) -> None:
    query = "SHOW SETTINGS YIELD name WHERE name = 'db.transaction.timeout' RETURN name"
    result = cypher(runner, neo4j_server.uri, query, "--write")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[::2] == ["name", "db.transaction.timeout"]
