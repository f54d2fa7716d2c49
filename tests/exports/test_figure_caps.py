"""Static figures of a big store draw what a page can hold, as the map does past 2,000 entities."""

from __future__ import annotations

from benchmarks.generate import generate
from exports.html_map import MAX_NODES
from exports.static import engagement_figure, network_figure
from mapper.dataset import to_graph


def test_the_network_figure_draws_the_best_connected_entities_past_the_map_cap() -> None:
    import matplotlib.pyplot as plt

    graph = to_graph(generate(MAX_NODES + 500, seed=3))
    assert graph.number_of_nodes() == MAX_NODES + 500
    fig = network_figure(graph, title="t", caption="c")
    try:
        ax = fig.axes[0]
        from matplotlib.collections import PathCollection  # what ax.scatter makes: the nodes

        drawn = sum(len(c.get_offsets()) for c in ax.collections if type(c) is PathCollection)
        assert drawn == MAX_NODES
        captions = [t.get_text() for t in fig.texts]
        assert any(text.startswith("c · 500 less connected entities left out") for text in captions), captions
    finally:
        plt.close(fig)


def test_the_engagement_figure_of_a_big_store_keeps_activities_and_their_lines() -> None:
    """Past the page, the lightest process groups fold into one row, so the groups kept still
    show an activity each and the lines to it (before: every group a heading and "+ N more",
    no activity, no line between the columns)."""
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection

    fig = engagement_figure(to_graph(generate(20_000, seed=0)), title="t", caption="c")
    try:
        texts = [t.get_text() for t in fig.texts]  # drawn on the figure, column by column
        headings = [i for i, t in enumerate(texts) if t.startswith("process: ")]
        assert headings and any(t.startswith("+ ") and "more groups" in t for t in texts)
        for i in headings:  # each kept process heading is followed by an activity's row
            assert not texts[i + 1].startswith(("+ ", "process: ")), texts[i : i + 2]
        lines = [c for c in fig.get_children() if isinstance(c, PathCollection)]
        assert sum(len(c.get_paths()) for c in lines) > 100
    finally:
        plt.close(fig)
