"""The output commands: ``map``, ``export`` and ``report``.

Each parses its options, calls one method of the entry object (:class:`mapper.api.Mapping`) and
says on stderr what it wrote. ``mapper/cli/main.py`` adds them to the app with :func:`register`. Library modules are
imported inside the commands so ``igfmap --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from exports.registry import format_names
from mapper.cli.common import (
    AsOfOption,
    ForceOption,
    handles_errors,
    options,
    parse_date,
)

if TYPE_CHECKING:
    from mapper.api import DrawingOptions

FocusOption = Annotated[
    str | None, typer.Option("--focus", help="Only this entity (id, name or alias) and its neighbourhood.")
]
DepthOption = Annotated[int, typer.Option("--depth", help="With --focus: how many hops around it.", min=0)]
TypeOption = Annotated[
    list[str] | None,
    typer.Option("--type", help="Only entities of this type or category (repeat for several)."),
]
ObjectiveOption = Annotated[
    str | None,
    typer.Option(
        "--objective", help="Only this objective, what addresses it, and the actors engaged on that."
    ),
]
SeedOption = Annotated[int, typer.Option("--seed", help="Layout seed: same data and seed, same bytes.")]
TitleOption = Annotated[str | None, typer.Option("--title", help="Title shown on the page or figure.")]
ViewOption = Annotated[
    str,
    typer.Option(
        "--view",
        help="network: every entity and relation; engagement: actors → activities → objectives, gaps marked; "
        "matrix: actors × activities as a table (sortable, filterable).",
    ),
]
GapsOption = Annotated[
    bool,
    typer.Option("--highlight-gaps", help="Outline entities named by gap findings (rule named in the card)."),
]
EcosystemOption = Annotated[
    str | None,
    typer.Option(
        "--ecosystem",
        help="Root of the ecosystem the gap rules use [default: igf; without it, the rules that "
        "need a root are left out and the candidate roots named].",
    ),
]


def map_command(
    ctx: typer.Context,
    out: Annotated[str, typer.Option("--out", "-o", help="HTML file to write.")] = "igfmap-map.html",
    view: ViewOption = "network",
    focus: FocusOption = None,
    depth: DepthOption = 1,
    types: TypeOption = None,
    objective: ObjectiveOption = None,
    highlight_gaps: GapsOption = False,
    ecosystem: EcosystemOption = None,
    as_of: AsOfOption = None,
    seed: SeedOption = 42,
    title: TitleOption = None,
    force: ForceOption = False,
) -> None:
    """Write the interactive HTML map: one self-contained file that works offline.

    Search, filters by type, relation, status and date, a card with sources on click, a
    neighbourhood lit on click; the view's state is kept in the URL fragment. An existing file
    is replaced only when it is an earlier igfmap map (or with --force).

    Example: igfmap map --view engagement --out igf.html --highlight-gaps --as-of 2025-06-30
    """
    from mapper.bulk import gc_paused
    from mapper.outputs import output_path

    cli = options(ctx)
    day = parse_date(as_of)
    # As for the report: the imports, the store and the page's objects live until the process
    # exits: on the seed the collector ran 58 times among them (15-20 ms) and found next to nothing.
    with gc_paused(), output_path(out, "map", force, protected=cli.protected_paths()) as target:
        page = cli.open().map(
            view=view,
            focus=focus,
            depth=depth,
            types=types or (),
            objective=objective,
            highlight_gaps=highlight_gaps,
            ecosystem=ecosystem,
            as_of=day,
            seed=seed,
            title=title,
        )
        result = page.write(target)
    gaps = f", {result.gaps} marked as gaps" if result.gaps else ""
    gaps += f", {result.findings} gap findings outlined" if highlight_gaps else ""
    # A big selection is cut to the best-connected entities (exports.view.busiest): say so.
    left = f"; {result.omitted:,} less connected entities left out" if result.omitted else ""
    cli.note(
        f"wrote {result.path}: {result.nodes} entities, {result.edges} relations{gaps} ({result.bytes:,} bytes){left}"
    )


def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=f"{', '.join(format_names()[:-1])} or {format_names()[-1]}."),
    ],
    out: Annotated[
        str,
        typer.Option("--out", "-o", help="File to write (a directory for csv); - writes to standard output."),
    ],
    view: Annotated[
        str,
        typer.Option(
            "--view",
            help="png/svg/pdf: network or engagement (actors → activities → objectives); "
            "matrix (actors × activities): png/svg/pdf, csv, xlsx or json.",
        ),
    ] = "network",
    focus: FocusOption = None,
    depth: DepthOption = 1,
    types: TypeOption = None,
    objective: ObjectiveOption = None,
    as_of: AsOfOption = None,
    seed: SeedOption = 42,
    title: TitleOption = None,
    highlight_gaps: Annotated[
        bool, typer.Option("--highlight-gaps", help="png/svg/pdf: outline entities named by gap findings.")
    ] = False,
    ecosystem: EcosystemOption = None,
    force: ForceOption = False,
) -> None:
    """Export the graph for other tools and for reports.

    Graph formats keep every attribute (lists joined with |; see docs/maps.md). --view matrix
    writes the engagement matrix: a table (csv, xlsx, json) or A4 landscape pages (png, svg, pdf).
    An existing file (or csv folder) is replaced only when igfmap wrote it as this format (or
    with --force).

    Example: igfmap export --format graphml --out igf.graphml
    Example: igfmap export --format json --out - | jq '.nodes | length'
    """
    cli = options(ctx)
    drawing: DrawingOptions = {
        "view": view,
        "focus": focus,
        "depth": depth,
        "types": types or (),
        "objective": objective,
        "highlight_gaps": highlight_gaps,
        "ecosystem": ecosystem,
        "as_of": parse_date(as_of),
        "seed": seed,
        "title": title,
    }
    mapping = cli.open()
    if out == "-":
        stdout = sys.stdout.buffer
        result = mapping.export_stream(fmt, stdout, to_terminal=stdout.isatty(), **drawing).value
    else:
        result = mapping.export(fmt, out, force=force, protected=cli.protected_paths(), **drawing).value
    files = result.files
    where = files[0] if len(files) == 1 else f"{Path(out)}/ ({', '.join(Path(f).name for f in files)})"
    counts = f"{result.nodes} entities, {result.edges} relations"
    if "actors" in result.extra:  # a matrix: its rows, columns and filled cells
        extra = result.extra
        counts = (
            f"{extra['actors']} actors × {extra['activities']} activities, {extra['engagements']} engagements"
        )
    cli.note(f"wrote {where}: {fmt}, {counts} ({result.bytes:,} bytes)")


def report_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write the bundle into.")],
    title: TitleOption = None,
    as_of: AsOfOption = None,
    seed: SeedOption = 42,
    ecosystem: EcosystemOption = None,
    force: ForceOption = False,
) -> None:
    """Write the report bundle: report.md, self-contained report.html, map.html, figures/, tables/.

    Sections: summary, map, objective coverage, engagement matrix, gap findings with evidence,
    sources cited. Pass --as-of for a reproducible report (stale-claim otherwise uses today).

    The bundle is built beside --out and swapped in whole; an existing folder is replaced only
    when it is an earlier, unchanged igfmap report (or with --force, which replaces the folder).

    Example: igfmap report --out report/ --title "IGF mapping, round 1" --as-of 2025-06-30
    """
    from mapper.bulk import gc_paused

    cli = options(ctx)
    # The imports, the store and the gap findings as well as the drawing (see build_report):
    # objects that live until the process exits, and figures that die together.
    with gc_paused():
        result = (
            cli.open()
            .report(
                out,
                title=title,
                ecosystem=ecosystem,
                as_of=parse_date(as_of),
                seed=seed,
                force=force,
                protected=cli.protected_paths(),
            )
            .value
        )
    cli.note(
        f"wrote {out}/: {len(result.files)} files; {result.entities} entities, "
        f"{result.relations} relations, {result.findings} gap findings"
    )


COMMANDS: dict[str, Callable[..., None]] = {
    "map": map_command,
    "export": export_command,
    "report": report_command,
}


def register(app: typer.Typer) -> None:
    """Add ``map``, ``export`` and ``report`` to ``app``."""
    for name, func in COMMANDS.items():
        app.command(name)(handles_errors(func))
