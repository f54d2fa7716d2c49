"""The entry object for Python and notebooks: ``mapper.open(path_or_uri)`` returns a :class:`Mapping`.

A :class:`Mapping` sits over either store (the embedded file or a Neo4j server) and offers the
``igfmap`` commands as methods: :meth:`~Mapping.who`, :meth:`~Mapping.gaps`, :meth:`~Mapping.matrix`
and the rest return a :class:`Result`, which turns into rows, the JSON of ``--format json``
(docs/json.md) or a pandas DataFrame; :meth:`~Mapping.map` returns a :class:`MapPage` that shows
inline in Jupyter. The CLI is a thin layer over this module, as sqlite-utils' CLI is over its
``Database``: it parses options, calls one method and formats the result.

Layers (docs/architecture.md): the CLI, then this module, then :mod:`exports`, :mod:`queries` and
the core. Library modules are imported inside the methods, so ``import mapper`` stays light.

>>> m = Mapping(store)  # the bundled seed dataset, as an embedded store
>>> m.who("gdc-implementation", status=["active"]).rows()[0]["actor"]
'cstd'
"""

from __future__ import annotations

import codecs
import html
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, Protocol, TypedDict, TypeVar

from mapper.errors import UsageError
from mapper.output import render

if TYPE_CHECKING:
    import pandas
    from typing_extensions import Unpack

    from exports.export import ExportResult
    from exports.html_map import MapResult
    from exports.report import ReportResult
    from mapper.store_protocol import Store
    from queries.brokers import BrokersResult
    from queries.diff import DiffResult
    from queries.engagement import EngagementResult
    from queries.gaps import GapReport, RuleCatalogue
    from queries.lookup import SearchResult, ShowResult, StatsResult
    from queries.matrix import MatrixResult
    from queries.paths import PathResult
    from queries.timeline import TimelineResult

#: URI schemes that name a Neo4j server rather than a store file.
NEO4J_URI = re.compile(r"^(bolt|neo4j)(\+s|\+ssc)?://", re.IGNORECASE)
#: The environment that selects a Neo4j server (and its database) when none is named.
NEO4J_URI_ENV = "IGFMAP_NEO4J_URI"
NEO4J_DATABASE_ENV = "IGFMAP_NEO4J_DATABASE"
#: What :meth:`Result.to_dataframe` asks to install when pandas is missing.
PANDAS_EXTRA = "pip install 'igf-mapper[pandas]'"


class Answer(Protocol):
    """What a library result offers (the results' ``columns`` are class constants, which the
    settable ``columns`` of :class:`mapper.output.Tabular` does not accept)."""

    @property
    def columns(self) -> list[str]: ...

    def rows(self) -> list[dict[str, Any]]: ...

    def to_json(self) -> Any: ...


T = TypeVar("T", bound=Answer)
Dated = str | date | None


class EngagementFilters(TypedDict, total=False):
    """What :meth:`Mapping.who` and :meth:`Mapping.what` take besides the id (the options of
    ``igfmap who``/``what``)."""

    #: Only these roles (lead, co-lead, convener, ...).
    role: Sequence[str] | None
    #: Only these statuses (active, planned, proposed, requested, concluded); default all.
    status: Sequence[str] | None
    #: Also the entity's parts (who) or the actor's parts and members (what).
    deep: bool
    #: Relation types to list (default ENGAGES_IN, CONTRIBUTES_TO, CONVENES).
    relations: Sequence[str] | None
    #: Only what is valid on this date.
    as_of: Dated


class DrawingOptions(TypedDict, total=False):
    """How :meth:`Mapping.map` and :meth:`Mapping.export` draw (the options of ``igfmap map``)."""

    #: ``network`` (every entity and relation), ``engagement`` (actors → activities → objectives)
    #: or ``matrix`` (actors × activities, a table; exported as csv, xlsx, json or figures).
    view: str
    #: Only this entity (id, name or alias) and ``depth`` hops around it.
    focus: str | None
    depth: int
    #: Only entities of these types or categories.
    types: Sequence[str]
    #: Only this objective, what addresses it, and the actors engaged on that.
    objective: str | None
    #: Outline the entities gap findings name (rules run for ``ecosystem``, default ``igf``).
    highlight_gaps: bool
    ecosystem: str | None
    as_of: Dated
    #: Layout seed: the same data and seed give the same bytes.
    seed: int
    title: str | None


class Result(Generic[T]):
    """One answer of a :class:`Mapping` method.

    ``value`` is the library's typed result (e.g. :class:`queries.gaps.GapReport`, with its
    findings); :meth:`rows`, :meth:`to_json` and :meth:`to_dataframe` are the same views the CLI
    prints as tables, ``--format json`` and CSV.
    """

    __slots__ = ("columns", "value")

    def __init__(self, value: T) -> None:
        self.value = value
        #: The columns of :meth:`rows`, in table order.
        self.columns: list[str] = value.columns

    def rows(self) -> list[dict[str, Any]]:
        """The flat view: one dict per table row."""
        return self.value.rows()

    def to_json(self) -> Any:
        """The JSON-ready value ``--format json`` prints (its shape is in docs/json.md)."""
        return self.value.to_json()

    def to_dataframe(self) -> pandas.DataFrame:
        """:meth:`rows` as a pandas DataFrame (needs the ``[pandas]`` extra)."""
        try:
            import pandas
        except ImportError:
            raise ModuleNotFoundError(f"to_dataframe() needs pandas: {PANDAS_EXTRA}") from None
        return pandas.DataFrame(self.rows(), columns=self.columns)

    def _repr_markdown_(self) -> str:
        # Jupyter shows a result as the Markdown table `--format md` prints.
        return render(self, "md")

    def __repr__(self) -> str:
        return f"<Result {type(self.value).__name__}: {len(self.rows())} rows>"


@dataclass(frozen=True)
class MapPage:
    """An interactive map: one self-contained HTML page (``html``) and what it draws (``info``).

    In Jupyter it shows inline (an ``<iframe srcdoc>``, so the page's own scripts and content
    security policy apply); :meth:`save` writes it to a file.
    """

    html: str
    info: MapResult
    #: Height of the inline frame in pixels.
    height: int = 640

    def rows(self) -> list[dict[str, Any]]:
        return self.info.rows()

    def to_json(self) -> dict[str, Any]:
        return self.info.to_json()

    def write(self, path: Path | str) -> MapResult:
        """Write the page to ``path`` atomically, unchecked (:meth:`save` checks first)."""
        from mapper.outputs import atomic_write_text

        atomic_write_text(Path(path), self.html)
        return replace(self.info, path=str(path))

    def save(self, path: Path | str, *, force: bool = False, protected: Iterable[Path] = ()) -> MapResult:
        """Write the page to ``path``; an existing file is replaced only when it is an earlier
        igfmap map, or with ``force`` (never one of ``protected``)."""
        from mapper.outputs import output_path

        with output_path(path, "map", force, protected=protected, option="path") as target:
            return self.write(target)

    def _repr_html_(self) -> str:
        source = html.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{source}" style="width:100%;height:{self.height}px;border:0" '
            f'title="igfmap map"></iframe>'
        )


def neo4j_from_env() -> tuple[str | None, str | None]:
    """The Neo4j server (URI, database) the environment selects when none is named
    (``$IGFMAP_NEO4J_URI``, ``$IGFMAP_NEO4J_DATABASE``): read here only, for the CLI and
    :func:`open` alike."""
    return os.environ.get(NEO4J_URI_ENV) or None, os.environ.get(NEO4J_DATABASE_ENV) or None


def open(
    target: str | os.PathLike[str] | None = None,
    *,
    database: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> Mapping:
    """A :class:`Mapping` over the store at ``target``.

    ``target`` is a store file or a Neo4j URI (``bolt://``, ``neo4j://``, ``+s``/``+ssc``). With
    none, what ``igfmap`` opens without options: ``$IGFMAP_NEO4J_URI``, else ``$IGFMAP_STORE``,
    else ``./igfmap-store.json``; a store file that does not exist stands for the bundled seed
    dataset, as for the CLI. Neo4j credentials are ``user``/``password``, else those inside the
    URI, else ``NEO4J_USERNAME``/``NEO4J_PASSWORD``; they are never printed.

    >>> open(tmp / "no-store-here.json").describe()  # no such file: the seed stands in
    'bundled seed dataset'
    """
    if target is None:
        target, database_env = neo4j_from_env()
        database = database or database_env
    if target is not None and NEO4J_URI.match(str(target)):
        from mapper.neo4j import Neo4jStore

        return Mapping(Neo4jStore.connect(str(target), database=database, user=user, password=password))
    from mapper.store import open_store, store_path

    return Mapping(open_store(store_path(target)))


def _round(other: Mapping | Store | str | os.PathLike[str]) -> Store:
    """The store of a mapping round: a :class:`Mapping`, a store, or files read as one."""
    if isinstance(other, Mapping):
        return other.store
    if isinstance(other, (str, os.PathLike)):
        from mapper.store import open_round

        return open_round(os.fspath(other))
    return other


class Mapping:
    """The ecosystem mapping in one store, with the ``igfmap`` commands as methods.

    ``store`` is an open :class:`~mapper.store_protocol.Store`, or a function that opens one
    when first needed (the CLI checks its options first). ``on_note`` receives the notes the
    CLI prints on stderr (e.g. which gap rules were left out for want of an ``igf`` root).
    """

    def __init__(self, store: Store | Callable[[], Store], *, on_note: Callable[[str], None] | None = None):
        self._opener = store if callable(store) else None
        self._store: Store | None = None if callable(store) else store
        self.on_note = on_note or (lambda message: None)

    @property
    def store(self) -> Store:
        """The store the methods read (opened on first use when given as a function)."""
        if self._store is None:
            assert self._opener is not None
            self._store = self._opener()
        return self._store

    def describe(self) -> str:
        """Which store this is: a file path, ``bundled seed dataset`` or a Neo4j URI."""
        return self.store.describe()

    def __repr__(self) -> str:
        return f"<Mapping {self.describe()}>"

    def close(self) -> None:
        """Let go of the store's connection (a Neo4j driver); a file store has none."""
        closer = getattr(self._store, "close", None)  # None too when it was never opened
        if closer is not None:
            closer()

    def __enter__(self) -> Mapping:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- lookups ---------------------------------------------------------------------------

    def stats(self, *, as_of: Dated = None) -> Result[StatsResult]:
        """Counts by entity type, category, relation type, status and source kind."""
        from queries.lookup import stats

        return Result(stats(self.store, as_of=as_of))

    def search(self, text: str, *, limit: int | None = None, as_of: Dated = None) -> Result[SearchResult]:
        """Entities by id, name or alias (exact, then prefix, then substring matches)."""
        from queries.lookup import search

        return Result(search(self.store, text, as_of=as_of, limit=limit))

    def show(self, entity_id: str, *, as_of: Dated = None) -> Result[ShowResult]:
        """An entity, its relations both ways, and the sources they cite."""
        from queries.lookup import show

        return Result(show(self.store, entity_id, as_of=as_of))

    # --- engagement ------------------------------------------------------------------------

    def who(self, entity_id: str, **filters: Unpack[EngagementFilters]) -> Result[EngagementResult]:
        """Actors engaging on an activity, process, event or document (objectives: via
        ADDRESSES); ``filters`` are :class:`EngagementFilters`.

        >>> Mapping(store).who("gdc-implementation").columns[:3]
        ['actor', 'actor_name', 'stakeholder_group']
        """
        from queries.engagement import who

        return Result(who(self.store, entity_id, **filters))

    def what(self, actor_id: str, **filters: Unpack[EngagementFilters]) -> Result[EngagementResult]:
        """What an actor engages on, contributes to and convenes; ``filters`` are
        :class:`EngagementFilters`."""
        from queries.engagement import what

        return Result(what(self.store, actor_id, **filters))

    def matrix(
        self,
        *,
        rows: str = "actor",
        cols: str = "activity",
        cells: str = "role",
        col_types: Sequence[str] | None = None,
        status: Sequence[str] | None = None,
        ecosystem: str | None = None,
        as_of: Dated = None,
    ) -> Result[MatrixResult]:
        """The engagement matrix: actors (or actor types) against activities or objectives."""
        from queries.matrix import matrix

        found = matrix(
            self.store,
            rows=rows,
            cols=cols,
            cells=cells,
            status=status,
            as_of=as_of,
            ecosystem=ecosystem,
            col_types=col_types,
        )
        return Result(found)

    def path(
        self,
        source: str,
        target: str,
        *,
        limit: int = 5,
        relations: Sequence[str] | None = None,
        directed: bool = False,
        as_of: Dated = None,
    ) -> Result[PathResult]:
        """Shortest connections between two entities."""
        from queries.paths import path

        found = path(
            self.store, source, target, limit=limit, as_of=as_of, relations=relations, directed=directed
        )
        return Result(found)

    def brokers(
        self, *, top: int = 10, ecosystem: str | None = None, as_of: Dated = None
    ) -> Result[BrokersResult]:
        """Actors that bridge the most (betweenness centrality on the actor projection)."""
        from queries.brokers import brokers

        return Result(brokers(self.store, top, as_of=as_of, ecosystem=ecosystem))

    def timeline(
        self, *, since: Dated = None, until: Dated = None, as_of: Dated = None
    ) -> Result[TimelineResult]:
        """Dated entities and relations in date order."""
        from queries.timeline import timeline

        return Result(timeline(self.store, since, until, as_of=as_of))

    # --- gaps and rounds -------------------------------------------------------------------

    @staticmethod
    def gap_rules() -> Result[RuleCatalogue]:
        """The catalogue of gap rules, in order (no store needed)."""
        from queries.gaps import list_rules

        return Result(list_rules())

    def gaps(
        self,
        rules: Sequence[str] | None = None,
        *,
        ecosystem: str | None = None,
        min_actors: int = 2,
        months: int = 24,
        as_of: Dated = None,
        limit: int | None = None,
    ) -> Result[GapReport]:
        """Gap findings by rule (default: every rule). ``ecosystem`` defaults to ``igf``; data
        without it raises :class:`~mapper.errors.NotFoundError` naming the candidate roots.
        ``limit`` caps the findings each view shows per rule (counts stay whole)."""
        from queries.gaps import run_gaps
        from queries.roots import root_for_rules

        root = root_for_rules(list(rules) if rules else None, ecosystem, self.store)
        found = run_gaps(
            self.store, rules, ecosystem=root, min_actors=min_actors, months=months, as_of=as_of, limit=limit
        )
        return Result(found)

    def diff(
        self,
        new: Mapping | Store | str | os.PathLike[str],
        *,
        rules: Sequence[str] | None = None,
        ecosystem: str | None = None,
        min_actors: int = 2,
        months: int = 24,
        as_of: Dated = None,
    ) -> Result[DiffResult]:
        """What changed from this round to ``new`` (a Mapping, a store, or a store file,
        dataset file or directory): entities, relations, sources and gap findings."""
        from queries.diff import diff
        from queries.roots import root_for_rules

        later = _round(new)
        root = root_for_rules(list(rules) if rules else None, ecosystem, self.store, later)
        found = diff(
            self.store, later, as_of=as_of, rules=rules, ecosystem=root, min_actors=min_actors, months=months
        )
        return Result(found)

    # --- maps, exports, reports ------------------------------------------------------------

    def findings(self, *, as_of: Dated = None, ecosystem: str | None = None) -> list[Any]:
        """Every gap rule's findings, for a map, figure or report: the rules that need a root are
        left out (and :attr:`on_note` told so) when the data has no ``igf`` and none is given."""
        from queries.roots import gap_findings

        found, message = gap_findings(self.store, as_of=as_of, ecosystem=ecosystem)
        if message:
            self.on_note(message)
        return found

    def map(self, **options: Unpack[DrawingOptions]) -> MapPage:
        """The interactive map (:func:`exports.html_map.map_page`) drawn as ``options`` say
        (:class:`DrawingOptions`); it shows inline in Jupyter, and ``.save(path)`` writes it."""
        from exports.html_map import map_page

        at = _snapshot(self)  # one read: the graph drawn and the findings agree
        html_text, info = map_page(at.store, findings=at._outlined(options, figure=True), **options)
        return MapPage(html_text, info)

    def export(
        self,
        fmt: str,
        out: Path | str,
        *,
        force: bool = False,
        protected: Iterable[Path] = (),
        **options: Unpack[DrawingOptions],
    ) -> Result[ExportResult]:
        """Write the graph as ``fmt`` (graphml, gexf, json, csv, xlsx, cypher, kumu, png, svg,
        pdf) to ``out``, drawn as ``options`` say (figures only: ``view``, ``title``, gaps). An
        existing file is replaced only when igfmap wrote it as this format (or with ``force``,
        never one of ``protected``)."""
        from exports.export import export
        from exports.registry import get_format
        from mapper.outputs import output_path

        writer = get_format(fmt)
        directory = writer.target == "directory"
        with output_path(out, f"export-{fmt}", force, directory=directory, protected=protected) as staging:
            at = _snapshot(self)
            found = at._outlined(options, figure=writer.figure)
            result = export(at.store, fmt, staging, findings=found, **options)
        # A folder was built beside ``out`` and swapped in: name the files where they are now.
        files = [str(Path(out) / Path(f).relative_to(staging)) if directory else f for f in result.files]
        return Result(replace(result, files=files))

    def export_stream(
        self, fmt: str, stream: BinaryIO, *, to_terminal: bool = False, **options: Unpack[DrawingOptions]
    ) -> Result[ExportResult]:
        """Write the graph as ``fmt`` to ``stream`` (``--out -``): built in a private folder, then
        copied. A format that writes a folder (csv) has no single stream; a binary one (png, pdf,
        xlsx) is refused ``to_terminal``, where it would only garble the screen."""
        from exports.registry import get_format

        if get_format(fmt).target == "directory":
            raise UsageError(f"--out -: {fmt} writes a folder of files, not one stream; give a folder name")
        with tempfile.TemporaryDirectory(prefix=".igfmap-export-") as folder:
            result = self.export(fmt, Path(folder) / f"igfmap.{fmt}", **options).value
            with Path(result.files[0]).open("rb") as written:
                # Into a pipe a block at a time, as it was written (a big export is never held
                # whole); a terminal is checked first, where a binary format would garble it.
                if to_terminal and _is_binary(written.read(_SAMPLE)):
                    raise UsageError(
                        f"--out -: {fmt} is binary; pipe it into a file or a program, or give --out FILE"
                    )
                written.seek(0)
                shutil.copyfileobj(written, stream)
        stream.flush()
        return Result(replace(result, files=["-"]))

    def _outlined(self, options: DrawingOptions, figure: bool) -> list[Any] | None:
        """The findings a map or figure outlines with ``highlight_gaps`` (None: none asked for)."""
        if not (figure and options.get("highlight_gaps")):
            return None
        return self.findings(as_of=options.get("as_of"), ecosystem=options.get("ecosystem"))

    def report(
        self,
        out: Path | str,
        *,
        title: str | None = None,
        ecosystem: str | None = None,
        as_of: Dated = None,
        seed: int = 42,
        force: bool = False,
        protected: Iterable[Path] = (),
    ) -> Result[ReportResult]:
        """Write the report bundle (report.md, report.html, map.html, figures/, tables/) into the
        folder ``out``, built beside it and swapped in whole; an existing folder is replaced only
        when it is an earlier, unchanged igfmap report (or with ``force``)."""
        from exports.report import write_report
        from mapper.outputs import output_path

        with output_path(out, "report", force, directory=True, protected=protected) as staging:
            at = _snapshot(self)
            found = at.findings(as_of=as_of, ecosystem=ecosystem)
            result = write_report(
                at.store, staging, title=title, as_of=as_of, seed=seed, findings=found, ecosystem=ecosystem
            )
        return Result(replace(result, out=str(out)))


#: Bytes of an export read to tell text from binary before it goes to a terminal.
_SAMPLE = 64 * 1024


def _is_binary(sample: bytes) -> bool:
    """Whether ``sample``, the start of a file, is not text: a NUL byte, or not UTF-8 (a
    character cut at the sample's end is not held against it)."""
    if b"\0" in sample:
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return True
    return False


def _snapshot(mapping: Mapping) -> Mapping:
    """A Mapping over one read of ``mapping``'s store, so a drawing and its findings agree."""
    return Mapping(mapping.store.snapshot(), on_note=mapping.on_note)


__all__ = [
    "NEO4J_URI",
    "DrawingOptions",
    "EngagementFilters",
    "MapPage",
    "Mapping",
    "Result",
    "neo4j_from_env",
    "open",
]
