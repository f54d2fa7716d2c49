"""A user's own Cypher (``igfmap cypher``): read-only unless ``--write``, refused when it would
reach outside the database (files, URLs, procedures that write or administer the server)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mapper.errors import BackendError, IgfmapError
from mapper.neo4j.connection import Connection, _failure, plain


class UserQueries(Connection):
    """Running a user's query, and refusing one that reaches outside without ``--write``."""

    def run_user_query(
        self, query: str, params: dict[str, Any], write: bool = False
    ) -> tuple[list[str], list[dict[str, Any]]]:
        """Run a user's query in a read (default) or write transaction; (keys, records).

        Without ``write`` the query is first checked with :meth:`refuse_outside_reach` (no
        files, URLs or procedures that write or act on the server), then run in a read
        transaction, which Neo4j itself keeps from writing.
        """
        from neo4j.exceptions import ClientError, CypherSyntaxError, DriverError, ServiceUnavailable

        def work(tx: Any) -> tuple[list[str], list[dict[str, Any]]]:
            result = tx.run(query, params)
            keys = list(result.keys())
            return keys, [{k: plain(v) for k, v in r.items()} for r in result]

        def attempt() -> tuple[list[str], list[dict[str, Any]]]:
            with self.driver.session(database=self.database) as session:
                run = session.execute_write if write else session.execute_read
                keys, records = run(work)
                return keys, records

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
        from neo4j.exceptions import ClientError

        lead = _LEADING_KEYWORD.match(query)
        keyword = lead.group(1).upper() if lead else ""
        if keyword == "EXPLAIN":
            return []  # only plans: nothing runs
        # PROFILE runs the query: plan what follows it instead.
        plannable = query[lead.end() :] if lead and keyword == "PROFILE" else query

        def plan(tx: Any) -> tuple[Any, str]:
            summary = tx.run("EXPLAIN " + plannable, params).consume()
            return summary.plan, summary.query_type or ""

        def attempt() -> tuple[Any, str]:
            with self.driver.session(database=self.database) as session:
                return session.execute_read(plan)

        try:
            tree, query_type = self._retrying(attempt)
        except ClientError:
            # Some statements cannot be planned here (SHOW SERVERS, STOP DATABASE ... on a
            # user database, a syntax error): their kind, read from the text, decides.
            kind = _statement_kind(plannable)
            return [f"administers the server ({kind})"] if kind else []
        refusals = _operator_refusals(tree, plannable)
        refusals += self._procedure_refusals(_called_procedures(tree))
        if query_type == "s" and not refusals:  # Neo4j's "schema write": indexes, constraints...
            refusals.append("changes the schema or administers the server")
        return refusals

    def _procedure_refusals(self, procedures: set[str]) -> list[str]:
        """Procedures not in ``READ`` mode, or that administer the server whatever their mode."""
        if not procedures:
            return []
        modes = {
            row["name"]: row["mode"]
            for row in self.run(
                "SHOW PROCEDURES YIELD name, mode WHERE name IN $names RETURN name, mode",
                {"names": sorted(procedures)},
            )
        }
        refusals: list[str] = []
        for procedure in sorted(procedures):
            mode = modes.get(procedure, "unknown")
            if procedure.lower().startswith(_ADMIN_PROCEDURES) or mode != "READ":
                refusals.append(f"calls {procedure} (mode {mode})")
        return refusals


#: Procedures refused whatever their declared mode: server administration (``dbms.*``), APOC
#: (its read procedures read files and URLs), and ``READ``-mode ones that act on the whole
#: server: the query statistics collector (``db.stats.*``, which records every session's
#: queries) and the planner's caches and index samples.
_ADMIN_PROCEDURES = (
    "dbms.",
    "apoc.",
    "db.stats.",
    "db.resample",
    "db.prepareforreplanning",
    "db.clearquerycaches",
)

#: Plan operators of ``SHOW`` commands that only describe this database's own schema and code;
#: every other ``Show*`` operator (transactions, settings, servers...), every ``Terminate*`` and
#: every administration command needs ``--write``.
_SCHEMA_LISTINGS = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})


def _operator_refusals(tree: Any, query: str) -> list[str]:
    """What the plan's operators show: files and URLs read, the server administered."""
    refusals: list[str] = []
    for operator in _operators(tree):
        name = operator.get("operatorType", "").split("@", 1)[0]
        if name == "LoadCSV":
            refusals.append("reads a file or URL with LOAD CSV")
        elif name.startswith(("Show", "Terminate")) and name not in _SCHEMA_LISTINGS:
            refusals.append(f"administers the server ({_spaced(name)})")
        elif name == "AdministrationCommand":
            refusals.append(
                f"administers the server ({_statement_kind(query) or 'an administration command'})"
            )
    return refusals


def _called_procedures(tree: Any) -> set[str]:
    """The names of the procedures the plan calls."""
    procedures: set[str] = set()
    for operator in _operators(tree):
        if operator.get("operatorType", "").split("@", 1)[0] == "ProcedureCall":
            details = str(operator.get("args", {}).get("Details", ""))
            called = re.match(r"\s*([A-Za-z_][\w.]*)\s*\(", details)
            procedures.add(called.group(1) if called else details)
    return procedures


def _spaced(operator: str) -> str:
    """``ShowTransactions`` -> ``SHOW TRANSACTIONS``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", operator).upper()


#: The first words of statements that administer the server (Cypher's administration and
#: transaction commands), for what ``EXPLAIN`` cannot plan on this database.
_ADMIN_STATEMENT = re.compile(
    r"(SHOW|TERMINATE|GRANT|DENY|REVOKE|START|STOP|ENABLE|DEALLOCATE|REALLOCATE|RENAME|DRYRUN"
    r"|(?:CREATE|DROP|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:USER|ROLE|(?:COMPOSITE\s+)?DATABASE|ALIAS|SERVER))\b",
    re.I,
)


def _statement_kind(query: str) -> str:
    """``SHOW SERVERS`` for a statement that administers the server, else ``""``."""
    code = _strip_comments(query).replace("`", "").strip()
    code = re.sub(r"^USE\s+\S+\s+", "", code, flags=re.I)  # USE system SHOW ...
    if not _ADMIN_STATEMENT.match(code):
        return ""
    return " ".join(code.split()[:2]).upper()


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
