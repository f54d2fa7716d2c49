"""Dataset readers: YAML (safe loading only), JSON, CSV and XLSX, with file/line/column positions.

Readers only parse. They turn each file into :class:`RawRecord` objects that remember where
every field came from, so :mod:`mapper.validation` can name ``FILE:LINE[:COLUMN]: field`` in
every message. :func:`mapper.validation.read_dataset` reads and validates in one call.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.schema import FIELDS, REQUIRED, SCHEMA_VERSION

SECTIONS = ("sources", "entities", "relations")
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xlsx")


@dataclass
class RawRecord:
    """One record as read, with where it came from (``columns`` maps field -> column label)."""

    section: str
    data: dict[str, Any]
    file: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    # For JSON, positions are found only when a message needs them (line 0 until then).
    locate: Any = None

    def where(self, field_name: str | None = None) -> str:
        if not self.line:
            self.line, self.lines = (self.locate() if self.locate else None) or (1, {})
        line = self.lines.get(field_name, self.line) if field_name else self.line
        column = self.columns.get(field_name) if field_name else None
        return f"{self.file}:{line}:{column}" if column else f"{self.file}:{line}"


@dataclass
class RawInput:
    """Everything read from a set of files: records, schema extensions and parse problems."""

    records: list[RawRecord] = field(default_factory=list)
    schemas: list[tuple[Any, str]] = field(default_factory=list)  # (extension, "FILE:LINE")
    issues: list[str] = field(default_factory=list)


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files to read: each file as given, each directory's data files sorted by name."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith(".")
            )
        else:
            files.append(path)
    return files


def read_raw(paths: Iterable[Path | str]) -> RawInput:
    """Parse every file under ``paths``; problems are collected, never raised."""
    raw = RawInput()
    files = expand_paths(paths)
    if not files:
        raw.issues.append(f"{', '.join(map(str, paths))}:1: path: no dataset files found")
    for path in files:
        if not path.exists():
            raw.issues.append(f"{path}:1: path: no such file or directory")
            continue
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            _read_xlsx(path, raw)
            continue
        text = _decode(path, raw)
        if text is None:
            continue
        if not text.strip():
            raw.issues.append(f"{path}:1: file: empty file")
        elif suffix in (".yaml", ".yml"):
            _read_yaml(path, text, raw)
        elif suffix == ".json":
            _read_json(path, text, raw)
        elif suffix == ".csv":
            _read_csv(path, text, raw)
        else:
            raw.issues.append(
                f"{path}:1: file: unknown format {suffix or '(no suffix)'!r} "
                "(use .yaml, .yml, .json, .csv or .xlsx)"
            )
    return raw


# --- decoding -------------------------------------------------------------------------------


def _decode(path: Path, raw: RawInput) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        hint = _guess_encoding(data)
        raw.issues.append(
            f"{path}:{line}: encoding: not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); {hint}"
        )
        return None


def _guess_encoding(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "it looks like UTF-16: re-save it as UTF-8"
    try:
        data.decode("cp1252")
        return "it may be Windows-1252 (cp1252) or Latin-1: re-save it as UTF-8"
    except UnicodeDecodeError:
        return "try re-saving it as UTF-8 (it may be Latin-1 / ISO-8859-1)"


# --- YAML and JSON --------------------------------------------------------------------------


def _read_document(path: Path, doc: Any, raw: RawInput, locate: Any, lazy: bool = False) -> None:
    """Take sections out of a parsed YAML/JSON document. ``locate(section, index)`` gives
    (record line, {field: line}) or None when positions are unknown; with ``lazy`` it is only
    called when a message about a record needs its position."""
    if not isinstance(doc, dict):
        kind = type(doc).__name__ if doc is not None else "nothing"
        raw.issues.append(
            f"{path}:1: document: expected an object with sources, entities and relations, got {kind}"
        )
        return
    allowed = {"schema_version", "schema", *SECTIONS}
    for key in doc:
        if key not in allowed:
            raw.issues.append(
                f"{path}:1: {key}: unknown top-level key (allowed: {', '.join(sorted(allowed))})"
            )
    version = doc.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raw.issues.append(
            f"{path}:1: schema_version: unsupported version {version!r} (this tool reads {SCHEMA_VERSION})"
        )
    if doc.get("schema") is not None:
        line = (locate("schema", None) or (1, {}))[0]
        raw.schemas.append((doc["schema"], f"{path}:{line}"))
    for section in SECTIONS:
        items = doc.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            line = (locate(section, None) or (1, {}))[0]
            raw.issues.append(f"{path}:{line}: {section}: must be a list of records")
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                line = (locate(section, index) or (1, {}))[0]
                raw.issues.append(f"{path}:{line}: {section}: item {index + 1} must be a mapping of fields")
                continue
            if lazy:
                record = RawRecord(section, item, str(path), 0)
                record.locate = functools.partial(locate, section, index)
            else:
                line, lines = locate(section, index) or (1, {})
                record = RawRecord(section, item, str(path), line, lines)
            raw.records.append(record)


def _yaml_locator(node: Any) -> Any:
    """A ``locate`` function over a composed YAML node tree (lines are 1-based)."""

    def locate(section: str, index: int | None) -> tuple[int, dict[str, int]] | None:
        if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
            return None
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) != section:
                continue
            if index is None:
                return key_node.start_mark.line + 1, {}
            items = getattr(value_node, "value", None)
            if not isinstance(items, list) or index >= len(items):
                return None
            item = items[index]
            lines = {}
            if isinstance(item.value, list):
                for pair in item.value:
                    if isinstance(pair, tuple) and len(pair) == 2:
                        lines[str(pair[0].value)] = pair[1].start_mark.line + 1
            return item.start_mark.line + 1, lines
        return None

    return locate


def _read_yaml(path: Path, text: str, raw: RawInput) -> None:
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        doc = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else f"{path}:1"
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raw.issues.append(f"{where}: yaml: {problem}")
        return
    finally:
        loader.dispose()
    _read_document(path, doc, raw, _yaml_locator(node))


def _read_json(path: Path, text: str, raw: RawInput) -> None:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raw.issues.append(f"{path}:{err.lineno}:{err.colno}: json: {err.msg}")
        return
    cache: dict[str, Any] = {}

    def locate(section: str, index: int | None) -> Any:
        # Positions cost a second parse, so they are computed only when a message needs one.
        if "locate" not in cache:
            cache["locate"] = _json_locator(text)
        return cache["locate"](section, index)

    _read_document(path, doc, raw, locate, lazy=True)


def _json_locator(text: str) -> Any:
    import yaml

    try:
        # JSON is (nearly) YAML flow syntax, and the YAML composer keeps line marks.
        node = yaml.SafeLoader(text).get_single_node()
    except yaml.YAMLError:
        node = None
    return _yaml_locator(node)


# --- CSV ------------------------------------------------------------------------------------


def _section_for(path: Path) -> str | None:
    stem = path.stem.lower()
    for section in SECTIONS:
        if stem == section or stem.endswith(("_" + section, "-" + section, "." + section)):
            return section
    return None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _check_header(path: Path, section: str, header: list[str], raw: RawInput, col: Any) -> bool:
    ok = True
    for name in REQUIRED[section]:
        if name not in header:
            raw.issues.append(f"{path}:1: {name}: missing required column {name!r} in the header")
            ok = False
    for i, name in enumerate(header):
        if name and name not in FIELDS[section]:
            raw.issues.append(
                f"{path}:1:{col(i)}: {name}: unknown column (allowed: {', '.join(FIELDS[section])})"
            )
            ok = False
        elif name and header.index(name) != i:
            raw.issues.append(f"{path}:1:{col(i)}: {name}: duplicate column")
            ok = False
    return ok


def _read_csv(path: Path, text: str, raw: RawInput) -> None:
    section = _section_for(path)
    if section is None:
        raw.issues.append(
            f"{path}:1: file: CSV file name must say its section: sources.csv, entities.csv or relations.csv"
        )
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as err:
        raw.issues.append(f"{path}:1: header: cannot read the header ({err or 'no rows'})")
        return
    if not _check_header(path, section, header, raw, lambda i: i + 1):
        return
    start = 1
    try:
        for row in reader:
            line = start + 1
            start = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raw.issues.append(
                    f"{path}:{line}:{len(header) + 1}: row: {len(row)} cells but the header has {len(header)} columns"
                )
                continue
            data = {h: row[i] for i, h in enumerate(header) if h and i < len(row) and row[i] != ""}
            columns = {h: str(i + 1) for i, h in enumerate(header) if h}
            raw.records.append(RawRecord(section, data, str(path), line, {}, columns))
    except csv.Error as err:
        raw.issues.append(f"{path}:{reader.line_num}: csv: {err}")


# --- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(path: Path, raw: RawInput) -> None:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raw.issues.append(f"{path}:1: file: not a readable XLSX workbook ({type(err).__name__}: {err})")
        return
    try:
        names = workbook.sheetnames
        for section in SECTIONS:
            if section not in names:
                raw.issues.append(
                    f"{path}:1: {section}: sheet {section!r} is missing (sheets found: {', '.join(names) or 'none'})"
                )
        if "schema" in names:
            _read_schema_sheet(path, workbook["schema"], raw)
        for section in SECTIONS:
            if section in names:
                _read_sheet(path, section, workbook[section], raw)
    finally:
        workbook.close()


def _read_schema_sheet(path: Path, sheet: Any, raw: RawInput) -> None:
    """An optional ``schema`` sheet: the schema extension as JSON in cell A2."""
    cell = next(sheet.iter_rows(min_row=2, max_row=2, max_col=1, values_only=True), (None,))[0]
    if cell is None or not str(cell).strip():
        return
    try:
        raw.schemas.append((json.loads(str(cell)), f"{path}[schema]:2"))
    except json.JSONDecodeError as err:
        raw.issues.append(f"{path}[schema]:2:A: schema: not valid JSON ({err.msg})")


def _xlsx_value(value: Any) -> str:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_sheet(path: Path, section: str, sheet: Any, raw: RawInput) -> None:
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        raw.issues.append(f"{path}:1: {section}: sheet {section!r} is empty (no header row)")
        return
    while header and not header[-1]:
        header.pop()
    where = f"{path}[{section}]"
    if not _check_header(Path(where), section, header, raw, _column_letter):
        return
    for line, row in enumerate(rows, start=2):
        cells = list(row)
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        extra = [c for c in cells[len(header) :] if c is not None and str(c).strip()]
        if extra:
            raw.issues.append(
                f"{where}:{line}:{_column_letter(len(header))}: row: cells beyond the last header column"
            )
            continue
        data = {
            h: _xlsx_value(cells[i])
            for i, h in enumerate(header)
            if h and i < len(cells) and cells[i] is not None and str(cells[i]) != ""
        }
        columns = {h: _column_letter(i) for i, h in enumerate(header) if h}
        raw.records.append(RawRecord(section, data, where, line, {}, columns))
