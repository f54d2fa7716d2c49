"""The planted test corpus (benchmarks/rounds.py): 20 returns from the seed, one malformed, with
duplicates of six kinds, conflicts with the store and between returns, and new entities.

Duplicate recall >= 95% and precision >= 90%; every planted conflict found; the malformed file
reported and the others taken in; every row applied, rejected or listed undecided; apply atomic
under SIGKILL and idempotent; every applied claim cites its return.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.rounds import VARIANTS, Planted, plant_returns
from mapper.dataset import relation_key
from mapper.outputs import atomic_write_bytes
from mapper.rounds import apply_review, intake, review_bytes, round_status
from mapper.rounds.apply import return_of
from mapper.rounds.intake import IntakeResult, Proposal
from mapper.rounds.ledger import return_source_id
from mapper.rounds.review import decisions_for, read_review
from mapper.store import open_store, read_store_file, seed_dataset, write_store_file

ROUND = "test-round"
REPO = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Planted, IntakeResult]:
    """The seed in a store, the 20 planted returns, and their intake (recorded in the ledger)."""
    folder = tmp_path_factory.mktemp("round")
    store = folder / "store.json"
    write_store_file(store, seed_dataset())
    planted = plant_returns(seed_dataset(), folder / "returns", ROUND, files=20)
    result = intake(open_store(store), planted.files, ROUND)
    return store, planted, result


def _valid(planted: Planted, key: tuple[str, str]) -> bool:
    """Planted outside the malformed return (whose rows are reported invalid as a whole)."""
    return key[0] != planted.malformed


def _decide_all(result: IntakeResult) -> list[Proposal]:
    """A curator's decisions: merge duplicates, keep the return's side of conflicts, accept the
    rest, and leave two confirmations undecided."""
    left = 0
    for p in result.proposals:
        if p.kind == "confirmation" and p.section == "entities" and left < 2:
            p.decision, left = "", left + 1
        elif p.kind != "invalid":
            p.decision = {"duplicate": f"merge into {p.candidate}", "conflict": "keep B"}.get(
                p.kind, "accept"
            )
    return result.proposals


def test_corpus_plants_every_kind_of_duplicate(corpus) -> None:
    _, planted, _ = corpus
    assert len(planted.files) == 20
    assert {variant for _, variant in planted.duplicates.values()} == set(VARIANTS)
    assert len(planted.duplicates) == 40 and len(planted.conflicts) >= 25


def test_duplicate_recall_and_precision(corpus) -> None:
    _, planted, result = corpus
    found = {(return_of(p), p.subject): p.candidate for p in result.proposals if p.kind == "duplicate"}
    wanted = {k: ident for k, (ident, _) in planted.duplicates.items() if _valid(planted, k)}
    right = [k for k, ident in wanted.items() if found.get(k) == ident]
    recall, precision = len(right) / len(wanted), len(right) / len(found)
    print(f"duplicates: {len(wanted)} planted, {len(found)} proposed, {len(right)} right")
    assert recall >= 0.95, sorted(set(wanted) - set(right))
    assert precision >= 0.90, sorted(set(found) - set(right))
    # The planted new entities are new, not duplicates.
    kinds = {(return_of(p), p.subject): p.kind for p in result.proposals}
    assert all(kinds[k] == "new" for k in planted.new if _valid(planted, k))
    for p in result.proposals:
        if p.kind == "duplicate":
            assert p.score is not None and 0 < p.score <= 100


def test_every_planted_conflict_is_found_with_both_sides(corpus) -> None:
    _, planted, result = corpus
    conflicts = {(return_of(p), p.subject): p for p in result.proposals if p.kind == "conflict"}
    for key in planted.conflicts:
        if _valid(planted, key):
            assert key in conflicts, key
            p = conflicts[key]
            assert p.record and p.other and p.other_from
            assert p.other.get("sources"), "side A shows its sources"
    between = [p for p in conflicts.values() if p.other_from not in (None, "store")]
    assert between, "conflicts between returns are found too"


def test_malformed_file_is_reported_and_the_others_go_on(corpus) -> None:
    _, planted, result = corpus
    invalid = [p for p in result.proposals if p.kind == "invalid"]
    assert invalid and all(planted.malformed in p.detail for p in invalid)
    assert all(p.row > 0 for p in invalid), "each problem names its line"
    assert "PARTOF" in invalid[0].detail
    taken = [f for f in result.files if f["valid"]]
    assert len(taken) == 19
    assert {return_of(p) for p in result.proposals if p.kind != "invalid"} == {
        Path(f["file"]).name for f in taken
    }


def test_review_workbook_round_trips_with_drop_downs(corpus, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _, _, result = corpus
    path = tmp_path / "review.xlsx"
    atomic_write_bytes(path, review_bytes(result))
    sheet = load_workbook(path)["review"]
    assert sheet.max_row == len(result.proposals) + 1
    lists = {dv.formula1.strip('"') for dv in sheet.data_validations.dataValidation}
    assert "keep A,keep B,reject" in lists and "accept,reject" in lists
    assert any(x.startswith("merge into ") for x in lists)
    duplicate = next(p for p in result.proposals if p.kind == "duplicate")
    assert decisions_for(duplicate)[0] == f"merge into {duplicate.candidate}"
    round_name, proposals = read_review(path)
    assert round_name == ROUND
    assert [p.to_json() for p in proposals] == [p.to_json() for p in result.proposals]


def _review(result: IntakeResult, path: Path) -> Path:
    _decide_all(result)
    atomic_write_bytes(path, review_bytes(result))
    return path


def test_apply_ends_every_row_cites_returns_and_is_idempotent(corpus, tmp_path: Path) -> None:
    store_file, planted, result = corpus
    store = tmp_path / "store.json"
    store.write_bytes(store_file.read_bytes())
    (tmp_path / "store.rounds").mkdir()
    (tmp_path / "store.rounds" / "ledger.json").write_bytes(
        (store_file.parent / "store.rounds" / "ledger.json").read_bytes()
    )
    review = _review(result, tmp_path / "review.xlsx")
    first = apply_review(open_store(store), review)
    outcomes = {row["proposal"]: row["outcome"] for row in first.outcomes}
    assert set(outcomes) == {p.ref for p in result.proposals}, "no row is lost"
    assert set(outcomes.values()) <= {"applied", "rejected", "undecided"}
    assert first.counts()["undecided"] == 2 and first.changed
    rows_read = sum(f["rows"] for f in result.files if f["valid"])
    assert sum(1 for p in result.proposals if p.kind != "invalid") == rows_read
    after = read_store_file(store)
    merged = {(return_of(p), p.subject): p.candidate for p in result.proposals if p.kind == "duplicate"}
    for p in result.proposals:
        if outcomes[p.ref] != "applied" or p.section == "sources":
            continue
        if p.section == "relations":
            ends = {e: merged.get((return_of(p), p.record[e]), p.record[e]) for e in ("source", "target")}
            target = after.relations[relation_key({**p.record, **ends})]
        else:
            target = after.entities[p.candidate if p.kind == "duplicate" else p.subject]
        own = p.contributor in (target.get("id"), target.get("source"), target.get("target"))
        cite = return_source_id(ROUND, p.contributor or "", own)
        assert cite in target["sources"], (p.ref, "every applied claim cites its return")
        assert after.sources[cite]["kind"] == "self_report"
        assert ROUND in after.sources[cite]["title"] and return_of(p) in after.sources[cite]["locator"]
        if own:
            assert after.sources[cite]["title"].startswith("Confirmed by its contributor in round")
        if p.kind == "duplicate":
            assert p.record["name"] in [*target.get("aliases", []), target["name"]]
    replaced = [
        p
        for p in result.proposals
        if p.kind == "conflict"
        and p.other_from == "store"
        and p.section == "relations"
        and (p.other or {}).get("role", "") != (p.record or {}).get("role", "")
    ]
    assert replaced, "the corpus plants role changes"
    for p in replaced:  # keep B on another role: the store's relation gives way to the return's
        assert relation_key(p.other or {}) not in after.relations
        assert relation_key(p.record or {}) in after.relations
    before = store.read_bytes()
    second = apply_review(open_store(store), review)
    assert not second.changed and store.read_bytes() == before, "applying twice changes nothing"
    assert [r["outcome"] for r in second.outcomes] == [r["outcome"] for r in first.outcomes]
    status = round_status(open_store(store), ROUND)
    assert status.summary()["returned"] == 20
    assert status.summary()["open_proposals"] == 2
    assert status.changes is not None and status.changes["summary"]["entities"]["changed"] > 0
    # The same returns taken in again after the apply: what was applied stays done.
    again = intake(open_store(store), planted.files, ROUND)
    assert not [p for p in again.proposals if p.kind == "conflict" and outcomes[p.ref] == "applied"]
    still = round_status(open_store(store), ROUND).open_proposals
    assert len(still) == 2, still


def test_apply_killed_leaves_the_old_store_or_the_new(corpus, tmp_path: Path) -> None:
    """SIGKILL at several moments of `intake --apply`: the store is the old one or the new one."""
    store_file, _, result = corpus
    review = _review(result, tmp_path / "review.xlsx")
    old = store_file.read_bytes()
    reference = tmp_path / "ref" / "store.json"
    reference.parent.mkdir()
    reference.write_bytes(old)
    _copy_ledger(store_file, reference)
    apply_review(open_store(reference), review)
    new = reference.read_bytes()
    assert new != old
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    seen = set()
    for delay in (0.2, 0.5, 0.8, 1.1, 1.4, 1.8, 2.5):
        work = tmp_path / f"kill-{delay}"
        work.mkdir()
        (work / "store.json").write_bytes(old)
        _copy_ledger(store_file, work / "store.json")
        command = [
            sys.executable,
            "-m",
            "mapper.cli",
            "--store",
            "store.json",
            "intake",
            "--apply",
            str(review),
        ]
        proc = subprocess.Popen(
            command, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = (work / "store.json").read_bytes()
        assert now in (old, new), f"killed after {delay} s: the store is neither the old nor the new"
        seen.add("new" if now == new else "old")
        read_store_file(work / "store.json")  # and it reads
    assert "old" in seen


def _copy_ledger(source_store: Path, target_store: Path) -> None:
    ledger = source_store.with_suffix(".rounds") / "ledger.json"
    folder = target_store.with_suffix(".rounds")
    folder.mkdir(exist_ok=True)
    (folder / "ledger.json").write_bytes(ledger.read_bytes())
