"""Deterministic node positions for maps and figures.

The same graph and seed always give the same positions (rounded, so they print the same on
every run). Up to :data:`SPRING_LIMIT` nodes, networkx's spring layout (Fruchterman-Reingold)
is used per connected component (it lays small maps out well; below networkx's dense limit
through :func:`dense_spring_layout`, the same numbers faster); above that, python-igraph's
Fruchterman-Reingold (:func:`igraph_fruchterman_reingold`, C code with a grid for big graphs:
BENCHMARKS.md measures it against igraph's own call with defaults).
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

SPRING_LIMIT = 600


def _simple(graph: nx.MultiDiGraph) -> nx.Graph:
    """An undirected simple graph with the same nodes, in sorted order (for determinism)."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in graph.edges() if u != v}))
    return simple


def igraph_fruchterman_reingold(n: int, edges: list[tuple[int, int]], seed: int) -> list[tuple[float, float]]:
    """python-igraph's Fruchterman-Reingold (its defaults: 500 iterations, the grid variant from
    1,000 nodes), from seeded start positions and with igraph's random numbers drawn from a
    ``random.Random(seed)``, so the same graph and seed give the same positions in every run.
    Positions are scaled so that the median edge is 1 unit long.
    """
    import random

    import igraph
    import numpy as np

    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    start = rng.uniform(-side / 2, side / 2, size=(n, 2)).tolist()
    graph = igraph.Graph(n=n, edges=edges)
    # igraph draws from Python's global ``random`` by default: swap in a seeded generator for
    # this call only, then put the default back.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = np.array(graph.layout_fruchterman_reingold(seed=start).coords, dtype=float)
    finally:
        igraph.set_random_number_generator(random)
    if edges:
        ends = np.array(edges, dtype=np.int64)
        delta = coords[ends[:, 0]] - coords[ends[:, 1]]
        median = float(np.median(np.hypot(delta[:, 0], delta[:, 1])))
        if median > 0:
            coords /= median
    return [(float(x), float(y)) for x, y in coords]


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


#: Below this many nodes networkx's spring_layout runs its dense Fruchterman-Reingold
#: ("force"), from this many on its sparse "energy" method.
NX_DENSE_LIMIT = 500


def dense_spring_layout(graph: nx.Graph, *, k: float, iterations: int, seed: int) -> dict[Any, Any]:
    """``nx.spring_layout(graph, k=k, iterations=iterations, seed=seed)`` for a graph of 3 to
    :data:`NX_DENSE_LIMIT` nodes, bit for bit, in a third of the time.

    networkx's dense Fruchterman-Reingold builds the (n, n, 2) array of differences between
    positions by broadcasting and takes its norm along the last axis, each a strided loop two
    values long (most of the time of an iteration). Here each coordinate's differences are
    written into that array as one (n, n) subtraction and the distances come from them, and the
    forces are summed one coordinate at a time; the operations and their order are networkx's,
    so the numbers are the same (a test compares).
    """
    import numpy as np

    adjacency = nx.to_numpy_array(graph, weight="weight")
    n = adjacency.shape[0]
    pos = np.asarray(np.random.RandomState(seed).rand(n, 2), dtype=adjacency.dtype)
    t = max(max(pos.T[0]) - min(pos.T[0]), max(pos.T[1]) - min(pos.T[1])) * 0.1
    dt = t / (iterations + 1)
    delta = np.empty((n, n, 2))
    displacement = np.empty((n, 2))
    for _ in range(iterations):
        for axis in (0, 1):
            np.subtract(pos[:, axis, None], pos[None, :, axis], out=delta[:, :, axis])
        dx, dy = delta[:, :, 0], delta[:, :, 1]
        distance = np.sqrt(dx * dx + dy * dy)
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance**2 - adjacency * distance / k
        # networkx's einsum("ijk,ij->ik", delta, force), one coordinate at a time: the same
        # strided sums in the same order (the same bits), without the inner loop two values long.
        for axis in (0, 1):
            displacement[:, axis] = np.einsum("ij,ij->i", delta[:, :, axis], force)
        length = np.clip(np.linalg.norm(displacement, axis=-1), a_min=0.01, a_max=None)
        delta_pos = np.einsum("ij,i->ij", displacement, t / length)
        pos += delta_pos
        t -= dt
        if (np.linalg.norm(delta_pos) / n) < 1e-4:  # spring_layout's default threshold
            break
    return dict(zip(graph, nx.rescale_layout(pos, scale=1) + np.zeros(2), strict=True))


def _spring(component: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout of one connected component, about 1 unit between neighbours."""
    n = component.number_of_nodes()
    if n == 1:
        return {next(iter(component.nodes)): (0.0, 0.0)}
    if n == 2:
        a, b = sorted(component.nodes)
        return {a: (-0.5, 0.0), b: (0.5, 0.0)}
    iterations, k = 150 if n < 300 else 60, 1.8 / math.sqrt(n)
    if n < NX_DENSE_LIMIT:
        pos = dense_spring_layout(component, k=k, iterations=iterations, seed=seed)
    else:
        pos = nx.spring_layout(component, seed=seed, iterations=iterations, k=k)
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
    rest into a corner); above it, one :func:`igraph_fruchterman_reingold` run.

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
        coords = igraph_fruchterman_reingold(n, [(index[u], index[v]) for u, v in simple.edges()], seed)
        raw = dict(zip(nodes, coords, strict=False))
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        k: (round((x - cx) * spacing, 1), round((y - cy) * spacing, 1)) for k, (x, y) in sorted(raw.items())
    }
