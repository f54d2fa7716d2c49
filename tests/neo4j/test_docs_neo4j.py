"""docs/python.md and docs/notebook.ipynb run on a real Neo4j server holding the seed, selected
as a user would: IGFMAP_NEO4J_URI."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.store import seed_dataset
from tests.docs_run import check_notebook, run_notebook, run_python_md


@pytest.fixture
def seeded_server(neo4j, neo4j_server, monkeypatch: pytest.MonkeyPatch) -> str:
    neo4j.write_dataset(seed_dataset())
    monkeypatch.setenv("IGFMAP_NEO4J_URI", neo4j_server.uri)
    return neo4j_server.uri


def test_python_md_runs_on_neo4j(seeded_server: str) -> None:
    run_python_md()


def test_the_notebook_runs_on_neo4j(seeded_server: str, tmp_path: Path) -> None:
    shown = run_notebook(tmp_path)
    assert seeded_server in shown[0]["text/plain"]
    check_notebook(shown)
