"""CLI commands for the Neo4j backend: ``push``, ``pull`` and ``cypher`` (registered by mapper.cli)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from mapper.cli.common import FormatOption, emit, handles_errors, options
from mapper.errors import UsageError
from mapper.output import TableResult
from mapper.progress import bar


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``k=v`` pairs; values are JSON when they parse as JSON (numbers, lists), else text."""
    params: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"--param wants key=value, not {pair!r}")
        key, value = pair.split("=", 1)
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def register(app: typer.Typer) -> None:
    """Add push, pull and cypher to ``app``."""

    @app.command()
    @handles_errors
    def push(
        ctx: typer.Context,
        wipe: Annotated[
            bool, typer.Option("--wipe", help="Delete everything in the database first.")
        ] = False,
        fmt: FormatOption = "table",
    ) -> None:
        """Copy the embedded store to Neo4j (idempotent upsert; --wipe to start empty).

        Example: igfmap --neo4j bolt://127.0.0.1:7687 push --wipe
        """
        from mapper.store import open_store

        cli = options(ctx)
        store = open_store(cli.store)
        if store.from_seed:
            cli.note(f"note: no store at {store.path}; pushing the bundled seed dataset")
        dataset = store.dataset
        with cli.connect_neo4j(completing=True) as neo4j:
            total = sum(dataset.counts().values())
            with bar(total, "push") as step:
                counts = neo4j.write_dataset(dataset, wipe=wipe, progress=step)
            rows = [{"section": k, "count": v} for k, v in counts.items()]
            emit(TableResult(["section", "count"], rows, {"target": neo4j.describe(), "counts": counts}), fmt)

    @app.command()
    @handles_errors
    def pull(ctx: typer.Context, fmt: FormatOption = "table") -> None:
        """Copy the Neo4j database to the embedded store file (replacing it, atomically).

        A push still running is waited for (up to --lock-timeout); after an interrupted push,
        whose data is incomplete, nothing is pulled or written.

        Example: igfmap --neo4j bolt://127.0.0.1:7687 --store round2.json pull
        """
        from mapper.store import write_store_file

        cli = options(ctx)
        path = cli.store_path
        with cli.connect_neo4j(pulling=True) as neo4j:
            dataset = neo4j.read_complete_dataset()
        write_store_file(path, dataset)
        counts = dataset.counts()
        rows = [{"section": k, "count": v} for k, v in counts.items()]
        emit(TableResult(["section", "count"], rows, {"store": str(path), "counts": counts}), fmt)

    @app.command()
    @handles_errors
    def cypher(
        ctx: typer.Context,
        query: Annotated[str, typer.Argument(help="A Cypher query; pass values with --param.")],
        param: Annotated[
            list[str] | None, typer.Option("--param", "-p", help="A query parameter key=value (repeatable).")
        ] = None,
        write: Annotated[bool, typer.Option("--write", help="Allow the query to change data.")] = False,
        fmt: FormatOption = "table",
    ) -> None:
        """Run Cypher on Neo4j, in a read-only transaction unless --write.

        Example: igfmap --neo4j bolt://127.0.0.1:7687 cypher 'MATCH (n:DynamicCoalition) RETURN n.name AS name' -f csv
        """
        params = parse_params(param or [])
        with options(ctx).connect_neo4j() as neo4j:
            keys, records = neo4j.run_user_query(query, params, write=write)
        emit(TableResult(keys, records), fmt)
