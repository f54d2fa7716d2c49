"""The engagement matrix view: its table, the HTML page in a real Chromium, its exports."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from exports.export import export
from exports.html_map import write_map
from exports.matrix_view import NO_OBJECTIVE, matrix_table
from mapper.dataset import to_graph
from mapper.errors import UsageError
from queries.matrix import matrix
from tests.exports.browser import open_page
from tests.exports.conftest import BAD_URLS, CJK, PAYLOADS, RTL, store_of

DAY = "2025-06-30"
DOCS = Path(__file__).parents[2] / "docs"


def ready(page: Any) -> None:
    page.wait_for_selector("body[data-ready=true]", timeout=30000)


def type_filter(page: Any, box: str, text: str) -> None:
    """Type into a filter box, then Enter (the page redraws when typing pauses, or at once on Enter)."""
    page.fill(box, text)
    page.press(box, "Enter")


def shown_rows(page: Any) -> list[str]:
    return page.evaluate(
        "Array.from(document.querySelectorAll('#matrix tbody tr[data-row]')).map(r => r.dataset.row)"
    )


def shown_columns(page: Any) -> list[str]:
    return page.evaluate("Array.from(document.querySelectorAll('#matrix th.col')).map(c => c.dataset.column)")


# Where each line of a rotated (or level) heading ends: a new line must start after a space,
# a hyphen or a soft hyphen, never inside a word. Lines are told apart by their boxes' left
# edge (vertical writing mode, rotated) or top edge (level text).
BROKEN_WORDS = """(selector) => Array.from(document.querySelectorAll(selector)).flatMap(th => {
    const bad = [];
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent;
        const vertical = getComputedStyle(node.parentElement).writingMode.startsWith('vertical');
        let lastLine = null, last = -1;
        for (let i = 0; i < text.length; i++) {
            if (/\\s/.test(text[i])) continue;  // a space may sit at either end of a line
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rects = range.getClientRects(), box = rects[rects.length - 1];
            if (!box || !(box.width || box.height)) continue;
            const line = vertical ? Math.round(box.left) : Math.round(box.top);
            if (lastLine !== null && line !== lastLine && !/[\\s\\-\\u00ad]/.test(text.slice(last, i))) {
                bad.push(text.slice(0, last + 1) + '|' + text.slice(i));
            }
            lastLine = line;
            last = i;
        }
    }
    return bad;
})"""


def test_matrix_table_of_the_seed(seed_store) -> None:
    table = matrix_table(seed_store, seed_store.graph, as_of=DAY)
    query = matrix(
        seed_store,
        rows="actor",
        cols="activity",
        status=list(("active", "planned", "proposed", "requested", "concluded")),
        as_of=DAY,
    )
    # Every cell of the query, every actor a row (those with no engagement too).
    assert {(c["row"], c["column"]) for c in table.cells} == {(c["row"], c["column"]) for c in query.cells}
    actors = {n for n, a in seed_store.graph.nodes(data=True) if a.get("category") == "actor"}
    assert {r["id"] for r in table.rows} <= actors and len(table.rows) > len(query.row_heads) + 50
    # Grouped by process: every column once, a process first in its own group.
    by_process = table.column_groups("process")
    assert sorted(c["id"] for _k, _l, cols in by_process for c in cols) == sorted(
        c["id"] for c in table.columns
    )
    wsis = next(cols for key, _label, cols in by_process if key == "wsis-process")
    assert wsis[0]["id"] == "wsis-process" and len(wsis) > 1
    # Grouped by objective: a column under each objective it addresses, GDC paragraphs under theirs.
    by_objective = {key: [c["id"] for c in cols] for key, _label, cols in table.column_groups("objective")}
    assert {f"gdc-objective-{i}" for i in range(1, 6)} <= set(by_objective)
    assert NO_OBJECTIVE in by_objective
    # A cell takes the strongest role and the most engaged status of its relations.
    cell = table.cell("itu", "itu-ai-for-good")
    assert cell is not None and cell["role"] == "lead" and cell["status"] == "active"
    assert all(table.relations[k]["source"] == "itu" for k in cell["keys"])
    # The CSV table: names and ids, a line per actor.
    lines = table.table_rows()
    assert lines[0][:3] == ["actor", "actor name", "stakeholder group"] and len(lines) == len(table.rows) + 2


def test_matrix_page_in_chromium(tmp_path: Path, chromium, seed_store) -> None:
    out = tmp_path / "matrix.html"
    result = write_map(seed_store, out, view="matrix", as_of=DAY)
    assert result.view == "matrix" and result.gaps > 0
    html = out.read_text(encoding="utf-8")
    assert "vis-network" not in html and html.count("<script>") == 1
    with open_page(chromium, out, width=1600, height=1000) as (page, log):
        ready(page)
        rows, columns = shown_rows(page), shown_columns(page)
        engaged = page.evaluate("igfmapMatrix.shown.engagedRows")
        assert len(columns) == len(page.evaluate("igfmapMatrix.data.columns")) > 30
        assert len(rows) == engaged > 20  # actors with no engagement folded away at first
        # Group headings: stakeholder groups across, a fold per group with idle actors.
        assert "government" in page.inner_text("#matrix tr.rgroup")
        assert page.locator("#matrix tr.fold button").count() >= 3
        # Empty and uncovered columns are marked, with their count.
        assert page.locator("#matrix th.col.uncovered").count() == result.gaps
        assert page.locator("#matrix td.count-uncovered").first.inner_text() != ""
        # Column headings are whole names, broken between words only.
        assert page.evaluate(BROKEN_WORDS, "#matrix thead th .vhead") == []
        # A real click on a cell opens the relation's card with its sources.
        cell = page.locator('#matrix tr[data-row="itu"] td[data-column="itu-ai-for-good"]')
        cell.click()
        card = page.inner_text("#card")
        assert "International Telecommunication Union → AI for Good" in card
        assert "sources" in card.lower() and "lead" in card
        assert page.locator("#card li.src").count() >= 1
        if os.environ.get("IGFMAP_UPDATE_SCREENSHOTS"):
            # The README's picture: the matrix at 1600x1000, a cell clicked, its card open.
            page.screenshot(path=str(DOCS / "matrix.png"))
        page.keyboard.press("Escape")
        assert page.locator("#card").is_hidden()
        # Sort by count: the busiest actor first in its group.
        page.check('input[name="sort"][value="count"]')
        by_count = shown_rows(page)
        assert sorted(by_count) == sorted(rows) and by_count != rows
        counts = page.evaluate(
            "Array.from(document.querySelectorAll('#matrix tbody tr[data-row]')).map(r => "
            "[r.previousElementSibling && r.previousElementSibling.className, +r.querySelector('.n').textContent])"
        )
        firsts = [n for (before, n) in counts if before == "rgroup"]
        assert max(firsts) == max(n for _b, n in counts)
        # Filters change the rows: a text filter, a stakeholder group, a status.
        type_filter(page, "#row-filter", "union")
        assert 0 < len(shown_rows(page)) < len(rows) and "itu" in shown_rows(page)
        type_filter(page, "#row-filter", "")
        page.uncheck('input[data-group][value="intergovernmental"]')
        assert "itu" not in shown_rows(page) and len(shown_rows(page)) < len(rows)
        page.click("#reset-filters")
        cells = page.evaluate("igfmapMatrix.shown.cells")
        page.uncheck('input[data-status][value="active"]')
        assert page.evaluate("igfmapMatrix.shown.cells") < cells
        assert len(shown_rows(page)) < len(rows)
        page.click("#reset-filters")
        # Every actor, empty rows greyed with a count of 0.
        page.check("#show-empty")
        everyone = shown_rows(page)
        assert len(everyone) == len(page.evaluate("igfmapMatrix.data.rows")) > len(rows)
        assert page.locator("#matrix th.actor.empty").count() == len(everyone) - len(rows)
        # Columns by objective: an activity under each objective it addresses.
        page.check('input[name="group-by"][value="objective"]')
        assert len(shown_columns(page)) > len(columns)
        assert "objective: GDC objective 1" in page.inner_text("#matrix thead")
        type_filter(page, "#col-filter", "WSIS")
        assert 0 < len(set(shown_columns(page))) < len(columns)
        log.assert_clean()


def test_matrix_panel_button_gives_the_table_the_width(tmp_path: Path, chromium, seed_store) -> None:
    out = tmp_path / "matrix.html"
    write_map(seed_store, out, view="matrix", as_of=DAY)
    with open_page(chromium, out, width=1600, height=1000) as (page, log):
        ready(page)
        width = "document.getElementById('matrix-wrap').clientWidth"
        opened = page.evaluate(width)
        page.focus("#panel-toggle")  # a keyboard user reaches it and presses Enter
        page.keyboard.press("Enter")
        assert not page.is_visible("#panel")
        assert page.get_attribute("#panel-toggle", "aria-expanded") == "false"
        assert page.inner_text("#panel-toggle") == "Show filters, order and legend"
        assert page.evaluate(width) > opened + 200
        page.keyboard.press("Enter")
        assert page.is_visible("#panel") and page.evaluate(width) == opened
        assert page.get_attribute("#panel-toggle", "aria-expanded") == "true"
        log.assert_clean()


def test_matrix_page_honours_focus_and_marks_gaps_from_the_whole_data(
    tmp_path: Path, chromium, seed_store
) -> None:
    whole = tmp_path / "whole.html"
    focused = tmp_path / "focused.html"
    write_map(seed_store, whole, view="matrix", as_of=DAY)
    write_map(seed_store, focused, view="matrix", as_of=DAY, focus="gdc-implementation", depth=1)
    seen = {}
    for name, path in (("whole", whole), ("focused", focused)):
        with open_page(chromium, path, width=1600, height=1000) as (page, log):
            ready(page)
            seen[name] = page.evaluate(
                "({uncovered: igfmapMatrix.data.uncovered, rows: igfmapMatrix.data.rows.map(r => r.id),"
                " columns: igfmapMatrix.data.columns.map(c => c.id),"
                " engaged: igfmapMatrix.data.cells.map(c => c.column)})"
            )
            if name == "focused":  # the focus's card is open
                assert "GDC implementation and follow-up" in page.inner_text("#card")
            log.assert_clean()
    whole_marks, focused = set(seen["whole"]["uncovered"]), seen["focused"]
    assert len(focused["rows"]) < len(seen["whole"]["rows"]) and focused["columns"]
    # The focused matrix marks exactly what the whole one marks among its columns, though
    # some of its columns have no engagement inside the focus.
    assert set(focused["uncovered"]) == whole_marks & set(focused["columns"])
    locally_empty = set(focused["columns"]) - set(focused["engaged"])
    assert locally_empty - whole_marks, "the focus should hold a column engaged on only outside it"


def test_hostile_names_in_the_matrix_stay_text(tmp_path: Path, chromium, hostile) -> None:
    out = tmp_path / "hostile.html"
    write_map(store_of(to_graph(hostile)), out, view="matrix", title=PAYLOADS[0] + " " + RTL)
    with open_page(chromium, out, width=1600, height=1000) as (page, log):
        ready(page)
        assert page.inner_text("#map-title") == PAYLOADS[0] + " " + RTL
        heads = page.inner_text("#matrix")
        assert PAYLOADS[1] in heads and CJK in heads
        page.check("#show-empty")
        for row in page.evaluate("igfmapMatrix.data.cells.map(c => [c.row, c.column])"):
            page.evaluate("([r, c]) => igfmapMatrix.showCell(r, c)", row)
            text = page.inner_text("#card")
            assert CJK in text
        for actor in page.evaluate("igfmapMatrix.data.rows.map(r => r.id)"):
            page.evaluate("(id) => igfmapMatrix.showActor(id)", actor)
        page.evaluate("igfmapMatrix.showActor('h-0')")
        text = page.inner_text("#card")
        for literal in (PAYLOADS[0], PAYLOADS[1], BAD_URLS[0]):
            assert literal in text, literal
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
        type_filter(page, "#row-filter", "<img")
        assert page.evaluate("window.__pwned") is None
        assert (
            page.evaluate(
                "document.querySelectorAll('#matrix img, #matrix svg, #card img, #card script').length"
            )
            == 0
        )
        assert page.evaluate("document.scripts.length") == 2  # the JSON block and the page's script
        log.assert_clean()


# --- exports -------------------------------------------------------------------------------------


def test_matrix_exports_as_tables(tmp_path: Path, seed_store) -> None:
    export(seed_store, "csv", tmp_path / "csv", view="matrix", as_of=DAY)
    with (tmp_path / "csv" / "matrix.csv").open(encoding="utf-8") as f:
        lines = list(csv.reader(f))
    assert lines[0][:2] == ["actor", "actor name"] and "AI for Good" in lines[0]
    itu = next(line for line in lines if line[0] == "itu")
    assert itu[lines[0].index("AI for Good")] == "lead"
    export(seed_store, "json", tmp_path / "m.json", view="matrix", as_of=DAY)
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert {"rows", "columns", "cells", "uncovered", "sources"} <= set(data)
    assert all(c["relations"] and c["relations"][0]["sources"] for c in data["cells"])
    export(seed_store, "xlsx", tmp_path / "m.xlsx", view="matrix", as_of=DAY)
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "m.xlsx")["matrix"]
    assert sheet.cell(1, 2).value == "actor name" and sheet.max_row == len(lines)
    with pytest.raises(UsageError, match="csv, json, pdf, png, svg and xlsx"):
        export(seed_store, "graphml", tmp_path / "m.graphml", view="matrix")


def test_matrix_pdf_pages_are_a4_landscape(tmp_path: Path, seed_store) -> None:
    export(seed_store, "pdf", tmp_path / "m.pdf", view="matrix", as_of=DAY)
    pdf = (tmp_path / "m.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox \[ *([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+) *\]", pdf)
    assert 1 <= len(boxes) <= 4
    assert {tuple(float(v) for v in box) for box in boxes} == {(0.0, 0.0, 841.89, 595.28)}


def test_matrix_svg_text_is_7pt_on_each_a4_page(tmp_path: Path, chromium, seed_store) -> None:
    """The SVG stacks the A4 landscape pages: at the page's width (842 pt), no text under 7 pt,
    every text inside its page, no two texts overlapping."""
    from tests.exports.test_map_browser import overlapping
    from tests.exports.test_static import A4_LANDSCAPE_PT, SVG_TEXT

    out = tmp_path / "m.svg"
    export(seed_store, "svg", out, view="matrix", as_of=DAY)
    with open_page(chromium, out) as (page, log):
        found = page.evaluate(SVG_TEXT)
        assert abs(found["width"] - A4_LANDSCAPE_PT[0]) < 0.5
        pages = round(found["height"] / A4_LANDSCAPE_PT[1])
        assert abs(found["height"] - pages * A4_LANDSCAPE_PT[1]) < 0.5 and pages >= 1
        texts = found["texts"]
        assert len(texts) > 100
        assert [t["id"] for t in texts if t["size"] < 7.0 - 1e-6] == []
        assert any(t["id"].split(": ", 1)[1].startswith("International Telecommunicatio") for t in texts)
        for t in texts:  # inside its page, none across a page's edge
            top = (t["y"] // A4_LANDSCAPE_PT[1]) * A4_LANDSCAPE_PT[1]
            assert t["y"] + t["height"] <= top + A4_LANDSCAPE_PT[1] + 0.5, t["id"]
            assert t["x"] >= -0.5 and t["x"] + t["width"] <= found["width"] + 0.5, t["id"]
        assert overlapping(texts, tolerance=0.6) == []
        log.assert_clean()


# --- the report's matrix -----------------------------------------------------------------------


def _pdf_pages(pdf: Path) -> list[tuple[str, tuple[float, float]]]:
    """Each page's text and size in points (poppler's pdftotext and pdfinfo)."""
    import subprocess

    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    )
    sizes = [
        (float(w), float(h)) for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info.stdout)
    ]
    pages = []
    for number, size in enumerate(sizes, start=1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append((text, size))
    return pages


def test_report_matrix_prints_one_readable_table_per_a4_page(tmp_path: Path, chromium, seed_store) -> None:
    """The report's matrix, printed by Chromium: names as headings, broken between words only;
    on A4 landscape pages, every page of it holding its headings and rows (never a caption
    alone); no cell past the page's edge."""
    from exports.report import write_report
    from tests.exports.test_report import PRINT_CHECK

    write_report(seed_store, tmp_path / "r", as_of=DAY)
    html = tmp_path / "r" / "report.html"
    with open_page(chromium, html, width=1047, height=718) as (page, log):  # A4 landscape less 10 mm margins
        page.emulate_media(media="print")
        found = page.evaluate(PRINT_CHECK, None)
        assert found["cut"] == [], found["cut"][:10]
        headings = page.evaluate(
            "Array.from(document.querySelectorAll('table.matrix thead th.col')).map(th => th.textContent)"
        )
        assert "AI for Good" in headings and not any(h.startswith(("gdc-", "cstd-")) for h in headings)
        assert page.evaluate(BROKEN_WORDS, "table.matrix thead th .vhead, table.matrix tbody th") == []
        page.pdf(path=str(tmp_path / "report.pdf"), prefer_css_page_size=True, print_background=True)
        log.assert_clean()
    pages = _pdf_pages(tmp_path / "report.pdf")
    first = next(
        i for i, (text, _size) in enumerate(pages) if "Engagement matrix" in text and "Part 1 of" in text
    )
    last = next(i for i, (text, _size) in enumerate(pages) if i > first and "Gap findings" in text)
    matrix_pages = pages[first:last]
    assert 1 <= len(matrix_pages) <= 6
    for text, size in matrix_pages:
        assert abs(size[0] - 841.9) < 1 and abs(size[1] - 595.0) < 1, size  # A4 landscape
        # The headings repeat on every page, and rows follow them.
        assert re.search(r"^\s*actor\b", text, re.M), text[:300]
        assert len(re.findall(r"^\s*\S.*\s\d+\s*$", text, re.M)) >= 3, text[:600]
    captions = [m for text, _size in matrix_pages for m in re.findall(r"Part \d of \d", text)]
    assert captions == [f"Part {i} of {len(captions)}" for i in range(1, len(captions) + 1)]


def test_big_matrix_fills_rows_as_they_scroll_into_view(tmp_path: Path, chromium) -> None:
    """The generator's 5,000 entities (the map keeps the 2,000 best connected): about 600 rows
    by 800 columns. Rows are filled with cells near the screen only, so a redraw stays quick."""
    from benchmarks.generate import generate
    from mapper.store import EmbeddedStore

    out = tmp_path / "big.html"
    write_map(EmbeddedStore(generate(5000)), out, view="matrix")
    with open_page(chromium, out, width=1600, height=1000) as (page, log):
        ready(page)
        rows, columns = page.evaluate("[igfmapMatrix.shown.rows, igfmapMatrix.shown.columns]")
        assert rows * columns > 100_000
        millis = page.evaluate(
            "(() => { const t = performance.now(); igfmapMatrix.render(); return performance.now() - t; })()"
        )
        assert millis < 5000, millis
        page.wait_for_timeout(300)  # the rows near the screen are filled once laid out
        waiting = page.locator("#matrix td.lazy").count()
        assert 0 < waiting < rows
        last = page.locator("#matrix tbody tr[data-row]").last
        assert last.locator("td.lazy").count() == 1
        last.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        assert last.locator("td.lazy").count() == 0 and last.locator("td.cell").count() == columns
        log.assert_clean()


def test_matrix_on_the_command_line(runner, tmp_path: Path) -> None:
    from mapper.cli import app
    from mapper.store import write_store_file
    from tests.exports.conftest import tiny_dataset

    store = tmp_path / "store.json"
    write_store_file(store, tiny_dataset())

    def igfmap(*args: str) -> Any:
        return runner.invoke(app, ["--store", str(store), *args])

    page = tmp_path / "m.html"
    made = igfmap("map", "--view", "matrix", "-o", str(page), "--ecosystem", "igf")
    assert made.exit_code == 0, made.output
    assert 'data-view="matrix"' in page.read_text(encoding="utf-8") and "wrote" in made.stderr
    table = igfmap("export", "--view", "matrix", "-f", "csv", "-o", str(tmp_path / "t"))
    assert table.exit_code == 0, table.output
    assert (tmp_path / "t" / "matrix.csv").read_text(encoding="utf-8").startswith("actor,actor name")
    pdf = igfmap("export", "--view", "matrix", "-f", "pdf", "-o", str(tmp_path / "m.pdf"))
    assert pdf.exit_code == 0 and (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    wrong = igfmap("export", "--view", "matrix", "-f", "gexf", "-o", str(tmp_path / "m.gexf"))
    assert wrong.exit_code == 2 and "csv, json, pdf, png, svg and xlsx" in wrong.stderr
    assert not (tmp_path / "m.gexf").exists()


def test_hostile_names_in_the_matrix_figure_are_text(tmp_path: Path, hostile) -> None:
    from xml.etree import ElementTree

    store = store_of(to_graph(hostile))
    export(store, "svg", tmp_path / "h.svg", view="matrix", title=PAYLOADS[5])
    svg = (tmp_path / "h.svg").read_bytes()
    root = ElementTree.fromstring(svg)
    tags = {el.tag.split("}")[-1] for el in root.iter()}
    assert not tags & {"script", "img", "image", "foreignObject", "a", "iframe"}
    assert not any(name.lower().startswith("on") for el in root.iter() for name in el.attrib)
    texts = [el.text or "" for el in root.iter()]
    assert PAYLOADS[5] in texts  # "$x^2$" is not mathtext
    assert any(PAYLOADS[0] in t for t in texts)
    export(store, "png", tmp_path / "h.png", view="matrix")
    assert (tmp_path / "h.png").read_bytes().startswith(b"\x89PNG")
