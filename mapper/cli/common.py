"""What every CLI command shares: global state, store opening, output, and error handling.

Command modules (``mapper/cli.py`` and the ``cli_*.py`` modules it registers) parse options,
call one library function, and hand its result to :func:`emit`. Errors derived from
:class:`~mapper.errors.IgfmapError` become one line on stderr and the error's exit code.
"""

from __future__ import annotations

import functools
import os
import select
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from mapper.errors import IgfmapError, UsageError
from mapper.output import FORMATS, Tabular, write


@dataclass
class State:
    store: Path | None = None
    neo4j_uri: str | None = None
    neo4j_database: str | None = None
    quiet: bool = False
    debug: bool = False
    lock_timeout: float = 60.0


STATE = State()

F = TypeVar("F", bound=Callable[..., Any])


def note(message: str) -> None:
    """An informational line on stderr (suppressed by ``--quiet``)."""
    if not STATE.quiet:
        typer.echo(message, err=True)


def fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def handles_errors(func: F) -> F:
    """Turn library errors into one stderr line and the design's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except BrokenPipeError:
            if not stdout_closed():
                raise  # some other pipe (a server's): a real error
            silence_stdout()
            raise typer.Exit(0) from None
        except IgfmapError as err:
            if STATE.debug:
                traceback.print_exc()
            fail(str(err), err.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except Exception as err:  # an unexpected bug: still one line unless --debug
            if STATE.debug:
                traceback.print_exc()
            fail(f"{type(err).__name__}: {err} (run with --debug for the traceback)", 1)

    return wrapper  # type: ignore[return-value]


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


def exit_flushed(code: int | str | None) -> None:
    """Exit with ``code`` once stdout is flushed; a reader that has gone by then is no error."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    sys.exit(code)


def warn(message: str) -> None:
    """A warning line on stderr, shown even with ``--quiet`` (it is about the data, not progress)."""
    typer.echo(f"warning: {message}", err=True)


def connect_neo4j(completing: bool = False) -> Any:
    """The Neo4j store of ``--neo4j``: driver logs off stderr unless ``--debug``, retries said
    as notes, and one warning when the last push into it did not complete (``completing``:
    the caller is about to push again, so it is a note that says so instead).
    """
    from mapper.neo4j_store import Neo4jStore, configure_driver_logging  # heavy: only when asked for

    if not STATE.neo4j_uri:
        raise UsageError("this command needs a Neo4j server: pass --neo4j URI or set IGFMAP_NEO4J_URI")
    configure_driver_logging(STATE.debug)
    store = Neo4jStore.connect(STATE.neo4j_uri, database=STATE.neo4j_database)
    store.on_retry = lambda message: note(f"note: {message}")
    state = store.push_state()
    if state is not None and not state.complete:
        if completing:
            note(f"note: completing the push into {store.describe()} that began at {state.started}")
        else:
            warn(
                f"the push into {store.describe()} that began at {state.started} did not complete "
                "(interrupted, or still running): the data may be incomplete; `igfmap push` completes it"
            )
    return store


def open_backend() -> Any:
    """The store the global options select: Neo4j with ``--neo4j``, else the embedded file.

    With no store file, the bundled seed is used and a note says so on stderr.
    """
    if STATE.neo4j_uri:
        return connect_neo4j()
    from mapper.store import open_store

    store = open_store(STATE.store)
    if store.from_seed:
        note(f"note: no store at {store.path}; using the bundled seed dataset (run `igfmap init`)")
    return store


def store_path() -> Path:
    """The embedded store file the global options select (``--store``, IGFMAP_STORE, default)."""
    from mapper.store import default_store_path

    return STATE.store or default_store_path()


def protected_paths(*inputs: Path) -> tuple[Path, ...]:
    """What an output may never replace: the store file (and its link target) and the inputs."""
    return (store_path(), *inputs)


def describe_store(store: Any) -> str:
    """Which store a command used, for messages: ``store s.json``, ``the bundled seed (no store at s.json)``."""
    if getattr(store, "from_seed", False):
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


def open_round_or_store(name: str) -> Any:
    """``@store`` as the selected store (:func:`open_backend`), else a round read from files."""
    if name == SELECTED_STORE:
        return open_backend()
    from mapper.store import open_round

    return open_round(name)


def emit(result: Tabular, fmt: str) -> None:
    """Print a result in the chosen format."""
    write(result, fmt, sys.stdout)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def parse_date(value: str | None, option: str = "--as-of") -> str | None:
    """An ISO date string, validated (``None`` passes through)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"{option} must be an ISO date YYYY-MM-DD, not {value!r}") from None


FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="Output format: table, json, csv or md.", callback=check_format),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Only what is valid on this ISO date (YYYY-MM-DD)."),
]
