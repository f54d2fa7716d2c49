"""Every XML output is well-formed whatever text the data holds (issue 26, item 2).

Validation refuses the code points XML cannot hold (tests/mapper/test_hostile_input.py); what
it lets through, however odd, must give GraphML, GEXF, XLSX and SVG files that a strict XML
parser (expat, as Chromium, networkx and igraph use) reads, and the text must come back.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from exports.export import export
from exports.formats import read_graph
from mapper.dataset import Dataset
from mapper.store import EmbeddedStore
from mapper.validation import read_dataset
from mapper.writers import write_dataset
from tests.exports.conftest import hostile_dataset

# Allowed by XML 1.0 and by validation, each at an edge: markup, CDATA end, entities, tab, CR,
# CRLF, the last BMP code points before the surrogates and after them, U+FFFD, a noncharacter
# XML allows (U+FDD0), astral text, the last code point, a list separator and a backslash.
XML_EDGE = (
    "a <b>&amp;</b> ]]> \"q\" 'a' \ttab\r\nCRLF\rCR\nLF \ud7ff\ue000 \ufffd \ufdd0 😀 \U0010fffd a|b C:\\d"
)


def edge_dataset() -> Dataset:
    dataset = hostile_dataset()
    target = dataset.entities["h-cjk"]
    target["name"] = XML_EDGE
    target["description"] = XML_EDGE
    target["aliases"] = [XML_EDGE, "a|b", "\\"]
    return dataset


def parse_all_xml(path: Path) -> list[str]:
    """Parse ``path`` (or every XML part of a workbook) strictly; the root tags, in order."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            names = [n for n in book.namelist() if n.endswith((".xml", ".rels"))]
            # ET raises ParseError on a document that is not well-formed.
            return [ET.parse(io.BytesIO(book.read(name))).getroot().tag for name in names]
    return [ET.parse(path).getroot().tag]


def test_validation_accepts_the_edge_text(tmp_path: Path) -> None:
    write_dataset(edge_dataset(), tmp_path / "edge.json", "json")
    back = read_dataset([tmp_path / "edge.json"])
    assert back.entities["h-cjk"]["description"] == XML_EDGE.strip()


@pytest.mark.parametrize(
    "fmt, view",
    [
        ("graphml", "network"),
        ("gexf", "network"),
        ("xlsx", "network"),
        ("svg", "network"),
        ("svg", "engagement"),
    ],
)
def test_every_xml_output_parses_back(tmp_path: Path, fmt: str, view: str) -> None:
    store = EmbeddedStore(edge_dataset())
    out = tmp_path / f"edge-{view}.{fmt}"
    export(store, fmt, out, view=view)
    roots = parse_all_xml(out)
    if fmt == "svg":
        assert roots == ["{http://www.w3.org/2000/svg}svg"]
        return
    expected = {
        "graphml": "{http://graphml.graphdrawing.org/xmlns}graphml",
        "gexf": "{http://www.gexf.net/1.2draft}gexf",
    }
    assert roots[0] == expected[fmt] if fmt in expected else len(roots) >= 6, roots
    graph = read_graph(out, fmt)
    name = graph.nodes["h-cjk"]["name"]
    aliases = graph.nodes["h-cjk"]["aliases"]
    if fmt == "graphml":
        # XML parsers turn CR and CRLF into LF in element text (GraphML's <data>); GEXF keeps
        # text in attributes, which escape them, and XLSX cells carry CR as _x000D_.
        assert name == XML_EDGE.strip().replace("\r\n", "\n").replace("\r", "\n")
    else:
        assert name == XML_EDGE.strip()
    assert aliases[1:] == ["a|b", "\\"]


def test_graphml_and_gexf_are_read_by_networkx_and_igraph(tmp_path: Path) -> None:
    import igraph
    import networkx as nx

    store = EmbeddedStore(edge_dataset())
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"edge.{fmt}"
        export(store, fmt, out)
        graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
        assert graph.number_of_nodes() == len(store.dataset.entities)
    assert igraph.Graph.Read_GraphML(str(tmp_path / "edge.graphml")).vcount() == len(store.dataset.entities)


def test_report_figures_parse_back(tmp_path: Path) -> None:
    from exports.report import write_report

    write_report(EmbeddedStore(edge_dataset()), tmp_path / "r", as_of="2025-06-30")
    figures = sorted((tmp_path / "r" / "figures").glob("*.svg"))
    assert [f.name for f in figures] == [
        "engagement-by-group.svg",
        "engagement.svg",
        "map.svg",
        "objective-coverage.svg",
    ]
    for figure in figures:
        assert parse_all_xml(figure) == ["{http://www.w3.org/2000/svg}svg"], figure.name
