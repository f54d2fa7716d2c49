"""The Neo4j-at-scale benchmark runs end to end at a tiny size against a real Neo4j server.

The benchmark starts its own server (scripts/neo4jctl.py, as tests/neo4j_fixtures.py does)
because LOAD CSV needs file URLs, which the test fixture's server keeps off. A smoke test:
the figures come from `make bench`.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import neo4j_scale, run
from queries.gaps.registry import RULES


def test_push_against_load_csv_and_cypher_rules_at_a_tiny_size(tmp_path: Path, monkeypatch) -> None:
    results: list[neo4j_scale.Neo4jScaleResult] = []
    measure = neo4j_scale.measure_neo4j_scale

    def keep(*args, **kwargs):  # type: ignore[no-untyped-def]
        results.append(measure(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(neo4j_scale, "measure_neo4j_scale", keep)
    out = tmp_path / "bench.md"
    code = run.main(
        ["--sizes", "60", "--repeats", "1", "--budget", "0.01", "--commands", "neo4j-300", "--out", str(out)]
    )
    assert code == 0
    [result] = results
    # Both sides wrote the same graph (measure_push asserts the signatures are equal), the
    # LOAD CSV side holds exactly the dataset, and the push left every record in the database.
    assert result.read_back
    counts = result.counts
    provenance = result.graph_counts["relationships"] - counts["relations"]
    assert result.graph_counts["nodes"] == counts["entities"] + counts["sources"]
    assert provenance > 0
    assert result.push and result.load_csv and result.ratio > 0
    assert sum(result.push_phases.values()) <= min(result.push) + 1e-6
    assert 0 < result.push_client_cpu and result.repush > 0  # pushing again left the same graph
    # Every gap rule and every query ran on the pushed database, with answers.
    assert [rule_id for rule_id, _, _ in result.rules] == [r.id for r in RULES]
    assert sum(findings for _, _, findings in result.rules) == result.all_rules[1] > 0
    assert len(result.queries) == 6 and all(rows > 0 for _, _, rows in result.queries)

    text = out.read_text(encoding="utf-8")
    assert "## Neo4j at scale" in text
    assert "### 300: 300 entities" in text
    assert "| push (`write_dataset`) vs `LOAD CSV` |" in text
    assert "| push again (upsert into the pushed database) |" in text
    assert "with the driver's Rust (`neo4j-rust-ext`) packstream" in text
    for rule in RULES:
        assert f"| gap rule `{rule.id}` (" in text
