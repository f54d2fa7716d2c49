"""The review workbook: one row per proposal with a ``decision`` column (drop-down lists), and
the proposals themselves as JSON in a ``proposals`` sheet, so ``intake --apply`` needs nothing
else. A JSON review (``intake --format json``, decisions filled in) is read as well.

Decisions: ``accept``, ``merge into ID`` (duplicates), ``reject``, ``keep A`` (the store's or the
earlier return's side of a conflict), ``keep B`` (the return's side); empty is undecided.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mapper.errors import DataError
from mapper.rounds.intake import IntakeResult, Proposal

REVIEW_SHEET = "review"
DATA_SHEET = "proposals"
COLUMNS = (
    "proposal",
    "kind",
    "contributor",
    "file",
    "row",
    "subject",
    "submitted",
    "candidate",
    "score",
    "side A",
    "A from",
    "detail",
    "decision",
)
DECISION_COLUMN = "M"


def decisions_for(p: Proposal) -> list[str]:
    """The choices a proposal's drop-down offers."""
    if p.kind == "duplicate":
        return [f"merge into {p.candidate}", "accept", "reject"]
    if p.kind == "conflict":
        return ["keep A", "keep B", "reject"]
    if p.kind == "invalid":
        return ["reject"]
    return ["accept", "reject"]


def _short(record: dict[str, Any] | None) -> str:
    if not record:
        return ""
    return "; ".join(f"{k}={'|'.join(v) if isinstance(v, list) else v}" for k, v in record.items())


def review_bytes(result: IntakeResult) -> bytes:
    """The review workbook of an intake."""
    import io

    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from mapper.writers import append_text_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = REVIEW_SHEET
    append_text_row(sheet, list(COLUMNS))
    lists: dict[str, DataValidation] = {}
    for number, p in enumerate(result.proposals, start=2):
        score = "" if p.score is None else f"{p.score:g}"
        values = [p.ref, p.kind, p.contributor or "", p.file, str(p.row), p.subject, _short(p.record)]
        values += [p.candidate or "", score, _short(p.other), p.other_from or "", p.detail, p.decision]
        append_text_row(sheet, values)
        choices = ",".join(decisions_for(p))
        if choices not in lists and len(choices) < 255:
            # "warning": a curator may still type "merge into ANOTHER-ID".
            lists[choices] = DataValidation(
                type="list", formula1=f'"{choices}"', allow_blank=True, errorStyle="warning"
            )
            sheet.add_data_validation(lists[choices])
        if choices in lists:
            lists[choices].add(f"{DECISION_COLUMN}{number}")
    sheet.freeze_panes = "B2"
    for letter, width in zip(
        "ABCDEFGHIJKLM", (34, 12, 14, 30, 5, 40, 40, 16, 6, 40, 16, 60, 24), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    data = workbook.create_sheet(DATA_SHEET)
    append_text_row(data, ["round", result.round])
    for p in result.proposals:
        append_text_row(data, [p.ref, json.dumps(p.to_json(), ensure_ascii=False, sort_keys=True)])
    data.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_review(path: Path) -> tuple[str, list[Proposal]]:
    """(round, proposals with the curator's decisions) from a review workbook or JSON."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return str(doc["round"]), [Proposal.from_json(p) for p in doc["proposals"]]
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            raise DataError(
                [f"{path}:1: review: not an intake review ({type(err).__name__}: {err})"]
            ) from None
    return _read_workbook(path)


def _read_workbook(path: Path) -> tuple[str, list[Proposal]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raise DataError(
            [f"{path}:1: review: not a readable XLSX workbook ({type(err).__name__}: {err})"]
        ) from None
    try:
        missing = [s for s in (REVIEW_SHEET, DATA_SHEET) if s not in workbook.sheetnames]
        if missing:
            raise DataError(
                [f"{path}:1: review: sheet {missing[0]!r} is missing: not an intake review workbook"]
            )
        rows = list(workbook[DATA_SHEET].iter_rows(values_only=True))
        decided = {
            str(row[0]): str(row[12] or "").strip()
            for row in workbook[REVIEW_SHEET].iter_rows(min_row=2, values_only=True)
            if row and row[0] is not None and len(row) > 12
        }
    finally:
        workbook.close()
    round_name = str(rows[0][1]) if rows and rows[0] and rows[0][0] == "round" else ""
    proposals = []
    for line, row in enumerate(rows[1:], start=2):
        try:
            p = Proposal.from_json(json.loads(str(row[1])))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, IndexError) as err:
            raise DataError(
                [f"{path}[{DATA_SHEET}]:{line}: proposal: unreadable ({type(err).__name__})"]
            ) from None
        p.decision = decided.get(p.ref, "")
        proposals.append(p)
    return round_name, proposals
