"""Static figures of a big store draw what a page can hold, as the map does past 2,000 entities."""

from __future__ import annotations

from benchmarks.generate import generate
from exports.html_map import MAX_NODES
from exports.static import network_figure
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
