"""The Neo4j store: the same dataset in a Neo4j database, written and read with the official driver.

Graph model (documented in docs/neo4j.md):

- every entity is a node ``(:Entity:<Category>:<Type>)`` (e.g. ``:Entity:Actor:DynamicCoalition``)
  with its fields as properties (lists as lists, dates as native ``Date``) and ``category``;
- sources are ``(:Source)`` nodes; an entity's provenance is ``(:Entity)-[:SOURCED_FROM
  {position}]->(:Source)``; a relation's provenance is its ``sources`` list property;
- relations are relationships of the schema's type (``ENGAGES_IN`` ...) with a ``key`` property
  ``source|type|target|role`` that makes MERGE idempotent;
- one ``(:IgfmapMeta {id: 'schema'})`` node keeps the schema version and extension.

Labels and relationship types are never parameters in Cypher: they come only from the
validated schema and are checked against the schema's name patterns before use. Values are
always parameters.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx

from mapper.dataset import Dataset, Record, relation_key_str, to_graph
from mapper.errors import BackendError, IgfmapError
from mapper.schema import (
    CATEGORIES,
    DATE_FIELDS,
    DEFAULT_SCHEMA,
    RELATION_NAME_RE,
    SCHEMA_VERSION,
    TYPE_NAME_RE,
    Schema,
)
from mapper.store_protocol import Backend

BATCH_SIZE = 2000
PROVENANCE = "SOURCED_FROM"  # not a schema relation: queries leave it out
META_LABEL = "IgfmapMeta"


def type_label(entity_type: str) -> str:
    """``dynamic_coalition`` -> ``DynamicCoalition`` (only for validated type names)."""
    if not TYPE_NAME_RE.match(entity_type):
        raise IgfmapError(f"refusing unsafe entity type name {entity_type!r} as a Neo4j label")
    return "".join(part.capitalize() for part in entity_type.split("_"))


def category_label(category: str) -> str:
    if category not in CATEGORIES:
        raise IgfmapError(f"unknown category {category!r}")
    return category.capitalize()


def rel_type(name: str) -> str:
    if not RELATION_NAME_RE.match(name):
        raise IgfmapError(f"refusing unsafe relation type name {name!r} in Cypher")
    return name


def _to_neo4j(record: Record) -> dict[str, Any]:
    return {k: date.fromisoformat(v) if k in DATE_FIELDS else v for k, v in record.items()}


def _from_neo4j(value: Any) -> Any:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_from_neo4j(v) for v in value]
    return value


def plain(value: Any) -> Any:
    """Neo4j values as JSON-ready Python values (dates as ISO strings, nodes as property dicts)."""
    if hasattr(value, "items") and hasattr(value, "element_id"):
        return {k: plain(v) for k, v in sorted(value.items())}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return _from_neo4j(value)


def _batches(rows: list[dict], size: int = BATCH_SIZE) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Neo4jStore:
    """A connection to a Neo4j database holding one igf-mapper dataset."""

    backend: Backend = "cypher"

    def __init__(self, driver: Any, uri: str, database: str, user: str):
        self.driver = driver
        self.uri = uri
        self.database = database
        self.user = user
        self.path = None
        self.from_seed = False

    # --- connecting -------------------------------------------------------------------------

    @classmethod
    def connect(
        cls,
        uri: str,
        database: str | None = None,
        user: str | None = None,
        password: str | None = None,
        prompt: bool = True,
    ) -> Neo4jStore:
        """Connect and check the database answers; errors are :class:`BackendError` (exit 3).

        Credentials: arguments, else ``NEO4J_USERNAME``/``NEO4J_PASSWORD``, else (on a terminal,
        when the server asks for them) a hidden prompt. The password is never printed.
        """
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable

        user = user or os.environ.get("NEO4J_USERNAME", "neo4j")
        if password is None:
            password = os.environ.get("NEO4J_PASSWORD")
        database = database or "neo4j"
        attempts = [password] if password is not None else [None]
        for attempt, secret in enumerate(attempts):
            auth = (user, secret) if secret is not None else None
            try:
                driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=10)
            except ValueError as err:
                raise BackendError(f"cannot reach Neo4j at {uri}: {err}") from None
            try:
                # Fails fast when nothing listens (a query alone is retried for ~30 s), then
                # checks the database answers.
                driver.verify_connectivity()
                driver.execute_query("RETURN 1", database_=database)
                return cls(driver, uri, database, user)
            except AuthError:
                driver.close()
                if secret is None and prompt and sys.stdin.isatty() and attempt == 0:
                    attempts.append(getpass.getpass(f"Neo4j password for {user}: "))
                    continue
                raise BackendError(f"authentication failed for user {user!r} at {uri}") from None
            except ServiceUnavailable as err:
                driver.close()
                raise BackendError(f"cannot reach Neo4j at {uri}: {_reason(err)}") from None
            except ClientError as err:
                driver.close()
                if "DatabaseNotFound" in (err.code or "") or "database" in (err.message or "").lower():
                    raise BackendError(
                        f"Neo4j database {database!r} is not available at {uri}: {err.message}"
                    ) from None
                raise BackendError(f"Neo4j refused the connection at {uri}: {err.message}") from None
            except OSError as err:
                driver.close()
                raise BackendError(f"cannot reach Neo4j at {uri}: {err}") from None
        raise BackendError(f"authentication failed for user {user!r} at {uri}")

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> str:
        return f"{self.uri} (database {self.database})"

    # --- running Cypher ---------------------------------------------------------------------

    def run(
        self, query: str, params: dict[str, Any] | None = None, write: bool = False
    ) -> list[dict[str, Any]]:
        """Run one query; records as dicts of plain values. Read-only unless ``write``."""
        from neo4j import RoutingControl

        records, _, _ = self.driver.execute_query(
            query,
            params or {},
            database_=self.database,
            routing_=RoutingControl.WRITE if write else RoutingControl.READ,
        )
        return [{k: plain(v) for k, v in record.items()} for record in records]

    def run_user_query(
        self, query: str, params: dict[str, Any], write: bool = False
    ) -> tuple[list[str], list[dict]]:
        """Run a user's query in a read (default) or write transaction; (keys, records)."""
        from neo4j.exceptions import ClientError, CypherSyntaxError

        def work(tx: Any) -> tuple[list[str], list[dict]]:
            result = tx.run(query, params)
            keys = list(result.keys())
            return keys, [{k: plain(v) for k, v in r.items()} for r in result]

        try:
            with self.driver.session(database=self.database) as session:
                if write:
                    return session.execute_write(work)
                return session.execute_read(work)
        except CypherSyntaxError as err:
            raise IgfmapError(f"Cypher syntax error: {err.message}") from None
        except ClientError as err:
            if "AccessMode" in (err.code or "") or "read access mode" in (err.message or "").lower():
                raise IgfmapError(
                    "this query writes; run it again with --write to allow changes (nothing was changed)"
                ) from None
            raise IgfmapError(f"Neo4j error: {err.message}") from None

    # --- schema and writing -----------------------------------------------------------------

    def setup(self) -> None:
        """Constraints and indexes (idempotent)."""
        for statement in (
            "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE",
            "CREATE INDEX relation_status IF NOT EXISTS FOR ()-[r:ENGAGES_IN]-() ON (r.status)",
        ):
            self.run(statement, write=True)

    def schema(self) -> Schema:
        rows = self.run(f"MATCH (m:{META_LABEL} {{id: 'schema'}}) RETURN m.extension AS extension")
        extension = json.loads(rows[0]["extension"]) if rows and rows[0]["extension"] else {}
        return DEFAULT_SCHEMA.extended(extension)

    def wipe(self) -> None:
        """Delete everything, in batches so a big graph does not need one huge transaction."""
        while True:
            rows = self.run(
                "MATCH (n) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS deleted", write=True
            )
            if not rows or rows[0]["deleted"] == 0:
                return

    def write_dataset(self, dataset: Dataset, wipe: bool = False, progress: Any = None) -> dict[str, int]:
        """Upsert ``dataset`` (everything, idempotently); with ``wipe``, clear the database first."""
        self.setup()
        if wipe:
            self.wipe()
        schema = dataset.schema.extended(self.schema().extension) if not wipe else dataset.schema
        self.run(
            f"MERGE (m:{META_LABEL} {{id: 'schema'}}) SET m.schema_version = $v, m.extension = $ext",
            {"v": SCHEMA_VERSION, "ext": json.dumps(schema.extension, sort_keys=True)},
            write=True,
        )
        step = progress or (lambda n: None)
        sources = [_to_neo4j(s) for s in dataset.sources.values()]
        for batch in _batches(sources):
            self.run(
                "UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s = row", {"rows": batch}, write=True
            )
            step(len(batch))

        all_labels = sorted(
            {category_label(c) for c in CATEGORIES} | {type_label(t) for t in schema.entity_types}
        )
        by_type: dict[str, list[dict]] = defaultdict(list)
        for entity in dataset.entities.values():
            props = _to_neo4j({k: v for k, v in entity.items() if k != "sources"})
            props["category"] = schema.category(entity["type"])
            by_type[entity["type"]].append(
                {"id": entity["id"], "props": props, "sources": entity.get("sources", [])}
            )
        for entity_type, rows in sorted(by_type.items()):
            labels = f"{category_label(schema.category(entity_type))}:{type_label(entity_type)}"
            for batch in _batches(rows):
                # Drop old category/type labels first so a changed type leaves no stale label.
                self.run(
                    "UNWIND $rows AS row MERGE (n:Entity {id: row.id}) "
                    f"REMOVE n:{':'.join(all_labels)} "
                    f"SET n = row.props, n:{labels} "
                    "WITH n, row "
                    f"OPTIONAL MATCH (n)-[old:{PROVENANCE}]->() DELETE old "
                    "WITH DISTINCT n, row "
                    "UNWIND range(0, size(row.sources) - 1) AS i "
                    "MATCH (s:Source {id: row.sources[i]}) "
                    f"MERGE (n)-[p:{PROVENANCE}]->(s) SET p.position = i",
                    {"rows": batch},
                    write=True,
                )
                step(len(batch))

        by_rel: dict[str, list[dict]] = defaultdict(list)
        for relation in dataset.relations.values():
            props = _to_neo4j({k: v for k, v in relation.items() if k not in ("source", "target", "type")})
            props["key"] = relation_key_str(relation)
            by_rel[relation["type"]].append(
                {"source": relation["source"], "target": relation["target"], "props": props}
            )
        for name, rows in sorted(by_rel.items()):
            for batch in _batches(rows):
                self.run(
                    "UNWIND $rows AS row "
                    "MATCH (a:Entity {id: row.source}) MATCH (b:Entity {id: row.target}) "
                    f"MERGE (a)-[r:{rel_type(name)} {{key: row.props.key}}]->(b) SET r = row.props",
                    {"rows": batch},
                    write=True,
                )
                step(len(batch))
        return self.counts()

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

    @cached_property
    def dataset(self) -> Dataset:
        return self.read_dataset()

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return to_graph(self.dataset)

    def around(self, ids: Iterable[str], relation_types: Iterable[str] | None = None) -> Neo4jStore:
        """Itself: Cypher queries read only what they match (see the Store protocol)."""
        return self

    def entities_matching(self, text: str) -> Neo4jStore:
        return self

    def snapshot(self) -> Any:
        """An embedded store over one read of the database (maps and reports use one picture)."""
        from mapper.store import EmbeddedStore

        return EmbeddedStore(self.dataset)

    def load_files(self, files: Iterable[Path], replace: bool = False, dry_run: bool = False) -> Any:
        """Validate files against the database content, then write them (nothing when invalid)."""
        from mapper.store import plan_load

        result, report = plan_load(self.read_dataset(), list(files), replace, dry_run, self.describe())
        if not dry_run:
            self.write_dataset(result, wipe=replace)
        return report


def _reason(err: Exception) -> str:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text
