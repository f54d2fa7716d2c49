"""docs/json.md documents the JSON keys of each query command: check them against real output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.queries.test_cli_queries import JSON_KEYS

DOC = Path(__file__).parents[2] / "docs" / "json.md"


def documented() -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    section = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("Keys:") and section:
            keys[section] = re.findall(r"`([^`]+)`", line)
    return keys


@pytest.mark.parametrize("args", list(JSON_KEYS), ids=lambda a: a[0])
def test_documented_keys_match(args):
    docs = documented()
    name = args[0]
    section = next(s for s in docs if name in s.replace(" and ", " ").split())
    assert docs[section] == JSON_KEYS[args], f"docs/json.md section {section!r} is stale"


def test_diff_is_documented():
    assert documented()["diff"] == [
        "old",
        "new",
        "as_of",
        "summary",
        "entities",
        "relations",
        "sources",
        "gaps",
    ]
