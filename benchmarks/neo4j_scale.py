"""Neo4j at scale: our push against Neo4j's own ``LOAD CSV`` of the same rows, then every gap
rule and query in Cypher on the pushed data.

One real Neo4j server of its own (``scripts/neo4jctl.py`` with ``allow_file_urls``: ``LOAD
CSV`` may read files under its home's ``import/`` directory only; the launcher's default, used
everywhere else, reads no local file at all). Both sides write into the same empty database
with the same constraints and indexes (:meth:`Neo4jStore.setup`), and are wiped between runs:

* ours: :meth:`Neo4jStore.write_dataset` (what ``igfmap push`` does: UNWIND batches that
  CREATE into the empty database, each safe to retry, provenance, the push marker); then once
  more onto the pushed database, where the same batches MERGE by id/key (an upsert), untargeted;
* baseline: ``LOAD CSV WITH HEADERS`` of CSV files written beforehand (untimed) into the
  import directory, one file per entity type and per relation type (labels and relationship
  types cannot be parameters), ``CREATE`` on the empty database in ``CALL { ... } IN
  TRANSACTIONS`` of 10,000 rows: the same nodes, labels, properties (dates as ``Date``, lists
  as lists), provenance relationships and relations as ours.

Both sides must end with the same node counts per label set and relationship counts per type
(asserted); at small sizes the ``LOAD CSV`` result is also read back whole and compared with
the dataset. Then, on the pushed database, each gap rule's ``find_cypher`` and the
``who``/``what``/``show``/``search``/``path`` queries are timed one by one.
"""

from __future__ import annotations

import csv
import importlib.util
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.commands import pick_entities
from mapper.dataset import Dataset, relation_key_str
from mapper.graph_names import PROVENANCE, category_label, rel_type, type_label
from mapper.neo4j import Neo4jStore
from mapper.neo4j.writes import BATCH_SIZE
from mapper.schema import DATE_FIELDS, ENTITY_FIELDS, LIST_FIELDS, RELATION_FIELDS, SOURCE_FIELDS

#: Rows per transaction of the LOAD CSV side (Neo4j's documented way for large files).
CSV_TRANSACTION_ROWS = 10_000
#: Separator of list items inside one CSV cell (a control character no generated text holds).
LIST_SEPARATOR = "\x1f"
#: Up to this size the LOAD CSV database is also read back whole and compared with the dataset.
READ_BACK_MAX_ENTITIES = 5_000
#: Issue 10's targets: push at least half as fast as LOAD CSV; each gap rule within 5 s.
PUSH_RATIO_TARGET = 2.0
RULE_SECONDS_TARGET = 5.0

Log = Callable[[str], None]


@dataclass
class Neo4jScaleResult:
    """The push pair and the Cypher timings at one size."""

    name: str
    counts: dict[str, int]  # sources, entities, relations of the dataset
    graph_counts: dict[str, int]  # what both sides left in the database (nodes, relationships)
    push: list[float] = field(default_factory=list)
    load_csv: list[float] = field(default_factory=list)
    push_phases: dict[str, float] = field(default_factory=dict)
    push_client_cpu: float = 0.0  # this process's CPU seconds during the best push
    repush: float = 0.0  # the same push again onto the pushed database (MERGE batches)
    read_back: bool = False  # the LOAD CSV side was read back and equals the dataset
    queries: list[tuple[str, float, int]] = field(default_factory=list)  # label, seconds, rows
    rules: list[tuple[str, float, int]] = field(default_factory=list)  # rule id, seconds, findings
    all_rules: tuple[float, int] = (0.0, 0)

    @property
    def ratio(self) -> float:
        return min(self.push) / min(self.load_csv)


# --- the LOAD CSV side ------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return "" if value is None else str(value)


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])


def _value(column: str) -> str:
    """The Cypher expression that turns a CSV cell back into the property our push writes
    (an empty cell is null in LOAD CSV, and a null property is not stored)."""
    cell = f"row.{column}"
    if column in DATE_FIELDS:
        return f"date({cell})"
    if column in LIST_FIELDS:
        return f"split({cell}, $sep)"
    return cell


def _props(columns: tuple[str, ...]) -> str:
    return ", ".join(f"{c}: {_value(c)}" for c in columns)


@dataclass
class CsvImport:
    """CSV files in the server's import directory and the LOAD CSV statements that read them."""

    statements: list[tuple[str, str]]  # (file name, statement with $url and $sep)

    @classmethod
    def write(cls, dataset: Dataset, import_dir: Path) -> CsvImport:
        schema = dataset.schema
        statements: list[tuple[str, str]] = []
        _write_csv(import_dir / "sources.csv", SOURCE_FIELDS, list(dataset.sources.values()))
        statements.append(("sources.csv", f"CREATE (s:Source {{{_props(SOURCE_FIELDS)}}})"))

        entity_columns = tuple(c for c in ENTITY_FIELDS if c != "sources")
        by_type: dict[str, list[dict[str, Any]]] = {}
        for entity in dataset.entities.values():
            by_type.setdefault(entity["type"], []).append(entity)
        for entity_type, rows in sorted(by_type.items()):
            name = f"entities-{entity_type}.csv"
            _write_csv(import_dir / name, ENTITY_FIELDS, rows)
            category = schema.category(entity_type)
            labels = f"Entity:{category_label(category)}:{type_label(entity_type)}"
            statements.append(
                (
                    name,
                    f"CREATE (n:{labels} {{{_props(entity_columns)}, category: '{category}'}}) "
                    "WITH n, split(row.sources, $sep) AS sources "
                    "UNWIND range(0, coalesce(size(sources), 0) - 1) AS i "
                    "MATCH (s:Source {id: sources[i]}) "
                    f"CREATE (n)-[:{PROVENANCE} {{position: i}}]->(s)",
                )
            )

        relation_columns = tuple(c for c in RELATION_FIELDS if c not in ("source", "type", "target"))
        by_rel: dict[str, list[dict[str, Any]]] = {}
        for relation in dataset.relations.values():
            by_rel.setdefault(relation["type"], []).append({**relation, "key": relation_key_str(relation)})
        for name_, rows in sorted(by_rel.items()):
            name = f"relations-{name_}.csv"
            _write_csv(import_dir / name, ("source", "target", *relation_columns, "key"), rows)
            statements.append(
                (
                    name,
                    "MATCH (a:Entity {id: row.source}) MATCH (b:Entity {id: row.target}) "
                    f"CREATE (a)-[:{rel_type(name_)} {{{_props(relation_columns)}, key: row.key}}]->(b)",
                )
            )
        return cls(statements)

    def run(self, store: Neo4jStore) -> None:
        # CALL ... IN TRANSACTIONS needs an implicit transaction: session.run, not execute_query.
        with store.driver.session(database=store.database) as session:
            for name, body in self.statements:
                session.run(
                    "LOAD CSV WITH HEADERS FROM $url AS row "
                    f"CALL (row) {{ {body} }} IN TRANSACTIONS OF {CSV_TRANSACTION_ROWS} ROWS",
                    {"url": f"file:///{name}", "sep": LIST_SEPARATOR},
                ).consume()


# --- both sides -------------------------------------------------------------------------------


def graph_signature(store: Neo4jStore) -> dict[str, int]:
    """Nodes per label set and relationships per type, leaving out igf-mapper's meta nodes
    (the push marker and schema node have no CSV counterpart)."""
    signature: dict[str, int] = {}
    for row in store.run("MATCH (n) WHERE NOT n:IgfmapMeta RETURN labels(n) AS labels, count(*) AS c"):
        signature["nodes " + ":".join(sorted(row["labels"]))] = row["c"]
    for row in store.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c"):
        signature[f"relationships {row['t']}"] = row["c"]
    return dict(sorted(signature.items()))


def wipe(store: Neo4jStore) -> None:
    """Everything deleted (untimed), in transactions of 10,000 nodes."""
    with store.driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def timed_push(store: Neo4jStore, dataset: Dataset) -> tuple[float, dict[str, float], float]:
    """Wall time of ``write_dataset``, the seconds spent on sources, entities and relations
    (from the progress callback, which reports after each batch), and the client's CPU seconds
    (the rest of the wall time is the server's work and waiting on it)."""
    counts = dataset.counts()
    bounds = {"sources": counts["sources"], "entities": counts["sources"] + counts["entities"]}
    done = 0
    marks: dict[str, float] = {}
    start, cpu_start = time.perf_counter(), time.process_time()

    def step(n: int) -> None:
        nonlocal done
        done += n
        for phase, bound in bounds.items():
            if done >= bound and phase not in marks:
                marks[phase] = time.perf_counter()

    store.write_dataset(dataset, progress=step)
    end, cpu = time.perf_counter(), time.process_time() - cpu_start
    s_end = marks.get("sources", start)
    e_end = marks.get("entities", s_end)
    phases = {"setup + sources": s_end - start, "entities": e_end - s_end, "relations + marker": end - e_end}
    return end - start, phases, cpu


def measure_push(
    store: Neo4jStore, dataset: Dataset, import_dir: Path, result: Neo4jScaleResult, repeats: int, log: Log
) -> None:
    """Alternate LOAD CSV and our push on the wiped database; the database ends holding ours."""
    from benchmarks.generate import generate

    wipe(store)
    store.setup()
    # Untimed warm-up of both sides on a small dataset: the JVM is cold and a fresh server
    # plans each statement once.
    warm = generate(200, seed=1)
    store.write_dataset(warm)
    wipe(store)
    CsvImport.write(warm, import_dir).run(store)
    wipe(store)
    csv_import = CsvImport.write(dataset, import_dir)  # replaces the warm-up's files

    for attempt in range(repeats):
        start = time.perf_counter()
        csv_import.run(store)
        result.load_csv.append(time.perf_counter() - start)
        csv_signature = graph_signature(store)
        if attempt == 0 and result.counts["entities"] <= READ_BACK_MAX_ENTITIES:
            back = store.read_dataset().to_document()
            assert back == dataset.to_document(), "LOAD CSV did not write the dataset"
            result.read_back = True
        log(f"  LOAD CSV {result.load_csv[-1]:.1f} s")
        wipe(store)

        seconds, phases, cpu = timed_push(store, dataset)
        result.push.append(seconds)
        if seconds <= min(result.push):
            result.push_phases, result.push_client_cpu = phases, cpu
        push_signature = graph_signature(store)
        log(f"  push {seconds:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in phases.items())})")
        assert push_signature == csv_signature, f"push {push_signature} != LOAD CSV {csv_signature}"
        assert store.counts() == dataset.counts(), "the push lost data"
        if attempt < repeats - 1:
            wipe(store)
    result.repush, _, _ = timed_push(store, dataset)
    log(f"  push again (upsert) {result.repush:.1f} s")
    assert graph_signature(store) == push_signature, "pushing again changed the graph"
    result.graph_counts = {
        "nodes": sum(v for k, v in csv_signature.items() if k.startswith("nodes")),
        "relationships": sum(v for k, v in csv_signature.items() if k.startswith("relationships")),
    }


# --- Cypher queries and gap rules on the pushed database --------------------------------------


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = work()
    return time.perf_counter() - start, out


def measure_queries(store: Neo4jStore, dataset: Dataset, result: Neo4jScaleResult, log: Log) -> None:
    from queries.engagement import what, who
    from queries.gaps import GapParams, run_gaps
    from queries.gaps.registry import RULES
    from queries.lookup import search, show
    from queries.paths import path

    picks = pick_entities(dataset)
    for label, work, size in (
        (f"who {picks['who']}", lambda: who(store, picks["who"]), lambda r: len(r.engagements)),
        (f"what {picks['what']}", lambda: what(store, picks["what"]), lambda r: len(r.engagements)),
        (
            f"show {picks['show']}",
            lambda: show(store, picks["show"]),
            lambda r: len(r.outgoing) + len(r.incoming),
        ),
        (
            f"show {picks['hub']} (hub)",
            lambda: show(store, picks["hub"]),
            lambda r: len(r.outgoing) + len(r.incoming),
        ),
        ("search wsis", lambda: search(store, "wsis"), lambda r: len(r.matches)),
        (
            f"path {picks['what']} {picks['who']}",
            lambda: path(store, picks["what"], picks["who"]),
            lambda r: len(r.paths),
        ),
    ):
        seconds, out = _timed(work)
        result.queries.append((label, seconds, size(out)))
        log(f"  {label}: {seconds:.2f} s")

    params = GapParams(ecosystem="igf")
    for rule in RULES:
        seconds, findings = _timed(lambda rule=rule: rule.find_cypher(store, params))
        result.rules.append((rule.id, seconds, len(findings)))
        log(f"  gap rule {rule.id}: {seconds:.2f} s, {len(findings)} findings")
    seconds, report = _timed(lambda: run_gaps(store))
    result.all_rules = (seconds, len(report.findings))
    log(f"  all gap rules: {seconds:.2f} s")


def measure_neo4j_scale(name: str, dataset: Dataset, log: Log, repeats: int = 1) -> Neo4jScaleResult:
    """Start a server of its own with LOAD CSV confined to its import directory, then measure."""
    from benchmarks.run import load_neo4jctl

    logging.getLogger("neo4j").setLevel(logging.ERROR)  # notices such as "label does not exist"
    neo4jctl = load_neo4jctl()
    result = Neo4jScaleResult(name, dataset.counts(), {})
    # Set up to serve, as a shared server would be (`neo4jctl.py start --serving`), not as the
    # tests' quick-starting one (64 MiB page cache, quick JIT only).
    server = neo4jctl.Neo4jServer(
        allow_file_urls=True,
        page_cache_mb=neo4jctl.SERVING_PAGE_CACHE_MB,
        java_opts=neo4jctl.SERVING_JAVA_OPTS,
    )
    server.start(timeout=180)
    try:
        with Neo4jStore.connect(server.uri, prompt=False) as store:
            measure_push(store, dataset, server.home / "import", result, repeats, log)
            measure_queries(store, dataset, result, log)
    finally:
        server.stop()
    return result


# --- report -----------------------------------------------------------------------------------


def _packstream() -> str:
    """Which packstream the driver packs parameters with: Neo4j's Rust extension or Python."""
    # The driver imports neo4j._rust when it is there (neo4j-rust-ext installs it).
    return "Rust (`neo4j-rust-ext`)" if importlib.util.find_spec("neo4j._rust") else "pure-Python"


def _holds(ok: bool) -> str:
    return "holds" if ok else "**does not hold**"


def render_neo4j(results: list[Neo4jScaleResult], fmt_time: Callable[[float], str]) -> list[str]:
    """The Neo4j section of BENCHMARKS.md: one table per size."""
    from benchmarks.run import load_neo4jctl

    if not results:
        return []
    lines = [
        "",
        '<a id="neo4j-scale"></a>',
        "## Neo4j at scale",
        "",
        "A Neo4j Community server of its own (`scripts/neo4jctl.py`, `LOAD CSV` confined to its "
        "import directory), set up to serve (`neo4jctl.py start --serving`): a "
        f"{load_neo4jctl().SERVING_PAGE_CACHE_MB:,} MiB page cache, the JVM's default "
        "JIT and collector, a 2 GB heap (the tests' servers start quicker with "
        f"{load_neo4jctl().DEFAULT_PAGE_CACHE_MB} MiB, the quick JIT "
        "only and 1 GB). It is empty before each side, and each side has the same constraints and indexes. "
        f"Ours: `Neo4jStore.write_dataset` (what `igfmap push` does: UNWIND batches of {BATCH_SIZE:,} "
        "that CREATE into the empty database, each first looking for its own first row so that a "
        "retry is safe; provenance; the push marker), with the driver's "
        f"{_packstream()} packstream. Baseline: Neo4j's `LOAD CSV WITH HEADERS` of "
        "the same rows (files written beforehand, one per entity and relation type; `CREATE` in "
        f"transactions of {CSV_TRANSACTION_ROWS:,} rows). Both sides end with the same node counts "
        "per label set and relationship counts per type (checked). Then each gap rule's Cypher and "
        "each query runs once on the pushed database. `push again` writes the same dataset onto the "
        "pushed database, where the batches MERGE by id/key (an upsert, as into any database that "
        "holds data; no target). See `benchmarks/neo4j_scale.py`.",
    ]
    for r in results:
        push, csv_best = min(r.push), min(r.load_csv)
        phases = ", ".join(f"{k} {fmt_time(v)}" for k, v in r.push_phases.items())
        checked = "; the LOAD CSV database was read back and equals the dataset" if r.read_back else ""
        lines += [
            "",
            f"### {r.name}: {r.counts['entities']:,} entities, {r.counts['relations']:,} relations, "
            f"{r.counts['sources']:,} sources",
            "",
            f"Both sides left {r.graph_counts['nodes']:,} nodes and {r.graph_counts['relationships']:,} "
            f"relationships (provenance included){checked}. Best of {len(r.push)} run(s) each; "
            f"our push by phase: {phases}; the client's CPU {fmt_time(r.push_client_cpu)} of it "
            "(the rest is the server's work).",
            "",
            "| operation | ours | baseline / target | ratio | holds? |",
            "|---|---:|---:|---:|---|",
            f"| push (`write_dataset`) vs `LOAD CSV` | {fmt_time(push)} | {fmt_time(csv_best)} "
            f"| {r.ratio:.2f}× | ≤ {PUSH_RATIO_TARGET:g}×: {_holds(r.ratio <= PUSH_RATIO_TARGET)} |",
            f"| push again (upsert into the pushed database) | {fmt_time(r.repush)} | – | – | – |",
        ]
        for rule_id, seconds, findings in r.rules:
            lines.append(
                f"| gap rule `{rule_id}` ({findings:,} findings) | {fmt_time(seconds)} "
                f"| ≤ {RULE_SECONDS_TARGET:g} s | {seconds / RULE_SECONDS_TARGET:.2f}× "
                f"| {_holds(seconds <= RULE_SECONDS_TARGET)} |"
            )
        seconds, findings = r.all_rules
        lines.append(
            f"| all gap rules (`run_gaps`, {findings:,} findings) | {fmt_time(seconds)} | – | – | – |"
        )
        for label, seconds, rows in r.queries:
            lines.append(f"| `{label}` ({rows:,} rows) | {fmt_time(seconds)} | – | – | – |")
    return lines
