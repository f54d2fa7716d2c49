"""Whole commands, as a user runs them: ``igfmap ...`` in a fresh process, timed against a floor.

Each command runs once in its own process under ``/usr/bin/time`` (wall time and peak RSS), so
start-up, imports, opening the store and printing are all counted. Figures are ratios against
floors measured in the same run:

* at a generated size (M, L): the floor is ``json.load`` of the store file plus building a
  networkx ``MultiDiGraph`` from it (every field as an attribute), in a fresh process: what
  any tool that keeps the graph in one JSON file pays before answering anything;
* on the seed: ``igfmap --help`` (the price of starting the CLI at all).

Entities are picked deterministically: for ``who`` the activity with the median number of
engagements among engaged activities, for ``what`` the actor with the median number, for
``show`` the entity with the median number of relations, and for ``show (hub)`` the entity with
the most (``igf``: its output is most of the store's relations to it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mapper.dataset import Dataset

#: Named sizes (entities). M has about 30,000 relations, L about 300,000 (the issue's sizes);
#: 1k and 10k are the small points of the cost curve (benchmarks/curve.py).
NAMED_SIZES = {"1k": 1000, "10k": 10000, "M": 15000, "L": 150000}
TIME = "/usr/bin/time"
#: Rounds of the seed commands (each figure is the best round).
SEED_ROUNDS = 3
#: Rounds at M and L, the floor's and each command's in turn (each figure is the best round).
LARGE_ROUNDS = 2

FLOOR_CODE = """
import json, sys
import networkx as nx
with open(sys.argv[1], encoding="utf-8") as handle:
    doc = json.load(handle)
graph = nx.MultiDiGraph()
graph.add_nodes_from((e["id"], e) for e in doc["entities"])
graph.add_edges_from((r["source"], r["target"], "|".join((r["source"], r["type"], r["target"], r.get("role", ""))), r)
                     for r in doc["relations"])
print(graph.number_of_nodes(), graph.number_of_edges())
"""


@dataclass
class Run:
    """One command in its own process."""

    label: str
    argv: list[str]
    seconds: float
    peak_rss: int  # bytes
    exit_code: int
    output_lines: int
    cwd: Path | None = None
    #: For a command that misses its target: where its time goes (see :func:`profile`).
    profile: list[str] = field(default_factory=list)


def run_measured(label: str, argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` once under /usr/bin/time: wall time (perf_counter) and peak RSS.

    Its output goes to a file, as ``igfmap gaps --format json > findings.json`` writes it: not
    through a pipe into this process, which would read and decode it meanwhile (73 MB of JSON
    at L) inside the time measured.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as stats:
        stats_path = Path(stats.name)
    try:
        cmd = [TIME, "-f", "%M", "-o", str(stats_path), *argv]
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE, text=True)
            seconds = time.perf_counter() - start
            out.seek(0)
            output_lines = sum(chunk.count(b"\n") for chunk in iter(lambda: out.read(1 << 20), b""))
        lines = stats_path.read_text().strip().splitlines()
    finally:
        stats_path.unlink(missing_ok=True)
    kib = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if proc.returncode not in (0, 4):
        raise RuntimeError(f"{label}: exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return Run(label, argv, seconds, kib * 1024, proc.returncode, output_lines, cwd)


def best_of_rounds(
    commands: list[tuple[str, list[str]]], cwd: Path, rounds: int, env: dict[str, str] | None = None
) -> dict[str, Run]:
    """Each command's fastest run over ``rounds`` rounds in which the commands take turns, so a
    busy moment on a shared machine hits both sides of a ratio alike (insertion order kept)."""
    best: dict[str, Run] = {}
    for _ in range(rounds):
        for label, argv in commands:
            run = run_measured(label, argv, cwd, env)
            if label not in best or run.seconds < best[label].seconds:
                best[label] = run
    return best


def igfmap() -> list[str]:
    """The CLI of this checkout, run by the current interpreter."""
    return [sys.executable, "-m", "mapper.cli"]


def _median(items: list[tuple[int, str]]) -> str:
    ranked = sorted(items)
    return ranked[len(ranked) // 2][1]


def pick_entities(dataset: Dataset) -> dict[str, str]:
    """Deterministic ids for who/what/show (see the module docstring)."""
    engaged_on: Counter[str] = Counter()
    engaging: Counter[str] = Counter()
    degree: Counter[str] = Counter()
    for rel in dataset.relations.values():
        degree[rel["source"]] += 1
        degree[rel["target"]] += 1
        if rel["type"] == "ENGAGES_IN":
            engaging[rel["source"]] += 1
            if dataset.entities[rel["target"]]["type"] == "activity":
                engaged_on[rel["target"]] += 1
    return {
        "who": _median([(c, i) for i, c in engaged_on.items()]),
        "what": _median([(c, i) for i, c in engaging.items()]),
        "show": _median([(c, i) for i, c in degree.items()]),
        "hub": max(degree, key=lambda i: (degree[i], i)),
    }


@dataclass
class ScaleResult:
    """The floor and every command at one generated size."""

    name: str
    entities: int
    relations: int
    file_bytes: int
    floor: Run
    runs: list[Run]
    picks: dict[str, str]


def measure_scale(name: str, dataset: Dataset, tmp: Path, log=print) -> ScaleResult:  # type: ignore[no-untyped-def]
    """Load ``dataset`` with ``igfmap load`` into an empty store, then time the floor and the
    query commands on that store (each in a fresh process; best of SEED_ROUNDS below M)."""
    from mapper.store import dumps

    work = tmp / f"scale-{name}"
    work.mkdir()
    data_file = work / "input.json"
    data_file.write_text(dumps(dataset), encoding="utf-8")
    store = work / "store.json"
    base = [*igfmap(), "--quiet", "--store", str(store)]
    picks = pick_entities(dataset)
    # No --limit: the default limits admit L (150,000 entities, 108 MB), as a new user runs it.
    load = [*base, "load", str(data_file)]
    # Small sizes take a second a command, where a busy moment on the shared machine would bend
    # the cost curve: best of SEED_ROUNDS there. M and L: best of LARGE_ROUNDS (a round at L
    # takes a minute; one round alone moved the gaps ratios by 0.05 between runs).
    rounds = SEED_ROUNDS if len(dataset.entities) < NAMED_SIZES["M"] else LARGE_ROUNDS
    loads = [run_measured("igfmap load (into an empty store)", load, work)]
    for extra in range(1, rounds):  # each into an empty store of its own; the queries use the first
        again = work / f"load-{extra}" / "store.json"
        again.parent.mkdir()
        loads.append(
            run_measured(loads[0].label, [*igfmap(), "--quiet", "--store", str(again), *load[-2:]], work)
        )
    runs = [min(loads, key=lambda run: run.seconds)]
    log(f"  {name}: load {runs[-1].seconds:.1f} s")
    commands = [
        ("floor", [sys.executable, "-c", FLOOR_CODE, str(store)]),
        *(
            (label, [*base, *args])
            for label, args in (
                (f"igfmap who {picks['who']}", ["who", picks["who"]]),
                (f"igfmap what {picks['what']}", ["what", picks["what"]]),
                (f"igfmap show {picks['show']}", ["show", picks["show"]]),
                (f"igfmap show {picks['hub']} (hub)", ["show", picks["hub"]]),
                ("igfmap search wsis", ["search", "wsis"]),
                ("igfmap stats", ["stats"]),
                ("igfmap gaps (all rules)", ["gaps"]),
                *((f"igfmap gaps --format {f}", ["gaps", "--format", f]) for f in ("json", "csv", "md")),
                # Exports stream too (issue 25): their peak RSS beside the queries' and the floor's.
                *(
                    (
                        f"igfmap export --format {f}",
                        ["export", "--format", f, "--force", "--out", str(work / f"export-{f}")],
                    )
                    for f in ("json", "csv")
                ),
            )
        ),
    ]
    best = best_of_rounds(commands, work, rounds)
    for label, _ in commands:
        log(f"  {name}: {label} {best[label].seconds:.1f} s")
    floor = best.pop("floor")
    runs += best.values()
    counts = dataset.counts()
    return ScaleResult(
        name, counts["entities"], counts["relations"], store.stat().st_size, floor, runs, picks
    )


@dataclass
class SeedResult:
    """``--help`` and the everyday commands on the seed store."""

    help: Run
    runs: list[Run]


def measure_seed(tmp: Path, log=print) -> SeedResult:  # type: ignore[no-untyped-def]
    """The seed store (``igfmap init``), then ``--help``, ``gaps``, ``who``, ``map``, ``report``."""
    work = tmp / "seed"
    work.mkdir()
    store = work / "store.json"
    base = [*igfmap(), "--quiet", "--store", str(store)]
    subprocess.run([*base, "init"], check=True, capture_output=True)
    env = {**os.environ}
    commands = [
        ("igfmap gaps", ["gaps"]),
        ("igfmap who gdc-implementation", ["who", "gdc-implementation"]),
        ("igfmap map", ["map", "--force", "--out", str(work / "map.html")]),
        ("igfmap report", ["report", "--force", "--out", str(work / "report")]),
    ]
    imports = (MAP_IMPORTS_LABEL, [sys.executable, "-c", MAP_IMPORTS_CODE])
    best = best_of_rounds(
        [("igfmap --help", [*igfmap(), "--help"]), imports] + [(lb, [*base, *a]) for lb, a in commands],
        work,
        SEED_ROUNDS,
        env,
    )
    for label, _ in commands:
        log(f"  seed: {label} {best[label].seconds:.2f} s")
    return SeedResult(best["igfmap --help"], [best[label] for label, _ in [*commands, imports]])


#: What the map's time cannot go under: the libraries ``igfmap map`` must import (the graph,
#: the layout, the page's template, text widths), imported in a bare interpreter with no igfmap
#: code and nothing run. Shown beside the seed commands, no target of its own.
MAP_IMPORTS_CODE = "import networkx, numpy, jinja2, PIL.ImageFont"
MAP_IMPORTS_LABEL = f"python -c '{MAP_IMPORTS_CODE}' (no igfmap code)"


#: ``python -c`` code: igfmap with the arguments after the profile's path, under cProfile.
_PROFILED = """
import atexit, cProfile, runpy, sys
out = sys.argv[1]
sys.argv = ["igfmap", *sys.argv[2:]]
profiler = cProfile.Profile()
atexit.register(lambda: (profiler.disable(), profiler.dump_stats(out)))
profiler.enable()
runpy.run_module("mapper.cli", run_name="__main__")
"""

#: Frames that only pass a call on (the CLI framework, module loading): left out of profiles.
_PASS_THROUGH = ("typer", "click", "runpy", "importlib", "<frozen", "{built-in method builtins.exec}")


def profile(run: Run, top: int = 10) -> list[str]:
    """Run ``run``'s command again under cProfile: its ``top`` functions by cumulative time
    below the command itself (the chain of calls holding most of the run is left out, as are
    frames that only pass the call on), then its ``top`` by own time.

    cProfile slows Python-level code more than C, so the seconds are larger than the
    measured wall time; the order shows where the time goes.
    """
    import pstats

    assert run.argv[1:3] == ["-m", "mapper.cli"], run.argv
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile"
        # Not `python -m cProfile -o`: igfmap ends with os._exit once its atexit handlers have
        # run (mapper.cli.common.exit_flushed), before cProfile would write; so the profile is
        # written by an atexit handler.
        argv = [run.argv[0], "-c", _PROFILED, str(out), *run.argv[3:]]
        subprocess.run(argv, cwd=run.cwd, capture_output=True, check=False)
        stats = pstats.Stats(str(out))
    root = str(Path(__file__).resolve().parent.parent) + os.sep
    total = stats.total_tt  # type: ignore[attr-defined]
    cumulative, own = [], []
    for (filename, line, function), (_, _, self_time, cum_time, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{filename.replace(root, '').split('site-packages' + os.sep)[-1]}:{line}({function})"
        if any(part in where for part in _PASS_THROUGH) or function == "<module>":
            continue
        if cum_time < 0.8 * total:  # above that: the command's own chain of calls
            cumulative.append((cum_time, where))
        own.append((self_time, where))
    lines = [f"total {total:.2f} s under cProfile", "cumulative:"]
    lines += [f"{seconds:8.2f} s  {where}" for seconds, where in sorted(cumulative, reverse=True)[:top]]
    lines.append("own time:")
    lines += [f"{seconds:8.2f} s  {where}" for seconds, where in sorted(own, reverse=True)[:top]]
    return lines


def compile_bytecode() -> None:
    """Compile the checkout's modules first, as an installed tool has them compiled: with
    ``PYTHONDONTWRITEBYTECODE`` set (it is on the benchmark machine) every command would
    otherwise compile them again, about 0.1 s each time, which no user pays."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("mapper", "queries", "exports", "seed_data"):
        compileall.compile_dir(root / package, quiet=1)


def available() -> str:
    """Why whole commands cannot be measured here ('' when they can)."""
    if not Path(TIME).exists() and not shutil.which("time"):
        return f"{TIME} is missing (Debian package `time`)"
    return ""
