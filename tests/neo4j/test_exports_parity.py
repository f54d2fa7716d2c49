"""Output commands print and write the same bytes from Neo4j as from the embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.cli import app
from mapper.neo4j import Neo4jStore
from mapper.store import seed_dataset, write_store_file


@pytest.fixture(scope="module")
def seed_in_both(neo4j_server, tmp_path_factory) -> tuple[str, Path]:
    dataset = seed_dataset()
    with Neo4jStore.connect(neo4j_server.uri) as neo4j:
        neo4j.write_dataset(dataset, wipe=True)
    path = tmp_path_factory.mktemp("exports-parity") / "store.json"
    write_store_file(path, dataset)
    return neo4j_server.uri, path


def run_both(runner, seed_in_both, tmp_path: Path, *args: str) -> tuple[Path, Path]:
    uri, store = seed_in_both
    outputs = []
    for backend, where in ((["--store", str(store)], "embedded"), (["--neo4j", uri], "neo4j")):
        out = tmp_path / where
        result = runner.invoke(app, ["-q", *backend, *[a.replace("OUT", str(out)) for a in args]])
        assert result.exit_code == 0, result.output
        outputs.append(out)
    return outputs[0], outputs[1]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "cypher", "kumu", "svg"])
def test_exports_are_identical(fmt: str, runner, seed_in_both, tmp_path: Path) -> None:
    embedded, neo4j = run_both(runner, seed_in_both, tmp_path, "export", "--format", fmt, "--out", "OUT")
    assert embedded.read_bytes() == neo4j.read_bytes()


def test_map_with_gaps_is_identical(runner, seed_in_both, tmp_path: Path) -> None:
    embedded, neo4j = run_both(
        runner, seed_in_both, tmp_path, "map", "--out", "OUT", "--highlight-gaps", "--as-of", "2025-06-30"
    )
    assert embedded.read_bytes() == neo4j.read_bytes()


def test_report_is_identical(runner, seed_in_both, tmp_path: Path) -> None:
    embedded, neo4j = run_both(
        runner, seed_in_both, tmp_path, "report", "--out", "OUT", "--as-of", "2025-06-30"
    )
    files = sorted(p.relative_to(embedded) for p in embedded.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(neo4j) for p in neo4j.rglob("*") if p.is_file())
    for name in files:
        assert (embedded / name).read_bytes() == (neo4j / name).read_bytes(), name
