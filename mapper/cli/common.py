"""What every CLI command shares: the global options, store opening, output, and error handling.

Command modules (:mod:`mapper.cli.main` and the modules it registers) parse options, call one
library function, and hand its result to :func:`emit`. The global options travel in typer's
context object (:class:`GlobalOptions`, read with :func:`options`); there is no module state.
Errors derived from :class:`~mapper.errors.IgfmapError` become one line on stderr and the
error's exit code.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import select
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from mapper.api import Result
from mapper.bulk import keep
from mapper.cells import inert
from mapper.errors import IgfmapError, UsageError, commits, forget_commits
from mapper.output import FORMATS, Tabular, write

if TYPE_CHECKING:  # types only: the Neo4j store and the driver load when a command asks for them
    from mapper.api import Mapping
    from mapper.neo4j import Neo4jStore
    from mapper.store_protocol import Store


@dataclass(frozen=True)
class GlobalOptions:
    """The options given before the command (``igfmap --store s.json who igf``), carried in
    typer's context object (``ctx.obj``) from the app's callback to the command. Everything that
    depends on them (which store to open, whether notes are shown) asks this object.
    """

    store: Path | None = None
    neo4j_uri: str | None = None
    neo4j_database: str | None = None
    quiet: bool = False
    debug: bool = False
    lock_timeout: float = 60.0
    neo4j_timeout: float = 30.0

    def note(self, message: str) -> None:
        """An informational line on stderr (suppressed by ``--quiet``)."""
        if not self.quiet:
            say(message)

    @property
    def store_path(self) -> Path:
        """The embedded store file selected (``--store``, else IGFMAP_STORE, else the default)."""
        from mapper.store import store_path

        return store_path(self.store)

    @property
    def neo4j_shown(self) -> str | None:
        """The ``--neo4j`` URI as messages show it (no credentials), or None without one."""
        if not self.neo4j_uri:
            return None
        from mapper.neo4j.connection import shown_uri

        return shown_uri(self.neo4j_uri)

    def protected_paths(self, *inputs: Path) -> tuple[Path, ...]:
        """What an output may never replace: the store file (and its link target) and the inputs."""
        return (self.store_path, *inputs)

    def connect_neo4j(self, completing: bool = False, pulling: bool = False) -> Neo4jStore:
        """The Neo4j store of ``--neo4j``: driver logs off stderr unless ``--debug``, retries said
        as notes, and one warning when the last push into it did not complete (``completing``:
        the caller is about to push again, so it is a note that says so instead; ``pulling``:
        the caller waits for, or refuses, an incomplete push itself, so no warning).
        """
        from mapper.neo4j import Neo4jStore, configure_driver_logging  # heavy: only when asked for
        from mapper.neo4j.connection import set_stall_timeout

        if not self.neo4j_uri:
            raise UsageError("this command needs a Neo4j server: pass --neo4j URI or set IGFMAP_NEO4J_URI")
        configure_driver_logging(self.debug)
        set_stall_timeout(self.neo4j_timeout)
        store = Neo4jStore.connect(self.neo4j_uri, database=self.neo4j_database)
        store.on_retry = lambda message: self.note(f"note: {message}")
        state = store.push_state()
        if state is not None and not state.complete and not pulling:
            if completing:
                self.note(f"note: completing the push into {store.describe()} that began at {state.started}")
            else:
                warn(
                    f"the push into {store.describe()} that began at {state.started} did not complete "
                    "(interrupted, or still running): the data may be incomplete; `igfmap push` completes it"
                )
        return store

    def open_backend(self) -> Store:
        """The store the global options select: Neo4j with ``--neo4j``, else the embedded file.

        With no store file, the bundled seed is used and a note says so on stderr.
        """
        if self.neo4j_uri:
            return self.connect_neo4j()
        from mapper.store import open_store

        store = open_store(self.store)
        if store.from_seed:
            self.note(f"note: no store at {store.path}; using the bundled seed dataset (run `igfmap init`)")
        keep(store)
        return store

    def open(self) -> Mapping:
        """The entry object over the selected store (:meth:`open_backend`, on first use), whose
        notes go to stderr: every command that reads the store calls its methods."""
        from mapper.api import Mapping

        return Mapping(self.open_backend, on_note=self.note)


def options(ctx: typer.Context) -> GlobalOptions:
    """The global options of the running command (the defaults when none were given)."""
    found = ctx.find_object(GlobalOptions)
    return found if found is not None else GlobalOptions()


F = TypeVar("F", bound=Callable[..., Any])


def say(line: str) -> None:
    """One line on stderr, made inert: it may quote file names, keys, header cells, values and
    server errors, so control, bidirectional and newline characters are shown as escapes."""
    typer.echo(inert(line), err=True)


def fail(message: str, code: int) -> None:
    say(f"error: {message}")
    raise typer.Exit(code)


def handles_errors(func: F) -> F:
    """Turn library errors into one stderr line and the design's exit code (a traceback too
    with ``--debug``, read from the command's ``ctx``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get("ctx")
        debug = isinstance(ctx, typer.Context) and options(ctx).debug
        forget_commits()
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except BrokenPipeError as err:
            if stdout_closed():  # the reader has gone (`| head -1`): what it wanted it got
                silence_stdout()
                raise typer.Exit(0) from None
            unexpected(err, debug)  # some other pipe (a server's): a real error
        except IgfmapError as err:
            if debug:
                traceback.print_exc()
            fail(str(err), err.exit_code)
        except KeyboardInterrupt as err:
            fail(*interruption(err))
        except Exception as err:  # an unexpected bug: still one line unless --debug
            unexpected(err, debug)

    return wrapper  # type: ignore[return-value]


#: The signal that stopped the command, when it was not Ctrl-C (see :func:`stop_on_sigterm`).
_STOPPED_BY: list[int] = []


def stop_on_sigterm() -> None:
    """Make SIGTERM stop a command as Ctrl-C does (temp files removed, the store left whole, one
    honest line), with exit code 143 (128 + 15) instead of Python's silent death."""

    def stop(signum: int, _frame: object) -> None:
        _STOPPED_BY.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def interruption(err: KeyboardInterrupt) -> tuple[str, int]:
    """Ctrl-C or SIGTERM: the line that says whether the change was written (after the commit
    point it was: the store is the new one), and the exit code, 130 (143 for SIGTERM)."""
    what, code = ("terminated", 143) if _STOPPED_BY else ("interrupted", 130)
    done = str(err) or "; ".join(commits())
    return (f"{what} after the change was written: {done}" if done else what), code


def unexpected(err: Exception, debug: bool) -> None:
    """An error no library code expected: one line (and the traceback with ``--debug``), exit 1."""
    if debug:
        traceback.print_exc()
    fail(f"{type(err).__name__}: {err} (run with --debug for the traceback)", 1)


def stdout_closed() -> bool:
    """True when whoever read stdout has gone (``igfmap stats | head -1``): its pipe is broken."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):
        return False
    if hasattr(select, "poll"):  # a pipe whose reader has gone polls as an error
        poller = select.poll()
        poller.register(fd, select.POLLERR)
        return bool(poller.poll(0))
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return True
    return False


def silence_stdout() -> None:
    """Point stdout at the null device once its reader has gone, so that what is still
    buffered cannot fail again when Python flushes it at exit (Python's docs, "Note on
    SIGPIPE"): a closed pipe ends the command quietly, with exit code 0, as it does for
    ``head`` or ``grep``."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # a stdout with no descriptor (a test runner's): nothing is flushed at exit
    finally:
        os.close(devnull)


def closed_under_click() -> bool:
    """Whether click met the closed pipe itself (in ``--help``, outside any command): it then
    wraps stdout to keep the exit quiet, but exits with code 1."""
    # By name: typer carries its own copy of click (typer._click), whose class this is.
    if type(sys.stdout).__name__ != "PacifyFlushWrapper":
        return False
    silence_stdout()
    return True


def exit_flushed(code: int | str | None) -> None:
    """End the process with ``code`` (as :func:`sys.exit` reads it) once stdout and stderr are
    flushed and the ``atexit`` handlers have run; a reader that has gone by then is no error.

    The interpreter's own shutdown is skipped (:func:`os._exit`): it would free, one by one, the
    millions of objects a command read at scale (the store, its graph, the findings), which the
    system takes back at once when the process ends (0.4 s of ``gaps`` at 150,000 entities).
    Nothing is lost by it: every file is written and closed (atomically) by the command itself,
    and locks are released with the process.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    if code is not None and not isinstance(code, int):  # sys.exit("message"): printed, exit 1
        print(code, file=sys.stderr)
        code = 1
    with contextlib.suppress(OSError, ValueError):  # stderr gone too: nothing more to say
        sys.stderr.flush()
    atexit._run_exitfuncs()  # what the interpreter's shutdown would run first
    os._exit(code or 0)


def warn(message: str) -> None:
    """A warning line on stderr, shown even with ``--quiet`` (it is about the data, not progress)."""
    say(f"warning: {message}")


def describe_store(store: Store) -> str:
    """Which store a command used, for messages: ``store s.json``, ``the bundled seed (no store at s.json)``."""
    if store.from_seed:
        return f"the bundled seed dataset (no store file at {store.path})"
    return f"store {store.describe()}"


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace an existing file or folder that igfmap did not write (never the store or an input).",
    ),
]


#: The ``diff`` argument that names the store the global options select.
SELECTED_STORE = "@store"


def open_round_or_store(cli: GlobalOptions, name: str) -> Store:
    """``@store`` as the selected store (:meth:`GlobalOptions.open_backend`), else a round read from files."""
    if name == SELECTED_STORE:
        return cli.open_backend()
    from mapper.store import open_round

    return open_round(name)


def emit(result: Tabular | Result[Any], fmt: str) -> None:
    """Print a result in the chosen format: a :class:`~mapper.api.Result` as its library value,
    whose own table layout and streamed JSON (see mapper/output.py) the wrapper does not carry."""
    value = result.value if isinstance(result, Result) else result
    write(value, fmt, sys.stdout)
    keep(value)  # 160,000 findings are freed faster by the process's end than one by one


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def parse_date(value: str | None, option: str = "--as-of") -> str | None:
    """A date option, validated (:func:`queries.common.iso_date`, the one date parser) so an
    error names the option (``None`` passes through)."""
    from queries.common import iso_date

    return iso_date(value, option)


FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="Output format: table, json, csv or md.", callback=check_format),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Only what is valid on this ISO date (YYYY-MM-DD)."),
]
