"""The push marker and the claim on it: one writer at a time (see docs/neo4j.md)."""

from __future__ import annotations

import json
import os
import socket
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

from mapper.cells import inert
from mapper.graph_names import META_LABEL, PUSH_MARKER_ID
from mapper.neo4j.connection import Connection
from mapper.store import LockTimeoutError, lock_timeout

#: One writer at a time: a push (or load) claims the push marker and renews the claim at least
#: this often; a claim not renewed for LEASE_SECONDS (by the server's clock) belongs to a writer
#: that died without letting go, and the next push takes it over.
HEARTBEAT_SECONDS = 10.0
LEASE_SECONDS = 60


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


class PushClaim(Connection):
    """The push marker: its state, and this write's claim on it."""

    _holder: str | None = None  # this write's claim on the push marker (see _claim_push)
    _renewed = 0.0  # when it was last renewed (time.monotonic())

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
            waiting = self._wait_for_push(row["other"], row["started"], deadline, waiting)

    def _wait_for_push(self, holder: str | None, started: str | None, deadline: float, waiting: bool) -> bool:
        """Wait a little for another igfmap's live push (``holder``), saying so once on stderr;
        :class:`LockTimeoutError` past ``deadline``. True (now waiting)."""
        host, pid = _claimant(holder)
        other = f"another igfmap's push into {self.describe()} (process {pid} on {host}, began at {started})"
        if time.monotonic() >= deadline:
            raise LockTimeoutError(
                f"{other} still holds it after {lock_timeout():g} s; nothing written "
                "(try again when it has finished, or raise --lock-timeout)"
            )
        if not waiting:
            print(
                inert(f"waiting for {other} to finish (up to {lock_timeout():g} s; --lock-timeout)"),
                file=sys.stderr,
                flush=True,
            )
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        return True

    def settled_push_state(self, deadline: float) -> PushState | None:
        """The push marker once no live push holds the database (None: no marker): a live
        push is waited for, up to ``deadline`` (``time.monotonic()``), then
        :class:`LockTimeoutError`. A reader that must not see a push half-way uses it before
        and after its read."""
        waiting = False
        while True:
            rows = self.run(
                f"MATCH (m:{META_LABEL} {{id: $marker}}) "
                "RETURN m.state AS state, m.started AS started, m.finished AS finished, "
                "m.expected AS expected, m.holder AS holder, "
                "coalesce(m.state = 'in-progress' AND m.heartbeat > timestamp() - $lease * 1000, false) AS live",
                {"marker": PUSH_MARKER_ID, "lease": LEASE_SECONDS},
            )
            if not rows:
                return None
            row = rows[0]
            if not row["live"] or _died_here(row["holder"]):
                return _push_state(row)
            waiting = self._wait_for_push(row["holder"], row["started"], deadline, waiting)

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
