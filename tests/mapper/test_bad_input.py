"""Bad input: exit code 1, one message naming file, line and field, and the store untouched."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from mapper.cli import app

SMALL_YAML = Path(__file__).parents[1] / "data" / "small" / "dataset.yaml"


def small_doc() -> dict:
    return yaml.safe_load(SMALL_YAML.read_text(encoding="utf-8"))


def write_yaml_with(tmp: Path, change: Callable[[dict], None]) -> Path:
    doc = small_doc()
    change(doc)
    path = tmp / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def entity(doc: dict, ident: str) -> dict:
    return next(e for e in doc["entities"] if e["id"] == ident)


def write_text(name: str, text: str | bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return make


def yaml_case(change: Callable[[dict], None]) -> Callable[[Path], Path]:
    return lambda tmp: write_yaml_with(tmp, change)


def _csv_dir(tmp: Path, entities_csv: str) -> Path:
    folder = tmp / "csvdata"
    folder.mkdir()
    (folder / "sources.csv").write_text(
        "id,kind,title\nmeeting,meeting_summary,A meeting\n", encoding="utf-8"
    )
    (folder / "entities.csv").write_text(entities_csv, encoding="utf-8")
    return folder


def _xlsx_without_entities(tmp: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "sources"
    workbook["sources"].append(["id", "kind", "title"])
    workbook.create_sheet("relations").append(["source", "type", "target", "sources"])
    path = tmp / "data.xlsx"
    workbook.save(path)
    return path


def _set(path: list, value: object) -> Callable[[dict], None]:
    """Set doc[section][index][field] = value."""

    def change(doc: dict) -> None:
        section, index, field = path
        doc[section][index][field] = value

    return change


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    # name: (make the bad input, regex the first error line must match)
    "malformed yaml": (
        write_text("bad.yaml", "entities:\n  - id: x\n    name: [unclosed\n"),
        r"bad\.yaml:\d+:\d+: yaml: ",
    ),
    "json not an object": (
        write_text("bad.json", "[1, 2, 3]\n"),
        r"bad\.json:1: document: expected an object",
    ),
    "csv without required header": (
        lambda tmp: _csv_dir(tmp, "id,name\nigf,IGF\n"),
        r"entities\.csv:1: type: missing required column 'type'",
    ),
    "csv row with too many cells": (
        lambda tmp: _csv_dir(tmp, "id,type,name\nigf,igf_body,IGF,extra\n"),
        r"entities\.csv:2:4: row: 4 cells but the header has 3 columns",
    ),
    "unknown entity type": (
        yaml_case(lambda d: entity(d, "igf").update(type="igf_bodyy")),
        r"bad\.yaml:\d+: type: unknown entity type 'igf_bodyy' \(did you mean 'igf_body'\?\)",
    ),
    "unknown relation type": (
        yaml_case(_set(["relations", 0, "type"], "PART_0F")),
        r"bad\.yaml:\d+: type: unknown relation type 'PART_0F'",
    ),
    "duplicate id": (
        yaml_case(lambda d: d["entities"].append(dict(entity(d, "igf")))),
        r"bad\.yaml:\d+: id: duplicate id 'igf' \(first at .*bad\.yaml:\d+\)",
    ),
    "id with spaces": (
        yaml_case(lambda d: entity(d, "gdc").update(id="global digital compact")),
        r"bad\.yaml:\d+: id: invalid id",
    ),
    "id with capitals": (
        yaml_case(lambda d: entity(d, "gdc").update(id="GDC")),
        r"bad\.yaml:\d+: id: invalid id 'GDC'",
    ),
    "relation to missing entity": (
        yaml_case(_set(["relations", 1, "target"], "gdcc")),
        r"bad\.yaml:\d+: target: no entity with id 'gdcc' \(did you mean 'gdc'\?\)",
    ),
    "disallowed category pair": (
        yaml_case(_set(["relations", 2, "target"], "gdc-objective-1")),
        r"bad\.yaml:\d+: type: ENGAGES_IN cannot join a actor \(dc-iot\) to a objective",
    ),
    "unknown enum value": (
        yaml_case(_set(["relations", 1, "status"], "ongoing")),
        r"bad\.yaml:\d+: status: unknown value 'ongoing'",
    ),
    "bad date": (
        yaml_case(_set(["relations", 1, "since"], "31/10/2024")),
        r"bad\.yaml:\d+: since: bad date '31/10/2024'",
    ),
    "since after until": (
        yaml_case(_set(["relations", 1, "since"], "2025-01-01")),
        r"bad\.yaml:\d+: since: since 2025-01-01 is after until 2024-09-22",
    ),
    "unknown source id": (
        yaml_case(_set(["relations", 1, "sources"], ["meetin"])),
        r"bad\.yaml:\d+: sources: unknown source id 'meetin' \(did you mean 'meeting'\?\)",
    ),
    "relation without source": (
        yaml_case(_set(["relations", 1, "sources"], [])),
        r"bad\.yaml:\d+: sources: required field is missing or empty",
    ),
    "not utf-8": (
        write_text("sources.csv", "id,kind,title\nm,news,Caf\xe9 r\xe9sum\xe9\n".encode("cp1252")),
        r"sources\.csv:2: encoding: not UTF-8 .*cp1252",
    ),
    "empty file": (write_text("empty.yaml", ""), r"empty\.yaml:1: file: empty file"),
    "xlsx without entities sheet": (
        _xlsx_without_entities,
        r"data\.xlsx:1: entities: sheet 'entities' is missing",
    ),
    "schema extension with invalid type name": (
        yaml_case(lambda d: d.update(schema={"entity_types": {"Think-Tank": "actor"}})),
        r"bad\.yaml:\d+: schema\.entity_types: invalid type name 'Think-Tank'",
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
