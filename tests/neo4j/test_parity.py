"""Parity on the seed: every query and gap rule gives the same output on Neo4j (Cypher) as on
the embedded store (networkx), through the library and through the CLI, errors included.

The seed is pushed into the real server once for the module (after a wipe); the embedded side
is the same seed in a store file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mapper.cli import app
from mapper.neo4j import Neo4jStore
from mapper.store import EmbeddedStore, seed_dataset, write_store_file
from queries.brokers import brokers
from queries.diff import diff
from queries.dispatch import QueryPair, registered
from queries.ecosystem import ecosystem
from queries.engagement import what, who
from queries.gaps import run_gaps
from queries.gaps.registry import RULE_IDS
from queries.lookup import resolve_id, search, show, stats
from queries.matrix import matrix
from queries.paths import path
from queries.timeline import timeline
from tests.neo4j.parity import assert_same, outcome

DATES = (None, "2024-10-31", "2025-02-01")
#: Names of the query pairs this module ran (see test_every_registered_query_pair_was_compared).
CALLED: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def _record_pairs() -> Any:
    """Note which registered query pairs the parity cases go through."""
    original = QueryPair.__call__

    def recording(self: QueryPair[Any], store: Any, *args: Any, **kwargs: Any) -> Any:
        CALLED.add(self.name)
        return original(self, store, *args, **kwargs)

    QueryPair.__call__ = recording  # type: ignore[method-assign]
    yield
    QueryPair.__call__ = original  # type: ignore[method-assign]


@pytest.fixture(scope="module")
def seed() -> Any:
    return seed_dataset()


@pytest.fixture(scope="module")
def stores(neo4j_server, seed) -> Any:
    """(embedded store, Neo4j store) holding the seed."""
    neo4j = Neo4jStore.connect(neo4j_server.uri)
    neo4j.write_dataset(seed, wipe=True)
    yield EmbeddedStore(seed), neo4j
    neo4j.close()


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory, seed) -> Path:
    path = tmp_path_factory.mktemp("parity") / "seed-store.json"
    write_store_file(path, seed)
    return path


# --- the library ------------------------------------------------------------------------------


def _bind(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """``func`` waiting for its store (the first argument of every query)."""
    return lambda store: func(store, *args, **kwargs)


#: ``add(name, query, *args, **kwargs)``: one parity case, the query waiting for its store.
Add = Callable[..., None]


def _lookup_cases(add: Add, day: str | None, d: str) -> None:
    """stats, ecosystem, search, resolve and show as of ``day``."""
    add(f"stats{d}", stats, as_of=day)
    add(f"ecosystem-igf{d}", ecosystem, "igf", as_of=day)
    add(f"ecosystem-dccg{d}", ecosystem, "dccg", as_of=day)
    for text in ("igf", "dc", "tech envoy", "OSET", "coalition", "gdc-para", "zzz", ""):
        add(f"search-{text or 'empty'}{d}", search, text, as_of=day)
    add(f"search-limit{d}", search, "dc", as_of=day, limit=3)
    for text in ("oset", "odet", "IGF", "Tech Envoy", "osett", "dynamic coalition", "wsis20-review"):
        add(f"resolve-{text}{d}", resolve_id, text, as_of=day)
    for entity in (
        "igf",
        "dccg",
        "oset",
        "odet",
        "gdc-implementation",
        "gdc-objective-3",
        "wsis20-letter",
    ):
        add(f"show-{entity}{d}", show, entity, as_of=day)


def _engagement_cases(add: Add, day: str | None, d: str) -> None:
    """who and what, with their filters, as of ``day``."""
    for entity in (
        "gdc-implementation",
        "wsis20-review",
        "gdc-objective-3",
        "gdc-para-29c",
        "mag-wgs-2024-10-31",
        "wsis20-letter",
        "ai-global-dialogue",
    ):
        add(f"who-{entity}{d}", who, entity, as_of=day)
        add(f"who-{entity}-deep{d}", who, entity, as_of=day, deep=True)
    add(f"who-status{d}", who, "gdc-implementation", as_of=day, status="active")
    add(f"who-statuses{d}", who, "gdc-implementation", as_of=day, status=["planned", "proposed"])
    add(f"who-role{d}", who, "gdc-implementation", as_of=day, role=["lead", "contributor"])
    add(f"who-relation{d}", who, "wsis20-review", as_of=day, relations=["CONTRIBUTES_TO", "PART_OF"])
    add(f"who-actor{d}", who, "dccg", as_of=day)
    for actor in ("igf", "dccg", "oset", "odet", "itu", "igf-secretariat"):
        add(f"what-{actor}{d}", what, actor, as_of=day)
        add(f"what-{actor}-deep{d}", what, actor, as_of=day, deep=True)
    add(f"what-status{d}", what, "dccg", as_of=day, status="requested")
    add(f"what-role{d}", what, "igf", as_of=day, deep=True, role="convener")
    add(f"what-relation{d}", what, "igf", as_of=day, deep=True, relations=["MEMBER_OF", "REPORTS_TO"])
    add(f"what-not-actor{d}", what, "gdc-implementation", as_of=day)


def _matrix_cases(add: Add, day: str | None, d: str) -> None:
    """matrix over every rows/cols pair and its options, as of ``day``."""
    for rows in ("actor", "type", "stakeholder_group", "dynamic_coalition", "nope"):
        for cols in ("activity", "event", "objective"):
            add(f"matrix-{rows}-{cols}{d}", matrix, rows=rows, cols=cols, as_of=day)
    add(f"matrix-count{d}", matrix, rows="type", cols="objective", cells="count", as_of=day)
    add(f"matrix-col-type{d}", matrix, rows="type", cols="objective", col_types=["objective"], as_of=day)
    add(f"matrix-col-type-process{d}", matrix, cols="activity", col_types=["process"], as_of=day)
    add(f"matrix-ecosystem{d}", matrix, ecosystem="igf", cells="count", as_of=day)
    add(f"matrix-status{d}", matrix, status=["proposed", "requested", "concluded"], as_of=day)


def _path_and_broker_cases(add: Add, day: str | None, d: str) -> None:
    """path (both ways, limits, relation filter) and brokers, as of ``day``."""
    for a, b in (
        ("dccg", "odet"),
        ("igf", "gdc-objective-1"),
        ("oset", "odet"),
        ("igf", "igf"),
        ("dc-children", "itu"),
        ("wsis20-letter", "gdc-para-29c"),
    ):
        add(f"path-{a}-{b}{d}", path, a, b, as_of=day)
        add(f"path-{a}-{b}-directed{d}", path, a, b, as_of=day, directed=True)
    add(f"path-limit1{d}", path, "dccg", "odet", as_of=day, limit=1)
    add(f"path-limit50{d}", path, "dccg", "odet", as_of=day, limit=50)
    add(f"path-relations{d}", path, "dccg", "odet", as_of=day, relations=["ENGAGES_IN", "PART_OF"])
    for top in (1, 5, 10, 500):
        add(f"brokers-{top}{d}", brokers, top, as_of=day)
    add(f"brokers-ecosystem{d}", brokers, 10, as_of=day, ecosystem="igf")


def _timeline_and_gap_cases(add: Add, day: str | None, d: str) -> None:
    """timeline windows and every gap rule with its options, as of ``day``."""
    add(f"timeline{d}", timeline, as_of=day)
    add(f"timeline-window{d}", timeline, "2024-09-01", "2025-06-30", as_of=day)
    add(f"timeline-day{d}", timeline, "2025-01-01", "2025-01-01", as_of=day)
    add(f"timeline-until{d}", timeline, None, "2024-01-01", as_of=day)
    add(f"gaps{d}", run_gaps, as_of=day)
    for rule in RULE_IDS:
        add(f"gaps-{rule}{d}", run_gaps, [rule], as_of=day)
    add(f"gaps-ecosystem-dccg{d}", run_gaps, as_of=day, ecosystem="dccg")
    add(f"gaps-ecosystem-itu{d}", run_gaps, as_of=day, ecosystem="itu")
    add(f"gaps-min-actors{d}", run_gaps, ["objective-coverage"], as_of=day, min_actors=5)
    add(f"gaps-min-actors-0{d}", run_gaps, ["objective-coverage"], as_of=day, min_actors=0)
    add(f"gaps-months{d}", run_gaps, ["stale-claim"], as_of=day, months=6)
    add(f"gaps-months-0{d}", run_gaps, ["stale-claim"], as_of=day, months=0)


def _error_cases(add: Add) -> None:
    """Unknown ids (NotFoundError with the same "did you mean") and entities not valid then."""
    add("show-unknown", show, "dc-cg")
    add("who-unknown", who, "gdc-implementaton")
    add("what-unknown", what, "dcccg")
    add("path-unknown", path, "dccg", "odett")
    add("gaps-unknown-ecosystem", run_gaps, ecosystem="igg")
    add("matrix-unknown-ecosystem", matrix, ecosystem="igg")
    add("brokers-unknown-ecosystem", brokers, ecosystem="igg")
    add("show-not-valid", show, "oset", as_of="2025-02-01")
    add("who-not-valid", what, "odet", as_of="2024-10-31")


def _cases() -> list[tuple[str, Callable[[Any], Any]]]:
    cases: list[tuple[str, Callable[[Any], Any]]] = []

    def add(name: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        cases.append((name, _bind(func, *args, **kwargs)))

    for day in DATES:
        d = f"@{day}" if day else ""
        for dated_cases in (
            _lookup_cases,
            _engagement_cases,
            _matrix_cases,
            _path_and_broker_cases,
            _timeline_and_gap_cases,
        ):
            dated_cases(add, day, d)
    _error_cases(add)
    return cases


CASES = _cases()


@pytest.mark.parametrize("query", [q for _, q in CASES], ids=[n for n, _ in CASES])
def test_library_parity(stores, query) -> None:
    embedded, neo4j = stores
    assert_same(query, embedded, neo4j)


def test_the_cases_cover_real_output(stores) -> None:
    """The parity above compares something: findings for every rule, paths, brokers, events."""
    embedded, _ = stores
    report = run_gaps(embedded)
    assert all(report.counts[rule] > 0 for rule in RULE_IDS), report.counts
    assert path(embedded, "dccg", "odet").paths
    assert brokers(embedded, 5).brokers
    assert timeline(embedded).events
    assert outcome(_bind(show, "dc-cg"), embedded)[0] == "error"


@pytest.mark.parametrize("day", DATES, ids=lambda d: str(d))
def test_who_what_show_on_every_entity(stores, seed, day) -> None:
    """who (non-actors) or what (actors), plain and deep, and show, on each of the seed's entities."""
    embedded, neo4j = stores
    for entity_id, entity in sorted(seed.entities.items()):
        listing = what if seed.schema.category(entity["type"]) == "actor" else who
        for query in (
            _bind(listing, entity_id, as_of=day),
            _bind(listing, entity_id, as_of=day, deep=True),
            _bind(show, entity_id, as_of=day),
        ):
            assert_same(query, embedded, neo4j)


def test_diff_parity(stores, seed, tmp_path) -> None:
    """diff between a round and the Neo4j store equals diff against the embedded store."""
    embedded, neo4j = stores
    older = seed_dataset()
    first = sorted(older.relations)[:3]
    for key in first:
        del older.relations[key]
    older.entities["dccg"] = {**older.entities["dccg"], "name": "DC Coordination Group (old name)"}
    old_store = EmbeddedStore(older)
    pairs = [((old_store, embedded), (old_store, neo4j)), ((embedded, old_store), (neo4j, old_store))]
    for day in DATES:
        for a, b in pairs:
            expected = diff(*a, as_of=day).to_json()
            got = diff(*b, as_of=day).to_json()
            expected.pop("old"), expected.pop("new"), got.pop("old"), got.pop("new")
            assert got == expected
            assert expected["summary"]["relations"] != {"added": 0, "removed": 0, "changed": 0}


# --- the CLI ----------------------------------------------------------------------------------

CLI_CASES: list[tuple[str, ...]] = [
    ("stats",),
    ("stats", "--as-of", "2024-10-31"),
    ("stats", "--as-of", "2025-02-01"),
    ("search", "tech envoy"),
    ("search", "dc", "--limit", "5"),
    ("search", "odet", "--as-of", "2024-10-31"),
    ("show", "dccg"),
    ("show", "odet", "--as-of", "2025-02-01"),
    ("show", "oset", "--as-of", "2025-02-01"),  # not valid then: exit 1, "succeeded by odet"
    ("show", "Tech Envoy"),
    ("who", "gdc-implementation"),
    ("who", "gdc-implementation", "--as-of", "2024-10-31"),
    ("who", "gdc-implementation", "--as-of", "2025-02-01"),
    ("who", "gdc-implementation", "--status", "active", "--status", "planned"),
    ("who", "gdc-implementation", "--role", "lead"),
    ("who", "gdc-implementation", "--deep"),
    ("who", "gdc-objective-3"),
    ("who", "wsis20-review", "--relation", "CONTRIBUTES_TO"),
    ("who", "dccg"),  # an actor: usage error
    ("what", "dccg"),
    ("what", "dccg", "--status", "requested"),
    ("what", "igf", "--deep", "--as-of", "2025-02-01"),
    ("what", "igf", "--deep", "--role", "convener"),
    ("what", "odet", "--as-of", "2024-10-31"),
    ("matrix",),
    ("matrix", "--as-of", "2024-10-31"),
    ("matrix", "--as-of", "2025-02-01"),
    ("matrix", "--rows", "type", "--cols", "objective", "--cells", "count"),
    ("matrix", "--rows", "type", "--cols", "objective", "--col-type", "objective", "--cells", "count"),
    ("matrix", "--rows", "stakeholder_group", "--cols", "event"),
    ("matrix", "--rows", "dynamic_coalition", "--ecosystem", "igf"),
    ("matrix", "--status", "proposed", "--status", "requested"),
    ("matrix", "--rows", "nope"),
    ("path", "dccg", "odet"),
    ("path", "dccg", "odet", "--limit", "1"),
    ("path", "dccg", "odet", "--limit", "2", "--as-of", "2025-02-01"),
    ("path", "igf", "gdc-objective-1", "--directed"),
    ("path", "dccg", "odet", "--relation", "ENGAGES_IN", "--relation", "PART_OF"),
    ("path", "oset", "odet", "--as-of", "2024-10-31"),
    ("brokers",),
    ("brokers", "--top", "3"),
    ("brokers", "--top", "3", "--as-of", "2024-10-31"),
    ("brokers", "--ecosystem", "igf", "--as-of", "2025-02-01"),
    ("timeline",),
    ("timeline", "--since", "2024-09-01", "--until", "2025-06-30"),
    ("timeline", "--since", "2025-01-01", "--as-of", "2025-02-01"),
    ("gaps",),
    ("gaps", "--as-of", "2024-10-31"),
    ("gaps", "--as-of", "2025-02-01"),
    ("gaps", "--ecosystem", "dccg"),
    ("gaps", "objective-coverage", "--min-actors", "4"),
    ("gaps", "stale-claim", "--months", "6", "--as-of", "2025-02-01"),
    ("gaps", "uncovered-activity", "isolated-actor", "--ecosystem", "dccg", "--as-of", "2024-10-31"),
    ("gaps", "pending-proposal", "--fail-on-gaps"),
    ("gaps", "--list-rules"),
    ("gaps", "no-feedbak"),
    ("who", "nothing-like-this-at-all-xyz"),  # unknown, nothing close: "try `igfmap search TEXT`"
]
# unknown ids: exit 1 with the same "did you mean"
UNKNOWN_IDS: list[tuple[str, ...]] = [
    ("show", "dc-cg"),
    ("who", "gdc-implementaton"),
    ("what", "dcccg"),
    ("path", "dccg", "odett"),
    ("gaps", "--ecosystem", "igg"),
    ("matrix", "--ecosystem", "igg"),
    ("brokers", "--ecosystem", "igg"),
]
CLI_CASES += UNKNOWN_IDS
CLI_CASES += [("gaps", rule, "--as-of", day) for rule in RULE_IDS for day in ("2024-10-31", "2025-02-01")]


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("args", CLI_CASES, ids=lambda a: "-".join(a))
def test_cli_parity(runner, stores, neo4j_server, seed_file, args, fmt) -> None:
    embedded = runner.invoke(app, ["--store", str(seed_file), *args, "--format", fmt])
    neo4j = runner.invoke(app, ["--neo4j", neo4j_server.uri, *args, "--format", fmt])
    assert (neo4j.exit_code, neo4j.stderr) == (embedded.exit_code, embedded.stderr)
    assert neo4j.stdout == embedded.stdout
    assert embedded.exit_code in (0, 1, 2, 4), embedded.output
    if embedded.exit_code == 1:
        assert embedded.stderr.startswith("error: ") and embedded.stderr.count("\n") == 1


@pytest.mark.parametrize("args", UNKNOWN_IDS, ids=lambda a: "-".join(a))
def test_cli_unknown_id_exits_1_with_did_you_mean(runner, stores, neo4j_server, seed_file, args) -> None:
    neo4j = runner.invoke(app, ["--neo4j", neo4j_server.uri, *args])
    embedded = runner.invoke(app, ["--store", str(seed_file), *args])
    assert neo4j.exit_code == embedded.exit_code == 1
    assert neo4j.stderr == embedded.stderr
    assert neo4j.stderr.startswith("error: no entity with id ") and "; did you mean " in neo4j.stderr
    assert neo4j.stdout == ""


def test_every_registered_query_pair_was_compared() -> None:
    """Runs last in this module: a new query pair without a parity case fails here."""
    assert set(registered()) <= CALLED
