"""The browser benchmark runs end to end at a small size in a real headless Chromium (a smoke
test: the figures come from `make bench`). 60 entities keep pyvis's own page (physics on) to a
few seconds here; at 200 it takes 35-60 s on a loaded 2-core machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import browser, run

ENTITIES = 60


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> browser.BrowserResult:
    # The session's Chromium (tests/conftest.py, which fails loudly when it is missing): a
    # process holds one Playwright at a time, so a browser of the benchmark's own would fail
    # whenever a browser test ran before this one.
    work = tmp_path_factory.mktemp("browser-bench")
    return browser.measure(
        ENTITIES, work, repeats=1, cap=90.0, screenshots=work, log=lambda _: None, browser=chromium
    )


def test_both_pages_draw_every_node_and_become_still(measured: browser.BrowserResult) -> None:
    assert measured.nodes == ENTITIES
    for side in ("ours", "base"):
        (page_run,) = measured.runs[side]
        assert not page_run.capped, side
        assert page_run.seconds > 0, side
        assert page_run.first_drawn is not None and 0 < page_run.first_drawn <= page_run.seconds, side
        # What vis-network holds on each page is every entity of the graph.
        assert page_run.nodes == ENTITIES, side
        assert page_run.samples >= browser.STILL_SAMPLES, side
        assert measured.screenshots[side].stat().st_size > 10_000, side
    # Ours is built to work offline; pyvis's template still asks a CDN for Bootstrap.
    assert measured.runs["ours"][0].outside_requests == 0
    ratio, bound = measured.ratio()
    assert ratio is not None and ratio > 0 and not bound


def test_the_report_has_the_browser_section(measured: browser.BrowserResult) -> None:
    text = "\n".join(run.render_browser(measured))
    assert '<a id="browser"></a>' in text
    assert f"{ENTITIES} entities" in text
    rows = [line for line in text.splitlines() if line.startswith(("| ours |", "| baseline (pyvis) |"))]
    assert len(rows) == 2
    assert "Ratio ours / baseline: **" in text
    assert run.browser_summary_row(measured).startswith(
        "| [Map drawn and still in Chromium](#browser) | 60 |"
    )


def test_the_cli_step_is_opt_in(tmp_path: Path) -> None:
    args = run.parse_args(["--commands", "seed,browser,M"])
    assert args.browser and args.seed_commands
    assert args.command_sizes == [("M", run.NAMED_SIZES["M"])]
    left_out: list[str] = []
    assert run.browser_step(run.parse_args([]), tmp_path, left_out) is None
    assert any("--commands browser" in item for item in left_out)
