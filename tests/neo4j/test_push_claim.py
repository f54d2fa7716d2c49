"""One writer at a time into a Neo4j database: pushes claim the push marker, on a real server."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from mapper import store as embedded
from mapper.cli import app
from mapper.graph_names import META_LABEL, PUSH_MARKER_ID
from mapper.neo4j import Neo4jStore, PushState, claim, writes
from mapper.store import LockTimeoutError
from tests.neo4j.test_neo4j_store import _whole_graph


def _claim(store: Neo4jStore) -> None:
    """Hold the database as a push in progress would (without writing anything else)."""
    store._claim_push(PushState("in-progress", "2026-01-01T00:00:00+00:00", None, {}))


def _set_marker(store: Neo4jStore, **props: object) -> None:
    store.run(
        f"MATCH (m:{META_LABEL} {{id: $marker}}) SET m += $props",
        {"marker": PUSH_MARKER_ID, "props": props},
        write=True,
    )


def test_a_second_push_waits_for_the_first_then_both_leave_one_dataset(
    neo4j_server, neo4j: Neo4jStore, monkeypatch, capfd
) -> None:
    # Small, slowed batches keep the first push busy while the second one starts.
    monkeypatch.setattr(writes, "BATCH_SIZE", 50)
    monkeypatch.setattr(embedded, "_lock_timeout", 120.0)
    dataset = generate(300, seed=5)
    first_started = threading.Event()
    second_done = threading.Event()
    errors: list[BaseException] = []

    def slow(_n: int) -> None:
        first_started.set()
        second_done.wait(0.15)

    def first() -> None:
        try:
            with Neo4jStore.connect(neo4j_server.uri) as store:
                store.write_dataset(dataset, progress=slow)
        except BaseException as err:  # reported below, in the test's thread
            errors.append(err)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_started.wait(60)
    with Neo4jStore.connect(neo4j_server.uri) as second:
        second.write_dataset(dataset)
    second_done.set()
    thread.join(120)
    assert not thread.is_alive() and errors == []
    err = capfd.readouterr().err
    assert "waiting for another igfmap's push into" in err
    assert f"process {os.getpid()} on {socket.gethostname()}" in err
    once = _whole_graph(neo4j)
    assert neo4j.counts() == dataset.counts()
    neo4j.wipe()
    neo4j.write_dataset(dataset)
    assert _whole_graph(neo4j) == once
    state = neo4j.push_state()
    assert state is not None and state.complete


def test_a_push_gives_up_after_the_lock_timeout_having_written_nothing(
    tmp_path: Path, runner, neo4j_server, neo4j: Neo4jStore
) -> None:
    _claim(neo4j)  # a live claim of this very process: not taken for a dead one
    result = runner.invoke(
        app,
        [
            "--lock-timeout",
            "1.5",
            "--neo4j",
            neo4j_server.uri,
            "--store",
            str(tmp_path / "none.json"),
            "push",
        ],
    )
    assert result.exit_code == 1, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert "another igfmap's push into" in last and "still holds it after 1.5 s; nothing written" in last
    assert not neo4j.holds_data()


def test_an_abandoned_claim_is_taken_over_and_its_holder_stops(neo4j_server, neo4j: Neo4jStore) -> None:
    _claim(neo4j)
    # Unheard from for longer than the lease (by the server's clock).
    neo4j.run(
        f"MATCH (m:{META_LABEL} {{id: $marker}}) SET m.heartbeat = timestamp() - $ms",
        {"marker": PUSH_MARKER_ID, "ms": (claim.LEASE_SECONDS + 1) * 1000},
        write=True,
    )
    dataset = generate(100, seed=2)
    with Neo4jStore.connect(neo4j_server.uri) as other:
        other.write_dataset(dataset)
    assert neo4j.counts() == dataset.counts()
    neo4j._renewed = 0.0  # its next batch renews the claim, and finds it gone
    with pytest.raises(LockTimeoutError, match="took over the push"):
        neo4j._renew_claim()


def test_the_claim_of_a_process_that_died_here_is_taken_at_once(
    neo4j_server, neo4j: Neo4jStore, monkeypatch
) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    _claim(neo4j)
    _set_marker(neo4j, holder=f"{socket.gethostname()} {int(ended.stdout)} token")
    monkeypatch.setattr(embedded, "_lock_timeout", 0.0)
    dataset = generate(100, seed=2)
    with Neo4jStore.connect(neo4j_server.uri) as store:
        store.write_dataset(dataset)
    assert neo4j.counts() == dataset.counts()


def test_a_push_cut_short_lets_go_of_its_claim(neo4j_server, neo4j: Neo4jStore, monkeypatch) -> None:
    monkeypatch.setattr(writes, "BATCH_SIZE", 50)
    monkeypatch.setattr(embedded, "_lock_timeout", 0.0)
    dataset = generate(300, seed=5)

    def interrupt(_n: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        neo4j.write_dataset(dataset, progress=interrupt)
    state = neo4j.push_state()
    assert state is not None and not state.complete
    # No wait: the claim was given up, though the push stays marked unfinished until completed.
    with Neo4jStore.connect(neo4j_server.uri) as again:
        again.write_dataset(dataset)
    assert neo4j.counts() == dataset.counts()
    state = neo4j.push_state()
    assert state is not None and state.complete


def _pull(runner, uri: str, store: Path, lock_timeout: str) -> Any:
    return runner.invoke(app, ["--lock-timeout", lock_timeout, "--neo4j", uri, "--store", str(store), "pull"])


def _initialised_store(runner, tmp_path: Path) -> tuple[Path, str]:
    """A store file holding the seed, and its SHA-256."""
    path = tmp_path / "s.json"
    assert runner.invoke(app, ["--store", str(path), "init"]).exit_code == 0
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def test_pull_during_a_push_waits_for_it_then_pulls_the_whole_dataset(
    tmp_path: Path, runner, neo4j_server, neo4j: Neo4jStore, monkeypatch
) -> None:
    monkeypatch.setattr(writes, "BATCH_SIZE", 50)
    neo4j.write_dataset(generate(50, seed=1))
    dataset = generate(300, seed=5)
    started = threading.Event()
    errors: list[BaseException] = []

    def push() -> None:
        try:
            with Neo4jStore.connect(neo4j_server.uri) as store:
                store.write_dataset(dataset, wipe=True, progress=lambda _n: (started.set(), time.sleep(0.1)))
        except BaseException as err:  # reported below, in the test's thread
            errors.append(err)

    path, _ = _initialised_store(runner, tmp_path)
    thread = threading.Thread(target=push)
    thread.start()
    assert started.wait(60)
    result = _pull(runner, neo4j_server.uri, path, "120")
    thread.join(120)
    assert not thread.is_alive() and errors == []
    assert result.exit_code == 0, result.output
    assert "waiting for another igfmap's push into" in result.stderr
    assert "did not complete" not in result.stderr
    pulled = embedded.open_store(path).dataset
    assert pulled.counts() == dataset.counts()
    assert pulled.to_document() == neo4j.read_dataset().to_document()


def test_pull_gives_up_on_a_live_push_after_the_lock_timeout_writing_nothing(
    tmp_path: Path, runner, neo4j_server, neo4j: Neo4jStore
) -> None:
    neo4j.write_dataset(generate(50, seed=1))
    _claim(neo4j)  # a live push of this very process
    path, digest = _initialised_store(runner, tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    result = _pull(runner, neo4j_server.uri, path, "1")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: another igfmap's push into {neo4j_server.uri} (database neo4j) (process {os.getpid()} on "
        f"{socket.gethostname()}, began at 2026-01-01T00:00:00+00:00) still holds it after 1 s; nothing "
        "written (try again when it has finished, or raise --lock-timeout)"
    )
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no temp file left


def test_pull_refuses_the_partial_copy_an_interrupted_push_left(
    tmp_path: Path, runner, neo4j_server, neo4j: Neo4jStore, monkeypatch
) -> None:
    monkeypatch.setattr(writes, "BATCH_SIZE", 50)

    def interrupt(_n: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        neo4j.write_dataset(generate(300, seed=5), progress=interrupt)
    state = neo4j.push_state()
    assert state is not None and not state.complete
    path, digest = _initialised_store(runner, tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    result = _pull(runner, neo4j_server.uri, path, "60")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"error: the push into {neo4j_server.uri} (database neo4j) that began at {state.started} did not "
        "complete: the database holds part of it, so nothing was pulled or written (`igfmap push` completes it)\n"
    )
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no temp file left
