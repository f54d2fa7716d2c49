"""A round on the seed, end to end through the CLI: templates for 5 NRIs (workbooks and CSV
folders), edited returns (one never comes back), intake, the curator's decisions, apply,
status, diff, and the map whose card says "confirmed by its contributor in round NAME"
(in real headless Chromium)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from openpyxl import load_workbook

from mapper.cli import app
from tests.exports.browser import open_page
from tests.exports.test_map_browser import ready

ROUND = "gdc-2025"
XLSX_NRIS = ("kenya-igf", "igf-germany", "mexico-igf")
CSV_NRIS = ("japan-igf", "ghana-igf")


def run(runner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result.stdout


def _edit_kenya(path: Path, out: Path) -> None:
    """Kenya corrects a status, answers as "Kenya Internet Governance Forum" too, and says the
    IGF leads GDC implementation (the store: contributor, active)."""
    workbook = load_workbook(path)
    rel = workbook["relations"]
    header = [c.value for c in rel[1]]
    rel.cell(row=2, column=header.index("status") + 1, value="concluded")
    rel.append(
        [
            "igf",
            "ENGAGES_IN",
            "gdc-implementation",
            "lead",
            "planned",
            None,
            None,
            "high",
            "kigf-2019-programme",
        ]
    )
    ent = workbook["entities"]
    ent.append(
        [
            "kenya-internet-governance-forum",
            "nri",
            "Kenya Internet Governance Forum",
            "KIGF",
            "multistakeholder",
        ]
    )
    ent.append(
        ["unesco-org", "un_entity", "United Nations Educational, Scientific and Cultural Organization"]
    )
    workbook.save(out)


def _edit_japan(folder: Path) -> None:
    """Japan adds a planned coordination with Kenya, citing a source of its template."""
    with (folder / "sources.csv").open(encoding="utf-8") as handle:
        cited = next(csv.DictReader(handle))["id"]
    with (folder / "relations.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(
            ["japan-igf", "COORDINATES_WITH", "kenya-igf", "", "planned", "", "", "", cited, ""]
        )


def _send_templates(runner, store: Path, sent: Path) -> None:
    """Workbooks for the XLSX NRIs and CSV folders for the others, each named for the round."""
    for_x = [a for n in XLSX_NRIS for a in ("--for", n)]
    run(runner, "--store", store, "template", sent, *for_x, "--round", ROUND)
    for_c = [a for n in CSV_NRIS for a in ("--for", n)]
    run(runner, "--store", store, "template", sent, *for_c, "--round", ROUND, "--format", "csv")
    assert sorted(p.name for p in sent.iterdir() if not p.name.startswith(".")) == sorted(
        [f"{ROUND}--{n}.xlsx" for n in XLSX_NRIS] + [f"{ROUND}--{n}" for n in CSV_NRIS]
    )
    book = load_workbook(sent / f"{ROUND}--kenya-igf.xlsx")
    assert book.sheetnames[:2] == ["instructions", "round"]
    assert [c.value for c in book["round"][2]][:2] == [ROUND, "kenya-igf"]
    assert book["entities"]["A2"].value == "kenya-igf" and book["relations"].max_row > 1


def _returns(sent: Path, returns: Path) -> list[Path]:
    """Kenya edits its workbook (under another name), Germany and Mexico send theirs back as
    they are, Japan adds a row to its CSV folder, Ghana does not answer: the returned files."""
    returns.mkdir()
    _edit_kenya(sent / f"{ROUND}--kenya-igf.xlsx", returns / "kenya-reply.xlsx")
    for n in ("igf-germany", "mexico-igf"):
        (returns / f"{ROUND}--{n}.xlsx").write_bytes((sent / f"{ROUND}--{n}.xlsx").read_bytes())
    japan = sent / f"{ROUND}--japan-igf"
    _edit_japan(japan)
    return [*sorted(returns.iterdir()), japan]


def _check_intake(runner, store: Path, files: list[Path], review: Path) -> None:
    """Intake writes the review workbook; its proposals find the duplicates, the conflict and
    Japan's new relation."""
    doc = json.loads(
        run(runner, "--store", store, "intake", *files, "--round", ROUND, "--out", review, "--format", "json")
    )
    assert doc["round"] == ROUND and len(doc["files"]) == 4
    first = doc["proposals"][0]
    assert {"kind", "file", "row", "candidate", "score", "decision"} <= set(first)
    by_subject = {p.get("id") or p.get("relation"): p for p in doc["proposals"]}
    assert by_subject["kenya-internet-governance-forum"]["kind"] == "duplicate"
    assert by_subject["kenya-internet-governance-forum"]["candidate"] == "kenya-igf"
    assert by_subject["unesco-org"]["candidate"] == "unesco"
    lead = by_subject["igf|ENGAGES_IN|gdc-implementation|lead"]
    assert lead["kind"] == "conflict" and lead["other"]["role"] == "contributor" and lead["other"]["sources"]
    assert by_subject["japan-igf|COORDINATES_WITH|kenya-igf|"]["kind"] == "new"


def _decide(review: Path) -> object:
    """The curator: merge the duplicates, keep the store's side of the IGF's role, take the rest
    but one confirmation (Mexico's), whose proposal is returned."""
    workbook = load_workbook(review)
    sheet = workbook["review"]
    header = [c.value for c in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    skipped = None
    for row in range(2, sheet.max_row + 1):
        kind, subject = sheet.cell(row, column["kind"]).value, sheet.cell(row, column["subject"]).value
        decision = {
            "duplicate": f"merge into {sheet.cell(row, column['candidate']).value}",
            "conflict": "keep B",
        }.get(kind, "accept")
        if subject == "igf|ENGAGES_IN|gdc-implementation|lead":
            decision = "keep A"
        if kind == "confirmation" and subject == "mexico-igf":
            decision, skipped = "", sheet.cell(row, 1).value
        sheet.cell(row, column["decision"], decision)
    workbook.save(review)
    return skipped


def _check_apply(runner, store: Path, review: Path, skipped: object) -> None:
    """Applying the decisions changes the store but for the undecided one; again, nothing."""
    applied = json.loads(run(runner, "--store", store, "intake", "--apply", review, "--format", "json"))
    assert applied["counts"]["undecided"] == 1 and applied["changed"]
    assert [p["proposal"] for p in applied["proposals"] if p["outcome"] == "undecided"] == [skipped]
    again = json.loads(run(runner, "--store", store, "intake", "--apply", review, "--format", "json"))
    assert not again["changed"]


def _check_status_and_diff(runner, store: Path, before: Path) -> None:
    """The round's status counts the returns; the diff shows the round's sources and Kenya's."""
    status = json.loads(run(runner, "--store", store, "round", "status", ROUND, "--format", "json"))
    assert status["summary"] == {"sent": 5, "returned": 3 + 1, "not_returned": 1, "open_proposals": 1}
    ghana = next(c for c in status["contributors"] if c["contributor"] == "ghana-igf")
    assert ghana["sent"] and not ghana["returned"]
    assert status["changes"]["summary"]["relations"]["added"] == 1  # Japan's coordination

    changes = json.loads(run(runner, "diff", before, store, "--format", "json"))
    # One self-report per contributor who returned, and Kenya's report about UNESCO.
    assert changes["summary"]["sources"]["added"] == 5
    unesco = next(e for e in json.loads(store.read_text())["entities"] if e["id"] == "unesco")
    assert f"round.{ROUND}.kenya-igf.about-others" in unesco["sources"]
    kenya = json.loads(store.read_text())["entities"]
    kenya = next(e for e in kenya if e["id"] == "kenya-igf")
    assert (
        "Kenya Internet Governance Forum" in kenya["aliases"]
        and f"round.{ROUND}.kenya-igf" in kenya["sources"]
    )


def _check_map_card(runner, store: Path, tmp_path: Path, chromium) -> None:
    """The map's card for Kenya says it was confirmed in the round (in headless Chromium)."""
    out = tmp_path / "map.html"
    run(runner, "--store", store, "map", "--out", out)
    with open_page(chromium, out, 1600, 1000) as (page, log):
        ready(page)
        page.evaluate("igfmap.selectEntity('kenya-igf')")
        page.wait_for_selector("#card:not([hidden])")
        assert f"Confirmed by its contributor in round {ROUND}: Kenya IGF" in page.inner_text("#card")
        page.screenshot(path=str(tmp_path / "round-map.png"))
        log.assert_clean()


def test_a_round_on_the_seed_end_to_end(runner, tmp_path: Path, chromium) -> None:
    store = tmp_path / "s.json"
    run(runner, "--store", store, "init")
    before = tmp_path / "before.json"
    before.write_bytes(store.read_bytes())
    sent = tmp_path / "sent"
    _send_templates(runner, store, sent)
    files = _returns(sent, tmp_path / "returns")
    review = tmp_path / "review.xlsx"
    _check_intake(runner, store, files, review)
    skipped = _decide(review)
    _check_apply(runner, store, review, skipped)
    _check_status_and_diff(runner, store, before)
    _check_map_card(runner, store, tmp_path, chromium)
