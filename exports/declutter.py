"""Keeping pictures readable: nodes that never overlap, labels only where they fit.

:func:`separate` is a noverlap-style post-pass (as in Gephi) on the positions
:func:`exports.layout.compute_positions` returns: it moves discs apart until none overlaps.
:func:`place_labels` places matplotlib labels greedily, most important first, trying a few
spots around each point and dropping a label that would touch another label or node.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def separate(
    positions: dict[str, tuple[float, float]], radii: dict[str, float], gap: float = 8.0, rounds: int = 80
) -> dict[str, tuple[float, float]]:
    """``positions`` moved so that no two discs (``radii`` plus ``gap``) overlap.

    Each round pushes every overlapping pair apart by half the overlap each (candidate pairs
    from :func:`_pairs_within_function`); deterministic, since pairs come in a fixed order and
    coincident points get a direction from their indexes.

    >>> p = separate({"a": (0.0, 0.0), "b": (1.0, 0.0)}, {"a": 5.0, "b": 5.0}, gap=0.0)
    >>> round(abs(p["a"][0] - p["b"][0]), 1) >= 10.0
    True
    """
    import numpy as np

    if len(positions) < 2:
        return dict(positions)
    ids = sorted(positions)
    pos = np.array([positions[n] for n in ids], dtype=float)
    rad = np.array([radii.get(n, 10.0) for n in ids], dtype=float) + gap / 2
    reach = 2 * float(rad.max())
    pairs_within = _pairs_within_function(len(ids))
    for _ in range(rounds):
        pairs = pairs_within(pos, reach)
        if not len(pairs):
            break
        a, b = pairs[:, 0], pairs[:, 1]
        delta = pos[b] - pos[a]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        overlap = rad[a] + rad[b] - dist
        hit = overlap > 0.01
        if not hit.any():
            break
        a, b, delta, dist, overlap = a[hit], b[hit], delta[hit], dist[hit], overlap[hit]
        angle = ((a * 7 + b * 13) % 360) * math.pi / 180
        unit = np.where(
            dist[:, None] > 1e-6,
            delta / np.maximum(dist, 1e-6)[:, None],
            np.stack([np.cos(angle), np.sin(angle)], axis=1),
        )
        push = unit * (overlap / 2 + 0.05 * rad.min())[:, None]
        move = np.zeros_like(pos)
        for axis in (0, 1):
            move[:, axis] -= np.bincount(a, push[:, axis], minlength=len(ids))
            move[:, axis] += np.bincount(b, push[:, axis], minlength=len(ids))
        pos += move
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(ids, pos, strict=True)}


#: Up to this many points, :func:`separate` compares every pair with numpy rather than build
#: scipy's k-d tree: importing scipy.spatial alone took 0.4-0.6 s of CPU, a fifth of `igfmap
#: map` on the seed, while all 47,000 pairs of its 309 entities take about a millisecond.
ALL_PAIRS_LIMIT = 500


def _pairs_within_function(n: int) -> Any:
    """``pairs(pos, reach) -> (k, 2) array`` of the index pairs ``i < j`` of ``n`` points at
    most ``reach`` apart: every pair checked up to :data:`ALL_PAIRS_LIMIT` points (in index
    order), scipy's k-d tree above."""
    import numpy as np

    if n > ALL_PAIRS_LIMIT:
        from scipy.spatial import cKDTree

        return lambda pos, reach: cKDTree(pos).query_pairs(reach, output_type="ndarray")
    first, second = np.triu_indices(n, k=1)

    def pairs(pos: Any, reach: float) -> Any:
        xs, ys = pos[:, 0], pos[:, 1]
        dx, dy = xs[second] - xs[first], ys[second] - ys[first]
        near = np.flatnonzero(dx * dx + dy * dy <= reach * reach)
        return np.stack([first[near], second[near]], axis=1)

    return pairs


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display units


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    ax: Any,
    items: Sequence[tuple[str, tuple[float, float], float, str]],
    *,
    fontsize: float,
    obstacles: Sequence[Box] = (),
    margin: float = 1.5,
    **text_kwargs: Any,
) -> list[str]:
    """Draw ``(id, (x, y) in data units, marker radius in points, text)`` labels in the given
    order where they fit: below, above, right or left of the point, inside the axes, touching no
    other label and no obstacle (the markers, in display units). Returns the ids labelled."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    points = fig.dpi / 72.0
    frame = ax.get_window_extent(renderer)
    taken: list[Box] = []
    grid: dict[tuple[int, int], list[int]] = {}
    cell = 40.0 * points

    def keys(box: Box) -> list[tuple[int, int]]:
        return [
            (gx, gy)
            for gx in range(int(box[0] // cell), int(box[2] // cell) + 1)
            for gy in range(int(box[1] // cell), int(box[3] // cell) + 1)
        ]

    def add(box: Box) -> None:
        taken.append(box)
        for key in keys(box):
            grid.setdefault(key, []).append(len(taken) - 1)

    def free(box: Box, own: Box) -> bool:
        if box[0] < frame.x0 or box[2] > frame.x1 or box[1] < frame.y0 or box[3] > frame.y1:
            return False
        return not any(
            taken[i] != own and _overlaps(box, taken[i]) for key in keys(box) for i in grid.get(key, ())
        )

    for box in obstacles:
        add(box)
    placed = []
    for ident, (x, y), radius, label in items:
        px, py = ax.transData.transform((x, y))
        r = radius * points
        own: Box = (px - r, py - r, px + r, py + r)
        text = ax.text(x, y, label, fontsize=fontsize, parse_math=False, **text_kwargs)
        width_height = text.get_window_extent(renderer)
        w, h = width_height.width, width_height.height
        gap = margin * points
        spots = (
            (px - w / 2, py - r - gap - h),  # below
            (px - w / 2, py + r + gap),  # above
            (px + r + gap, py - h / 2),  # right
            (px - r - gap - w, py - h / 2),  # left
        )
        for x0, y0 in spots:
            box = (x0 - gap, y0 - gap, x0 + w + gap, y0 + h + gap)
            if free(box, own):
                text.set_position(ax.transData.inverted().transform((x0, y0)))
                text.set_ha("left")
                text.set_va("bottom")
                add(box)
                placed.append(ident)
                break
        else:
            text.remove()
    return placed
