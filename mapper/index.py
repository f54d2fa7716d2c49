"""The store's index: a SQLite file beside the JSON store, so reads skip parsing and validation.

The JSON store stays the canonical document users version and exchange. Beside it,
``.<store name>.index`` holds the same records keyed for lookup (entities by id, relations by
either end, sources by id) and the SHA-256 of the exact store bytes it was built from. It is
trusted only while that checksum matches the store file: any other write to the store (an
editor, ``git checkout``, another tool) makes it stale, and a stale index is never read: the
store is then read and validated as before, and the index rebuilt.

Its own content is checked too, so that a damaged index cannot change an answer: each row
carries a CRC-32 checked whenever it is read, each entity row the number of relations of each
type that touch it (checked by :meth:`StoreIndex.around`), the meta the row counts (checked on
opening) and a digest over all row checksums (checked with SQLite's ``quick_check`` after a
build ended uncleanly). Any doubt raises :class:`IndexDamaged`: the caller answers from the
store, says so, and rebuilds the index.

What this buys (see BENCHMARKS.md):

* Queries about one entity (``show``, ``who``, ``what``, resolving an id) read only that
  entity's relations and neighbours from SQLite (:meth:`StoreIndex.around`), without building
  the whole graph.
* Whole-store reads (``gaps``, ``map``, ``stats``) skip validation: the content was validated
  when it entered the store (``init``, ``load``) or when the index was last rebuilt, and the
  checksum proves it has not changed since. ``igfmap validate`` with no PATH re-validates
  on request.

Why SQLite rather than a pickle: a pickle of the whole dataset must be read whole (7 s at
150,000 entities on the 2-core benchmark machine, about as long as ``json.loads``), while a
SQLite lookup reads a few pages. SQLite is in the standard library.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from mapper.dataset import Dataset, Record, relation_key, schema_from_extension
from mapper.schema import Schema

#: Written into every index; an index of another format (or a file that is not ours) is ignored.
FORMAT = "igfmap-index/4"
_CHUNK = 1 << 20
# SQLite limits the number of parameters of one statement; ids are looked up in chunks.
_MAX_PARAMS = 900

_SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (id TEXT PRIMARY KEY, record BLOB NOT NULL, sum INTEGER NOT NULL);
CREATE TABLE entities (
    id TEXT PRIMARY KEY, names TEXT NOT NULL, degrees TEXT NOT NULL, record BLOB NOT NULL, sum INTEGER NOT NULL
);
CREATE TABLE relations (
    key TEXT PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, type TEXT NOT NULL, record BLOB NOT NULL,
    sum INTEGER NOT NULL
);
"""
#: The columns each table's row checksum (``sum``) covers, in order.
_SUMMED = {
    "sources": ("id", "record"),
    "entities": ("id", "names", "degrees", "record"),
    "relations": ("key", "source", "target", "type", "record"),
}
# Built after the rows are in: one sort is much cheaper than keeping the indexes up to date.
_INDEX_SQL = """
CREATE INDEX relations_source ON relations (source);
CREATE INDEX relations_target ON relations (target);
"""


def index_path(store_path: Path) -> Path:
    """Where the index of ``store_path`` lives: a hidden file beside it."""
    store_path = Path(store_path)
    return store_path.with_name(f".{store_path.name}.index")


def digest_stream(handle: IO[bytes]) -> str:
    """SHA-256 of everything ``handle`` reads from its current position (hex)."""
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def digest_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return digest_stream(handle)


def dataset_from_document(doc: dict[str, Any]) -> Dataset:
    """A :class:`Dataset` from a store document already known to be valid (no validation).

    Only for bytes whose checksum matches an index: the store wrote them canonical, so the
    records are used as they are.
    """
    return Dataset(
        sources={r["id"]: r for r in doc.get("sources", [])},
        entities={r["id"]: r for r in doc.get("entities", [])},
        relations={relation_key(r): r for r in doc.get("relations", [])},
        schema=schema_from_extension(doc.get("schema")),
    )


class IndexDamaged(Exception):
    """The index could not be read (a damaged page, a record that is not JSON, a row whose
    checksum does not match): the caller answers from the store instead, and rebuilds the index."""


#: What reading a damaged index raises: SQLite's errors, a record that is not (whole) JSON,
#: one that is not a record.
_DAMAGE = (sqlite3.Error, orjson.JSONDecodeError, KeyError, TypeError, AttributeError, IndexDamaged)


def row_sum(*columns: str | bytes) -> int:
    """The checksum of one row (CRC-32 of its columns, separated): written with the row, checked
    whenever the row is read, so a changed byte is never answered. It detects damage (a flipped
    bit, a garbled page), not a forger, who could as easily rewrite the store itself."""
    return zlib.crc32(
        b"\x1f".join(c if isinstance(c, bytes) else c.encode("utf-8", "surrogatepass") for c in columns)
    )


def _checked(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """``row`` (its checksummed columns, then its ``sum``) when the sum matches; else IndexDamaged."""
    if row_sum(*row[:-1]) != row[-1]:
        raise IndexDamaged(f"a row's checksum does not match its content ({str(row[0])[:80]!r})")
    return row


def _whole(db: sqlite3.Connection, meta: dict[str, str]) -> bool:
    """Whether every table holds the rows the index was built with (its meta's counts): a
    deleted row would otherwise make an answer silently shorter. False on a read error."""
    try:
        counts = json.loads(meta["counts"])
        for table in _SUMMED:  # constants, not input
            (rows,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()
            if rows != counts.get(table):
                return False
    except (*_DAMAGE, ValueError):
        return False
    return True


def _content_digest(db: sqlite3.Connection) -> str:
    """SHA-256 over every row's checksum, table by table in the order written (the meta's
    ``content``); raises IndexDamaged on the first row whose checksum does not match it."""
    digest = hashlib.sha256()
    for table, columns in _SUMMED.items():  # constants, not input
        for row in db.execute(f"SELECT {', '.join(columns)}, sum FROM {table} ORDER BY rowid"):
            digest.update(_checked(row)[-1].to_bytes(4, "big"))
    return digest.hexdigest()


def verify_content(db: sqlite3.Connection, meta: dict[str, str]) -> bool:
    """The full check, run when a build may have ended uncleanly: SQLite's ``quick_check``
    (page structure), then every row's checksum and their digest against the meta's. It reads
    the whole file (0.5 s at 50,000 entities, see docs/store.md), so it is not run on every open."""
    try:
        if db.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            return False
        return _content_digest(db) == meta.get("content")
    except _DAMAGE:
        return False


def _unclean_builds(path: Path) -> bool:
    """Whether a build of this index ended uncleanly (killed, or the machine stopped): it left
    a temp file whose writer is gone. Sweeping it here makes the full check run once."""
    from mapper.outputs import sweep_stale

    return any(p.name.endswith(".tmp") for p in sweep_stale(path))


class StoreIndex:
    """An open, current index (its checksum matched the store bytes it was opened for).

    Its queries raise :class:`IndexDamaged` when the file turns out to be damaged: every row
    they read is checked against its checksum, and every entity's relations against the counts
    stored with it.
    """

    def __init__(self, connection: sqlite3.Connection, digest: str, schema: Schema, counts: dict[str, int]):
        self._db = connection
        self.digest = digest
        self.schema = schema
        self.counts = counts

    @classmethod
    def open(cls, store_path: Path, digest: str) -> StoreIndex | None:
        """The index of ``store_path`` when it exists, is ours, and was built from bytes with
        SHA-256 ``digest``; otherwise None (missing, stale, unreadable or someone else's file).
        :class:`IndexDamaged` when it is current but short of rows or, checked in full after
        an unclean build (:func:`verify_content`), damaged: the caller says so, and rebuilds it."""
        path = index_path(store_path)
        if not path.is_file():  # a regular file only: SQLite would block on a FIFO
            return None
        unclean = _unclean_builds(path)
        try:
            # Read-only: opening never creates or changes the file, so a stale or foreign file
            # at this path is left exactly as it is.
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return None
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error:
            db.close()
            return None
        if meta.get("format") != FORMAT or meta.get("sha256") != digest:
            db.close()
            return None  # stale, or not ours: rebuilt without a word, as it says nothing wrong
        doubt = "rows are missing" if not _whole(db, meta) else ""
        if not doubt and unclean and not verify_content(db, meta):
            doubt = "a build ended uncleanly, and the full check then failed"
        if doubt:
            db.close()
            raise IndexDamaged(doubt)
        return cls(db, digest, schema_from_extension(json.loads(meta["schema"])), json.loads(meta["counts"]))

    def close(self) -> None:
        self._db.close()

    def _rows(self, table: str, ids: Iterable[str], *, every: bool = True) -> dict[str, tuple[Any, ...]]:
        """The rows of ``ids`` in ``table`` (their checksummed columns, then ``sum``), each
        checked. ``every``: each id must be there (another row names it), else IndexDamaged."""
        ids = sorted(set(ids))
        columns = ", ".join(_SUMMED[table])  # table: a constant
        found: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(ids), _MAX_PARAMS):
            chunk = ids[start : start + _MAX_PARAMS]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT {columns}, sum FROM {table} WHERE id IN ({marks})"
            found.update((row[0], _checked(row)) for row in self._db.execute(query, chunk))
        if every and len(found) != len(ids):
            raise IndexDamaged(f"{len(ids) - len(found)} {table} row(s) named by other rows are missing")
        return found

    def _records(self, table: str, ids: Iterable[str]) -> dict[str, Record]:
        return {key: orjson.loads(row[-2]) for key, row in self._rows(table, ids).items()}

    def _touching(self, ids: list[str], types: list[str] | None) -> dict[str, Record]:
        rels: dict[str, Record] = {}
        only = f" AND type IN ({','.join('?' * len(types))})" if types else ""
        columns = ", ".join(_SUMMED["relations"])
        step = _MAX_PARAMS - len(types or [])
        for start in range(0, len(ids), step):
            chunk = ids[start : start + step]
            marks = ",".join("?" * len(chunk))
            for end in ("source", "target"):
                # end and the placeholders are constants; every value is a parameter.
                query = f"SELECT {columns}, sum FROM relations WHERE {end} IN ({marks}){only}"
                rels.update(
                    (row[0], orjson.loads(_checked(row)[-2]))
                    for row in self._db.execute(query, [*chunk, *(types or [])])
                )
        return rels

    def around(self, ids: Iterable[str], relation_types: Iterable[str] | None = None) -> Dataset:
        """:meth:`_around`, or :class:`IndexDamaged`."""
        try:
            return self._around(ids, relation_types)
        except IndexDamaged:
            raise
        except _DAMAGE as err:
            raise IndexDamaged(f"{type(err).__name__}: {err}") from None

    def _around(self, ids: Iterable[str], relation_types: Iterable[str] | None = None) -> Dataset:
        """The entities ``ids``, every relation touching one of them (of ``relation_types``
        only, when given), the entities at the other ends of those relations, and every source
        any of these cite."""
        centre = sorted(set(ids))
        types = sorted(set(relation_types)) if relation_types else None
        relations = self._touching(centre, types)
        known = self._rows("entities", centre, every=False)  # an unknown id is no damage
        _check_degrees({key: json.loads(row[2]) for key, row in known.items()}, relations.values(), types)
        wanted = {end for rel in relations.values() for end in (rel["source"], rel["target"])} - set(known)
        entities = {key: orjson.loads(row[-2]) for key, row in known.items()}
        entities.update(self._records("entities", wanted))
        cited = {s for record in [*entities.values(), *relations.values()] for s in record.get("sources", [])}
        return Dataset(
            sources=self._records("sources", cited),
            entities=entities,
            relations={relation_key(r): r for r in relations.values()},
            schema=self.schema,
        )

    def entities_matching(self, text: str) -> Dataset:
        """Every entity whose id, name or an alias contains ``text`` (casefolded), no relation,
        no source: what ``search`` ranks. Every row is checked as it is scanned, as a row whose
        names were damaged would otherwise go missing from the answer."""
        try:
            self._db.create_function("igfmap_sum", -1, row_sum, deterministic=True)
            columns = ", ".join(_SUMMED["entities"])
            rows = self._db.execute(
                f"SELECT {columns}, sum FROM entities WHERE instr(names, ?) > 0 OR igfmap_sum({columns}) != sum",
                (text.casefold(),),
            )
            entities = [orjson.loads(_checked(row)[-2]) for row in rows]
            return Dataset(entities={r["id"]: r for r in entities}, schema=self.schema)
        except IndexDamaged:
            raise
        except _DAMAGE as err:
            raise IndexDamaged(f"{type(err).__name__}: {err}") from None


def _check_degrees(
    degrees: dict[str, dict[str, int]], relations: Iterable[Record], types: list[str] | None
) -> None:
    """IndexDamaged unless each entity has as many relations (of ``types``) as its row's
    ``degrees`` say: a relation row deleted, or damaged so that no lookup finds it, would
    otherwise shorten the answer."""
    found = dict.fromkeys(degrees, 0)
    for rel in relations:
        for end in {rel["source"], rel["target"]}:
            if end in found:
                found[end] += 1
    for entity_id, by_type in degrees.items():
        expected = sum(n for t, n in by_type.items() if types is None or t in types)
        if found[entity_id] != expected:
            raise IndexDamaged(
                f"{entity_id!r} has {found[entity_id]} relation row(s) where {expected} were written"
            )


def _degrees(relations: Iterable[Record]) -> dict[str, dict[str, int]]:
    """For each entity, how many relations of each type touch it (a relation to itself once)."""
    counts: dict[str, dict[str, int]] = {}
    for rel in relations:
        source, target, kind = rel["source"], rel["target"], rel["type"]
        by_type = counts.setdefault(source, {})
        by_type[kind] = by_type.get(kind, 0) + 1
        if target != source:
            by_type = counts.setdefault(target, {})
            by_type[kind] = by_type.get(kind, 0) + 1
    return counts


def _names(entity: Record) -> str:
    """Id, name and aliases casefolded, one a line: text ``search`` matches within.

    A text found in one of them is found in this string, so a substring test on it selects a
    superset of the matches; ``search`` then ranks and filters exactly as it does on a graph.
    """
    names = [entity["id"], entity.get("name") or "", *(entity.get("aliases") or [])]
    return "\n".join(str(n).casefold() for n in names)


def _mode_of(store_path: Path) -> int:
    """The store file's permissions (the index holds the same data: never more readable than
    the store), or those a new file gets when the store is missing."""
    try:
        return store_path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def build_index(store_path: Path, dataset: Dataset, digest: str) -> Path | None:
    """Write the index of ``store_path`` for ``dataset`` (whose store bytes hash to ``digest``).

    Built in a temp file beside it and renamed into place, so a reader sees the old index or
    the new one. Returns the index path, or None when it could not be written (a read-only
    folder, a full disk, or a path that holds something other than an index of ours): the
    store works without an index, only slower.
    """
    path = index_path(store_path)
    if path.exists() and not _is_ours(path):
        return None  # never replace a file we did not create
    from mapper.outputs import sweep_stale, temp_path

    sweep_stale(path)  # builds killed before (their names carry host and process id)
    tmp = temp_path(path)  # SQLite creates it: the name is only reserved by its process id
    try:
        _fill(tmp, dataset, digest)
        os.chmod(tmp, _mode_of(store_path))
        os.replace(tmp, path)
    except BaseException as err:  # an interrupt too: no temp file outlives the build
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, (OSError, sqlite3.Error)):
            return None
        raise
    return path


def _is_ours(path: Path) -> bool:
    if not path.is_file():  # a FIFO, a folder, a device: not ours, and never opened
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.Error:
        return False
    return bool(row) and str(row[0]).startswith("igfmap-index/")


def _summed(rows: Iterable[tuple[Any, ...]], content: array[int]) -> Iterator[tuple[Any, ...]]:
    """Each row (text columns, then the record's JSON bytes) with its checksum appended; the
    checksums are also kept in ``content``, in order, for the meta's digest over all of them
    (:func:`_digest_of`): no second pass.

    The checksum is :func:`row_sum`'s, computed as the CRC of the text columns joined and
    encoded at once, continued over the bytes: the same bytes, without encoding each column
    apart (half a million rows at scale).
    """
    crc32 = zlib.crc32
    for row in rows:
        crc = crc32(row[-1], crc32("\x1f".join(row[:-1]).encode("utf-8", "surrogatepass") + b"\x1f"))
        content.append(crc)
        yield (*row, crc)


def _digest_of(checksums: array[int]) -> str:
    """SHA-256 of the checksums, each as 4 big-endian bytes, in order: what
    :func:`_content_digest` computes from the rows as written."""
    if sys.byteorder == "little":
        checksums = array("I", checksums)
        checksums.byteswap()
    return hashlib.sha256(checksums.tobytes()).hexdigest()


def _fill(tmp: Path, dataset: Dataset, digest: str) -> None:
    db = sqlite3.connect(tmp)
    try:
        # A fresh file nobody reads until it is renamed: no journal needed; one fsync at the end.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(_SCHEMA_SQL)

        # Records as compact UTF-8 JSON, kept as bytes: orjson reads them back as they are.
        dumps = orjson.dumps
        content: array[int] = array("I")
        degrees = _degrees(dataset.relations.values())
        db.executemany(
            "INSERT INTO sources VALUES (?, ?, ?)",
            _summed(((k, dumps(r)) for k, r in dataset.sources.items()), content),
        )
        db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
            _summed(
                (
                    (k, _names(r), dumps(degrees.get(k, {})).decode(), dumps(r))
                    for k, r in dataset.entities.items()
                ),
                content,
            ),
        )
        db.executemany(
            "INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?)",
            _summed(
                (
                    ("|".join(k), r["source"], r["target"], r["type"], dumps(r))
                    for k, r in dataset.relations.items()
                ),
                content,
            ),
        )
        db.executescript(_INDEX_SQL)
        meta = {
            "format": FORMAT,
            "sha256": digest,
            "schema": json.dumps(dataset.schema.extension or None),
            "counts": json.dumps(dataset.counts()),
            "content": _digest_of(content),
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.commit()
    finally:
        db.close()
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())


__all__ = [
    "FORMAT",
    "IndexDamaged",
    "StoreIndex",
    "build_index",
    "dataset_from_document",
    "digest_file",
    "digest_stream",
    "index_path",
    "row_sum",
    "verify_content",
]
