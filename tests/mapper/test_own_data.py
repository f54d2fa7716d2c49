"""The README's "Your own data" walk, from `template` to `map`, as a new user runs it (issue 11):

- with rows that refer to the bundled seed (a Dynamic Coalition PART_OF igf engaging on GDC
  implementation): validate checks them against the store in use, or the seed when there is no
  store file, and a missing reference says which store was used and how to point at another;
- with data that has no `igf` (WSIS action lines): commands that need an ecosystem root name
  --ecosystem and the candidate roots, and with --ecosystem they work.

The maps are opened in a real headless Chromium. The Neo4j versions are at the end.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mapper.cli import app
from tests.exports.browser import chromium_missing_reason

ROOT = Path(__file__).parents[2]

SEED_REFERRING = {
    "sources": [
        {"id": "own-survey", "kind": "self_report", "title": "Our 2025 survey", "date": "2025-03-01"},
    ],
    "entities": [
        {
            "id": "dc-own-topic",
            "type": "dynamic_coalition",
            "name": "Dynamic Coalition on Our Topic",
            "stakeholder_group": "civil-society",
            "aliases": "DC-OT|Our DC",
            "sources": "own-survey",
        },
        {
            "id": "own-pilot",
            "type": "activity",
            "name": "Our pilot on meaningful access",
            "sources": "own-survey",
        },
    ],
    "relations": [
        {"source": "dc-own-topic", "type": "PART_OF", "target": "igf", "sources": "own-survey"},
        {
            "source": "dc-own-topic",
            "type": "ENGAGES_IN",
            "target": "gdc-implementation",
            "role": "contributor",
            "status": "active",
            "since": "2025-01-15",
            "sources": "own-survey",
        },
        {
            "source": "dc-own-topic",
            "type": "ENGAGES_IN",
            "target": "own-pilot",
            "role": "lead",
            "sources": "own-survey",
        },
        {"source": "own-pilot", "type": "ADDRESSES", "target": "gdc-objective-1", "sources": "own-survey"},
    ],
}

NO_IGF = {
    "sources": [
        {"id": "wsis-doc", "kind": "un_document", "title": "WSIS action lines", "date": "2005-11-18"}
    ],
    "entities": [
        {
            "id": "wsis",
            "type": "process",
            "name": "World Summit on the Information Society",
            "sources": "wsis-doc",
        },
        {"id": "al-c1", "type": "activity", "name": "C1 The role of governments", "sources": "wsis-doc"},
        {"id": "al-c2", "type": "activity", "name": "C2 Information infrastructure", "sources": "wsis-doc"},
        {
            "id": "wsis-forum",
            "type": "organization",
            "name": "WSIS Forum stakeholders",
            "sources": "wsis-doc",
        },
        {
            "id": "org-a",
            "type": "organization",
            "name": "Org A",
            "stakeholder_group": "civil-society",
            "sources": "wsis-doc",
        },
        {
            "id": "org-b",
            "type": "organization",
            "name": "Org B",
            "stakeholder_group": "private-sector",
            "sources": "wsis-doc",
        },
    ],
    "relations": [
        {"source": "al-c1", "type": "PART_OF", "target": "wsis", "sources": "wsis-doc"},
        {"source": "al-c2", "type": "PART_OF", "target": "wsis", "sources": "wsis-doc"},
        {"source": "org-a", "type": "MEMBER_OF", "target": "wsis-forum", "sources": "wsis-doc"},
        {"source": "org-b", "type": "MEMBER_OF", "target": "wsis-forum", "sources": "wsis-doc"},
        {
            "source": "org-a",
            "type": "ENGAGES_IN",
            "target": "al-c1",
            "status": "active",
            "sources": "wsis-doc",
        },
        {
            "source": "org-b",
            "type": "ENGAGES_IN",
            "target": "al-c1",
            "status": "proposed",
            "sources": "wsis-doc",
        },
    ],
}


def igfmap(runner, *args: Any):
    return runner.invoke(app, [str(a) for a in args])


def fill(folder: Path, rows: dict[str, list[dict[str, str]]]) -> None:
    """Fill the template's CSVs under the headers it wrote, as a user would in a spreadsheet."""
    for section, records in rows.items():
        path = folder / f"{section}.csv"
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        with open(path, "a", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writerows(records)


def hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's Chromium; missing, the test fails loudly (never a skip)."""
    reason = chromium_missing_reason()
    if reason:
        pytest.fail(f"browser test cannot run: {reason}", pytrace=False)
    return "chromium"


# Run in its own process: the export tests keep a session-wide Playwright (sync API) open in
# this one, and a second sync Playwright cannot start beside it.
_READ_MAP = """
import json, sys, time
from pathlib import Path
from tests.exports.browser import browser, open_page
with browser() as b, open_page(b, Path(sys.argv[1])) as (page, log):
    started = time.monotonic()
    while not page.evaluate("() => Boolean(window.igfmap && window.igfmap.ready)"):
        if time.monotonic() - started > 60:
            raise SystemExit("map not ready after 60 s")
        time.sleep(0.05)
    entities = page.evaluate("Object.values(igfmap.data.entities).map(e => [e.name, e.type])")
    log.assert_clean()
print(json.dumps(dict(entities)))
"""


def map_entities(chromium: str, path: Path) -> dict[str, Any]:
    """The entities the map page holds, read in a real headless Chromium once the page is ready."""
    proc = subprocess.run(
        [sys.executable, "-c", _READ_MAP, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_walk_with_rows_that_refer_to_the_seed(runner, tmp_path: Path, chromium) -> None:
    collect = tmp_path / "collect"
    assert igfmap(runner, "template", collect).exit_code == 0
    readme = (collect / "README.txt").read_text(encoding="utf-8")
    assert "igfmap --store mydata.json validate THIS_FOLDER" in readme and "--ecosystem" in readme
    fill(collect, SEED_REFERRING)

    # No store file yet: references are checked against the bundled seed (it has igf).
    result = igfmap(runner, "validate", collect)
    assert result.exit_code == 0, result.stderr
    assert "using the bundled seed dataset" in result.stderr

    # Loading into a store that does not exist yet starts it empty: refused, and told why.
    before = hashes(tmp_path)
    result = igfmap(runner, "--store", "mydata.json", "load", collect)
    assert result.exit_code == 1
    assert "no entity with id 'igf'" in result.stderr
    assert (
        "no store at mydata.json: load starts it empty; run `igfmap --store mydata.json init`"
        in result.stderr
    )
    assert hashes(tmp_path) == before and not (tmp_path / "mydata.json").exists()

    # The README's steps.
    assert igfmap(runner, "--store", "mydata.json", "init").exit_code == 0
    assert igfmap(runner, "--store", "mydata.json", "validate", collect).exit_code == 0
    dry = igfmap(runner, "--store", "mydata.json", "load", collect, "--dry-run", "--format", "json")
    assert dry.exit_code == 0 and '"entities": 2' in dry.stdout
    assert igfmap(runner, "--store", "mydata.json", "load", collect).exit_code == 0
    result = igfmap(runner, "--store", "mydata.json", "map", "--out", "mymap.html", "--highlight-gaps")
    assert result.exit_code == 0, result.stderr
    assert "gap findings outlined" in result.stderr
    shown = map_entities(chromium, tmp_path / "mymap.html")
    assert shown["Dynamic Coalition on Our Topic"] == "dynamic_coalition"
    assert shown["Internet Governance Forum"]
    who = igfmap(runner, "--store", "mydata.json", "who", "own-pilot")
    assert who.exit_code == 0 and "dc-own-topic" in who.stdout

    # Checked against a store without igf, the message names that store and the way out.
    other = tmp_path / "other.json"
    assert igfmap(runner, "--store", other, "load", tmp_path / "collect" / "sources.csv").exit_code == 0
    result = igfmap(runner, "--store", other, "validate", collect)
    assert result.exit_code == 1
    assert "target: no entity with id 'igf'" in result.stderr
    assert f"references were checked against store {other}; point at another store with --store PATH" in (
        result.stderr
    )


def test_walk_with_data_that_has_no_igf(runner, tmp_path: Path, chromium) -> None:
    collect = tmp_path / "wsis"
    assert igfmap(runner, "template", collect).exit_code == 0
    fill(collect, NO_IGF)
    assert igfmap(runner, "validate", collect).exit_code == 0
    assert igfmap(runner, "--store", "wsis.json", "load", collect).exit_code == 0

    # gaps without --ecosystem: the default root is absent; the message names the option and roots.
    result = igfmap(runner, "--store", "wsis.json", "gaps")
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.startswith("error: no entity with id 'igf', the default root of --ecosystem")
    assert "pass --ecosystem ID, e.g. one of: wsis (3 entities), wsis-forum (3 entities)" in line
    # Rules that need no root still run without it.
    assert igfmap(runner, "--store", "wsis.json", "gaps", "pending-proposal").exit_code == 0
    found = igfmap(runner, "--store", "wsis.json", "gaps", "--ecosystem", "wsis-forum", "--format", "csv")
    assert found.exit_code == 0, found.stderr
    assert "uncovered-activity,al-c2" in found.stdout
    wrong = igfmap(runner, "--store", "wsis.json", "gaps", "--ecosystem", "wsis-forun")
    assert wrong.exit_code == 1 and "wsis-forum" in wrong.stderr  # did you mean

    # map --highlight-gaps says what it left out instead of silently outlining nothing.
    result = igfmap(runner, "--store", "wsis.json", "map", "--out", "wsis.html", "--highlight-gaps")
    assert result.exit_code == 0, result.stderr
    assert "note: no entity with id 'igf', the default root of --ecosystem" in result.stderr
    assert "left out the rules that need a root (uncovered-activity," in result.stderr
    result = igfmap(
        runner,
        "--store",
        "wsis.json",
        "map",
        "--out",
        "wsis.html",
        "--highlight-gaps",
        "--ecosystem",
        "wsis-forum",
    )
    assert result.exit_code == 0, result.stderr
    outlined = int(result.stderr.split("relations, ")[1].split(" gap findings")[0])
    assert outlined > 0
    assert map_entities(chromium, tmp_path / "wsis.html")["C2 Information infrastructure"] == "activity"

    for args in (
        ["report", "--out", "wsis-report", "--ecosystem", "wsis-forum"],
        ["export", "--format", "svg", "--out", "wsis.svg", "--highlight-gaps", "--ecosystem", "wsis-forum"],
        ["matrix", "--ecosystem", "wsis-forum"],
        ["brokers", "--ecosystem", "wsis-forum"],
    ):
        result = igfmap(runner, "--store", "wsis.json", *args)
        assert result.exit_code == 0, (args, result.stderr)
    assert "al-c2" in (tmp_path / "wsis-report" / "report.md").read_text(encoding="utf-8")


def test_validate_and_gaps_against_a_neo4j_store(runner, neo4j_server, tmp_path: Path) -> None:
    from mapper.dataset import Dataset
    from mapper.neo4j import Neo4jStore
    from mapper.store import seed_dataset
    from mapper.validation import read_dataset

    collect = tmp_path / "collect"
    assert igfmap(runner, "template", collect).exit_code == 0
    fill(collect, SEED_REFERRING)
    neo4j = ["--neo4j", neo4j_server.uri]
    with Neo4jStore.connect(neo4j_server.uri) as store:
        store.write_dataset(seed_dataset(), wipe=True)
    assert igfmap(runner, *neo4j, "validate", collect).exit_code == 0
    with Neo4jStore.connect(neo4j_server.uri) as store:
        store.write_dataset(Dataset(), wipe=True)
    result = igfmap(runner, *neo4j, "validate", collect)
    assert result.exit_code == 1
    assert f"references were checked against store {neo4j_server.uri}" in result.stderr
    result = igfmap(runner, *neo4j, "load", collect)
    assert result.exit_code == 1 and f"references checked against Neo4j {neo4j_server.uri}" in result.stderr

    wsis = tmp_path / "wsis"
    assert igfmap(runner, "template", wsis).exit_code == 0
    fill(wsis, NO_IGF)
    with Neo4jStore.connect(neo4j_server.uri) as store:
        store.write_dataset(read_dataset([wsis]), wipe=True)
    result = igfmap(runner, *neo4j, "gaps")
    assert result.exit_code == 1
    assert "pass --ecosystem ID, e.g. one of: wsis (3 entities), wsis-forum (3 entities)" in result.stderr
    found = igfmap(runner, *neo4j, "gaps", "--ecosystem", "wsis-forum", "--format", "csv")
    assert found.exit_code == 0 and "uncovered-activity,al-c2" in found.stdout


README = ROOT / "README.md"


def readme_own_data_commands() -> list[list[str]]:
    """The `$ igfmap ...` lines of the README's "Your own data" block, as argument lists."""
    import shlex

    section = README.read_text(encoding="utf-8").split("## Your own data", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    return [
        shlex.split(line[2:], comments=True)[1:] for line in block.splitlines() if line.startswith("$ igfmap")
    ]


def test_readme_own_data_commands_run_as_written(runner, tmp_path: Path, chromium) -> None:
    text = README.read_text(encoding="utf-8")
    assert "../shared" not in text and "(docs/data-model.md)" in text
    assert (README.parent / "docs" / "data-model.md").is_file()
    commands = readme_own_data_commands()
    assert [c[0] for c in commands[:2]] == ["template", "template"] and commands[-1][2] == "map"
    for args in commands[:2]:
        assert igfmap(runner, *args).exit_code == 0, args
    fill(tmp_path / "collect", SEED_REFERRING)
    for args in commands[2:]:
        result = igfmap(runner, *args)
        assert result.exit_code == 0, (args, result.stderr)
    assert (tmp_path / "collect.xlsx").read_bytes()[:2] == b"PK"
    assert (
        map_entities(chromium, tmp_path / "mymap.html")["Dynamic Coalition on Our Topic"]
        == "dynamic_coalition"
    )
