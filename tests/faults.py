"""Faults done on purpose, shared by the tests and by ``make stress`` (scripts/stress_faults.py).

- :func:`signal_at_commit`: a real signal to a real ``igfmap load`` process right after its
  commit point: at the rename, while its index is rebuilt, or while it prints its summary.
- :data:`DAMAGE`: ways to damage a store's index (flipped bytes, garbage, lost rows).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

IGFMAP = str(Path(sys.executable).parent / "igfmap")
#: The moments after the commit point :func:`signal_at_commit` can hit.
MOMENTS = ("rename", "index", "summary")
#: How long after the rename the ``index`` moment comes: well inside the index build of a
#: 10,000-entity store (0.2 s and more), past the rename itself.
INTO_THE_BUILD = 0.05


@dataclass(frozen=True)
class Stopped:
    """What a signalled command left: its exit code, its stderr, and whether the signal came
    where it was meant to (after the commit, and, for ``summary``, while blocked printing)."""

    returncode: int
    stderr: str
    on_time: bool


def _full_pipe() -> tuple[int, int]:
    """A pipe whose buffer is already full: the first write to it blocks until it is read."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    for size in (4096, 1):  # whole pages, then byte by byte up to the last one
        try:
            while True:
                os.write(write_end, b"x" * size)
        except BlockingIOError:
            pass
    os.set_blocking(write_end, True)
    return read_end, write_end


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _printing(pid: int) -> bool:
    """Whether process ``pid`` is blocked writing into a full pipe (Linux's /proc)."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text().endswith("pipe_write")
    except OSError:
        return False


def _committed(store: Path, before: os.stat_result) -> bool:
    try:
        return os.stat(store).st_ino != before.st_ino  # the rename put a new file in place
    except FileNotFoundError:
        return False


def signal_at_commit(store: Path, args: list[str], signum: int, moment: str, timeout: float = 300) -> Stopped:
    """Run ``igfmap --store STORE ARGS`` (a command that writes the store) and send it ``signum``
    right after its commit point: at ``rename``, the moment the new store is renamed into place;
    at ``index``, :data:`INTO_THE_BUILD` later, while its index is being built; at ``summary``,
    once it is blocked printing its summary (its stdout is a pipe already full, read only after
    the signal)."""
    assert moment in MOMENTS
    before = os.stat(store)
    read_end, write_end = _full_pipe()
    proc = subprocess.Popen(
        [IGFMAP, "--store", str(store), *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        # A shell's background job ignores SIGINT, and Python keeps an ignored SIGINT ignored:
        # the command gets Ctrl-C's usual disposition, as in a terminal.
        preexec_fn=_default_sigint,
    )
    os.close(write_end)
    deadline = time.monotonic() + timeout
    on_time = False
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if _committed(store, before) and (moment != "summary" or _printing(proc.pid)):
                time.sleep(INTO_THE_BUILD if moment == "index" else 0)
                proc.send_signal(signum)
                on_time = proc.poll() is None
                break
            time.sleep(0.02 if moment == "summary" else 0.002)
        os.set_blocking(read_end, False)  # drain what it printed, so that it can end
        while proc.poll() is None and time.monotonic() < deadline + 30:
            try:
                os.read(read_end, 1 << 16)
            except BlockingIOError:
                time.sleep(0.01)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(read_end)
    return Stopped(proc.returncode, err.decode(), on_time)


# --- damaging an index ------------------------------------------------------------------------


def _sql(index: Path, statement: str) -> None:
    with sqlite3.connect(index) as db:
        assert db.execute(statement).rowcount > 0  # the damage is really done


def garbage_in_the_middle(index: Path) -> None:
    data = bytearray(index.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = os.urandom(8192)
    index.write_bytes(bytes(data))


def flip_name_letter(index: Path, entity: str = "igf") -> None:
    """One byte of the entity's JSON changed (a letter of its name, in another case): the row
    is still valid JSON of the same length, and every count is unchanged."""
    with sqlite3.connect(index) as db:
        (record,) = db.execute("SELECT record FROM entities WHERE id = ?", (entity,)).fetchone()
        at = bytes(record).index(b'"name":"') + len(b'"name":"')
        flipped = bytearray(record)
        flipped[at] ^= 0x20
        db.execute("UPDATE entities SET record = ? WHERE id = ?", (bytes(flipped), entity))


#: Damage done to the index of a store holding the seed (entity ``igf`` and its relations).
DAMAGE: dict[str, Callable[[Path], None]] = {
    "bytes flipped in a row's JSON": flip_name_letter,
    "a relation's end changed": lambda index: _sql(
        index,
        "UPDATE relations SET source = 'afigf' WHERE rowid = "
        "(SELECT min(rowid) FROM relations WHERE source = 'igf')",
    ),
    "names changed": lambda index: _sql(
        index, "UPDATE entities SET names = replace(names, 'forum', 'farum')"
    ),
    "garbage in the middle": garbage_in_the_middle,
    "truncated JSON row": lambda index: _sql(
        index, "UPDATE entities SET record = substr(record, 1, 20) WHERE id = 'igf'"
    ),
    "relation rows deleted": lambda index: _sql(index, "DELETE FROM relations WHERE source = 'igf'"),
    "entity row deleted": lambda index: _sql(index, "DELETE FROM entities WHERE id = 'afigf'"),
}

__all__ = ["DAMAGE", "IGFMAP", "MOMENTS", "Stopped", "flip_name_letter", "signal_at_commit"]
