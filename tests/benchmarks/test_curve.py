"""The cost curve's arithmetic: growth exponents from a least-squares fit, and the n log n flag."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks.commands import Run, ScaleResult
from benchmarks.curve import (
    FLOOR_LABEL,
    command_key,
    curves,
    fit_exponent,
    n_log_n_exponent,
    render_curve,
    write_curve_svg,
)

SIZES = (1000, 10000, 15000, 150000)


def scale(n: int, seconds: dict[str, float]) -> ScaleResult:
    """A size whose runs cost what ``seconds`` says (RSS grows linearly from 50 MB)."""
    rss = int(50e6 + 1000 * n)
    runs = [Run(label, [], cost, rss, 0, 1) for label, cost in seconds.items()]
    floor = Run("floor", [], 0.1 + n / 1e5, rss, 0, 1)
    return ScaleResult(str(n), n, 2 * n, 700 * n, floor, runs, {})


def test_a_power_law_has_its_power_as_exponent() -> None:
    for power in (0.5, 1.0, 2.0):
        assert fit_exponent(SIZES, [3 * n**power for n in SIZES]) == pytest.approx(power)
    with pytest.raises(ValueError):
        fit_exponent([1000], [1.0])


def test_n_log_n_grows_a_little_faster_than_linear_and_less_so_at_scale() -> None:
    whole = n_log_n_exponent(SIZES)
    assert 1.0 < whole < 1.2
    assert n_log_n_exponent(SIZES[-2:]) < n_log_n_exponent(SIZES[:2])


def test_labels_lose_the_entity_they_asked_about() -> None:
    assert command_key("igfmap who act-0042") == "igfmap who"
    assert command_key("igfmap show igf (hub)") == "igfmap show (hub)"
    assert command_key("igfmap gaps (all rules)") == "igfmap gaps (all rules)"


def test_only_the_quadratic_command_is_flagged(tmp_path: Path) -> None:
    scales = [
        scale(
            n, {f"igfmap who e{n}": 0.2, "igfmap stats": n * math.log(n) / 1e6, "igfmap gaps": (n / 1e4) ** 2}
        )
        for n in reversed(SIZES)  # the order of the runs must not matter
    ]
    found = {c.command: c for c in curves(scales)}
    assert list(found) == [FLOOR_LABEL, "igfmap who", "igfmap stats", "igfmap gaps"]
    assert found["igfmap who"].entities == list(SIZES)
    flagged = {name for name, c in found.items() if c.faster_than_n_log_n()}
    assert flagged == {"igfmap gaps"}
    lines = render_curve(scales, "docs/bench-curve.svg")
    assert "![Wall time and peak RSS against entities, log-log](docs/bench-curve.svg)" in lines
    gaps_row = next(line for line in lines if line.startswith("| `igfmap gaps`"))
    assert "| 2.00 | 2.00 |" in gaps_row and gaps_row.endswith("| **yes** |")
    svg = tmp_path / "curve.svg"
    assert write_curve_svg(scales, svg)
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "igfmap gaps" in text and "igfmap stats" in text


def test_one_size_has_no_curve(tmp_path: Path) -> None:
    one = [scale(1000, {"igfmap stats": 0.3})]
    assert curves(one) == [] and render_curve(one, None) == []
    assert not write_curve_svg(one, tmp_path / "curve.svg")
    assert not (tmp_path / "curve.svg").exists()
