"""The round commands' safety rules and usage errors: one line, the right exit code, nothing
written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mapper.cli import app
from mapper.store import seed_dataset, write_store_file

ROUND = "r1"


def run(runner, *args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "s.json"
    write_store_file(path, seed_dataset())
    return path


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_template_never_replaces_a_filled_template_without_force(runner, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "sent"
    args = ("--store", store, "template", out, "--for", "kenya-igf", "--for", "ghana-igf", "--round", ROUND)
    assert run(runner, *args).exit_code == 0
    assert run(runner, *args).exit_code == 0, "its own unchanged templates are replaced"
    kenya = out / f"{ROUND}--kenya-igf.xlsx"
    book = load_workbook(kenya)
    book["relations"]["E2"] = "concluded"
    book.save(kenya)
    before = files_under(tmp_path)
    result = run(runner, *args)
    assert result.exit_code == 1
    assert "kenya-igf.xlsx" in result.output and "--force" in result.output
    assert files_under(tmp_path) == before, "nothing written, not even the other template"
    assert run(runner, *args, "--force").exit_code == 0
    assert load_workbook(kenya)["relations"]["E2"].value != "concluded"


def test_template_for_unknown_ids_and_bad_round_names(runner, store: Path, tmp_path: Path) -> None:
    result = run(runner, "--store", store, "template", tmp_path / "t", "--for", "kenya-ifg", "--round", ROUND)
    assert result.exit_code == 1 and "did you mean 'kenya-igf'" in result.output
    result = run(runner, "--store", store, "template", tmp_path / "t", "--for-type", "nris", "--round", ROUND)
    assert result.exit_code == 2 and "'nri'" in result.output
    result = run(
        runner, "--store", store, "template", tmp_path / "t", "--for", "kenya-igf", "--round", "Round 1"
    )
    assert result.exit_code == 2 and "round name" in result.output
    result = run(
        runner, "--store", store, "template", tmp_path / "t.xlsx", "--for", "kenya-igf", "--round", ROUND
    )
    assert result.exit_code == 2 and "OUT is a folder" in result.output
    result = run(runner, "--store", store, "template", tmp_path / "t.xlsx", "--round", ROUND)
    assert result.exit_code == 2 and "--for" in result.output
    assert not (tmp_path / "t").exists() and not (tmp_path / "s.rounds").exists()


def test_template_for_type_writes_one_per_entity_and_records_the_round(
    runner, store: Path, tmp_path: Path
) -> None:
    result = run(
        runner, "--store", store, "template", tmp_path / "t", "--for-type", "policy_network", "--round", ROUND
    )
    assert result.exit_code == 0, result.output
    ledger = json.loads((tmp_path / "s.rounds" / "ledger.json").read_text())
    sent = ledger["rounds"][ROUND]["sent"]
    expected = sorted(i for i, e in seed_dataset().entities.items() if e["type"] == "policy_network")
    assert sorted(sent) == expected
    assert all((tmp_path / "t" / entry["file"]).is_file() for entry in sent.values())


def test_returns_that_do_not_say_whose_or_which_round_are_invalid(
    runner, store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "sent"
    assert (
        run(runner, "--store", store, "template", out, "--for", "kenya-igf", "--round", "other").exit_code
        == 0
    )
    anonymous = tmp_path / "reply.yaml"
    anonymous.write_text("entities:\n- id: x-org\n  type: organization\n  name: X\n", encoding="utf-8")
    stranger = tmp_path / f"{ROUND}--kenya-ifg.yaml"
    stranger.write_text(anonymous.read_text(encoding="utf-8"), encoding="utf-8")
    missing = tmp_path / f"{ROUND}--ghana-igf.xlsx"
    files = (out / "other--kenya-igf.xlsx", anonymous, stranger, missing)
    result = run(runner, "--store", store, "intake", *files, "--round", ROUND, "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    details = [p["detail"] for p in doc["proposals"]]
    assert details == [
        f"{out / 'other--kenya-igf.xlsx'}:1: round: this return is for round 'other', not '{ROUND}'",
        f"{anonymous}:1: contributor: the file does not say whose return it is (use the round's "
        f"template, or name it {ROUND}--ID.yaml)",
        f"{stranger}:1: contributor: no entity with id 'kenya-ifg' (did you mean 'kenya-igf'?)",
        f"{missing}:1: path: no such file or directory",
    ]
    assert all(p["kind"] == "invalid" and p["row"] == 1 for p in doc["proposals"])


def test_intake_usage_errors_write_nothing(runner, store: Path, tmp_path: Path) -> None:
    reply = tmp_path / f"{ROUND}--kenya-igf.yaml"
    reply.write_text("entities:\n- id: kenya-igf\n  type: nri\n  name: Kenya IGF\n", encoding="utf-8")
    (tmp_path / "mine.xlsx").write_bytes(b"a workbook of someone else's")
    before = files_under(tmp_path)
    cases = [
        (("intake", reply), 2, "--round"),
        (("intake", reply, "--round", ROUND, "--apply", reply), 2, "--apply"),
        (("intake", reply, "--round", ROUND, "--out", tmp_path / "review.csv"), 2, ".xlsx"),
        (("intake", reply, "--round", ROUND, "--out", tmp_path / "mine.xlsx"), 1, "--force"),
        (("round", "status", "nope"), 1, "no round 'nope'"),
    ]
    for args, code, words in cases:
        result = run(runner, "--store", store, *args)
        assert result.exit_code == code and words in result.output, (args, result.output)
    assert files_under(tmp_path) == before


def test_apply_needs_a_store_file(runner, store: Path, tmp_path: Path) -> None:
    reply = tmp_path / f"{ROUND}--kenya-igf.yaml"
    reply.write_text("entities:\n- id: kenya-igf\n  type: nri\n  name: Kenya IGF\n", encoding="utf-8")
    review = tmp_path / "review.xlsx"
    result = run(runner, "--store", store, "intake", reply, "--round", ROUND, "--out", review)
    assert result.exit_code == 0, result.output
    # The same review against a store that does not exist: refused, nothing written.
    result = run(runner, "--store", tmp_path / "none.json", "intake", "--apply", review)
    assert result.exit_code == 1 and "no round 'r1'" in result.output
    assert not (tmp_path / "none.json").exists()


def test_a_json_review_applies_as_the_workbook_does(runner, store: Path, tmp_path: Path) -> None:
    reply = tmp_path / f"{ROUND}--kenya-igf.yaml"
    reply.write_text(
        "entities:\n- id: kenya-internet-governance-forum\n  type: nri\n  name: Kenya Internet Governance Forum\n"
        "relations:\n- {source: kenya-internet-governance-forum, type: COORDINATES_WITH, target: igf-germany,"
        " status: planned, sources: [kigf-2019-programme]}\n",
        encoding="utf-8",
    )
    result = run(runner, "--store", store, "intake", reply, "--round", ROUND, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    kinds = {p.get("id") or p.get("relation"): p["kind"] for p in doc["proposals"]}
    assert kinds == {
        "kenya-internet-governance-forum": "duplicate",
        "kenya-internet-governance-forum|COORDINATES_WITH|igf-germany|": "new",
    }
    for p in doc["proposals"]:
        p["decision"] = f"merge into {p['candidate']}" if p["kind"] == "duplicate" else "accept"
    review = tmp_path / "review.json"
    review.write_text(json.dumps(doc), encoding="utf-8")
    result = run(runner, "--store", store, "intake", "--apply", review, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"] == {"applied": 2, "rejected": 0, "undecided": 0}
    data = json.loads(store.read_text(encoding="utf-8"))
    added = [r for r in data["relations"] if r["source"] == "kenya-igf" and r["target"] == "igf-germany"]
    assert added and added[0]["sources"] == ["kigf-2019-programme", f"round.{ROUND}.kenya-igf"]
    assert not [e for e in data["entities"] if e["id"] == "kenya-internet-governance-forum"]


def test_two_intakes_at_once_keep_each_others_returns(store: Path, tmp_path: Path) -> None:
    """Two `igfmap intake` processes of one round at the same moment: the ledger keeps both."""
    import os
    import subprocess
    import sys

    replies = []
    for contributor in ("kenya-igf", "ghana-igf", "japan-igf", "mexico-igf"):
        reply = tmp_path / f"{ROUND}--{contributor}.yaml"
        reply.write_text(f"entities:\n- id: {contributor}-x\n  type: organization\n  name: X {contributor}\n")
        replies.append(reply)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    command = [sys.executable, "-m", "mapper.cli", "--store", str(store), "intake", "--round", ROUND]
    procs = [
        subprocess.Popen(
            [*command, *map(str, pair)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for pair in (replies[:2], replies[2:])
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    ledger = json.loads((tmp_path / "s.rounds" / "ledger.json").read_text())
    assert sorted(ledger["rounds"][ROUND]["returns"]) == sorted(r.name for r in replies)


def test_json_keys_are_the_documented_ones(runner, store: Path, tmp_path: Path) -> None:
    from tests.queries.test_json_docs import documented

    docs = documented()
    reply = tmp_path / f"{ROUND}--kenya-igf.yaml"
    reply.write_text("entities:\n- id: kenya-igf\n  type: nri\n  name: Kenya IGF\n", encoding="utf-8")
    taken = json.loads(run(runner, "--store", store, "intake", reply, "--round", ROUND, "-f", "json").stdout)
    assert list(taken) == docs["intake"]
    for p in taken["proposals"]:
        p["decision"] = "accept"
    review = tmp_path / "review.json"
    review.write_text(json.dumps(taken), encoding="utf-8")
    applied = json.loads(run(runner, "--store", store, "intake", "--apply", review, "-f", "json").stdout)
    assert list(applied) == docs["intake --apply"]
    status = json.loads(run(runner, "--store", store, "round", "status", ROUND, "-f", "json").stdout)
    assert list(status) == docs["round status"]


def test_a_row_added_without_a_source_cites_the_return(runner, store: Path, tmp_path: Path) -> None:
    """Contributors add rows without sources: the return is their source, not a refusal."""
    reply = tmp_path / f"{ROUND}--kenya-igf"  # a CSV folder, as the template is
    reply.mkdir()
    (reply / "relations.csv").write_text(
        "source,type,target,status,sources\nkenya-igf,COORDINATES_WITH,igf-germany,planned,\n"
        "ghana-igf,COORDINATES_WITH,igf-germany,active,\n",
        encoding="utf-8",
    )
    taken = json.loads(run(runner, "--store", store, "intake", reply, "--round", ROUND, "-f", "json").stdout)
    assert [p["kind"] for p in taken["proposals"]] == ["new", "new"], taken["proposals"]
    assert taken["files"][0]["rows"] == 2
    for p in taken["proposals"]:
        p["decision"] = "accept"
    review = tmp_path / "review.json"
    review.write_text(json.dumps(taken), encoding="utf-8")
    assert run(runner, "--store", store, "intake", "--apply", review).exit_code == 0
    assert run(runner, "--store", store, "validate").exit_code == 0, "every cited source exists"
    data = json.loads(store.read_text(encoding="utf-8"))
    cited = {
        r["source"]: r["sources"]
        for r in data["relations"]
        if r["target"] == "igf-germany" and r["type"] == "COORDINATES_WITH"
    }
    assert cited["kenya-igf"] == [f"round.{ROUND}.kenya-igf"]
    assert cited["ghana-igf"] == [f"round.{ROUND}.kenya-igf.about-others"]
    titles = {s["id"]: s["title"] for s in data["sources"] if s["id"].startswith("round.")}
    assert titles[f"round.{ROUND}.kenya-igf.about-others"] == f"Reported by Kenya IGF in round {ROUND}"
