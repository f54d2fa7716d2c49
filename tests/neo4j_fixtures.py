"""Session fixtures that run real Neo4j servers (scripts/neo4jctl.py), imported by tests/conftest.py.

They never skip: a server that cannot start fails the tests that need it, with the reason.
Each server gets a free port and a temporary home, so parallel sessions do not collide.
"""

from __future__ import annotations

import importlib.util
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _load_neo4jctl() -> ModuleType:
    # scripts/ is not a package; load the launcher by path (it is stdlib-only).
    name = "neo4jctl"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / "neo4jctl.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {SCRIPTS / 'neo4jctl.py'}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


neo4jctl = _load_neo4jctl()


def _start(password: str | None) -> Any:
    server = neo4jctl.Neo4jServer(password=password)
    try:
        server.start(timeout=180)
    except Exception as exc:  # any failure to start must fail loudly, never skip
        pytest.fail(f"could not start a Neo4j {neo4jctl.NEO4J_VERSION} server: {exc}", pytrace=False)
    return server


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Any]:
    """A Neo4jServer without auth: use ``.uri``."""
    server = _start(password=None)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_auth_server() -> Iterator[Any]:
    """A Neo4jServer with auth on: user ``neo4j``, a random ``.password``; ``.auth`` is the pair."""
    server = _start(password=secrets.token_urlsafe(18))
    yield server
    server.stop()
