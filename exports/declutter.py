"""Keeping pictures readable: nodes that never overlap, labels only where they fit.

:func:`separate` is a noverlap-style post-pass (as in Gephi) on the positions
:func:`exports.layout.compute_positions` returns: it moves discs apart until none overlaps.
:func:`place_labels` places matplotlib labels greedily, most important first, trying a few
spots around each point and dropping a label that would touch another label or node.
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
    most ``reach`` apart: up to :data:`ALL_PAIRS_LIMIT` points in index order, from a list of
    candidates (scipy's k-d tree above).

    The candidates are every pair within ``2 * reach`` when the list was made (all pairs are
    compared then); it is made again once a point has moved ``reach / 4`` since. Two points that
    each moved less than ``reach / 2`` came less than ``reach`` closer, so no pair within
    ``reach`` is ever missing from the list (the quarter leaves room for rounding), and the
    answer is the same as comparing every pair each round (a Verlet list): on the seed its
    80,000 pairs are compared once instead of in each of 17 rounds (3 ms instead of 10).
    """
    import numpy as np

    if n > ALL_PAIRS_LIMIT:
        from scipy.spatial import cKDTree

        return lambda pos, reach: cKDTree(pos).query_pairs(reach, output_type="ndarray")
    first, second = np.triu_indices(n, k=1)
    made: dict[str, Any] = {}

    def within(pos: Any, a: Any, b: Any, reach: float) -> Any:
        dx, dy = pos[b, 0] - pos[a, 0], pos[b, 1] - pos[a, 1]
        return np.flatnonzero(dx * dx + dy * dy <= reach * reach)

    def pairs(pos: Any, reach: float) -> Any:
        moved = np.hypot(*(pos - made["at"]).T).max() if made.get("reach") == reach else math.inf
        if moved > reach / 4:
            near = within(pos, first, second, 2 * reach)
            made.update(at=pos.copy(), reach=reach, a=first[near], b=second[near])
        a, b = made["a"], made["b"]
        near = within(pos, a, b, reach)
        return np.stack([a[near], b[near]], axis=1)

    return pairs


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display units


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


#: What :func:`place_labels` takes as sure of a label's width before measuring it: this share of
#: the sum of its letters' widths measured one by one (spaces and characters outside Latin-1
#: counted as nothing). Kerning makes a label narrower than that sum, by at most a quarter in
#: DejaVu Sans (its tightest pairs, such as "Y.", and chains of them, measured at 5 to 20 pt).
WIDTH_FLOOR = 0.6


def _is_plain(ch: str) -> bool:
    """A visible Latin-1 character: one glyph of its own, whatever its neighbours (no joining
    forms, no combining marks, no default-ignorable soft hyphen)."""
    return ("!" <= ch <= "~") or ("\xa1" <= ch <= "\xff" and ch != "\xad")


def place_labels(
    ax: Any,
    items: Sequence[tuple[str, tuple[float, float], float, str]],
    *,
    fontsize: float,
    obstacles: Sequence[Box] = (),
    margin: float = 1.5,
    width_floor: float = WIDTH_FLOOR,
    **text_kwargs: Any,
) -> list[str]:
    """Draw ``(id, (x, y) in data units, marker radius in points, text)`` labels in the given
    order where they fit: below, above, right or left of the point, inside the axes, touching no
    other label and no obstacle (the markers, in display units). Returns the ids labelled.

    Measuring a label is most of the cost (FreeType loads every glyph), and most labels of a
    dense graph fit nowhere: a label is measured only when a box it certainly covers (its
    height, ``width_floor`` of its letters' widths) is free at one of the four places
    (``width_floor=0``: every label is measured).
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    points = fig.dpi / 72.0
    taken = _Occupancy(ax.get_window_extent(renderer), cell=40.0 * points)
    gap = margin * points
    height_floor, least_width = _label_floor(ax, renderer, fontsize, width_floor, text_kwargs)
    for box in obstacles:
        taken.add(box)
    placed = []
    for ident, (x, y), radius, label in items:
        px, py = ax.transData.transform((x, y))
        r = radius * points
        own: Box = (px - r, py - r, px + r, py + r)
        if width_floor and not any(
            taken.free(box, own) for _, _, box in _places(px, py, r, least_width(label), height_floor, gap)
        ):
            continue
        text = ax.text(x, y, label, fontsize=fontsize, parse_math=False, **text_kwargs)
        extent = text.get_window_extent(renderer)
        for x0, y0, box in _places(px, py, r, extent.width, extent.height, gap):
            if taken.free(box, own):
                text.set_position(ax.transData.inverted().transform((x0, y0)))
                text.set_ha("left")
                text.set_va("bottom")
                taken.add(box)
                placed.append(ident)
                break
        else:
            text.remove()
    return placed


class _Occupancy:
    """The boxes taken so far (display units), on a grid of cells so that a test for overlap
    looks only at the boxes near the one tested; a box must also lie inside ``frame``."""

    def __init__(self, frame: Any, cell: float) -> None:
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
        if box[0] < frame.x0 or box[2] > frame.x1 or box[1] < frame.y0 or box[3] > frame.y1:
            return False
        return not any(
            taken[i] != own and _overlaps(box, taken[i])
            for key in self._keys(box)
            for i in self.grid.get(key, ())
        )


def _places(px: float, py: float, r: float, w: float, h: float, gap: float) -> list[tuple[float, float, Box]]:
    """The four places of a ``w`` x ``h`` label by a marker of radius ``r`` at ``(px, py)``:
    its lower left corner and its box with the gap, below, above, right and left."""
    corners = (
        (px - w / 2, py - r - gap - h),  # below
        (px - w / 2, py + r + gap),  # above
        (px + r + gap, py - h / 2),  # right
        (px - r - gap - w, py - h / 2),  # left
    )
    return [(x0, y0, (x0 - gap, y0 - gap, x0 + w + gap, y0 + h + gap)) for x0, y0 in corners]


def _label_floor(
    ax: Any, renderer: Any, fontsize: float, width_floor: float, text_kwargs: dict[str, Any]
) -> tuple[float, Callable[[str], float]]:
    """The least height of any label and a function giving the least width of one.

    A label's box holds the box of its floor at each place, so where that is taken the label
    does not fit either. matplotlib gives a line at least the font's ascent and descent, which
    is the height of an "x": no label is lower.
    """
    probe = ax.text(0, 0, "x", fontsize=fontsize, parse_math=False, **text_kwargs)
    prop = probe.get_fontproperties()
    height_floor = float(probe.get_window_extent(renderer).height)
    probe.remove()
    letter_width: dict[str, float] = {}

    def least_width(label: str) -> float:
        total = 0.0
        for ch in label:
            if _is_plain(ch):
                if ch not in letter_width:
                    letter_width[ch] = renderer.get_text_width_height_descent(ch, prop, ismath=False)[0]
                total += letter_width[ch]
        return width_floor * total

    return height_floor, least_width
