"""The engagement view: every engagement drawn once, every actor and activity once, the
uncovered activities of the gap rule marked; and maps count only the findings they show."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import pytest

from exports.engagement import engagement_view, engaging_relations
from exports.html_map import write_map
from mapper.errors import UsageError
from queries.asof import as_of_graph
from queries.gaps import run_gaps
from tests.exports.conftest import store_of

DAY = "2025-06-30"


def page_data(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="igfmap-data">(.*?)</script>', html, re.S)
    assert block
    return json.loads(block.group(1))


def test_every_engagement_once_and_uncovered_marked(tmp_path: Path, seed_store) -> None:
    graph = as_of_graph(seed_store.graph, DAY)
    uncovered = {f.subjects[0] for f in run_gaps(seed_store, ["uncovered-activity"], as_of=DAY).findings}
    assert uncovered, "the seed has uncovered activities"
    result = write_map(seed_store, tmp_path / "e.html", view="engagement", as_of=DAY)
    data = page_data(tmp_path / "e.html")

    # Every ENGAGES_IN valid on the day is in exactly one drawn line, one line per pair.
    expected = engaging_relations(graph)
    drawn = [key for edge in data["edges"] for key in data["members"][edge["id"]]]
    engages = [k for k in drawn if "|ENGAGES_IN|" in k]
    assert sorted(engages) == expected
    assert len(set(engages)) == len(engages)
    pairs = [(e["from"], e["to"]) for e in data["edges"]]
    assert len(pairs) == len(set(pairs))

    # Every actor and every activity and process once; uncovered ones marked as gaps.
    ids = [n["id"] for n in data["nodes"]]
    assert len(ids) == len(set(ids)) == result.nodes
    for node, attrs in graph.nodes(data=True):
        if attrs.get("category") in ("actor", "activity", "process"):
            assert node in ids, node
    assert uncovered <= set(data["gaps"])
    for node in uncovered:
        assert data["entities"][node]["gap"] == "uncovered"
    # Actors that engage on nothing are marked too, and only those.
    engaged = {
        u
        for u, _, a in graph.edges(data=True)
        if a["type"] == "ENGAGES_IN" and a.get("status", "active") in ("active", "planned")
    }
    marked = {n for n, e in data["entities"].items() if e.get("gap") == "unengaged"}
    actors = {n for n, a in graph.nodes(data=True) if a.get("category") == "actor"}
    assert marked == actors - engaged


def test_actors_left_activities_middle_objectives_right(tiny_graph) -> None:
    view = engagement_view(tiny_graph)
    x = {n: p[0] for n, p in view.positions.items()}
    assert x["dc-a"] < x["ai-dialogue"] < x["gdc-obj-3"]
    assert x["gdc-impl"] == x["ai-dialogue"]
    # Two relations between dc-a and ai-dialogue: one line, drawn as the active contributor.
    line = next(p for p in view.pairs if (p.source, p.target) == ("dc-a", "ai-dialogue"))
    assert len(line.keys) == 2 and (line.role, line.status) == ("contributor", "active")
    # Documents are not in the engagement view; the event nobody engages in neither.
    assert "wsis20-letter" not in view.columns and "igf-2025" not in view.columns


def test_findings_in_a_map_are_those_about_what_it_shows(tmp_path: Path, seed_store) -> None:
    result = write_map(seed_store, tmp_path / "f.html", focus="dccg", depth=0, highlight_gaps=True, as_of=DAY)
    data = page_data(tmp_path / "f.html")
    html = (tmp_path / "f.html").read_text(encoding="utf-8")
    assert result.nodes == 1
    assert len(data["findings"]) == result.findings
    assert all(set(f["subjects"]) <= set(data["entities"]) for f in data["findings"])
    counts = Counter(f["rule"] for f in data["findings"])
    if result.findings:
        assert f'<span id="count-findings">{result.findings}</span>' in html
    for rule, n in counts.items():
        assert re.search(rf'value="{re.escape(rule)}">.*?<span class="muted">{n}</span>', html, re.S)


def test_unknown_view_is_a_usage_error(tmp_path: Path, tiny_graph) -> None:
    with pytest.raises(UsageError):
        write_map(store_of(tiny_graph), tmp_path / "x.html", view="sankey")


@pytest.mark.parametrize("data", ["seed", "generated"])
def test_boxes_are_sized_to_their_names_and_never_overlap(data: str, seed_store) -> None:
    from benchmarks.generate import generate
    from exports.engagement import FONT, PAD_X, READABLE, _text_width, screen_layout
    from exports.view import select
    from mapper.store import EmbeddedStore

    store = seed_store if data == "seed" else EmbeddedStore(generate(500, seed=1))
    graph = select(store.graph, as_of=DAY if data == "seed" else None)
    view = engagement_view(graph)
    layout = screen_layout(view, graph)
    # The seed reads beside the panel; the 500 generated entities need the whole width.
    assert layout.text_px >= READABLE and layout.panel == (data == "seed")
    measure = _text_width(FONT)
    boxes = {
        n: (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        for n, (x, y) in layout.positions.items()
        for w, h, _ in [layout.sizes[n]]
    }
    assert set(boxes) == set(view.columns)
    for node, (left, _, right, _) in boxes.items():  # each line of a name inside its box
        assert max(measure(t) for t in layout.labels[node].split("\n")) <= right - left - 2 * PAD_X + 0.1
    # A sub-column is as wide as its widest name: some box in it is filled to its margins.
    by_left: dict[float, list[str]] = {}
    for node, (left, *_rest) in boxes.items():
        by_left.setdefault(round(left, 1), []).append(node)
    for members in by_left.values():
        widths = {layout.sizes[n][0] for n in members}
        assert len(widths) == 1
        widest = max(measure(t) for n in members for t in layout.labels[n].split("\n"))
        assert widest > widths.pop() - 2 * PAD_X - 1
    for fold in layout.folds:  # the count boxes of actors with no line sit among them
        boxes[fold["id"]] = (
            fold["x"] - fold["w"] / 2,
            fold["y"] - fold["h"] / 2,
            fold["x"] + fold["w"] / 2,
            fold["y"] + fold["h"] / 2,
        )
    ordered = sorted(boxes.values())
    overlaps = [
        (a, b)
        for i, a in enumerate(ordered)
        for b in ordered[i + 1 :]
        if b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert overlaps == []


def _wrap_measuring_lines(name: str, width: float, lines: int, size: float) -> str:
    """wrap_name as it was written first: every candidate line measured whole."""
    from exports.engagement import _text_width

    measure = _text_width(size)
    parts: list[str] = []
    for word in name.split():
        if parts and measure(parts[-1] + " " + word) <= width:
            parts[-1] += " " + word
        else:
            parts.append(word)
    if len(parts) > lines:
        parts = parts[:lines]
        words = parts[-1].split(" ")
        while len(words) > 1 and measure(" ".join(words) + "…") > width:
            words.pop()
        parts[-1] = " ".join(words).rstrip(" ,;:") + "…"
    for i, part in enumerate(parts):
        while measure(part) > width and len(part) > 2:
            part = part[:-2].rstrip(" ,;:") + "…"
        parts[i] = part
    return "\n".join(parts)


def test_a_line_is_as_wide_as_its_words_and_spaces(seed_store) -> None:
    """What wrap_name relies on to measure each word once: the measuring font (DejaVu Sans, as
    shaped by Pillow) kerns nothing against a space, so a line's width is the sum of its words'
    and spaces' widths. Checked for every character of Latin-1, Latin Extended, Greek, Cyrillic,
    Arabic and general punctuation, on either side of a space, at both sizes the pages use; a
    combining mark after a space sits on it (wrap_name measures such a line whole). The labels
    are those of measuring every candidate line whole, for every seed name at several widths."""
    import unicodedata

    from exports.engagement import FOLD_FONT, FONT, _text_width, wrap_name

    blocks = [(0x21, 0x7E), (0xA1, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x600, 0x6FF), (0x2010, 0x205E)]
    chars = [chr(c) for first, last in blocks for c in range(first, last + 1) if chr(c).isprintable()]
    names = [str(a.get("name") or n) for n, a in seed_store.graph.nodes(data=True)]
    names += ["IGF " + "\u064b" * 30 + " forum", "A" * 60, "x, y; z: " * 8, "منتدى حوكمة الإنترنت العربي"]
    for size in (FONT, FOLD_FONT):
        measure = _text_width(size)
        space = measure(" ")
        for ch in chars:
            alone = measure(ch)
            # Equal up to float rounding: the measure is scaled from the font's size to ``size``.
            assert math.isclose(measure(ch + " "), alone + space, rel_tol=0, abs_tol=1e-9), (size, ch)
            if unicodedata.category(ch).startswith("M"):
                assert measure(" " + ch) < space + alone, (size, ch)
            else:
                assert math.isclose(measure(" " + ch), space + alone, rel_tol=0, abs_tol=1e-9), (size, ch)
        for width in (200.0, 150.0, 110.0):
            for lines in (1, 2):
                for name in names:
                    assert wrap_name(name, width, lines, size) == _wrap_measuring_lines(
                        name, width, lines, size
                    )
