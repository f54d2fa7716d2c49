"""Mapping rounds on Neo4j (``--neo4j``), on the real server: the planted returns give the same
proposals as on the embedded store; applying the same decisions gives the same data (pulled
back, byte for byte), twice changes nothing, and the ledger (IgfmapMeta nodes) gives the same
status."""

from __future__ import annotations

from pathlib import Path

from benchmarks.rounds import plant_returns
from mapper.cli import app
from mapper.neo4j import Neo4jStore
from mapper.rounds import apply_review, intake, review_bytes, round_status
from mapper.store import (
    atomic_write_bytes,
    dumps,
    open_store,
    read_store_file,
    seed_dataset,
    write_store_file,
)

ROUND = "neo-round"


def _decide(result) -> None:
    for p in result.proposals:
        if p.kind != "invalid":
            p.decision = {"duplicate": f"merge into {p.candidate}", "conflict": "keep B"}.get(
                p.kind, "accept"
            )


def test_a_round_on_neo4j_matches_the_embedded_store(tmp_path: Path, runner, neo4j_server, neo4j) -> None:
    seed = seed_dataset()
    neo4j.write_dataset(seed)
    store_file = tmp_path / "s.json"
    write_store_file(store_file, seed)
    planted = plant_returns(seed, tmp_path / "returns", ROUND, files=8)

    # Templates through the CLI: the ledger lands in the database.
    out = runner.invoke(
        app,
        [
            "--neo4j",
            neo4j_server.uri,
            "template",
            str(tmp_path / "sent"),
            "--for",
            "kenya-igf",
            "--round",
            ROUND,
        ],
    )
    assert out.exit_code == 0, out.output
    assert (tmp_path / "sent" / f"{ROUND}--kenya-igf.xlsx").is_file()

    on_file = intake(open_store(store_file), planted.files, ROUND)
    with Neo4jStore.connect(neo4j_server.uri) as store:
        on_neo4j = intake(store, planted.files, ROUND)
    assert [p.to_json() for p in on_neo4j.proposals] == [p.to_json() for p in on_file.proposals]
    assert on_neo4j.counts()["duplicate"] > 0 and on_neo4j.counts()["conflict"] > 0

    _decide(on_file)
    review = tmp_path / "review.xlsx"
    atomic_write_bytes(review, review_bytes(on_file))
    file_result = apply_review(open_store(store_file), review)
    with Neo4jStore.connect(neo4j_server.uri) as store:
        neo_result = apply_review(store, review)
    assert neo_result.outcomes == file_result.outcomes and neo_result.changed
    with Neo4jStore.connect(neo4j_server.uri) as store:
        assert dumps(store.read_dataset()) == dumps(read_store_file(store_file))
        again = apply_review(store, review)
    assert not again.changed
    with Neo4jStore.connect(neo4j_server.uri) as store:
        neo_status = round_status(store, ROUND)
    file_status = round_status(open_store(store_file), ROUND)
    # The database was also sent a template for Kenya, which did not come back.
    assert neo_status.summary() == {**file_status.summary(), "sent": 1, "not_returned": 1}
    assert neo_status.changes == file_status.changes and neo_status.changes is not None

    # Through the CLI too: round status reads the ledger from the database.
    out = runner.invoke(app, ["--neo4j", neo4j_server.uri, "round", "status", ROUND, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"returned": 8' in out.stdout
