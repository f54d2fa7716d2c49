"""The drawing model: text widths and colours as matplotlib's, the SVG writer and the replay."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from exports.drawing import Circle, Drawing, Shape, Stroke, marker, text_width, to_figure, to_svg
from tests.exports.conftest import CJK, RTL

SAMPLES = [
    "Internet Governance Forum",
    "Ministère de l'Économie numérique (Sénégal)",
    "Wörld Sümmit · Ærø Ñandú — “quoted” AVAWAY.",
    "Y. Ty. jj ÿ Ää 0123456789",
    CJK,
    RTL,
]


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@pytest.mark.parametrize("weight", ["normal", "bold"])
@pytest.mark.parametrize("italic", [False, True])
@pytest.mark.parametrize("size", [7.0, 8.5, 13.0])
def test_text_widths_are_matplotlibs(weight: str, italic: bool, size: float) -> None:
    """Each sample (accents, kerning pairs, CJK and Arabic, which DejaVu Sans draws as its empty
    box in both) is as wide as matplotlib measures it in the font the figures set, within 0.5%.
    matplotlib is asked at 100 times the size and scaled down: at 7 pt and 72 dpi its FreeType
    hinting rounds each glyph to whole pixels (4% narrower), which neither an SVG viewer nor a
    PDF draws."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(800, 600, 72)
    prop = FontProperties(
        family="DejaVu Sans", size=100 * size, weight=weight, style="italic" if italic else "normal"
    )
    for text in SAMPLES:
        theirs = renderer.get_text_width_height_descent(text, prop, ismath=False)[0] / 100
        ours = text_width(text, size, weight, italic)
        assert abs(ours - theirs) <= 0.005 * theirs, (text, ours, theirs)


def test_heat_colours_are_matplotlibs_ylgnbu() -> None:
    import numpy as np
    from matplotlib import colormaps

    from exports.report import ylgnbu

    theirs = colormaps["YlGnBu"]
    for x in np.linspace(0, 1, 1001):
        assert np.allclose(theirs(x), ylgnbu(float(x)), atol=1e-12), x


def _sample_drawing() -> Drawing:
    drawing = Drawing(200, 100)
    drawing.add(
        Shape(
            (("M", 10, 10), ("Q", 50, 0, 90, 10), ("C", 100, 20, 110, 30, 120, 40)),
            Stroke("#2b6cb0", 1.5, 0.5, (3, 1.5)),
        )
    )
    drawing.add(marker("*", 50, 50, 12, "#e53e3e", Stroke("#333333", 0.4)))
    drawing.add(marker("o", 80, 50, 12, "#38a169", Stroke("#333333", 0.4)))
    drawing.text(10, 80, "<b>not markup</b> & $x^2$", 9, weight="bold")
    drawing.text(190, 80, "right", 7, anchor="end", rotation=35)
    return drawing


def test_svg_writer_keeps_text_as_escaped_text_and_the_same_bytes() -> None:
    drawing = _sample_drawing()
    svg = to_svg(drawing)
    assert svg == to_svg(_sample_drawing())
    root = ElementTree.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("200pt", "100pt")
    texts = [el for el in root.iter() if el.tag.endswith("text")]
    assert [t.text for t in texts] == ["<b>not markup</b> & $x^2$", "right"]
    assert "font-weight: bold" in (texts[0].get("style") or "")
    assert texts[1].get("transform") == "translate(190 80) rotate(-35)"
    assert {el.tag.split("}")[-1] for el in root.iter()} == {"svg", "rect", "path", "circle", "text"}
    dashed = next(el for el in root.iter() if el.get("stroke-dasharray"))
    assert dashed.get("d") == "M 10 10 Q 50 0 90 10 C 100 20 110 30 120 40"
    assert (dashed.get("stroke-dasharray"), dashed.get("stroke-opacity")) == ("3 1.5", "0.5")


def test_replay_puts_every_item_where_the_svg_does() -> None:
    """The matplotlib replay draws each item at the same place on a page of the same size:
    the text's baseline anchor, the path's vertices and the circle's centre, in points."""
    import numpy as np

    drawing = _sample_drawing()
    fig = to_figure(drawing)
    assert tuple(fig.get_size_inches() * 72) == (200, 100)
    to_points = fig.dpi_scale_trans.inverted()
    texts = [
        (
            t.get_text(),
            tuple(np.round(to_points.transform(t.get_transform().transform(t.get_position())) * 72, 6)),
        )
        for t in fig.texts
    ]
    assert texts == [("<b>not markup</b> & $x^2$", (10.0, 20.0)), ("right", (190.0, 20.0))]
    assert all(t.get_va() == "baseline" and not t._parse_math for t in fig.texts)
    patches = fig.artists
    assert len(patches) == 3 and isinstance(drawing.items[2], Circle)
    curve = to_points.transform(patches[0].get_transform().transform(patches[0].get_path().vertices)) * 72
    assert np.allclose(curve[:2], [[10, 90], [50, 100]])
    centre = to_points.transform(patches[2].get_transform().transform((0, 0))) * 72
    assert np.allclose(centre, [80, 50])


def test_bar_chart_names_each_group_its_total_and_the_statuses_used() -> None:
    from exports.report import STATUS_BAR_COLOURS, engagement_figure_by_group

    counts = {
        "government": {"active": 2, "planned": 0, "proposed": 0, "requested": 0, "concluded": 17},
        "civil-society": {"active": 4, "planned": 0, "proposed": 0, "requested": 0, "concluded": 0},
    }
    drawing = engagement_figure_by_group(counts, "Engagement by stakeholder group")
    texts = [t.text for t in drawing.texts()]
    assert {"government", "civil-society", "19", "4", "Engagement by stakeholder group"} <= set(texts)
    assert [(leg.title, leg.labels) for leg in drawing.legends] == [("status", ("active", "concluded"))]
    fills = [item.fill for item in drawing.items if isinstance(item, Shape) and item.fill]
    assert fills.count(STATUS_BAR_COLOURS["active"]) == 3  # two bars and the legend's patch
    # Concluded bars are hatched: white diagonals on top of the bar.
    hatches = [
        item for item in drawing.items if isinstance(item, Shape) and not item.fill and len(item.commands) > 4
    ]
    assert hatches and all(item.stroke and item.stroke.colour == "#ffffff" for item in hatches)
    assert drawing.width == 9.5 * 72
