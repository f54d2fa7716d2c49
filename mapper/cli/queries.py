"""The query commands: stats, search, show, who, what, matrix, path, brokers, timeline, gaps, diff.

Each command parses its options, calls one method of the entry object (:class:`mapper.api.Mapping`,
opened by :meth:`~mapper.cli.common.GlobalOptions.open`), and hands the result to
:func:`~mapper.cli.common.emit`. ``mapper/cli/main.py`` adds them to the app with
:func:`register`. Library modules are imported inside the commands so ``igfmap --help`` stays
fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from mapper.cli.common import (
    AsOfOption,
    FormatOption,
    emit,
    handles_errors,
    open_round_or_store,
    options,
    parse_date,
)
from mapper.errors import GapsFoundError

RoleOption = Annotated[
    list[str] | None,
    typer.Option("--role", help="Only these roles (repeat for several): lead, co-lead, convener, ..."),
]
StatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status", help="Only these statuses (repeat): active, planned, proposed, requested, concluded."
    ),
]
RelationOption = Annotated[
    list[str] | None,
    typer.Option(
        "--relation", help="Relation types to list (repeat; default ENGAGES_IN, CONTRIBUTES_TO, CONVENES)."
    ),
]
EcosystemOption = Annotated[
    str | None,
    typer.Option(
        "--ecosystem",
        help="Root of the ecosystem: it and everything PART_OF/MEMBER_OF it [default: igf; "
        "data without igf gets the candidate roots named].",
    ),
]


#: Findings per rule that ``gaps`` lists in a table unless ``--limit`` says otherwise.
GAPS_TABLE_LIMIT = 10

MinActorsOption = Annotated[
    int, typer.Option("--min-actors", help="objective-coverage: ecosystem actors an objective needs.")
]
MonthsOption = Annotated[
    int, typer.Option("--months", help="stale-claim: age in months after which evidence is stale.")
]


def stats(ctx: typer.Context, fmt: FormatOption = "table", as_of: AsOfOption = None) -> None:
    """Counts by entity type, category, relation type, status and source kind.

    Example: igfmap stats --format json
    """
    emit(options(ctx).open().stats(as_of=parse_date(as_of)), fmt)


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Text to find in ids, names and aliases.")],
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many matches.")] = None,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """Find entities by id, name or alias (exact, then prefix, then substring matches).

    Example: igfmap search "tech envoy" --as-of 2024-10-31
    """
    emit(options(ctx).open().search(text, limit=limit, as_of=parse_date(as_of)), fmt)


def show(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id (or a unique name or alias).")],
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """An entity, its relations both ways, and the sources they cite.

    Example: igfmap show dccg
    """
    emit(options(ctx).open().show(entity_id, as_of=parse_date(as_of)), fmt)


def who(
    ctx: typer.Context,
    entity_id: Annotated[
        str, typer.Argument(metavar="ID", help="Activity, process, event, document or objective.")
    ],
    role: RoleOption = None,
    status: StatusOption = None,
    deep: Annotated[
        bool, typer.Option("--deep", help="Also the entity's parts (PART_OF descendants).")
    ] = False,
    relation: RelationOption = None,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """Actors engaging on an activity, process, event or document (objectives: via ADDRESSES),
    with role, status and sources. Every status is listed unless --status narrows it.

    Example: igfmap who gdc-implementation --as-of 2025-02-01 --status active
    """
    found = (
        options(ctx)
        .open()
        .who(entity_id, role=role, status=status, deep=deep, relations=relation, as_of=parse_date(as_of))
    )
    emit(found, fmt)


def what(
    ctx: typer.Context,
    actor_id: Annotated[str, typer.Argument(metavar="ID", help="An actor.")],
    role: RoleOption = None,
    status: StatusOption = None,
    deep: Annotated[bool, typer.Option("--deep", help="Also the actor's parts and members.")] = False,
    relation: RelationOption = None,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """What an actor engages on, contributes to and convenes, with role, status and sources.

    Example: igfmap what dccg --status requested
    """
    found = (
        options(ctx)
        .open()
        .what(actor_id, role=role, status=status, deep=deep, relations=relation, as_of=parse_date(as_of))
    )
    emit(found, fmt)


def matrix(
    ctx: typer.Context,
    rows: Annotated[
        str,
        typer.Option(
            "--rows", help="actor, type, stakeholder_group, or an actor type (e.g. dynamic_coalition)."
        ),
    ] = "actor",
    cols: Annotated[
        str, typer.Option("--cols", help="activity (activities and processes), event or objective.")
    ] = "activity",
    cells: Annotated[str, typer.Option("--cells", help="role or count.")] = "role",
    col_type: Annotated[
        list[str] | None,
        typer.Option(
            "--col-type", help="Only columns of this entity type (repeat), e.g. objective, commitment."
        ),
    ] = None,
    status: StatusOption = None,
    ecosystem: Annotated[
        str | None, typer.Option("--ecosystem", help="Only actors of this root's ecosystem.")
    ] = None,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """The engagement matrix: actors (or actor types) against activities or objectives.
    Cells count ENGAGES_IN relations with status active or planned unless --status says otherwise.

    Example: igfmap matrix --rows type --cols objective --col-type objective --cells count
    """
    found = (
        options(ctx)
        .open()
        .matrix(
            rows=rows,
            cols=cols,
            cells=cells,
            col_types=col_type,
            status=status,
            ecosystem=ecosystem,
            as_of=parse_date(as_of),
        )
    )
    emit(found, fmt)


def path(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FROM", help="Start entity.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="End entity.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many shortest paths.")] = 5,
    relation: Annotated[
        list[str] | None, typer.Option("--relation", help="Only follow these relation types (repeat).")
    ] = None,
    directed: Annotated[
        bool, typer.Option("--directed", help="Follow relations only in their direction.")
    ] = False,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """Shortest connections between two entities, with the relation types along the way.

    Example: igfmap path dccg odet --limit 3
    """
    found = (
        options(ctx)
        .open()
        .path(source, target, limit=limit, relations=relation, directed=directed, as_of=parse_date(as_of))
    )
    emit(found, fmt)


def brokers(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", min=1, help="How many brokers to list.")] = 10,
    ecosystem: Annotated[
        str | None, typer.Option("--ecosystem", help="Rank only this root's ecosystem.")
    ] = None,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """Actors that bridge the most: betweenness centrality on the actor projection (actors
    joined by a direct relation or by engaging on the same activity, process, event or document).

    Example: igfmap brokers --top 5
    """
    emit(options(ctx).open().brokers(top=top, ecosystem=ecosystem, as_of=parse_date(as_of)), fmt)


def timeline(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="Events on or after this ISO date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Events on or before this ISO date.")] = None,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """Dated entities and relations (valid_from/valid_to, since/until) in date order.

    Example: igfmap timeline --since 2024-09-01 --until 2025-06-30
    """
    found = (
        options(ctx)
        .open()
        .timeline(
            since=parse_date(since, "--since"), until=parse_date(until, "--until"), as_of=parse_date(as_of)
        )
    )
    emit(found, fmt)


def gaps(
    ctx: typer.Context,
    rules: Annotated[
        list[str] | None, typer.Argument(metavar="RULE", help="Rules to run (default: all).")
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="Print the rule catalogue and exit.")
    ] = False,
    ecosystem: EcosystemOption = None,
    min_actors: MinActorsOption = 2,
    months: MonthsOption = 24,
    fail_on_gaps: Annotated[
        bool, typer.Option("--fail-on-gaps", help="Exit with code 4 when there is any finding.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=0,
            help=f"Findings listed per rule, 0 for all [default: {GAPS_TABLE_LIMIT} in a table, "
            "all in json, csv and md]. Counts always cover every finding.",
        ),
    ] = None,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """Gap findings: the count per rule with its meaning, then the findings grouped by rule,
    each with subjects, a one-line explanation and evidence (source ids).

    Example: igfmap gaps pending-proposal no-feedback --limit 0 --fail-on-gaps
    """
    from mapper.api import Mapping

    if list_rules:
        emit(Mapping.gap_rules(), fmt)
        return
    report = (
        options(ctx)
        .open()
        .gaps(
            rules,
            ecosystem=ecosystem,
            min_actors=min_actors,
            months=months,
            as_of=parse_date(as_of),
            limit=GAPS_TABLE_LIMIT if limit is None and fmt == "table" else limit,
        )
    )
    emit(report, fmt)
    if fail_on_gaps and report.value.findings:
        raise GapsFoundError(f"{len(report.value.findings)} gap finding(s) (--fail-on-gaps)")


def diff(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(help="The earlier round: a store file, dataset file or directory, or @store.")
    ],
    new: Annotated[
        str, typer.Argument(help="The later round: a store file, dataset file or directory, or @store.")
    ],
    rule: Annotated[
        list[str] | None, typer.Option("--rule", help="Gap rules to compare (repeat; default all).")
    ] = None,
    ecosystem: EcosystemOption = None,
    min_actors: MinActorsOption = 2,
    months: MonthsOption = 24,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
) -> None:
    """What changed between two mapping rounds: entities, relations and sources added, removed
    and changed (field by field), and gap findings opened and closed. `@store` names the store
    the global options select (--store or --neo4j).

    Example: igfmap --neo4j bolt://localhost:7687 diff round-2024/ @store --format md
    """
    from mapper.api import Mapping

    cli = options(ctx)
    old_round, new_round = open_round_or_store(cli, old), open_round_or_store(cli, new)
    found = Mapping(old_round, on_note=cli.note).diff(
        new_round,
        rules=rule,
        ecosystem=ecosystem,
        min_actors=min_actors,
        months=months,
        as_of=parse_date(as_of),
    )
    emit(found, fmt)


COMMANDS: dict[str, Callable[..., None]] = {
    "stats": stats,
    "search": search,
    "show": show,
    "who": who,
    "what": what,
    "matrix": matrix,
    "path": path,
    "brokers": brokers,
    "timeline": timeline,
    "gaps": gaps,
    "diff": diff,
}


def register(app: typer.Typer) -> None:
    """Add the query commands to ``app``."""
    for name, func in COMMANDS.items():
        app.command(name)(handles_errors(func))
