"""The embedded store: one JSON file holding a dataset, read into a networkx MultiDiGraph.

The file is the canonical document of :meth:`Dataset.to_document` (sorted, stable field order,
UTF-8, ``schema_version`` first), so two saves of the same data are byte-identical and git diffs
stay readable. Writes are atomic (temp file in the same folder, fsync, rename) and serialised by
an exclusive lock on ``<store>.lock`` so two writers cannot interleave.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import ClassVar

import networkx as nx

from mapper.dataset import Dataset, to_graph
from mapper.errors import IgfmapError
from mapper.index import StoreIndex, build_index, dataset_from_document, digest_file
from mapper.readers import store_limits
from mapper.schema import Schema
from mapper.store_protocol import Backend
from mapper.validation import read_dataset

DEFAULT_STORE_PATH = "igfmap-store.json"
STORE_ENV = "IGFMAP_STORE"


def default_store_path() -> Path:
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE_PATH)


def seed_path() -> Path:
    """The bundled seed dataset directory (installed as the ``seed_data`` package)."""
    return Path(str(resources.files("seed_data")))


def seed_dataset() -> Dataset:
    return read_dataset([seed_path()])


class EmbeddedStore:
    """A dataset with its graph view (a :class:`~mapper.store_protocol.Store` whose queries run
    in networkx). ``from_seed`` is True when no store file existed and the seed stands in.

    Opened by :func:`open_store` on a store file with a current index, it holds no dataset yet:
    queries about a few entities read them from the index (:meth:`around`), and the whole
    dataset is read (without validation: the checksum proves it is the content validated when
    it entered the store) only when something asks for :attr:`dataset` or :attr:`graph`.
    """

    backend: Backend = "networkx"

    def __init__(
        self,
        dataset: Dataset | None = None,
        path: Path | None = None,
        from_seed: bool = False,
        *,
        index: StoreIndex | None = None,
    ):
        if dataset is None and (index is None or path is None):
            dataset = Dataset()
        if dataset is not None:
            self.dataset = dataset  # fills the cached property
        self.path = path
        self.from_seed = from_seed
        self._index = index

    @cached_property
    def dataset(self) -> Dataset:
        assert self.path is not None and self._index is not None
        return read_indexed_store(self.path, self._index.digest)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return to_graph(self.dataset)

    def describe(self) -> str:
        if self.path is None:
            return "in-memory dataset"
        return "bundled seed dataset" if self.from_seed else str(self.path)

    def schema(self) -> Schema:
        return self._index.schema if self._index is not None else self.dataset.schema

    def snapshot(self) -> EmbeddedStore:
        return self

    def around(self, ids: Iterable[str], relation_types: Iterable[str] | None = None) -> EmbeddedStore:
        """A store over the entities ``ids``, every relation touching one of them (of
        ``relation_types``, when given) and the entities at their other ends; itself when it
        has no index or already holds the graph."""
        if self._index is None or "graph" in self.__dict__:
            return self
        return EmbeddedStore(self._index.around(ids, relation_types), self.path)

    def entities_matching(self, text: str) -> EmbeddedStore:
        """A store over the entities whose id, name or an alias contains ``text`` (casefolded)
        and no relation; itself when it has no index or already holds the graph."""
        if self._index is None or "graph" in self.__dict__:
            return self
        return EmbeddedStore(self._index.entities_matching(text), self.path)

    def load_files(self, files: Iterable[Path], replace: bool = False, dry_run: bool = False) -> LoadReport:
        """Validate ``files`` against this store's file, then write it (see :func:`load_files`)."""
        return load_files(list(files), self.path, replace=replace, dry_run=dry_run)


def read_store_file(path: Path) -> Dataset:
    """Read a store file (or any dataset JSON document) with validation."""
    return read_dataset([path], limits=store_limits())


def read_indexed_store(path: Path, digest: str) -> Dataset:
    """The store's dataset, without validation when its bytes still hash to ``digest`` (the
    checksum of the index); with validation when the file changed since (a stale index is
    never trusted)."""
    data = Path(path).read_bytes()
    if hashlib.sha256(data).hexdigest() == digest:
        return dataset_from_document(json.loads(data))
    del data
    return read_store_file(path)


def open_store(path: Path | None = None) -> EmbeddedStore:
    """Open the store at ``path``; when the file does not exist, the bundled seed dataset.

    With a current index beside the file nothing is parsed yet; without one (first open, or
    the file changed outside igfmap) the file is read and validated, and the index rebuilt.
    """
    path = Path(path) if path else default_store_path()
    if not path.exists():
        return EmbeddedStore(seed_dataset(), path, from_seed=True)
    digest = digest_file(path)
    index = StoreIndex.open(path, digest)
    if index is not None:
        return EmbeddedStore(path=path, index=index)
    dataset = read_store_file(path)
    # Index only what was validated: if a writer replaced the file meanwhile, skip it this time.
    if digest_file(path) == digest:
        build_index(path, dataset, digest)
    return EmbeddedStore(dataset, path)


def open_round(path: Path | str) -> EmbeddedStore:
    """A mapping round as an in-memory store: a store file, a dataset file or a directory."""
    return EmbeddedStore(read_dataset([Path(path)]), Path(path))


def dumps(dataset: Dataset) -> str:
    return json.dumps(dataset.to_document(), ensure_ascii=False, indent=1) + "\n"


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside ``path`` (blocks while another writer holds it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old or the new file, never a mix."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    # fsync the directory so the rename itself survives a crash.
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_store_file(path: Path, dataset: Dataset) -> None:
    with locked(Path(path)):
        atomic_write_text(Path(path), dumps(dataset))
        refresh_index(Path(path), dataset)


def refresh_index(path: Path, dataset: Dataset) -> None:
    """Rebuild the index beside the store file ``path``, which now holds ``dataset``.

    Called by writers while they hold the store's lock, right after their atomic write, so the
    checksum is that of the bytes they wrote.
    """
    build_index(path, dataset, digest_file(path))


def _read_base(path: Path) -> Dataset:
    """The store's dataset before a load: from the index's checksum when current (no
    re-validation), else read and validated."""
    index = StoreIndex.open(path, digest_file(path))
    if index is None:
        return read_store_file(path)
    index.close()
    return read_indexed_store(path, index.digest)


def init_store(path: Path | None = None, force: bool = False) -> Dataset:
    """Write the store from the bundled seed dataset; refuses to overwrite unless ``force``."""
    path = Path(path) if path else default_store_path()
    if path.exists() and not force:
        raise IgfmapError(f"{path}: store exists; use --force to overwrite it with the seed")
    dataset = seed_dataset()
    write_store_file(path, dataset)
    return dataset


@dataclass
class LoadReport:
    """What a load did (or would do, with ``dry_run``)."""

    path: str
    files: list[str]
    replace: bool
    dry_run: bool
    loaded: dict[str, int]
    added: dict[str, int]
    updated: dict[str, int]
    totals: dict[str, int]

    columns: ClassVar[list[str]] = ["section", "loaded", "added", "updated", "total"]

    def rows(self) -> list[dict]:
        return [
            {
                "section": s,
                "loaded": self.loaded[s],
                "added": self.added[s],
                "updated": self.updated[s],
                "total": self.totals[s],
            }
            for s in ("sources", "entities", "relations")
        ]

    def to_json(self) -> dict:
        return {
            "store": self.path,
            "files": self.files,
            "replace": self.replace,
            "dry_run": self.dry_run,
            "loaded": self.loaded,
            "added": self.added,
            "updated": self.updated,
            "totals": self.totals,
        }


def plan_load(
    base: Dataset, files: list[Path], replace: bool, dry_run: bool, target: str
) -> tuple[Dataset, LoadReport]:
    """Read and validate ``files`` against ``base``: the whole dataset after the load, and a report.

    Relations may refer to entities and sources ``base`` already holds, unless replacing.
    """
    incoming = read_dataset(files, existing=None if replace else base)
    result = incoming if replace else base.merge(incoming)
    added, updated = {}, {}
    for section in ("sources", "entities", "relations"):
        old, new = getattr(base, section), getattr(incoming, section)
        added[section] = sum(1 for k in new if k not in old)
        updated[section] = sum(1 for k in new if k in old and old[k] != new[k])
    report = LoadReport(
        path=target,
        files=[str(f) for f in files],
        replace=replace,
        dry_run=dry_run,
        loaded=incoming.counts(),
        added=added,
        updated=updated,
        totals=result.counts(),
    )
    return result, report


def load_files(
    files: list[Path],
    path: Path | None = None,
    replace: bool = False,
    dry_run: bool = False,
) -> LoadReport:
    """Validate ``files`` against the store, then merge (upsert) or replace, in one atomic write.

    A missing store starts empty (run ``init`` first to build on the seed). Nothing is written
    when validation fails (a :class:`~mapper.errors.DataError` lists every problem) or with ``dry_run``.
    """
    path = Path(path) if path else default_store_path()
    with locked(path):
        base = _read_base(path) if path.exists() else Dataset()
        result, report = plan_load(base, list(files), replace, dry_run, str(path))
        if not dry_run:
            atomic_write_text(path, dumps(result))
            refresh_index(path, result)
    return report


__all__ = [
    "EmbeddedStore",
    "LoadReport",
    "atomic_write_bytes",
    "atomic_write_text",
    "default_store_path",
    "dumps",
    "init_store",
    "load_files",
    "open_store",
    "read_indexed_store",
    "read_store_file",
    "refresh_index",
    "seed_dataset",
    "write_store_file",
]
