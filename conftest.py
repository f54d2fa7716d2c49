"""Names the doctests of the packages share (pytest runs them with --doctest-modules).

``store`` is the bundled seed as an embedded store, ``dataset`` its dataset, ``tmp`` a fresh
temporary directory: docstring examples run for real on them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

collect_ignore = ["mapper/cli/__main__.py", "scripts", "setup.py"]


@pytest.fixture(scope="session")
def _seed_store() -> Any:
    from mapper.store import EmbeddedStore, seed_dataset

    return EmbeddedStore(seed_dataset())


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict[str, Any], tmp_path: Path, _seed_store: Any) -> None:
    doctest_namespace.update(store=_seed_store, dataset=_seed_store.dataset, tmp=tmp_path)
