"""Hostile workbooks of issue 26, written as raw OOXML parts (openpyxl would refuse to write them).

``string-bomb.xlsx`` and ``formula-no-value.xlsx`` in tests/data/hostile/ were made by this
module: ``python -m tests.mapper.hostile_workbooks tests/data/hostile``. The others are made at
test time in ``tmp_path``.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from tests.mapper.test_hostile_input import FIVE, HEADER, _replace_member, _sheet_path, _workbook_bytes

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet_xml(rows_xml: bytes, prolog: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        + prolog
        + b"<worksheet "
        + NS
        + b"><sheetData>"
        + rows_xml
        + b"</sheetData></worksheet>"
    )


def header_row() -> bytes:
    return (
        b'<row r="1">'
        + b"".join(
            b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (c, h.encode())
            for c, h in zip((b"A", b"B", b"C", b"D"), HEADER, strict=True)
        )
        + b"</row>"
    )


def with_sheet(tmp: Path, name: str, xml: bytes) -> Path:
    """A workbook whose entities sheet is ``xml``."""
    data = _workbook_bytes([HEADER])
    path = tmp / name
    _replace_member(data, path, _sheet_path(data, "entities"), lambda h: h.write(xml))
    return path


def string_bomb(tmp: Path) -> Path:
    """One 32,767-character shared string referenced by 6,000 rows."""
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst '
        + NS
        + b' count="6000" uniqueCount="2"><si><t>'
        + b"x" * 32767
        + b"</t></si><si><t>organization</t></si></sst>"
    )
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>o%d</t></is></c><c r="B%d" t="s"><v>1</v></c><c r="C%d" t="s"><v>0</v></c></row>'
        % (r, r, r, r, r)
        for r in range(2, 6002)
    )
    data = _workbook_bytes([HEADER])
    member = _sheet_path(data, "entities")
    path = tmp / "string-bomb.xlsx"
    with (
        zipfile.ZipFile(io.BytesIO(data)) as a,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as b,
    ):
        for info in a.infolist():
            if info.filename in (member, "xl/sharedStrings.xml"):
                continue
            content = a.read(info.filename)
            if info.filename == "[Content_Types].xml" and b"sharedStrings" not in content:
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in content:
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            b.writestr(info.filename, content)
        b.writestr(member, sheet_xml(header_row() + rows))
        b.writestr("xl/sharedStrings.xml", sst)
    return path


def formula_no_value(tmp: Path) -> Path:
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>org-1</t></is></c><c r="B2" t="inlineStr"><is><t>organization</t></is></c><c r="C2"><f>CONCAT("Org","anisation")</f></c><c r="D2" t="inlineStr"><is><t>meeting</t></is></c></row>'
    return with_sheet(tmp, "formula-no-value.xlsx", sheet_xml(header_row() + row))


def malformed(tmp: Path) -> Path:
    return with_sheet(
        tmp,
        "malformed-sheet.xlsx",
        sheet_xml(header_row() + b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>')[:-20],
    )


def bad_index(tmp: Path) -> Path:
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>org-1</t></is></c><c r="B2" t="s"><v>99</v></c></row>'
    return with_sheet(tmp, "bad-sst-index.xlsx", sheet_xml(header_row() + row))


def entity_bomb(tmp: Path) -> Path:
    dtd = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>org-1</t></is></c><c r="C2" t="inlineStr"><is><t>&h;</t></is></c></row>'
    return with_sheet(tmp, "entity-bomb.xlsx", sheet_xml(header_row() + row, dtd))


def xxe(tmp: Path) -> Path:
    dtd = b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>org-1</t></is></c><c r="C2" t="inlineStr"><is><t>&x;</t></is></c></row>'
    return with_sheet(tmp, "xxe.xlsx", sheet_xml(header_row() + row, dtd))


def corrupt_deflate(tmp: Path) -> Path:
    data = _workbook_bytes([HEADER, *FIVE])
    member = _sheet_path(data, "entities")
    with zipfile.ZipFile(io.BytesIO(data)) as a:
        info = a.getinfo(member)
    buf = bytearray(data)
    # local header: 30 bytes + name + extra, then the compressed data
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 40):
        buf[i] ^= 0x5A
    path = tmp / "corrupt-deflate.xlsx"
    path.write_bytes(bytes(buf))
    return path


WORKBOOKS = (string_bomb, formula_no_value, malformed, bad_index, entity_bomb, xxe, corrupt_deflate)

if __name__ == "__main__":
    folder = Path(sys.argv[1])
    for make in (string_bomb, formula_no_value):
        print(make(folder))
