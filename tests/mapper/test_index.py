"""The store's index: trusted only while its checksum matches, same answers as the whole graph."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from benchmarks.generate import generate
from mapper.cli import app
from mapper.errors import DataError
from mapper.index import build_index, digest_file, index_path
from mapper.store import EmbeddedStore, init_store, load_files, open_store, read_store_file, write_store_file
from queries.engagement import what, who
from queries.lookup import search, show


def _json(result: object) -> str:
    return json.dumps(result.to_json(), sort_keys=True)  # type: ignore[attr-defined]


def _answer(fn, store, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    """The JSON of a query, or the error it raised: both must agree between the two stores."""
    try:
        return _json(fn(store, *args, **kwargs))
    except Exception as err:  # the error message is part of the answer
        return f"{type(err).__name__}: {err}"


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "store.json"
    write_store_file(path, generate(300, seed=3))
    return path


def test_writes_leave_a_current_index_and_reads_skip_parsing(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    init_store(store)
    assert index_path(store).is_file()
    opened = open_store(store)
    # Nothing was parsed: the dataset is read only when something asks for it.
    assert "dataset" not in opened.__dict__
    assert opened.dataset == read_store_file(store)


@pytest.mark.parametrize("as_of", [None, "2024-10-31"])
def test_local_queries_answer_as_the_whole_graph_does(generated_store: Path, as_of: str | None) -> None:
    indexed = open_store(generated_store)
    whole = EmbeddedStore(read_store_file(generated_store), generated_store)
    ids = sorted(whole.dataset.entities)
    assert ids
    # Every kind of entity, a sample of each (the whole graph is rebuilt per as-of query).
    for entity_id in ids[:: 3 if as_of else 1]:
        for fn in (show, who, what):
            assert _answer(fn, indexed, entity_id, as_of=as_of) == _answer(fn, whole, entity_id, as_of=as_of)
    for text in ("igf", "act-0", "Dynamic", "nobody-has-this", "o"):
        assert _json(search(indexed, text, as_of=as_of)) == _json(search(whole, text, as_of=as_of))
    # Names and aliases (not ids) and unknown ids go the long way, with the same answer.
    some = whole.dataset.entities[ids[7]]
    for text in (some["name"], "act-999x"):
        assert _answer(show, indexed, text) == _answer(show, whole, text)


def test_an_id_query_builds_no_graph(generated_store: Path) -> None:
    indexed = open_store(generated_store)
    assert who(indexed, "act-01").engagements is not None
    assert show(indexed, "igf").entity["id"] == "igf"
    assert what(indexed, "igf").entity["id"] == "igf"
    assert search(indexed, "act-01").matches
    assert "graph" not in indexed.__dict__ and "dataset" not in indexed.__dict__


def test_who_on_objective_and_seed_agree(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    init_store(store)
    indexed, whole = open_store(store), EmbeddedStore(read_store_file(store), store)
    objectives = [e for e, r in whole.dataset.entities.items() if r["type"] in ("objective", "commitment")]
    assert objectives
    for entity_id in sorted(whole.dataset.entities):
        assert _answer(who, indexed, entity_id) == _answer(who, whole, entity_id)
        assert _answer(what, indexed, entity_id, deep=True) == _answer(what, whole, entity_id, deep=True)
        assert _answer(show, indexed, entity_id) == _answer(show, whole, entity_id)


def test_a_changed_file_is_never_read_through_its_old_index(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    init_store(store)
    old_index = index_path(store).read_bytes()
    doc = json.loads(store.read_text(encoding="utf-8"))
    doc["entities"][0]["name"] = "Renamed outside igfmap"
    store.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    first = doc["entities"][0]["id"]
    # The old index is still there and would answer the old name: it must not be used.
    assert index_path(store).read_bytes() == old_index
    assert show(open_store(store), first).entity["name"] == "Renamed outside igfmap"
    # The read validated the new bytes and rebuilt the index for them.
    assert index_path(store).read_bytes() != old_index
    assert show(open_store(store), first).entity["name"] == "Renamed outside igfmap"


def test_an_invalid_edit_is_caught_on_the_next_read(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    init_store(store)
    doc = json.loads(store.read_text(encoding="utf-8"))
    doc["relations"][0]["type"] = "NOT_A_TYPE"
    store.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        open_store(store)
    assert any("type" in issue for issue in err.value.issues)


def test_a_file_that_is_not_our_index_is_left_alone(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    foreign = index_path(store)
    foreign.write_text("my notes, not an index\n", encoding="utf-8")
    init_store(store)
    assert foreign.read_text(encoding="utf-8") == "my notes, not an index\n"
    opened = open_store(store)  # works without an index
    assert show(opened, "igf").entity["id"] == "igf"
    assert foreign.read_text(encoding="utf-8") == "my notes, not an index\n"


def test_load_refreshes_the_index(tmp_path: Path, small_dir: Path) -> None:
    store = tmp_path / "store.json"
    init_store(store)
    load_files([small_dir], store)
    with sqlite3.connect(index_path(store)) as db:
        counts = json.loads(db.execute("SELECT value FROM meta WHERE key = 'counts'").fetchone()[0])
    assert counts == read_store_file(store).counts()
    opened = open_store(store)
    assert "dataset" not in opened.__dict__  # the index written by load is current


def test_validate_without_paths_checks_the_store(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store.json"
    init_store(store)
    ok = runner.invoke(app, ["--store", str(store), "validate", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["valid"] is True
    text = store.read_text(encoding="utf-8").replace('"type": "PART_OF"', '"type": "PART_OFF"', 1)
    store.write_text(text, encoding="utf-8")
    bad = runner.invoke(app, ["--store", str(store), "validate"])
    assert bad.exit_code == 1
    assert f"{store}:" in bad.stderr and "type" in bad.stderr


def test_the_index_is_never_more_readable_than_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    init_store(store)
    dataset = read_store_file(store)
    for mode in (0o600, 0o640):
        store.chmod(mode)
        assert build_index(store, dataset, digest_file(store)) == index_path(store)
        assert index_path(store).stat().st_mode & 0o777 == mode
    write_store_file(store, dataset)  # whatever mode the write gives the store, the index follows
    assert index_path(store).stat().st_mode & 0o777 == store.stat().st_mode & 0o777


def test_the_indexed_document_is_read_only_while_it_matches_its_digest(tmp_path: Path) -> None:
    """The fast read without validation gives the document a plain read gives, and None when
    the bytes no longer hash to the index's digest (an empty file too)."""
    import hashlib

    from mapper.store import read_indexed_document

    store = tmp_path / "store.json"
    init_store(store)
    digest = hashlib.sha256(store.read_bytes()).hexdigest()
    assert read_indexed_document(store, digest) == json.loads(store.read_text(encoding="utf-8"))
    assert read_indexed_document(store, "0" * 64) is None
    store.write_bytes(b"")
    assert read_indexed_document(store, digest) is None
