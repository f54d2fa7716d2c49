"""CLI commands of mapping rounds: ``intake`` and ``round status`` (registered by mapper.cli);
``template --for`` is an option of the ``template`` command. The logic is in :mod:`mapper.rounds`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mapper.cli.common import ForceOption, FormatOption, GlobalOptions, emit, handles_errors, options
from mapper.errors import UsageError

if TYPE_CHECKING:
    from mapper.rounds import IntakeResult

round_app = typer.Typer(
    name="round",
    help="Mapping rounds: what was sent, returned and decided (see docs/rounds.md).\n\n"
    "Example: igfmap round status gdc-2025",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    """Add ``intake`` and ``round status`` to ``app``."""
    app.command()(handles_errors(intake))
    round_app.command("status")(handles_errors(status))
    app.add_typer(round_app)


def intake(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None, typer.Argument(help="Returned templates: XLSX, CSV folders, YAML or JSON files.")
    ] = None,
    round_name: Annotated[str | None, typer.Option("--round", help="The round the returns answer.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the review workbook (.xlsx) with a decision column.")
    ] = None,
    apply: Annotated[
        Path | None, typer.Option("--apply", help="Apply the decisions of a review workbook (or JSON).")
    ] = None,
    fmt: FormatOption = "table",
    force: ForceOption = False,
) -> None:
    """Classify returned templates against the store, or apply a curator's decisions.

    Each file is validated on its own (a bad one is reported as FILE:LINE, the others go on);
    every row becomes a proposal: duplicate, conflict, confirmation, new or invalid. --apply
    writes the decided ones in one atomic write, each citing its return; undecided rows are
    listed, not applied; applying twice changes nothing.

    Example: igfmap intake returns/*.xlsx --round gdc-2025 --out review.xlsx
    Example: igfmap intake --apply review.xlsx
    """
    cli = options(ctx)
    if apply is not None:
        if files or round_name or out:
            raise UsageError("--apply REVIEW takes no FILES, --round or --out: the review says its round")
        _apply(cli, apply, fmt)
        return
    if not files or not round_name:
        raise UsageError("give the returned FILES and --round NAME (or --apply REVIEW)")
    from mapper.rounds import intake as take_in

    if out is not None:  # refused before anything is taken in (and recorded)
        _check_review_out(cli, out, force, files)
    result = take_in(cli.open_backend(), files, round_name)
    if out is not None:
        _write_review(cli, out, result, force, files)
    emit(result, fmt)
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items())
    cli.note(f"{len(result.files)} file(s), {len(result.proposals)} proposal(s): {counts}")


def _apply(cli: GlobalOptions, review: Path, fmt: str) -> None:
    from mapper.rounds import apply_review

    result = apply_review(cli.open_backend(), review)
    emit(result, fmt)
    counts = result.counts()
    cli.note(
        f"{counts['applied']} applied, {counts['rejected']} rejected, {counts['undecided']} undecided"
        + ("" if result.changed else "; the store was already up to date: nothing written")
    )


def _check_review_out(cli: GlobalOptions, out: Path, force: bool, files: list[Path]) -> None:
    from mapper.outputs import check_output

    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {out}: the review is a workbook; name it .xlsx (e.g. review.xlsx)")
    check_output(out, "review", force, protected=cli.protected_paths(*files))


def _write_review(
    cli: GlobalOptions, out: Path, result: IntakeResult, force: bool, files: list[Path]
) -> None:
    from mapper.outputs import atomic_write_bytes, output_path
    from mapper.rounds import review_bytes

    with output_path(out, "review", force, protected=cli.protected_paths(*files)) as target:
        atomic_write_bytes(target, review_bytes(result))
    cli.note(f"wrote {out}: fill the decision column, then `igfmap intake --apply {out}`")


def status(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The round's name.")],
    fmt: FormatOption = "table",
) -> None:
    """Who was sent a template, who returned it and who did not, open proposals, what changed.

    Example: igfmap round status gdc-2025
    """
    from mapper.rounds import round_status

    cli = options(ctx)
    result = round_status(cli.open_backend(), name)
    emit(result, fmt)
    summary = result.summary()
    cli.note(
        f"round {name}: {summary['sent']} sent, {summary['returned']} returned, "
        f"{summary['not_returned']} not returned, {summary['open_proposals']} open proposal(s)"
    )
    if result.changes is not None:
        parts = [
            f"{s}: " + ", ".join(f"{n} {k}" for k, n in c.items())
            for s, c in result.changes["summary"].items()
        ]
        cli.note("changed since the round's first apply: " + "; ".join(parts))
    else:
        cli.note("nothing applied yet")
