"""Dataset writers (YAML, JSON, CSV, XLSX) and blank data-collection templates.

Every writer produces files the readers load back to the same dataset, so a dataset
round-trips through any format. CSV and templates write a directory holding ``sources.csv``,
``entities.csv`` and ``relations.csv``; the other formats write one file. All writes are atomic.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mapper.cells import csv_text as cells_csv_text
from mapper.cells import spreadsheet_text
from mapper.dataset import Dataset
from mapper.outputs import atomic_write_bytes, atomic_write_text
from mapper.schema import (
    CATEGORIES,
    ENUMS,
    FIELDS,
    LIST_FIELDS,
    REQUIRED,
    Schema,
)
from mapper.store import dump_bytes

DATASET_FORMATS = ("yaml", "json", "csv", "xlsx")
SECTIONS = ("sources", "entities", "relations")


def _cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if name in LIST_FIELDS:
        return "|".join(value)  # type: ignore[arg-type]
    return str(value)


def csv_text(dataset: Dataset, section: str) -> str:
    """One section as CSV; cells a spreadsheet would evaluate are neutralised (see mapper.cells)."""
    rows = ([_cell(n, record.get(n)) for n in FIELDS[section]] for record in dataset.to_document()[section])
    return cells_csv_text(FIELDS[section], rows)


def append_text_row(sheet: Any, values: list[Any]) -> None:
    """Append a row whose cells are text, never formulas.

    openpyxl stores a string starting with ``=`` as a live formula; neutralised text cannot
    start with one, and the explicit data type keeps it so whatever openpyxl guesses.
    """
    sheet.append([spreadsheet_text(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def write_dataset(dataset: Dataset, path: Path | str, fmt: str) -> list[Path]:
    """Write ``dataset`` to ``path`` in ``fmt``; returns the files written.

    >>> [p.name for p in write_dataset(dataset, tmp / "out", "csv")]
    ['sources.csv', 'entities.csv', 'relations.csv']
    """
    path = Path(path)
    if fmt in ("json", "yaml"):
        atomic_write_bytes(path, dump_bytes(dataset, fmt))
        return [path]
    if fmt == "csv":
        if dataset.schema.extension:
            # CSV has no place for the schema; keep it beside the tables so a reload keeps it.
            schema_doc = {"schema_version": 1, "schema": dataset.schema.extension}
            atomic_write_text(path / "schema.json", json.dumps(schema_doc, indent=1) + "\n")
        written = []
        for section in SECTIONS:
            target = path / f"{section}.csv"
            atomic_write_text(target, csv_text(dataset, section))
            written.append(target)
        return written
    if fmt == "xlsx":
        atomic_write_bytes(path, workbook_bytes(dataset, dataset.schema, blank=False))
        return [path]
    raise ValueError(f"unknown dataset format {fmt!r} (one of {', '.join(DATASET_FORMATS)})")


def _allowed_values(schema: Schema) -> dict[str, list[str]]:
    allowed = {name: list(values) for name, values in ENUMS.items()}
    allowed["entity type"] = sorted(schema.entity_types)
    allowed["relation type"] = sorted(schema.relation_types)
    allowed["category"] = list(CATEGORIES)
    return allowed


def workbook_bytes(
    dataset: Dataset,
    schema: Schema,
    blank: bool,
    *,
    dropdowns: bool | None = None,
    front_sheets: Sequence[tuple[str, list[list[str]]]] = (),
) -> bytes:
    """A workbook of the three sections (empty when ``blank``); drop-down lists for the
    enumerated columns when ``dropdowns`` (default: when ``blank``); ``front_sheets`` (name,
    rows of text) come first, e.g. the instructions of a pre-filled round template."""
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    # Fixed document dates keep exports reproducible.
    workbook.properties.created = workbook.properties.modified = datetime(2024, 1, 1)
    for name, rows in front_sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            append_text_row(sheet, row)
        # Wide enough to read the first column (instructions are one line per row).
        sheet.column_dimensions["A"].width = min(110, max((len(r[0]) for r in rows if r), default=10) + 2)
    doc = dataset.to_document()
    allowed = _allowed_values(schema)
    for section in SECTIONS:
        sheet = workbook.create_sheet(section)
        append_text_row(sheet, list(FIELDS[section]))
        if not blank:
            for record in doc[section]:
                append_text_row(sheet, [_cell(n, record.get(n)) for n in FIELDS[section]])
        if blank if dropdowns is None else dropdowns:
            _add_dropdowns(sheet, section, allowed)
    if dataset.schema.extension and not blank:
        # The schema extension travels as JSON in one cell, so an XLSX round trip keeps it.
        sheet = workbook.create_sheet("schema")
        append_text_row(sheet, ["schema (JSON)"])
        append_text_row(sheet, [json.dumps(dataset.schema.extension, sort_keys=True)])
    if blank:
        sheet = workbook.create_sheet("allowed_values")
        append_text_row(sheet, ["field", "allowed values"])
        for name, choices in allowed.items():
            append_text_row(sheet, [name, ", ".join(choices)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_dropdowns(sheet: Any, section: str, allowed: dict[str, list[str]]) -> None:
    """Drop-down lists for the enumerated columns of a template's sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for i, name in enumerate(FIELDS[section]):
        key = {"type": "entity type" if section == "entities" else "relation type"}.get(name, name)
        if key in allowed and not (section == "sources" and name == "type"):
            values = ",".join(allowed[key])
            if len(values) < 255:
                letter = sheet.cell(row=1, column=i + 1).column_letter
                check = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
                check.add(f"{letter}2:{letter}1000")
                sheet.add_data_validation(check)


def template_readme(schema: Schema) -> str:
    lines = [
        "igf-mapper data-collection template",
        "",
        "Fill sources.csv, then entities.csv, then relations.csv (UTF-8; Excel's 'CSV UTF-8' is fine).",
        "List cells (aliases, tags, sources) separate items with |. Dates are YYYY-MM-DD.",
        "Every relation needs at least one source id; ids are lowercase: letters, digits, . _ -",
        "",
        "From this folder to a map (the same steps as the README's 'Your own data'):",
        "",
        "  1. Pick the store your data goes into. To build on the bundled IGF/GDC seed:",
        "       igfmap --store mydata.json init",
        "     (without init, load starts the store with only your data).",
        "  2. igfmap --store mydata.json validate THIS_FOLDER",
        "     Rows may refer to entities and sources of that store (e.g. igf, gdc); with no store",
        "     file yet they are checked against the bundled seed. A missing reference says which",
        "     store was used; --store PATH (or --neo4j URI) points at another, --no-against-store",
        "     checks these files on their own.",
        "  3. igfmap --store mydata.json load THIS_FOLDER --dry-run   then without --dry-run",
        "  4. igfmap --store mydata.json map --out mymap.html --highlight-gaps",
        "     Gap rules start from the IGF ecosystem (root entity igf). For data about something",
        "     else, name your root: --ecosystem ID (on map, report, export, gaps, matrix, brokers).",
        "",
        "igfmap never writes over a file it did not write (this folder included once you filled it",
        "in) unless you pass --force. The full data model is in docs/data-model.md of igf-mapper.",
        "",
        "Required columns:",
    ]
    lines += [f"  {section}: {', '.join(REQUIRED[section])}" for section in SECTIONS]
    lines += ["", "Allowed values:"]
    lines += [f"  {name}: {', '.join(values)}" for name, values in _allowed_values(schema).items()]
    lines += ["", "Entity types and their categories:"]
    lines += [f"  {t}: {c}" for t, c in sorted(schema.entity_types.items())]
    lines += ["", "Relation types (from categories -> to categories):"]
    lines += [
        f"  {name}: {', '.join(spec['from'])} -> {', '.join(spec['to'])}"
        for name, spec in sorted(schema.relation_types.items())
    ]
    return "\n".join(lines) + "\n"


def template_format(out: Path | str, fmt: str | None = None) -> str:
    """``csv`` or ``xlsx``: ``fmt`` when given, else ``xlsx`` for a name ending ``.xlsx``.

    A ``.xlsx`` name with ``--format csv`` (which would make a folder of that name) and an
    xlsx template without the ``.xlsx`` suffix (which no reader would open) are refused.
    """
    from mapper.errors import UsageError

    suffix = Path(out).suffix.lower()
    if fmt is None:
        return "xlsx" if suffix == ".xlsx" else "csv"
    if fmt == "csv" and suffix == ".xlsx":
        raise UsageError(
            f"{out}: --format csv writes a folder; drop --format csv for a workbook, or name a folder"
        )
    if fmt == "xlsx" and suffix != ".xlsx":
        raise UsageError(
            f"{out}: an xlsx template needs a name ending in .xlsx (e.g. {Path(out).stem or 'collect'}.xlsx)"
        )
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown template format {fmt!r} (csv or xlsx)")
    return fmt


def write_template(
    out: Path | str,
    fmt: str | None = None,
    schema: Schema | None = None,
    *,
    force: bool = False,
    protected: tuple[Path | str, ...] = (),
) -> list[Path]:
    """Blank data-collection files with headers and the allowed values.

    ``csv``: a directory with the three CSV files (headers only) and README.txt listing the
    allowed values and the steps from template to map. ``xlsx``: one workbook with the three
    sheets (drop-down lists for enums) and an ``allowed_values`` sheet. ``fmt`` defaults to
    xlsx for a name ending ``.xlsx``, else csv (:func:`template_format`).

    An existing template is replaced only while it is unchanged: once filled in it is the
    user's data, kept unless ``force`` (:func:`mapper.outputs.check_output`); never one of
    ``protected`` (the store).
    """
    from mapper.outputs import output_path
    from mapper.schema import DEFAULT_SCHEMA

    schema = schema or DEFAULT_SCHEMA
    out = Path(out)
    fmt = template_format(out, fmt)
    if fmt == "csv":
        with output_path(
            out, "template-csv", force, directory=True, protected=protected, option="OUT"
        ) as stage:
            for section in SECTIONS:
                atomic_write_text(stage / f"{section}.csv", cells_csv_text(FIELDS[section], []))
            atomic_write_text(stage / "README.txt", template_readme(schema))
        return [*(out / f"{section}.csv" for section in SECTIONS), out / "README.txt"]
    with output_path(out, "template-xlsx", force, protected=protected, option="OUT") as target:
        atomic_write_bytes(target, workbook_bytes(Dataset(schema=schema), schema, blank=True))
    return [out]
