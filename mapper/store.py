"""The embedded store: one JSON file holding a dataset, read into a networkx MultiDiGraph.

The file is the canonical document of :meth:`Dataset.to_document` (sorted, stable field order,
UTF-8, ``schema_version`` first), so two saves of the same data are byte-identical and git diffs
stay readable. A store named ``*.yaml``/``*.yml`` is kept in YAML (a hand-written one with
comments is refused rather than rewritten without them). Writes are atomic (temp file in the
same folder, fsync, rename), keep the store's mode (a new file gets the umask's) and are
serialised by an exclusive lock on ``<store>.lock`` (:mod:`filelock`, so it works on every
system) so two writers cannot interleave; a writer that has to wait says so and gives up after
:func:`set_lock_timeout` seconds. A store given as a symlink is written through its link,
under the lock of the file it points to.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import orjson

from mapper.bulk import gc_paused
from mapper.cells import inert
from mapper.dataset import Dataset, graph_from_document, to_graph
from mapper.errors import IgfmapError, InterruptedAfterCommit, StoreChangedError
from mapper.index import IndexDamaged, StoreIndex, build_index, dataset_from_document, digest_file
from mapper.jsontext import document_bytes
from mapper.outputs import atomic_write_bytes, file_mode, real_path, sweep_stale
from mapper.readers import store_limits
from mapper.schema import Schema
from mapper.store_protocol import Backend, LoadReport, Store

DEFAULT_STORE_PATH = "igfmap-store.json"
STORE_ENV = "IGFMAP_STORE"
#: Seconds a writer waits for the store's lock before giving up (``--lock-timeout``).
DEFAULT_LOCK_TIMEOUT = 60.0
_lock_timeout = DEFAULT_LOCK_TIMEOUT
#: Store formats by file suffix: the store keeps the format its name says.
STORE_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


class LockTimeoutError(IgfmapError):
    """Another writer held the store's lock for longer than the lock timeout (exit code 1)."""

    exit_code = 1


def set_lock_timeout(seconds: float) -> None:
    """How long writers wait for a store's lock (the CLI's ``--lock-timeout``)."""
    global _lock_timeout
    _lock_timeout = float(seconds)


def lock_timeout() -> float:
    """Seconds a writer waits for a store's lock (or a Neo4j database's push claim)."""
    return _lock_timeout


def store_path(path: str | os.PathLike[str] | None) -> Path:
    """The store file ``path`` names, else ``$IGFMAP_STORE``, else ``./igfmap-store.json``: the one
    place the store's location is worked out (the CLI's ``--store`` and :func:`mapper.open` alike).

    >>> store_path("round2.json")
    PosixPath('round2.json')
    """
    return Path(path) if path else Path(os.environ.get(STORE_ENV) or DEFAULT_STORE_PATH)


def seed_path() -> Path:
    """The bundled seed dataset directory (installed as the ``seed_data`` package)."""
    return Path(str(resources.files("seed_data")))


def seed_dataset() -> Dataset:
    from mapper.validation import read_dataset  # only when a file must be validated

    return read_dataset([seed_path()], limits=store_limits())  # bundled and checked: only structural bounds


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
    def _document(self) -> dict[str, Any] | None:
        """The store document, parsed once, when its bytes still hash to the index's checksum
        (see :func:`read_indexed_document`); None when it must be read with validation."""
        assert self.path is not None and self._index is not None
        return read_indexed_document(self.path, self._index.digest)

    @cached_property
    def dataset(self) -> Dataset:
        assert self.path is not None
        doc = self._document
        return dataset_from_document(doc) if doc is not None else read_store_file(self.path)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        if "dataset" not in self.__dict__ and self._index is not None and (doc := self._document) is not None:
            # Straight from the verified document: the Dataset is built only if asked for.
            return graph_from_document(doc)
        return to_graph(self.dataset)

    def describe(self) -> str:
        if self.path is None:
            return "in-memory dataset"
        return "bundled seed dataset" if self.from_seed else str(self.path)

    def schema(self) -> Schema:
        return self._index.schema if self._index is not None else self.dataset.schema

    def snapshot(self) -> EmbeddedStore:
        return self

    @property
    def narrows(self) -> bool:
        """True with an index and no graph loaded yet: then a part is cheaper than the whole."""
        return self._index is not None and "graph" not in self.__dict__

    def around(self, ids: Iterable[str], relation_types: Iterable[str] | None = None) -> EmbeddedStore:
        """A store over the entities ``ids``, every relation touching one of them (of
        ``relation_types``, when given) and the entities at their other ends; itself when it
        does not :attr:`narrows`."""
        if self._index is None or not self.narrows:
            return self
        try:
            return EmbeddedStore(self._index.around(ids, relation_types), self.path)
        except IndexDamaged as err:
            return self._without_index(err)

    def entities_matching(self, text: str) -> EmbeddedStore:
        """A store over the entities whose id, name or an alias contains ``text`` (casefolded)
        and no relation; itself when it does not :attr:`narrows`."""
        if self._index is None or not self.narrows:
            return self
        try:
            return EmbeddedStore(self._index.entities_matching(text), self.path)
        except IndexDamaged as err:
            return self._without_index(err)

    def _without_index(self, err: IndexDamaged) -> EmbeddedStore:
        """Itself, answering from the store file from now on, after the index turned out damaged:
        a note says so, and the index is rebuilt from the store (never trusted to answer)."""
        assert self.path is not None and self._index is not None
        index, self._index = self._index, None
        index.close()
        self.dataset = read_indexed_store(self.path, index.digest)
        _note_damaged(self.path, err)
        real = real_path(self.path)
        if digest_file(real) == index.digest:
            build_index(real, self.dataset, index.digest)
        return self

    def load_files(self, files: Iterable[Path], replace: bool = False, dry_run: bool = False) -> LoadReport:
        """Validate ``files`` against this store's file, then write it (see :func:`load_files`)."""
        return load_files(list(files), self.path, replace=replace, dry_run=dry_run)


if TYPE_CHECKING:  # mypy checks here that the class implements the protocol it is used as
    _AS_STORE: type[Store] = EmbeddedStore


def read_store_file(path: Path) -> Dataset:
    """Read a store file (or any dataset JSON document) with validation."""
    from mapper.validation import read_dataset  # only when a file must be validated

    return read_dataset([path], limits=store_limits())


def read_indexed_store(path: Path, digest: str) -> Dataset:
    """The store's dataset, without validation when its bytes still hash to ``digest`` (the
    checksum of the index); with validation when the file changed since (a stale index is
    never trusted)."""
    doc = read_indexed_document(path, digest)
    return dataset_from_document(doc) if doc is not None else read_store_file(path)


def read_indexed_document(path: Path, digest: str) -> dict[str, Any] | None:
    """The store document, parsed without validation, when the file's bytes hash to ``digest``
    (bytes igfmap wrote and validated, so canonical: records sorted, each once); None when it
    changed since or is YAML (the caller then reads it with validation)."""
    if store_format(path) != "json":  # the fast path parses JSON; a YAML store is read in full
        return None
    # Read whole, not mapped: a file truncated in place while mapped (an editor rewriting the
    # store as a command reads it) would kill the process with SIGBUS instead of an error.
    data = Path(path).read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        return None
    # orjson parses them in a third of json's time.
    with gc_paused():
        doc: dict[str, Any] = orjson.loads(data)
    return doc


def _note_damaged(path: Path, err: IndexDamaged) -> None:
    print(
        f"note: the index beside {path} is damaged ({err}); answered from the store, and the index rebuilt",
        file=sys.stderr,
    )


def _open_index(path: Path, real: Path, digest: str) -> StoreIndex | None:
    """:meth:`StoreIndex.open`, with a note when the index is current but damaged (the caller
    then reads the store, and rebuilds the index)."""
    try:
        return StoreIndex.open(real, digest)
    except IndexDamaged as err:
        _note_damaged(path, err)
        return None


def open_store(path: Path | None = None) -> EmbeddedStore:
    """Open the store at ``path``; when the file does not exist, the bundled seed dataset.

    With a current index beside the file nothing is parsed yet; without one (first open, or
    the file changed outside igfmap) the file is read and validated, and the index rebuilt.
    """
    path = store_path(path)
    if not path.exists():
        return EmbeddedStore(seed_dataset(), path, from_seed=True)
    real = real_path(path)
    sweep_stale(real)  # temp files of writers killed earlier
    digest = digest_file(real)
    index = _open_index(path, real, digest)
    if index is not None:
        return EmbeddedStore(path=path, index=index)
    dataset = read_store_file(path)
    # Index only what was validated: if a writer replaced the file meanwhile, skip it this time.
    if digest_file(real) == digest:
        build_index(real, dataset, digest)
    return EmbeddedStore(dataset, path)


def open_round(path: Path | str) -> EmbeddedStore:
    """A mapping round as an in-memory store: a store file, a dataset file or a directory."""
    from mapper.validation import read_dataset  # only when a file must be validated

    return EmbeddedStore(read_dataset([Path(path)]), Path(path))


def store_format(path: Path | str) -> str:
    """``json`` or ``yaml``, from the store's suffix; anything else is refused."""
    path = Path(path)
    fmt = STORE_SUFFIXES.get(path.suffix.lower())
    if fmt is None or path.is_dir():
        raise IgfmapError(
            f"{path}: a store is one .json or .yaml file; to add a {path.suffix or 'folder'} dataset "
            f"to a store run `igfmap --store STORE.json load {path}`"
        )
    return fmt


def dump_bytes(dataset: Dataset, fmt: str = "json") -> bytes:
    """The store document of ``dataset`` as JSON (default) or YAML, UTF-8: what a store file
    and a dataset file of that format hold."""
    if fmt == "yaml":
        import yaml

        text = yaml.safe_dump(
            dataset.to_document(), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
        )
        return text.encode("utf-8")
    return document_bytes(dataset.to_document())


def dumps(dataset: Dataset, fmt: str = "json") -> str:
    """:func:`dump_bytes` as text."""
    return dump_bytes(dataset, fmt).decode("utf-8")


def _refuse_commented_yaml(path: Path) -> None:
    """A hand-written YAML store with comments would lose them when rewritten: refuse instead."""
    if store_format(path) != "yaml" or not path.is_file():
        return
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if line.lstrip().startswith("#"):
                raise IgfmapError(
                    f"{path}:{number}: store: this YAML store has comments, which a write would drop; "
                    f"load into a copy without comments or into a .json store (--store NEW.json)"
                )


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of the store ``path`` (of the file a symlink points to).

    When another writer holds it, says so once on stderr and waits up to ``timeout`` seconds
    (default :func:`set_lock_timeout`), then raises :class:`LockTimeoutError`.
    """
    from filelock import FileLock, Timeout

    path = real_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    timeout = _lock_timeout if timeout is None else timeout
    lock = FileLock(str(path.with_name(path.name + ".lock")), mode=file_mode())
    try:
        lock.acquire(blocking=False)
    except Timeout:
        print(
            inert(
                f"waiting for the lock on {path} held by another igfmap (up to {timeout:g} s; --lock-timeout)"
            ),
            file=sys.stderr,
            flush=True,
        )
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise LockTimeoutError(
                f"{path}: still locked by another igfmap after {timeout:g} s; nothing written "
                f"(try again when it has finished, or raise --lock-timeout)"
            ) from None
    try:
        yield
    finally:
        lock.release()


#: What identifies the bytes of a store file a writer read: (inode, size, mtime in ns, SHA-256);
#: None for a missing file.
StoreIdentity = tuple[int, int, int, str] | None


def store_identity(path: Path) -> StoreIdentity:
    """The identity of the file at ``path`` now (see :data:`StoreIdentity`)."""
    try:
        before = os.stat(path)
    except FileNotFoundError:
        return None
    digest = digest_file(path)
    after = os.stat(path)
    if (before.st_ino, before.st_size, before.st_mtime_ns) != (
        after.st_ino,
        after.st_size,
        after.st_mtime_ns,
    ):
        return (-1, -1, -1, "changing")  # written to while hashed: matches nothing
    return (after.st_ino, after.st_size, after.st_mtime_ns, digest)


def _still(path: Path, expect: StoreIdentity) -> Callable[[], None]:
    """The compare-and-swap check run right before the store's rename: the file must still be
    the one the writer read, else :class:`StoreChangedError` (nothing written)."""

    def check() -> None:
        if store_identity(path) != expect:
            raise StoreChangedError(
                f"{path}: replaced by another program while this write ran (it holds other content "
                "than was read); nothing written: run the command again to apply it to the new content"
            )

    return check


def _write_store_unlocked(path: Path, dataset: Dataset, expect: StoreIdentity | str = "") -> None:
    """Write the store (compare-and-swap against ``expect``, a :func:`store_identity`, unless
    it is ``""``), then its index. An interrupt after the rename says the store was written."""
    path = real_path(path)
    sweep_stale(path, every=True)  # under the lock: any temp file of the store is a killed writer's
    data = dump_bytes(dataset, store_format(path))
    cas = None if isinstance(expect, str) else _still(path, expect)
    atomic_write_bytes(path, data, before_rename=cas, commit=f"{path} was written in full")
    try:  # the commit point is behind us
        refresh_index(path, dataset, data)
    except KeyboardInterrupt:
        raise InterruptedAfterCommit(
            f"{path} was written in full; its index was not (the next command rebuilds it)"
        ) from None


def write_store_file(path: Path, dataset: Dataset) -> None:
    """Write ``dataset`` as the store ``path`` (in the format its suffix names), locked and atomic."""
    store_format(path)
    with locked(Path(path)):
        _write_store_unlocked(Path(path), dataset)


def refresh_index(path: Path, dataset: Dataset, written: bytes | None = None) -> None:
    """Rebuild the index beside the store file ``path``, which now holds ``dataset``.

    Called by writers while they hold the store's lock, right after their atomic write, so the
    checksum is that of the bytes they wrote (``written``, when they pass them: hashed in
    memory rather than read back).
    """
    digest = hashlib.sha256(written).hexdigest() if written is not None else digest_file(path)
    build_index(path, dataset, digest)


def _read_base(path: Path) -> Dataset:
    """The store's dataset before a load: from the index's checksum when current (no
    re-validation), else read and validated."""
    real = real_path(path)
    index = _open_index(path, real, digest_file(real))
    if index is None:
        return read_store_file(path)
    index.close()
    return read_indexed_store(real, index.digest)


def init_store(path: Path | None = None, force: bool = False) -> Dataset:
    """Write the store from the bundled seed dataset; refuses to overwrite unless ``force``."""
    path = store_path(path)
    store_format(path)
    if path.exists() and not force:
        raise IgfmapError(
            f"{path}: store exists (and may hold data you loaded); nothing written. "
            f"Use it as it is, choose another --store, or pass --force to replace it with the seed"
        )
    if force:
        _refuse_commented_yaml(real_path(path))
    dataset = seed_dataset()
    write_store_file(path, dataset)
    return dataset


def update_store(path: Path, change: Callable[[Dataset], Dataset]) -> tuple[Dataset, Dataset]:
    """Under the store's lock: read it, compute ``change(before)``, and write the result in one
    atomic write when it differs. Returns (before, after); a missing store starts empty.

    For writers that decide from what the store holds (``intake --apply``), so no other writer
    slips in between the read and the write.
    """
    path = Path(path)
    store_format(path)
    _refuse_commented_yaml(real_path(path))
    with locked(path), gc_paused():
        seen = store_identity(real_path(path))
        before = _read_base(path) if path.exists() else Dataset()
        after = change(before)
        if after != before:
            _write_store_unlocked(path, after, expect=seen)
    return before, after


def plan_load(
    base: Dataset, files: list[Path], replace: bool, dry_run: bool, target: str
) -> tuple[Dataset, LoadReport]:
    """Read and validate ``files`` against ``base``: the whole dataset after the load, and a report.

    Relations may refer to entities and sources ``base`` already holds, unless replacing.
    """
    from mapper.validation import read_dataset  # only when a file must be validated

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
    path = store_path(path)
    store_format(path)
    if not dry_run:
        _refuse_commented_yaml(real_path(path))
    planned = None
    if not path.exists():
        # Validate first, so a refused load into a new store leaves no lock file behind either.
        planned = plan_load(Dataset(), list(files), replace, dry_run, str(path))
        if dry_run:
            return planned[1]
    with locked(path), gc_paused():
        # What this load reads, so the commit can check nothing else replaced it meanwhile (a
        # program that ignores the lock: `cp other.json s.json`).
        seen = store_identity(real_path(path))
        if path.exists() or planned is None:  # another writer may have created it meanwhile
            base = _read_base(path) if path.exists() else Dataset()
            planned = plan_load(base, list(files), replace, dry_run, str(path))
        result, report = planned
        if not dry_run:
            _write_store_unlocked(path, result, expect=seen)
    return report


__all__ = [
    "EmbeddedStore",
    "LoadReport",
    "LockTimeoutError",
    "dump_bytes",
    "dumps",
    "init_store",
    "load_files",
    "lock_timeout",
    "open_store",
    "read_indexed_store",
    "read_store_file",
    "refresh_index",
    "seed_dataset",
    "set_lock_timeout",
    "store_format",
    "store_path",
    "update_store",
    "write_store_file",
]
