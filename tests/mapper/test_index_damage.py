"""An index that cannot change an answer: damaged, truncated, short of rows or not a file.

Each case damages the index of a real store, then asks through the CLI: the answer must be the
one a fresh index gives, the exit 0, the store's bytes unchanged and no temp file left.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mapper.index import StoreIndex, digest_file, index_path, verify_content
from mapper.outputs import OLD_FORMAT_SECONDS, sweep_stale, temp_path
from mapper.store import init_store
from tests.faults import DAMAGE, IGFMAP, flip_name_letter


def igfmap(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A real process with a time limit: a FIFO must not hang it.
    return subprocess.run(
        [IGFMAP, "--store", str(store), *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def fresh_answer(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A seed store with a fresh index, and what it answers."""
    store = tmp_path / "s.json"
    init_store(store)
    answers = {}
    for args in (("show", "igf"), ("stats",), ("search", "forum")):
        result = igfmap(store, *args, "-f", "json")
        assert result.returncode == 0, result.stderr
        answers[" ".join(args)] = result.stdout
    return store, answers


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_index_never_changes_an_answer(
    fresh_answer: tuple[Path, dict[str, str]], damage: str
) -> None:
    store, answers = fresh_answer
    digest = hashlib.sha256(store.read_bytes()).hexdigest()
    for query, expected in answers.items():
        DAMAGE[damage](index_path(store))
        result = igfmap(store, *query.split(), "-f", "json")
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected, query
        assert all(line.startswith("note: the index beside") for line in result.stderr.splitlines())
        # Rebuilt: the next answer comes from a whole index again.
        reopened = StoreIndex.open(store, digest)
        assert reopened is not None
        reopened.close()
    assert hashlib.sha256(store.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in store.parent.iterdir()) == [".s.json.index", "s.json", "s.json.lock"]


def test_a_row_that_fails_its_checksum_is_answered_from_the_store_with_a_note(
    fresh_answer: tuple[Path, dict[str, str]],
) -> None:
    store, answers = fresh_answer
    DAMAGE["truncated JSON row"](index_path(store))
    result = igfmap(store, "show", "igf", "-f", "json")
    assert result.returncode == 0
    assert result.stdout == answers["show igf"]
    assert result.stderr == (
        f"note: the index beside {store} is damaged (a row's checksum does not match its content "
        "('igf')); answered from the store, and the index rebuilt\n"
    )


def test_deleted_rows_are_noted_when_the_index_opens(fresh_answer: tuple[Path, dict[str, str]]) -> None:
    store, answers = fresh_answer
    DAMAGE["relation rows deleted"](index_path(store))
    result = igfmap(store, "stats", "-f", "json")
    assert (result.returncode, result.stdout) == (0, answers["stats"])
    assert result.stderr == (
        f"note: the index beside {store} is damaged (rows are missing); answered from the store, "
        "and the index rebuilt\n"
    )


@pytest.mark.parametrize("query", [("show", "igf"), ("stats",)])
def test_a_fifo_where_the_index_goes_neither_hangs_nor_is_replaced(
    tmp_path: Path, query: tuple[str, ...]
) -> None:
    store = tmp_path / "s.json"
    init_store(store)
    expected = igfmap(store, *query).stdout
    index_path(store).unlink()
    os.mkfifo(index_path(store))
    result = igfmap(store, *query)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert index_path(store).is_fifo()  # not ours: left as it is


def _left_by_a_killed_build(store: Path) -> Path:
    """The temp file a build of a process that has ended leaves beside the index."""
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    ours = temp_path(index_path(store))
    left = ours.with_name(ours.name.replace(f"-{os.getpid()}-", f"-{int(ended.stdout)}-"))
    left.write_bytes(b"half an index")
    return left


def _old_format_temp(store: Path, age: float) -> Path:
    """A temp file named as builds named them before names carried host and process id."""
    left = index_path(store).with_name(f"{index_path(store).name}.k3_x9qz0.tmp")
    left.write_bytes(b"half an index")
    os.utime(left, (time.time() - age, time.time() - age))
    return left


def test_the_temp_file_of_a_killed_index_build_is_swept(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    init_store(store)
    _left_by_a_killed_build(store)
    index_path(store).unlink()  # the next read builds it again, and sweeps first
    assert igfmap(store, "stats").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".s.json.index", "s.json", "s.json.lock"]
    assert StoreIndex.open(store, digest_file(store)) is not None


@pytest.mark.parametrize("leftover", ["killed build", "old-format temp file"])
def test_after_an_unclean_build_the_index_is_checked_in_full(
    fresh_answer: tuple[Path, dict[str, str]], leftover: str
) -> None:
    # Damage in a row that `stats` never reads: found only by the full check, which a temp
    # file of a build whose writer is gone triggers.
    store, answers = fresh_answer
    flip_name_letter(index_path(store), "afigf")
    if leftover == "killed build":
        _left_by_a_killed_build(store)
    else:
        _old_format_temp(store, age=2 * OLD_FORMAT_SECONDS)
    result = igfmap(store, "stats", "-f", "json")
    assert (result.returncode, result.stdout) == (0, answers["stats"])
    assert result.stderr == (
        f"note: the index beside {store} is damaged (a build ended uncleanly, and the full check "
        "then failed); answered from the store, and the index rebuilt\n"
    )
    assert sorted(p.name for p in store.parent.iterdir()) == [".s.json.index", "s.json", "s.json.lock"]
    with contextlib.closing(sqlite3.connect(index_path(store))) as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        assert verify_content(db, meta)  # rebuilt whole


def test_without_an_unclean_build_the_full_check_is_not_run(
    fresh_answer: tuple[Path, dict[str, str]],
) -> None:
    store, answers = fresh_answer
    flip_name_letter(index_path(store), "afigf")
    result = igfmap(store, "stats", "-f", "json")
    assert (result.returncode, result.stdout, result.stderr) == (0, answers["stats"], "")
    with contextlib.closing(sqlite3.connect(index_path(store))) as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        assert not verify_content(db, meta)  # the damage is still there, and found when read:
    shown = igfmap(store, "show", "afigf")
    assert shown.returncode == 0 and "is damaged (a row's checksum" in shown.stderr


def test_old_format_temp_files_are_swept_only_when_their_writer_is_provably_gone(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    init_store(store)
    recent = _old_format_temp(store, age=60)
    assert sweep_stale(index_path(store), every=True) == []  # might be an old build still running
    old = _old_format_temp(store, age=2 * OLD_FORMAT_SECONDS)
    assert old == recent
    # Unchanged for two hours, but a live process holds it open: not provably gone.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys; f = open({str(old)!r}, 'rb'); print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        assert sweep_stale(index_path(store)) == []
    finally:
        holder.communicate("", timeout=30)
    assert sweep_stale(index_path(store)) == [old]
    # A name that only looks alike (not mkstemp's 8 characters) is never touched.
    alike = index_path(store).with_name(f"{index_path(store).name}.notes.tmp")
    alike.write_text("mine")
    os.utime(alike, (0, 0))
    assert sweep_stale(index_path(store)) == []
    assert alike.read_text() == "mine"
