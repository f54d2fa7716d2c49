"""The map in a real headless Chromium: offline, no errors, counts, search, filters, card, and
hostile data that shows as text and never runs."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from exports.html_map import write_map
from mapper.dataset import to_graph
from queries.gaps.base import finding
from tests.exports.browser import open_page
from tests.exports.conftest import BAD_URLS, CJK, PAYLOADS, RTL, store_of

DOCS = Path(__file__).parents[2] / "docs"
DCCG = "Dynamic Coalition Coordination Group"


def ready(page: Any, timeout: float = 60.0) -> float:
    """Wait until the map says it is ready (physics settled, or drawn); seconds waited.

    Polls with page.evaluate: Playwright's wait_for_function evaluates strings, which the
    page's Content-Security-Policy (rightly) forbids."""
    started = time.monotonic()
    while not page.evaluate("() => Boolean(window.igfmap && window.igfmap.ready)"):
        if time.monotonic() - started > timeout:
            raise AssertionError(f"map not ready after {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - started


def click_node(page: Any, node_id: str) -> None:
    """A real mouse click on the node's position on the canvas."""
    x, y = page.evaluate(
        """(id) => {
            const net = igfmap.network;
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById("network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    page.mouse.click(x, y)


def test_seed_map_offline_counts_search_filter_card(tmp_path: Path, chromium, seed_store) -> None:
    out = tmp_path / "seed-map.html"
    result = write_map(seed_store, out, highlight_gaps=True, as_of="2025-06-30")
    entities, relations = len(seed_store.dataset.entities), len(seed_store.dataset.relations)
    with open_page(chromium, out) as (page, log):
        ready(page)
        # Counts on the page, in the data and in what vis-network drew equal the store's.
        drawn = page.evaluate(
            "[igfmap.network.body.nodeIndices.length, igfmap.network.body.edgeIndices.length]"
        )
        assert drawn == [result.nodes, result.edges]
        assert page.inner_text("#count-nodes") == str(result.nodes)
        assert page.inner_text("#count-edges") == str(result.edges)
        full = write_map(seed_store, tmp_path / "all.html")
        assert (full.nodes, full.edges) == (entities, relations)

        # Search by name and by alias.
        page.fill("#search", "coordination group")
        assert DCCG in page.inner_text("#search-results")
        page.fill("#search", "")
        page.fill("#search", "dccg")
        assert DCCG in page.inner_text("#search-results")

        # A type filter hides those nodes (and their relations).
        dccg_id = page.evaluate(
            f"Object.keys(igfmap.data.entities).find(k => igfmap.data.entities[k].name === {DCCG!r})"
        )
        dccg_type = page.evaluate(f"igfmap.data.entities[{dccg_id!r}].type")
        hidden_count = page.evaluate(
            f"Object.values(igfmap.data.entities).filter(e => e.type === {dccg_type!r}).length"
        )
        page.uncheck(f'input[data-filter="type"][value="{dccg_type}"]')
        assert page.evaluate(f"igfmap.nodes.get({dccg_id!r}).hidden") is True
        assert page.inner_text("#visible-nodes") == str(result.nodes - hidden_count)
        page.check(f'input[data-filter="type"][value="{dccg_type}"]')
        assert page.evaluate(f"igfmap.nodes.get({dccg_id!r}).hidden") is False

        # Clicking the node opens its card, with its sources.
        page.evaluate(f"igfmap.network.focus({dccg_id!r}, {{scale: 1.5, animation: false}})")
        click_node(page, dccg_id)
        page.wait_for_selector("#card:not([hidden])")
        card = page.inner_text("#card")
        assert DCCG in card
        entity_sources = seed_store.graph.nodes[dccg_id].get("sources") or []
        assert entity_sources, "the seed's DCCG cites sources"
        for source_id in entity_sources:
            assert seed_store.graph.graph["sources"][source_id]["title"] in card

        if os.environ.get("IGFMAP_UPDATE_SCREENSHOTS"):
            # The README's picture of the network view: as it opens on a 1600 x 1000 screen.
            page.keyboard.press("Escape")
            page.fill("#search", "")
            page.evaluate("document.activeElement.blur()")
            page.set_viewport_size({"width": 1600, "height": 1000})
            page.wait_for_timeout(300)  # vis-network resizes its canvas on the next frame
            page.evaluate("igfmap.refit()")
            box = page.evaluate(
                "(() => { const b = document.getElementById('network').getBoundingClientRect(); return [b.left, b.bottom]; })()"
            )
            page.mouse.move(box[0] + 5, box[1] - 5)  # over empty canvas: no tooltip in the picture
            page.wait_for_timeout(300)
            page.screenshot(path=str(DOCS / "map-network.png"))
        else:
            page.screenshot(path=str(tmp_path / "map.png"))
        log.assert_clean()


def test_filters_by_relation_type_and_status(tmp_path: Path, chromium, tiny_graph) -> None:
    write_map(store_of(tiny_graph), tmp_path / "m.html")
    with open_page(chromium, tmp_path / "m.html") as (page, log):
        ready(page)
        assert page.inner_text("#visible-edges") == "14"
        page.uncheck('input[data-filter="relation"][value="ENGAGES_IN"]')
        assert page.inner_text("#visible-edges") == "9"
        page.uncheck('input[data-filter="status"][value="planned"]')
        assert page.inner_text("#visible-edges") == "7"
        page.click("#reset-filters")
        assert page.inner_text("#visible-edges") == "14"
        # An edge click opens the relation card.
        page.evaluate("igfmap.network.fit({animation: false})")
        log.assert_clean()


def test_gap_highlighting_names_the_rule_in_the_card(tmp_path: Path, chromium, tiny_graph) -> None:
    findings = [finding("isolated-actor", ["itu"], "ITU has no engagement here", ["s-map"])]
    write_map(store_of(tiny_graph), tmp_path / "m.html", findings=findings)
    with open_page(chromium, tmp_path / "m.html") as (page, log):
        ready(page)
        page.evaluate("igfmap.selectEntity('itu')")
        card = page.inner_text("#card")
        assert "isolated-actor" in card and "ITU has no engagement here" in card and "s-map" in card
        # Ticking the rule shows only the entities it names.
        page.check('input[data-filter="gap"][value="isolated-actor"]')
        assert page.inner_text("#visible-nodes") == "1"
        log.assert_clean()


def test_big_map_is_usable_at_once(tmp_path: Path, chromium) -> None:
    from tests.exports.test_html_map import big_graph

    write_map(store_of(big_graph(1500)), tmp_path / "big.html")
    with open_page(chromium, tmp_path / "big.html") as (page, log):
        assert ready(page, timeout=15) < 15
        assert page.evaluate("igfmap.network.physics.options.enabled") is False
        assert page.evaluate("igfmap.network.body.nodeIndices.length") == 1500
        log.assert_clean()


def test_hostile_data_shows_as_text_and_never_runs(tmp_path: Path, chromium, hostile) -> None:
    out = tmp_path / "hostile.html"
    write_map(
        store_of(to_graph(hostile)),
        out,
        title=PAYLOADS[0] + " " + RTL,
        findings=[finding(PAYLOADS[1], ["h-0"], PAYLOADS[2], ["h-src-0"])],
    )
    with open_page(chromium, out) as (page, log):
        ready(page)
        assert page.title() == PAYLOADS[0] + " " + RTL
        assert page.inner_text("#map-title") == PAYLOADS[0] + " " + RTL
        # Search the markup itself: the results show it literally.
        page.fill("#search", "<img")
        assert PAYLOADS[1] in page.inner_text("#search-results")
        page.fill("#search", "互联网")
        assert CJK in page.inner_text("#search-results")
        # Open every hostile entity's card and every relation card.
        for node in page.evaluate("Object.keys(igfmap.data.entities)"):
            page.evaluate(f"igfmap.selectEntity({node!r})")
            text = page.inner_text("#card")
            assert page.evaluate(f"igfmap.data.entities[{node!r}].name") in text
        page.evaluate("igfmap.selectEntity('h-0')")
        text = page.inner_text("#card")
        for literal in (PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], CJK, RTL):
            assert literal in text, literal
        # Links only for http(s); javascript:/data: URLs are plain text.
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
        assert BAD_URLS[0] in text
        # Hover tooltips are text too.
        page.evaluate("igfmap.network.fit({animation: false})")
        page.mouse.move(5, 5)
        # Nothing ran, nothing was created from the data, no dialog opened.
        assert page.evaluate("window.__pwned") is None
        assert (
            page.evaluate(
                "document.querySelectorAll('#card img, #card svg, #card script, #panel img').length"
            )
            == 0
        )
        assert page.evaluate("document.scripts.length") == 3
        log.assert_clean()


# --- readable maps and in-page interactions (issue 9) ------------------------------------------

DAY = "2025-06-30"


def overlapping(boxes: list[dict], tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of boxes ({id, x, y, width, height}) that overlap by more than ``tolerance`` px."""
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["x"] + tolerance < b["x"] + b["width"]
                and b["x"] + tolerance < a["x"] + a["width"]
                and a["y"] + tolerance < b["y"] + b["height"]
                and b["y"] + tolerance < a["y"] + a["height"]
            ):
                pairs.append((a["id"], b["id"]))
    return pairs


def touching_discs(discs: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for i, a in enumerate(discs)
        for b in discs[i + 1 :]
        if ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5 < a["r"] + b["r"]
    ]


def canvas(page: Any) -> bytes:
    page.wait_for_timeout(250)  # the redraw after a change is one animation frame away
    return page.locator("#network canvas").screenshot()


def counts(page: Any) -> list[int]:
    return [int(page.inner_text("#visible-nodes")), int(page.inner_text("#visible-edges"))]


def test_network_view_of_the_seed_has_no_collisions_and_reacts(tmp_path: Path, chromium, seed_store) -> None:
    write_map(seed_store, tmp_path / "n.html", as_of=DAY, highlight_gaps=True)
    with open_page(chromium, tmp_path / "n.html") as (page, log):
        ready(page)
        page.wait_for_timeout(200)
        discs = page.evaluate("igfmap.nodeDiscs()")
        labels = page.evaluate("igfmap.labelBoxes()")
        assert len(discs) == int(page.inner_text("#count-nodes"))
        assert touching_discs(discs) == []
        assert len(labels) >= 10, labels
        assert overlapping(labels) == []
        # Zooming in reveals more labels, still none colliding.
        page.evaluate("igfmap.network.moveTo({scale: igfmap.network.getScale() * 2.5, animation: false})")
        page.evaluate("igfmap.restyle()")
        page.wait_for_timeout(200)
        zoomed = page.evaluate("igfmap.labelBoxes()")
        assert overlapping(zoomed) == []
        page.evaluate("igfmap.refit()")

        # Search lights the matches on the canvas and dims the rest.
        before = canvas(page)
        page.fill("#search", "dynamic coalition")
        searched = canvas(page)
        assert searched != before
        assert page.evaluate("Object.keys(igfmap.highlight).length") > 1
        page.fill("#search", "")
        assert canvas(page) == before

        # A click lights the node and its neighbours.
        dccg = "dccg"
        click_node(page, dccg)
        page.wait_for_selector("#card:not([hidden])")
        lit = page.evaluate("Object.keys(igfmap.highlight)")
        assert dccg in lit and len(lit) > 2
        assert canvas(page) != before
        page.keyboard.press("Escape")

        # A filter hides, and the view refits to what remains.
        fits = page.evaluate("igfmap.fits")
        page.uncheck('input[data-filter="type"][value="document"]')
        assert canvas(page) != before
        assert page.evaluate("igfmap.fits") == fits + 1
        assert "hide-type=document" in page.evaluate("location.hash")
        log.assert_clean()


def test_date_control_gives_the_counts_of_as_of(tmp_path: Path, chromium, seed_store) -> None:
    write_map(seed_store, tmp_path / "all.html")
    dated = write_map(seed_store, tmp_path / "dated.html", as_of=DAY)
    with open_page(chromium, tmp_path / "all.html") as (page, log):
        ready(page)
        everything = counts(page)
        page.fill("#date-input", DAY)
        page.dispatch_event("#date-input", "change")
        assert counts(page) == [dated.nodes, dated.edges]
        assert counts(page) != everything
        # The slider: the last stop is the newest date in the data.
        newest = page.evaluate("igfmap.data.meta.dates[igfmap.data.meta.dates.length - 1]")
        page.focus("#date-slider")
        page.keyboard.press("End")
        assert page.inner_text("#date-label") == f"valid on {newest}"
        at_newest = counts(page)
        # The state is in the URL fragment: a reload (a shared link) shows the same view.
        assert f"date={newest}" in page.evaluate("location.hash")
        page.reload()
        ready(page)
        assert counts(page) == at_newest
        log.assert_clean()
    newest_map = write_map(seed_store, tmp_path / "newest.html", as_of=newest)
    assert at_newest == [newest_map.nodes, newest_map.edges]


def test_engagement_view_in_chromium(tmp_path: Path, chromium, seed_store) -> None:
    out = tmp_path / "e.html"
    result = write_map(seed_store, out, view="engagement", as_of=DAY, highlight_gaps=True, focus=None)
    with open_page(chromium, out) as (page, log):
        ready(page)
        assert page.evaluate("document.body.dataset.view") == "engagement"
        # On opening the actors with no engagement line are folded, one count box per group.
        folds = page.evaluate("igfmap.data.groups.filter(g => g.folded)")
        assert folds and all(
            page.evaluate(f"igfmap.network.body.nodes[{f['id']!r}] !== undefined") for f in folds
        )
        folded = result.nodes - sum(len(f["members"]) for f in folds) + len(folds)
        assert page.evaluate("igfmap.network.body.nodeIndices.length") == folded
        assert overlapping(page.evaluate("igfmap.labelBoxes()")) == []
        before = canvas(page)
        # Opening a fold (a click on it) shows its actors; the state survives a reload.
        fold = folds[0]
        click_node(page, fold["id"])
        opened = page.evaluate("igfmap.network.body.nodeIndices.length")
        assert opened == folded + len(fold["members"]) - 1
        assert canvas(page) != before
        page.reload()
        ready(page)
        assert page.evaluate("igfmap.network.body.nodeIndices.length") == opened
        # Collapsing a column group draws it as one node.
        group = page.evaluate("igfmap.data.groups.find(g => !g.folded)")
        page.check(f'input[data-group][value="{group["id"]}"]')
        assert page.evaluate("igfmap.network.body.nodeIndices.length") == opened - len(group["members"]) + 1
        page.click("#reset-filters")
        assert page.evaluate("igfmap.network.body.nodeIndices.length") == folded
        # Opened again, the group's members are back at their own places.
        assert page.evaluate(
            f"""(() => {{ const pos = igfmap.network.getPositions({group["members"]!r});
                return igfmap.data.nodes.filter(n => n.id in pos)
                  .every(n => Math.abs(pos[n.id].x - n.x) < 0.5 && Math.abs(pos[n.id].y - n.y) < 0.5); }})()"""
        )
        if os.environ.get("IGFMAP_UPDATE_SCREENSHOTS"):
            page.set_viewport_size({"width": 1600, "height": 1000})
            page.wait_for_timeout(300)  # vis-network resizes its canvas on the next frame
            # The README's picture: as it opens, an activity clicked, its actors and objectives lit,
            # its card open beside it.
            page.evaluate("igfmap.refit()")
            page.evaluate("igfmap.selectEntity('cstd-wgdg-dialogue')")
            page.mouse.move(100, 500)  # over the panel: no tooltip in the picture
            page.wait_for_timeout(300)
            page.screenshot(path=str(DOCS / "map.png"))
        log.assert_clean()


def test_focus_is_centred_and_marked(tmp_path: Path, chromium, seed_store) -> None:
    write_map(seed_store, tmp_path / "f.html", focus="dccg", depth=1)
    with open_page(chromium, tmp_path / "f.html") as (page, log):
        ready(page)
        centre = page.evaluate(
            """(() => { const net = igfmap.network; const p = net.canvasToDOM(net.getPositions(['dccg']).dccg);
                const box = document.getElementById('network').getBoundingClientRect();
                return [p.x - box.width / 2, p.y - box.height / 2]; })()"""
        )
        assert abs(centre[0]) < 2 and abs(centre[1]) < 2
        assert page.evaluate("igfmap.nodes.get('dccg').borderWidth") == 5
        assert "dccg" in [b["id"] for b in page.evaluate("igfmap.labelBoxes()")]
        log.assert_clean()
