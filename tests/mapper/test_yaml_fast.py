"""YAML read through libyaml's parser must compose exactly what PyYAML's own parser composes.

``readers._compose_yaml`` lets libyaml's C parser supply the events for clean text (seven
times faster on the seed) and keeps PyYAML's pure-Python loader for anything it must report.
These tests hold the two to the same nodes, tags, values and line/column marks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.readers import ReadLimits, _bounded_loader, _compose_yaml

SEED = Path(__file__).parents[2] / "seed_data"
LIMITS = ReadLimits()

# PyYAML's wheels carry libyaml; in CI its absence fails these tests instead of skipping them.
pytestmark = pytest.mark.skipif(
    not yaml.__with_libyaml__ and os.environ.get("CI") != "true", reason="PyYAML built without libyaml"
)


def tree(node: Any) -> Any:
    """A node as plain data: tag, position and value, children included."""
    where = (node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if node.id == "scalar":
        return (*where, node.value, node.style or None)  # libyaml says "" for plain, PyYAML None
    if node.id == "sequence":
        return (*where, [tree(child) for child in node.value])
    return (*where, [(tree(key), tree(value)) for key, value in node.value])


def compose(text: str, fast: bool) -> tuple[Any, Any]:
    loader = _bounded_loader(fast)(text, LIMITS)
    try:
        node = loader.get_single_node()
        return tree(node) if node is not None else None, loader.construct_document(node) if node else None
    finally:
        loader.dispose()


SNIPPETS = [
    "entities:\n  - id: igf\n    name: Internet Governance Forum\n",
    "a: 0123\nb: no\nc: 2024-02-30\nd: ~\ne:\nf: ''\n",
    "base: &b {x: 1, y: [1, 2]}\nother:\n  <<: *b\n  z: 3\n",
    "text: |\n  first line\n  second line\nfolded: >\n  one\n  two\n",
    "k: 'single ''quoted'''\nj: \"double \\u00e9 \\t\"\n",
    "windows: yes\r\nline: two\r\n",
    "é: ünïcode — 文字 𝄞\nnext: value\n",
    "nel: a\x85b: c\n",
    "flow: {a: [1, {b: c}], d: e}\n",
    '{"json": [1, 2, {"x": null}], "y": "z"}',
    "# only a comment\n",
    "- just\n- a\n- list\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_libyaml_events_compose_like_pyyaml(text: str) -> None:
    assert compose(text, fast=True) == compose(text, fast=False)


@pytest.mark.parametrize("path", sorted(SEED.glob("*.yaml")), ids=lambda p: p.name)
def test_seed_files_compose_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert compose(text, fast=True) == compose(text, fast=False)


scalars = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
documents = st.recursive(
    scalars | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(scalars, inner, max_size=4),
)


@settings(max_examples=150, deadline=None)
@given(documents, st.booleans(), st.sampled_from([None, '"', "'", "|"]))
def test_generated_documents_compose_alike(doc: Any, flow: bool, style: str | None) -> None:
    text = yaml.safe_dump(doc, default_flow_style=flow, default_style=style, allow_unicode=True)
    assert compose(text, fast=True) == compose(text, fast=False)


def test_clean_text_takes_libyaml_and_problems_take_pyyaml() -> None:
    from yaml.cyaml import CParser

    loader, _ = _compose_yaml("a: 1\nb: 2\n", LIMITS)
    assert isinstance(loader, CParser)
    # A duplicate key, a syntax error and a character PyYAML refuses are all PyYAML's to report.
    loader, _ = _compose_yaml("a: 1\na: 2\n", LIMITS)
    assert not isinstance(loader, CParser) and loader.duplicates
    with pytest.raises(yaml.YAMLError) as err:
        _compose_yaml("a: [1, 2\n", LIMITS)
    assert "while parsing a flow sequence" in str(err.value)
    with pytest.raises(yaml.YAMLError) as err:
        _compose_yaml("a: b\x07c\n", LIMITS)
    assert "special characters are not allowed" in str(err.value)
