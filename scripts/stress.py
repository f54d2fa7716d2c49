#!/usr/bin/env python3
"""Fault loops too long for the test suite; their figures go in RELIABILITY.md (``make stress``).

    python scripts/stress.py push-kill [--runs 5] [--entities 20000] [--seed 1]

``push-kill``: each run starts a Neo4j server in a fresh home, runs ``igfmap push`` of a
generated dataset as a separate process, SIGKILLs the server once a randomly chosen share of
the entities (or, in half the runs, of the relations) is in, and records what the push did:
its exit code, how long it took to give up after the kill, its stderr. Then it restarts the
server on the same home and checks that ``stats`` warns about the incomplete push, that the
next ``push`` completes it (same counts as the dataset), and that ``stats`` is quiet again.

Prints one line per run and a summary row in RELIABILITY.md's table format; exits 1 if any run
did not end as documented (exit 3, one error line naming the server, warning, convergence).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import neo4jctl  # noqa: E402  (stdlib-only launcher beside this script)

IGFMAP = [str(Path(sys.executable).parent / "igfmap")]  # the venv's igfmap, beside its python


@dataclass
class Run:
    phase: str
    target: int
    at_kill: dict[str, int] = field(default_factory=dict)
    push_code: int | None = None
    exit_after_kill: float = 0.0
    stderr: list[str] = field(default_factory=list)
    after_restart: dict[str, int] = field(default_factory=dict)
    warned: bool = False
    repush_code: int | None = None
    converged: bool = False
    quiet_after: bool = False

    def ok(self, uri: str) -> bool:
        errors = [line for line in self.stderr if line.startswith("error:")]
        notes = [line for line in self.stderr if line.startswith("note:")]
        return (
            self.push_code == 3
            and len(errors) == 1
            and uri in errors[0]
            and len(errors) + len(notes) == len(self.stderr)
            and self.warned
            and self.repush_code == 0
            and self.converged
            and self.quiet_after
        )


def _counts(driver: object) -> dict[str, int]:
    query = (
        "CALL () { MATCH (n:Entity) RETURN count(n) AS entities } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS all_rels } "
        "CALL () { MATCH ()-[r:SOURCED_FROM]->() RETURN count(r) AS provenance } "
        "RETURN entities, all_rels - provenance AS relations"
    )
    records, _, _ = driver.execute_query(query, database_="neo4j")  # type: ignore[attr-defined]
    return {"entities": records[0]["entities"], "relations": records[0]["relations"]}


def _igfmap(uri: str, store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*IGFMAP, "--neo4j", uri, "--store", str(store), *args], capture_output=True, text=True, check=False
    )


def push_kill_once(store: Path, expected: dict[str, int], rng: random.Random) -> tuple[Run, str]:
    import neo4j

    phase = rng.choice(["entities", "relations"])
    run = Run(phase=phase, target=int(expected[phase] * rng.uniform(0.1, 0.9)))
    home = Path(tempfile.mkdtemp(prefix="igfmap-stress-"))
    server = neo4jctl.Neo4jServer(home=home)
    server.start(timeout=300)
    uri, port = server.uri, server.port
    try:
        with neo4j.GraphDatabase.driver(uri) as driver:
            push = subprocess.Popen(
                [*IGFMAP, "--neo4j", uri, "--store", str(store), "push"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            while push.poll() is None:
                counts = _counts(driver)
                if counts[phase] >= run.target:
                    break
                time.sleep(0.2)
            if push.poll() is not None:
                raise RuntimeError(f"the push finished before the kill (target {run.target} {phase})")
            run.at_kill = _counts(driver)
            os.kill(server.pid, signal.SIGKILL)  # type: ignore[arg-type]
            killed = time.monotonic()
            _, err = push.communicate(timeout=300)
            run.exit_after_kill = time.monotonic() - killed
            run.push_code = push.returncode
            run.stderr = [line for line in err.splitlines() if line.strip()]
        server.stop()

        server = neo4jctl.Neo4jServer(home=home, port=port)
        server.start(timeout=300)
        with neo4j.GraphDatabase.driver(uri) as driver:
            run.after_restart = _counts(driver)
        stats = _igfmap(uri, store, "stats")
        run.warned = stats.returncode == 0 and "did not complete" in stats.stderr
        repush = _igfmap(uri, store, "push")
        run.repush_code = repush.returncode
        with neo4j.GraphDatabase.driver(uri) as driver:
            run.converged = _counts(driver) == {k: expected[k] for k in ("entities", "relations")}
        stats = _igfmap(uri, store, "stats")
        run.quiet_after = stats.returncode == 0 and stats.stderr.strip() == ""
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    return run, uri


def push_kill(runs: int, entities: int, seed: int) -> int:
    from benchmarks.generate import generate
    from mapper.neo4j import configure_driver_logging
    from mapper.store import write_store_file

    configure_driver_logging(debug=False)  # this script's own polling driver stays quiet too

    rng = random.Random(seed)
    dataset = generate(entities, seed=seed)
    expected = dataset.counts()
    ok = 0
    exits: list[float] = []
    lost_before: list[str] = []
    with tempfile.TemporaryDirectory(prefix="igfmap-stress-store-") as tmp:
        store = Path(tmp) / "store.json"
        write_store_file(store, dataset)
        print(f"push-kill: {runs} runs, dataset {expected}", flush=True)
        for number in range(1, runs + 1):
            run, uri = push_kill_once(store, expected, rng)
            good = run.ok(uri)
            ok += good
            exits.append(run.exit_after_kill)
            lost_before.append(
                f"{expected['entities'] - run.after_restart['entities']} entities, "
                f"{expected['relations'] - run.after_restart['relations']} relations"
            )
            print(
                f"run {number}: {'ok' if good else 'NOT OK'}; killed in the {run.phase} phase at "
                f"{run.at_kill}; push exit {run.push_code} {run.exit_after_kill:.1f} s after the kill, "
                f"{len(run.stderr)} stderr lines; after restart {run.after_restart}; stats warned: "
                f"{run.warned}; re-push exit {run.repush_code}, converged: {run.converged}; "
                f"quiet after: {run.quiet_after}",
                flush=True,
            )
            for line in run.stderr:
                print(f"    | {line}", flush=True)
    print()
    print("| what was tried | runs | outcome | lost | reproduce |")
    print("|---|---|---|---|---|")
    print(
        f"| Neo4j server SIGKILLed during `push` of {expected['entities']:,} entities / "
        f"{expected['relations']:,} relations | {runs} | {ok}/{runs} as documented: exit 3 "
        f"{min(exits):.1f}-{max(exits):.1f} s after the kill with one error line; `stats` warned; the "
        f"next `push` completed it | before the re-push: {'; '.join(lost_before)}; after it: nothing | "
        f"`make stress` (`python scripts/stress.py push-kill --runs {runs} --entities {entities} "
        f"--seed {seed}`) |"
    )
    return 0 if ok == runs else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stress.py", description=(__doc__ or "").split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    kill = sub.add_parser("push-kill", help="SIGKILL the Neo4j server during push, then check the outcome")
    kill.add_argument("--runs", type=int, default=5)
    kill.add_argument("--entities", type=int, default=20000)
    kill.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    # SIGTERM (Ctrl-C's sibling) unwinds like Ctrl-C, so each run stops its server and home.
    signal.signal(signal.SIGTERM, _interrupt)
    return push_kill(args.runs, args.entities, args.seed)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
