"""Queries and gap rules on the bundled seed dataset (the acceptance cases of the query issue)."""

from __future__ import annotations

import json

import pytest

from mapper.cli import app
from mapper.dataset import Dataset
from mapper.store import EmbeddedStore, open_round, seed_dataset, write_store_file
from queries.brokers import brokers
from queries.diff import diff
from queries.engagement import what, who
from queries.gaps import run_gaps
from queries.lookup import search, show, stats
from queries.matrix import matrix
from queries.paths import path
from queries.timeline import timeline


@pytest.fixture(scope="module")
def seed():
    return EmbeddedStore(seed_dataset())


@pytest.fixture(scope="module")
def report(seed):
    return run_gaps(seed, as_of="2025-06-30")


def is_dc(store, node):
    attrs = store.graph.nodes[node]
    return (
        attrs.get("type") == "dynamic_coalition"
        or node == "dccg"
        or "dynamic coalition" in attrs["name"].lower()
    )


def test_pending_proposals_from_the_meeting(seed, report):
    pending = {(f.relation[0], f.relation[1], f.relation[2]) for f in report.by_rule("pending-proposal")}
    assert ("dccg", "CONTRIBUTES_TO", "wsis20-letter") in pending
    assert ("igf", "ENGAGES_IN", "ai-global-dialogue") in pending
    edges = seed.graph.get_edge_data("dccg", "wsis20-letter").values()
    assert any(e["type"] == "CONTRIBUTES_TO" and e["status"] == "requested" for e in edges)
    edges = seed.graph.get_edge_data("igf", "ai-global-dialogue").values()
    assert any(e["type"] == "ENGAGES_IN" and e["status"] == "proposed" for e in edges)
    for f in report.by_rule("pending-proposal"):
        assert f.evidence  # every finding cites its sources


def test_no_feedback_for_dynamic_coalitions_gdc_input(seed, report):
    hits = [f for f in report.by_rule("no-feedback") if is_dc(seed, f.subjects[0]) and "gdc" in f.subjects[1]]
    assert hits, [f.subjects for f in report.by_rule("no-feedback")]


def test_unreflected_dc_implementation_work(seed, report):
    hits = [f for f in report.by_rule("unreflected-engagement") if is_dc(seed, f.subjects[0])]
    assert hits
    assert any("implementation" in f.subjects[1] for f in hits), [f.subjects for f in hits]


def test_uncovered_gdc_tracks(seed, report):
    from queries.engagement import descendants_nx

    gdc_parts = descendants_nx(seed.graph, "gdc-implementation")
    uncovered = {f.subjects[0] for f in report.by_rule("uncovered-activity")}
    assert uncovered & gdc_parts, sorted(uncovered)


def test_every_rule_runs_and_findings_are_well_formed(seed):
    report = run_gaps(seed)
    assert report.rules == list(report.counts)
    known = set(seed.graph)
    sources = set(seed.graph.graph["sources"])
    for f in report.findings:
        assert set(f.subjects) <= known
        assert set(f.evidence) <= sources
        assert f.explanation and "\n" not in f.explanation
    assert report.to_json() == run_gaps(seed).to_json()  # deterministic


def test_tech_office_as_of(seed):
    before = {e["actor"] for e in who(seed, "gdc-implementation", as_of="2024-10-31").engagements}
    after = {e["actor"] for e in who(seed, "gdc-implementation", as_of="2025-02-01").engagements}
    assert "oset" in before and "odet" not in before
    assert "odet" in after and "oset" not in after
    assert "oset" in {m["id"] for m in search(seed, "technology", as_of="2024-10-31").matches}
    found_after = {m["id"] for m in search(seed, "technolog", as_of="2025-02-01").matches}
    assert "odet" in found_after and "oset" not in found_after


def test_who_and_what(seed):
    result = who(seed, "wsis20-letter")
    assert ("dccg", "requested") in {(e["actor"], e["status"]) for e in result.engagements}
    dccg = what(seed, "dccg")
    assert "wsis20-letter" in {e["target"] for e in dccg.engagements}
    deep = what(seed, "igf", deep=True)
    assert len(deep.engagements) > len(what(seed, "igf").engagements)


def test_matrix(seed):
    m = matrix(seed, rows="type", cols="objective", cells="count")
    assert {c["id"] for c in m.column_heads} >= {f"gdc-objective-{i}" for i in range(1, 6)}
    assert m.cells and all(c["count"] > 0 for c in m.cells)
    actors = matrix(seed, ecosystem="igf")
    assert actors.row_heads and all(h["id"] for h in actors.row_heads)


def test_path_brokers_timeline_show_stats(seed):
    p = path(seed, "dccg", "odet")
    assert p.length and p.paths[0]["nodes"][0] == "dccg" and p.paths[0]["nodes"][-1] == "odet"
    top = brokers(seed, top=5)
    assert 0 < len(top.brokers) <= 5
    assert [b["betweenness"] for b in top.brokers] == sorted(
        (b["betweenness"] for b in top.brokers), reverse=True
    )
    events = timeline(seed, "2024-10-01", "2025-01-31").events
    assert ("2025-01-01", "start", "odet") in {(e["date"], e["event"], e["id"]) for e in events}
    assert show(seed, "dccg").outgoing
    assert stats(seed).totals["entities"] == seed.graph.number_of_nodes()


def test_diff_seed_against_modified_copy(seed, tmp_path):
    data = seed.dataset
    modified = Dataset(dict(data.sources), dict(data.entities), dict(data.relations), data.schema)
    key = next(k for k in modified.relations if k[:3] == ("dccg", "CONTRIBUTES_TO", "wsis20-letter"))
    modified.relations[key] = {**modified.relations[key], "status": "active"}  # the DCCG got the draft
    modified.entities["dc-new"] = {
        "id": "dc-new",
        "type": "dynamic_coalition",
        "name": "A new coalition",
        "sources": list(data.entities["igf"].get("sources", [])),
    }
    old_file, new_file = tmp_path / "old.json", tmp_path / "new.json"
    write_store_file(old_file, data)
    write_store_file(new_file, modified)
    result = diff(open_round(old_file), open_round(new_file), as_of="2025-06-30")
    assert [e["id"] for e in result.sections["entities"]["added"]] == ["dc-new"]
    [changed] = result.sections["relations"]["changed"]
    assert changed["changes"] == [{"field": "status", "old": "requested", "new": "active"}]
    closed = {(f.rule, f.subjects) for f in result.closed}
    assert ("pending-proposal", ("dccg", "wsis20-letter")) in closed
    assert all(f.subjects != ("dc-new",) for f in result.opened)  # not PART_OF igf: outside


def test_cli_gaps_json_on_seed(runner):
    result = runner.invoke(app, ["gaps", "--format", "json"])  # no store file: the bundled seed
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "using the bundled seed" in result.stderr
    rules_with_findings = {f["rule"] for f in data["findings"]}
    assert {
        "no-feedback",
        "unreflected-engagement",
        "pending-proposal",
        "uncovered-activity",
    } <= rules_with_findings
    assert runner.invoke(app, ["gaps", "--fail-on-gaps"]).exit_code == 4


def test_cli_unknown_id_on_seed(runner):
    result = runner.invoke(app, ["who", "wsis20-leter"])
    assert result.exit_code == 1
    assert "did you mean wsis20-letter" in result.stderr
