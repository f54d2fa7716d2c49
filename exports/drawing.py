"""One drawing model, two writers: the static figures as primitives in points on the page.

The figures' layout code (:mod:`exports.static`, the report's bar chart) decides where every
line, mark and word goes and records it as a :class:`Drawing`: paths (straight, quadratic and
cubic), circles and text, in points from the page's top left corner. :func:`to_svg` writes that
list as SVG text without matplotlib (the report's figures, the ``svg`` export);
:func:`to_figure` replays the same list onto a matplotlib Figure for PNG and PDF. The layout
exists once; the writers only translate.

Text is measured without matplotlib (:func:`text_width`, FreeType through Pillow on the DejaVu
Sans files matplotlib ships, the font both writers set), and placed by its baseline: the
constants below are matplotlib's own text box for DejaVu Sans, so "top" and "centre" mean what
they meant when matplotlib laid the figures out.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

#: matplotlib's box of a line of DejaVu Sans, per point of font size: from its top to the
#: baseline, and from its vertical centre to the baseline (a line's box is 1.0 tall).
TOP_TO_BASELINE = 0.76
CENTRE_TO_BASELINE = 0.26
LINE_HEIGHT = 1.0
SVG_FONT = "font-family: 'DejaVu Sans', sans-serif"

Command = tuple[Any, ...]  # ("M", x, y), ("L", x, y), ("Q", cx, cy, x, y), ("C", ...6), ("Z",)


@dataclass(frozen=True)
class Stroke:
    """How a line is drawn: colour, width in points, opacity, dash pattern in points."""

    colour: str = "#000000"
    width: float = 1.0
    alpha: float = 1.0
    dash: tuple[float, ...] = ()
    cap: str = "butt"  # butt, round
    join: str = "miter"  # miter, round


@dataclass(frozen=True)
class Shape:
    """A path of ``commands`` in page points, stroked and/or filled (``fill`` None: not filled)."""

    commands: tuple[Command, ...]
    stroke: Stroke | None = None
    fill: str | None = None
    fill_alpha: float = 1.0
    tag: str = ""  # what it draws (an SVG class), for readers of the drawing: "node", "pair"...


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    fill: str | None = None
    stroke: Stroke | None = None
    tag: str = ""


@dataclass(frozen=True)
class Text:
    """One line of text whose baseline starts (``anchor``: start, middle or end) at ``(x, y)``;
    ``rotation`` in degrees, anticlockwise as on paper."""

    x: float
    y: float
    text: str
    size: float
    colour: str = "#000000"
    weight: str = "normal"
    italic: bool = False
    anchor: str = "start"
    rotation: float = 0.0


Item = Shape | Circle | Text


@dataclass(frozen=True)
class Legend:
    """What a legend says (its title and entries' labels), kept for readers of the drawing."""

    title: str
    labels: tuple[str, ...]


@dataclass
class Drawing:
    """A page ``width`` x ``height`` points, white, with ``items`` drawn in order."""

    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    legends: list[Legend] = field(default_factory=list)

    def add(self, *items: Item) -> None:
        self.items.extend(items)

    def texts(self) -> list[Text]:
        return [item for item in self.items if isinstance(item, Text)]

    def text(self, x: float, y: float, text: str, size: float, *, va: str = "baseline", **look: Any) -> Text:
        """Add a line of text with its top, centre or baseline (``va``) at ``y``; returns it."""
        shift = {"top": TOP_TO_BASELINE, "center": CENTRE_TO_BASELINE, "baseline": 0.0}[va]
        item = Text(x, y + shift * size, text, size, **look)
        self.items.append(item)
        return item


# --- text widths ---------------------------------------------------------------------------------

#: Where the glyph outlines are measured: widths scale with the size (no hinting at this size).
_MEASURE_PX = 100.0
#: A character DejaVu Sans lacks (CJK, for one) counts this many ems: matplotlib draws its
#: fallback box that wide, and a browser's CJK font draws 1 em, so neither runs past its box.
MISSING_EM = 1.15
_ABSENT = "\U0010fffd"  # a private-use character no font has: its glyph is the font's .notdef


@lru_cache(maxsize=4)
def _measure(weight: str, italic: bool) -> Any:
    from PIL import ImageFont

    name = {("normal", False): "DejaVuSans", ("bold", False): "DejaVuSans-Bold"}.get((weight, italic))
    if name is None:
        name = "DejaVuSans-BoldOblique" if weight == "bold" else "DejaVuSans-Oblique"
    font = ImageFont.truetype(str(_dejavu_sans().with_name(f"{name}.ttf")), _MEASURE_PX)
    notdef = (font.getlength(_ABSENT), font.getbbox(_ABSENT))

    @lru_cache(maxsize=1 << 12)
    def missing(ch: str) -> bool:
        return ch > "\x7f" and (font.getlength(ch), font.getbbox(ch)) == notdef

    @lru_cache(maxsize=1 << 16)
    def width(text: str) -> float:
        gaps = [ch for ch in text if missing(ch)]
        if not gaps:
            return float(font.getlength(text))
        present = "".join(ch for ch in text if not missing(ch))
        return float(font.getlength(present)) + len(gaps) * MISSING_EM * _MEASURE_PX

    return width


def _dejavu_sans() -> Path:
    """matplotlib's copy of DejaVu Sans, found without importing matplotlib (a tenth of a second
    of ``igfmap map``, which draws no figure)."""
    spec = find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("matplotlib is not installed: it ships the DejaVu Sans font the map measures with")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


def text_width(text: str, size: float, weight: str = "normal", italic: bool = False) -> float:
    """The width in points of ``text`` at ``size`` points in DejaVu Sans, as matplotlib measures
    it (kerning included; a character the font lacks is :data:`MISSING_EM` wide)."""
    return float(_measure(weight, italic)(text)) * size / _MEASURE_PX


# --- shapes --------------------------------------------------------------------------------------


def rect(x: float, y: float, w: float, h: float, *, rounded: float = 0.0) -> tuple[Command, ...]:
    """A rectangle from its top left corner; ``rounded``: the corners' radius (matplotlib's
    ``round`` box style: quadratic corners)."""
    if rounded <= 0:
        return (("M", x, y), ("L", x + w, y), ("L", x + w, y + h), ("L", x, y + h), ("Z",))
    r = min(rounded, w / 2, h / 2)
    return (
        ("M", x + r, y),
        ("L", x + w - r, y),
        ("Q", x + w, y, x + w, y + r),
        ("L", x + w, y + h - r),
        ("Q", x + w, y + h, x + w - r, y + h),
        ("L", x + r, y + h),
        ("Q", x, y + h, x, y + h - r),
        ("L", x, y + r),
        ("Q", x, y, x + r, y),
        ("Z",),
    )


def polygon(points: Sequence[tuple[float, float]]) -> tuple[Command, ...]:
    return (("M", *points[0]), *(("L", *p) for p in points[1:]), ("Z",))


def marker(shape: str, x: float, y: float, size: float, fill: str, stroke: Stroke, tag: str = "") -> Item:
    """matplotlib's marker ``shape`` (o, s, D, *, ^, v) of ``size`` points (its markersize) at
    ``(x, y)``, the same shape at the same size."""
    half = size / 2
    if shape == "s":
        return Shape(rect(x - half, y - half, size, size), stroke, fill, tag=tag)
    if shape == "D":
        d = half * math.sqrt(2)
        return Shape(polygon([(x, y - d), (x + d, y), (x, y + d), (x - d, y)]), stroke, fill, tag=tag)
    if shape in ("^", "v"):
        s = -1 if shape == "^" else 1  # page y grows downwards
        return Shape(
            polygon([(x, y + s * half), (x - half, y - s * half), (x + half, y - s * half)]),
            stroke,
            fill,
            tag=tag,
        )
    if shape == "*":
        inner = half * 0.381966  # matplotlib's unit_regular_star(5)
        points = []
        for k in range(10):
            radius = half if k % 2 == 0 else inner
            angle = math.pi / 2 + k * math.pi / 5
            points.append((x + radius * math.cos(angle), y - radius * math.sin(angle)))
        return Shape(polygon(points), stroke, fill, tag=tag)
    return Circle(x, y, half, fill, stroke, tag)


def hatch(x: float, y: float, w: float, h: float, colour: str, spacing: float = 8.5) -> Shape:
    """Diagonals rising to the right across the rectangle (as matplotlib's "//" hatch),
    ``spacing`` points apart along its edges, cut at its sides."""
    commands: list[Command] = []
    k = spacing
    while k < w + h:  # the diagonal x' + y' = x + y + k
        x0, x1 = x + max(0.0, k - h), x + min(w, k)
        commands += [("M", x0, y + k - (x0 - x)), ("L", x1, y + k - (x1 - x))]
        k += spacing
    return Shape(tuple(commands), Stroke(colour, 1.0))


def dash_of(status_pattern: Sequence[float], width: float) -> tuple[float, ...]:
    """A status's dash pattern (:func:`exports.style.dashes`) in points for a line ``width`` wide,
    as matplotlib scales it (:func:`exports.style.mpl_linestyle`, dashes times the line width)."""
    return tuple(p / 2.5 * width for p in status_pattern)


# --- legends -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A legend entry: its label and its ``sample``, a line (``stroke``), a marker (``marker``,
    ``fill``, ``stroke``) or a patch (``fill``, ``stroke`` its frame)."""

    label: str
    sample: str  # line, marker, patch
    stroke: Stroke | None = None
    fill: str | None = None
    marker: str = "o"
    size: float = 6.0
    hatch: str | None = None  # a patch's hatching colour (white diagonals, :func:`hatch`)


def legend(
    drawing: Drawing,
    title: str,
    entries: Sequence[Entry],
    x: float,
    top: float,
    size: float,
    title_size: float,
    columns: int = 1,
) -> float:
    """Draw a legend (as matplotlib's, without its frame) whose top left is ``(x, top)``, its
    entries filled column by column; returns its bottom."""
    drawing.legends.append(Legend(title, tuple(e.label for e in entries)))
    border = 0.4 * size  # matplotlib's borderpad, kept without the frame
    x, top = x + border, top + border
    drawing.text(x, top, title, title_size, va="top")
    spacing, handle, pad = 0.35 * size, 2.2 * size, 0.8 * size
    y0 = top + LINE_HEIGHT * title_size + spacing
    per_column = math.ceil(len(entries) / columns)
    column_x = x
    for c in range(columns):
        chunk = entries[c * per_column : (c + 1) * per_column]
        for i, entry in enumerate(chunk):
            centre = y0 + i * (LINE_HEIGHT * size + spacing) + LINE_HEIGHT * size / 2
            _sample(drawing, entry, column_x, centre, handle, size)
            drawing.text(column_x + handle + pad, centre, entry.label, size, va="center")
        widest = max((text_width(e.label, size) for e in chunk), default=0.0)
        column_x += handle + pad + widest + 2.0 * size
    return y0 + per_column * (LINE_HEIGHT * size + spacing) - spacing + border


def _sample(drawing: Drawing, entry: Entry, x: float, centre: float, length: float, size: float) -> None:
    if entry.sample == "line":
        drawing.add(Shape((("M", x, centre), ("L", x + length, centre)), entry.stroke))
    elif entry.sample == "marker":
        stroke = entry.stroke or Stroke(width=0.5)
        drawing.add(marker(entry.marker, x + length / 2, centre, entry.size, entry.fill or "none", stroke))
    else:
        h = 0.7 * size
        drawing.add(Shape(rect(x, centre - h / 2, length, h), entry.stroke, entry.fill))
        if entry.hatch:
            drawing.add(hatch(x, centre - h / 2, length, h, entry.hatch, spacing=4.0))


# --- the SVG writer ------------------------------------------------------------------------------


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _d(commands: Sequence[Command]) -> str:
    return " ".join(c[0] if len(c) == 1 else c[0] + " " + " ".join(_n(v) for v in c[1:]) for c in commands)


def _stroke_attrs(stroke: Stroke | None) -> str:
    if stroke is None:
        return ' stroke="none"'
    out = f' stroke="{stroke.colour}" stroke-width="{_n(stroke.width)}"'
    if stroke.alpha < 1:
        out += f' stroke-opacity="{_n(stroke.alpha)}"'
    if stroke.dash:
        out += f' stroke-dasharray="{" ".join(_n(d) for d in stroke.dash)}"'
    if stroke.cap != "butt":
        out += f' stroke-linecap="{stroke.cap}"'
    if stroke.join != "miter":
        out += f' stroke-linejoin="{stroke.join}"'
    return out


def _svg_item(item: Item) -> str:
    if isinstance(item, Text):
        look = f"{SVG_FONT}; font-size: {_n(item.size)}px"
        look += "; font-weight: bold" if item.weight == "bold" else ""
        look += "; font-style: italic" if item.italic else ""
        where = f'x="{_n(item.x)}" y="{_n(item.y)}"'
        if item.rotation:
            where = f'transform="translate({_n(item.x)} {_n(item.y)}) rotate({_n(-item.rotation)})"'
        return (
            f'<text {where} fill="{item.colour}" text-anchor="{item.anchor}" style="{look}" '
            f'xml:space="preserve">{html.escape(item.text, quote=False)}</text>'
        )
    tag = f' class="{item.tag}"' if item.tag else ""
    if isinstance(item, Circle):
        fill = item.fill or "none"
        return f'<circle{tag} cx="{_n(item.x)}" cy="{_n(item.y)}" r="{_n(item.r)}" fill="{fill}"{_stroke_attrs(item.stroke)}/>'
    fill = f'fill="{item.fill}"' if item.fill else 'fill="none"'
    if item.fill and item.fill_alpha < 1:
        fill += f' fill-opacity="{_n(item.fill_alpha)}"'
    return f'<path{tag} d="{_d(item.commands)}" {fill}{_stroke_attrs(item.stroke)}/>'


def svg_lines(drawing: Drawing) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="utf-8" standalone="no"?>'
    yield (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(drawing.width)}pt" height="{_n(drawing.height)}pt" '
        f'viewBox="0 0 {_n(drawing.width)} {_n(drawing.height)}" version="1.1">'
    )
    yield f'<rect width="{_n(drawing.width)}" height="{_n(drawing.height)}" fill="#ffffff"/>'
    for item in drawing.items:
        yield _svg_item(item)
    yield "</svg>\n"


def to_svg(drawing: Drawing) -> bytes:
    """The drawing as SVG: text as text (selectable, printed sharp), the same bytes each time."""
    return "\n".join(svg_lines(drawing)).encode("utf-8")


# --- the matplotlib replay -----------------------------------------------------------------------


def _rgba(colour: str | None, alpha: float = 1.0) -> Any:
    from matplotlib.colors import to_rgba

    if colour is None or colour == "none":
        return (0.0, 0.0, 0.0, 0.0)
    return to_rgba(colour, alpha)


def _mpl_path(commands: Sequence[Command]) -> Any:
    from matplotlib.path import Path as MplPath

    codes = {
        "M": [MplPath.MOVETO],
        "L": [MplPath.LINETO],
        "Q": [MplPath.CURVE3] * 2,
        "C": [MplPath.CURVE4] * 3,
    }
    vertices: list[tuple[float, float]] = []
    kinds: list[Any] = []
    start = (0.0, 0.0)
    for command in commands:
        if command[0] == "Z":
            vertices.append(start)
            kinds.append(MplPath.CLOSEPOLY)
            continue
        values = command[1:]
        points = [(values[i], values[i + 1]) for i in range(0, len(values), 2)]
        if command[0] == "M":
            start = points[0]
        vertices += points
        kinds += codes[command[0]]
    path = MplPath(vertices, kinds)
    path.should_simplify = False
    return path


def _stroke_kwargs(stroke: Stroke | None) -> dict[str, Any]:
    if stroke is None:
        return {"edgecolor": "none", "linewidth": 0.0}
    dashes = (0, tuple(d / stroke.width for d in stroke.dash)) if stroke.dash and stroke.width else "solid"
    return {
        "edgecolor": _rgba(stroke.colour, stroke.alpha),
        "linewidth": stroke.width,
        "linestyle": dashes,
        "capstyle": "projecting" if stroke.cap == "square" else stroke.cap,
        "joinstyle": stroke.join,
    }


def to_figure(drawing: Drawing) -> Any:
    """The drawing replayed on a matplotlib Figure of its size (for PNG and PDF): every item an
    artist in page points, text set by its baseline in DejaVu Sans, never parsed as mathtext."""
    import matplotlib

    from exports.static import FIGURE_RC, quiet_fonts

    with matplotlib.rc_context(FIGURE_RC), quiet_fonts():  # the font is set as texts are made
        return _replay(drawing)


def _replay(drawing: Drawing) -> Any:
    from matplotlib.patches import Circle as MplCircle
    from matplotlib.patches import PathPatch
    from matplotlib.transforms import Affine2D

    from exports.static import new_figure

    fig = new_figure(drawing.width / 72, drawing.height / 72)
    points = Affine2D().scale(1 / 72, -1 / 72).translate(0, drawing.height / 72) + fig.dpi_scale_trans
    for z, item in enumerate(drawing.items):
        if isinstance(item, Text):
            fig.text(
                item.x / drawing.width,
                1 - item.y / drawing.height,
                item.text,
                fontsize=item.size,
                color=item.colour,
                fontweight=item.weight,
                fontstyle="italic" if item.italic else "normal",
                ha={"start": "left", "middle": "center", "end": "right"}[item.anchor],
                va="baseline",
                rotation=item.rotation,
                rotation_mode="anchor",
                parse_math=False,
                zorder=z,
            )
        elif isinstance(item, Circle):
            fill = _rgba(item.fill)
            fig.add_artist(
                MplCircle(
                    (item.x, item.y),
                    item.r,
                    transform=points,
                    facecolor=fill,
                    zorder=z,
                    **_stroke_kwargs(item.stroke),
                )
            )
        else:
            fill = _rgba(item.fill, item.fill_alpha)
            fig.add_artist(
                PathPatch(
                    _mpl_path(item.commands),
                    transform=points,
                    facecolor=fill,
                    zorder=z,
                    **_stroke_kwargs(item.stroke),
                )
            )
    return fig
