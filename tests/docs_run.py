"""Run docs/python.md (as doctests) and docs/notebook.ipynb (in a real Jupyter kernel) against
whatever store the environment selects; the tests call these once per backend."""

from __future__ import annotations

import doctest
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[1] / "docs"


def run_python_md() -> None:
    """Every example of docs/python.md, in order, in one namespace; fails on any difference."""
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    failed, tried = doctest.testfile(str(DOCS / "python.md"), module_relative=False, optionflags=flags)
    assert tried >= 20, f"only {tried} examples found in docs/python.md"
    assert failed == 0, f"{failed} of {tried} examples of docs/python.md failed (see the output above)"


def run_notebook(cwd: Path) -> list[dict[str, Any]]:
    """docs/notebook.ipynb executed top to bottom in a python3 kernel started in ``cwd`` (it
    raises on the first cell that fails); the outputs of each code cell, by MIME type."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(DOCS / "notebook.ipynb", as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()
    shown = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            data: dict[str, Any] = {}
            for output in cell.outputs:
                data.update(output.get("data", {}))
            shown.append(data)
    return shown


def check_notebook(shown: list[dict[str, Any]]) -> None:
    """The notebook's outputs: the store, DataFrames of who/gaps/matrix, and the map inline."""
    opened, who, by_rule, pending, matrix, page = shown
    assert opened["text/plain"].startswith("<Mapping ")
    assert "<table" in who["text/html"] and "odet" in who["text/html"] and "lead" in who["text/html"]
    assert "isolated-actor" in by_rule["text/plain"] and "uncovered-activity" in by_rule["text/plain"]
    assert "igf-vision-document" in pending["text/html"] and "explanation" in pending["text/html"]
    assert "un_entity" in matrix["text/html"]
    assert page["text/html"].startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert "igfmap" in page["text/html"] and len(page["text/html"]) > 100_000
