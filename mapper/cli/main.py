"""The ``igfmap`` command line: a thin layer over the library.

Each command parses its options, calls one library function and formats the result. Query,
export and Neo4j commands live in ``mapper.cli.queries``, ``.exports`` and ``.neo4j`` and are
registered on the same app below.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Literal

import typer

import mapper.cli.exports as cli_exports
import mapper.cli.neo4j as cli_neo4j
import mapper.cli.queries as cli_queries
import mapper.cli.rounds as cli_rounds
from mapper import __version__
from mapper.cli.common import (
    ForceOption,
    FormatOption,
    GlobalOptions,
    describe_store,
    emit,
    handles_errors,
    options,
    say,
)
from mapper.errors import DataError, UsageError
from mapper.output import TableResult
from mapper.progress import set_enabled as set_progress

app = typer.Typer(
    name="igfmap",
    help="Map who engages on which Internet governance / GDC implementation activity, and the gaps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _finite_seconds(value: float) -> float:
    """A number of seconds: ``nan`` and ``inf`` pass click's range check (``nan < 0`` is
    false), so they are refused here, at parse time, as a usage error."""
    if not math.isfinite(value):
        raise typer.BadParameter(f"must be a finite number of seconds, not {value!r}")
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"igfmap {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            show_default=False,
            help="Store file [default: $IGFMAP_STORE, else ./igfmap-store.json].",
        ),
    ] = None,
    neo4j: Annotated[
        str | None,
        typer.Option(
            "--neo4j",
            help="Use a Neo4j server (bolt://, neo4j://, +s, +ssc) [default: $IGFMAP_NEO4J_URI]. "
            "Credentials: NEO4J_USERNAME/NEO4J_PASSWORD or a prompt.",
        ),
    ] = None,
    neo4j_database: Annotated[
        str | None,
        typer.Option(
            "--neo4j-database", help="Neo4j database name [default: $IGFMAP_NEO4J_DATABASE, else neo4j]."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No notes or progress on stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    limit: Annotated[
        list[str] | None,
        typer.Option(
            "--limit",
            metavar="NAME=VALUE",
            help="Change an input limit (repeatable): file-mb, xlsx-mb, xlsx-text-mb, rows, depth, aliases, cell-kb. See docs/limits.md.",
        ),
    ] = None,
    lock_timeout: Annotated[
        float,
        typer.Option(
            "--lock-timeout",
            envvar="IGFMAP_LOCK_TIMEOUT",
            min=0,
            callback=_finite_seconds,
            help="Seconds a writer waits for the store's lock, or for another igfmap's push into the Neo4j database, before giving up.",
        ),
    ] = 60.0,
    neo4j_timeout: Annotated[
        float,
        typer.Option(
            "--neo4j-timeout",
            envvar="IGFMAP_NEO4J_TIMEOUT",
            min=1,
            help="Seconds a Neo4j read or write may wait for the server's next bytes before the command gives up (exit 3).",
        ),
    ] = 30.0,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Map who engages on which Internet governance / GDC implementation activity, and the gaps.

    With no store file, read-only commands use the bundled seed dataset.
    """
    from mapper.api import neo4j_from_env

    env_uri, env_database = neo4j_from_env()  # the API's open() reads the same
    ctx.obj = GlobalOptions(
        store=store,
        neo4j_uri=neo4j or env_uri,
        neo4j_database=neo4j_database or env_database,
        quiet=quiet,
        debug=debug,
        lock_timeout=lock_timeout,
        neo4j_timeout=neo4j_timeout,
    )
    _apply_process_settings(quiet, limit or [], lock_timeout)


def _apply_process_settings(quiet: bool, limits: list[str], lock_timeout: float) -> None:
    """What the library reads for the whole process: progress bars, input limits, the lock wait."""
    from mapper.readers import ReadLimits, set_read_limits
    from mapper.store import set_lock_timeout

    set_progress(not quiet)
    try:
        set_read_limits(ReadLimits().with_options(limits))
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--limit") from None
    set_lock_timeout(lock_timeout)


@app.command()
@handles_errors
def init(
    ctx: typer.Context,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing store (and what was loaded into it).")
    ] = False,
) -> None:
    """Write the store from the bundled seed dataset; an existing store is kept unless --force.

    Example: igfmap --store mydata.json init
    """
    from mapper.store import init_store

    cli = options(ctx)
    path = cli.store_path
    dataset = init_store(path, force=force)
    counts = dataset.counts()
    cli.note(
        f"wrote {path}: {counts['entities']} entities, {counts['relations']} relations, {counts['sources']} sources"
    )


@app.command()
@handles_errors
def load(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Dataset files or directories (YAML, JSON, CSV, XLSX).")
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the store's content instead of merging.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Validate, then merge (upsert by id) or replace, in one atomic write.

    Example: igfmap load new_round/ --dry-run
    """
    cli = options(ctx)
    try:
        if cli.neo4j_uri:
            report = cli.open_backend().load_files(paths, replace=replace, dry_run=dry_run)
        else:
            from mapper.store import load_files

            report = load_files(paths, cli.store, replace=replace, dry_run=dry_run)
    except DataError as err:
        if not _missing_reference(err):
            raise
        # Say where the references were looked for, and how to point elsewhere (issue 11).
        hinted = DataError(err.issues)
        hinted.args = (f"{err}{_reference_hint(cli, replace)}",)
        raise hinted from None
    emit(report, fmt)
    if dry_run:
        cli.note("dry run: nothing written")


@app.command()
@handles_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Dataset files or directories (none: the store file itself)."),
    ] = None,
    against_store: Annotated[
        bool,
        typer.Option(
            "--against-store/--no-against-store",
            help="Let relations refer to entities and sources of the store in use (the bundled seed "
            "when there is no store file), or check the files on their own.",
        ),
    ] = True,
    fmt: FormatOption = "table",
) -> None:
    """Validate dataset files only; every problem is listed as FILE:LINE[:COLUMN]: field: message.

    References (relation ends, source ids) may point into the store in use, as for `load`. With
    no PATH, validate the store file itself (reads trust it while its index is current).

    Example: igfmap --store mydata.json validate collect/
    """
    from mapper.validation import read_dataset

    cli = options(ctx)
    existing = None
    where = "the files alone (--no-against-store)"
    if not paths:
        store_file = cli.store_path
        if not store_file.exists():
            # Nothing to default to: as a missing argument, a usage error.
            raise UsageError(f"give dataset files to validate (no store file at {store_file})")
        paths = [store_file]
    elif against_store:
        backend = cli.open_backend()
        existing = backend.snapshot().dataset
        where = describe_store(backend)
    try:
        dataset = read_dataset(paths, existing=existing)
    except DataError as err:
        for issue in err.issues:
            say(issue)
        cli.note(f"{len(err.issues)} problem(s) found")
        if _missing_reference(err):
            cli.note(
                f"references were checked against {where}; point at another store with "
                f"--store PATH or --neo4j URI{'' if against_store else ', or drop --no-against-store'}"
            )
        raise typer.Exit(1) from None
    counts = dataset.counts()
    rows = [{"section": k, "count": v} for k, v in counts.items()]
    emit(TableResult(["section", "count"], rows, {"valid": True, "counts": counts}), fmt)


def _missing_reference(err: Exception) -> bool:
    issues = getattr(err, "issues", [])
    return any("no entity with id" in i or "unknown source id" in i for i in issues)


def _reference_hint(cli: GlobalOptions, replace: bool) -> str:
    """Where a load looked for references, and how to point it elsewhere (one line's tail)."""
    if cli.neo4j_shown:
        return f" [references checked against Neo4j {cli.neo4j_shown}; --neo4j URI points at another]"
    path = cli.store_path
    if replace:
        return f" [--replace: references must be in the loaded files themselves, not in {path}]"
    if not path.exists():
        return (
            f" [no store at {path}: load starts it empty; run `igfmap --store {path} init` first to build "
            f"on the seed, or --store PATH for another store]"
        )
    return f" [references checked against store {path}; --store PATH points at another]"


@app.command()
@handles_errors
def template(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Argument(
            help="Output directory (csv) or .xlsx file; with --for, the folder for the templates."
        ),
    ],
    fmt: Annotated[
        Literal["csv", "xlsx"] | None,
        typer.Option(
            "--format", help="csv or xlsx [default: xlsx for a name ending .xlsx, else csv; xlsx with --for]."
        ),
    ] = None,
    contributors: Annotated[
        list[str] | None,
        typer.Option("--for", metavar="ID", help="Pre-fill one template per contributor (repeatable)."),
    ] = None,
    contributor_types: Annotated[
        list[str] | None,
        typer.Option("--for-type", metavar="TYPE", help="Pre-fill one per entity of this type, e.g. nri."),
    ] = None,
    round_name: Annotated[
        str | None, typer.Option("--round", help="The round's name, with --for [default: round-YYYY-MM-DD].")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Write blank data-collection files with headers and allowed values, or with --for a
    template per contributor pre-filled with what the mapping records of it (docs/rounds.md).

    A template you filled in is never replaced without --force.

    Example: igfmap template collect.xlsx
    Example: igfmap --store s.json template round1/ --for kenya-igf --for igf-germany --round gdc-2025
    """
    cli = options(ctx)
    if contributors or contributor_types:
        from datetime import date

        from mapper.rounds import write_round_templates

        name = round_name or f"round-{date.today().isoformat()}"
        result = write_round_templates(
            cli.open_backend(),
            out,
            name,
            contributors or [],
            contributor_types or [],
            fmt or "xlsx",
            force=force,
            protected=cli.protected_paths(),
        )
        for row in result.written:
            cli.note(f"wrote {row['file']}")
        cli.note(f"round {name}: {len(result.written)} template(s) sent; recorded in {result.ledger}")
        return
    if round_name:
        raise UsageError("--round names the round of pre-filled templates: give --for ID or --for-type TYPE")
    from mapper.writers import write_template

    for path in write_template(out, fmt, force=force, protected=cli.protected_paths()):
        cli.note(f"wrote {path}")


for _module in (cli_queries, cli_exports, cli_neo4j, cli_rounds):
    _module.register(app)


if __name__ == "__main__":
    app()
