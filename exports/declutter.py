"""Keeping pictures readable: nodes that never overlap, labels only where they fit.

:func:`separate` is a noverlap-style post-pass (as in Gephi) on the positions
:func:`exports.layout.compute_positions` returns: it moves discs apart until none overlaps.
:func:`place_labels` places labels greedily, most important first, trying a few spots around
each point and dropping a label that would touch another label or node.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
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
    every_first, every_second = np.triu_indices(n, k=1)
    # The candidates: the pairs within reach + slack of each other when last listed, and those
    # positions. While no point has moved more than a half slack since, every pair now within
    # reach is a candidate (triangle inequality), in the same order as among all pairs: the
    # same pairs as checking all of them, without checking all of them each round.
    listed: dict[str, Any] = {}

    def within(pos: Any, first: Any, second: Any, reach: float) -> Any:
        xs, ys = pos[:, 0], pos[:, 1]
        dx, dy = xs[second] - xs[first], ys[second] - ys[first]
        return np.flatnonzero(dx * dx + dy * dy <= reach * reach)

    def pairs(pos: Any, reach: float) -> Any:
        slack = reach / 2
        stale = (
            listed.get("reach") != reach or 2 * float(np.hypot(*(pos - listed["pos"]).T).max()) > 0.99 * slack
        )
        if stale:
            near = within(pos, every_first, every_second, reach + slack)
            listed.update(reach=reach, pos=pos.copy(), first=every_first[near], second=every_second[near])
        first, second = listed["first"], listed["second"]
        near = within(pos, first, second, reach)
        return np.stack([first[near], second[near]], axis=1)

    return pairs


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in page points (y down)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    items: Sequence[tuple[str, tuple[float, float], float, str]],
    frame: Box,
    measure: Callable[[str], float],
    size: float,
    *,
    margin: float = 1.5,
) -> list[tuple[str, str, tuple[float, float]]]:
    """Place ``(id, (x, y) on the page, marker radius, text)`` labels in the given order where
    they fit: below, above, right or left of the marker, inside ``frame``, touching no other
    label and no marker (every item's). ``measure`` gives a text's width at ``size``; a label is
    ``size`` tall (a line of DejaVu Sans). Returns ``(id, text, top left corner)`` of each label
    placed, in order.
    """
    taken = _Occupancy(frame, cell=40.0)
    for _, (x, y), radius, _ in items:
        taken.add((x - radius, y - radius, x + radius, y + radius))
    placed = []
    for ident, (x, y), radius, label in items:
        own: Box = (x - radius, y - radius, x + radius, y + radius)
        for x0, y0, box in _places(x, y, radius, measure(label), size, margin):
            if taken.free(box, own):
                taken.add(box)
                placed.append((ident, label, (x0, y0)))
                break
    return placed


class _Occupancy:
    """The boxes taken so far, on a grid of cells so that a test for overlap looks only at the
    boxes near the one tested; a box must also lie inside ``frame``."""

    def __init__(self, frame: Box, cell: float) -> None:
        self.frame = frame
        self.cell = cell
        self.taken: list[Box] = []
        self.grid: dict[tuple[int, int], list[int]] = {}

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        cell = self.cell
        return [
            (gx, gy)
            for gx in range(int(box[0] // cell), int(box[2] // cell) + 1)
            for gy in range(int(box[1] // cell), int(box[3] // cell) + 1)
        ]

    def add(self, box: Box) -> None:
        self.taken.append(box)
        for key in self._keys(box):
            self.grid.setdefault(key, []).append(len(self.taken) - 1)

    def free(self, box: Box, own: Box) -> bool:
        """Whether ``box`` is inside the frame and overlaps no box taken but ``own``."""
        frame, taken = self.frame, self.taken
        if box[0] < frame[0] or box[2] > frame[2] or box[1] < frame[1] or box[3] > frame[3]:
            return False
        return not any(
            taken[i] != own and _overlaps(box, taken[i])
            for key in self._keys(box)
            for i in self.grid.get(key, ())
        )


def _places(x: float, y: float, r: float, w: float, h: float, gap: float) -> list[tuple[float, float, Box]]:
    """The four places of a ``w`` x ``h`` label by a marker of radius ``r`` at ``(x, y)``: its
    top left corner and its box with the gap, below, above, right and left (y down)."""
    corners = (
        (x - w / 2, y + r + gap),  # below
        (x - w / 2, y - r - gap - h),  # above
        (x + r + gap, y - h / 2),  # right
        (x - r - gap - w, y - h / 2),  # left
    )
    return [(x0, y0, (x0 - gap, y0 - gap, x0 + w + gap, y0 + h + gap)) for x0, y0 in corners]
