"""``python -m mapper.cli`` runs ``igfmap``."""

from mapper.cli import run

run()
