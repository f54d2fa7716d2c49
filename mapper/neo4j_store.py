"""The Neo4j store: the same dataset in a Neo4j database, written and read with the official driver.

Graph model (documented in docs/neo4j.md):

- every entity is a node ``(:Entity:<Category>:<Type>)`` (e.g. ``:Entity:Actor:DynamicCoalition``)
  with its fields as properties (lists as lists, dates as native ``Date``) and ``category``;
- sources are ``(:Source)`` nodes; an entity's provenance is ``(:Entity)-[:SOURCED_FROM
  {position}]->(:Source)``; a relation's provenance is its ``sources`` list property;
- relations are relationships of the schema's type (``ENGAGES_IN`` ...) with a ``key`` property
  ``source|type|target|role`` that makes MERGE idempotent;
- one ``(:IgfmapMeta {id: 'schema'})`` node keeps the schema version and extension;
- one ``(:IgfmapMeta {id: 'push'})`` node records the last write of a dataset: ``state`` is
  ``in-progress`` from its start until its last batch is in, then ``complete`` (so a push cut
  short by a dying server or client is visible to every later command; see :meth:`push_state`),
  and the claim of the push writing now (``holder``, ``heartbeat``): one writer at a time (see
  :meth:`Neo4jStore._claim_push`).

Labels and relationship types are never parameters in Cypher: they come only from the
validated schema and are checked against the schema's name patterns before use. Values are
always parameters.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import re
import socket
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import networkx as nx

from mapper.dataset import Dataset, Record, relation_key_str, to_graph
from mapper.errors import BackendError, IgfmapError
from mapper.graph_names import (
    META_LABEL,
    PROVENANCE,
    PUSH_MARKER_ID,
    SCHEMA_MARKER_ID,
    category_label,
    rel_type,
    type_label,
)
from mapper.schema import CATEGORIES, DATE_FIELDS, DEFAULT_SCHEMA, SCHEMA_VERSION, Schema
from mapper.store import LockTimeoutError, lock_timeout
from mapper.store_protocol import Backend

BATCH_SIZE = 2000
#: One writer at a time: a push (or load) claims the push marker and renews the claim at least
#: this often; a claim not renewed for LEASE_SECONDS (by the server's clock) belongs to a writer
#: that died without letting go, and the next push takes it over.
HEARTBEAT_SECONDS = 10.0
LEASE_SECONDS = 60
#: Seconds to open a TCP connection, and to get a working one (Bolt handshake included; the
#: driver's default of 60 s would let a host that accepts but never answers hang us a minute).
CONNECTION_TIMEOUT = 10.0
ACQUISITION_TIMEOUT = 15.0
#: Bounded retries of transient failures (lost connection, deadlock): the pauses before the
#: 2nd and 3rd attempts. The driver's own retry loop (up to 30 s, logged) is switched off so
#: that this one, which says what it does, is the only one.
RETRY_DELAYS = (1.0, 2.0)


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """``bolt://user:secret@host:7687`` -> ``("bolt://host:7687", "user", "secret")``.

    The driver refuses credentials inside a URI (and its error would echo them), so they are
    taken out before the URI is used or shown anywhere. Percent-escapes are decoded.
    """
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri, None, None
    userinfo, host = parts.netloc.rsplit("@", 1)
    user, sep, password = userinfo.partition(":")
    clean = urlunsplit(parts._replace(netloc=host))
    return clean, unquote(user) or None, unquote(password) if sep else None


def configure_driver_logging(debug: bool) -> None:
    """Keep the driver's log lines (retries, server notifications that quote the query text)
    off stderr, unless ``debug``: then its warnings are shown.

    Without a handler of its own, the ``neo4j`` logger's warnings reach Python's last-resort
    handler, which prints them on stderr.
    """
    logger = logging.getLogger("neo4j")
    for handler in list(logger.handlers):
        if getattr(handler, "_igfmap", False):
            logger.removeHandler(handler)
    handler: logging.Handler
    if debug:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("neo4j driver: %(levelname)s %(message)s"))
        handler.setLevel(logging.WARNING)
    else:
        handler = logging.NullHandler()
    handler._igfmap = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.propagate = False


@dataclass(frozen=True)
class PushState:
    """The marker a push leaves in the database (``(:IgfmapMeta {id: 'push'})``)."""

    state: str  # "in-progress" or "complete"
    started: str  # ISO time (UTC) the push began
    finished: str | None  # ISO time it completed
    expected: dict[str, int]  # what the push was writing: sources, entities, relations

    @property
    def complete(self) -> bool:
        return self.state == "complete"


def _push_state(row: dict[str, Any]) -> PushState:
    """The push marker's properties (``state``, ``started``, ``finished``, ``expected``)."""
    expected = json.loads(row["expected"]) if row["expected"] else {}
    return PushState(row["state"] or "in-progress", row["started"] or "?", row["finished"], expected)


def _claimant(holder: str | None) -> tuple[str, str]:
    """The host and process id in a claim ("HOST PID TOKEN").

    >>> _claimant("box 4242 9f1c"), _claimant(None)
    (('box', '4242'), ('?', '?'))
    """
    host, _, rest = (holder or "").partition(" ")
    return host or "?", rest.partition(" ")[0] or "?"


def _died_here(holder: str | None) -> bool:
    """Whether the claim ``holder`` is a process on this host that has ended."""
    host, pid = _claimant(holder)
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:  # it runs, as another user
        pass
    return False


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


#: Types the driver hands back as they are; most values are of these, so :func:`plain` tests
#: them first (40,000 rows of a gap rule took ~0.5 s here through the generic tests below).
_AS_IS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Neo4j values as JSON-ready Python values (dates as ISO strings, nodes as property dicts)."""
    if type(value) in _AS_IS:
        return value
    if type(value) is list:
        return [v if type(v) in _AS_IS else plain(v) for v in value]
    if hasattr(value, "items") and hasattr(value, "element_id"):
        return {k: plain(v) for k, v in sorted(value.items())}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return _from_neo4j(value)


def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Neo4jStore:
    """A connection to a Neo4j database holding one igf-mapper dataset."""

    backend: Backend = "cypher"
    #: Cypher queries read only what they match: :meth:`around` is the store itself.
    narrows = False

    def __init__(self, driver: Any, uri: str, database: str, user: str):
        self.driver = driver
        self.uri = uri  # never carries credentials (see split_credentials)
        self.database = database
        self.user = user
        self.path = None
        self.from_seed = False
        #: Called with one line each time a transient failure is retried (the CLI prints it).
        self.on_retry: Callable[[str], None] = lambda message: None
        self._holder: str | None = None  # this write's claim on the push marker (see _claim_push)
        self._renewed = 0.0

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

        Credentials: arguments, else those inside the URI (``bolt://user:secret@host``), else
        ``NEO4J_USERNAME``/``NEO4J_PASSWORD``, else (on a terminal, when the server asks for
        them) a hidden prompt. The password is never printed; the URI is shown without them.
        """
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable

        uri, uri_user, uri_password = split_credentials(uri)
        user = user or uri_user or os.environ.get("NEO4J_USERNAME", "neo4j")
        if password is None:
            password = uri_password if uri_password is not None else os.environ.get("NEO4J_PASSWORD")
        database = database or "neo4j"
        attempts = [password] if password is not None else [None]
        for attempt, secret in enumerate(attempts):
            auth = (user, secret) if secret is not None else None

            def why(text: str | None, secret: str | None = secret) -> str:
                # Driver messages never quote the password, but make sure of it.
                return _scrub(text or "", secret)

            try:
                driver = GraphDatabase.driver(
                    uri,
                    auth=auth,
                    connection_timeout=CONNECTION_TIMEOUT,
                    connection_acquisition_timeout=ACQUISITION_TIMEOUT,
                    max_transaction_retry_time=0,
                )
            except (ValueError, DriverError) as err:
                raise BackendError(f"cannot use the Neo4j URI {uri}: {why(_reason(err))}") from None
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
                raise BackendError(f"cannot reach Neo4j at {uri}: {why(_reason(err))}") from None
            except ClientError as err:
                driver.close()
                if "DatabaseNotFound" in (err.code or "") or "database" in (err.message or "").lower():
                    raise BackendError(
                        f"Neo4j database {database!r} is not available at {uri}: {why(err.message)}"
                    ) from None
                raise BackendError(f"Neo4j refused the connection at {uri}: {why(err.message)}") from None
            except (OSError, ValueError, DriverError, Neo4jError) as err:  # ValueError: DNS resolution
                driver.close()
                raise BackendError(f"cannot reach Neo4j at {uri}: {why(_reason(err))}") from None
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
        """Run one query; records as dicts of plain values. Read-only unless ``write``.

        Transient failures are retried a bounded number of times (each retry is reported
        through :attr:`on_retry`), so only use it for idempotent writes; then a lost server
        is a :class:`BackendError` (exit 3).
        """
        from neo4j import RoutingControl

        def attempt() -> list[dict[str, Any]]:
            records, _, _ = self.driver.execute_query(
                query,
                params or {},
                database_=self.database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ,
            )
            return [{k: plain(v) for k, v in record.items()} for record in records]

        return self._retrying(attempt)

    def _retrying(self, work: Callable[[], Any]) -> Any:
        """``work()``, retried after each transient failure per :data:`RETRY_DELAYS`.

        ``work`` must be idempotent: a commit cut off by a lost connection (the driver's
        ``IncompleteCommit``, which it does not retry) is retried too.
        """
        from neo4j.exceptions import DriverError, IncompleteCommit, Neo4jError

        attempts = len(RETRY_DELAYS) + 1
        for number in range(1, attempts + 1):
            try:
                return work()
            except (DriverError, Neo4jError) as err:
                if not (err.is_retryable() or isinstance(err, IncompleteCommit)):
                    raise
                what = _failure(err)
                if number == attempts:
                    raise BackendError(
                        f"Neo4j at {self.uri} failed: {what} (gave up after {attempts} attempts)"
                    ) from None
                delay = RETRY_DELAYS[number - 1]
                self.on_retry(
                    f"Neo4j at {self.uri}: {what}; retrying in {delay:g} s (attempt {number + 1} of {attempts})"
                )
                time.sleep(delay)
        raise AssertionError("unreachable")

    def run_user_query(
        self, query: str, params: dict[str, Any], write: bool = False
    ) -> tuple[list[str], list[dict]]:
        """Run a user's query in a read (default) or write transaction; (keys, records).

        Without ``write`` the query is first checked with :meth:`refuse_outside_reach` (no
        files, URLs or procedures that write or act on the server), then run in a read
        transaction, which Neo4j itself keeps from writing.
        """
        from neo4j.exceptions import ClientError, CypherSyntaxError, DriverError, ServiceUnavailable

        def work(tx: Any) -> tuple[list[str], list[dict]]:
            result = tx.run(query, params)
            keys = list(result.keys())
            return keys, [{k: plain(v) for k, v in r.items()} for r in result]

        def attempt() -> tuple[list[str], list[dict]]:
            with self.driver.session(database=self.database) as session:
                if write:
                    return session.execute_write(work)
                return session.execute_read(work)

        try:
            if write:
                # Not retried: a write whose commit was lost with the connection may have
                # happened, and the user's query may not be idempotent.
                return attempt()
            self.refuse_outside_reach(query, params)
            return self._retrying(attempt)
        except CypherSyntaxError as err:
            # Neo4j's message goes on to quote the query under a caret: the first line says it all.
            first = (err.message or "").strip().splitlines()[0] if err.message else "?"
            raise IgfmapError(f"Cypher syntax error: {first}") from None
        except ClientError as err:
            if "AccessMode" in (err.code or "") or "read access mode" in (err.message or "").lower():
                raise IgfmapError(
                    "this query writes; run it again with --write to allow changes (nothing was changed)"
                ) from None
            raise IgfmapError(f"Neo4j error: {err.message}") from None
        except DriverError as err:
            if err.is_retryable() or isinstance(err, ServiceUnavailable):  # only writes get here
                raise BackendError(
                    f"Neo4j at {self.uri} failed during the write: {_failure(err)}; "
                    "it may or may not have been applied"
                ) from None
            raise

    def refuse_outside_reach(self, query: str, params: dict[str, Any] | None = None) -> None:
        """Refuse (:class:`IgfmapError`, exit 1) a query that would, without ``--write``, read
        files or URLs (``LOAD CSV``), or call a procedure that writes, administers the server
        (``dbms.*``) or may reach outside (``apoc.*``). Nothing is run: Neo4j only plans the
        query (``EXPLAIN``), and the planned operators are checked.
        """
        # APOC first: without the plugin, planning a call to it fails ("no such procedure").
        refusals = _lexical_refusals(query) or self._plan_refusals(query, params or {})
        if refusals:
            raise IgfmapError(f"refused without --write: the query {'; '.join(refusals)} (nothing was run)")

    def _plan_refusals(self, query: str, params: dict[str, Any]) -> list[str]:
        from neo4j.exceptions import CypherSyntaxError

        lead = _LEADING_KEYWORD.match(query)
        keyword = lead.group(1).upper() if lead else ""
        if keyword == "EXPLAIN":
            return []  # only plans: nothing runs
        # PROFILE runs the query: plan what follows it instead.
        plannable = query[lead.end() :] if lead and keyword == "PROFILE" else query

        def plan(tx: Any) -> Any:
            return tx.run("EXPLAIN " + plannable, params).consume().plan

        def attempt() -> Any:
            with self.driver.session(database=self.database) as session:
                return session.execute_read(plan)

        try:
            tree = self._retrying(attempt)
        except CypherSyntaxError:
            # Some statements cannot be explained (SHOW ..., administration): the read
            # transaction still applies, and Neo4j reports them when they run.
            return []
        refusals: list[str] = []
        procedures: set[str] = set()
        for operator in _operators(tree):
            name = operator.get("operatorType", "").split("@", 1)[0]
            details = str(operator.get("args", {}).get("Details", ""))
            if name == "LoadCSV":
                refusals.append("reads a file or URL with LOAD CSV")
            elif name == "ProcedureCall":
                called = re.match(r"\s*([A-Za-z_][\w.]*)\s*\(", details)
                procedures.add(called.group(1) if called else details)
        if procedures:
            modes = {
                row["name"]: row["mode"]
                for row in self.run(
                    "SHOW PROCEDURES YIELD name, mode WHERE name IN $names RETURN name, mode",
                    {"names": sorted(procedures)},
                )
            }
            for procedure in sorted(procedures):
                mode = modes.get(procedure, "unknown")
                if procedure.lower().startswith(("dbms.", "apoc.")) or mode != "READ":
                    refusals.append(f"calls {procedure} (mode {mode})")
        return refusals

    # --- schema and writing -----------------------------------------------------------------

    def setup(self) -> None:
        """Constraints and indexes (idempotent)."""
        for statement in (
            "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE",
            f"CREATE CONSTRAINT igfmap_meta_id IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.id IS UNIQUE",
            "CREATE INDEX relation_status IF NOT EXISTS FOR ()-[r:ENGAGES_IN]-() ON (r.status)",
        ):
            self.run(statement, write=True)

    def schema(self) -> Schema:
        rows = self.run(
            f"MATCH (m:{META_LABEL} {{id: $schema_marker}}) RETURN m.extension AS extension",
            {"schema_marker": SCHEMA_MARKER_ID},
        )
        extension = json.loads(rows[0]["extension"]) if rows and rows[0]["extension"] else {}
        return DEFAULT_SCHEMA.extended(extension)

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

    def push_state(self) -> PushState | None:
        """The marker of the last push (or load) into this database; None if there is none
        (a database igf-mapper never wrote to, or one written before markers existed)."""
        rows = self.run(
            f"MATCH (m:{META_LABEL} {{id: $marker}}) "
            "RETURN m.state AS state, m.started AS started, m.finished AS finished, m.expected AS expected",
            {"marker": PUSH_MARKER_ID},
        )
        return _push_state(rows[0]) if rows else None

    def _mark_push(self, state: PushState) -> None:
        self.run(
            f"MERGE (m:{META_LABEL} {{id: $marker}}) "
            "SET m.state = $state, m.started = $started, m.finished = $finished, m.expected = $expected "
            "REMOVE m.holder, m.heartbeat",
            {
                "marker": PUSH_MARKER_ID,
                "state": state.state,
                "started": state.started,
                "finished": state.finished,
                "expected": json.dumps(state.expected, sort_keys=True),
            },
            write=True,
        )

    def write_dataset(
        self, dataset: Dataset, wipe: bool = False, progress: Any = None, *, completes_push: bool = True
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

    def _claim_push(self, marker: PushState) -> PushState | None:
        """Claim the database for this write and mark it ``marker``; the marker found before.

        Another igfmap's push that renewed its claim within :data:`LEASE_SECONDS` holds it:
        this waits (saying so once on stderr) up to the lock timeout (``--lock-timeout``),
        then raises :class:`LockTimeoutError` having written nothing. Two pushes at once would
        otherwise interleave their batches (and a push into an empty database, which CREATEs,
        would fail on the other's entities).
        """
        self._holder = f"{socket.gethostname()} {os.getpid()} {uuid.uuid4().hex}"
        self._renewed = time.monotonic()
        deadline = time.monotonic() + lock_timeout()
        waiting = False
        abandoned = None  # a claim of a process on this host that no longer runs
        while True:
            # Setting a property first takes the marker's write lock, so the claim is read and
            # written by one writer at a time (Neo4j's documented guard against lost updates).
            row = self.run(
                f"MERGE (m:{META_LABEL} {{id: $marker}}) SET m._claiming = true "
                "WITH m, coalesce(m.state = 'in-progress' AND NOT m.holder IN [$holder, $abandoned] "
                "AND m.heartbeat > timestamp() - $lease * 1000, false) AS busy, "
                "m.holder AS other, m.state AS state, m.started AS started, m.finished AS finished, "
                "m.expected AS expected "
                "REMOVE m._claiming "
                "FOREACH (_ IN CASE WHEN busy THEN [] ELSE [1] END | "
                "SET m.state = $state, m.started = $started_now, m.finished = null, "
                "m.expected = $expected, m.holder = $holder, m.heartbeat = timestamp()) "
                "RETURN busy, other, state, started, finished, expected",
                {
                    "marker": PUSH_MARKER_ID,
                    "holder": self._holder,
                    "abandoned": abandoned or "",
                    "lease": LEASE_SECONDS,
                    "state": marker.state,
                    "started_now": marker.started,
                    "expected": json.dumps(marker.expected, sort_keys=True),
                },
                write=True,
            )[0]
            if not row["busy"]:
                # A marker without a state was created just now: there was none before.
                return None if row["state"] is None and row["started"] is None else _push_state(row)
            if _died_here(row["other"]):
                abandoned = row["other"]
                continue
            host, pid = _claimant(row["other"])
            other = (
                f"another igfmap's push into {self.describe()} "
                f"(process {pid} on {host}, began at {row['started']})"
            )
            if time.monotonic() >= deadline:
                raise LockTimeoutError(
                    f"{other} still holds it after {lock_timeout():g} s; nothing written "
                    "(try again when it has finished, or raise --lock-timeout)"
                )
            if not waiting:
                print(
                    f"waiting for {other} to finish (up to {lock_timeout():g} s; --lock-timeout)",
                    file=sys.stderr,
                    flush=True,
                )
                waiting = True
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))

    def _renew_claim(self) -> None:
        """Renew this write's claim when it is due; stop if another push has taken it over."""
        if self._holder is None or time.monotonic() - self._renewed < HEARTBEAT_SECONDS:
            return
        rows = self.run(
            f"MATCH (m:{META_LABEL} {{id: $marker}}) WHERE m.holder = $holder "
            "SET m.heartbeat = timestamp() RETURN count(m) AS renewed",
            {"marker": PUSH_MARKER_ID, "holder": self._holder},
            write=True,
        )
        if not rows or not rows[0]["renewed"]:
            raise LockTimeoutError(
                f"another igfmap took over the push into {self.describe()} after this one was not "
                f"heard from for {LEASE_SECONDS} s; stopped here (the other push writes the whole dataset)"
            )
        self._renewed = time.monotonic()

    def _let_go(self) -> None:
        """Give up this write's claim (the marker stays in-progress), if the server still answers."""
        from neo4j import RoutingControl

        holder, self._holder = self._holder, None
        try:  # once, not retried: after a lost server the error must not wait for this
            self.driver.execute_query(
                f"MATCH (m:{META_LABEL} {{id: $marker}}) WHERE m.holder = $holder REMOVE m.holder, m.heartbeat",
                {"marker": PUSH_MARKER_ID, "holder": holder},
                database_=self.database,
                routing_=RoutingControl.WRITE,
            )
        except Exception:  # the server is gone: the claim lapses (see _claim_push)
            pass

    def holds_data(self) -> bool:
        """Whether the database holds any entity or source (the markers do not count)."""
        rows = self.run("RETURN EXISTS { MATCH (:Entity) } OR EXISTS { MATCH (:Source) } AS holds")
        return bool(rows[0]["holds"])

    def _write_all(
        self, dataset: Dataset, wipe: bool, progress: Any, *, into_empty: bool | None = None
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
        self.run(
            f"MERGE (m:{META_LABEL} {{id: $schema_marker}}) SET m.schema_version = $v, m.extension = $ext",
            {
                "schema_marker": SCHEMA_MARKER_ID,
                "v": SCHEMA_VERSION,
                "ext": json.dumps(schema.extension, sort_keys=True),
            },
            write=True,
        )
        step = progress or (lambda n: None)

        def write(statement: str, rows: list[dict]) -> None:
            for batch in _batches(rows, BATCH_SIZE):
                self._renew_claim()
                self.run(statement, {"rows": batch}, write=True)
                step(len(batch))

        sources = [_to_neo4j(s) for s in dataset.sources.values()]
        if into_empty:
            write(
                "OPTIONAL MATCH (done:Source {id: $rows[0].id}) WITH done WHERE done IS NULL "
                "UNWIND $rows AS row CREATE (s:Source) SET s = row",
                sources,
            )
        else:
            write("UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s = row", sources)

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
        provenance = "UNWIND range(0, size(row.sources) - 1) AS i MATCH (s:Source {id: row.sources[i]}) "
        for entity_type, rows in sorted(by_type.items()):
            labels = f"{category_label(schema.category(entity_type))}:{type_label(entity_type)}"
            if into_empty:
                write(
                    "OPTIONAL MATCH (done:Entity {id: $rows[0].id}) WITH done WHERE done IS NULL "
                    f"UNWIND $rows AS row CREATE (n:Entity:{labels}) SET n = row.props WITH n, row "
                    f"{provenance}CREATE (n)-[:{PROVENANCE} {{position: i}}]->(s)",
                    rows,
                )
            else:
                # Drop old category/type labels first so a changed type leaves no stale label.
                write(
                    "UNWIND $rows AS row MERGE (n:Entity {id: row.id}) "
                    f"REMOVE n:{':'.join(all_labels)} "
                    f"SET n = row.props, n:{labels} "
                    "WITH n, row "
                    f"OPTIONAL MATCH (n)-[old:{PROVENANCE}]->() DELETE old WITH DISTINCT n, row "
                    f"{provenance}MERGE (n)-[p:{PROVENANCE}]->(s) SET p.position = i",
                    rows,
                )

        by_rel: dict[str, list[dict]] = defaultdict(list)
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
                write(
                    f"OPTIONAL MATCH (:Entity {{id: $rows[0].source}})-[done:{kind} {{key: $rows[0].props.key}}]->() "
                    "WITH count(done) AS done WHERE done = 0 "
                    f"{ends}CREATE (a)-[r:{kind}]->(b) SET r = row.props",
                    rows,
                )
            else:
                write(f"{ends}MERGE (a)-[r:{kind} {{key: row.props.key}}]->(b) SET r = row.props", rows)

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
            self.write_dataset(result, wipe=replace, completes_push=replace)
        return report


def _reason(err: Exception) -> str:
    """A driver error in one short line: the OS reason when there is one."""
    text = str(err)
    errno = re.search(r"\[Errno \d+\] [^)\n]+", text)
    if errno:
        return errno.group(0)
    if "defunct connection" in text.lower():
        return "socket closed"  # the driver's wording names the address twice
    if "bolt handshake" in text.lower():
        return f"no Bolt handshake within {ACQUISITION_TIMEOUT:g} s (is this a Neo4j Bolt port?)"
    message = getattr(err, "message", None)
    if isinstance(message, str) and message:
        text = message
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return type(err).__name__
    # "Couldn't connect to HOST (resolved to ...):" is a header; the reason follows it.
    return lines[-1] if lines[0].endswith(":") and len(lines) > 1 else lines[0]


def _failure(err: Exception) -> str:
    """What a retryable error means, for the retry note and the final error line."""
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    if isinstance(err, (ServiceUnavailable, SessionExpired)):
        return f"connection lost ({_reason(err)})"
    return f"transient error ({_reason(err)})"


def _operators(plan: Any) -> Iterator[dict[str, Any]]:
    """Every operator of an ``EXPLAIN`` plan (a nested dict), depth first."""
    if not plan:
        return
    yield plan
    for child in plan.get("children", []):
        yield from _operators(child)


_CYPHER_NOISE = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"", re.S)


_LEADING_KEYWORD = re.compile(r"(?:\s|//[^\n]*|/\*.*?\*/)*(EXPLAIN|PROFILE)\b", re.I | re.S)


def _strip_comments(query: str) -> str:
    """The query without comments and string literals (each replaced by a space)."""
    return _CYPHER_NOISE.sub(" ", query)


def _lexical_refusals(query: str) -> list[str]:
    """What the plan alone cannot show: APOC functions (only procedures are plan operators)."""
    code = _strip_comments(query)
    # Backquoted names (`apoc`.`load`...) are unquoted first, so quoting does not hide them.
    code = code.replace("`", "")
    if re.search(r"\bapoc\s*\.", code, re.I):
        return ["uses APOC (apoc.*), which can read files and URLs"]
    return []


def _scrub(text: str, secret: str | None) -> str:
    # Only in text that came from the driver or server (never the URI we built): a very short
    # secret would otherwise mangle ordinary words.
    return text.replace(secret, "***") if secret and len(secret) >= 4 else text
