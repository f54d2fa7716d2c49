"""The synthetic dataset generator: valid, deterministic, shaped so every gap rule has work.

No timing assertions here: figures belong in BENCHMARKS.md (``python -m benchmarks.run``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.generate import MIN_ENTITIES, generate, main
from mapper.schema import DEFAULT_SCHEMA, SOURCE_KINDS, STATUSES
from mapper.store import EmbeddedStore
from mapper.validation import read_dataset
from mapper.writers import write_dataset

N = 300


@pytest.fixture(scope="module")
def dataset():
    return generate(N, seed=0)


def test_output_validates_and_round_trips(dataset, tmp_path: Path) -> None:
    path = tmp_path / "synthetic.json"
    write_dataset(dataset, path, "json")
    # read_dataset raises DataError listing every problem if anything is invalid.
    assert read_dataset([path]).to_document() == dataset.to_document()


def test_yaml_output_validates(tmp_path: Path) -> None:
    small = generate(MIN_ENTITIES, seed=4)
    path = tmp_path / "synthetic.yaml"
    write_dataset(small, path, "yaml")
    assert read_dataset([path]).to_document() == small.to_document()


def test_deterministic_for_a_seed(dataset) -> None:
    assert generate(N, seed=0).to_document() == dataset.to_document()
    assert generate(N, seed=1).to_document() != dataset.to_document()


def test_shape(dataset) -> None:
    assert len(dataset.entities) == N
    assert "igf" in dataset.entities
    assert 1.5 * N <= len(dataset.relations) <= 2.5 * N
    assert set(Counter(e["type"] for e in dataset.entities.values())) == set(DEFAULT_SCHEMA.entity_types)
    assert set(Counter(r["type"] for r in dataset.relations.values())) == set(DEFAULT_SCHEMA.relation_types)
    assert {r["status"] for r in dataset.relations.values()} == set(STATUSES)
    assert {s["kind"] for s in dataset.sources.values()} == set(SOURCE_KINDS)
    # Ecosystem actors hang off the root; some are nested deeper (youth NRIs, members).
    parts = [r for r in dataset.relations.values() if r["type"] == "PART_OF" and r["target"] == "igf"]
    assert len(parts) > 0.1 * N


def test_too_small_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(MIN_ENTITIES - 1)


def test_every_gap_rule_has_findings(dataset) -> None:
    from queries.gaps import run_gaps

    counts = run_gaps(EmbeddedStore(dataset)).counts
    assert len(counts) >= 8
    assert [rule for rule, found in counts.items() if not found] == []


def test_cli_writes_a_valid_file(tmp_path: Path) -> None:
    out = tmp_path / "cli.json"
    assert main(["--entities", "40", "--seed", "2", "--out", str(out)]) == 0
    assert read_dataset([out]).to_document() == generate(40, seed=2).to_document()
