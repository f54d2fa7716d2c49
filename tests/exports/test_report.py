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
    inside them; the heat map as printed under its heading, and the two landscape figures as
    printed on their pages (the whole page), have no text under 7 pt."""
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
    assert all(594 < pt < 596 for pt in printed_pt.values()), printed_pt  # the whole 210 mm page
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
        heat_pt = page.evaluate(
            "document.querySelector('#coverage figure img').getBoundingClientRect().height * 0.75"
        )
        log.assert_clean()
    with open_page(chromium, tmp_path / "r" / "figures" / "objective-coverage.svg") as (page, log):
        found = page.evaluate(SVG_TEXT)
        fit = heat_pt / found["height"]  # as printed (it is fitted under its heading)
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


def _printed_pdf(chromium, html: Path, out: Path) -> Path:
    """``html`` printed by Chromium to PDF at its own page sizes (A4, landscape pages too)."""
    with open_page(chromium, html) as (page, log):
        page.pdf(path=str(out), prefer_css_page_size=True, print_background=True)
        log.assert_clean()
    return out


def _pdftotext(pdf: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_report_page_one_leads_with_the_findings(tmp_path: Path, chromium, seed_store) -> None:
    """Printed on A4 by Chromium: page 1 names every gap rule with its count and meaning, the
    uncovered activities, the least-covered objectives and the most engaged actors, and it is
    not two-thirds blank; the engagement figure follows as one landscape page."""
    import re
    import subprocess

    from exports.report import most_engaged_actors
    from queries.asof import as_of_graph
    from queries.gaps.registry import RULES

    result = write_report(seed_store, tmp_path / "r", as_of="2025-06-30")
    pdf = _printed_pdf(chromium, tmp_path / "r" / "report.html", tmp_path / "report.pdf")
    page_one = " ".join(_pdftotext(pdf, "-f", "1", "-l", "1").split())
    with (tmp_path / "r" / "tables" / "gaps.csv").open(encoding="utf-8") as handle:
        gaps = list(csv.DictReader(handle))
    assert len(gaps) == result.findings
    for rule in RULES:
        count = sum(1 for g in gaps if g["rule"] == rule.id)
        assert re.search(rf"{re.escape(rule.id)} {count} {re.escape(rule.title)}", page_one), rule.id
    uncovered = sorted({g["subjects"] for g in gaps if g["rule"] == "uncovered-activity"})
    names = {n: str(a.get("name")) for n, a in seed_store.graph.nodes(data=True)}
    assert f"{len(uncovered)} activities no ecosystem actor engages on" in page_one
    assert all(" ".join(names[u].split()) in page_one for u in uncovered)
    assert "Least-covered objectives" in page_one and "GDC para 70: the role of the CSTD" in page_one
    top = most_engaged_actors(as_of_graph(seed_store.graph, "2025-06-30"))
    assert "Most engaged actors" in page_one and all(a["name"] in page_one for a in top)
    # The text reaches the lower part of the page (page 1 was a count table, two-thirds blank).
    boxes = _pdftotext(pdf, "-bbox", "-f", "1", "-l", "1")
    lowest = max(float(y) for y in re.findall(r'yMax="([\d.]+)"', boxes))
    assert lowest > 0.75 * 841.89
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "4", str(pdf)], check=True, capture_output=True, text=True
    )
    sizes = re.findall(r"Page +(\d+) size: +([\d.]+) x ([\d.]+)", info.stdout)
    assert [(round(float(w)), round(float(h))) for _, w, h in sizes[:4]] == [
        (595, 842),
        (842, 595),
        (842, 595),
        (595, 842),
    ]


def test_isolated_actors_are_one_table_grouped_by_type(tmp_path: Path, chromium, seed_store) -> None:
    """The 95 isolated-actor findings (7 printed pages of near-identical entries) are one table,
    a row per entity type naming its actors; other rules with many findings are compact tables."""
    result = write_report(seed_store, tmp_path / "r", as_of="2025-06-30")
    with (tmp_path / "r" / "tables" / "gaps.csv").open(encoding="utf-8") as handle:
        isolated = [g for g in csv.DictReader(handle) if g["rule"] == "isolated-actor"]
    assert len(isolated) > 50 and result.findings > len(isolated)
    types = {seed_store.graph.nodes[g["subjects"]].get("type", "").replace("_", " ") for g in isolated}
    with open_page(chromium, tmp_path / "r" / "report.html") as (page, log):
        section = page.locator("#rule-isolated-actor")
        assert section.locator("table").count() == 1 and section.locator("li").count() == 0
        rows = section.locator("table.grouped tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent.trim()))"
        )
        assert {r[0] for r in rows} == types
        assert sum(int(r[1]) for r in rows) == len(isolated)
        assert all(len(r[2].split(" · ")) == int(r[1]) for r in rows)
        assert page.locator("#rule-uncovered-activity table.compact tbody tr").count() > 20
        log.assert_clean()
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    section_md = md.split("### isolated-actor")[1].split("###")[0]
    assert "| type | count | names | evidence |" in section_md and "\n- " not in section_md


def test_heat_map_names_whole_and_zero_cells_apart() -> None:
    """Row names wrap, whole (they were cut at 44 characters); a zero cell is white, a one is a
    colour clearly above white, and every cell has its count written in it."""
    from xml.etree import ElementTree

    from exports.report import heat_colours, heatmap_svg

    long_name = "GDC objective 3: an inclusive, open, safe and secure digital space that respects rights"
    rows = [
        {
            "id": "o1",
            "name": long_name,
            "groups": {"government": 0, "civil-society": 1},
            "total": 1,
            "ecosystem": 0,
        },
        {
            "id": "o2",
            "name": "Short",
            "groups": {"government": 4, "civil-society": 0},
            "total": 4,
            "ecosystem": 2,
        },
    ]
    svg = heatmap_svg(rows, ["government", "civil-society"], "Coverage", "igf")
    texts = [el.text or "" for el in ElementTree.fromstring(svg).iter() if el.tag.endswith("text")]
    assert " ".join(" ".join(texts).split()).find(long_name) >= 0, texts
    assert not any("…" in t for t in texts)
    cells = [t for t in texts if t.strip().isdigit()]
    assert sorted(cells) == sorted(["0", "1", "1", "0", "4", "0", "4", "2"])
    colours, top = heat_colours([[0, 1, 4]])
    zero, one, four = colours[0]
    assert top == 4
    assert zero[:3] == (1.0, 1.0, 1.0)
    assert sum(one[:3]) / 3 < 0.85  # a one is visibly coloured, not near-white
    assert sum(four[:3]) < sum(one[:3])  # and more is darker
