"""Benchmark runner: each operation of ours against a baseline measured in the same run.

    python -m benchmarks.run            # sizes 500, 2000, 10000 entities -> BENCHMARKS.md
    python -m benchmarks.run --quick    # sizes 200, 500 (a smoke run, printed to stdout)
    python -m benchmarks.run --only xlsx   # one pair (the XLSX export: 1,000, 4,000, 20,000 entities)
    python -m benchmarks.run --neo4j    # also Neo4j push throughput (starts a local server)

Figures are ratios (ours / baseline, so 3.0x means ours takes three times as long) because
absolute times depend on the machine; both sides of a pair run on the same data, in the same
process, one right after the other. Each time is the best of up to ``--repeats`` runs, fewer
when runs are slow (a case stops repeating once it has spent ``--budget`` seconds), with a
garbage collection before each run and the collector left on (it is part of the real cost).
A case is skipped at a size when its previous size predicts one run would exceed
``--max-seconds``; BENCHMARKS.md says so rather than leaving the row out silently.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import importlib.util
import json
import logging
import math
import os
import platform
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx

from benchmarks.commands import LARGE_ROUNDS, MAP_IMPORTS_LABEL, NAMED_SIZES, SEED_ROUNDS
from benchmarks.curve import render_curve
from benchmarks.generate import generate
from benchmarks.rounds import render_intake_scale
from mapper.dataset import Dataset, to_graph
from mapper.store import EmbeddedStore, dumps, read_store_file, write_store_file

ROOT = Path(__file__).resolve().parent.parent
FULL_SIZES = (500, 2000, 10000)
QUICK_SIZES = (200, 500)
# The XLSX export's own sizes (issue 26: it was quadratic, 79.7 s at 4,000 entities): far enough
# apart to show the growth, 20,000 where the old writer never finished.
XLSX_SIZES = (1000, 4000, 20000)
NEO4J_MAX_SIZE = 2000  # row-by-row MERGE at 10k entities would take minutes
CURVE_SVG = "docs/bench-curve.svg"  # the cost curve, relative to the report (BENCHMARKS.md)
MEMORY_MAX_READ_SECONDS = 10.0  # tracemalloc slows a load several times over
BROWSER_ENTITIES = 2000  # the size, and the most nodes a map draws (html_map.MAX_NODES)
BROWSER_CAP = 120.0
BROWSER_REPEATS = 3
SEED = 0
LAYOUT_SEED = 42


# --- timing ---------------------------------------------------------------------------------


@dataclass
class Timing:
    best: float
    runs: int


def measure_pair(
    ours: Callable[[], object],
    base: Callable[[], object],
    setup: Callable[[], object] | None = None,
    repeats: int = 5,
    budget: float = 3.0,
) -> tuple[Timing, Timing]:
    """Best wall times of ``ours`` and ``base``, run alternately so that both see the same
    machine load. Each side runs at least once and at most ``repeats`` times, and stops
    repeating once its runs have taken ``budget`` seconds. ``setup`` runs untimed before each run.
    """
    times: dict[str, list[float]] = {"ours": [], "base": []}
    fns = {"ours": ours, "base": base}

    def wants(side: str) -> bool:
        done = times[side]
        return not done or (len(done) < repeats and sum(done) < budget)

    while wants("ours") or wants("base"):
        for side in ("ours", "base"):
            if not wants(side):
                continue
            if setup is not None:
                setup()
            gc.collect()
            start = time.perf_counter()
            fns[side]()
            times[side].append(time.perf_counter() - start)
    return Timing(min(times["ours"]), len(times["ours"])), Timing(min(times["base"]), len(times["base"]))


@dataclass
class Row:
    n: int
    ours: Timing | None = None
    base: Timing | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.base is None or self.base.best <= 0:
            return None
        return self.ours.best / self.base.best


@dataclass
class Case:
    """A pair: our operation and its baseline, measured by ``run(ctx) -> (ours, base, note)``."""

    key: str
    title: str
    ours: str
    baseline: str
    why: str
    run: Callable[[SizeContext], tuple[Timing, Timing, str]]
    max_n: int | None = None
    # Its own sizes, instead of the run's (in a run without --sizes and --quick).
    sizes: tuple[int, ...] | None = None
    rows: list[Row] = field(default_factory=list)
    unavailable: str = ""
    close: Callable[[], None] | None = None
    # Expected growth exponent of one run with size, until two sizes give a measured one.
    growth: float = 2.0

    def predicted(self, n: int) -> float | None:
        """Seconds one run (ours + baseline) would take at ``n``, extrapolated from the sizes
        measured so far (growth exponent from the last two sizes, ``growth`` with only one)."""
        done = [(r.n, r.ours.best + r.base.best) for r in self.rows if r.ours and r.base]
        if not done:
            return None
        n1, t1 = done[-1]
        exponent = self.growth
        if len(done) >= 2:
            n0, t0 = done[-2]
            if t0 > 0 and n1 > n0:
                exponent = max(1.0, math.log(t1 / t0) / math.log(n1 / n0))
        return t1 * (n / n1) ** exponent


@dataclass
class SizeContext:
    """Everything one size's cases share (built once per size, outside every timing)."""

    n: int
    dataset: Dataset
    store_path: Path
    tmp: Path
    repeats: int
    budget: float

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return to_graph(self.dataset)

    def pair(
        self,
        ours: Callable[[], object],
        base: Callable[[], object],
        setup: Callable[[], object] | None = None,
    ) -> tuple[Timing, Timing]:
        return measure_pair(ours, base, setup, self.repeats, self.budget)


# --- the cases ------------------------------------------------------------------------------


def case_read(ctx: SizeContext) -> tuple[Timing, Timing, str]:
    path = ctx.store_path
    ours, base = ctx.pair(lambda: read_store_file(path), lambda: json.loads(path.read_text(encoding="utf-8")))
    return ours, base, ""


def case_open(ctx: SizeContext) -> tuple[Timing, Timing, str]:
    from mapper.store import open_store

    path = ctx.store_path
    open_store(path)  # untimed: makes sure the index is current (the store was just written)
    ours, base = ctx.pair(
        lambda: open_store(path).dataset, lambda: json.loads(path.read_text(encoding="utf-8"))
    )
    return ours, base, ""


def case_write(ctx: SizeContext) -> tuple[Timing, Timing, str]:
    dataset, doc = ctx.dataset, ctx.dataset.to_document()
    ours_path, base_path = ctx.tmp / "write-ours.json", ctx.tmp / "write-base.json"

    def bare() -> None:
        with open(base_path, "w", encoding="utf-8") as handle:
            json.dump(doc, handle)

    ours, base = ctx.pair(lambda: write_store_file(ours_path, dataset), bare)
    return ours, base, ""


def case_serialise(ctx: SizeContext) -> tuple[Timing, Timing, str]:
    dataset, doc = ctx.dataset, ctx.dataset.to_document()
    return *ctx.pair(lambda: dumps(dataset), lambda: json.dumps(doc)), ""


def case_graph(ctx: SizeContext) -> tuple[Timing, Timing, str]:
    dataset = ctx.dataset
    ids = sorted(dataset.entities)
    edges = [(r["source"], r["target"], "|".join(k)) for k, r in dataset.relations.items()]

    def bare() -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(ids)
        graph.add_edges_from(edges)
        return graph

    return *ctx.pair(lambda: to_graph(dataset), bare), ""


def case_gaps(ctx: SizeContext) -> tuple[Timing, Timing, str]:
    from queries.gaps import run_gaps

    store = EmbeddedStore(ctx.dataset)
    graph = store.graph  # built once, as a command holding an open store would have it
    report = run_gaps(store)
    ours, base = ctx.pair(
        lambda: run_gaps(store), lambda: sum(1 for _ in nx.weakly_connected_components(graph))
    )
    counts = report.counts
    fired = sum(1 for v in counts.values() if v)
    return ours, base, f"{len(report.findings)} findings; {fired}/{len(counts)} rules fire"


def _fixed_positions(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Cheap deterministic positions, so that the map pair compares building, not layout."""
    rng = random.Random(LAYOUT_SEED)
    spread = 110.0 * math.sqrt(max(1, graph.number_of_nodes()))
    return {
        n: (round(rng.uniform(-spread, spread), 1), round(rng.uniform(-spread, spread), 1))
        for n in sorted(graph)
    }


def stock_pyvis_html(graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]] | None = None) -> str:
    """What a pyvis user writes: ``add_node``/``add_edge`` per item, then ``generate_html``
    (vis-network inlined: pyvis's default ``cdn_resources`` fetches it from a CDN). With
    ``positions``, nodes are placed there and physics is off; without, pyvis's defaults
    (physics on: vis-network stabilises the layout in the browser)."""
    from pyvis.network import Network

    from exports import style

    ecol = style.entity_colours({a.get("type") for _, a in graph.nodes(data=True)})
    rcol = style.relation_colours({a.get("type") for _, _, a in graph.edges(data=True)})
    net = Network(directed=True, cdn_resources="in_line")
    for node, attrs in graph.nodes(data=True):
        placed = {"x": positions[node][0], "y": positions[node][1]} if positions is not None else {}
        net.add_node(
            node,
            label=attrs.get("name") or node,
            shape=style.shape(attrs.get("category")),
            color=ecol.get(attrs.get("type"), style.FALLBACK_COLOUR),
            title=f"{attrs.get('type')}: {attrs.get('name')}",
            **placed,
        )
    for u, v, attrs in graph.edges(data=True):
        net.add_edge(u, v, title=attrs.get("type"), color=rcol.get(attrs.get("type"), style.FALLBACK_COLOUR))
    if positions is not None:
        net.toggle_physics(False)
    return net.generate_html(notebook=False)


def case_map(ctx: SizeContext) -> tuple[Timing, Timing, str]:
    from unittest import mock

    from exports import html_map

    graph = ctx.graph
    positions = _fixed_positions(graph)
    calls: list[int] = []

    def positions_for(
        g: nx.MultiDiGraph, seed: int = LAYOUT_SEED, **_: Any
    ) -> dict[str, tuple[float, float]]:
        calls.append(1)
        return positions

    # Both sides get the same precomputed positions: layout has its own pair below.
    with mock.patch.object(html_map, "compute_positions", positions_for):
        html = html_map.render_map(graph, seed=LAYOUT_SEED)
        base_html = stock_pyvis_html(graph, positions)
        # The baseline never calls compute_positions, so the patch does not touch it.
        ours, base = ctx.pair(
            lambda: html_map.render_map(graph, seed=LAYOUT_SEED), lambda: stock_pyvis_html(graph, positions)
        )
    note = f"page {len(html.encode()) / 1e6:.1f} MB vs {len(base_html.encode()) / 1e6:.1f} MB"
    if not calls:
        note += "; our layout was not replaced (included in ours)"
    return ours, base, note


def case_layout(ctx: SizeContext) -> tuple[Timing, Timing, str]:
    import igraph

    from exports.layout import compute_positions

    graph = ctx.graph

    def igraph_defaults() -> list[list[float]]:
        nodes = sorted(graph)
        index = {n: i for i, n in enumerate(nodes)}
        pairs = sorted(
            {(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v}
        )
        return igraph.Graph(n=len(nodes), edges=pairs).layout_fruchterman_reingold().coords

    ours, base = ctx.pair(lambda: compute_positions(graph, seed=LAYOUT_SEED), igraph_defaults)
    return ours, base, ""


def case_xlsx(ctx: SizeContext) -> tuple[Timing, Timing, str]:
    from mapper.writers import write_dataset

    dataset = ctx.dataset
    ours_path, base_path = ctx.tmp / "export.xlsx", ctx.tmp / "export-csv"
    ours, base = ctx.pair(
        lambda: write_dataset(dataset, ours_path, "xlsx"), lambda: write_dataset(dataset, base_path, "csv")
    )
    return ours, base, f"{ours_path.stat().st_size / 1e6:.1f} MB workbook"


CASES: list[Case] = [
    Case(
        "read",
        "Read + validate a store file",
        "`mapper.store.read_store_file` (parse, validate every record, build the Dataset)",
        "`json.loads` of the same file",
        "the cost of validation and of the positions kept for error messages",
        case_read,
        growth=1.0,
    ),
    Case(
        "open",
        "Open the store and read it whole (current index)",
        "`mapper.store.open_store(path).dataset` (checksum against the index, parse, no validation)",
        "`json.loads` of the same file",
        "what a whole-store command pays to read the store once it has been validated",
        case_open,
        growth=1.0,
    ),
    Case(
        "write",
        "Write the store",
        "`mapper.store.write_store_file` (canonical document, lock, temp file, fsync, rename, "
        "then the SQLite index rebuilt)",
        "bare `json.dump` of the same document to a file",
        "the cost of canonical order, indentation, a crash-safe write and the index",
        case_write,
        growth=1.0,
    ),
    Case(
        "serialise",
        "Serialise the store (no I/O)",
        "`mapper.store.dumps` (canonical, sorted, indented)",
        "`json.dumps` of the same document",
        "the write pair without the file system: canonicalisation and indentation only",
        case_serialise,
        growth=1.0,
    ),
    Case(
        "graph",
        "Build the graph view",
        "`mapper.dataset.to_graph` (sorted, every field as an attribute)",
        "`nx.MultiDiGraph` from bare node ids and (u, v, key) edges",
        "what every query command pays after loading",
        case_graph,
        growth=1.0,
    ),
    Case(
        "gaps",
        "All gap rules (embedded store)",
        "`queries.gaps.run_gaps` (all 8 rules, graph already built)",
        "one traversal of the whole graph (`nx.weakly_connected_components`)",
        "the ratio reads as 'all rules cost this many full graph traversals'",
        case_gaps,
        growth=1.0,
    ),
    Case(
        "map",
        "HTML map, layout excluded",
        "`exports.html_map.render_map` (own template, records for the cards, CSP, vis-network inlined)",
        "stock pyvis: `Network.add_node`/`add_edge` per item, then `generate_html` (vis-network inlined)",
        "both get the same precomputed positions; ours also embeds every record and source for the cards",
        case_map,
    ),
    Case(
        "layout",
        "Map layout",
        "`exports.layout.compute_positions` (as shipped: see its docstring for the algorithm per size)",
        "python-igraph `layout_fruchterman_reingold()` with its defaults, graph conversion included",
        "the positions every map and figure needs",
        case_layout,
    ),
    Case(
        "xlsx",
        "XLSX export",
        "`mapper.writers.write_dataset(..., 'xlsx')` (openpyxl write-only mode, every cell text)",
        "`mapper.writers.write_dataset(..., 'csv')` of the same dataset (three CSV files)",
        "the XLSX export must grow linearly, as CSV does (it was quadratic: 79.7 s at 4,000 entities)",
        case_xlsx,
        growth=1.0,
        sizes=XLSX_SIZES,
    ),
]


def check_available(case: Case) -> str:
    """Why a case cannot run here ('' when it can): packages being built, optional extras."""
    needs = {
        "gaps": ("queries.gaps",),
        "map": ("exports.html_map", "pyvis"),
        "layout": ("exports.layout", "igraph"),
    }.get(case.key, ())
    for name in needs:
        try:
            __import__(name)
        except ImportError as err:
            return f"not measured: `{name}` cannot be imported ({err})"
    return ""


# --- Neo4j (opt-in) -------------------------------------------------------------------------


def load_neo4jctl() -> ModuleType:
    """scripts/neo4jctl.py (scripts/ is not a package, so load it by path)."""
    path = ROOT / "scripts" / "neo4jctl.py"
    if "neo4jctl" in sys.modules:
        return sys.modules["neo4jctl"]
    spec = importlib.util.spec_from_file_location("neo4jctl", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["neo4jctl"] = module
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def row_by_row() -> Iterator[None]:
    """Make the Neo4j store send its very statements one row per round trip (batch size 1)."""
    from mapper.neo4j import writes

    original = writes._batches

    def single(rows: list[dict], size: int = 1) -> Iterator[list[dict]]:
        for row in rows:
            yield [row]

    writes._batches = single
    try:
        yield
    finally:
        writes._batches = original


def neo4j_case(uri: str) -> Case:
    from mapper.neo4j import Neo4jStore
    from mapper.neo4j.writes import BATCH_SIZE

    store = Neo4jStore.connect(uri, prompt=False)

    def run(ctx: SizeContext) -> tuple[Timing, Timing, str]:
        dataset = ctx.dataset
        # Untimed warm-up: a fresh server plans each statement once (~0.2 s each) and the JVM
        # is cold; without this the first timed side pays for both.
        store.wipe()
        store.write_dataset(generate(100, seed=SEED + 1))

        # A push is one-shot (the second would update in place), so wipe before every run.
        def single_rows() -> None:
            with row_by_row():
                store.write_dataset(dataset)

        ours, base = ctx.pair(lambda: store.write_dataset(dataset), single_rows, setup=store.wipe)
        # The database holds whichever side ran last: it must hold everything.
        assert store.counts() == dataset.counts(), "a push lost data"
        items = sum(dataset.counts().values())
        return ours, base, f"{items / ours.best:,.0f} vs {items / base.best:,.0f} items/s"

    case = Case(
        "neo4j",
        "Neo4j push",
        f"`Neo4jStore.write_dataset` (UNWIND batches of {BATCH_SIZE}, MATCH with labels)",
        "the same statements one row per round trip (row-by-row MERGE)",
        "real Neo4j Community server from scripts/neo4jctl.py on 127.0.0.1; constraints in place on both sides",
        run,
        max_n=NEO4J_MAX_SIZE,
        growth=1.0,
        close=store.close,
    )
    return case


# --- memory ---------------------------------------------------------------------------------


@dataclass
class Memory:
    """Peak and retained traced bytes of each loading step (see :func:`measure_memory`)."""

    n: int
    file_bytes: int
    steps: list[tuple[str, int, int]]  # (what, peak, retained afterwards)
    note: str = ""


def measure_memory(path: Path, n: int, note: str) -> Memory:
    """Traced peaks of json.loads, of a validated read, and of the graph view built on top of
    it, with what each leaves allocated (one traced read only: tracing is slow)."""
    gc.collect()
    tracemalloc.start()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        json_step = tracemalloc.get_traced_memory()
        del doc
        gc.collect()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        dataset = read_store_file(path)
        current, peak = tracemalloc.get_traced_memory()
        read_step = (current - base, peak - base)
        tracemalloc.reset_peak()
        graph = EmbeddedStore(dataset, path).graph  # the dataset stays alive, as in a command
        current, peak = tracemalloc.get_traced_memory()
        open_step = (current - base, max(read_step[1], peak - base))
        del graph, dataset
    finally:
        tracemalloc.stop()
    steps = [
        ("baseline: `json.loads` of the file", json_step[1], json_step[0]),
        ("`read_store_file` (read + validate)", read_step[1], read_step[0]),
        ("`read_store_file` + graph view (what a command holds)", open_step[1], open_step[0]),
    ]
    return Memory(n, path.stat().st_size, steps, note)


# --- report ---------------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "–"
    # Two decimals near and below 1, and wherever one decimal would hide which side of a
    # target the figure is on (2.03× shown as "2.0×" next to "does not hold").
    return f"{ratio:.1f}×" if ratio >= 10 else f"{ratio:.2f}×"


def fmt_mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def versions() -> str:
    names = ("networkx", "pyvis", "python-igraph", "PyYAML", "neo4j")
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return ", ".join(found)


def render(
    cases: list[Case],
    data_rows: list[dict[str, Any]],
    memory: Memory | None,
    args: argparse.Namespace,
    started: datetime,
    elapsed: float,
    left_out: list[str],
    scales: list[Any] | None = None,
    seed: Any = None,
    in_browser: Any = None,
    neo4j_scales: list[Any] | None = None,
    curve_link: str | None = None,
    intakes: list[Any] | None = None,
) -> str:
    cmd = " ".join(["python -m benchmarks.run", *args.argv])
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{cmd}` on {started:%Y-%m-%d %H:%M} UTC in {elapsed:.0f} s. "
        "Do not edit by hand: rerun to refresh (see [Reproduce](#reproduce)).",
        "",
        "Every figure is a **ratio against a baseline measured in the same run**, on the same data, "
        "in the same process: ratio = ours / baseline, so `4.0×` means our operation takes four times "
        "as long as the baseline and `0.50×` half as long. Absolute times are there to judge scale; "
        "they depend on the machine.",
        "",
        "## Machine",
        "",
        f"- CPUs: {os.cpu_count()} ({platform.machine()}, {platform.system()} {platform.release()})",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- load average (1/5/15 min) when the run started: {args.load}; other processes share the "
        "machine, which is why ours and the baseline alternate",
        f"- {versions()}",
        "",
        "## Data",
        "",
        f"Synthetic datasets from `benchmarks/generate.py` (seed {SEED}): an `igf` root with its "
        "bodies, Dynamic Coalitions, NRIs, policy networks and BPFs, outside governments, organisations "
        "and UN entities, processes with activities, events and documents, objectives and commitments; "
        "every relation type, mixed statuses and sources so that every gap rule has findings.",
        "",
        "| entities | relations | sources | store file | generated in |",
        "|---:|---:|---:|---:|---:|",
    ]
    for d in data_rows:
        lines.append(
            f"| {d['entities']:,} | {d['relations']:,} | {d['sources']:,} | {fmt_mb(d['bytes'])} | {fmt_time(d['seconds'])} |"
        )
    lines += [
        "",
        f"Times are the best of up to {args.repeats} runs (a side stops repeating after "
        f"{args.budget:g} s, so slow cases may have one run; the runs column says how many), with "
        "`time.perf_counter`, ours and the baseline alternating, a garbage collection before each "
        "run and the collector left on.",
        "",
        "## Summary (largest size measured)",
        "",
        "| operation | entities | ours | baseline | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for case in cases:
        done = [r for r in case.rows if r.ratio is not None]
        if not done:
            continue
        r = done[-1]
        assert r.ours is not None and r.base is not None
        lines.append(
            f"| [{case.title}](#{case.key}) | {r.n:,} | {fmt_time(r.ours.best)} | {fmt_time(r.base.best)} | **{fmt_ratio(r.ratio)}** |"
        )
    if in_browser is not None:
        lines.append(browser_summary_row(in_browser))
    lines += render_commands(scales or [], seed)
    lines += render_curve(scales or [], curve_link)
    lines += render_profiles(scales or [], seed)
    for intake in intakes or []:
        lines += render_intake_scale(intake)
    lines += render_browser(in_browser)
    if neo4j_scales:
        from benchmarks.neo4j_scale import render_neo4j

        lines += render_neo4j(neo4j_scales, fmt_time)
    lines += ["", "## Results", ""]
    for case in cases:
        lines += [
            f'<a id="{case.key}"></a>',
            f"### {case.title}",
            "",
            f"- ours: {case.ours}",
            f"- baseline: {case.baseline}",
            f"- what the ratio shows: {case.why}",
            "",
        ]
        if case.unavailable:
            lines += [case.unavailable, ""]
            continue
        lines += [
            "| entities | ours | baseline | ratio | runs (ours/baseline) | notes |",
            "|---:|---:|---:|---:|---:|---|",
        ]
        for r in case.rows:
            if r.ours is None or r.base is None:
                lines.append(f"| {r.n:,} | – | – | – | – | {r.note} |")
                continue
            lines.append(
                f"| {r.n:,} | {fmt_time(r.ours.best)} | {fmt_time(r.base.best)} | {fmt_ratio(r.ratio)} "
                f"| {r.ours.runs}/{r.base.runs} | {r.note} |"
            )
        lines.append("")
    lines += ["## Memory", ""]
    if memory is None:
        lines += ["Not measured in this run.", ""]
    else:
        json_peak = memory.steps[0][1]
        lines += [
            f"Python allocations traced with `tracemalloc` while loading the {memory.n:,}-entity store "
            f"({fmt_mb(memory.file_bytes)} of JSON): the peak during each step and what stays allocated "
            f"after it. {memory.note}".rstrip(),
            "",
            "| what | peak | retained | peak × file size | peak × `json.loads` peak |",
            "|---|---:|---:|---:|---:|",
        ]
        for label, peak, retained in memory.steps:
            lines.append(
                f"| {label} | {fmt_mb(peak)} | {fmt_mb(retained)} | {peak / memory.file_bytes:.1f}× "
                f"| {peak / json_peak:.1f}× |"
            )
        lines.append("")
    if left_out:
        lines += ["## Not measured", ""]
        lines += [f"- {item}" for item in left_out]
        lines.append("")
    lines += [
        "## Reproduce",
        "",
        "```sh",
        "make bench                       # or: .venv/bin/python -m benchmarks.run",
        ".venv/bin/python -m benchmarks.run --quick     # small sizes only (about half a minute), to stdout",
        ".venv/bin/python -m benchmarks.run --neo4j     # adds the Neo4j push pair (starts a local server)",
        ".venv/bin/python -m benchmarks.run --commands seed,M,L   # whole commands: the seed, ~30k and ~300k relations",
        ".venv/bin/python -m benchmarks.run --sizes 200 --commands 1k,10k --out check/BENCH.md   # small end of the cost curve (plot: check/docs/)",
        ".venv/bin/python -m benchmarks.run --sizes 500 --commands browser --screenshots out/   # the map in Chromium",
        ".venv/bin/python -m benchmarks.run --commands neo4j-L   # Neo4j push vs LOAD CSV, gap rules and queries in Cypher at L",
        ".venv/bin/python -m benchmarks.generate --entities 5000 --out big.json   # a dataset to try by hand",
        "```",
        "",
        "Options: `--sizes 500,2000`, `--repeats N`, `--budget SECONDS` (per case and size), "
        "`--max-seconds S` (skip a size whose predicted single run is longer), `--out FILE`, "
        "`--browser-entities N`, `--browser-cap SECONDS`, `--screenshots DIR`.",
        "",
    ]
    return "\n".join(lines)


#: Targets for whole commands, as a ratio to the floor (issue 10, tightened by issue 25). At L
#: the floor is json.load + networkx; on the seed it is ``igfmap --help``.
SCALE_TARGETS = {
    "igfmap who": 0.1,
    "igfmap what": 0.1,
    "igfmap show": 0.1,
    "igfmap gaps": 0.5,  # in every format (table, json, csv, md)
    "igfmap load": 1.5,
}
SEED_TARGETS = {"igfmap gaps": 3.0, "igfmap who": 3.0, "igfmap map": 3.0, "igfmap report": 8.0}
#: Peak RSS of every query command (all but load) at L, as a ratio to the floor's.
QUERY_RSS_TARGET = 1.2


def _verdict(ratio: float, limit: float | None) -> str:
    if limit is None:
        return ""
    return f"≤ {limit:g}×: {'holds' if ratio <= limit else '**does not hold**'}"


def _limit(label: str, targets: dict[str, float]) -> float | None:
    if label.endswith("(hub)"):
        return None  # the hub's answer is most of the store: no target, shown for scale
    return next((v for k, v in targets.items() if label.startswith(k)), None)


def render_commands(scales: list[Any], seed: Any) -> list[str]:
    """The whole-command tables: each command's wall time and peak RSS against the floor."""
    if not scales and seed is None:
        return []
    lines = [
        "",
        '<a id="commands"></a>',
        "## Whole commands (fresh processes)",
        "",
        "Each command ran in its own process, under `/usr/bin/time` (peak RSS) with "
        "`time.perf_counter` around it (wall): start-up, imports, opening the store and printing "
        "(into a file, as `> out.json` would) included, with the project's bytecode compiled beforehand as an install has it. At M "
        f"and L each figure is the best of {LARGE_ROUNDS} rounds in which the floor and the commands "
        f"take turns (the load too, each into an empty store), at smaller sizes the best of "
        f"{SEED_ROUNDS} rounds; on the seed the best of "
        f"{SEED_ROUNDS} rounds in which `--help` and the commands take turns. `export --format "
        "json|csv` write the whole store into a file (a folder for csv) beside it. See "
        "`benchmarks/commands.py` for how the entities were picked.",
    ]
    for scale in scales:
        floor = scale.floor
        lines += [
            "",
            f"### {scale.name}: {scale.entities:,} entities, {scale.relations:,} relations, "
            f"{fmt_mb(scale.file_bytes)} store",
            "",
            f"Floor: `json.load` of the store file + a networkx `MultiDiGraph` built from it, in a fresh "
            f"process: {fmt_time(floor.seconds)}, peak RSS {fmt_mb(floor.peak_rss)}.",
            "",
            "| command | wall | × floor | target | peak RSS | × floor's RSS |",
            "|---|---:|---:|---|---:|---:|",
        ]
        for run in scale.runs:
            ratio = run.seconds / floor.seconds
            rss = run.peak_rss / floor.peak_rss if floor.peak_rss else 0.0
            # The targets are set at L; at smaller sizes start-up dominates the floor.
            target = _verdict(ratio, _limit(run.label, SCALE_TARGETS)) if scale.name == "L" else ""
            if scale.name == "L" and not run.label.startswith("igfmap load"):
                target += "; " if target else ""
                target += f"RSS ≤ {QUERY_RSS_TARGET:g}×: " + (
                    "holds" if rss <= QUERY_RSS_TARGET else "**does not hold**"
                )
            lines.append(
                f"| `{run.label}` | {fmt_time(run.seconds)} | {fmt_ratio(ratio)} | {target} "
                f"| {fmt_mb(run.peak_rss)} | {fmt_ratio(rss)} |"
            )
    if seed is not None:
        base = seed.help
        lines += [
            "",
            "### The seed store",
            "",
            f"Floor: `igfmap --help`: {fmt_time(base.seconds)}, peak RSS {fmt_mb(base.peak_rss)}.",
            "",
            "| command | wall | × `--help` | target | peak RSS |",
            "|---|---:|---:|---|---:|",
        ]
        for run in seed.runs:
            ratio = run.seconds / base.seconds
            lines.append(
                f"| `{run.label}` | {fmt_time(run.seconds)} | {fmt_ratio(ratio)} "
                f"| {_verdict(ratio, _limit(run.label, SEED_TARGETS))} | {fmt_mb(run.peak_rss)} |"
            )
        imports = next((r for r in seed.runs if r.label == MAP_IMPORTS_LABEL), None)
        if imports is not None:
            lines += [
                "",
                f"The last row is what `igfmap map` cannot go under: the libraries it must import "
                f"(networkx for the graph, numpy for the layout, jinja2 for the page, Pillow for "
                f"text widths; pyvis left out), in a bare interpreter, take "
                f"{fmt_ratio(imports.seconds / base.seconds)} the time of `igfmap --help` before "
                f"any igfmap code is imported or any store read.",
            ]
    return lines


def render_profiles(scales: list[Any], seed: Any) -> list[str]:
    """Where the time of each command that missed its target goes."""
    runs = [(s.name, r) for s in scales for r in s.runs] + [("seed", r) for r in (seed.runs if seed else [])]
    runs = [(name, r) for name, r in runs if r.profile]
    if not runs:
        return []
    lines = [
        "",
        '<a id="profiles"></a>',
        "## Profiles of the commands that miss their targets",
        "",
        "Each command that missed ran once more under cProfile in this run (same store, same "
        "arguments). The entries are the functions with the most cumulative time, leaving out "
        "frames that only pass the call on (typer, imports). cProfile slows Python code more than "
        "C, so its seconds are larger than the wall times above; the order is what it shows.",
    ]
    for name, run in runs:
        lines += ["", f"### {name}: `{run.label}`", "", "```", *run.profile, "```"]
    return lines


BROWSER_TARGET = 0.1  # issue 10: drawn and still at least 10x faster than pyvis's own page


def _page_time(run: Any, cap: float) -> str:
    return f"> {cap:g} s" if run is None else fmt_time(run.seconds)


def _browser_ratio(result: Any) -> str:
    ratio, bound = result.ratio()
    if ratio is None:
        return "–"
    return ("< " if bound else "") + fmt_ratio(ratio)


def browser_summary_row(result: Any) -> str:
    ours, base = result.best("ours"), result.best("base")
    return (
        f"| [Map drawn and still in Chromium](#browser) | {result.entities:,} | {_page_time(ours, result.cap)} "
        f"| {_page_time(base, result.cap)} | **{_browser_ratio(result)}** |"
    )


def render_browser(result: Any) -> list[str]:
    """The browser pair: each page's time to a drawn, still network, every run, and the target."""
    if result is None:
        return []
    from benchmarks import browser

    lines = [
        "",
        '<a id="browser"></a>',
        "## The map in the browser",
        "",
        f"One generated graph of {result.entities:,} entities and {result.relations:,} relations, two pages, "
        f"each loaded from a file in a fresh context of headless Chromium {result.chromium} "
        f"({browser.VIEWPORT['width']}×{browser.VIEWPORT['height']} viewport, software rendering, offline: "
        "outside requests fail at once), ours and the baseline alternating.",
        "",
        "- ours: the page `igfmap map` writes (`exports.html_map.write_map`, default view: positions "
        "precomputed, physics off, labels placed where they fit)",
        '- baseline: pyvis\'s own page of the same graph: `Network(directed=True, cdn_resources="in_line")` '
        "with its defaults (physics on), `add_node`/`add_edge` per item, `generate_html`",
        f"- time: from navigation start to the first of {browser.STILL_SAMPLES} consecutive samples "
        f"(one per animation frame, at least {browser.SAMPLE_MS} ms apart) in which the network's canvas "
        "is drawn (painted pixels, every node in the network) and its pixels are identical; measured "
        "inside the page by a script injected before the page's own, the same for both pages. "
        f'A page not still after {result.cap:g} s is reported as "> {result.cap:g} s" and not run again.',
        "",
        "| page | drawn and still (best) | every run | first drawn | nodes drawn | page size | outside requests |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for side, label in (("ours", "ours"), ("base", "baseline (pyvis)")):
        runs = result.runs[side]
        every = ", ".join(f"> {result.cap:g} s" if r.capped else fmt_time(r.seconds) for r in runs)
        best = result.best(side)
        drawn = [r.first_drawn for r in runs if r.first_drawn is not None]
        lines.append(
            f"| {label} | {_page_time(best, result.cap)} | {every} "
            f"| {fmt_time(min(drawn)) if drawn else 'not within the cap'} "
            f"| {max((r.nodes for r in runs), default=0):,} "
            f"| {fmt_mb(result.page_bytes[side])} | {max((r.outside_requests for r in runs), default=0)} |"
        )
    ratio, bound = result.ratio()
    verdict = "–" if ratio is None else ("holds" if ratio <= BROWSER_TARGET else "**does not hold**")
    sampling = sum(r.sampling_seconds for rs in result.runs.values() for r in rs)
    timed = sum(r.seconds for rs in result.runs.values() for r in rs)
    lines += [
        "",
        f"Ratio ours / baseline: **{_browser_ratio(result)}**"
        + (" (the baseline was capped: the true ratio is smaller)" if bound else "")
        + f"; target ≤ {BROWSER_TARGET:g}× (drawn and still at least 10× sooner): {verdict}. "
        f"Sampling the canvas took {fmt_time(sampling)} of the {fmt_time(timed)} up to the still moments "
        '(it runs on the page\'s thread, so the times include it); "nodes drawn" counts the nodes in '
        "the page's vis-network (a page still stabilising holds them all but shows none).",
    ]
    return lines


# --- main -----------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options, plus what the report needs to say how it was made (argv, machine load)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES} only")
    parser.add_argument("--sizes", help=f"comma-separated entity counts (default {FULL_SIZES})")
    parser.add_argument("--repeats", type=int, default=5, help="runs per measurement, at most (default 5)")
    parser.add_argument(
        "--budget", type=float, default=3.0, help="stop repeating after this many seconds (3)"
    )
    parser.add_argument("--max-seconds", type=float, default=90.0, help="skip sizes predicted slower (90)")
    parser.add_argument(
        "--profile-max-seconds",
        type=float,
        default=60.0,
        help="profile a command that misses its target when it took at most this long (60)",
    )
    parser.add_argument(
        "--neo4j", action="store_true", help="also measure Neo4j push (starts a local server)"
    )
    parser.add_argument(
        "--commands",
        help="also time whole igfmap commands in fresh processes: 'seed' (the bundled seed "
        "against --help) and sizes M, L or entity counts, comma-separated (e.g. seed,M,L); "
        "'browser' adds the map in headless Chromium against pyvis's own page; "
        "neo4j-L, neo4j-M or neo4j-N: Neo4j push against LOAD CSV and the Cypher rules and "
        "queries at that size (starts a server); intake-L (or intake-M, intake-N): a mapping "
        "round's 200 returns taken in against load of the same rows",
    )
    parser.add_argument(
        "--neo4j-repeats",
        type=int,
        default=1,
        help="runs of each side of the push/LOAD CSV pair at each neo4j-SIZE (default 1)",
    )
    parser.add_argument(
        "--browser-entities",
        type=int,
        default=BROWSER_ENTITIES,
        help=f"entities of the graph both browser pages draw (default {BROWSER_ENTITIES})",
    )
    parser.add_argument(
        "--browser-cap",
        type=float,
        default=BROWSER_CAP,
        help=f"seconds a page may take to become still before it is reported as capped ({BROWSER_CAP:g})",
    )
    parser.add_argument("--screenshots", help="directory for a PNG of each browser page when still")
    parser.add_argument(
        "--out", help="report file ('-' for stdout; default BENCHMARKS.md, stdout with --quick)"
    )
    parser.add_argument(
        "--only",
        help="run only these pairs, comma-separated keys (e.g. xlsx: the XLSX export at "
        f"{', '.join(map(str, XLSX_SIZES))} entities against CSV)",
    )
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    if args.sizes:
        args.size_list = tuple(sorted(int(s) for s in args.sizes.split(",")))
    else:
        args.size_list = QUICK_SIZES if args.quick else FULL_SIZES
    # A case's own sizes only in a full run: --quick and --sizes run every case at theirs.
    args.own_sizes = not (args.sizes or args.quick)
    args.only = [key for key in (args.only or "").split(",") if key]
    names = [name for name in (args.commands or "").split(",") if name]
    args.seed_commands = "seed" in names
    args.browser = "browser" in names
    # neo4j-L, neo4j-M or neo4j-2000: push against LOAD CSV, then the Cypher rules and queries.
    neo4j_names = [name.removeprefix(NEO4J_PREFIX) for name in names if name.startswith(NEO4J_PREFIX)]
    args.neo4j_sizes = [(name, _named_size(name)) for name in neo4j_names]
    # intake-L: a mapping round's returns taken in against the store, and load of the same rows.
    intake_names = [name.removeprefix(INTAKE_PREFIX) for name in names if name.startswith(INTAKE_PREFIX)]
    args.intake_sizes = [(name, _named_size(name)) for name in intake_names]
    args.command_sizes = [
        (name, _named_size(name))
        for name in names
        if name not in ("seed", "browser") and not name.startswith((NEO4J_PREFIX, INTAKE_PREFIX))
    ]
    return args


NEO4J_PREFIX = "neo4j-"
INTAKE_PREFIX = "intake-"


def _named_size(name: str) -> int:
    return NAMED_SIZES.get(name) or int(name)


@functools.lru_cache(maxsize=1)
def generated(n: int) -> Dataset:
    """The dataset of ``n`` entities, generated once per run (L takes half a minute)."""
    return generate(n, seed=SEED)


def prepare_cases(args: argparse.Namespace, left_out: list[str]) -> tuple[list[Case], Any]:
    """The cases to run (with Neo4j's when asked for and its server starts) and the server."""
    cases = [case for case in CASES if not args.only or case.key in args.only]
    for case in cases:
        case.unavailable = check_available(case)
    server = None
    if args.neo4j:
        # The driver logs server notices (e.g. "label does not exist" on an empty database).
        logging.getLogger("neo4j").setLevel(logging.ERROR)
        try:
            neo4jctl = load_neo4jctl()
            log("starting a local Neo4j server (scripts/neo4jctl.py) ...")
            server = neo4jctl.Neo4jServer().start(timeout=180)
            cases.append(neo4j_case(server.uri))
        except Exception as err:  # the rest of the run is still worth having
            left_out.append(f"Neo4j push: the server could not be started or reached ({err}).")
            if server is not None:
                server.stop()
                server = None
    else:
        left_out.append(
            "Neo4j push throughput (UNWIND batches vs row-by-row MERGE) is opt-in: run with `--neo4j` "
            "(it starts a real Neo4j server, which takes a while and needs Java and the jars)."
        )
    return cases, server


def prepare_size(n: int, tmp: Path, args: argparse.Namespace) -> tuple[SizeContext, dict[str, Any]]:
    """Generate the dataset of ``n`` entities and its store file (untimed but for generation)."""
    start = time.perf_counter()
    dataset = generate(n, seed=SEED)
    generated = time.perf_counter() - start
    path = tmp / f"store-{n}.json"
    write_store_file(path, dataset)
    counts = dataset.counts()
    log(f"n={n}: {counts['relations']} relations, {path.stat().st_size / 1e6:.1f} MB")
    data_row = {**counts, "bytes": path.stat().st_size, "seconds": generated}
    return SizeContext(n, dataset, path, tmp, args.repeats, args.budget), data_row


def run_case(case: Case, ctx: SizeContext, max_seconds: float) -> Row:
    """One case at one size, or a row saying why it was skipped."""
    n = ctx.n
    if case.max_n is not None and n > case.max_n:
        return Row(n, note=f"skipped: this pair runs up to {case.max_n:,} entities")
    predicted = case.predicted(n)
    if predicted is not None and predicted > max_seconds:
        log(f"  {case.key}: skipped (predicted {predicted:.0f} s)")
        return Row(n, note=f"skipped: one run predicted to take ~{predicted:.0f} s (> {max_seconds:g} s)")
    ours, base, note = case.run(ctx)
    row = Row(n, ours, base, note)
    log(f"  {case.key}: {fmt_time(ours.best)} vs {fmt_time(base.best)} ({fmt_ratio(row.ratio)})")
    return row


def case_sizes(case: Case, sizes: tuple[int, ...], own: bool) -> tuple[int, ...]:
    """The sizes ``case`` runs at: its own when it has some and ``own`` (a full run), else ``sizes``."""
    return case.sizes if own and case.sizes else sizes


def run_sizes(
    cases: list[Case], sizes: tuple[int, ...], tmp: Path, args: argparse.Namespace
) -> tuple[list[dict[str, Any]], dict[int, float]]:
    """Every available case at every size; the data table rows and the read times by size."""
    data_rows: list[dict[str, Any]] = []
    reads: dict[int, float] = {}
    wanted = {case.key: case_sizes(case, sizes, args.own_sizes) for case in cases if not case.unavailable}
    for n in sorted(set().union(*wanted.values())):
        ctx, data_row = prepare_size(n, tmp, args)
        data_rows.append(data_row)
        for case in cases:
            if case.unavailable or n not in wanted[case.key]:
                continue
            row = run_case(case, ctx, args.max_seconds)
            case.rows.append(row)
            if case.key == "read" and row.ours is not None:
                reads[n] = row.ours.best
    return data_rows, reads


def memory_step(
    sizes: tuple[int, ...], reads: dict[int, float], tmp: Path, left_out: list[str]
) -> Memory | None:
    """Memory at the largest size whose load is quick enough to trace."""
    fit = [n for n in sizes if reads.get(n, math.inf) <= MEMORY_MAX_READ_SECONDS]
    if not fit:
        left_out.append("Memory: every load was too slow to trace within the run's time limit.")
        return None
    n = fit[-1]
    note = ""
    if n != sizes[-1]:
        largest = sizes[-1]
        took = (
            f"one untraced load of {largest:,} entities took {reads[largest]:.0f} s"
            if largest in reads
            else f"the read pair was skipped at {largest:,} entities as too slow"
        )
        note = f"Not the largest size: {took}, and tracing multiplies a load's time several times."
    log(f"memory at n={n} ...")
    return measure_memory(tmp / f"store-{n}.json", n, note)


def commands_step(args: argparse.Namespace, tmp: Path, left_out: list[str]) -> tuple[list[Any], Any]:
    """Whole commands at the ``--commands`` sizes and on the seed (:mod:`benchmarks.commands`)."""
    if not args.command_sizes and not args.seed_commands:
        left_out.append(
            "Whole commands (fresh processes, against the json.load + networkx floor) are opt-in: "
            "run with `--commands seed,M,L` (as `make bench` does)."
        )
        return [], None
    from benchmarks import commands

    why = commands.available()
    if why:
        left_out.append(f"Whole commands: {why}.")
        return [], None
    commands.compile_bytecode()
    seed = None
    if args.seed_commands:
        log("seed commands ...")
        seed = commands.measure_seed(tmp, log)
    scales = []
    for name, n in args.command_sizes:
        log(f"commands at {name} ({n:,} entities) ...")
        scales.append(commands.measure_scale(name, generated(n), tmp, log))
        if name == "L":  # the size the targets are set at
            _profile_misses(scales[-1].runs, scales[-1].floor, SCALE_TARGETS, args.profile_max_seconds)
    if seed is not None:
        _profile_misses(seed.runs, seed.help, SEED_TARGETS, args.profile_max_seconds)
    return scales, seed


def _profile_misses(runs: list[Any], floor: Any, targets: dict[str, float], max_seconds: float) -> None:
    """Profile each command that misses its target (see :func:`benchmarks.commands.profile`)."""
    from benchmarks import commands

    for run in runs:
        limit = _limit(run.label, targets)
        # A load would now update the store it filled; the others read and can run again.
        if limit is None or run.seconds / floor.seconds <= limit or run.label.startswith("igfmap load"):
            continue
        if run.seconds > max_seconds:
            run.profile = [f"(not profiled: {fmt_time(run.seconds)} is over --profile-max-seconds)"]
            continue
        log(f"  profiling {run.label} (misses its target) ...")
        run.profile = commands.profile(run)


def intake_step(args: argparse.Namespace, tmp: Path) -> list[Any]:
    """Intake of a round's returns against ``load`` of the same rows (:mod:`benchmarks.rounds`)."""
    from benchmarks import commands, rounds

    results = []
    for name, n in args.intake_sizes:
        log(f"intake at {name} ({n:,} entities) ...")
        commands.compile_bytecode()
        results.append(rounds.measure_intake_scale(name, generated(n), tmp))
        log(f"  intake {results[-1].ours.seconds:.1f} s, load {results[-1].base.seconds:.1f} s")
    return results


def browser_step(args: argparse.Namespace, tmp: Path, left_out: list[str]) -> Any:
    """The map in headless Chromium against pyvis's own page (:mod:`benchmarks.browser`)."""
    if not args.browser:
        left_out.append(
            "The map in the browser (headless Chromium, navigation to a drawn and still network, against "
            "pyvis's own page of the same graph) is opt-in: run with `--commands browser` (as `make bench` does)."
        )
        return None
    from benchmarks import browser

    why = browser.missing_reason()
    if why:
        left_out.append(f"The map in the browser: {why}.")
        return None
    log(f"browser: {args.browser_entities:,} entities, cap {args.browser_cap:g} s ...")
    work = tmp / "browser"
    work.mkdir()
    return browser.measure(
        args.browser_entities,
        work,
        repeats=min(args.repeats, BROWSER_REPEATS),
        cap=args.browser_cap,
        screenshots=Path(args.screenshots) if args.screenshots else None,
        log=log,
    )


def neo4j_scale_step(args: argparse.Namespace, left_out: list[str]) -> list[Any]:
    """Neo4j push against LOAD CSV, then every gap rule and query in Cypher, at each
    ``--commands neo4j-SIZE`` (:mod:`benchmarks.neo4j_scale`; a server of its own)."""
    if not args.neo4j_sizes:
        left_out.append(
            "Neo4j at scale (push against `LOAD CSV`, each gap rule and query in Cypher) is opt-in: "
            "run with `--commands ...,neo4j-L` (it starts a real Neo4j server)."
        )
        return []
    from benchmarks.neo4j_scale import measure_neo4j_scale

    results = []
    for name, n in args.neo4j_sizes:
        log(f"Neo4j at {name} ({n:,} entities) ...")
        results.append(measure_neo4j_scale(name, generated(n), log, repeats=args.neo4j_repeats))
    return results


def output_file(args: argparse.Namespace) -> str:
    """BENCHMARKS.md, or stdout ('-'): a quick run must not overwrite the committed figures unless asked."""
    return str(args.out or ("-" if args.quick else str(ROOT / "BENCHMARKS.md")))


def curve_step(args: argparse.Namespace, scales: list[Any]) -> str | None:
    """The cost curve's SVG beside the report (``docs/bench-curve.svg``); its link, or None."""
    out = output_file(args)
    if out == "-":
        return None
    from benchmarks.curve import write_curve_svg

    svg = Path(out).parent / CURVE_SVG
    return CURVE_SVG if write_curve_svg(scales, svg) else None


def write_output(text: str, args: argparse.Namespace, elapsed: float) -> None:
    """The report, to :func:`output_file`."""
    out = output_file(args)
    if out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        log(f"wrote {out} ({elapsed:.0f} s)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, clock = datetime.now(timezone.utc), time.perf_counter()
    left_out: list[str] = []
    cases, server = prepare_cases(args, left_out)
    try:
        with tempfile.TemporaryDirectory(prefix="igfmap-bench-") as tmpdir:
            tmp = Path(tmpdir)
            data_rows, reads = run_sizes(cases, args.size_list, tmp, args)
            memory = memory_step(args.size_list, reads, tmp, left_out)
            scales, seed = commands_step(args, tmp, left_out)
            intakes = intake_step(args, tmp)
            in_browser = browser_step(args, tmp, left_out)
            neo4j_scales = neo4j_scale_step(args, left_out)
    finally:
        for case in cases:
            if case.close is not None:
                case.close()
        if server is not None:
            server.stop()
    for case in cases:
        if case.unavailable:
            left_out.append(f"{case.title}: {case.unavailable}")
    elapsed = time.perf_counter() - clock
    curve_link = curve_step(args, scales)
    text = render(
        cases,
        data_rows,
        memory,
        args,
        started,
        elapsed,
        left_out,
        scales,
        seed,
        in_browser,
        neo4j_scales,
        curve_link,
        intakes,
    )
    write_output(text, args, elapsed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
