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
from dataclasses import dataclass
from pathlib import Path

from mapper.dataset import Dataset

#: Named sizes (entities). M has about 30,000 relations, L about 300,000 (the issue's sizes).
NAMED_SIZES = {"M": 15000, "L": 150000}
TIME = "/usr/bin/time"

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


def run_measured(label: str, argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` once under /usr/bin/time: wall time (perf_counter) and peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as stats:
        stats_path = Path(stats.name)
    try:
        cmd = [TIME, "-f", "%M", "-o", str(stats_path), *argv]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        lines = stats_path.read_text().strip().splitlines()
    finally:
        stats_path.unlink(missing_ok=True)
    kib = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if proc.returncode not in (0, 4):
        raise RuntimeError(f"{label}: exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return Run(label, argv, seconds, kib * 1024, proc.returncode, len(proc.stdout.splitlines()))


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
    query commands on that store (each in a fresh process)."""
    from mapper.store import dumps

    work = tmp / f"scale-{name}"
    work.mkdir()
    data_file = work / "input.json"
    data_file.write_text(dumps(dataset), encoding="utf-8")
    store = work / "store.json"
    base = [*igfmap(), "--quiet", "--store", str(store)]
    picks = pick_entities(dataset)
    # L is bigger than the default input limits (64 MB, 100,000 records a section): raise them,
    # as a user loading such a file would (docs/limits.md).
    limits = ["--limit", "file-mb=4096", "--limit", "rows=10000000"]
    load = [*base, *limits, "load", str(data_file)]
    runs = [run_measured("igfmap load (into an empty store)", load, work)]
    log(f"  {name}: load {runs[-1].seconds:.1f} s")
    floor = run_measured("floor", [sys.executable, "-c", FLOOR_CODE, str(store)], work)
    log(f"  {name}: floor {floor.seconds:.1f} s")
    for label, args in (
        (f"igfmap who {picks['who']}", ["who", picks["who"]]),
        (f"igfmap what {picks['what']}", ["what", picks["what"]]),
        (f"igfmap show {picks['show']}", ["show", picks["show"]]),
        (f"igfmap show {picks['hub']} (hub)", ["show", picks["hub"]]),
        ("igfmap search wsis", ["search", "wsis"]),
        ("igfmap stats", ["stats"]),
        ("igfmap gaps (all rules)", ["gaps"]),
    ):
        runs.append(run_measured(label, [*base, *args], work))
        log(f"  {name}: {label} {runs[-1].seconds:.1f} s")
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
    help_run = run_measured("igfmap --help", [*igfmap(), "--help"], work, env)
    runs = []
    for label, args in (
        ("igfmap gaps", ["gaps"]),
        ("igfmap who gdc-implementation", ["who", "gdc-implementation"]),
        ("igfmap map", ["map", "--out", str(work / "map.html")]),
        ("igfmap report", ["report", "--out", str(work / "report")]),
    ):
        runs.append(run_measured(label, [*base, *args], work, env))
        log(f"  seed: {label} {runs[-1].seconds:.2f} s")
    return SeedResult(help_run, runs)


def available() -> str:
    """Why whole commands cannot be measured here ('' when they can)."""
    if not Path(TIME).exists() and not shutil.which("time"):
        return f"{TIME} is missing (Debian package `time`)"
    return ""
