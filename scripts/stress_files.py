"""Stress the file side of issue 11: SIGKILL during load, export and report, and concurrent writers.

Each row kills (or races) the real ``igfmap`` command in its own process and then checks what a
user would find:

- ``load``: the store is the old one or the new one, byte for byte, and parses; the next command
  leaves no temporary file beside it.
- ``export csv`` / ``report``: the folder is the old one or the new one whole (its manifest
  matches every file), never a mix; the next run leaves no staging folder.
- concurrent writers: N ``load`` processes of distinct entities into one store at once; every
  entity is in the store afterwards (no lost update).
- store replaced during ``load`` (``cp other.json s.json`` at a random moment, as a program
  that ignores the lock would): the replacement's entities are never lost; either the load
  refuses (exit 1, the store is the replacement, byte for byte) or it ran wholly before or
  after the copy.
- simultaneous exports: five ``export`` processes into one folder; the ledger lists all five,
  each recognised as igfmap's own.

Prints a Markdown table (``| what was tried | runs | outcome | lost | reproduce |``) for
RELIABILITY.md. Usage::

    .venv/bin/python scripts/stress_files.py [--runs 20] [--entities 20000] [--writers 8]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def igfmap(*args: object, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mapper.cli", "-q", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mapper.cli", "-q", *map(str, args)], cwd=cwd, capture_output=True, text=True
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return [
        p.name
        for p in folder.iterdir()
        if ".igfmap-" in p.name and p.name.endswith((".tmp", ".tmpdir", ".old"))
    ]


def timed(args: list[object], cwd: Path) -> float:
    started = time.monotonic()
    proc = run(*args, cwd=cwd)
    if proc.returncode != 0:
        raise SystemExit(f"igfmap {' '.join(map(str, args))} failed: {proc.stderr}")
    return time.monotonic() - started


def kill_at_random(
    args: list[object], cwd: Path, duration: float, rng: random.Random, late: bool = False
) -> bool:
    """Start the command, SIGKILL it at a random moment of its usual duration; True if killed.

    ``late``: aim at the second half, where the write happens (reading and validating come first).
    """
    proc = igfmap(*args, cwd=cwd)
    start = duration * 0.5 if late else 0.05
    time.sleep(rng.uniform(start, duration * 1.2))  # now and then it finishes first
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return killed


def folder_whole(folder: Path) -> bool:
    from mapper.outputs import MANIFEST, foreign_entry

    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return foreign_entry(folder, manifest["kind"]) is None


def stress_load(work: Path, runs: int, entities: int, rng: random.Random) -> dict:
    from benchmarks.generate import generate
    from mapper.store import read_store_file
    from mapper.writers import write_dataset

    big = work / "big.json"
    write_dataset(generate(entities, seed=1), big, "json")
    store = work / "store.json"
    init = run("--store", store, "init", cwd=work)
    assert init.returncode == 0, init.stderr
    before = store.read_bytes()
    old = sha(store)
    # What the finished load writes (same data, same bytes): measured on a copy.
    probe = work / "probe.json"
    probe.write_bytes(before)
    duration = timed(["--store", probe, "load", big], work)
    new = sha(probe)
    killed = lost = states_old = states_new = 0
    for _ in range(runs):
        killed += kill_at_random(["--store", store, "load", big], work, duration, rng, late=True)
        digest = sha(store)
        try:
            read_store_file(store)
        except Exception:
            lost += 1
            continue
        states_old += digest == old
        states_new += digest == new
        lost += digest not in (old, new)
        run("--store", store, "stats", cwd=work)  # the next command sweeps a killed writer's temp file
        lost += bool(leftovers(work))
        store.write_bytes(before)  # the old store again for the next run
    return {
        "what": f"SIGKILL at a random moment of the second half of `load` ({entities:,} entities, "
        f"{duration:.1f} s) into a store",
        "runs": runs,
        "outcome": f"{killed} killed mid-run; store old {states_old}x, new {states_new}x, always parses; "
        "no temp file after the next command",
        "lost": lost,
        "reproduce": f"scripts/stress_files.py --only load --runs {runs} --entities {entities}",
    }


def stress_folder(work: Path, runs: int, kind: str, rng: random.Random) -> dict:
    store = work / "store.json"
    if not store.exists():
        run("--store", store, "init", cwd=work)
    out = work / f"out-{kind}"
    args: list[object] = (
        ["--store", store, "report", "--out", out]
        if kind == "report"
        else ["--store", store, "export", "--format", "csv", "--out", out]
    )
    duration = timed(args, work)
    killed = lost = 0
    for i in range(runs):
        # Alternate what is in the folder so old and new differ: full graph / one focus.
        varied = [*args, "--as-of", f"2025-0{1 + i % 9}-01"]
        killed += kill_at_random(varied, work, duration, rng)
        if out.exists() and not folder_whole(out):
            lost += 1
        done = run(*varied, cwd=work)
        lost += done.returncode != 0 or not folder_whole(out) or bool(leftovers(work))
    what = "`report --out DIR`" if kind == "report" else "`export --format csv --out DIR`"
    return {
        "what": f"SIGKILL at a random moment of {what} ({duration:.1f} s) over an earlier one",
        "runs": runs,
        "outcome": f"{killed} killed mid-run; the folder was always the old or the new one whole "
        "(manifest matches every file); the next run replaced it and left no staging folder",
        "lost": lost,
        "reproduce": f"scripts/stress_files.py --only {kind} --runs {runs}",
    }


def stress_writers(work: Path, runs: int, writers: int) -> dict:
    from mapper.store import read_store_file

    store = work / "concurrent.json"
    lost = 0
    for r in range(runs):
        if store.exists():
            store.unlink()
        files = []
        for w in range(writers):
            path = work / f"w{w}.yaml"
            path.write_text(
                f"schema_version: 1\nsources:\n- {{id: s{w}, kind: self_report, title: T}}\n"
                f"entities:\n- {{id: e-{w}-{r}, type: organization, name: W{w}, sources: [s{w}]}}\n",
                encoding="utf-8",
            )
            files.append(path)
        procs = [igfmap("--store", store, "load", f, cwd=work) for f in files]
        codes = [p.wait() for p in procs]
        ids = set(read_store_file(store).entities)
        lost += sum(1 for w in range(writers) if f"e-{w}-{r}" not in ids) + sum(c != 0 for c in codes)
    return {
        "what": f"{writers} `load` processes into one new store at once",
        "runs": runs,
        "outcome": f"every run: all {writers} exit 0 and all {writers} entities are in the store",
        "lost": lost,
        "reproduce": f"scripts/stress_files.py --only writers --runs {runs} --writers {writers}",
    }


def stress_replaced(work: Path, runs: int, entities: int, rng: random.Random) -> dict:
    from benchmarks.generate import generate
    from mapper.store import read_store_file, write_store_file

    store, other, incoming = work / "replaced.json", work / "other.json", work / "incoming.json"
    write_store_file(other, generate(30, seed=9))
    write_store_file(incoming, generate(30, seed=11))
    wanted = set(read_store_file(other).entities)
    replacement = other.read_bytes()
    lost = refused = 0
    for _ in range(runs):
        write_store_file(store, generate(entities, seed=4))
        proc = igfmap("--store", store, "load", incoming, cwd=work)
        time.sleep(rng.uniform(0.0, 0.8))
        store.write_bytes(replacement)  # in place, as cp does
        code = proc.wait()
        if code == 1 and store.read_bytes() == replacement:
            refused += 1
        elif code != 0 or not wanted <= set(read_store_file(store).entities):
            lost += 1
        lost += len(leftovers(work))
    return {
        "what": f"store replaced (`cp`) at a random moment of a `load` into {entities:,} entities",
        "runs": runs,
        "outcome": f"{refused} refused with the replacement kept byte for byte; the others ran "
        "wholly before or after the copy (its entities all kept); no temp file",
        "lost": lost,
        "reproduce": f"scripts/stress_files.py --only replaced --runs {runs} --entities {entities}",
    }


def stress_exports(work: Path, runs: int, exports: int = 5) -> dict:
    from mapper.outputs import LEDGER, is_own_file
    from mapper.store import init_store

    store, out = work / "exports.json", work / "ledger-out"  # not "exports": it would shadow the package
    init_store(store, force=True)
    out.mkdir(exist_ok=True)
    names = [f"e{i}.json" for i in range(exports)]
    lost = 0
    for _ in range(runs):
        procs = [
            igfmap("--store", store, "export", "--format", "json", "--force", "--out", out / n, cwd=work)
            for n in names
        ]
        lost += sum(p.wait() != 0 for p in procs)
        listed = json.loads((out / LEDGER).read_text(encoding="utf-8"))["files"]
        lost += sum(1 for n in names if n not in listed or not is_own_file(out / n, "export-json"))
    return {
        "what": f"{exports} `export` processes into one folder at once",
        "runs": runs,
        "outcome": f"every run: all {exports} exit 0, listed in the ledger and recognised as igfmap's own",
        "lost": lost,
        "reproduce": f"scripts/stress_files.py --only exports --runs {runs}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--entities", type=int, default=20000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--only", choices=["load", "export", "report", "writers", "replaced", "exports"], action="append"
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    only = set(args.only or ["load", "export", "report", "writers", "replaced", "exports"])
    rows = []
    with tempfile.TemporaryDirectory(prefix="igfmap-stress-files-") as tmp:
        work = Path(tmp)
        os.chdir(work)
        if "load" in only:
            rows.append(stress_load(work, args.runs, args.entities, rng))
        if "export" in only:
            rows.append(stress_folder(work, args.runs, "export", rng))
        if "report" in only:
            rows.append(stress_folder(work, args.runs, "report", rng))
        if "writers" in only:
            rows.append(stress_writers(work, args.runs, args.writers))
        if "replaced" in only:
            rows.append(stress_replaced(work, args.runs, args.entities, rng))
        if "exports" in only:
            rows.append(stress_exports(work, args.runs))
    print("| what was tried | runs | outcome | lost | reproduce |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['what']} | {row['runs']} | {row['outcome']} | {row['lost']} | `{row['reproduce']}` |")
    return 1 if any(row["lost"] for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
