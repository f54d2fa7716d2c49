"""What a person can read on the map at 1600 x 1000, measured by OCR (Debian's tesseract) of the
drawing area at 1x pixels; and the page's interactions, checked through its state (issue 21)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from exports.html_map import write_map
from mapper.store import EmbeddedStore
from tests.exports.browser import open_page
from tests.exports.ocr import read_map, tesseract_missing_reason
from tests.exports.test_engagement import page_data
from tests.exports.test_map_browser import DAY, click_node, ready

SCREEN = (1600, 1000)


@pytest.fixture(scope="module")
def tesseract() -> None:
    """OCR needs tesseract: missing, the reading tests fail loudly (never a skip)."""
    reason = tesseract_missing_reason()
    if reason:
        pytest.fail(f"reading tests cannot run: {reason}", pytrace=False)


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory: pytest.TempPathFactory, seed_store: EmbeddedStore) -> Path:
    out = tmp_path_factory.mktemp("reading") / "network.html"
    write_map(seed_store, out)
    return out


@pytest.fixture
def seed_page(chromium: Any, seed_map: Path) -> Iterator[Any]:
    with open_page(chromium, seed_map, *SCREEN) as (page, log):
        ready(page)
        yield page
        log.assert_clean()


def settle(page: Any) -> None:
    page.wait_for_timeout(300)  # the redraw after a change is an animation frame away


def engaged_part(data: dict[str, Any]) -> set[str]:
    """The engaged actors, the activities they engage in and the objectives those address."""
    relations = data["relations"].values()
    actors = {r["source"] for r in relations if r["type"] == "ENGAGES_IN"}
    activities = {r["target"] for r in relations if r["type"] == "ENGAGES_IN"}
    objectives = {r["target"] for r in relations if r["type"] == "ADDRESSES" and r["source"] in activities}
    return actors | activities | objectives


# --- the network view ----------------------------------------------------------------------------


def test_network_view_names_the_hubs_on_opening(
    tmp_path: Path, tesseract: None, seed_page: Any, seed_store: EmbeddedStore
) -> None:
    degree = dict(seed_store.graph.degree())
    hubs = sorted(seed_store.graph, key=lambda n: (-degree[n], n))[:10]
    read, lines = read_map(seed_page, tmp_path / "open.png")
    # Every hub carries a label (the issue asks 8 of 10 read: OCR reads 9, it misses one among
    # the crowd of lines and nodes that a person reads all the same).
    assert set(hubs) <= set(seed_page.evaluate("Object.keys(igfmap.labels)"))
    assert len(read & set(hubs)) >= 9, (sorted(set(hubs) - read), lines)
    # Every label at the page's screen size, none colliding with another.
    boxes = seed_page.evaluate("igfmap.labelBoxes()")
    assert all(b["height"] >= 14 for b in boxes)
    assert not [
        (a["id"], b["id"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    ]


def test_search_fits_and_names_its_matches(tmp_path: Path, tesseract: None, seed_page: Any) -> None:
    seed_page.fill("#search", "Dynamic Coalition")
    settle(seed_page)
    entities = seed_page.evaluate("igfmap.data.entities")
    coalitions = {i for i, e in entities.items() if "dynamic coalition" in (e.get("name") or "").lower()}
    read, lines = read_map(seed_page, tmp_path / "search.png")
    assert len(read & coalitions) >= 8, lines
    # Their neighbours are lit and labelled too, after the matches.
    neighbours = set(seed_page.evaluate("Object.keys(igfmap.searchLit)")) - coalitions
    assert neighbours and set(seed_page.evaluate("Object.keys(igfmap.labels)")) & neighbours
    assert read & neighbours, (sorted(neighbours), lines)
    # The view fits the matches: every one of them is on screen.
    outside = seed_page.evaluate(
        """(ids) => { const net = igfmap.network, box = document.getElementById('network');
            return ids.filter(id => { const p = net.canvasToDOM(net.getPositions([id])[id]);
              return p.x < 0 || p.y < 0 || p.x > box.clientWidth || p.y > box.clientHeight; }); }""",
        sorted(coalitions),
    )
    assert outside == []


def test_a_selected_hub_and_its_neighbours_are_named(tmp_path: Path, tesseract: None, seed_page: Any) -> None:
    seed_page.evaluate("igfmap.selectEntity('igf')")
    settle(seed_page)
    read, lines = read_map(seed_page, tmp_path / "hub.png")
    neighbours = set(seed_page.evaluate("Object.keys(igfmap.highlight)")) - {"igf"}
    assert "igf" in read, lines
    assert len(read & neighbours) >= 5, lines


# --- the engagement view -------------------------------------------------------------------------


def engagement_reading(
    chromium: Any, store: EmbeddedStore, out: Path, **options: Any
) -> tuple[float, float, bool]:
    """(on-screen text size in px, share of the engaged part OCR reads, whether the side panel
    is open) on opening; the OCR is left out (share 0) when the text is under 12 px, which fails
    the check already."""
    write_map(store, out, view="engagement", **options)
    wanted = engaged_part(page_data(out))
    with open_page(chromium, out, *SCREEN) as (page, log):
        ready(page)
        settle(page)
        size = float(page.evaluate("igfmap.data.meta.font * igfmap.network.getScale()"))
        panel = bool(page.is_visible("#panel"))
        assert page.get_attribute("#panel-toggle", "aria-expanded") == str(panel).lower()
        read, _ = read_map(page, out.with_suffix(".png")) if size >= 12 else (set(), [])
        log.assert_clean()
    return size, len(read & wanted) / len(wanted), panel


def test_engagement_view_is_read_on_opening(
    tmp_path: Path, tesseract: None, chromium: Any, seed_store: EmbeddedStore
) -> None:
    size, share, panel = engagement_reading(
        chromium, seed_store, tmp_path / "seed.html", as_of=DAY, highlight_gaps=True
    )
    assert size >= 12, size
    assert share >= 0.7, share
    assert panel  # the seed's names are readable beside the panel: it stays open


def test_engagement_view_of_other_data_is_read_on_opening(
    tmp_path: Path, tesseract: None, chromium: Any
) -> None:
    from benchmarks.generate import generate

    # 284 boxes: 12 px only with the whole width, so the panel opens closed (its button shows it).
    size, share, panel = engagement_reading(
        chromium, EmbeddedStore(generate(500, seed=1)), tmp_path / "gen.html"
    )
    assert size >= 12, size
    assert share >= 0.7, share
    assert not panel


def test_a_focused_map_marks_no_gap_the_whole_map_does_not(tmp_path: Path, seed_store: EmbeddedStore) -> None:
    whole = page_data_of(seed_store, tmp_path / "whole.html")
    focused = page_data_of(seed_store, tmp_path / "focus.html", focus="dccg")
    for ident, entity in focused["entities"].items():
        if entity.get("gap"):
            assert whole["entities"][ident].get("gap") == entity["gap"], ident
    # The IGF and the MAG engage on something: no focused map calls them idle.
    assert not focused["entities"].get("igf", {}).get("gap")
    assert not focused["entities"].get("mag", {}).get("gap")


def page_data_of(store: EmbeddedStore, out: Path, **options: Any) -> dict[str, Any]:
    write_map(store, out, view="engagement", as_of=DAY, highlight_gaps=True, **options)
    return page_data(out)


# --- interactions --------------------------------------------------------------------------------


def test_escape_clears_every_selection_style(seed_page: Any) -> None:
    click_node(seed_page, "igf")
    seed_page.wait_for_selector("#card:not([hidden])")
    assert seed_page.evaluate("igfmap.network.getSelectedEdges().length") > 10
    seed_page.keyboard.press("Escape")
    assert (
        seed_page.evaluate(
            "igfmap.network.getSelectedNodes().length + igfmap.network.getSelectedEdges().length"
        )
        == 0
    )
    assert seed_page.evaluate("igfmap.highlight") is None
    # Every edge back to its plain width and opacity.
    assert seed_page.evaluate(
        """igfmap.data.edges.every(e => { const now = igfmap.edges.get(e.id);
             return now.width === e.width && now.color.opacity === e.color.opacity; })"""
    )


@pytest.fixture
def engagement_page(tmp_path: Path, chromium: Any, seed_store: EmbeddedStore) -> Iterator[Any]:
    """The seed's engagement view as of :data:`DAY`, open at 1600 x 1000."""
    out = tmp_path / "e.html"
    write_map(seed_store, out, view="engagement", as_of=DAY)
    with open_page(chromium, out, *SCREEN) as (page, log):
        ready(page)
        yield page
        log.assert_clean()


def test_the_panel_button_hides_and_shows_the_panel_and_refits(engagement_page: Any) -> None:
    page = engagement_page

    def drawing() -> dict[str, float]:
        return dict(
            page.evaluate(
                "({width: document.getElementById('network').clientWidth,"
                " canvas: document.querySelector('#network canvas').clientWidth,"
                " scale: igfmap.network.getScale(), fits: igfmap.fits})"
            )
        )

    opened = drawing()
    page.focus("#panel-toggle")  # a keyboard user reaches it and presses Enter
    page.keyboard.press("Enter")
    closed = drawing()
    assert not page.is_visible("#panel")
    assert page.get_attribute("#panel-toggle", "aria-expanded") == "false"
    assert closed["width"] == closed["canvas"] == SCREEN[0] > opened["width"]
    assert closed["fits"] == opened["fits"] + 1 and closed["scale"] >= opened["scale"]
    assert page.evaluate(ON_SCREEN) == []
    page.keyboard.press("Enter")
    assert page.is_visible("#panel")
    assert page.get_attribute("#panel-toggle", "aria-expanded") == "true"
    assert drawing() == dict(opened, fits=opened["fits"] + 2)


def test_the_card_never_covers_the_selected_node(seed_page: Any) -> None:
    # The right-most node, clicked: the card would open over it.
    right = seed_page.evaluate(
        """(() => { const pos = igfmap.network.getPositions();
            return Object.keys(pos).sort((a, b) => pos[b].x - pos[a].x)[0]; })()"""
    )
    click_node(seed_page, right)
    seed_page.wait_for_selector("#card:not([hidden])")
    x, card_left = seed_page.evaluate(
        """(id) => { const net = igfmap.network, box = document.getElementById('network').getBoundingClientRect();
            return [box.left + net.canvasToDOM(net.getPositions([id])[id]).x,
                    document.getElementById('card').getBoundingClientRect().left]; }""",
        right,
    )
    assert x < card_left - 10, (x, card_left)


def test_headings_follow_filters_and_collapsing_and_every_change_refits(engagement_page: Any) -> None:
    page = engagement_page

    def headings() -> list[str]:
        return list(page.evaluate("igfmap.shownHeadings().map(h => h.label)"))

    def view() -> list[str]:
        return list(
            page.evaluate(
                "(() => { const p = igfmap.network.getViewPosition();"
                " return [igfmap.network.getScale().toFixed(4), p.x.toFixed(1), p.y.toFixed(1)]; })()"
            )
        )

    opened, start, fits = headings(), view(), page.evaluate("igfmap.fits")
    assert any(h.startswith("government") for h in opened)
    page.uncheck('input[data-filter="type"][value="government"]')
    assert not any(h.startswith("government") for h in headings())
    assert page.evaluate("igfmap.fits") == fits + 1
    page.check('input[data-filter="type"][value="government"]')
    assert view() == start and headings() == opened
    group = page.evaluate("igfmap.data.groups.find(g => !g.folded && g.id.startsWith('group:activity'))")
    heading = next(h for h in opened if h.startswith(group["label"].rsplit(" (", 1)[0]))
    fits = page.evaluate("igfmap.fits")
    page.check(f'input[data-group][value="{group["id"]}"]')
    assert heading not in headings()
    assert page.evaluate("igfmap.fits") == fits + 1
    assert page.evaluate(ON_SCREEN) == []
    click_node(page, group["id"])  # a click opens it again, and refits
    assert heading in headings()
    assert page.evaluate("igfmap.fits") == fits + 2
    assert page.evaluate(ON_SCREEN) == []


#: The drawn nodes whose centre is off the drawing area.
ON_SCREEN = """(() => { const net = igfmap.network, box = document.getElementById('network');
    return net.body.nodeIndices.filter(id => { const n = net.body.nodes[id], p = net.canvasToDOM({x: n.x, y: n.y});
      return p.x < 0 || p.y < 0 || p.x > box.clientWidth || p.y > box.clientHeight; }); })()"""


def test_the_first_fit_of_a_focused_view_shows_all_of_it(
    tmp_path: Path, chromium: Any, seed_store: EmbeddedStore
) -> None:
    for view in ("network", "engagement"):
        out = tmp_path / f"{view}.html"
        write_map(seed_store, out, view=view, focus="dccg", as_of=DAY)
        with open_page(chromium, out, *SCREEN) as (page, log):
            ready(page)
            outside = page.evaluate(ON_SCREEN)
            assert outside == [], (view, outside)
            # The focus is in the middle and carries a label.
            if view == "network":
                assert "dccg" in page.evaluate("Object.keys(igfmap.labels)")
            log.assert_clean()


def test_ocr_reads_a_plain_label_and_names_it(tmp_path: Path, tesseract: None) -> None:
    from PIL import Image, ImageDraw

    from tests.exports.ocr import names_read, ocr_lines

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).text((40, 40), "Internet Governance Forum", fill="black", font_size=16)
    image.save(tmp_path / "one.png")
    lines = ocr_lines(tmp_path / "one.png")
    assert "Internet Governance Forum" in lines
    entities: dict[str, dict[str, Any]] = {
        "igf": {"name": "Internet Governance Forum", "aliases": ["IGF"]},
        "dc-a": {"name": "Dynamic Coalition on Accessibility"},
        "dc-b": {"name": "Dynamic Coalition on Blockchain"},
    }
    assert names_read(lines, entities) == {"igf"}
    # A fragment one name holds names it; a prefix two share names nobody; an alias names.
    assert names_read(["on Accessibility"], entities) == {"dc-a"}
    assert names_read(["Dynamic Coalition on"], entities) == set()
    assert names_read(["IGF"], entities) == {"igf"}
