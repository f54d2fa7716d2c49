"""The query commands through the CLI: exit codes, formats, and the JSON keys of each command."""

from __future__ import annotations

import json

import pytest

from mapper.cli import app
from mapper.store import write_store_file
from tests.queries.helpers import world


@pytest.fixture
def store_file(tmp_path):
    path = tmp_path / "store.json"
    write_store_file(path, world().dataset)
    return path


def run(runner, store_file, *args):
    return runner.invoke(app, ["--store", str(store_file), *args])


def run_json(runner, store_file, *args):
    result = run(runner, store_file, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


JSON_KEYS = {
    ("stats",): [
        "as_of",
        "totals",
        "categories",
        "entity_types",
        "relation_types",
        "statuses",
        "source_kinds",
    ],
    ("search", "dc"): ["query", "as_of", "matches"],
    ("show", "dc-a"): ["as_of", "entity", "outgoing", "incoming", "sources"],
    ("who", "track-1"): ["query", "entity", "as_of", "filters", "engagements", "sources"],
    ("what", "dc-a"): ["query", "entity", "as_of", "filters", "engagements", "sources"],
    ("matrix",): [
        "rows_by",
        "columns_by",
        "cells_by",
        "statuses",
        "as_of",
        "ecosystem",
        "rows",
        "columns",
        "cells",
    ],
    ("path", "dc-a", "obj-1"): ["from", "to", "as_of", "directed", "length", "paths"],
    ("brokers",): ["as_of", "top", "projection", "brokers"],
    ("timeline",): ["since", "until", "as_of", "events"],
    ("gaps",): ["as_of", "params", "rules", "counts", "total", "limit", "findings"],
}


@pytest.mark.parametrize("args", list(JSON_KEYS), ids=lambda a: a[0])
def test_json_keys(runner, store_file, args):
    assert list(run_json(runner, store_file, *args)) == JSON_KEYS[args]


@pytest.mark.parametrize("args", list(JSON_KEYS), ids=lambda a: a[0])
@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_other_formats(runner, store_file, args, fmt):
    result = run(runner, store_file, *args, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_item_keys(runner, store_file):
    who = run_json(runner, store_file, "who", "track-1")
    assert list(who["engagements"][0]) == [
        "actor",
        "actor_name",
        "actor_type",
        "stakeholder_group",
        "relation",
        "target",
        "target_name",
        "target_type",
        "role",
        "status",
        "since",
        "until",
        "confidence",
        "sources",
        "note",
    ]
    gaps = run_json(runner, store_file, "gaps")
    assert list(gaps["findings"][0]) == ["rule", "subjects", "explanation", "evidence", "relation"]
    assert list(gaps["params"]) == ["ecosystem", "min_actors", "months"]
    rules = run_json(runner, store_file, "gaps", "--list-rules")
    assert next(list(r) for r in rules) == ["id", "title", "explanation", "params"]
    assert len(rules) == 8
    search = run_json(runner, store_file, "search", "dc")
    assert list(search["matches"][0]) == ["id", "type", "category", "name", "aliases", "matched_on"]
    timeline = run_json(runner, store_file, "timeline")
    assert list(timeline["events"][0]) == [
        "date",
        "event",
        "kind",
        "id",
        "label",
        "type",
        "source",
        "target",
        "role",
        "status",
        "sources",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("show", "dc-aa"),
        ("who", "trak-1"),
        ("what", "dc-z"),
        ("path", "dc-a", "obj-9"),
        ("gaps", "--ecosystem", "igg"),
        ("matrix", "--ecosystem", "igg"),
        ("brokers", "--ecosystem", "igg"),
    ],
    ids=lambda a: a[0],
)
def test_unknown_ids_exit_1_with_suggestion(runner, store_file, args):
    result = run(runner, store_file, *args)
    assert result.exit_code == 1
    assert "did you mean" in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback


def test_as_of(runner, store_file):
    before = run_json(runner, store_file, "who", "gdc", "--as-of", "2024-10-31")
    after = run_json(runner, store_file, "who", "gdc", "--as-of", "2025-02-01")
    assert [e["actor"] for e in before["engagements"]] == ["oset"]
    assert [e["actor"] for e in after["engagements"]] == ["odet"]
    assert after["as_of"] == "2025-02-01"
    bad = run(runner, store_file, "who", "gdc", "--as-of", "2025-02-30")
    assert bad.exit_code == 2 and "ISO date" in bad.stderr


def test_options(runner, store_file):
    who = run_json(runner, store_file, "who", "track-1", "--status", "planned", "--status", "proposed")
    assert [e["actor"] for e in who["engagements"]] == ["dc-b", "member-y"]
    assert [
        e["actor"]
        for e in run_json(runner, store_file, "who", "track-1", "--role", "participant")["engagements"]
    ] == ["dc-a"]
    deep = run_json(runner, store_file, "what", "igf", "--deep")
    assert len(deep["engagements"]) == 4
    m = run_json(runner, store_file, "matrix", "--rows", "type", "--cols", "objective", "--cells", "count")
    assert m["rows_by"] == "type" and m["cells_by"] == "count"
    p = run_json(runner, store_file, "path", "dc-a", "dc-b", "--limit", "1")
    assert len(p["paths"]) == 1
    assert run_json(runner, store_file, "brokers", "--top", "1")["top"] == 1
    t = run_json(runner, store_file, "timeline", "--since", "2025-01-01", "--until", "2025-01-01")
    assert [e["id"] for e in t["events"]] == ["odet", "odet|ENGAGES_IN|gdc|lead"]
    assert run(runner, store_file, "matrix", "--cols", "nope").exit_code == 2
    assert run(runner, store_file, "who", "dc-a").exit_code == 2  # an actor: use `what`


def test_gaps_subset_params_and_fail_on_gaps(runner, store_file):
    pending = run_json(runner, store_file, "gaps", "pending-proposal")
    assert pending["rules"] == ["pending-proposal"]
    assert {tuple(f["subjects"]) for f in pending["findings"]} == {
        ("dc-b", "letter"),
        ("member-y", "track-1"),
    }
    assert (
        run_json(runner, store_file, "gaps", "objective-coverage", "--min-actors", "1")["params"][
            "min_actors"
        ]
        == 1
    )
    failing = run(runner, store_file, "gaps", "pending-proposal", "--fail-on-gaps", "--format", "json")
    assert failing.exit_code == 4
    assert json.loads(failing.stdout)["total"] == 2  # printed before exiting
    assert "gap finding" in failing.stderr
    clean = run(runner, store_file, "gaps", "isolated-actor", "--fail-on-gaps")
    assert clean.exit_code == 0
    unknown = run(runner, store_file, "gaps", "no-feedbak")
    assert unknown.exit_code == 2 and "did you mean 'no-feedback'" in unknown.stderr
    listing = run(runner, store_file, "gaps", "--list-rules")
    assert listing.exit_code == 0 and "stale-claim" in listing.stdout


def test_diff_command(runner, store_file, tmp_path):
    from mapper.dataset import Dataset

    data = world().dataset
    changed = Dataset(dict(data.sources), dict(data.entities), dict(data.relations), data.schema)
    del changed.entities["member-y"]
    changed.relations = {k: v for k, v in changed.relations.items() if "member-y" not in k}
    new_file = tmp_path / "new.json"
    write_store_file(new_file, changed)
    result = run_json(runner, store_file, "diff", str(store_file), str(new_file))
    assert list(result) == ["old", "new", "as_of", "summary", "entities", "relations", "sources", "gaps"]
    assert [e["id"] for e in result["entities"]["removed"]] == ["member-y"]
    assert len(result["relations"]["removed"]) == 2
    assert ("pending-proposal", ["member-y", "track-1"]) in [
        (f["rule"], f["subjects"]) for f in result["gaps"]["closed"]
    ]
    table = run(runner, store_file, "diff", str(store_file), str(new_file))
    assert table.exit_code == 0 and "removed" in table.stdout
    missing = run(runner, store_file, "diff", str(tmp_path / "nope.json"), str(new_file))
    assert missing.exit_code == 1
