"""Deterministic node positions for maps and figures.

The same graph and seed always give the same positions (rounded, so they print the same on
every run). Up to :data:`SPRING_LIMIT` nodes, each connected component gets a spring layout
(Fruchterman-Reingold with networkx's forces and cooling, :func:`spring_layout`; it lays small
maps out well); above that, python-igraph's
Fruchterman-Reingold (:func:`igraph_fruchterman_reingold`, C code with a grid for big graphs:
BENCHMARKS.md measures it against igraph's own call with defaults).
"""

from __future__ import annotations

import math
import random

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


def spring_layout(graph: nx.Graph, *, k: float, iterations: int, seed: int) -> list[tuple[float, float]]:
    """Fruchterman-Reingold positions of ``graph``'s nodes (in its order) for up to
    :data:`SPRING_LIMIT` nodes: networkx's dense ``spring_layout`` forces and cooling (repulsion
    ``k²/d`` between every pair, attraction ``d²/k`` along each edge, a step capped by a
    temperature that falls linearly from a tenth of the start's extent), computed with less work.

    * Repulsion from squared distances only (themselves one matrix product), summed as another:
      each node's push is ``p_i·Σ_j w_ij − Σ_j w_ij·p_j`` with ``w_ij = k²/(d²_ij + 10⁻⁴)``
      (networkx caps the distance below at 0.01, here the same floor softens it), in float32
      on centred coordinates (the (n, n) array of a 500-node graph then stays in cache;
      positions are kept in float64).
    * Attraction over the edge list, not an (n, n) adjacency matrix.
    * Start positions from a ``random.Random(seed)`` (importing ``numpy.random`` costs 8 ms).

    On the seed (402 nodes, 60 iterations) that is 9 ms, against 85 ms for the networkx
    computation bit for bit. Same graph (same order) and seed, same positions.
    """
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    rng = random.Random(seed)
    pos = np.array([rng.random() for _ in range(2 * n)]).reshape(n, 2)
    index = {node: i for i, node in enumerate(nodes)}
    ends = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.intp).reshape(-1, 2)
    heads, tails = ends[:, 0], ends[:, 1]
    temperature = float(max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1]))) * 0.1
    cooling = temperature / (iterations + 1)
    k2 = np.float32(k * k)
    weights = np.empty((n, n), np.float32)
    # Squared distances as one product: d²_ij = [-2x_i, -2y_i, |p_i|², 1] · [x_j, y_j, 1, |p_j|²].
    left = np.ones((n, 4), np.float32)
    right = np.ones((4, n), np.float32)
    extended = np.ones((n, 3), np.float32)  # x, y, 1: one product gives Σ w·x, Σ w·y and Σ w
    diagonal = slice(None, None, n + 1)
    for _ in range(iterations):
        centred = pos - pos.mean(axis=0)  # small coordinates: little lost to rounding in float32
        squares = (centred * centred).sum(axis=1)
        left[:, :2] = -2 * centred
        left[:, 2] = squares
        right[:2] = centred.T
        right[3] = squares
        np.matmul(left, right, out=weights)
        weights += np.float32(1e-4)
        np.divide(k2, weights, out=weights)
        weights.flat[diagonal] = 0.0  # a node does not push itself
        extended[:, :2] = centred
        sums = weights @ extended
        displacement = (extended[:, :2] * sums[:, 2:3] - sums[:, :2]).astype(float)
        delta = pos[heads] - pos[tails]
        pull = delta * (np.hypot(delta[:, 0], delta[:, 1]) / k)[:, None]
        for axis in (0, 1):
            displacement[:, axis] -= np.bincount(heads, pull[:, axis], minlength=n)
            displacement[:, axis] += np.bincount(tails, pull[:, axis], minlength=n)
        length = np.maximum(np.hypot(displacement[:, 0], displacement[:, 1]), 0.01)
        step = displacement * (temperature / length)[:, None]
        pos += step
        temperature -= cooling
        if np.linalg.norm(step) / n < 1e-4:  # spring_layout's default threshold
            break
    return [(float(px), float(py)) for px, py in pos]


def _spring(component: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout of one connected component, about 1 unit between neighbours."""
    n = component.number_of_nodes()
    if n == 1:
        return {next(iter(component.nodes)): (0.0, 0.0)}
    if n == 2:
        a, b = sorted(component.nodes)
        return {a: (-0.5, 0.0), b: (0.5, 0.0)}
    iterations, k = 150 if n < 300 else 60, 1.8 / math.sqrt(n)
    coords = spring_layout(component, k=k, iterations=iterations, seed=seed)
    xs = [p[0] for p in coords]
    ys = [p[1] for p in coords]
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 1.15 * math.sqrt(n) / extent
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        node: ((x - cx) * scale, (y - cy) * scale) for node, (x, y) in zip(component, coords, strict=True)
    }


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
