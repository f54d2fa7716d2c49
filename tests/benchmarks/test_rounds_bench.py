"""The intake benchmark runs at a small size (a smoke test; figures come from a run at 200 x 20)."""

from __future__ import annotations

from benchmarks.rounds import bench_intake


def test_intake_benchmark_runs_and_gives_its_ratio_to_load() -> None:
    figures = bench_intake(files=160, rows=20, repeats=1)  # more returns than the seed has NRIs
    assert figures["files"] == 160 and figures["rows"] >= 160 * 20
    assert figures["proposals"] == figures["rows"], "every row of every return is a proposal"
    assert figures["intake_s"] > 0 and figures["load_s"] > 0 and figures["ratio"] > 0
