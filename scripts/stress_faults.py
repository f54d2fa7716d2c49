"""Stress the faults of issue 26, N runs a row; prints RELIABILITY.md rows (``make stress``).

- ``signal``: SIGINT and SIGTERM to a real ``igfmap load`` right after its commit point: at the
  rename, while its index is rebuilt, and while it prints its summary: the message
  must say the store was written, the exit be 130 (SIGINT) or 143 (SIGTERM), the store hold the
  load, and the next command find a current index and no temp file.
- ``index``: each kind of index damage of ``tests/faults.py`` (flipped bytes, garbage, lost
  rows...) on a seed store: ``show``, ``stats`` and ``search`` must answer as a fresh index does.
- ``pull-push``: ``pull`` started at a random moment of a ``push`` (real processes, a real
  server): the pulled store is the whole pushed dataset, or the pull refused and wrote nothing.
- ``stall``: ``pull`` through a loopback proxy that freezes after a random number of bytes
  (``tests/neo4j/freezing_proxy.py``), with ``--neo4j-timeout 3``: exit 3 within the bound,
  the store unchanged, no temp file.

The fault code is the tests' own (``tests/faults.py``, ``tests/neo4j/freezing_proxy.py``).
Usage::

    .venv/bin/python scripts/stress_faults.py [--runs 3] [--only signal,index,pull-push,stall]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmarks.generate import generate  # noqa: E402
from mapper.index import StoreIndex, digest_file, index_path  # noqa: E402
from mapper.store import init_store, read_store_file, write_store_file  # noqa: E402
from tests.faults import DAMAGE, IGFMAP, MOMENTS, signal_at_commit  # noqa: E402

#: One RELIABILITY.md row: what was tried, runs, outcome, lost, reproduce.
Row = tuple[str, int, str, str, str]
QUERIES = (("show", "igf"), ("stats",), ("search", "forum"))


def igfmap(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([IGFMAP, *args], capture_output=True, text=True, timeout=timeout, check=False)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".igfmap-" in p.name]


@contextmanager
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="igfmap-stress-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def signal_once(signum: int, moment: str, entities: int, seed: int) -> tuple[bool, bool]:
    """One signalled load; (ended as documented, the signal came while the index was building)."""
    word, code = ("interrupted", 130) if signum == signal.SIGINT else ("terminated", 143)
    with scratch() as folder:
        store = folder / "s.json"
        init_store(store)
        incoming = folder / "in.json"
        write_store_file(incoming, generate(entities, seed=seed))
        stopped = signal_at_commit(store, ["load", str(incoming)], signum, moment)
        written = f"error: {word} after the change was written: {os.path.realpath(store)} was written in full"
        during_index = stopped.stderr.endswith("its index was not (the next command rebuilds it)\n")
        honest = stopped.stderr in (
            written + "\n",
            written + "; its index was not (the next command rebuilds it)\n",
        )
        loaded = set(read_store_file(incoming).entities) <= set(read_store_file(store).entities)
        after = igfmap("--store", str(store), "stats")
        current = StoreIndex.open(store, digest_file(store))
        ok = stopped.on_time and stopped.returncode == code and honest and loaded
        ok = ok and after.returncode == 0 and current is not None and not leftovers(folder)
        if current is not None:
            current.close()
        if not ok:
            print(f"  unexpected: exit {stopped.returncode}, {stopped.stderr!r}", file=sys.stderr)
    return ok, during_index


def stress_signals(runs: int, entities: int) -> list[Row]:
    rows: list[Row] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        name = signal.Signals(signum).name
        for moment in MOMENTS:
            size = 30 if moment == "summary" else entities
            outcomes = [signal_once(signum, moment, size, seed) for seed in range(runs)]
            ok = sum(o for o, _ in outcomes)
            building = sum(b for _, b in outcomes)
            where = {
                "rename": f"the moment its new store was renamed into place (load of {size:,} entities)",
                "index": f"50 ms after its new store was renamed into place, its index building ({size:,} entities)",
                "summary": f"while it was blocked printing its summary into a full pipe ({size} entities)",
            }[moment]
            code = 130 if signum == signal.SIGINT else 143
            rows.append(
                (
                    f"{name} to `load` {where}",
                    runs,
                    f"{ok}/{runs} as documented: exit {code}, one line `error: "
                    f"{'interrupted' if code == 130 else 'terminated'} after the change was written: "
                    f"S was written in full` ({building} of them added `; its index was not`), the store "
                    "held the load, the next command found a current index and no temp file",
                    "0",
                    f"`scripts/stress_faults.py --only signal --runs {runs}`",
                )
            )
    return rows


def answers(store: Path) -> dict[tuple[str, ...], str]:
    return {q: igfmap("--store", str(store), *q, "-f", "json").stdout for q in QUERIES}


def stress_index(runs: int) -> list[Row]:
    ok = total = noted = 0
    for _ in range(runs):
        for kind, damage in DAMAGE.items():
            with scratch() as folder:
                store = folder / "s.json"
                init_store(store)
                fresh = answers(store)
                for query, expected in fresh.items():
                    damage(index_path(store))
                    result = igfmap("--store", str(store), *query, "-f", "json")
                    total += 1
                    noted += "note: the index beside" in result.stderr
                    good = (result.returncode, result.stdout) == (0, expected) and not leftovers(folder)
                    ok += good
                    if not good:
                        print(f"  unexpected: {kind}, {query}: {result.stderr!r}", file=sys.stderr)
    return [
        (
            f"the index damaged ({len(DAMAGE)} kinds: {', '.join(DAMAGE)}), then `show igf`, `stats`, "
            "`search forum` on the seed store",
            runs,
            f"{ok}/{total} answers equal to a fresh index's, exit 0, no temp file; {noted} with the note "
            "`the index beside S is damaged (...); answered from the store, and the index rebuilt` (the "
            "others read no damaged row: `stats` reads the store, whose checksum matches)",
            "0",
            f"`scripts/stress_faults.py --only index --runs {runs}`",
        )
    ]


@contextmanager
def neo4j_server() -> Iterator[str]:
    import neo4jctl  # stdlib-only launcher beside this script

    home = Path(tempfile.mkdtemp(prefix="igfmap-stress-neo4j-"))
    server = neo4jctl.Neo4jServer(home=home)
    try:
        server.start(timeout=300)
        yield server.uri
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def pull_during_push_once(
    uri: str, folder: Path, seed: int, delay: float, previous: Path
) -> tuple[bool, str]:
    """One pull started ``delay`` s into a push; (as documented, how it went). The pull must end
    with the whole pushed dataset (it waited for the push), or with the whole ``previous`` one
    (it read before the push claimed the database), or refuse and write nothing."""
    source, target = folder / f"src-{seed}.json", folder / f"dst-{seed}.json"
    write_store_file(source, generate(3000, seed=seed))
    init_store(target)
    before = target.read_bytes()
    push = subprocess.Popen(
        [IGFMAP, "--neo4j", uri, "--store", str(source), "push", "--wipe"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    during = push.poll() is None
    pull = igfmap("--lock-timeout", "300", "--neo4j", uri, "--store", str(target), "pull")
    push_err = push.communicate(timeout=600)[1]
    if push.returncode != 0:
        return False, f"push exit {push.returncode}: {push_err!r}"
    if pull.returncode != 0:
        unchanged = pull.returncode == 1 and target.read_bytes() == before
        return unchanged, f"refused: {pull.stderr.strip().splitlines()[-1:]}"
    pulled = read_store_file(target)
    if pulled == read_store_file(source):
        waited = "waiting for another igfmap's push" in pull.stderr
        return True, "waited" if waited else ("whole, during" if during else "after")
    return pulled == read_store_file(previous), "the previous dataset, whole"


def stress_pull_push(runs: int, uri: str, rng: random.Random) -> list[Row]:
    outcomes: list[tuple[bool, str]] = []
    with scratch() as folder:
        previous = folder / "warm.json"
        write_store_file(previous, generate(3000, seed=99))
        began = time.monotonic()
        igfmap("--neo4j", uri, "--store", str(previous), "push", "--wipe")
        took = time.monotonic() - began
        for seed in range(runs):
            delay = rng.uniform(1.0, max(1.1, took * 0.7))
            outcomes.append(pull_during_push_once(uri, folder, seed, delay, previous))
            if not outcomes[-1][0]:
                print(f"  unexpected: {outcomes[-1][1]}", file=sys.stderr)
            previous = folder / f"src-{seed}.json"
    ok = sum(o for o, _ in outcomes)
    how = {kind: sum(h == kind for _, h in outcomes) for kind in sorted({h for _, h in outcomes})}
    return [
        (
            f"`pull` started 1-{max(1.1, took * 0.7):.1f} s into a `push --wipe` of 3,000 entities ({took:.1f} s) "
            "into the same database, real processes and server",
            runs,
            f"{ok}/{runs} as documented: never a partial store; outcomes {how} ('waited': the pull said it "
            "waited for the push, then held the whole pushed dataset; 'whole, during': the push process still "
            "ran when the pull started, which said nothing and held the whole pushed dataset; 'after': the "
            "push had ended; 'the previous dataset, whole': the pull read before the push claimed the database)",
            "0",
            f"`scripts/stress_faults.py --only pull-push --runs {runs}`",
        )
    ]


def stall_once(uri: str, folder: Path, freeze_after: int) -> tuple[bool, float]:
    from tests.neo4j.freezing_proxy import FreezingProxy

    store = folder / "s.json"
    write_store_file(store, generate(30, seed=1))
    digest = hashlib.sha256(store.read_bytes()).hexdigest()
    port = int(uri.rsplit(":", 1)[1])
    with FreezingProxy(("127.0.0.1", port), freeze_after=freeze_after) as proxy:
        began = time.monotonic()
        result = igfmap(
            "--neo4j-timeout",
            "3",
            "--neo4j",
            f"bolt://127.0.0.1:{proxy.port}",
            "--store",
            str(store),
            "pull",
            timeout=120,
        )
        took = time.monotonic() - began
        frozen = proxy.frozen.is_set()
    unchanged = hashlib.sha256(store.read_bytes()).hexdigest() == digest
    ok = frozen and result.returncode == 3 and "sent nothing for 3 s" in result.stderr and unchanged
    return ok and took < 13 and not leftovers(folder), took


def stress_stall(runs: int, uri: str, rng: random.Random) -> list[Row]:
    with scratch() as folder:
        data = folder / "data.json"
        write_store_file(data, generate(300, seed=5))
        igfmap("--neo4j", uri, "--store", str(data), "push", "--wipe")
        outcomes = [stall_once(uri, folder, rng.randint(5_000, 60_000)) for _ in range(runs)]
    ok = sum(o for o, _ in outcomes)
    times = sorted(t for _, t in outcomes)
    return [
        (
            "`pull --neo4j-timeout 3` of 300 entities through a loopback proxy that freezes (both sockets "
            "open, nothing forwarded) after a random 5-60 KB from the server",
            runs,
            f"{ok}/{runs} as documented: exit 3 after {times[0]:.1f}-{times[-1]:.1f} s with one line "
            "(`Neo4j at URI sent nothing for 3 s (a stalled network or server); gave up ...`), the store "
            "unchanged, no temp file",
            "0",
            f"`scripts/stress_faults.py --only stall --runs {runs}`",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stress_faults.py", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entities", type=int, default=10000, help="entities loaded in the signal rows")
    parser.add_argument("--only", default="signal,index,pull-push,stall")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    only, rng = set(args.only.split(",")), random.Random(args.seed)
    rows: list[Row] = []
    steps: dict[str, Callable[[], list[Row]]] = {
        "signal": lambda: stress_signals(args.runs, args.entities),
        "index": lambda: stress_index(args.runs),
    }
    for name in ("signal", "index"):
        if name in only:
            rows += steps[name]()
    if only & {"pull-push", "stall"}:
        with neo4j_server() as uri:
            if "pull-push" in only:
                rows += stress_pull_push(args.runs, uri, rng)
            if "stall" in only:
                rows += stress_stall(args.runs, uri, rng)
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    return 0 if all(_all_ok(row[2]) for row in rows) else 1


def _all_ok(outcome: str) -> bool:
    """Whether an outcome that starts "OK/TOTAL ..." counts every run as documented."""
    good, _, total = outcome.split(" ", 1)[0].partition("/")
    return good == total


if __name__ == "__main__":
    sys.exit(main())
