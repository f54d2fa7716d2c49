"""Hostile and broken input (issues 11 and 12): each case is read exactly or refused.

Every case runs the real ``igfmap`` in a subprocess and asserts the exit code, the first stderr
line (``FILE[:LINE[:COL]]: ...``), a time and a peak-memory bound (safety limits for hostile
input, not benchmarks), and that nothing else changed: the store keeps its bytes and no file
appears. Small inputs live in ``tests/data/hostile/``; big ones (a zip bomb, 100,000-deep
nesting, a 3-million-row sheet, /dev/zero, a FIFO) are made at test time in ``tmp_path``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

HOSTILE = Path(__file__).parents[1] / "data" / "hostile"
SMALL = Path(__file__).parents[1] / "data" / "small" / "dataset.yaml"
REPO = Path(__file__).parents[2]

MAX_SECONDS = 20.0  # per command, on a shared 2-core machine
MAX_PEAK_MB = 400.0  # resident peak of the igfmap process


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def first_error(self) -> str:
        lines = self.stderr.strip().splitlines()
        return lines[0] if lines else ""


# Linux keeps a process's peak RSS across exec, so a child forked straight from a big pytest
# process would report pytest's size. A small launcher forks the real command and reports the
# peak of that grandchild alone (wait4's rusage) in a file.
LAUNCHER = (
    "import os, subprocess, sys\n"
    "proc = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(proc.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def igfmap(*args: str, cwd: Path, timeout: float = 120) -> Run:
    """Run the real CLI in a subprocess: exit code, output, wall time and its own peak memory."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    env.pop("IGFMAP_STORE", None)
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        out_path, err_path = Path(scratch) / "out", Path(scratch) / "err"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            start = time.monotonic()
            command = [
                sys.executable,
                "-c",
                LAUNCHER,
                str(peak_file),
                sys.executable,
                "-m",
                "mapper.cli",
                *args,
            ]
            proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True)
            try:
                code = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command it started
                proc.wait()
                raise
            seconds = time.monotonic() - start
        return Run(
            code,
            out_path.read_text(encoding="utf-8", errors="replace"),
            err_path.read_text(encoding="utf-8", errors="replace"),
            seconds,
            int(peak_file.read_text()) / 1024,  # KiB on Linux
        )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder holding a store loaded with the small dataset; inputs are made beside it."""
    folder = tmp_path / "work"
    folder.mkdir()
    run = igfmap("--store", "store.json", "load", str(SMALL), cwd=folder)
    assert run.code == 0, run.stderr
    return folder


# --- inputs made at test time ------------------------------------------------------------------


def _workbook_bytes(entities: list[list[object]], merge: str | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "sources"
    book["sources"].append(["id", "kind", "title"])
    book["sources"].append(["meeting", "meeting_summary", "A meeting"])
    sheet = book.create_sheet("entities")
    for row in entities:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.create_sheet("relations").append(["source", "type", "target", "sources"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_path(data: bytes, sheet: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="([^"]+)"', book).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def _replace_member(data: bytes, path: Path, member: str, write: Callable[[io.BufferedWriter], None]) -> None:
    """Write ``data`` to ``path`` with one member's content produced by ``write`` (streamed)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == member:
                info = zipfile.ZipInfo(member)
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as handle:
                    write(handle)
            else:
                dst.writestr(info, src.read(info.filename))


HEADER = ["id", "type", "name", "sources"]
FIVE = [[f"org-{i}", "organization", f"Organisation {i}", "meeting"] for i in range(5)]


def lying_dimension(tmp: Path) -> Path:
    """Five entity rows under a stored dimension that claims one (A1:C2)."""
    data = _workbook_bytes([HEADER, *FIVE])
    member = _sheet_path(data, "entities")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(member)
    xml = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:C2"', xml)
    path = tmp / "lying.xlsx"
    _replace_member(data, path, member, lambda h: h.write(xml))
    return path


def merged_header(tmp: Path) -> Path:
    data = _workbook_bytes([[*HEADER, "tags"], ["igf", "igf_body", "IGF", "meeting", "forum"]], merge="D1:E1")
    path = tmp / "merged.xlsx"
    path.write_bytes(data)
    return path


def rows_sheet(tmp: Path, rows: int) -> Path:
    """A sheet of ``rows`` entity rows written straight as XML, its dimension saying A1:D2."""
    data = _workbook_bytes([HEADER])
    member = _sheet_path(data, "entities")

    def write(handle: io.BufferedWriter) -> None:
        handle.write(
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><dimension ref="A1:D2"/><sheetData><row r="1">'
            + b"".join(
                b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (c, h.encode())
                for c, h in zip((b"A", b"B", b"C", b"D"), HEADER, strict=True)
            )
            + b"</row>"
        )
        chunk = []
        for r in range(2, rows + 2):
            chunk.append(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>o%d</t></is></c></row>' % (r, r, r))
            if len(chunk) == 10_000:
                handle.write(b"".join(chunk))
                chunk = []
        handle.write(b"".join(chunk) + b"</sheetData></worksheet>")

    path = tmp / f"rows-{rows}.xlsx"
    _replace_member(data, path, member, write)
    return path


def zip_bomb(tmp: Path) -> Path:
    """About 1 MB on disk posing as .xlsx, unpacking to 1 GiB of zeros."""
    path = tmp / "bomb.xlsx"
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            for _ in range(1024):
                handle.write(zeros)
    return path


def deep(tmp: Path, name: str, depth: int = 100_000) -> Path:
    path = tmp / name
    path.write_text("{" + '"sources": ' + "[" * depth + "]" * depth + "}\n", encoding="utf-8")
    return path


def fifo(tmp: Path) -> Path:
    path = tmp / "x.yaml"
    os.mkfifo(path)
    return path


def fifo_in_folder(tmp: Path) -> Path:
    folder = tmp / "folder"
    folder.mkdir()
    (folder / "sources.yaml").write_text("sources: [{id: m, kind: news, title: T}]\n", encoding="utf-8")
    os.mkfifo(folder / "x.yaml")
    return folder


def big_file(tmp: Path) -> Path:
    path = tmp / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(1025 * 1024 * 1024)  # sparse: costs no disk
    return path


def hostile(name: str) -> Callable[[Path], Path]:
    return lambda tmp: HOSTILE / name


# name: (make the input, extra global options, regex the first stderr line must match)
REFUSED: dict[str, tuple[Callable[[Path], Path], list[str], str]] = {
    "csv unterminated quote": (
        hostile("csv-unterminated-quote"),
        [],
        r"entities\.csv:2:3: csv: a quote opened in this cell is never closed, so the 50 line\(s\)",
    ),
    "csv text after closing quote": (
        hostile("csv-text-after-quote"),
        [],
        r"entities\.csv:2: csv: ',' expected after '\"'",
    ),
    "csv values under a blank header": (
        hostile("csv-blank-header"),
        [],
        r"entities\.csv:2:4: header: 1 row\(s\) have values in column 4, whose header cell is blank",
    ),
    "xlsx merged header": (
        merged_header,
        [],
        r"merged\.xlsx\[entities\]:2:E: header: 1 row\(s\) have values in column E, whose header cell is blank \(or merged\)",
    ),
    "yaml duplicate key": (
        hostile("duplicate-key.yaml"),
        [],
        r"duplicate-key\.yaml:8:5: key: duplicate key 'name' \(first at line 7\)",
    ),
    "json duplicate key": (
        hostile("duplicate-key.json"),
        [],
        r"duplicate-key\.json:6:6: key: duplicate key 'name' \(first at line 5\)",
    ),
    "json NaN": (
        hostile("json-nan.json"),
        [],
        r"json-nan\.json:4:58: json: NaN is not a JSON number and is refused",
    ),
    "yaml impossible unquoted date": (
        hostile("impossible-date.yaml"),
        [],
        r"impossible-date\.yaml:5: valid_from: bad date '2024-02-30': not a real date: February 2024 has 29 days",
    ),
    "day/month date": (
        hostile("day-month-date.yaml"),
        [],
        r"day-month-date\.yaml:3: date: bad date '31/10/2024': write 2024-10-31",
    ),
    "type in capitals": (
        hostile("uppercase-type.yaml"),
        [],
        r"uppercase-type\.yaml:5: type: unknown entity type 'NRI' \(write 'nri'\)",
    ),
    "enum with spaces": (
        hostile("spaced-enum.yaml"),
        [],
        r"spaced-enum\.yaml:5: stakeholder_group: unknown value 'Civil Society' \(write 'civil-society'\)",
    ),
    "self relation": (
        hostile("self-relation.yaml"),
        [],
        r"self-relation\.yaml:7: target: source and target are both 'dc-iot': COORDINATES_WITH cannot relate an entity to itself",
    ),
    "billion laughs": (
        hostile("billion-laughs.yaml"),
        [],
        r"billion-laughs\.yaml:7:5: aliases: aliases expand this document to more than [\d,]+ nodes, over the limit of 1,000,000 added nodes \(raise it with --limit aliases=N\)",
    ),
    "recursive alias": (
        hostile("recursive-alias.yaml"),
        [],
        r"recursive-alias\.yaml:2:14: yaml: an alias refers to a collection that contains it",
    ),
    "escape sequence in a name": (
        hostile("escape-in-name.yaml"),
        [],
        r"escape-in-name\.yaml:5: name: control character \\x1b is not allowed",
    ),
    "NUL in a name": (
        hostile("nul-in-name.yaml"),
        [],
        r"nul-in-name\.yaml:5: name: control character \\x00 is not allowed",
    ),
    "bidi override in an id": (
        hostile("bidi-in-id.yaml"),
        [],
        r"bidi-in-id\.yaml:5: id: invalid id 'igf\\u202efdp'",
    ),
    "yaml 100,000-deep nesting": (
        lambda tmp: deep(tmp, "deep.yaml"),
        [],
        r"deep\.yaml:1:\d+: depth: nesting deeper than 32 levels, over the limit of 32 \(raise it with --limit depth=N\)",
    ),
    "json 100,000-deep nesting": (
        lambda tmp: deep(tmp, "deep.json"),
        [],
        r"deep\.json: depth: nesting too deep to read, over the limit of 32 \(raise it with --limit depth=N\)",
    ),
    "json nesting over a lowered limit": (
        lambda tmp: deep(tmp, "deep10.json", 10),
        ["--limit", "depth=8"],
        r"deep10\.json: depth: nesting deeper than 8 levels, over the limit of 8",
    ),
    "zip bomb posing as xlsx": (
        zip_bomb,
        [],
        r"bomb\.xlsx: workbook unpacks to 1,024\.0 MB, over the limit of 100 MB \(raise it with --limit xlsx-mb=N\)",
    ),
    "3-million-row sheet": (
        lambda tmp: rows_sheet(tmp, 3_000_000),
        [],
        r"rows-3000000\.xlsx: workbook unpacks to [\d,.]+ MB, over the limit of 100 MB",
    ),
    "sheet over the row limit": (
        lambda tmp: rows_sheet(tmp, 3_000),
        ["--limit", "rows=1000"],
        r"rows-3000\.xlsx: sheet 'entities' has more than 1,000 rows, over the limit of 1,000 \(raise it with --limit rows=N\)",
    ),
    "/dev/zero": (
        lambda tmp: Path("/dev/zero"),
        [],
        r"/dev/zero: not a regular file \(a character device\)",
    ),
    "FIFO named x.yaml": (fifo, [], r"x\.yaml: not a regular file \(a named pipe \(FIFO\)\)"),
    "FIFO inside a folder": (
        fifo_in_folder,
        [],
        r"folder/x\.yaml: not a regular file \(a named pipe \(FIFO\)\)",
    ),
    "file over the size limit": (
        big_file,
        [],
        r"big\.yaml: file is 1,025\.0 MB, over the limit of 1,024 MB \(raise it with --limit file-mb=N\)",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_with_location_in_bounded_time_and_memory(case: str, work: Path, tmp_path: Path) -> None:
    make, options, pattern = REFUSED[case]
    bad = make(tmp_path)
    before = snapshot(work)
    for command in ("validate", "load"):
        run = igfmap("--store", "store.json", *options, command, str(bad), cwd=work)
        assert run.code == 1, (command, run.stderr)
        assert re.search(pattern, run.first_error), run.first_error
        assert "Traceback" not in run.stderr
        assert run.seconds < MAX_SECONDS, (command, run.seconds)
        assert run.peak_mb < MAX_PEAK_MB, (command, run.peak_mb)
    assert snapshot(work) == before


def test_limits_are_checked_options(work: Path) -> None:
    rows = HOSTILE / "csv-unterminated-quote"
    for bad in ("rows=0.5", "rows=-1", "nonsense=3", "rows"):
        run = igfmap("--limit", bad, "validate", str(SMALL), cwd=work)
        assert run.code == 2, (bad, run.stderr)
        assert "--limit" in run.stderr
    run = igfmap("--limit", "rows=1", "validate", str(rows / "sources.csv"), cwd=work)
    assert run.code == 0, run.stderr  # one row is within a limit of one
    run = igfmap("--limit", "rows=1", "validate", str(SMALL), cwd=work)
    assert run.code == 1
    assert re.search(
        r"dataset\.yaml: sources holds 2 records, over the limit of 1 \(raise it with --limit rows=N\)",
        run.stderr,
    )


OLD_ROW_LIMIT = 100_000  # the record limit before issue 25; the documented L set holds 150,000 entities


def many_sources(tmp: Path, count: int) -> Path:
    """A valid JSON dataset whose ``sources`` section holds ``count`` small records."""
    import json

    records = [{"id": f"s{i:06d}", "kind": "news", "title": f"Source {i}"} for i in range(count)]
    path = tmp / f"sources-{count}.json"
    path.write_text(json.dumps({"schema_version": 1, "sources": records}), encoding="utf-8")
    return path


def test_a_file_over_the_old_record_limit_loads_with_no_flag(work: Path, tmp_path: Path) -> None:
    """The documented scale needs no --limit: the record limit guards nothing hostile."""
    import json

    big = many_sources(tmp_path, OLD_ROW_LIMIT + 1)
    for command in (["validate"], ["--store", "big-store.json", "load"]):
        run = igfmap(*command[:-1], command[-1], str(big), cwd=work)
        assert run.code == 0, run.stderr
        # Memory per input byte stays bounded: about 6 MB of JSON, far under the hostile bound.
        assert run.peak_mb < MAX_PEAK_MB, (command, run.peak_mb)
    stored = json.loads((work / "big-store.json").read_text(encoding="utf-8"))
    assert len(stored["sources"]) == OLD_ROW_LIMIT + 1
    assert stored["sources"][-1] == {
        "id": f"s{OLD_ROW_LIMIT:06d}",
        "kind": "news",
        "title": f"Source {OLD_ROW_LIMIT}",
    }


# --- read exactly: what is in the file is what is loaded -----------------------------------------


def load_into(work: Path, *paths: Path | str) -> dict:
    import json

    run = igfmap("--store", "fresh.json", "load", *map(str, paths), cwd=work)
    assert run.code == 0, run.stderr
    assert run.seconds < MAX_SECONDS and run.peak_mb < MAX_PEAK_MB
    return json.loads((work / "fresh.json").read_text(encoding="utf-8"))


def test_xlsx_with_a_lying_dimension_loads_every_row(work: Path, tmp_path: Path) -> None:
    doc = load_into(work, lying_dimension(tmp_path))
    assert [e["id"] for e in doc["entities"]] == [f"org-{i}" for i in range(5)]


def test_yaml_keeps_ids_and_names_as_written(work: Path) -> None:
    doc = load_into(work, HOSTILE / "yaml11-text.yaml")
    (entity,) = doc["entities"]
    assert entity["id"] == "0123"
    assert entity["name"] == "no"
    assert entity["aliases"] == ["yes", "on", "off", "1e3", "0x1F", "1_000"]
    (source,) = doc["sources"]
    assert source["title"] == "2024"
    assert source["date"] == "2024-10-31"


def test_json_numbers_stay_the_text_written(work: Path) -> None:
    doc = load_into(work, HOSTILE / "json-huge-number.json")
    assert doc["sources"][0]["title"] == "1e400"  # not inf


def test_semicolon_csv_is_recognised(work: Path) -> None:
    doc = load_into(work, HOSTILE / "csv-semicolon")
    assert doc["sources"][0]["title"] == "A meeting, with a comma"
    assert doc["entities"][0]["name"] == "Internet Governance Forum"


def test_semicolon_csv_that_cannot_be_recognised_is_named(work: Path, tmp_path: Path) -> None:
    folder = tmp_path / "semi"
    folder.mkdir()
    (folder / "sources.csv").write_text("id;kind;titel\nm;news;T\n", encoding="utf-8")
    run = igfmap("validate", str(folder), cwd=work)
    assert run.code == 1
    assert "separated by semicolons: save the file comma-separated" in run.stderr


# --- inert text in terminals -----------------------------------------------------------------------


def test_bidi_override_in_a_name_is_shown_escaped(work: Path) -> None:
    run = igfmap("--store", "store.json", "load", str(HOSTILE / "bidi-in-name.yaml"), cwd=work)
    assert run.code == 0, run.stderr
    for fmt in ("table", "md", "json"):
        shown = igfmap("--store", "store.json", "show", "igf", "--format", fmt, cwd=work)
        assert shown.code == 0, shown.stderr
        assert "\u202e" not in shown.stdout, fmt
        assert "u202e" in shown.stdout, fmt
    listed = igfmap("--store", "store.json", "search", "Forum", "--format", "table", cwd=work)
    assert "\u202e" not in listed.stdout and "\\u202e" in listed.stdout


def test_render_escapes_every_control_character() -> None:
    import json

    from mapper.output import TableResult, render

    hostile = "A\x1b[2J\x00B\u202eC\x9bD"
    result = TableResult(["name"], [{"name": hostile}])
    for fmt in ("table", "md"):
        text = render(result, fmt)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", text), fmt
        # Markdown doubles the backslash so that it shows as one.
        assert "\\x1b[2J\\x00B\\u202eC\\x9bD" in text.replace("\\\\", "\\")
    assert render(result, "csv", terminal=True).splitlines()[1] == "A\\x1b[2J\\x00B\\u202eC\\x9bD"
    as_json = render(result, "json")
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202e]", as_json.replace("\n", ""))
    assert json.loads(as_json) == [{"name": hostile}]  # the same data, only escaped


# --- spreadsheet-safe outputs ------------------------------------------------------------------


TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def assert_no_live_xlsx_cell(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path)  # not read-only: data types as stored
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                cells += 1
                assert cell.data_type != "f", (path, sheet.title, cell.coordinate, cell.value)
                assert not str(cell.value).startswith(TRIGGERS), (path, sheet.title, cell.coordinate)
    return cells


def assert_no_live_csv_cell(path: Path) -> int:
    cells = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            for value in row:
                cells += 1
                assert not value.startswith(TRIGGERS), (path, value)
    return cells


def test_formula_names_are_text_in_every_csv_and_xlsx(work: Path, tmp_path: Path) -> None:
    formulas = HOSTILE / "formulas.yaml"
    assert igfmap("--store", "f.json", "load", str(formulas), cwd=work).code == 0
    original = (work / "f.json").read_bytes()
    out = tmp_path / "out"
    commands = {
        "xlsx": ["export", "--format", "xlsx", "--out", str(out / "x.xlsx")],
        "csv": ["export", "--format", "csv", "--out", str(out / "csv")],
        "report": ["report", "--out", str(out / "report"), "--as-of", "2025-01-01"],
        "template-xlsx": ["template", str(out / "t.xlsx"), "--format", "xlsx"],
        "template-csv": ["template", str(out / "t")],
    }
    for name, command in commands.items():
        run = igfmap("--store", "f.json", *command, cwd=work, timeout=300)
        assert run.code == 0, (name, run.stderr)
    xlsx_files = sorted(out.rglob("*.xlsx"))
    csv_files = sorted(out.rglob("*.csv"))
    assert {p.name for p in csv_files} >= {
        "nodes.csv",
        "edges.csv",
        "sources.csv",
        "gaps.csv",
        "entities.csv",
    }
    assert sum(assert_no_live_xlsx_cell(p) for p in xlsx_files) > 0
    assert sum(assert_no_live_csv_cell(p) for p in csv_files) > 0
    # Neutralised, not lost: the names are there with the apostrophe a spreadsheet hides.
    nodes = (out / "csv" / "nodes.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in nodes and "'@SUM(A1:A9)" in nodes
    # The export passes its own validate and loads back to the very same store.
    assert igfmap("validate", str(out / "x.xlsx"), cwd=work).code == 0
    assert igfmap("--store", "back.json", "load", str(out / "x.xlsx"), cwd=work).code == 0
    assert (work / "back.json").read_bytes() == original


def test_query_csv_output_is_neutralised(work: Path) -> None:
    assert igfmap("--store", "f.json", "load", str(HOSTILE / "formulas.yaml"), cwd=work).code == 0
    run = igfmap("--store", "f.json", "search", "SUM", "--format", "csv", cwd=work)
    assert run.code == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert any(v == "'@SUM(A1:A9)" for row in rows for v in row), rows
    assert not any(v.startswith(TRIGGERS) for row in rows for v in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dataset_files_round_trip_formula_text_exactly(fmt: str, tmp_path: Path) -> None:
    from mapper.store import dumps
    from mapper.validation import read_dataset
    from mapper.writers import write_dataset

    dataset = read_dataset([HOSTILE / "formulas.yaml"])
    out = tmp_path / ("x" if fmt == "csv" else "x.xlsx")
    write_dataset(dataset, out, fmt)
    assert dumps(read_dataset([out])) == dumps(dataset)
    assert dataset.entities["igf"]["aliases"][3] == "'=already quoted"
