"""Neo4j faults with clear outcomes: a server that dies during a push, or never answers.

The CLI runs as a real process here (``igfmap`` beside the test's Python), because what is
checked is what a user sees on stderr and how long the process takes, and because a real
server process is killed with SIGKILL in the middle of a push.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest

from benchmarks.generate import generate
from mapper.dataset import Dataset
from mapper.neo4j import Neo4jStore, configure_driver_logging
from mapper.neo4j.connection import ACQUISITION_TIMEOUT, RETRY_DELAYS
from mapper.store import write_store_file
from tests.neo4j.freezing_proxy import FreezingProxy
from tests.neo4j_fixtures import neo4jctl

IGFMAP = str(Path(sys.executable).parent / "igfmap")


def igfmap(uri: str, store: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [IGFMAP, "--neo4j", uri, "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _start(home: Path, port: int | None = None) -> Any:
    server = neo4jctl.Neo4jServer(home=home, port=port)
    try:
        server.start(timeout=180)
    except Exception as exc:  # never skip: a server that cannot start fails the test
        pytest.fail(f"could not start a Neo4j server: {exc}", pytrace=False)
    return server


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A server of this test's own (the session's must not be killed), in a home that outlives
    a kill so that it can be restarted on the same data. ``box["server"]`` is the live one."""
    box = {"server": _start(tmp_path / "neo4j-home")}
    yield box
    box["server"].stop()


def _counts(driver: Any) -> dict[str, int]:
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (n:Entity) RETURN count(n) AS entities } "
        "CALL () { MATCH (:Entity)-[r]->(:Entity) WHERE type(r) <> 'SOURCED_FROM' RETURN count(r) AS relations } "
        "RETURN entities, relations",
        database_="neo4j",
    )
    return dict(records[0])


def _lock_target(uri: str, dataset: Dataset) -> tuple[str, int]:
    """The entity the push will wait on, and how many entities the push writes before it.

    Entity batches go by type in name order. The first entity of the last type, locked from an
    open transaction, lets the push write every other type and then wait on that lock, so that
    the server is killed exactly there (no race with a push that might finish first)."""
    types = sorted({e["type"] for e in dataset.entities.values()})
    last_type = types[-1]
    blocker = next(e["id"] for e in dataset.entities.values() if e["type"] == last_type)
    before_block = sum(1 for e in dataset.entities.values() if e["type"] != last_type)
    with Neo4jStore.connect(uri) as setup:
        # The locked entity exists beforehand, as the push will write it (less its sources).
        bare = {k: v for k, v in dataset.entities[blocker].items() if k != "sources"}
        setup.write_dataset(Dataset.from_records(entities=[bare], schema=dataset.schema))
    return blocker, before_block


def _push_killed_at_the_lock(
    server: Any, store: Path, blocker: str, before_block: int
) -> tuple[int | None, str, str, float]:
    """Run ``igfmap push`` while ``blocker`` is locked; once the push waits on it, SIGKILL the
    server. (exit code, stdout, stderr, seconds from the kill to the exit)."""
    uri = server.uri
    driver = neo4j.GraphDatabase.driver(uri, max_transaction_retry_time=0)
    session = driver.session(database="neo4j")
    lock = session.begin_transaction()
    lock.run("MATCH (n:Entity {id: $id}) SET n.locked = true", {"id": blocker}).consume()
    push = subprocess.Popen(
        [IGFMAP, "--neo4j", uri, "--store", str(store), "push"],
        cwd=store.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while _counts(driver)["entities"] < before_block + 1:
            assert push.poll() is None, push.communicate()
            assert time.monotonic() < deadline, "the push never reached the locked entity"
            time.sleep(0.2)
        os.kill(server.pid, signal.SIGKILL)
        killed = time.monotonic()
        out, err = push.communicate(timeout=120)
        took = time.monotonic() - killed
    finally:
        if push.poll() is None:
            push.kill()
        for close in (lock.close, session.close, driver.close):
            try:
                close()
            except Exception:  # the server is gone: closing may complain, nothing to clean
                pass
    return push.returncode, out, err, took


def _assert_gave_up_with_one_error(uri: str, code: int | None, out: str, err: str, took: float) -> None:
    """Exit 3 within the retry budget, with one error line naming the server; before it, one
    note per retry and nothing else (no driver log lines, no traceback)."""
    lines = err.splitlines()
    assert code == 3, err
    assert out == ""
    assert took < sum(RETRY_DELAYS) + 10, f"took {took:.1f} s to give up"
    assert lines[-1].startswith(f"error: Neo4j at {uri} failed: connection lost")
    assert "the push is incomplete" in lines[-1] and "run it again" in lines[-1]
    notes = lines[:-1]
    assert len(notes) == len(RETRY_DELAYS)
    assert all(line.startswith(f"note: Neo4j at {uri}: connection lost") for line in notes), notes
    assert notes[-1].endswith(f"(attempt {len(RETRY_DELAYS) + 1} of {len(RETRY_DELAYS) + 1})")


def _assert_every_command_warns_of_the_partial_push(uri: str, store: Path, dataset: Dataset) -> None:
    """What the push left is partial, every command says so, and reading changes nothing."""
    with neo4j.GraphDatabase.driver(uri) as check:
        partial = _counts(check)
    assert partial["entities"] < dataset.counts()["entities"] and partial["relations"] == 0
    for command in (["stats"], ["gaps"]):
        result = igfmap(uri, store, *command)
        assert result.returncode == 0, result.stderr
        warning = result.stderr.splitlines()
        assert len(warning) == 1, warning
        assert warning[0].startswith(f"warning: the push into {uri} (database neo4j) that began at ")
        assert "did not complete" in warning[0]
    with neo4j.GraphDatabase.driver(uri) as check:
        assert _counts(check) == partial  # reading changed nothing


def _assert_the_next_push_completes(uri: str, store: Path, dataset: Dataset) -> None:
    """The next push says it completes the interrupted one, and does."""
    result = igfmap(uri, store, "push", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"note: completing the push into {uri} (database neo4j)")
    with Neo4jStore.connect(uri) as after:
        assert after.counts() == dataset.counts()
        state = after.push_state()
        assert state is not None and state.complete and state.expected == dataset.counts()
    result = igfmap(uri, store, "stats")
    assert result.returncode == 0 and result.stderr == ""


def test_server_killed_during_push(tmp_path: Path, own_server: dict[str, Any]) -> None:
    configure_driver_logging(debug=False)  # this test's own driver stays quiet too
    server = own_server["server"]
    uri, port, home = server.uri, server.port, server.home
    dataset = generate(1500, seed=7)
    store = tmp_path / "store.json"
    write_store_file(store, dataset)
    store_bytes = store.read_bytes()
    files_before = sorted(p.name for p in tmp_path.iterdir())

    blocker, before_block = _lock_target(uri, dataset)
    code, out, err, took = _push_killed_at_the_lock(server, store, blocker, before_block)
    server.stop()
    _assert_gave_up_with_one_error(uri, code, out, err, took)
    # Nothing else changed: the store file is untouched and no file appeared.
    assert store.read_bytes() == store_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before

    # Restarted on the same data.
    own_server["server"] = _start(home, port)
    _assert_every_command_warns_of_the_partial_push(uri, store, dataset)
    _assert_the_next_push_completes(uri, store, dataset)


def test_port_that_never_answers_gives_exit_3_in_bounded_time(tmp_path: Path) -> None:
    # Accepts TCP connections (the kernel does, from the backlog) but never speaks Bolt.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        uri = f"bolt://127.0.0.1:{listener.getsockname()[1]}"
        began = time.monotonic()
        result = igfmap(uri, tmp_path / "absent.json", "stats", timeout=90)
        took = time.monotonic() - began
    assert result.returncode == 3
    assert result.stdout == ""
    assert (
        result.stderr
        == f"error: cannot reach Neo4j at {uri}: no Bolt handshake within 15 s (is this a Neo4j Bolt port?)\n"
    )
    assert took < ACQUISITION_TIMEOUT + 15, f"took {took:.1f} s"
    assert list(tmp_path.iterdir()) == []


def test_nothing_listening_gives_one_line_and_no_driver_noise(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uri = f"bolt://127.0.0.1:{port}"
    began = time.monotonic()
    result = igfmap(uri, tmp_path / "s.json", "stats")
    assert time.monotonic() - began < 15
    assert result.returncode == 3
    assert result.stderr == f"error: cannot reach Neo4j at {uri}: [Errno 111] Connection refused\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("option", "bound"), [(["--neo4j-timeout", "3"], 3.0), ([], 30.0)])
def test_network_stalled_mid_pull_fails_within_the_stall_timeout(
    tmp_path: Path, neo4j_server, neo4j: Neo4jStore, option: list[str], bound: float
) -> None:
    # The server stays up, the network freezes (a proxy that stops forwarding, both sockets
    # open) half-way through the pull's read: before the bound, it waited 2 min per attempt.
    neo4j.write_dataset(generate(300, seed=5))
    store = tmp_path / "s.json"
    write_store_file(store, Dataset())
    before = store.read_bytes()
    files = sorted(p.name for p in tmp_path.iterdir())
    port = int(neo4j_server.uri.rsplit(":", 1)[1])
    with FreezingProxy(("127.0.0.1", port), freeze_after=20_000) as proxy:
        uri = f"bolt://127.0.0.1:{proxy.port}"
        began = time.monotonic()
        result = subprocess.run(
            [IGFMAP, *option, "--neo4j", uri, "--store", str(store), "pull"],
            capture_output=True,
            text=True,
            timeout=bound * 4 + 30,
            check=False,
        )
        took = time.monotonic() - began
        assert proxy.frozen.is_set()
    assert result.returncode == 3, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"error: Neo4j at {uri} sent nothing for {bound:g} s (a stalled network or server); "
        "gave up (raise --neo4j-timeout for queries that think longer)\n"
    )
    assert bound <= took < bound + 10, f"took {took:.1f} s"
    assert store.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no temp file left
