"""The HTML map file itself: self-contained, script-safe, deterministic, fast to build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from exports.html_map import csp_hash, network_data, render_map, script_json, write_map
from mapper.dataset import Dataset, to_graph
from mapper.store import EmbeddedStore
from queries.gaps.base import finding
from tests.exports.conftest import PAYLOADS, store_of


def _data(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="igfmap-data">(.*?)</script>', html, re.S)
    assert block
    return json.loads(block.group(1))


def _inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, re.S)


def test_page_is_self_contained_utf8_with_a_strict_csp(tmp_path: Path, tiny_graph) -> None:
    result = write_map(store_of(tiny_graph), tmp_path / "m.html")
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert result.nodes == 10 and result.edges == 14
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    # Nothing is loaded from anywhere: no src= or href= pointing outside, no <link>, no @import.
    assert not re.search(r"<(script|img|iframe|link)[^>]*\s(src|href)=", html, re.I)
    assert "@import" not in html
    csp = (
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        .group(1)
        .replace("&#39;", "'")
    )
    assert csp.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    # Exactly the two inline scripts run, each allowed by its hash.
    scripts = _inline_scripts(html)
    assert len(scripts) == 2
    for script in scripts:
        assert csp_hash(script) in csp
    assert "vis-network" in scripts[0][:300]


def test_data_block_cannot_be_closed_by_the_data(tiny) -> None:
    hostile_name = "</script><script>alert(1)</script><!-- \u2028 & >"
    tiny.entities["igf"]["name"] = hostile_name
    html = render_map(to_graph(tiny))
    data_block = re.search(r'id="igfmap-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data_block and ">" not in data_block and "&" not in data_block
    assert "\u2028" not in data_block
    assert _data(html)["entities"]["igf"]["name"] == hostile_name
    assert script_json({"a": "<>&\u2028\u2029"}) == '{"a":"\\u003c\\u003e\\u0026\\u2028\\u2029"}'


def test_hostile_text_never_reaches_markup(hostile) -> None:
    html = render_map(to_graph(hostile), title=PAYLOADS[0])
    for payload in PAYLOADS:
        if "<" in payload:  # markup never appears raw; other payloads sit inside JSON strings
            assert payload not in html, payload
    assert "<title>&lt;script&gt;" in html
    assert _tags(html).count("script") == 3  # the data block and the two scripts, nothing else
    assert "svg" in _tags(html)  # the legend swatches...
    assert "img" not in _tags(html)  # ...but nothing the data could have made


def _tags(html: str) -> list[str]:
    from html.parser import HTMLParser

    tags: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            tags.append(tag)

    Collect().feed(html)
    return tags


@pytest.mark.parametrize("name", ["card.js", "map.js", "matrix.js"])
def test_page_scripts_never_use_html_sinks(name: str) -> None:
    js = (Path(__file__).parents[2] / "exports" / "templates" / name).read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js


def test_same_input_and_seed_give_the_same_bytes(tmp_path: Path, tiny_graph) -> None:
    write_map(store_of(tiny_graph), tmp_path / "a.html", seed=7, highlight_gaps=True)
    write_map(
        EmbeddedStore(
            Dataset.from_records(
                tiny_graph.graph["sources"].values(),
                [{k: v for k, v in a.items() if k != "category"} for _, a in tiny_graph.nodes(data=True)],
                [a for _, _, a in tiny_graph.edges(data=True)],
            )
        ),
        tmp_path / "b.html",
        seed=7,
        highlight_gaps=True,
    )
    write_map(store_of(tiny_graph), tmp_path / "c.html", seed=8, highlight_gaps=True)
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert (tmp_path / "a.html").read_bytes() != (tmp_path / "c.html").read_bytes()


def test_nodes_and_edges_carry_style_and_records(tiny_graph) -> None:
    data = network_data(tiny_graph, seed=1)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["igf"]["shape"] == "dot" and nodes["gdc-obj-3"]["shape"] == "star"
    assert nodes["ai-dialogue"]["shape"] == "diamond" and nodes["gdc-impl"]["shape"] == "square"
    edges = {e["id"]: e for e in data["edges"]}
    assert edges["dc-a|ENGAGES_IN|ai-dialogue|observer"]["dashes"] == [10, 5]  # planned
    assert edges["dc-a|ENGAGES_IN|ai-dialogue|contributor"]["dashes"] is False  # active: solid
    # The second of two parallel edges is curved so both stay visible.
    assert "smooth" in edges["dc-a|ENGAGES_IN|ai-dialogue|observer"]
    assert edges["dccg|COORDINATES_WITH|nri-x|"]["arrows"] == "to;from"
    assert data["entities"]["dccg"]["aliases"] == ["DCCG"]
    assert data["relations"]["dccg|CONTRIBUTES_TO|wsis20-letter|"]["note"] == "Asked to see the letter first."
    # Physics is off: the precomputed, overlap-free layout is what the reader sees.
    assert data["physics"] is False and data["options"]["layout"]["randomSeed"] == 1


def test_gap_findings_outline_nodes(tiny_graph) -> None:
    findings = [finding("isolated-actor", ["itu"], "no engagement", ["s-map"])]
    data = network_data(tiny_graph, findings=findings)
    itu = next(n for n in data["nodes"] if n["id"] == "itu")
    assert itu["borderWidth"] == 3 and itu["color"]["border"] == "#d00000"
    assert data["entities"]["itu"]["findings"] == [0]
    assert data["findings"][0]["rule"] == "isolated-actor"


def big_graph(n: int) -> nx.MultiDiGraph:
    entities = [
        {"id": f"e{i}", "type": ("nri", "activity", "event")[i % 3], "name": f"Entity {i}", "sources": ["s"]}
        for i in range(n)
    ]
    relations = [
        {"source": f"e{i}", "type": "COORDINATES_WITH", "target": f"e{(i * 7 + 1) % n}", "sources": ["s"]}
        for i in range(n)
        if i % 3 == 0 and (i * 7 + 1) % n % 3 == 0
    ]
    relations += [
        {"source": f"e{i}", "type": "PART_OF", "target": f"e{(i // 3) * 3 + (i % 3 == 2)}", "sources": ["s"]}
        for i in range(n)
        if i % 3 == 1
    ]
    return to_graph(Dataset.from_records([{"id": "s", "kind": "news", "title": "S"}], entities, relations))


def test_big_graphs_start_with_physics_off_and_build_fast() -> None:
    # How fast it builds is measured in benchmarks/ (the 2,000-node map), not timed here.
    graph = big_graph(3000)
    data = network_data(graph)
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert len(data["nodes"]) == 3000


def test_pyvis_is_imported_without_ipython_and_yaml_which_import_as_usual_after() -> None:
    """The stand-ins of ``_pyvis_network`` last only for pyvis's import: PyYAML and jsonpickle
    work after it as they do without it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from exports.html_map import _pyvis_network\n"
        "_pyvis_network()\n"
        "print(sorted({'yaml', 'IPython', 'IPython.display'} & set(sys.modules)))\n"
        "import jsonpickle, yaml\n"
        "print(yaml.safe_load('a: [1, 2]'), jsonpickle.decode(jsonpickle.encode({'b': 3})))\n"
    )
    root = Path(__file__).parents[2]
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert proc.stdout.splitlines() == ["[]", "{'a': [1, 2]} {'b': 3}"]
