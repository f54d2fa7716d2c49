"""The intake benchmark runs at a small size (a smoke test; figures come from a run at 200 x 20)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.rounds import bench_intake, measure_intake_scale, render_intake_scale


def test_intake_benchmark_runs_and_gives_its_ratio_to_load() -> None:
    figures = bench_intake(files=160, rows=20, repeats=1)  # more returns than the seed has NRIs
    assert figures["files"] == 160 and figures["rows"] >= 160 * 20
    assert figures["proposals"] == figures["rows"], "every row of every return is a proposal"
    assert figures["intake_s"] > 0 and figures["load_s"] > 0 and figures["ratio"] > 0


def test_intake_against_load_of_the_same_rows_runs_as_whole_commands(tmp_path: Path) -> None:
    from benchmarks.generate import generate

    result = measure_intake_scale("tiny", generate(1000, seed=0), tmp_path, files=12, rows=20)
    assert (result.files, result.entities) == (12, 1000) and result.rows >= 12 * 20
    assert result.ours.exit_code == 0 and result.base.exit_code == 0
    assert result.ours.output_lines > result.rows, "intake printed every proposal as JSON"
    text = "\n".join(render_intake_scale(result))
    assert "## A mapping round's intake at tiny" in text
    assert f"Ratio intake / load: **{result.ratio:.2f}×**" in text
