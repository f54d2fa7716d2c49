"""A map from the entry object shows inline, as Jupyter shows it: its ``_repr_html_`` (an iframe
whose ``srcdoc`` is the whole page) in a host page, drawn by a real Chromium with the page's own
scripts and Content-Security-Policy, offline."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from mapper.api import Mapping
from tests.exports.browser import open_page


def _frame_ready(frame: Any, timeout: float = 60.0) -> None:
    started = time.monotonic()
    while not frame.evaluate("() => Boolean(window.igfmap && window.igfmap.ready)"):
        assert time.monotonic() - started < timeout, f"inline map not ready after {timeout} s"
        time.sleep(0.05)


def test_a_map_shows_inline_in_a_notebook_cell(tmp_path: Path, chromium, seed_store) -> None:
    page = Mapping(seed_store).map(focus="dccg", depth=1, highlight_gaps=True, as_of="2025-06-30")
    cell = page._repr_html_()
    assert cell.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    host = tmp_path / "cell.html"
    host.write_text(f"<!DOCTYPE html><html><body><h1>Out[3]:</h1>{cell}</body></html>", encoding="utf-8")
    with open_page(chromium, host, width=1600, height=1000) as (browser_page, log):
        frames = [f for f in browser_page.frames if f.url == "about:srcdoc"]
        assert len(frames) == 1
        _frame_ready(frames[0])
        drawn = frames[0].evaluate(
            "[igfmap.network.body.nodeIndices.length, igfmap.network.body.edgeIndices.length]"
        )
        assert drawn == [page.info.nodes, page.info.edges]
        assert frames[0].inner_text("#count-nodes") == str(page.info.nodes)
        browser_page.screenshot(path=str(tmp_path / "cell.png"))
        log.assert_clean()
