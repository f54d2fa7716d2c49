"""Static figures of a big store draw what a page can hold, as the map does past 2,000 entities."""

from __future__ import annotations

from benchmarks.generate import generate
from exports.html_map import MAX_NODES
from exports.static import engagement_figure, network_figure
from mapper.dataset import to_graph


def test_the_network_figure_draws_the_best_connected_entities_past_the_map_cap() -> None:
    graph = to_graph(generate(MAX_NODES + 500, seed=3))
    assert graph.number_of_nodes() == MAX_NODES + 500
    drawing = network_figure(graph, title="t", caption="c")
    drawn = sum(1 for item in drawing.items if getattr(item, "tag", "") == "node")  # the markers
    assert drawn == MAX_NODES
    captions = [t.text for t in drawing.texts()]
    assert any(text.startswith("c · 500 less connected entities left out") for text in captions), captions


def test_the_engagement_figure_of_a_big_store_keeps_activities_and_their_lines() -> None:
    """Past the page, the lightest process groups fold into one row, so the groups kept still
    show an activity each and the lines to it (before: every group a heading and "+ N more",
    no activity, no line between the columns)."""
    drawing = engagement_figure(to_graph(generate(20_000, seed=0)), title="t", caption="c")
    texts = [t.text for t in drawing.texts()]  # drawn on the page, column by column
    headings = [i for i, t in enumerate(texts) if t.startswith("process: ")]
    assert headings and any(t.startswith("+ ") and "more groups" in t for t in texts)
    for i in headings:  # each kept process heading is followed by an activity's row
        assert not texts[i + 1].startswith(("+ ", "process: ")), texts[i : i + 2]
    pairs = [item for item in drawing.items if getattr(item, "tag", "") == "pair"]
    assert sum(1 for item in pairs for command in item.commands if command[0] == "M") > 100  # curves
