"""Reading the database: the schema in force, the whole dataset, counts."""

from __future__ import annotations

import json

from mapper.dataset import Dataset
from mapper.graph_names import META_LABEL, PROVENANCE, SCHEMA_MARKER_ID
from mapper.neo4j.connection import Connection, _from_neo4j
from mapper.schema import DEFAULT_SCHEMA, Schema


class Reads(Connection):
    """Whole reads of the database (queries run their own Cypher through :meth:`run`)."""

    def schema(self) -> Schema:
        rows = self.run(
            f"MATCH (m:{META_LABEL} {{id: $schema_marker}}) RETURN m.extension AS extension",
            {"schema_marker": SCHEMA_MARKER_ID},
        )
        extension = json.loads(rows[0]["extension"]) if rows and rows[0]["extension"] else {}
        return DEFAULT_SCHEMA.extended(extension)

    def counts(self) -> dict[str, int]:
        rows = self.run(
            "CALL () { MATCH (s:Source) RETURN count(s) AS sources } "
            "CALL () { MATCH (n:Entity) RETURN count(n) AS entities } "
            f"CALL () {{ MATCH (:Entity)-[r]->(:Entity) WHERE type(r) <> '{PROVENANCE}' RETURN count(r) AS relations }} "
            "RETURN sources, entities, relations"
        )
        return rows[0]

    # --- reading ----------------------------------------------------------------------------

    def read_dataset(self) -> Dataset:
        """The whole dataset (for ``pull``, exports and the few client-side queries)."""
        schema = self.schema()
        sources = [
            {k: _from_neo4j(v) for k, v in row["s"].items()}
            for row in self.run("MATCH (s:Source) RETURN properties(s) AS s ORDER BY s.id")
        ]
        entities = []
        for row in self.run(
            f"MATCH (n:Entity) OPTIONAL MATCH (n)-[p:{PROVENANCE}]->(s:Source) "
            "WITH n, p, s ORDER BY p.position "
            "RETURN properties(n) AS n, [x IN collect(s.id) WHERE x IS NOT NULL] AS sources ORDER BY n.id"
        ):
            entity = {k: _from_neo4j(v) for k, v in row["n"].items() if k != "category"}
            if row["sources"]:
                entity["sources"] = row["sources"]
            entities.append(entity)
        relations = []
        for row in self.run(
            f"MATCH (a:Entity)-[r]->(b:Entity) WHERE type(r) <> '{PROVENANCE}' "
            "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS props"
        ):
            props = {k: _from_neo4j(v) for k, v in row["props"].items() if k != "key"}
            relations.append({"source": row["source"], "type": row["type"], "target": row["target"], **props})
        return Dataset.from_records(sources, entities, relations, schema=schema)
