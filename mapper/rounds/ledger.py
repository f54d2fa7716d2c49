"""The round ledger: which contributor was sent what and when, which returns came in, the
proposals made from them and what became of each, and the store as it was before the round's
first apply (so ``round status`` can say what the round changed).

Where it lives follows the store:

* an embedded store ``S.json`` keeps it in the folder ``S.rounds/`` beside it: ``ledger.json``
  and one ``NAME.before.json`` per round (a store document), each written atomically;
* a Neo4j database keeps it in ``IgfmapMeta`` nodes, as the push marker is kept: ``{id:
  'rounds'}`` holds the ledger as JSON, ``{id: 'round-before:NAME'}`` the store document.
  ``push --wipe`` clears them with everything else.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from mapper.dataset import Dataset
from mapper.errors import UsageError
from mapper.graph_names import META_LABEL
from mapper.schema import ID_RE

if TYPE_CHECKING:  # types only: the Neo4j store loads when a command connects to one
    from mapper.neo4j import Neo4jStore
    from mapper.store_protocol import Store

LEDGER_VERSION = 1
#: Ids of the ledger's bookkeeping nodes in a Neo4j database (label :data:`META_LABEL`).
ROUNDS_ID = "rounds"
BASELINE_ID = "round-before:"
RoundDoc = dict[str, Any]


#: The ids of the sources a round's returns are cited as start with this.
SOURCE_PREFIX = "round."


def return_source_id(round_name: str, contributor: str, own: bool = True) -> str:
    """The source a return is cited as: ``round.ROUND.ID`` for what a contributor says of
    itself, ``round.ROUND.ID.about-others`` for what it says of others."""
    return f"{SOURCE_PREFIX}{round_name}.{contributor}" + ("" if own else ".about-others")


def check_round_name(name: str) -> str:
    """A round name is an id (lowercase letters, digits, ``. _ -``): it names files and sources."""
    if not ID_RE.match(name or ""):
        raise UsageError(
            f"--round {name!r}: a round name is lowercase letters, digits, '.', '_' or '-' (e.g. gdc-2025)"
        )
    return name


def new_round(name: str) -> RoundDoc:
    return {"name": name, "sent": {}, "returns": {}, "proposals": {}, "applied": []}


class Ledger(Protocol):
    """Where a store keeps its rounds."""

    def describe(self) -> str: ...

    def read(self) -> dict[str, RoundDoc]: ...

    def write(self, rounds: dict[str, RoundDoc]) -> None: ...

    def baseline(self, name: str) -> Dataset | None: ...

    def keep_baseline(self, name: str, dataset: Dataset) -> None: ...

    def locked(self) -> contextlib.AbstractContextManager[None]: ...


class FileLedger:
    """The ledger of an embedded store: the folder ``<store stem>.rounds/`` beside it."""

    def __init__(self, store_path: Path):
        self.folder = Path(store_path).with_suffix(".rounds")

    def describe(self) -> str:
        return str(self.folder / "ledger.json")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """The ledger's own lock (``ledger.json.lock``), as a store's writers hold the store's."""
        from mapper.store import locked

        with locked(self.folder / "ledger.json"):
            yield

    def read(self) -> dict[str, RoundDoc]:
        path = self.folder / "ledger.json"
        if not path.is_file():
            return {}
        doc = json.loads(path.read_text(encoding="utf-8"))
        rounds: dict[str, RoundDoc] = doc.get("rounds", {})
        return rounds

    def write(self, rounds: dict[str, RoundDoc]) -> None:
        from mapper.outputs import atomic_write_text

        doc = {"ledger_version": LEDGER_VERSION, "rounds": dict(sorted(rounds.items()))}
        atomic_write_text(self.folder / "ledger.json", json.dumps(doc, indent=1, ensure_ascii=False) + "\n")

    def baseline(self, name: str) -> Dataset | None:
        from mapper.store import read_store_file

        path = self.folder / f"{name}.before.json"
        return read_store_file(path) if path.is_file() else None

    def keep_baseline(self, name: str, dataset: Dataset) -> None:
        from mapper.outputs import atomic_write_bytes
        from mapper.store import dump_bytes

        path = self.folder / f"{name}.before.json"
        if not path.exists():  # the store before the round's FIRST apply
            atomic_write_bytes(path, dump_bytes(dataset))


class Neo4jLedger:
    """The ledger of a Neo4j database: ``IgfmapMeta`` nodes (see the module docstring)."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def describe(self) -> str:
        return f"the IgfmapMeta nodes of {self.store.describe()}"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Nothing to hold: each write replaces the ledger node whole (last writer wins)."""
        yield

    def read(self) -> dict[str, RoundDoc]:
        rows = self.store.run(
            f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.ledger AS ledger", {"id": ROUNDS_ID}
        )
        if not rows or not rows[0]["ledger"]:
            return {}
        rounds: dict[str, RoundDoc] = json.loads(rows[0]["ledger"]).get("rounds", {})
        return rounds

    def write(self, rounds: dict[str, RoundDoc]) -> None:
        doc = {"ledger_version": LEDGER_VERSION, "rounds": dict(sorted(rounds.items()))}
        self.store.run(
            f"MERGE (m:{META_LABEL} {{id: $id}}) SET m.ledger = $ledger",
            {"id": ROUNDS_ID, "ledger": json.dumps(doc, ensure_ascii=False)},
            write=True,
        )

    def baseline(self, name: str) -> Dataset | None:
        from mapper.index import dataset_from_document

        rows = self.store.run(
            f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.document AS document", {"id": BASELINE_ID + name}
        )
        return dataset_from_document(json.loads(rows[0]["document"])) if rows else None

    def keep_baseline(self, name: str, dataset: Dataset) -> None:
        from mapper.store import dump_bytes

        self.store.run(
            f"MERGE (m:{META_LABEL} {{id: $id}}) ON CREATE SET m.document = $document",
            {"id": BASELINE_ID + name, "document": dump_bytes(dataset).decode("utf-8")},
            write=True,
        )


def on_neo4j(store: Store) -> TypeGuard[Neo4jStore]:
    """Whether ``store`` is a Neo4j database: the one place rounds ask (the ledger lives there,
    reads go to the server, an apply writes what changed)."""
    return store.backend == "cypher"


def current_dataset(store: Store) -> Dataset:
    """What ``store`` holds now (a Neo4j store's ``snapshot`` keeps its first read)."""
    if on_neo4j(store):
        return store.read_dataset()
    return store.snapshot().dataset


def ledger_for(store: Store) -> Ledger:
    """The ledger of ``store``: in the Neo4j database, or beside the embedded store's file."""
    if on_neo4j(store):
        return Neo4jLedger(store)
    if store.path is None:  # an in-memory store: nowhere to keep a ledger
        raise UsageError(f"{store.describe()} has no file to keep the rounds' ledger beside")
    return FileLedger(store.path)


def round_doc(ledger: Ledger, name: str, *, must_exist: bool = False) -> tuple[dict[str, RoundDoc], RoundDoc]:
    """All rounds of ``ledger`` and the one called ``name`` (a new one unless ``must_exist``)."""
    rounds = ledger.read()
    if name not in rounds:
        if must_exist:
            from mapper.errors import NotFoundError, did_you_mean

            raise NotFoundError(
                f"no round {name!r} in {ledger.describe()}{did_you_mean(name, rounds)}"
                + ("" if rounds else "; `igfmap template OUT --for ID --round NAME` starts one")
            )
        rounds[name] = new_round(name)
    return rounds, rounds[name]


def update_round(ledger: Ledger, name: str, change: Callable[[RoundDoc], None]) -> None:
    """Read the ledger, let ``change`` edit round ``name`` in place, write it back: for a store
    file under the ledger's own lock, so two intakes of one round keep each other's returns."""
    with ledger.locked():
        rounds, doc = round_doc(ledger, name)
        change(doc)
        ledger.write(rounds)
