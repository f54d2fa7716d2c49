"""The map, export and report commands (thin: options in, one library call, a note out)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from exports.registry import formats
from mapper.cli import app
from mapper.store import write_store_file
from tests.exports.conftest import tiny_dataset

EXPORT_FORMATS = list(formats())


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    write_store_file(path, tiny_dataset())
    return path


def igfmap(runner, store: Path, *args: str):
    return runner.invoke(app, ["--store", str(store), *args])


def test_map_command(runner, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = igfmap(runner, store, "map", "--out", str(out), "--highlight-gaps", "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and "gap findings outlined" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_map_filters_and_errors(runner, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.html"
    ok = igfmap(runner, store, "map", "-o", str(out), "--focus", "DCCG", "--depth", "1", "--type", "actor")
    assert ok.exit_code == 0, ok.output
    assert "3 entities" in ok.stderr
    assert igfmap(runner, store, "map", "-o", str(out), "--objective", "gdc-obj-3").exit_code == 0
    missing = igfmap(runner, store, "map", "-o", str(out), "--focus", "dcgg")
    assert missing.exit_code == 1 and "did you mean dccg" in missing.stderr
    bad_type = igfmap(runner, store, "map", "-o", str(out), "--type", "nope")
    assert bad_type.exit_code == 2
    bad_date = igfmap(runner, store, "map", "-o", str(out), "--as-of", "30/06/2025")
    assert bad_date.exit_code == 2


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_every_format(runner, store: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("tables" if fmt == "csv" else f"graph.{fmt}")
    result = igfmap(runner, store, "export", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"{fmt}, 10 entities, 14 relations" in result.stderr
    assert out.exists()


def test_export_unknown_format_is_a_usage_error(runner, store: Path, tmp_path: Path) -> None:
    result = igfmap(runner, store, "export", "--format", "dot", "--out", str(tmp_path / "x"))
    assert result.exit_code == 2 and "graphml" in result.stderr


def test_report_command(runner, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = igfmap(runner, store, "report", "--out", str(out), "--title", "Round 1", "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.output
    assert (out / "report.html").exists() and (out / "report.md").read_text().startswith("# Round 1")
    assert "12 files" in result.stderr


def test_commands_use_the_seed_without_a_store(runner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--store", str(tmp_path / "none.json"), "export", "-f", "json", "-o", str(tmp_path / "s.json")]
    )
    assert result.exit_code == 0, result.output
    assert "bundled seed dataset" in result.stderr
    assert len(json.loads((tmp_path / "s.json").read_text())["nodes"]) > 100


def test_every_command_has_an_example() -> None:
    from mapper.cli.exports import COMMANDS

    for func in COMMANDS.values():
        assert "Example: igfmap " in (func.__doc__ or "")


def test_views_on_the_command_line(runner, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.html"
    result = igfmap(runner, store, "map", "--view", "engagement", "-o", str(out), "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.output
    assert "marked as gaps" in result.stderr and 'data-view="engagement"' in out.read_text(encoding="utf-8")
    figure = igfmap(
        runner, store, "export", "-f", "svg", "--view", "engagement", "-o", str(tmp_path / "e.svg")
    )
    assert figure.exit_code == 0, figure.output
    wrong = igfmap(
        runner, store, "export", "-f", "graphml", "--view", "engagement", "-o", str(tmp_path / "g")
    )
    assert wrong.exit_code == 2 and "png, svg and pdf" in wrong.stderr
    unknown = igfmap(runner, store, "map", "--view", "sankey", "-o", str(tmp_path / "x.html"))
    assert unknown.exit_code == 2 and not (tmp_path / "x.html").exists()


def run_export(
    store: Path, cwd: Path, *args: str, stdout: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``igfmap export`` in a real process, its standard output a real pipe (or ``stdout``)."""
    command = [sys.executable, "-m", "mapper.cli", "--store", str(store), "export", *args]
    return subprocess.run(
        command, cwd=cwd, stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_export_to_standard_output(store: Path, tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"  # the store lives in tmp_path
    cwd.mkdir()
    as_json = run_export(store, cwd, "--format", "json", "--out", "-")
    assert as_json.returncode == 0, as_json.stderr
    assert len(json.loads(as_json.stdout)["nodes"]) == 10
    assert b"wrote -: json, 10 entities, 14 relations" in as_json.stderr
    as_png = run_export(store, cwd, "--format", "png", "--out", "-")
    assert as_png.returncode == 0 and as_png.stdout.startswith(b"\x89PNG\r\n"), as_png.stderr
    assert list(cwd.iterdir()) == []  # nothing left behind, no file named "-"


def test_export_to_standard_output_refuses_what_cannot_go_there(store: Path, tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"  # the store lives in tmp_path
    cwd.mkdir()
    folder = run_export(store, cwd, "--format", "csv", "--out", "-")
    assert folder.returncode == 2 and folder.stdout == b""
    assert folder.stderr.decode().strip() == (
        "error: --out -: csv writes a folder of files, not one stream; give a folder name"
    )
    primary, secondary = pty.openpty()  # a terminal: a PNG there would only garble the screen
    try:
        binary = run_export(store, cwd, "--format", "png", "--out", "-", stdout=secondary)
    finally:
        os.close(secondary)
        os.close(primary)
    assert binary.returncode == 2
    assert b"png is binary; pipe it into a file or a program" in binary.stderr
    assert list(cwd.iterdir()) == []


def test_matrix_export_counts_its_rows_and_columns(runner, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "matrix.json"
    result = igfmap(runner, store, "export", "--view", "matrix", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = json.loads(out.read_text(encoding="utf-8"))
    line = result.stderr.strip().splitlines()[-1]
    assert f"json, {len(table['rows'])} actors × {len(table['columns'])} activities" in line, line
    assert "entities" not in line
