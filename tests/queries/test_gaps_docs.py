"""docs/gaps.md: one section per rule, and its example findings are real findings on the seed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mapper.store import EmbeddedStore, seed_dataset
from queries.gaps import list_rules, run_gaps

DOC = Path(__file__).parents[2] / "docs" / "gaps.md"


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_rule_has_a_section():
    headings = re.findall(r"^## (\S+)$", doc_text(), flags=re.M)
    for rule in list_rules().rules:
        assert rule.id in headings, f"docs/gaps.md has no section for {rule.id}"


def example_findings() -> list[dict]:
    found = []
    for block in re.findall(r"```json\n(.*?)```", doc_text(), flags=re.S):
        # a block holds one finding per top-level {...}
        depth, start = 0, 0
        for i, ch in enumerate(block):
            if ch == "{":
                depth, start = depth + 1, (i if depth == 0 else start)
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    found.append(json.loads(block[start : i + 1]))
    return found


@pytest.fixture(scope="module")
def seed():
    return EmbeddedStore(seed_dataset())


@pytest.mark.parametrize("example", example_findings(), ids=lambda f: f["rule"])
def test_examples_are_real_seed_findings(seed, example):
    months = 6 if example["rule"] == "stale-claim" else 24
    report = run_gaps(seed, [example["rule"]], as_of="2025-06-30", months=months)
    assert example in [f.to_json() for f in report.findings], (
        "docs/gaps.md shows a finding the seed no longer gives: refresh the example"
    )
