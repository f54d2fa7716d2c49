"""The Cypher script: literals escaped, labels from the schema, and run on a real Neo4j server
it recreates the graph (the Neo4j store reads back the same dataset)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.cypher_script import cypher_text, literal, script_statements, statements, string_literal
from exports.export import export
from mapper.dataset import Dataset, to_graph
from mapper.errors import IgfmapError
from mapper.schema import DEFAULT_SCHEMA
from tests.exports.conftest import store_of


def test_string_literals_escape_everything_that_could_break_out() -> None:
    assert string_literal("it's") == "'it\\'s'"
    assert string_literal("a\\b") == "'a\\\\b'"
    assert string_literal("line\nbreak\r\ttab") == "'line\\nbreak\\r\\ttab'"
    assert string_literal("\x00\x1f\u2028") == "'\\u0000\\u001f\\u2028'"
    assert string_literal("互联网 «»") == "'互联网 «»'"
    assert "\n" not in string_literal("}' ; MATCH (n) DETACH DELETE n //\n")


def test_values_become_typed_literals() -> None:
    assert literal({"id": "x", "date": "2024-10-31", "tags": ["a", "b"], "n": 3, "ok": True}) == (
        "{id: 'x', date: date('2024-10-31'), tags: ['a', 'b'], n: 3, ok: true}"
    )
    with pytest.raises(ValueError, match="unsafe property name"):
        literal({"x) DETACH DELETE (n": 1})


def test_labels_come_only_from_the_validated_schema(tiny_graph) -> None:
    text = cypher_text(tiny_graph)
    assert "(n:Entity {id: row.id}) SET n = row.props, n:Entity:Actor:DynamicCoalition" in text
    assert "MERGE (a)-[r:ENGAGES_IN {key: row.props.key}]->(b)" in text
    bad = DEFAULT_SCHEMA.extended({"entity_types": {"x": "actor"}})
    object.__setattr__(bad, "entity_types", {**bad.entity_types, "x`) DELETE n //": "actor"})
    graph = to_graph(
        Dataset.from_records(entities=[{"id": "a", "type": "x`) DELETE n //", "name": "A"}], schema=bad)
    )
    with pytest.raises(IgfmapError, match="unsafe entity type"):
        list(statements(graph))


def test_every_statement_is_one_line(hostile) -> None:
    text = cypher_text(to_graph(hostile))
    lines = [line for line in text.splitlines() if line and not line.startswith("//")]
    assert all(line.endswith(";") for line in lines)
    assert len(script_statements(text)) == len(lines)


def run_script(uri: str, text: str) -> None:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=None) as driver:
        for statement in script_statements(text):
            driver.execute_query(statement, database_="neo4j")


@pytest.mark.parametrize("which", ["seed", "hostile"])
def test_script_recreates_the_graph_on_neo4j(
    tmp_path: Path, neo4j_server, seed_store, hostile, which: str
) -> None:
    from mapper.neo4j import Neo4jStore

    dataset = seed_store.dataset if which == "seed" else hostile
    result = export(store_of(to_graph(dataset)), "cypher", tmp_path / "graph.cypher")
    text = (tmp_path / "graph.cypher").read_text(encoding="utf-8")
    with Neo4jStore.connect(neo4j_server.uri) as store:
        store.wipe()
        run_script(neo4j_server.uri, text)
        assert store.counts() == dataset.counts()
        assert (result.nodes, result.edges) == (len(dataset.entities), len(dataset.relations))
        # The script builds the store's own model: reading it back gives the same dataset.
        assert store.read_dataset().to_document() == dataset.to_document()
        # And running it again changes nothing (MERGE on ids and keys).
        run_script(neo4j_server.uri, text)
        assert store.counts() == dataset.counts()
        labels = store.run("MATCH (n:Entity:Actor) RETURN count(n) AS n")[0]["n"]
        assert labels == sum(
            1 for e in dataset.entities.values() if dataset.schema.category(e["type"]) == "actor"
        )
        store.wipe()
