"""The benchmark suite runs end to end at a tiny size (a smoke test: figures come from `make bench`)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import run


def test_the_suite_runs_at_a_small_size(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    code = run.main(
        ["--sizes", "60", "--repeats", "1", "--budget", "0.01", "--commands", "30,60", "--out", str(out)]
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    # Every in-process pair measured a ratio at the one size ...
    for case in run.CASES:
        assert f'<a id="{case.key}"></a>' in text
        assert not case.unavailable, case.unavailable
        assert case.rows and case.rows[-1].ratio is not None, case.key
    # ... and every whole command ran against the floor.
    assert "### 60: 60 entities" in text
    for label in (
        "igfmap load",
        "igfmap who",
        "igfmap what",
        "igfmap show",
        "igfmap gaps (all rules)",
        "igfmap gaps --format json",
        "igfmap export --format json",
        "igfmap export --format csv",
    ):
        assert f"| `{label}" in text
    run_rows = [line for line in text.splitlines() if line.startswith("| `igfmap")]
    assert len(run_rows) == 3 * 13  # a row a command at both sizes, then its curve row
    # The cost curve over the two sizes: the plot beside the report, and a row a command and the floor.
    assert "## Cost curve" in text
    assert "![Wall time and peak RSS against entities, log-log](docs/bench-curve.svg)" in text
    assert (tmp_path / "docs" / "bench-curve.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert "| `floor (json.load + networkx)` |" in text


def test_a_command_that_misses_its_target_is_profiled(tmp_path: Path) -> None:
    """What BENCHMARKS.md shows for a missed target: the command run again under cProfile."""
    import subprocess

    from benchmarks.commands import Run, igfmap, profile

    store = tmp_path / "store.json"
    subprocess.run([*igfmap(), "--quiet", "--store", str(store), "init"], check=True)
    argv = [*igfmap(), "--quiet", "--store", str(store), "gaps", "--as-of", "2025-06-30"]
    lines = profile(Run("igfmap gaps", argv, 1.0, 0, 0, 0, tmp_path), top=5)
    assert lines[0].startswith("total ") and "cumulative:" in lines and "own time:" in lines
    cumulative = lines[lines.index("cumulative:") + 1 : lines.index("own time:")]
    assert len(cumulative) == 5 and all(line.split()[1] == "s" for line in cumulative)
    # Entries name functions by module and line, project paths relative to the checkout.
    assert any(".py:" in line for line in cumulative), lines
    checkout = str(Path(run.__file__).resolve().parent.parent)
    assert not any(checkout in line or "typer" in line for line in lines), lines
