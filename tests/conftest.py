"""Shared fixtures: paths to test data, a CLI runner, and (from neo4j_fixtures) real Neo4j servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.neo4j_fixtures import neo4j_auth_server, neo4j_server  # noqa: F401

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A real headless Chromium, one for the whole session: every browser test shares it, since a
    second Playwright inside the first fails ("Sync API inside the asyncio loop"). A missing
    Chromium or Playwright fails the browser tests loudly (never a skip); `make test` installs both."""
    from tests.exports.browser import browser, chromium_missing_reason

    reason = chromium_missing_reason()
    if reason:
        pytest.fail(f"browser tests cannot run: {reason}", pytrace=False)
    with browser() as b:
        yield b


@pytest.fixture
def small_dir() -> Path:
    return DATA / "small"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A test never picks up a developer's store or server by accident.
    # Nor a terminal's width: tables are laid out for COLUMNS only where a test sets it.
    for name in ("IGFMAP_STORE", "IGFMAP_NEO4J_URI", "IGFMAP_NEO4J_DATABASE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
