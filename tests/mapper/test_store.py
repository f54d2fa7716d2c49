"""The embedded store: stable bytes, merge and replace, atomic locked writes, seed fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mapper.cli import app
from mapper.dataset import Dataset
from mapper.errors import IgfmapError
from mapper.store import (
    dumps,
    init_store,
    load_files,
    locked,
    open_store,
    seed_dataset,
    write_store_file,
)
from mapper.validation import read_dataset


def test_two_saves_are_byte_identical(tmp_path: Path, small_dir: Path) -> None:
    dataset = read_dataset([small_dir])
    write_store_file(tmp_path / "a.json", dataset)
    write_store_file(tmp_path / "b.json", read_dataset([tmp_path / "a.json"]))
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    doc = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert next(iter(doc)) == "schema_version"
    assert [e["id"] for e in doc["entities"]] == sorted(e["id"] for e in doc["entities"])


def test_merge_upserts_by_id_and_replace_replaces(tmp_path: Path, small_dir: Path) -> None:
    store = tmp_path / "store.json"
    load_files([small_dir], store)
    update = tmp_path / "update.yaml"
    update.write_text(
        "schema_version: 1\n"
        "entities:\n"
        "  - {id: igf, type: igf_body, name: Internet Governance Forum (IGF), sources: [igf-site]}\n"
        "  - {id: eurodig, type: nri, name: EuroDIG, sources: [igf-site]}\n"
        "relations:\n"
        "  - {source: eurodig, type: PART_OF, target: igf, sources: [meeting]}\n",
        encoding="utf-8",
    )
    report = load_files([update], store)
    assert report.added == {"sources": 0, "entities": 1, "relations": 1}
    assert report.updated == {"sources": 0, "entities": 1, "relations": 0}
    merged = open_store(store).dataset
    assert merged.entities["igf"]["name"] == "Internet Governance Forum (IGF)"
    assert merged.counts() == {"sources": 2, "entities": 6, "relations": 5}
    # A relation defaults to status active when none is given.
    assert merged.relations[("eurodig", "PART_OF", "igf", "")]["status"] == "active"

    report = load_files([small_dir], store, replace=True)
    assert open_store(store).dataset.counts() == {"sources": 2, "entities": 5, "relations": 4}
    assert report.totals["entities"] == 5


def test_load_into_missing_store_holds_only_the_loaded_data(tmp_path: Path, small_dir: Path) -> None:
    store = tmp_path / "new.json"
    load_files([small_dir], store)
    assert open_store(store).dataset.counts()["entities"] == 5


def test_dry_run_writes_nothing(tmp_path: Path, small_dir: Path) -> None:
    store = tmp_path / "store.json"
    report = load_files([small_dir], store, dry_run=True)
    assert report.totals["entities"] == 5
    assert not store.exists()


def test_relations_may_refer_to_the_store_when_merging(tmp_path: Path, small_dir: Path) -> None:
    store = tmp_path / "store.json"
    load_files([small_dir], store)
    extra = tmp_path / "relations.csv"
    extra.write_text(
        "source,type,target,role,status,sources\nigf,ENGAGES_IN,gdc-implementation,participant,planned,meeting\n",
        encoding="utf-8",
    )
    load_files([extra], store)
    assert open_store(store).dataset.counts()["relations"] == 5


def test_concurrent_writers_do_not_interleave(tmp_path: Path, small_dir: Path) -> None:
    store = tmp_path / "store.json"
    load_files([small_dir], store)
    files = []
    for i in range(6):
        f = tmp_path / f"add{i}.yaml"
        f.write_text(
            f"entities:\n  - {{id: nri-{i}, type: nri, name: NRI {i}, sources: [meeting]}}\n",
            encoding="utf-8",
        )
        files.append(f)
    threads = [threading.Thread(target=load_files, args=([f], store)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Every writer read the previous writer's result under the lock: no update was lost.
    assert open_store(store).dataset.counts()["entities"] == 11


def test_lock_blocks_a_second_process(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    code = (
        "import sys, time; from pathlib import Path; from mapper.store import locked\n"
        "print('ready', flush=True)\n"
        "with locked(Path(sys.argv[1])): print(time.time(), flush=True)\n"
    )
    root = str(Path(__file__).parents[2])
    with locked(store):
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(store)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": root},
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"  # the child is about to ask for the lock
        time.sleep(0.3)
        released_at = time.time()
    acquired_at = float(proc.stdout.readline())
    proc.wait(timeout=30)
    assert acquired_at >= released_at  # it got the lock only after this process let go


def test_failed_write_leaves_the_old_file(
    tmp_path: Path, small_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store.json"
    load_files([small_dir], store)
    before = store.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", broken)
    with pytest.raises(OSError):
        write_store_file(store, Dataset())
    assert store.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_missing_store_falls_back_to_seed_with_a_note(tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["--store", str(tmp_path / "none.json"), "stats"])
    assert result.exit_code == 0, result.output
    assert "bundled seed dataset" in result.stderr
    assert not (tmp_path / "none.json").exists()


def test_init_writes_the_seed_and_refuses_to_overwrite(tmp_path: Path, runner) -> None:
    store = tmp_path / "store.json"
    assert runner.invoke(app, ["--store", str(store), "init"]).exit_code == 0
    assert store.read_text(encoding="utf-8") == dumps(seed_dataset())
    again = runner.invoke(app, ["--store", str(store), "init"])
    assert again.exit_code == 1
    assert "--force" in again.stderr
    assert runner.invoke(app, ["--store", str(store), "init", "--force"]).exit_code == 0
    with pytest.raises(IgfmapError):
        init_store(store)
