"""Bounded and located refusals of issue 26 (items 9, 11-15): broken and hostile workbooks, odd
``schema_version`` values, a CSV cell over its limit, and ``--lock-timeout`` values.

Each case runs the real ``igfmap`` (``validate``, ``load --dry-run`` and ``load``) and asserts the
exact first stderr line, the exit code, a time and memory bound, and that nothing in the work
folder changed (the store's bytes, and no temp file left).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.mapper import hostile_workbooks as books
from tests.mapper.test_hostile_input import HOSTILE, MAX_PEAK_MB, MAX_SECONDS, igfmap, snapshot, work

__all__ = ["work"]  # the fixture: a store loaded with the small dataset

SHEET = "xl/worksheets/sheet2.xml"  # the entities sheet of the generated workbooks

# name: (make the input, extra global options, the exact first line of `validate`)
CASES: dict[str, tuple[Callable[[Path], Path], list[str], str]] = {
    "formula with no saved value": (
        lambda tmp: HOSTILE / "formula-no-value.xlsx",
        [],
        f"{HOSTILE}/formula-no-value.xlsx[entities]:2:C: formula: the cell holds a formula with no saved "
        "value (the file was not saved by a spreadsheet program); open and save it, or type the value",
    ),
    "shared-string index out of range": (
        books.bad_index,
        [],
        "{tmp}/bad-sst-index.xlsx[entities]:2:B: cell: refers to shared string 99, which the workbook lacks",
    ),
    "malformed sheet XML": (
        books.malformed,
        [],
        f"{{tmp}}/malformed-sheet.xlsx[{SHEET}]:1:393: file: its XML is not well-formed (unclosed token)",
    ),
    "corrupt deflate stream": (
        books.corrupt_deflate,
        [],
        f"{{tmp}}/corrupt-deflate.xlsx[{SHEET}]:1: file: its compressed data is corrupt: "
        "Error -3 while decompressing data: invalid bit length repeat",
    ),
    "XML entity bomb": (
        books.entity_bomb,
        [],
        f"{{tmp}}/entity-bomb.xlsx[{SHEET}]:1:783: file: its XML declares entities (a DTD), which a "
        "workbook never needs (limit on input amplification factor (from DTD and entities) breached)",
    ),
    "XXE": (
        books.xxe,
        [],
        f"{{tmp}}/xxe.xlsx[{SHEET}]:1:490: file: its XML declares entities (a DTD), which a workbook "
        "never needs (undefined entity &x;)",
    ),
    "5,000-digit schema_version": (
        lambda tmp: _write(tmp / "v.yaml", "schema_version: " + "9" * 5000 + "\nsources: []\n"),
        [],
        "{tmp}/v.yaml:1: schema_version: unsupported version '999999999999999999999999999999999999999... "
        "(5,000 characters) (this tool reads 1)",
    ),
    "superscript schema_version": (
        lambda tmp: _write(tmp / "v.json", '{"schema_version": "\u00b2", "sources": []}'),
        [],
        "{tmp}/v.json:1: schema_version: unsupported version '\u00b2' (this tool reads 1)",
    ),
    "CSV cell over 128 KB": (
        lambda tmp: _write(tmp / "big" / "sources.csv", "id,kind,title\nm,news," + "x" * 140_000 + "\n"),
        [],
        "{tmp}/big/sources.csv:2: csv: a cell holds too much text, over the limit of 128 KB "
        "(raise it with --limit cell-kb=N)",
    ),
}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_refused_naming_file_and_line_or_cell(case: str, work: Path, tmp_path: Path) -> None:
    make, options, expected = CASES[case]
    bad = make(tmp_path)
    expected = expected.replace("{tmp}", str(tmp_path))
    before = snapshot(work)
    for command in ("validate", "load --dry-run", "load"):
        run = igfmap("--store", "store.json", *options, *command.split(), str(bad), cwd=work)
        assert run.code == 1, (command, run.stderr)
        assert run.first_error == (expected if command == "validate" else f"error: {expected}"), command
        assert run.seconds < MAX_SECONDS and run.peak_mb < MAX_PEAK_MB, (command, run.seconds, run.peak_mb)
    assert snapshot(work) == before


def test_the_shared_string_bomb_is_refused_within_5_s_and_200_mb(work: Path) -> None:
    bomb = HOSTILE / "string-bomb.xlsx"
    assert bomb.stat().st_size < 100_000  # one 32,767-character string, referenced 6,000 times
    before = snapshot(work)
    run = igfmap("--store", "store.json", "load", str(bomb), cwd=work)
    assert run.code == 1
    assert run.first_error == (
        f"error: {bomb}[entities]:2049:C: text: the workbook's cells expand to more text than that, "
        "over the limit of 64 MB (raise it with --limit xlsx-text-mb=N)"
    )
    assert run.seconds < 5.0 and run.peak_mb < 200.0, (run.seconds, run.peak_mb)
    assert snapshot(work) == before
    # The limit is a limit: raised, the workbook's own problems are what is left to report.
    run = igfmap("--store", "store.json", "--limit", "xlsx-text-mb=300", "validate", str(bomb), cwd=work)
    assert "xlsx-text-mb" not in run.stderr


def test_a_csv_cell_over_the_default_loads_with_a_raised_limit(work: Path, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    _write(folder / "sources.csv", "id,kind,title\nm,news," + "x" * 140_000 + "\n")
    run = igfmap("--limit", "cell-kb=200", "validate", "--no-against-store", str(folder), cwd=work)
    assert run.code == 0, run.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", "-1"])
def test_lock_timeout_must_be_a_finite_number_at_parse_time(value: str, work: Path) -> None:
    before = snapshot(work)
    run = igfmap(
        "--store", "store.json", f"--lock-timeout={value}", "load", str(HOSTILE / "formulas.yaml"), cwd=work
    )
    assert run.code == 2, run.stderr
    assert "Invalid value for '--lock-timeout'" in run.stderr
    shown = "inf" if value == "1e400" else value
    reason = "is not in the range x>=0" if value.startswith("-") else "must be a finite number of seconds"
    assert f"{reason}, not {shown}" in run.stderr or f"{float(value)} {reason}" in run.stderr
    assert snapshot(work) == before
