"""No lost update, honest interrupts: the store's commit is a compare-and-swap, and an
interrupt after it says the change was written."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks.generate import generate
from mapper.dataset import Dataset
from mapper.errors import InterruptedAfterCommit, StoreChangedError
from mapper.store import init_store, locked, open_store, read_store_file, update_store, write_store_file
from tests.faults import MOMENTS, signal_at_commit

IGFMAP = str(Path(sys.executable).parent / "igfmap")


def _start_load(store: Path, incoming: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [IGFMAP, "--store", str(store), "load", str(incoming)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("how", ["copied over (same inode)", "renamed over (new inode)"])
def test_a_store_replaced_during_a_write_is_not_overwritten(tmp_path: Path, how: str) -> None:
    store = tmp_path / "s.json"
    init_store(store)
    other = tmp_path / "other.json"
    write_store_file(other, generate(30, seed=9))
    replacement = other.read_bytes()
    files = _files(tmp_path)

    def change(before: Dataset) -> Dataset:
        # Another program that ignores the lock replaces the store while this write runs.
        if how.startswith("copied"):
            shutil.copyfile(other, store)
        else:
            shutil.copyfile(other, tmp_path / "x")
            os.replace(tmp_path / "x", store)
        return Dataset(before.sources, {**before.entities}, {}, schema=before.schema)

    with pytest.raises(StoreChangedError) as caught:
        update_store(store, change)
    assert str(caught.value) == (
        f"{store}: replaced by another program while this write ran (it holds other content than was "
        "read); nothing written: run the command again to apply it to the new content"
    )
    assert store.read_bytes() == replacement  # the replacement's entities are all there
    assert _files(tmp_path) == files  # no temp file left


def test_load_refuses_when_the_store_was_replaced_and_says_so(tmp_path: Path) -> None:
    # A real race: a second process copies another store over s.json while `load` works on a
    # big store; whichever order they land in, no replacement is silently lost.
    store = tmp_path / "s.json"
    write_store_file(store, generate(8000, seed=4))
    other = tmp_path / "other.json"
    write_store_file(other, generate(30, seed=9))
    replacement = other.read_bytes()
    incoming = tmp_path / "in.json"
    write_store_file(incoming, generate(30, seed=11))
    load = _start_load(store, incoming)
    time.sleep(1.0)  # reading the 8,000-entity store
    shutil.copyfile(other, store)
    _out, err = load.communicate(timeout=300)
    if load.returncode == 0:  # the copy landed before the load read, or after it wrote
        assert set(read_store_file(other).entities) <= set(read_store_file(store).entities)
    else:
        assert load.returncode == 1, err
        assert err == (
            f"error: {store}: replaced by another program while this write ran (it holds other "
            "content than was read); nothing written: run the command again to apply it to the new content\n"
        )
        assert store.read_bytes() == replacement
    assert not [n for n in _files(tmp_path) if ".igfmap-" in n]


def test_an_interrupt_after_the_commit_says_the_change_was_written(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    init_store(store)
    bigger = generate(20000, seed=2)
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    main = threading.main_thread().ident
    assert main is not None and threading.get_ident() == main

    def interrupt_once_renamed() -> None:
        # A real SIGINT, sent the moment the new store is in place (its index still building).
        while hashlib.sha256(store.read_bytes()).hexdigest() == before:
            time.sleep(0.01)
        signal.pthread_kill(main, signal.SIGINT)

    watcher = threading.Thread(target=interrupt_once_renamed, daemon=True)
    watcher.start()
    outcome: object = "returned without an interrupt"
    try:
        update_store(store, lambda _before: bigger)
        watcher.join(10)
        time.sleep(0.5)
    except InterruptedAfterCommit as err:
        outcome = err
    except KeyboardInterrupt:  # too late for the index build: the test cannot tell
        outcome = "interrupted after update_store returned"
    watcher.join(10)
    assert isinstance(outcome, InterruptedAfterCommit), outcome
    assert str(outcome) == f"{store} was written in full; its index was not (the next command rebuilds it)"
    assert read_store_file(store) == bigger
    assert open_store(store).dataset == bigger  # the next read is right, and rebuilds the index
    assert not [n for n in _files(tmp_path) if ".igfmap-" in n]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize(
    ("signum", "word", "code"), [(signal.SIGINT, "interrupted", 130), (signal.SIGTERM, "terminated", 143)]
)
def test_a_real_signal_after_the_commit_says_the_change_was_written(
    tmp_path: Path, moment: str, signum: int, word: str, code: int
) -> None:
    # A real `igfmap load` process, signalled the moment its new store is in place, while its
    # index is being built, or once it is blocked printing its summary into a full pipe.
    store = tmp_path / "s.json"
    init_store(store)
    incoming = tmp_path / "in.json"
    write_store_file(incoming, generate(30 if moment == "summary" else 10000, seed=3))
    stopped = signal_at_commit(store, ["load", str(incoming)], signum, moment)
    assert stopped.on_time
    written = f"error: {word} after the change was written: {os.path.realpath(store)} was written in full"
    index_not = "; its index was not (the next command rebuilds it)"
    assert stopped.returncode == code, stopped.stderr
    # At the rename the signal is held back for the instant the rename is recorded, so it lands
    # right after it, or (polling is not instantaneous) already inside the index build.
    expected = {
        "rename": [written, written + index_not],
        "index": [written + index_not],
        "summary": [written],
    }
    assert stopped.stderr in [line + "\n" for line in expected[moment]]
    assert set(read_store_file(incoming).entities) <= set(read_store_file(store).entities)
    assert open_store(store).dataset == read_store_file(store)  # the index is current, or rebuilt
    assert not [n for n in _files(tmp_path) if ".igfmap-" in n]


def test_an_interrupt_before_the_commit_says_nothing_was_written(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    init_store(store)
    before = store.read_bytes()
    incoming = tmp_path / "in.json"
    write_store_file(incoming, generate(30, seed=3))
    with locked(store):  # the load waits for the lock, before its commit: a moment sure to come
        load = _start_load(store, incoming)
        assert load.stderr is not None
        waiting = load.stderr.readline()
        assert waiting.startswith(f"waiting for the lock on {os.path.realpath(store)} held by another igfmap")
        load.send_signal(signal.SIGINT)
        out, err = load.communicate(timeout=120)
    assert (load.returncode, out, err) == (130, "", "error: interrupted\n")
    assert store.read_bytes() == before
    assert not [n for n in _files(tmp_path) if ".igfmap-" in n]
