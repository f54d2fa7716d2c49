"""Bad input: exit code 1, one message naming file, line and field, and the store untouched.

Each refused case is a committed file (or a folder, for CSV) in ``tests/data/bad/``, named after
the case; the one workbook is made at test time in ``tmp_path`` by ``xlsx_without_entities``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from mapper.cli import app

SMALL_YAML = Path(__file__).parents[1] / "data" / "small" / "dataset.yaml"
BAD = Path(__file__).parents[1] / "data" / "bad"


def small_doc() -> dict:
    return yaml.safe_load(SMALL_YAML.read_text(encoding="utf-8"))


def write_yaml_with(tmp: Path, change: Callable[[dict], None]) -> Path:
    doc = small_doc()
    change(doc)
    path = tmp / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def bad_case(name: str) -> Callable[[Path], Path]:
    """A committed case: a file, or a folder of CSV files, under ``tests/data/bad/``."""
    return lambda tmp: BAD / name


def xlsx_without_entities(tmp: Path) -> Path:
    """A workbook with 'sources' and 'relations' sheets but no 'entities' sheet.

    Made at test time rather than committed: openpyxl stamps the time into every file it saves.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "sources"
    workbook["sources"].append(["id", "kind", "title"])
    workbook.create_sheet("relations").append(["source", "type", "target", "sources"])
    path = tmp / "xlsx-without-entities-sheet.xlsx"
    workbook.save(path)
    return path


# name: (the bad input, regex the first stderr line must match)
CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "malformed yaml": (
        bad_case("malformed-yaml.yaml"),
        r"malformed-yaml\.yaml:\d+:\d+: yaml: ",
    ),
    "json not an object": (
        bad_case("json-not-an-object.json"),
        r"json-not-an-object\.json:1: document: expected an object",
    ),
    "csv without required header": (
        bad_case("csv-without-required-header"),
        r"entities\.csv:1: type: missing required column 'type'",
    ),
    "csv row with too many cells": (
        bad_case("csv-row-with-too-many-cells"),
        r"entities\.csv:2:4: row: 4 cells but the header has 3 columns",
    ),
    "unknown entity type": (
        bad_case("unknown-entity-type.yaml"),
        r"unknown-entity-type\.yaml:\d+: type: unknown entity type 'igf_bodyy' \(did you mean 'igf_body'\?\)",
    ),
    "unknown relation type": (
        bad_case("unknown-relation-type.yaml"),
        r"unknown-relation-type\.yaml:\d+: type: unknown relation type 'PART_0F'",
    ),
    "duplicate id": (
        bad_case("duplicate-id.yaml"),
        r"duplicate-id\.yaml:\d+: id: duplicate id 'igf' \(first at .*duplicate-id\.yaml:\d+\)",
    ),
    "id with spaces": (
        bad_case("id-with-spaces.yaml"),
        r"id-with-spaces\.yaml:\d+: id: invalid id",
    ),
    "id with capitals": (
        bad_case("id-with-capitals.yaml"),
        r"id-with-capitals\.yaml:\d+: id: invalid id 'GDC'",
    ),
    "relation to missing entity": (
        bad_case("relation-to-missing-entity.yaml"),
        r"relation-to-missing-entity\.yaml:\d+: target: no entity with id 'gdcc' \(did you mean 'gdc'\?\)",
    ),
    "disallowed category pair": (
        bad_case("disallowed-category-pair.yaml"),
        r"disallowed-category-pair\.yaml:\d+: type: ENGAGES_IN cannot join a actor \(dc-iot\) to a objective",
    ),
    "unknown enum value": (
        bad_case("unknown-enum-value.yaml"),
        r"unknown-enum-value\.yaml:\d+: status: unknown value 'ongoing'",
    ),
    "bad date": (
        bad_case("bad-date.yaml"),
        r"bad-date\.yaml:\d+: since: bad date '31/10/2024'",
    ),
    "since after until": (
        bad_case("since-after-until.yaml"),
        r"since-after-until\.yaml:\d+: since: since 2025-01-01 is after until 2024-09-22",
    ),
    "unknown source id": (
        bad_case("unknown-source-id.yaml"),
        r"unknown-source-id\.yaml:\d+: sources: unknown source id 'meetin' \(did you mean 'meeting'\?\)",
    ),
    "relation without source": (
        bad_case("relation-without-source.yaml"),
        r"relation-without-source\.yaml:\d+: sources: required field is missing or empty",
    ),
    "not utf-8": (
        bad_case("not-utf-8/sources.csv"),  # cp1252 bytes: 'Café résumé'
        r"sources\.csv:2: encoding: not UTF-8 .*cp1252",
    ),
    "empty file": (bad_case("empty-file.yaml"), r"empty-file\.yaml:1: file: empty file"),
    "xlsx without entities sheet": (
        xlsx_without_entities,
        r"xlsx-without-entities-sheet\.xlsx:1: entities: sheet 'entities' is missing",
    ),
    "schema extension with invalid type name": (
        bad_case("schema-extension-with-invalid-type-name.yaml"),
        r"schema-extension-with-invalid-type-name\.yaml:\d+: schema\.entity_types: invalid type name 'Think-Tank'",
    ),
}


@pytest.fixture
def store(tmp_path: Path, runner) -> Path:
    path = tmp_path / "store.json"
    result = runner.invoke(app, ["--store", str(path), "load", str(SMALL_YAML)])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_with_file_line_field(case: str, tmp_path: Path, runner, store: Path) -> None:
    make, pattern = CASES[case]
    bad = make(tmp_path)
    before = store.read_bytes()
    for command in (["validate", str(bad)], ["load", str(bad)]):
        result = runner.invoke(app, ["--store", str(store), *command])
        assert result.exit_code == 1, (command, result.output)
        first = result.stderr.strip().splitlines()[0]
        assert re.search(pattern, first), first
        assert "Traceback" not in result.output
    assert store.read_bytes() == before


def test_every_committed_case_is_used() -> None:
    committed = {p.name for p in BAD.iterdir()}
    used = {
        make(Path("unused")).relative_to(BAD).parts[0]
        for make, _ in CASES.values()
        if make is not xlsx_without_entities
    }
    assert committed == used  # no stray file under tests/data/bad/, no case without its file


def test_all_problems_are_listed(tmp_path: Path, runner) -> None:
    def change(doc: dict) -> None:
        doc["relations"][0]["status"] = "ongoing"
        doc["relations"][1]["since"] = "yesterday"
        doc["entities"][0]["id"] = "Bad Id"

    bad = write_yaml_with(tmp_path, change)
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(bad))]
    assert len(lines) >= 3, result.stderr


def test_yaml_line_numbers_point_at_the_field(tmp_path: Path, runner) -> None:
    text = SMALL_YAML.read_text(encoding="utf-8").replace("status: concluded", "status: finished")
    bad = tmp_path / "lines.yaml"
    bad.write_text(text, encoding="utf-8")
    expected_line = text.splitlines().index("    status: finished") + 1
    result = runner.invoke(app, ["validate", str(bad)])
    assert f"lines.yaml:{expected_line}: status: unknown value 'finished'" in result.stderr


def test_json_errors_name_the_line(tmp_path: Path, runner) -> None:
    doc = small_doc()
    doc["relations"][1]["status"] = "finished"
    text = json.dumps(doc, indent=2)
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if '"finished"' in t)
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert f"bad.json:{line}: status: unknown value 'finished'" in result.stderr


def test_yaml_is_loaded_safely(tmp_path: Path, runner) -> None:
    bad = tmp_path / "evil.yaml"
    bad.write_text("!!python/object/apply:os.system ['echo pwned > pwned.txt']\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "yaml:" in result.stderr
    assert not (tmp_path / "pwned.txt").exists()
