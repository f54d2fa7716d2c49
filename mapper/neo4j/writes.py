"""Writing a dataset: constraints, batches that CREATE into an empty database or MERGE, wiping."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from typing import Any

from mapper.dataset import Dataset, Record, relation_key_str
from mapper.errors import BackendError
from mapper.graph_names import (
    META_LABEL,
    PROVENANCE,
    PUSH_MARKER_ID,
    SCHEMA_MARKER_ID,
    category_label,
    rel_type,
    type_label,
)
from mapper.neo4j.claim import PushClaim, PushState
from mapper.neo4j.connection import StalledError
from mapper.neo4j.reads import Reads
from mapper.schema import CATEGORIES, DATE_FIELDS, SCHEMA_VERSION, Schema

BATCH_SIZE = 2000


def _to_neo4j(record: Record) -> dict[str, Any]:
    return {k: date.fromisoformat(v) if k in DATE_FIELDS else v for k, v in record.items()}


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


#: Told the number of rows each time a batch is in (the CLI's progress bar).
Progress = Callable[[int], object]


class _Batches:
    """Writes a statement's rows in batches of :data:`BATCH_SIZE`, renewing the push claim
    before each and telling ``progress`` after each."""

    def __init__(self, store: PushClaim, progress: Progress | None) -> None:
        self.store = store
        self.progress = progress

    def write(self, statement: str, rows: list[dict[str, Any]]) -> None:
        for batch in _batches(rows, BATCH_SIZE):
            self.store._renew_claim()
            self.store.run(statement, {"rows": batch}, write=True)
            if self.progress is not None:
                self.progress(len(batch))


class Writes(PushClaim, Reads):
    """Writing whole datasets under the push claim."""

    def setup(self) -> None:
        """Constraints and indexes (idempotent)."""
        for statement in (
            "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE",
            f"CREATE CONSTRAINT igfmap_meta_id IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.id IS UNIQUE",
            "CREATE INDEX relation_status IF NOT EXISTS FOR ()-[r:ENGAGES_IN]-() ON (r.status)",
        ):
            self.run(statement, write=True)

    def wipe(self, keep_push_marker: bool = False) -> None:
        """Delete everything, in batches so a big graph does not need one huge transaction.

        ``keep_push_marker`` spares the push marker, so a push with ``--wipe`` that is cut
        short while deleting still shows as incomplete.
        """
        keep = f"WHERE NOT (n:{META_LABEL} AND n.id = $marker) " if keep_push_marker else ""
        while True:
            self._renew_claim()
            rows = self.run(
                f"MATCH (n) {keep}WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS deleted",
                {"marker": PUSH_MARKER_ID},
                write=True,
            )
            if not rows or rows[0]["deleted"] == 0:
                return

    def write_dataset(
        self,
        dataset: Dataset,
        wipe: bool = False,
        progress: Progress | None = None,
        *,
        completes_push: bool = True,
    ) -> dict[str, int]:
        """Upsert ``dataset`` (everything, idempotently); with ``wipe``, clear the database first.

        The push marker says ``in-progress`` from before the first change until the last batch
        is in. If the server goes away part-way, bounded retries are made (see :meth:`run`),
        then a :class:`BackendError` says the database holds an incomplete push; writing the
        same dataset again completes it. ``completes_push=False`` (a ``load``, which writes the
        database's own content plus some files) leaves an earlier unfinished push marked as such.
        """
        self.setup()
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        marker = PushState("in-progress", started, None, dataset.counts())
        before = self._claim_push(marker)
        try:
            self._write_all(dataset, wipe, progress)
        except BaseException as err:  # an interrupt too: the next push need not wait for us
            if not isinstance(err, StalledError):  # a stalled server would stall this too
                self._let_go()
            if isinstance(err, BackendError):
                raise BackendError(
                    f"{err}; the push is incomplete (marked so in the database): run it again to complete it"
                ) from None
            raise
        if completes_push or before is None or before.complete:
            finished = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self._mark_push(PushState("complete", started, finished, marker.expected))
        else:
            self._mark_push(before)
        self._holder = None
        return self.counts()

    def holds_data(self) -> bool:
        """Whether the database holds any entity or source (the markers do not count)."""
        rows = self.run("RETURN EXISTS { MATCH (:Entity) } OR EXISTS { MATCH (:Source) } AS holds")
        return bool(rows[0]["holds"])

    def _write_all(
        self,
        dataset: Dataset,
        wipe: bool,
        progress: Progress | None,
        *,
        into_empty: bool | None = None,
    ) -> None:
        """Write every batch. Into a database that holds no entity and no source (``into_empty``;
        by default checked here) the batches CREATE, which is what makes a first push of a big
        dataset fast: MERGE of a relationship scans the relationships its end nodes already
        have, so hubs cost more with every batch. Otherwise they MERGE (an upsert).

        Both kinds are safe to retry (see :meth:`run`): a CREATE batch first looks for its own
        first row and writes nothing if that is there, as a batch is one transaction and
        commits whole or not at all.
        """
        if wipe:
            self.wipe(keep_push_marker=True)
        if into_empty is None:
            into_empty = wipe or not self.holds_data()
        schema = dataset.schema.extended(self.schema().extension) if not wipe else dataset.schema
        self._write_schema(schema)
        batches = _Batches(self, progress)
        self._write_sources(dataset, into_empty, batches)
        self._write_entities(dataset, schema, into_empty, batches)
        self._write_relations(dataset, into_empty, batches)

    def _write_schema(self, schema: Schema) -> None:
        """The schema marker: the schema version and the extension in force."""
        self.run(
            f"MERGE (m:{META_LABEL} {{id: $schema_marker}}) SET m.schema_version = $v, m.extension = $ext",
            {
                "schema_marker": SCHEMA_MARKER_ID,
                "v": SCHEMA_VERSION,
                "ext": json.dumps(schema.extension, sort_keys=True),
            },
            write=True,
        )

    def _write_sources(self, dataset: Dataset, into_empty: bool, batches: _Batches) -> None:
        sources = [_to_neo4j(s) for s in dataset.sources.values()]
        if into_empty:
            batches.write(
                "OPTIONAL MATCH (done:Source {id: $rows[0].id}) WITH done WHERE done IS NULL "
                "UNWIND $rows AS row CREATE (s:Source) SET s = row",
                sources,
            )
        else:
            batches.write("UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s = row", sources)

    def _write_entities(self, dataset: Dataset, schema: Schema, into_empty: bool, batches: _Batches) -> None:
        """Entities, one statement per type (labels cannot be parameters), with their provenance."""
        all_labels = sorted(
            {category_label(c) for c in CATEGORIES} | {type_label(t) for t in schema.entity_types}
        )
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entity in dataset.entities.values():
            props = _to_neo4j({k: v for k, v in entity.items() if k != "sources"})
            props["category"] = schema.category(entity["type"])
            by_type[entity["type"]].append(
                {"id": entity["id"], "props": props, "sources": entity.get("sources", [])}
            )
        provenance = "UNWIND range(0, size(row.sources) - 1) AS i MATCH (s:Source {id: row.sources[i]}) "
        for entity_type, rows in sorted(by_type.items()):
            labels = f"{category_label(schema.category(entity_type))}:{type_label(entity_type)}"
            if into_empty:
                batches.write(
                    "OPTIONAL MATCH (done:Entity {id: $rows[0].id}) WITH done WHERE done IS NULL "
                    f"UNWIND $rows AS row CREATE (n:Entity:{labels}) SET n = row.props WITH n, row "
                    f"{provenance}CREATE (n)-[:{PROVENANCE} {{position: i}}]->(s)",
                    rows,
                )
            else:
                # Drop old category/type labels first so a changed type leaves no stale label.
                batches.write(
                    "UNWIND $rows AS row MERGE (n:Entity {id: row.id}) "
                    f"REMOVE n:{':'.join(all_labels)} "
                    f"SET n = row.props, n:{labels} "
                    "WITH n, row "
                    f"OPTIONAL MATCH (n)-[old:{PROVENANCE}]->() DELETE old WITH DISTINCT n, row "
                    f"{provenance}MERGE (n)-[p:{PROVENANCE}]->(s) SET p.position = i",
                    rows,
                )

    def _write_relations(self, dataset: Dataset, into_empty: bool, batches: _Batches) -> None:
        """Relations, one statement per type (relationship types cannot be parameters)."""
        by_rel: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for relation in dataset.relations.values():
            props = _to_neo4j({k: v for k, v in relation.items() if k not in ("source", "target", "type")})
            props["key"] = relation_key_str(relation)
            by_rel[relation["type"]].append(
                {"source": relation["source"], "target": relation["target"], "props": props}
            )
        ends = "UNWIND $rows AS row MATCH (a:Entity {id: row.source}) MATCH (b:Entity {id: row.target}) "
        for name, rows in sorted(by_rel.items()):
            kind = rel_type(name)
            if into_empty:
                batches.write(
                    f"OPTIONAL MATCH (:Entity {{id: $rows[0].source}})-[done:{kind} {{key: $rows[0].props.key}}]->() "
                    "WITH count(done) AS done WHERE done = 0 "
                    f"{ends}CREATE (a)-[r:{kind}]->(b) SET r = row.props",
                    rows,
                )
            else:
                batches.write(
                    f"{ends}MERGE (a)-[r:{kind} {{key: row.props.key}}]->(b) SET r = row.props", rows
                )
