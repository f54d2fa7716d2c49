"""Helpers for the parity tests: run one query on both stores and compare what the user sees."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mapper.errors import IgfmapError
from mapper.output import FORMATS, render


def outcome(query: Callable[[Any], Any], store: Any) -> tuple:
    """What ``query(store)`` shows: every output format of the result, or the error it raises."""
    try:
        result = query(store)
    except IgfmapError as err:
        return ("error", type(err).__name__, err.exit_code, str(err))
    if isinstance(result, (set, frozenset)):
        return ("value", json.dumps(sorted(result)))
    if isinstance(result, str):
        return ("value", result)
    return ("result", *(render(result, fmt) for fmt in FORMATS))


def assert_same(query: Callable[[Any], Any], embedded: Any, neo4j: Any) -> tuple:
    """``query`` gives the same output (or the same error) on both stores; returns it."""
    expected = outcome(query, embedded)
    got = outcome(query, neo4j)
    if got != expected:  # the JSON diff first: it is the easiest to read
        assert got[:2] == expected[:2]
        assert got == expected
    return expected
