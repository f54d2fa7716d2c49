"""The Neo4j store against a real server: push/pull, idempotence, errors, read-only Cypher."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.generate import generate
from mapper.cli import app
from mapper.dataset import Dataset
from mapper.graph_names import META_LABEL
from mapper.neo4j import Neo4jStore, writes
from mapper.store import dumps, load_files, seed_dataset, write_store_file
from mapper.validation import read_dataset


def igfmap(runner, uri: str, *args: str, env: dict | None = None):
    return runner.invoke(app, ["--neo4j", uri, *args], env=env)


def test_push_then_pull_is_byte_identical(tmp_path: Path, runner, neo4j_server, neo4j) -> None:
    original = tmp_path / "original.json"
    write_store_file(original, seed_dataset())
    result = igfmap(runner, neo4j_server.uri, "--store", str(original), "push", "--wipe", "-f", "json")
    assert result.exit_code == 0, result.output
    pulled = tmp_path / "pulled.json"
    result = igfmap(runner, neo4j_server.uri, "--store", str(pulled), "pull")
    assert result.exit_code == 0, result.output
    assert pulled.read_bytes() == original.read_bytes()


def test_push_twice_gives_the_same_counts(tmp_path: Path, runner, neo4j_server, neo4j) -> None:
    store = tmp_path / "s.json"
    write_store_file(store, seed_dataset())
    first = igfmap(runner, neo4j_server.uri, "--store", str(store), "push", "-f", "json")
    second = igfmap(runner, neo4j_server.uri, "--store", str(store), "push", "-f", "json")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
    counts = seed_dataset().counts()
    assert neo4j.counts() == counts


def test_nodes_carry_category_and_type_labels(small_dir: Path, neo4j) -> None:
    neo4j.write_dataset(read_dataset([small_dir]))
    rows = neo4j.run("MATCH (n:Entity:Actor:DynamicCoalition) RETURN n.id AS id, n.aliases AS aliases")
    assert rows == [{"id": "dc-iot", "aliases": ["DC-IoT"]}]
    dated = neo4j.run("MATCH ()-[r:CONTRIBUTES_TO]->() RETURN r.since AS since, valueType(r.since) AS t")
    assert dated == [{"since": "2024-01-01", "t": "DATE NOT NULL"}]


def test_changed_type_leaves_no_stale_label(small_dir: Path, neo4j) -> None:
    dataset = read_dataset([small_dir])
    neo4j.write_dataset(dataset)
    dataset.entities["dc-iot"] = {**dataset.entities["dc-iot"], "type": "policy_network"}
    neo4j.write_dataset(dataset)
    labels = neo4j.run("MATCH (n:Entity {id: 'dc-iot'}) RETURN labels(n) AS labels")[0]["labels"]
    assert sorted(labels) == ["Actor", "Entity", "PolicyNetwork"]


def _whole_graph(store: Neo4jStore) -> tuple[list[str], list[str]]:
    """Every node (labels, properties) and relationship (ends, type, properties) but the
    markers, as sorted JSON lines."""
    nodes = store.run(
        f"MATCH (n) WHERE NOT n:{META_LABEL} RETURN labels(n) AS labels, properties(n) AS props"
    )
    relationships = store.run(
        f"MATCH (a)-[r]->(b) WHERE NOT a:{META_LABEL} "
        "RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props"
    )
    for node in nodes:
        node["labels"] = sorted(node["labels"])

    def lines(rows: list[dict]) -> list[str]:
        return sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)

    return lines(nodes), lines(relationships)


@pytest.mark.parametrize("make", [seed_dataset, lambda: generate(300, seed=3)], ids=["seed", "generated"])
def test_push_into_an_empty_database_writes_what_an_upsert_writes(
    neo4j: Neo4jStore, make: Callable[[], Dataset]
) -> None:
    # Into an empty database the batches CREATE; into one holding data they MERGE. Both
    # must leave the same graph: labels, properties, provenance positions, relationships.
    dataset = make()
    assert not neo4j.holds_data()
    neo4j.write_dataset(dataset)
    created = _whole_graph(neo4j)
    assert neo4j.counts() == dataset.counts()

    neo4j.wipe()
    first = next(iter(dataset.entities.values()))
    bare = {k: v for k, v in first.items() if k != "sources"}
    neo4j.write_dataset(Dataset.from_records(entities=[bare], schema=dataset.schema))
    assert neo4j.holds_data()
    neo4j.write_dataset(dataset)
    assert _whole_graph(neo4j) == created


def test_create_batches_written_again_add_nothing(neo4j: Neo4jStore, monkeypatch) -> None:
    # What a retry does after a commit whose acknowledgement was lost: each CREATE batch finds
    # its own first row and writes nothing. Small batches, so most are not a type's first.
    monkeypatch.setattr(writes, "BATCH_SIZE", 7)
    dataset = generate(300, seed=3)
    neo4j.write_dataset(dataset)
    once = _whole_graph(neo4j)
    batches: list[int] = []
    neo4j._write_all(dataset, wipe=False, progress=batches.append, into_empty=True)
    assert len(batches) > 3 * len(dataset.schema.entity_types)
    assert _whole_graph(neo4j) == once
    assert neo4j.counts() == dataset.counts()


def test_load_straight_into_neo4j_validates_first(
    tmp_path: Path, runner, small_dir: Path, neo4j_server, neo4j
) -> None:
    assert igfmap(runner, neo4j_server.uri, "load", str(small_dir)).exit_code == 0
    before = neo4j.counts()
    bad = tmp_path / "bad.yaml"
    bad.write_text("relations: [{source: igf, type: ENGAGES_IN, target: nowhere, sources: [meeting]}]\n")
    result = igfmap(runner, neo4j_server.uri, "load", str(bad))
    assert result.exit_code == 1
    assert "bad.yaml:1: target: no entity with id 'nowhere'" in result.stderr
    assert neo4j.counts() == before == {"sources": 2, "entities": 5, "relations": 4}


def test_server_not_running_exits_3(runner) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uri = f"bolt://127.0.0.1:{port}"
    result = igfmap(runner, uri, "stats")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: cannot reach Neo4j at {uri}: ")


def test_wrong_password_exits_3_and_never_shows_it(runner, neo4j_auth_server) -> None:
    secret = "Wr0ng-Secret-Do-Not-Print"
    env = {"NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": secret}
    result = igfmap(runner, neo4j_auth_server.uri, "--debug", "stats", env=env)
    assert result.exit_code == 3
    assert "authentication failed for user 'neo4j'" in result.stderr
    assert secret not in result.output


def test_right_password_works(runner, neo4j_auth_server) -> None:
    env = {"NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": neo4j_auth_server.password}
    result = igfmap(runner, neo4j_auth_server.uri, "cypher", "RETURN 1 AS one", "-f", "json", env=env)
    assert result.exit_code == 0, result.output
    assert neo4j_auth_server.password not in result.output


def test_unknown_database_exits_3_with_its_name(runner, neo4j_server) -> None:
    result = igfmap(runner, neo4j_server.uri, "--neo4j-database", "nosuchdb", "stats")
    assert result.exit_code == 3
    assert "nosuchdb" in result.stderr


def test_cypher_syntax_error_exits_1_with_neo4j_message(runner, neo4j_server) -> None:
    result = igfmap(runner, neo4j_server.uri, "cypher", "MATCH (n RETURN n")
    assert result.exit_code == 1
    assert "Cypher syntax error" in result.stderr


def test_write_without_flag_is_refused(runner, neo4j_server, neo4j) -> None:
    result = igfmap(runner, neo4j_server.uri, "cypher", "CREATE (:Entity {id: 'x'})")
    assert result.exit_code == 1
    assert "--write" in result.stderr
    assert neo4j.run("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    ok = igfmap(
        runner,
        neo4j_server.uri,
        "cypher",
        "CREATE (:Scratch {id: $id}) RETURN 1 AS done",
        "--param",
        "id=x",
        "--write",
    )
    assert ok.exit_code == 0, ok.output
    assert neo4j.run("MATCH (n:Scratch) RETURN n.id AS id") == [{"id": "x"}]


def test_cypher_params_and_formats(runner, neo4j_server, neo4j, small_dir: Path) -> None:
    neo4j.write_dataset(read_dataset([small_dir]))
    result = igfmap(
        runner,
        neo4j_server.uri,
        "cypher",
        "MATCH (n:Entity) WHERE n.id = $id RETURN n.name AS name, n.aliases AS aliases",
        "--param",
        "id=igf",
        "-f",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "name,aliases\nInternet Governance Forum,IGF\n"


def test_merge_load_into_neo4j_matches_embedded(tmp_path: Path, small_dir: Path, neo4j) -> None:
    embedded = tmp_path / "e.json"
    load_files([small_dir], embedded)
    neo4j.load_files([small_dir])
    assert dumps(neo4j.read_dataset()) == embedded.read_text(encoding="utf-8")


def test_stats_counts_what_hand_written_cypher_left_out(neo4j) -> None:
    # Only Cypher written by hand can make these: an entity without type or category and a
    # source without kind. stats counts them as "(unknown)" instead of failing to sort None.
    from queries.lookup import UNKNOWN, stats

    neo4j.write_dataset(seed_dataset())
    neo4j.run("CREATE (:Entity {id: 'bare'}), (:Source {id: 'bare-source'})", write=True)
    result = stats(neo4j)
    seed_counts = seed_dataset().counts()
    assert result.totals == {
        "entities": seed_counts["entities"] + 1,
        "relations": seed_counts["relations"],
        "sources": seed_counts["sources"] + 1,
    }
    assert result.entity_types[UNKNOWN] == 1
    assert result.categories[UNKNOWN] == 1
    assert result.source_kinds[UNKNOWN] == 1
