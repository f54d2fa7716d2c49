"""``python -m mapper.cli`` runs ``igfmap``."""

from mapper.cli.main import app

app()
