"""Deterministic node positions for maps and figures.

The same graph and seed always give the same positions (rounded, so they print the same on
every run). Up to :data:`SPRING_LIMIT` nodes, networkx's spring layout (Fruchterman-Reingold)
is used; above that, :func:`grid_fruchterman_reingold`, a numpy/scipy version of the same
algorithm with the grid variant's repulsion cut-off (2,000 nodes in about a second here, where
networkx's spring layout takes over 20 s and python-igraph's about 7 s).
"""

from __future__ import annotations

import math

import networkx as nx

SPRING_LIMIT = 600


def _simple(graph: nx.MultiDiGraph) -> nx.Graph:
    """An undirected simple graph with the same nodes, in sorted order (for determinism)."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in graph.edges() if u != v}))
    return simple


def grid_fruchterman_reingold(
    n: int, edges: list[tuple[int, int]], seed: int, iterations: int | None = None
) -> list[tuple[float, float]]:
    """Fruchterman-Reingold with the grid variant's cut-off: nodes repel only within
    ``2 k`` of each other (neighbours found with a k-d tree), edges attract, and a weak
    gravity holds components together. O(n log n + m) per iteration, deterministic for a seed.
    """
    import numpy as np
    from scipy.spatial import cKDTree

    from mapper.progress import track

    if iterations is None:
        iterations = 120 if n <= 3000 else 80
    rng = np.random.default_rng(seed)
    k = 1.0
    side = math.sqrt(n) * k
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    ends = np.array(edges, dtype=np.int64).reshape(-1, 2)
    temperature = side / 8
    cooling = temperature / (iterations + 1)
    for _ in track(range(iterations), iterations, "layout", size=n + len(edges)):
        disp = -pos * (0.6 / side)
        pairs = cKDTree(pos).query_pairs(2.0 * k, output_type="ndarray")
        for (a, b), weight in (
            (pairs.T if len(pairs) else (None, None), 1.0),
            (ends.T if len(ends) else (None, None), -1.0),
        ):
            if a is None:
                continue
            delta = pos[a] - pos[b]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 0.01)
            # Repulsion k²/d between close pairs (weight 1), attraction d²/k along edges (-1).
            scale = 4 * k * k / dist**2 if weight > 0 else -dist / k
            force = delta * scale[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(a, force[:, axis], minlength=n)
                disp[:, axis] -= np.bincount(b, force[:, axis], minlength=n)
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return [(float(x), float(y)) for x, y in pos]


def _component(simple: nx.Graph, nodes: set[str]) -> nx.Graph:
    """One component as its own graph with nodes and edges in sorted order.

    Not ``simple.subgraph(nodes)``: for a small part of a big graph networkx iterates that view
    over the node *set*, whose order changes with the interpreter's hash seed (and with it the
    layout).
    """
    component = nx.Graph()
    component.add_nodes_from(sorted(nodes))
    component.add_edges_from(sorted(tuple(sorted(e)) for e in simple.edges(nodes)))
    return component


def _spring(component: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout of one connected component, about 1 unit between neighbours."""
    n = component.number_of_nodes()
    if n == 1:
        return {next(iter(component.nodes)): (0.0, 0.0)}
    if n == 2:
        a, b = sorted(component.nodes)
        return {a: (-0.5, 0.0), b: (0.5, 0.0)}
    pos = nx.spring_layout(component, seed=seed, iterations=150 if n < 300 else 60, k=1.8 / math.sqrt(n))
    xs = [float(p[0]) for p in pos.values()]
    ys = [float(p[1]) for p in pos.values()]
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 1.15 * math.sqrt(n) / extent
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {k: ((float(v[0]) - cx) * scale, (float(v[1]) - cy) * scale) for k, v in pos.items()}


def _pack(parts: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Place laid-out components side by side in rows (biggest first), 1.5 units apart."""
    boxes = []
    for part in parts:
        xs = [p[0] for p in part.values()]
        ys = [p[1] for p in part.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + 1.5, max(ys) - min(ys) + 1.5))
    area = sum(w * h for _, _, w, h in boxes)
    row_width = max(max(w for _, _, w, _ in boxes), math.sqrt(area) * 1.3)
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part, (x0, y0, w, h) in zip(parts, boxes, strict=False):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in part.items():
            out[node] = (px - x0 + x, py - y0 + y)
        x += w
        row_height = max(row_height, h)
    return out


def compute_positions(
    graph: nx.MultiDiGraph, seed: int = 42, spacing: float = 110.0
) -> dict[str, tuple[float, float]]:
    """``{node: (x, y)}`` in screen units, about ``spacing`` apart, centred on 0.

    Up to :data:`SPRING_LIMIT` nodes each connected component gets its own spring layout and
    the components are packed in rows, biggest first (so isolated entities do not push the
    rest into a corner); above it, one :func:`grid_fruchterman_reingold` run.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
    seed : int
        Same seed, same graph: same positions.
    spacing : float
        Typical distance between neighbouring nodes in the result's units (pixels on a map).

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> compute_positions(g, seed=1) == compute_positions(g, seed=1)
    True
    """
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    simple = _simple(graph)
    raw: dict[str, tuple[float, float]]
    if n <= SPRING_LIMIT:
        components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
        raw = _pack([_spring(_component(simple, c), seed) for c in components])
    else:
        nodes = list(simple.nodes)
        index = {node: i for i, node in enumerate(nodes)}
        coords = grid_fruchterman_reingold(n, [(index[u], index[v]) for u, v in simple.edges()], seed)
        raw = dict(zip(nodes, coords, strict=False))
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        k: (round((x - cx) * spacing, 1), round((y - cy) * spacing, 1)) for k, (x, y) in sorted(raw.items())
    }
