"""Connecting to Neo4j and running Cypher: credentials, timeouts, bounded retries, plain values."""

from __future__ import annotations

import getpass
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

from mapper.errors import BackendError

if TYPE_CHECKING:
    from neo4j import Driver
    from typing_extensions import Self

T = TypeVar("T")

#: Seconds to open a TCP connection, and to get a working one (Bolt handshake included; the
#: driver's default of 60 s would let a host that accepts but never answers hang us a minute).
CONNECTION_TIMEOUT = 10.0
ACQUISITION_TIMEOUT = 15.0
#: Bounded retries of transient failures (lost connection, deadlock): the pauses before the
#: 2nd and 3rd attempts. The driver's own retry loop (up to 30 s, logged) is switched off so
#: that this one, which says what it does, is the only one.
RETRY_DELAYS = (1.0, 2.0)
#: Seconds a read from (or write to) the server may wait for its next bytes before the
#: connection counts as stalled (the CLI's ``--neo4j-timeout``). Without it a frozen network
#: holds a command until the server's own keep-alive hint (2 min per attempt) or TCP gives up.
STALL_TIMEOUT = 30.0
_stall_timeout = STALL_TIMEOUT


class StalledError(BackendError):
    """The server sent nothing for the stall timeout, mid-command (exit 3; not retried)."""


def set_stall_timeout(seconds: float) -> None:
    """How long a read from (or write to) Neo4j may wait for progress (``--neo4j-timeout``)."""
    global _stall_timeout
    _stall_timeout = seconds


def _bound_stalled_io() -> None:
    """Make every read and write on a Neo4j connection of this process give up after the
    stall timeout without progress (also when the server hints at a longer keep-alive).

    The driver has no option for it (only for connecting and acquiring a connection), so its
    socket wrapper's one I/O method is wrapped, once; a changed driver fails the stall test.
    """
    from neo4j._async_compat.network import BoltSocketBase  # private: see above

    original = BoltSocketBase._wait_for_io
    if getattr(original, "_igfmap", False):
        return

    def bounded(self: Any, name: str, timeout: float | None, *args: Any, **kwargs: Any) -> Any:
        if timeout is None or timeout > _stall_timeout:
            timeout = _stall_timeout
        return original(self, name, timeout, *args, **kwargs)

    bounded._igfmap = True  # type: ignore[attr-defined]
    BoltSocketBase._wait_for_io = bounded  # type: ignore[method-assign]


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """``bolt://user:secret@host:7687`` -> ``("bolt://host:7687", "user", "secret")``.

    The driver refuses credentials inside a URI (and its error would echo them), so they are
    taken out before the URI is used or shown anywhere. Percent-escapes are decoded. A URL
    parser would end the password at its first unescaped ``/``, ``?`` or ``#`` and leave the
    rest in the URI; here the credentials end at the last ``@`` followed by a host name (before
    any ``?password=``-like parameter, whose value may hold an ``@`` too). A fragment
    (``#...``), meaningless to Bolt, is dropped.
    """
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri.partition("#")[0], None, None
    in_query = _QUERY_CREDENTIAL.search(rest)
    at = _credentials_end(rest[: in_query.start()] if in_query else rest)
    if at < 0:
        return f"{scheme}://{rest.partition('#')[0]}", None, None
    name, colon, secret = rest[:at].partition(":")
    host = rest[at + 1 :].partition("#")[0]
    return f"{scheme}://{host}", unquote(name) or None, unquote(secret) if colon else None


#: A query-string parameter that would carry credentials (``bolt://host?password=...``): its
#: value is never shown, and the URI is refused (the driver would pass it to the server as
#: routing context, and quote it in its errors).
_QUERY_CREDENTIAL = re.compile(r"[?&]([^=&#]*(?:pass|pwd|secret|token|auth|credential)[^=&#]*)=", re.I)

#: What follows the credentials' ``@``: a host name or address, then a port, path or query.
_HOST_AFTER = re.compile(r"[\w.\-\[\]:]+(?:[/?#]|$)")


def _credentials_end(text: str) -> int:
    """Where the credentials of ``text`` (a URI after ``scheme://``) end: its last ``@``
    followed by a host, else its last ``@``; -1 without one."""
    at = text.rfind("@")
    while at >= 0 and not _HOST_AFTER.match(text, at + 1):
        at = text.rfind("@", 0, at)
    return at if at >= 0 else text.rfind("@")


def shown_uri(uri: str) -> str:
    """The URI as messages show it: without credentials or fragment, and with ``***`` for the
    value of any credential-like query parameter."""
    clean, _, _ = split_credentials(uri)
    return re.sub(f"({_QUERY_CREDENTIAL.pattern})[^&#]*", r"\1***", clean, flags=re.I)


#: The name of the handler :func:`configure_driver_logging` puts on the driver's logger.
_LOG_HANDLER_NAME = "igfmap"


def configure_driver_logging(debug: bool) -> None:
    """Keep the driver's log lines (retries, server notifications that quote the query text)
    off stderr, unless ``debug``: then its warnings are shown.

    Without a handler of its own, the ``neo4j`` logger's warnings reach Python's last-resort
    handler, which prints them on stderr.
    """
    logger = logging.getLogger("neo4j")
    for old in list(logger.handlers):
        if old.get_name() == _LOG_HANDLER_NAME:
            logger.removeHandler(old)
    handler: logging.Handler
    if debug:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("neo4j driver: %(levelname)s %(message)s"))
        handler.setLevel(logging.WARNING)
    else:
        handler = logging.NullHandler()
    handler.set_name(_LOG_HANDLER_NAME)  # ours, so a second call replaces it
    logger.addHandler(handler)
    logger.propagate = False


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


class Connection:
    """A connection to one Neo4j database: what every part of the store builds on."""

    def __init__(self, driver: Driver, uri: str, database: str, user: str) -> None:
        self.driver = driver
        self.uri = uri  # never carries credentials (see split_credentials)
        self.database = database
        self.user = user
        self.path: Path | None = None  # a server, not a file (the Store protocol asks)
        self.from_seed = False
        #: Called with one line each time a transient failure is retried (the CLI prints it).
        self.on_retry: Callable[[str], None] = lambda message: None

    @classmethod
    def connect(
        cls,
        uri: str,
        database: str | None = None,
        user: str | None = None,
        password: str | None = None,
        prompt: bool = True,
    ) -> Self:
        """Connect and check the database answers; errors are :class:`BackendError` (exit 3).

        Credentials: arguments, else those inside the URI (``bolt://user:secret@host``), else
        ``NEO4J_USERNAME``/``NEO4J_PASSWORD``, else (on a terminal, when the server asks for
        them) a hidden prompt. The password is never printed; the URI is shown without them.
        """
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable

        _bound_stalled_io()
        shown = shown_uri(uri)
        uri, uri_user, uri_password = split_credentials(uri)
        if _QUERY_CREDENTIAL.search(uri):
            raise BackendError(
                f"cannot use the Neo4j URI {shown}: credentials go before the host "
                "(bolt://user:password@host) or in NEO4J_USERNAME/NEO4J_PASSWORD, not in its query string"
            )
        user = user or uri_user or os.environ.get("NEO4J_USERNAME", "neo4j")
        if password is None:
            password = uri_password if uri_password is not None else os.environ.get("NEO4J_PASSWORD")
        database = database or "neo4j"
        attempts: list[str | None] = [password]
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

    def __enter__(self) -> Self:
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
            return [
                {k: plain(v) for k, v in zip(record.keys(), record.values(), strict=True)}
                for record in records
            ]

        return self._retrying(attempt)

    def _retrying(self, work: Callable[[], T]) -> T:
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
                if _stalled(err):  # another attempt would stall the same way: say so at once
                    raise StalledError(
                        f"Neo4j at {self.uri} sent nothing for {_stall_timeout:g} s (a stalled network "
                        "or server); gave up (raise --neo4j-timeout for queries that think longer)"
                    ) from None
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
    from neo4j.exceptions import Neo4jError

    # A server error's own message; the driver's errors (ConfigurationError...) carry a GQL
    # placeholder there ("50N42: Unexpected error..."), their text is in str(err).
    message = err.message if isinstance(err, Neo4jError) else None
    if isinstance(message, str) and message:
        text = message
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return type(err).__name__
    # "Couldn't connect to HOST (resolved to ...):" is a header; the reason follows it.
    return lines[-1] if lines[0].endswith(":") and len(lines) > 1 else lines[0]


def _stalled(err: BaseException) -> bool:
    """Whether a driver error comes from a socket that waited out the stall timeout."""
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, TimeoutError) and "handshake" not in str(err).lower():
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _failure(err: Exception) -> str:
    """What a retryable error means, for the retry note and the final error line."""
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    if isinstance(err, (ServiceUnavailable, SessionExpired)):
        return f"connection lost ({_reason(err)})"
    return f"transient error ({_reason(err)})"


def _scrub(text: str, secret: str | None) -> str:
    # Only in text that came from the driver or server (never the URI we built): a very short
    # secret would otherwise mangle ordinary words.
    return text.replace(secret, "***") if secret and len(secret) >= 4 else text
