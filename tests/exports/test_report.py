"""The report bundle: its files and sections, determinism, and report.html in a real browser."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from exports.report import md_escape, safe_url, write_report
from mapper.dataset import to_graph
from queries.gaps.base import finding
from tests.exports.browser import open_page
from tests.exports.conftest import BAD_URLS, CJK, PAYLOADS, RTL, store_of

DOCS = Path(__file__).parents[2] / "docs"
FILES = [
    "figures/engagement-by-group.svg",
    "figures/engagement.svg",
    "figures/map.svg",
    "figures/objective-coverage.svg",
    "map.html",
    "report.html",
    "report.md",
    "tables/engagement-by-group.csv",
    "tables/gaps.csv",
    "tables/matrix.csv",
    "tables/objective-coverage.csv",
    "tables/sources.csv",
]


def test_bundle_has_every_part(tmp_path: Path, tiny_graph) -> None:
    result = write_report(store_of(tiny_graph), tmp_path / "r", as_of="2025-06-30", title="Round 1")
    assert result.files == FILES
    assert result.findings > 0
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    for heading in (
        "# Round 1",
        "## Summary",
        "## Who engages on what",
        "## The map",
        "## Objective coverage",
        "## Engagement matrix",
        "## Gap findings",
        "### pending-proposal",
        "## Sources cited",
    ):
        assert heading in md
    assert "![Network map](figures/map.svg)" in md
    with (tmp_path / "r" / "tables" / "gaps.csv").open(encoding="utf-8") as handle:
        gaps = list(csv.DictReader(handle))
    assert len(gaps) == result.findings
    assert {"rule", "subjects", "relation", "explanation", "evidence"} == set(gaps[0])
    with (tmp_path / "r" / "tables" / "matrix.csv").open(encoding="utf-8") as handle:
        matrix = list(csv.reader(handle))
    assert matrix[0][:2] == ["actor", "actor name"] and "ai-dialogue" in matrix[0]
    dc_a = next(row for row in matrix if row[0] == "dc-a")
    assert "contributor" in dc_a[matrix[0].index("ai-dialogue")]
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/svg+xml;base64,") == 4
    assert "<script" not in html


def test_same_data_same_bytes(tmp_path: Path, tiny_graph) -> None:
    write_report(store_of(tiny_graph), tmp_path / "a", as_of="2025-06-30")
    write_report(store_of(tiny_graph), tmp_path / "b", as_of="2025-06-30")
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_markdown_and_urls_are_escaped() -> None:
    assert (
        md_escape("<b>*x*</b> | [a](javascript:x)")
        == "&lt;b&gt;\\*x\\*&lt;/b&gt; \\| \\[a\\]\\(javascript:x\\)"
    )
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for url in BAD_URLS:
        assert safe_url(url) is None


def test_report_html_offline_and_script_free_in_chromium(tmp_path: Path, chromium, seed_store) -> None:
    result = write_report(seed_store, tmp_path / "r", as_of="2025-06-30")
    with open_page(chromium, tmp_path / "r" / "report.html") as (page, log):
        text = page.inner_text("body")
        for heading in (
            "Summary",
            "Who engages on what",
            "The map",
            "Objective coverage",
            "Engagement matrix",
            "Gap findings",
            "Sources cited",
        ):
            assert heading in text
        images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        assert len(images) == 4 and all(ok and width > 0 for ok, width in images)
        assert page.evaluate("document.scripts.length") == 0
        if os.environ.get("IGFMAP_UPDATE_SCREENSHOTS"):
            page.set_viewport_size({"width": 1280, "height": 1500})
            page.screenshot(path=str(DOCS / "report.png"))
        log.assert_clean()
    assert result.entities > 100


def test_hostile_report_shows_text_and_runs_nothing(tmp_path: Path, chromium, hostile) -> None:
    graph = to_graph(hostile)
    findings = [finding(PAYLOADS[0], ["h-1"], PAYLOADS[1], ["h-src-2"])]
    write_report(
        store_of(graph), tmp_path / "r", title=PAYLOADS[2] + " " + RTL, findings=findings, as_of="2025-06-30"
    )
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "<img" not in md and "<svg" not in md
    with open_page(chromium, tmp_path / "r" / "report.html") as (page, log):
        assert page.title() == PAYLOADS[2] + " " + RTL
        text = page.inner_text("body")
        for literal in (PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], CJK, RTL):
            assert literal in text, literal
        hrefs = page.evaluate(
            "Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
        )
        assert all(h.startswith(("#", "https://", "http://")) or h == "map.html" for h in hrefs), hrefs
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.querySelectorAll('svg, iframe, object, embed').length") == 0
        log.assert_clean()
    # The bundle's map.html is the script-safe map.
    with open_page(chromium, tmp_path / "r" / "map.html") as (page, log):
        from tests.exports.test_map_browser import ready

        ready(page)
        assert page.evaluate("window.__pwned") is None
        log.assert_clean()


# The engagement matrix prints on landscape pages of its own: test_matrix_view checks it there.
PRINT_CHECK = """(skip) => {
    const page = document.documentElement.clientWidth;
    const cut = [];
    for (const cell of document.querySelectorAll('td, th')) {
        if (skip && cell.closest(skip)) continue;
        const r = cell.getBoundingClientRect();
        const name = cell.textContent.trim().slice(0, 40);
        if (r.left < -0.5 || r.right > page + 0.5) cut.push(['page edge', name]);
        if (cell.scrollWidth > cell.clientWidth + 1) cut.push(['cell overflows', name]);
        for (let box = cell.parentElement; box && box !== document.body; box = box.parentElement) {
            const style = getComputedStyle(box);
            if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
            const b = box.getBoundingClientRect();
            if (r.right > b.right + 0.5 || r.bottom > b.bottom + 0.5 || r.left < b.left - 0.5) cut.push(['clipped', name]);
        }
    }
    return {cells: document.querySelectorAll('td, th').length, page, cut};
}"""


def test_report_prints_on_a4_with_no_table_cut(tmp_path: Path, chromium, seed_store) -> None:
    """Laid out by Chromium for print at the A4 page width (794 CSS px) and at its content width
    (12 mm margins): no cell past the page edge, none clipped by an overflow box or overflowing."""
    write_report(seed_store, tmp_path / "r", as_of="2025-06-30")
    for width in (794, 703):
        with open_page(chromium, tmp_path / "r" / "report.html", width=width, height=1123) as (page, log):
            page.emulate_media(media="print")
            found = page.evaluate(PRINT_CHECK, "section#matrix")
            assert found["page"] == width
            assert found["cells"] > 300
            assert found["cut"] == [], found["cut"][:10]
            # The matrix has entity names as headers, never ids.
            headers = page.evaluate(
                "Array.from(document.querySelectorAll('table.matrix thead th')).map(th => th.textContent)"
            )
            assert headers and not any(h.startswith("gdc-") for h in headers)
            log.assert_clean()
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "![Engagement view" in md and "Part 1 of" in md


# Where each line of a coverage heading ends: a break must come at a space, after a hyphen or
# at a soft hyphen, never inside a word ("governm|ent" once).
HEADING_BREAKS = """() => Array.from(document.querySelectorAll('table.coverage thead th')).flatMap(th => {
    const bad = [];
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent;
        let lastTop = null, last = -1;
        for (let i = 0; i < text.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            // The last box: a character after a soft hyphen also reports the hyphen's box.
            const rects = range.getClientRects(), box = rects[rects.length - 1];
            if (!box || !box.width) continue;
            const top = Math.round(box.top);
            if (lastTop !== null && top > lastTop && !/[\\s\\-\\u00ad]/.test(text.slice(last, i))) {
                bad.push(text.slice(0, last + 1) + '|' + text.slice(i));
            }
            lastTop = top;
            last = i;
        }
    }
    return bad;
})"""


def test_report_coverage_prints_on_a4_readably(tmp_path: Path, chromium, seed_store) -> None:
    """At the A4 content width, the coverage table's headings break between syllables, not
    inside them; the heat map fitted to the page, and the two landscape figures as printed on
    their pages, have no text under 7 pt."""
    from tests.exports.test_static import SVG_TEXT

    write_report(seed_store, tmp_path / "r", as_of="2025-06-30")
    # An A4 landscape page is 1123 x 794 CSS px; print media sizes the figures in mm.
    with open_page(chromium, tmp_path / "r" / "report.html", width=1123, height=794) as (page, log):
        page.emulate_media(media="print")
        printed_pt = page.evaluate(
            "Object.fromEntries(Array.from(document.querySelectorAll('section.wide')).map("
            "s => [s.id, s.querySelector('img').getBoundingClientRect().height * 0.75]))"
        )
        log.assert_clean()
    assert set(printed_pt) == {"engagement", "map"}
    for name, figure in (("engagement", "engagement.svg"), ("map", "map.svg")):
        with open_page(chromium, tmp_path / "r" / "figures" / figure) as (page, log):
            found = page.evaluate(SVG_TEXT)
            fit = printed_pt[name] / found["height"]
            small = [t["id"] for t in found["texts"] if t["size"] * fit < 7.0 - 1e-6]
            assert small == [], (name, round(fit, 3), small)
            log.assert_clean()
    with open_page(chromium, tmp_path / "r" / "report.html", width=703, height=1123) as (page, log):
        page.emulate_media(media="print")
        headings = page.evaluate(
            "Array.from(document.querySelectorAll('table.coverage thead th')).map(th => th.textContent)"
        )
        assert "intergovernmental" in [h.replace("\u00ad", "") for h in headings]
        assert page.evaluate(HEADING_BREAKS) == []
        log.assert_clean()
    a4_text_pt = (595.28 - 2 * 12 * 72 / 25.4, 841.89 - 2 * 12 * 72 / 25.4)  # 12 mm margins
    with open_page(chromium, tmp_path / "r" / "figures" / "objective-coverage.svg") as (page, log):
        found = page.evaluate(SVG_TEXT)
        fit = min(1.0, a4_text_pt[0] / found["width"], a4_text_pt[1] / found["height"])
        assert len(found["texts"]) > 100
        small = [t["id"] for t in found["texts"] if t["size"] * fit < 7.0 - 1e-6]
        assert small == [], small
        log.assert_clean()


def _coverage_csv(folder: Path) -> list[list[str]]:
    with (folder / "tables" / "objective-coverage.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_coverage_counts_the_ecosystem_asked_for(tmp_path: Path, seed_store) -> None:
    """`report --ecosystem ROOT` counts ROOT's ecosystem in the coverage table (it once always
    counted the IGF's), in the CSV, the Markdown and the heat map alike."""
    from queries.matrix import matrix
    from queries.roots import candidate_roots

    root = next(r for r, _size in candidate_roots(seed_store.graph) if r != "igf")
    default = _coverage_csv(Path(write_report(seed_store, tmp_path / "igf", as_of="2025-06-30").out))
    assert default[0][-1] == "igf ecosystem"
    out = Path(write_report(seed_store, tmp_path / "other", as_of="2025-06-30", ecosystem=root).out)
    rows = _coverage_csv(out)
    assert rows[0][-1] == f"{root} ecosystem"
    actors: dict[str, set[str]] = {}
    for cell in matrix(
        seed_store, rows="actor", cols="objective", cells="count", as_of="2025-06-30", ecosystem=root
    ).cells:
        actors.setdefault(cell["column"], set()).add(cell["row"])
    assert {r[0]: int(r[-1]) for r in rows[1:]} == {r[0]: len(actors.get(r[0], ())) for r in rows[1:]}
    assert [r[-1] for r in rows] != [r[-1] for r in default]  # a different ecosystem, other counts
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"| all actors | {root} ecosystem |" in md and "| IGF ecosystem |" not in md
    assert f"{root} ecosystem".encode() in (out / "figures" / "objective-coverage.svg").read_bytes()


def test_coverage_has_no_ecosystem_column_without_a_root(tmp_path: Path, hostile) -> None:
    from mapper.store import EmbeddedStore

    out = Path(write_report(EmbeddedStore(hostile), tmp_path / "r", as_of="2025-06-30").out)
    assert _coverage_csv(out)[0][-1] == "all actors"
    assert (
        "ecosystem |" not in (out / "report.md").read_text(encoding="utf-8").split("## Objective coverage")[1]
    )
