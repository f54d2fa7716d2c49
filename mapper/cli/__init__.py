"""The ``igfmap`` command line, a thin layer over the library (``mapper``, ``queries``, ``exports``).

Each command module parses options, calls one library function and formats its result:
:mod:`mapper.cli.main` holds the app and the dataset commands, :mod:`mapper.cli.queries`,
:mod:`mapper.cli.exports` and :mod:`mapper.cli.neo4j` the rest, :mod:`mapper.cli.common` what
they share (global options, opening the store, output, errors -> exit codes).
"""

import os

from mapper.bulk import freeze_after_bulk, keep_until_exit
from mapper.cli.common import (
    closed_under_click,
    exit_flushed,
    interruption,
    say,
    stop_on_sigterm,
)
from mapper.cli.main import app


def run() -> None:
    """The ``igfmap`` program: :data:`app` in a process of its own, which may keep what it read
    out of the garbage collector's way until it exits (:func:`mapper.bulk.freeze_after_bulk`).
    Output is flushed before exit, where a closed pipe ends quietly (``igfmap stats | head -1``),
    and what it read is left to the system to take back (:func:`mapper.cli.common.exit_flushed`).

    OpenBLAS, under numpy and scipy, starts a thread per core when numpy is imported; the tool's
    matrices are small (the map layout's, 600 x 600 at most), so one thread is enough, and the
    others only cost: importing numpy took 38 ms with one thread against 113 ms with two on the
    2-core development machine under load (``igfmap map`` on the seed 290 ms against 346 ms).
    ``OPENBLAS_NUM_THREADS`` set by the user is kept."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before anything imports numpy
    freeze_after_bulk()
    keep_until_exit()
    stop_on_sigterm()
    try:
        app()
        exit_flushed(0)
    except SystemExit as done:
        exit_flushed(0 if closed_under_click() else done.code)
    except KeyboardInterrupt as err:  # outside a command (flushing its output): still honest
        message, code = interruption(err)
        say(f"error: {message}")
        exit_flushed(code)


__all__ = ["app", "run"]
