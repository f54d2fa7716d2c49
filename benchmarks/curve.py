"""The cost curve: how each whole command's wall time and peak RSS grow with the store's size.

:func:`benchmarks.commands.measure_scale` runs every command at each ``--commands`` size (``make
bench``: 1k, 10k, M = 15,000 and L = 150,000 entities). Here those runs become, per command, a
least-squares fit of ``log(cost)`` against ``log(entities)``: the slope is the growth exponent
(1 is linear). A command is flagged when its cost grows faster than ``n log n``, judged against
the exponent ``n log n`` itself has over the same sizes (it is a little above 1, and falls as n
grows), both over the whole range and over its last step (the two largest sizes), where
start-up no longer flattens the curve. The figure is a log-log SVG committed with BENCHMARKS.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: A growth exponent this much above ``n log n``'s is flagged (run-to-run noise on a shared machine).
TOLERANCE = 0.05
FLOOR_LABEL = "floor (json.load + networkx)"


@dataclass
class Curve:
    """One command's cost at each size, and its fitted growth."""

    command: str
    entities: list[int]
    seconds: list[float]
    peak_rss: list[int]  # bytes

    @property
    def time_exponent(self) -> float:
        return fit_exponent(self.entities, self.seconds)

    @property
    def rss_exponent(self) -> float:
        return fit_exponent(self.entities, [float(b) for b in self.peak_rss])

    @property
    def last_step_exponent(self) -> float:
        return fit_exponent(self.entities[-2:], self.seconds[-2:])

    def faster_than_n_log_n(self) -> bool:
        """Whether time grows faster than ``n log n``, over the whole range or its last step."""
        whole = self.time_exponent > n_log_n_exponent(self.entities) + TOLERANCE
        last = self.last_step_exponent > n_log_n_exponent(self.entities[-2:]) + TOLERANCE
        return whole or last


def fit_exponent(sizes: Sequence[float], costs: Sequence[float]) -> float:
    """The least-squares slope of ``log(cost)`` against ``log(size)``: cost ~ size ** slope."""
    if len(sizes) != len(costs) or len(sizes) < 2:
        raise ValueError("a growth exponent needs costs at two sizes or more")
    xs = [math.log(s) for s in sizes]
    ys = [math.log(c) for c in costs]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        raise ValueError("a growth exponent needs two different sizes")
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def n_log_n_exponent(sizes: Sequence[float]) -> float:
    """The exponent ``n log n`` itself shows over these sizes (the flag's threshold)."""
    return fit_exponent(sizes, [s * math.log(s) for s in sizes])


def command_key(label: str) -> str:
    """The command a run label names, without the entity it was asked about (it differs by size)."""
    words = label.split()
    if len(words) >= 3 and words[1] in ("who", "what", "show"):
        return " ".join(words[:2]) + (" (hub)" if label.endswith("(hub)") else "")
    return label


def curves(scales: Sequence[Any]) -> list[Curve]:
    """Each command's curve over the measured sizes (smallest first), the floor first."""
    ordered = sorted(scales, key=lambda s: s.entities)
    by_command: dict[str, Curve] = {FLOOR_LABEL: Curve(FLOOR_LABEL, [], [], [])}
    for scale in ordered:
        runs = [(FLOOR_LABEL, scale.floor)] + [(command_key(r.label), r) for r in scale.runs]
        for key, run in runs:
            curve = by_command.setdefault(key, Curve(key, [], [], []))
            curve.entities.append(scale.entities)
            curve.seconds.append(run.seconds)
            curve.peak_rss.append(run.peak_rss)
    return [c for c in by_command.values() if len(set(c.entities)) >= 2]


def _size_name(scale: Any) -> str:
    return f"{scale.entities:,}" if scale.name.isdigit() else f"{scale.name} ({scale.entities:,})"


def render_curve(scales: Sequence[Any], svg_link: str | None) -> list[str]:
    """The BENCHMARKS.md section: the plot, each command's exponents and its flag."""
    found = curves(scales)
    if not found:
        return []
    ordered = sorted(scales, key=lambda s: s.entities)
    sizes = found[0].entities
    reference = n_log_n_exponent(sizes)
    heads = " / ".join(_size_name(s) for s in ordered)
    lines = [
        "",
        '<a id="curve"></a>',
        "## Cost curve",
        "",
        f"Each whole command's wall time and peak RSS at {len(sizes)} sizes (the runs of the tables "
        "above), with its growth exponent: the slope of a least-squares fit of log(cost) against "
        f"log(entities), 1 being linear. Over these sizes `n log n` itself has exponent {reference:.2f} "
        f"({n_log_n_exponent(sizes[-2:]):.2f} over the last step); a command is flagged when its time "
        f"exponent, over all sizes or over the last step (the two largest), is more than {TOLERANCE:g} "
        "above that. Start-up is part of every run, which flattens the curves at small sizes; the "
        "last step shows the growth where the data dominates.",
        "",
    ]
    if svg_link:
        lines += [f"![Wall time and peak RSS against entities, log-log]({svg_link})", ""]
    lines += [
        f"| command | wall at {heads} | time exponent | last step | RSS exponent | faster than n log n |",
        "|---|---|---:|---:|---:|---|",
    ]
    for curve in found:
        walls = " / ".join(f"{s:.2f}" for s in curve.seconds)
        flag = "**yes**" if curve.faster_than_n_log_n() else "no"
        lines.append(
            f"| `{curve.command}` | {walls} s | {curve.time_exponent:.2f} | {curve.last_step_exponent:.2f} "
            f"| {curve.rss_exponent:.2f} | {flag} |"
        )
    return lines


def write_curve_svg(scales: Sequence[Any], path: Path) -> bool:
    """The log-log plot of time and peak RSS against entities; False when under two sizes."""
    found = curves(scales)
    if not found:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Fixed ids and no date, so a rerun with the same figures writes the same file.
    plt.rcParams["svg.hashsalt"] = "igfmap-bench-curve"
    figure, (times, memory) = plt.subplots(1, 2, figsize=(12, 5.2), layout="constrained")
    from matplotlib.ticker import FuncFormatter, NullFormatter

    palette = plt.get_cmap("tab20")  # more commands than the default cycle's ten colours
    for index, curve in enumerate(found):
        floor = curve.command == FLOOR_LABEL
        style = {"linestyle": "--", "color": "black"} if floor else {"color": palette(index % 20)}
        times.plot(curve.entities, curve.seconds, marker="o", label=curve.command, **style)
        memory.plot(curve.entities, [b / 1e6 for b in curve.peak_rss], marker="o", **style)
    _n_log_n_guide(times, found[0])
    for axes, title, unit in ((times, "wall time", "seconds"), (memory, "peak RSS", "MB")):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("entities in the store")
        axes.set_ylabel(unit)
        axes.set_title(f"{title} against size (log-log)")
        axes.grid(True, which="both", alpha=0.3)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        axes.xaxis.set_minor_formatter(NullFormatter())
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axes.yaxis.set_minor_formatter(FuncFormatter(_minor_label))
    figure.legend(loc="outside lower center", ncol=4, fontsize="small")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)
    return True


def _n_log_n_guide(axes: Any, floor: Curve) -> None:
    """A grey ``n log n`` line through the floor's largest point, to read slopes against."""
    n_top, t_top = floor.entities[-1], floor.seconds[-1]
    xs = floor.entities
    ys = [t_top * (n * math.log(n)) / (n_top * math.log(n_top)) for n in xs]
    axes.plot(xs, ys, color="grey", linestyle=":", label="∝ n log n (through the floor at the largest size)")


def _minor_label(value: float, _position: int) -> str:
    """Label the 2 and 5 of each decade only, so short axes read plainly without crowding."""
    leading = round(value / 10 ** math.floor(math.log10(value))) if value > 0 else 0
    return f"{value:g}" if leading in (2, 5) else ""
