"""docs/python.md and docs/notebook.ipynb run on the embedded store: no store file, so the
bundled seed (the Neo4j run is in tests/neo4j/test_docs_neo4j.py)."""

from __future__ import annotations

from pathlib import Path

from tests.docs_run import check_notebook, run_notebook, run_python_md


def test_python_md_runs_on_the_seed() -> None:
    run_python_md()


def test_the_notebook_runs_on_the_seed(tmp_path: Path) -> None:
    check_notebook(run_notebook(tmp_path))
