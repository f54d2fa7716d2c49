"""Static figures: deterministic bytes, every format, hostile text drawn literally."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from exports.export import export
from exports.static import FIGURE_FORMATS, figure_bytes, network_figure
from mapper.dataset import to_graph
from tests.exports.conftest import PAYLOADS, store_of


@pytest.mark.parametrize("fmt", FIGURE_FORMATS)
def test_same_input_and_seed_give_the_same_bytes(tmp_path: Path, tiny_graph, fmt: str) -> None:
    a = export(store_of(tiny_graph), fmt, tmp_path / f"a.{fmt}", seed=3, title="Test map")
    export(store_of(tiny_graph), fmt, tmp_path / f"b.{fmt}", seed=3, title="Test map")
    export(store_of(tiny_graph), fmt, tmp_path / f"c.{fmt}", seed=4, title="Test map")
    data = (tmp_path / f"a.{fmt}").read_bytes()
    assert a.nodes == 10 and a.edges == 14
    assert data == (tmp_path / f"b.{fmt}").read_bytes()
    assert data != (tmp_path / f"c.{fmt}").read_bytes()
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt]
    assert data.startswith(magic)


def test_no_dates_or_versions_in_the_files(tiny_graph) -> None:
    import matplotlib

    svg = figure_bytes(tiny_graph, "svg", title="t", caption="c")
    pdf = figure_bytes(tiny_graph, "pdf", title="t", caption="c")
    png = figure_bytes(tiny_graph, "png", title="t", caption="c")
    assert b"<dc:date>" not in svg
    assert b"CreationDate" not in pdf and b"ModDate" not in pdf
    assert matplotlib.__version__.encode() not in png


def test_png_has_legend_title_and_readable_size(tiny_graph) -> None:
    from PIL import Image

    png = figure_bytes(tiny_graph, "png", title="Readable", caption="10 entities")
    image = Image.open(io.BytesIO(png))
    assert image.size[0] >= 1200 and image.size[1] >= 900
    drawing = network_figure(tiny_graph, title="Readable", caption="c")
    legends = drawing.legends
    titles = [leg.title for leg in legends]
    assert titles == ["Entity type (category)", "Relation type", "Status"]
    labels = legends[0].labels
    assert "igf_body (actor)" in labels and "objective (objective)" in labels
    # Each legend's words are drawn, under its title.
    drawn = [t.text for t in drawing.texts()]
    assert all(label in drawn for leg in legends for label in (leg.title, *leg.labels))
    assert set(legends[2].labels) == {
        "active",
        "planned",
        "proposed",
        "requested",
        "concluded",
    }


def test_hostile_text_is_drawn_literally(hostile) -> None:
    graph = to_graph(hostile)
    drawing = network_figure(graph, title=PAYLOADS[5], caption=PAYLOADS[0])
    texts = [t.text for t in drawing.texts()]
    assert PAYLOADS[5] in texts  # "$x^2$" is not mathtext
    assert any("<script>" in label for label in texts)  # an entity's label, as written
    from exports.drawing import to_figure

    replayed = to_figure(drawing)  # the PNG and PDF draw the same words, never as mathtext
    assert [t.get_text() for t in replayed.texts] == texts
    assert not any(t._parse_math for t in replayed.texts)
    for fmt in FIGURE_FORMATS:
        assert figure_bytes(graph, fmt, title=PAYLOADS[5], caption=PAYLOADS[0])
    svg = figure_bytes(graph, "svg", title=PAYLOADS[0], caption="c")
    assert b"<script" not in svg
    # SVG text is escaped text: parsed, it holds no element or attribute from the data.
    from xml.etree import ElementTree

    root = ElementTree.fromstring(svg)
    tags = {el.tag.split("}")[-1] for el in root.iter()}
    assert not tags & {"script", "img", "image", "foreignObject", "a", "iframe"}
    assert not any(name.lower().startswith("on") for el in root.iter() for name in el.attrib)
    assert any(PAYLOADS[0] == (el.text or "") for el in root.iter())


def test_figures_of_the_seed(tmp_path: Path, seed_store) -> None:
    result = export(seed_store, "png", tmp_path / "seed.png", as_of="2025-06-30")
    assert result.nodes > 100
    assert (tmp_path / "seed.png").stat().st_size > 100_000


A4_LANDSCAPE_PT = (841.89, 595.28)
SVG_TEXT = """() => {
    const svg = document.querySelector('svg');
    const width = parseFloat(svg.getAttribute('width')), height = parseFloat(svg.getAttribute('height'));
    const unit = svg.getBoundingClientRect().width / width;  // CSS px per SVG point
    const texts = Array.from(document.querySelectorAll('text')).filter(t => t.textContent.trim());
    return {width, height, texts: texts.map((t, i) => {
        const r = t.getBoundingClientRect();
        return {id: i + ': ' + t.textContent.slice(0, 30), size: parseFloat(getComputedStyle(t).fontSize),
                x: r.left / unit, y: r.top / unit, width: r.width / unit, height: r.height / unit};
    })};
}"""


@pytest.mark.parametrize("view", ["network", "engagement"])
def test_seed_svg_reads_on_an_a4_page(tmp_path: Path, chromium, seed_store, view: str) -> None:
    """Laid out by Chromium: no text under 7 pt once the figure is fitted to A4 landscape, and
    no two text boxes overlapping."""
    from tests.exports.browser import open_page
    from tests.exports.test_map_browser import overlapping

    out = tmp_path / f"{view}.svg"
    export(seed_store, "svg", out, view=view, as_of="2025-06-30", highlight_gaps=True)
    with open_page(chromium, out) as (page, log):
        found = page.evaluate(SVG_TEXT)
        fit = min(A4_LANDSCAPE_PT[0] / found["width"], A4_LANDSCAPE_PT[1] / found["height"])
        texts = found["texts"]
        assert len(texts) > 40
        small = [t["id"] for t in texts if t["size"] * fit < 7.0 - 1e-6]
        assert small == [], small
        # Every text box lies on the page: nothing is cut at its edges (the engagement figure's
        # summary once ran off the bottom).
        width, height = found["width"], found["height"]
        off_page = [
            t["id"]
            for t in texts
            if t["x"] < -0.5
            or t["y"] < -0.5
            or t["x"] + t["width"] > width + 0.5
            or t["y"] + t["height"] > height + 0.5
        ]
        assert off_page == [], off_page
        # Glyph boxes include the font's ascent and descent, so touching lines share a hair.
        assert overlapping(texts, tolerance=0.6) == []
        log.assert_clean()


def test_arrows_are_drawn_where_fancy_arrow_patches_draw_them() -> None:
    """The network's edges come from :func:`arrow_geometry`, all at once; each line and
    arrowhead is where matplotlib's own FancyArrowPatch (arc3 curve, "-|>" or "<|-|>", cut at
    the circles around both ends) puts it, on an axes with the same scale on both axes."""
    import numpy as np
    from matplotlib.patches import FancyArrowPatch

    from exports.static import arrow_geometry, new_figure

    fig = new_figure(11.69, 8.27)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    width_in, height_in = 0.8 * 11.69, 0.8 * 8.27
    ax.set_xlim(0, 100 * width_in / height_in)
    ax.set_ylim(0, 100)
    pt_per_unit = height_in * 72 / 100
    rng = np.random.default_rng(7)
    n = 120
    starts, ends = rng.uniform(5, 95, (n, 2)), rng.uniform(5, 95, (n, 2))
    rads = rng.choice([0.0, 0.12, -0.12, 0.24], n)
    shrink_start, shrink_end = rng.uniform(1.6, 14, n), rng.uniform(1.6, 14, n)
    widths = rng.choice([0.6, 1.3], n)
    both = rng.random(n) < 0.3
    lines, heads = arrow_geometry(
        starts,
        ends,
        rads=rads,
        shrink_start=shrink_start,
        shrink_end=shrink_end,
        linewidths=widths,
        both_ends=both,
        pt_per_unit=pt_per_unit,
    )
    assert len(lines) == n and len(heads) == n + int(both.sum())
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    for i in range(n):
        patch = FancyArrowPatch(
            starts[i],
            ends[i],
            arrowstyle="<|-|>" if both[i] else "-|>",
            mutation_scale=5,
            connectionstyle=f"arc3,rad={rads[i]}",
            linewidth=widths[i],
            shrinkA=shrink_start[i],
            shrinkB=shrink_end[i],
        )
        ax.add_artist(patch)
        patch.draw(renderer)  # sets the points-to-pixels factor the path below uses
        paths, _ = patch._get_path_in_displaycoord()
        line = to_data.transform(paths[0].vertices)
        ours = lines[i]
        if rads[i] == 0:  # matplotlib keeps a straight arc3 as a curve with its middle as control
            line = line[[0, -1]]
        assert np.abs(line - ours).max() * pt_per_unit < 0.01, i
        theirs = sorted(np.sort(to_data.transform(p.vertices[:3]), axis=0).tolist() for p in paths[1:])
        mine = sorted(np.sort(p, axis=0).tolist() for j, p in heads if j == i)
        assert len(theirs) == len(mine) == (2 if both[i] else 1)
        assert np.abs(np.array(theirs) - np.array(mine)).max() * pt_per_unit < 0.01, i


def test_labels_touch_no_label_and_no_marker_and_stay_in_their_frame(seed_store) -> None:
    """place_labels, on the seed's network and on Latin-1, CJK and right-to-left names crowded
    at random: some labels fit and some do not; each placed label's box (its measured width, a
    line tall, with its margin) lies in the frame and touches no other label and no marker."""
    import random

    from exports.declutter import place_labels
    from exports.drawing import text_width
    from exports.static import _fit, _network_positions
    from tests.exports.conftest import CJK, RTL

    graph = seed_store.graph
    pos, _ = _network_positions(graph, 42)
    names = {n: graph.nodes[n].get("name") or n for n in graph}
    rng = random.Random(3)
    crowd = {f"c{i}": (rng.uniform(-400, 400), rng.uniform(-300, 300)) for i in range(300)}
    words = ["Y.", "Ty.", "AVA", "jj", "ÿ", "Ää", CJK, RTL, "IGF", "Government of", "\u0301\u0301"]
    crowd_names = {n: " ".join(rng.choice(words) for _ in range(rng.randint(1, 5))) for n in crowd}
    box = (8.0, 45.0, 640.0, 590.0)
    for points, labels in ((pos, names), (crowd, crowd_names)):
        frame = _fit(box, points)
        items = [(n, frame.page(*points[n]), 4.0, labels[n][:34]) for n in sorted(points)]
        placed = place_labels(items, box, lambda text: text_width(text, 7.5), 7.5)
        assert 10 < len(placed) < len(points)  # some fit, and some do not
        boxes = [(x, y, x + text_width(text, 7.5), y + 7.5) for _, text, (x, y) in placed]
        markers = [(x - r, y - r, x + r, y + r) for _, (x, y), r, _ in items]
        for i, (x0, y0, x1, y1) in enumerate(boxes):
            assert box[0] <= x0 and x1 <= box[2] and box[1] <= y0 and y1 <= box[3]
            others = boxes[:i] + boxes[i + 1 :] + markers
            assert not any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in others), placed[i]


def pdf_page_and_text_sizes(data: bytes) -> tuple[tuple[float, float], list[float]]:
    """A one-page matplotlib PDF's page size and the size of every text it sets, in points:
    its content streams set text with ``/Fn size Tf`` in page points (no scaling around it)."""
    import re
    import zlib

    box = re.search(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", data)
    assert box is not None
    sizes: list[float] = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream.group(1))
        except zlib.error:  # a font or an image, not a content stream
            continue
        assert b" Tm" not in content  # no text matrix that would scale what Tf says
        sizes += [float(size) for size in re.findall(rb"/F\d+ ([\d.]+) Tf", content)]
    return (float(box.group(1)), float(box.group(2))), sizes


def _engagement_page_checks(store, tmp_path: Path, name: str, **options) -> list[float]:
    """Export the engagement view as PDF and SVG; both are exactly an A4 landscape page."""
    import re

    export(store, "pdf", tmp_path / f"{name}.pdf", view="engagement", highlight_gaps=True, **options)
    export(store, "svg", tmp_path / f"{name}.svg", view="engagement", highlight_gaps=True, **options)
    page, sizes = pdf_page_and_text_sizes((tmp_path / f"{name}.pdf").read_bytes())
    assert (round(page[0]), round(page[1])) == (842, 595)
    head = (tmp_path / f"{name}.svg").read_text(encoding="utf-8")[:2000]
    found = re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', head)
    assert found is not None
    assert [round(float(v) * 25.4 / 72, 1) for v in found.groups()] == [297.0, 210.0]
    assert min(sizes) >= 7.0 - 1e-6, sorted(sizes)[:5]
    return sizes


def test_engagement_pdf_is_one_a4_landscape_page_with_no_text_under_7pt(tmp_path: Path, seed_store) -> None:
    """The issue's check: the exported page is 842 x 595 pt (SVG 297 x 210 mm), no text under
    7 pt (it was 326 x 231 mm, 6.4 pt printed on A4); what folds is counted."""
    sizes = _engagement_page_checks(seed_store, tmp_path, "seed", as_of="2025-06-30")
    assert len(sizes) > 150
    _folds_are_counted((tmp_path / "seed.svg").read_text(encoding="utf-8"))


def _folds_are_counted(svg: str) -> int:
    """The "+ N more" rows of an engagement SVG add up to the count its summary gives."""
    import re
    from xml.etree import ElementTree

    texts = [el.text or "" for el in ElementTree.fromstring(svg).iter() if el.tag.endswith("text")]
    folded = sum(int(m.group(1)) for t in texts if (m := re.fullmatch(r"\+ (\d+) more", t.strip())))
    said = re.findall(r"(\d+) entities folded into", " ".join(" ".join(texts).split()))
    assert (folded, said) == (0, []) or [str(folded)] == said, (folded, said)
    return folded


def test_engagement_figure_folds_what_does_not_fit(tmp_path: Path) -> None:
    """On the generator's 500 entities the columns do not fit at 7 pt: the page stays A4 and
    the rows that do not fit fold into "+ N more" rows, counted in the summary."""
    from benchmarks.generate import generate
    from mapper.store import EmbeddedStore

    _engagement_page_checks(EmbeddedStore(generate(500, seed=1)), tmp_path, "big")
    import re

    svg = (tmp_path / "big.svg").read_text(encoding="utf-8")
    assert len(re.findall(r"\+ \d+ more", svg)) >= 3
    assert _folds_are_counted(svg) > 50


def test_engagement_legend_explains_every_mark(seed_store) -> None:
    """Line colours include the activity -> objective lines; the red frames (dashed: uncovered,
    solid: named by another finding) and the box fills have their entries."""
    from exports.static import engagement_figure
    from exports.view import run_gap_rules

    findings = run_gap_rules(seed_store, as_of="2025-06-30")
    uncovered = sorted({s for f in findings if f.rule == "uncovered-activity" for s in f.subjects})
    drawing = engagement_figure(
        seed_store.graph, title="t", caption="c", findings=findings, uncovered=uncovered
    )
    legends = {leg.title: list(leg.labels) for leg in drawing.legends}
    assert set(legends) == {
        "Line colour: role (actor → activity)",
        "Dashes: status",
        "Box fill: entity type",
        "Red frame: gap",
    }
    assert "activity → objective" in legends["Line colour: role (actor → activity)"]
    assert legends["Red frame: gap"] == ["no ecosystem actor engages", "named by another gap finding"]
    assert {"activity", "nri", "un entity", "commitment"} <= set(legends["Box fill: entity type"])


def test_network_legend_explains_the_gap_marks(seed_store) -> None:
    """Entities named by a finding are outlined in red and relations named by one drawn thick:
    the legend has an entry for each."""
    from exports.view import run_gap_rules

    findings = run_gap_rules(seed_store, as_of="2025-06-30")
    assert any(f.relation_id for f in findings)
    drawing = network_figure(seed_store.graph, title="t", caption="c", findings=findings)
    entries = {leg.title: list(leg.labels) for leg in drawing.legends}
    assert "named by a gap finding" in entries["Entity type (category)"]
    assert "thick: named by a gap finding" in entries["Relation type"]
