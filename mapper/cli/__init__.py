"""The ``igfmap`` command line, a thin layer over the library (``mapper``, ``queries``, ``exports``).

Each command module parses options, calls one library function and formats its result:
:mod:`mapper.cli.main` holds the app and the dataset commands, :mod:`mapper.cli.queries`,
:mod:`mapper.cli.exports` and :mod:`mapper.cli.neo4j` the rest, :mod:`mapper.cli.common` what
they share (global options, opening the store, output, errors -> exit codes).
"""

from mapper.cli.main import app

__all__ = ["app"]
