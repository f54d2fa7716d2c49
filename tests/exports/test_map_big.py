"""Maps of big stores draw the best-connected entities plus the focus, and say so."""

from __future__ import annotations

from pathlib import Path

from benchmarks.generate import generate
from exports.html_map import busiest, write_map
from mapper.dataset import to_graph
from mapper.store import EmbeddedStore


def test_busiest_keeps_the_best_connected_and_the_focus() -> None:
    graph = to_graph(generate(300, seed=4))
    degree = dict(graph.degree())
    quiet = min(graph, key=lambda n: (degree[n], n))
    small, omitted = busiest(graph, 40, keep=[quiet])
    assert quiet in small and small.number_of_nodes() == 41 and omitted == 300 - 41
    drawn = sorted(n for n in small if n != quiet)
    cutoff = min(degree[n] for n in drawn)
    # Nobody left out has more relations than the least connected entity drawn.
    assert all(degree[n] <= cutoff for n in graph if n not in small)
    assert all(u in small and v in small for u, v in small.edges())
    assert graph.number_of_edges() > small.number_of_edges() > 0


def test_a_big_map_says_what_it_draws(tmp_path: Path) -> None:
    store = EmbeddedStore(generate(300, seed=4))
    result = write_map(store, tmp_path / "map.html", max_nodes=60)
    assert (result.nodes, result.omitted) == (60, 240)
    assert result.to_json()["omitted"] == 240
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "showing the 60 best-connected of 300 entities" in html
    whole = write_map(store, tmp_path / "all.html")
    assert (whole.nodes, whole.omitted) == (300, 0)
    assert "best-connected" not in (tmp_path / "all.html").read_text(encoding="utf-8")
