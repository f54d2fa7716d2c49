"""An index that cannot change an answer: damaged, truncated, short of rows or not a file.

Each case damages the index of a real store, then asks through the CLI: the answer must be the
one a fresh index gives, the exit 0, the store's bytes unchanged and no temp file left.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mapper.index import StoreIndex, digest_file, index_path
from mapper.outputs import temp_path
from mapper.store import init_store

IGFMAP = str(Path(sys.executable).parent / "igfmap")


def igfmap(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A real process with a time limit: a FIFO must not hang it.
    return subprocess.run(
        [IGFMAP, "--store", str(store), *args], capture_output=True, text=True, timeout=60, check=False
    )


def _sql(index: Path, statement: str) -> None:
    with sqlite3.connect(index) as db:
        db.execute(statement)


def _garbage_in_the_middle(index: Path) -> None:
    data = bytearray(index.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = os.urandom(8192)
    index.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage in the middle": _garbage_in_the_middle,
    "truncated JSON row": lambda index: _sql(
        index, "UPDATE entities SET record = substr(record, 1, 20) WHERE id = 'igf'"
    ),
    "relation rows deleted": lambda index: _sql(index, "DELETE FROM relations WHERE source = 'igf'"),
    "entity row deleted": lambda index: _sql(index, "DELETE FROM entities WHERE id = 'wsis'"),
}


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


def test_a_truncated_row_is_answered_from_the_store_with_a_note(
    fresh_answer: tuple[Path, dict[str, str]],
) -> None:
    store, answers = fresh_answer
    DAMAGE["truncated JSON row"](index_path(store))
    result = igfmap(store, "show", "igf", "-f", "json")
    assert result.returncode == 0
    assert result.stdout == answers["show igf"]
    assert result.stderr.startswith(f"note: the index beside {store} is damaged (JSONDecodeError: ")
    assert result.stderr.endswith("); answered from the store, and the index rebuilt\n")
    assert result.stderr.count("\n") == 1


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


def test_the_temp_file_of_a_killed_index_build_is_swept(tmp_path: Path) -> None:
    store = tmp_path / "s.json"
    init_store(store)
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    # The name a build of that (now ended) process gave its temp file.
    ours = temp_path(index_path(store))
    left = ours.with_name(ours.name.replace(f"-{os.getpid()}-", f"-{int(ended.stdout)}-"))
    left.write_bytes(b"half an index")
    index_path(store).unlink()  # the next read builds it again, and sweeps first
    assert igfmap(store, "stats").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".s.json.index", "s.json", "s.json.lock"]
    assert StoreIndex.open(store, digest_file(store)) is not None
