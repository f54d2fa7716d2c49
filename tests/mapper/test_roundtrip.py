"""Round trip: the seed through every dataset format and back gives the same store file, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.cli import app
from mapper.store import dumps, load_files, seed_dataset, write_store_file
from mapper.validation import read_dataset
from mapper.writers import DATASET_FORMATS, write_dataset


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_seed_round_trips_through_every_format(fmt: str, tmp_path: Path) -> None:
    seed = seed_dataset()
    original = tmp_path / "original.json"
    write_store_file(original, seed)
    out = tmp_path / ("export" if fmt == "csv" else f"export.{fmt}")
    write_dataset(seed, out, fmt)
    reloaded = tmp_path / "reloaded.json"
    load_files([out], reloaded)
    assert reloaded.read_bytes() == original.read_bytes()


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_hostile_text_round_trips(fmt: str, tmp_path: Path, small_dir: Path) -> None:
    dataset = read_dataset([small_dir])
    igf = dataset.entities["igf"]
    igf["description"] = 'Line one, "quoted", comma\nline two <script>alert(1)</script> ‫שלום‬ 互联网治理论坛'
    igf["aliases"] = ["IGF", "Forum, the", "フォーラム"]
    write_dataset(dataset, tmp_path / ("x" if fmt == "csv" else f"x.{fmt}"), fmt)
    back = read_dataset([tmp_path / ("x" if fmt == "csv" else f"x.{fmt}")])
    assert dumps(back) == dumps(dataset)


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_list_bars_backslashes_and_carriage_returns_round_trip_exactly(
    fmt: str, tmp_path: Path, small_dir: Path
) -> None:
    """An alias ``a|b`` stays one alias; CR and CRLF inside text come back as written (issue 26)."""
    dataset = read_dataset([small_dir])
    igf = dataset.entities["igf"]
    igf["aliases"] = ["a|b", "C:\\data", "ends\\", "\\|", "||", "#N/A"]
    igf["tags"] = ["x\\\\|y"]
    igf["description"] = "CRLF\r\nCR\rLF\n_x000D_ and _x005F_x000D_ stay text"
    dataset.entities["gdc"]["name"] = "=1+1 with\r\ninside"
    out = tmp_path / ("x" if fmt == "csv" else f"x.{fmt}")
    write_dataset(dataset, out, fmt)
    back = read_dataset([out])
    assert back.entities["igf"]["aliases"] == igf["aliases"]
    assert back.entities["igf"]["tags"] == ["x\\\\|y"]
    assert back.entities["igf"]["description"] == igf["description"]
    assert dumps(back) == dumps(dataset)


def test_schema_extension_round_trips(tmp_path: Path) -> None:
    ext = tmp_path / "ext.yaml"
    ext.write_text(
        "schema_version: 1\n"
        "schema:\n"
        "  entity_types: {think_tank: actor}\n"
        "  relation_types: {FUNDS: {from: [actor], to: [actor, activity]}}\n"
        "sources: [{id: s, kind: news, title: T}]\n"
        "entities:\n"
        "  - {id: tt, type: think_tank, name: A think tank, sources: [s]}\n"
        "  - {id: igf, type: igf_body, name: IGF, sources: [s]}\n"
        "relations: [{source: tt, type: FUNDS, target: igf, sources: [s]}]\n",
        encoding="utf-8",
    )
    dataset = read_dataset([ext])
    for fmt in DATASET_FORMATS:
        out = tmp_path / ("csvout" if fmt == "csv" else f"out.{fmt}")
        write_dataset(dataset, out, fmt)
        assert dumps(read_dataset([out])) == dumps(dataset), fmt


def test_template_files_load_back_empty(tmp_path: Path, runner) -> None:
    assert runner.invoke(app, ["template", str(tmp_path / "t")]).exit_code == 0
    assert {p.name for p in (tmp_path / "t").iterdir()} == {
        "sources.csv",
        "entities.csv",
        "relations.csv",
        "README.txt",
        ".igfmap-manifest.json",  # marks the folder as igfmap's own template (mapper/outputs.py)
    }
    assert "stakeholder_group: government" in (tmp_path / "t" / "README.txt").read_text(encoding="utf-8")
    assert runner.invoke(app, ["template", str(tmp_path / "t.xlsx"), "--format", "xlsx"]).exit_code == 0
    from openpyxl import load_workbook

    sheets = load_workbook(tmp_path / "t.xlsx").sheetnames
    assert sheets == ["sources", "entities", "relations", "allowed_values"]
    bad = runner.invoke(app, ["template", str(tmp_path / "t.ods"), "--format", "ods"])
    assert bad.exit_code == 2
