"""Every message line that echoes a name a user or a file controls is inert (issue 26, item 1).

Each kind of message (a file name in a data error, a missing file, a JSON key, a CSV header
cell, a value, a note naming the store and an output, a Neo4j server error) is fed the same
hostile name: ESC sequences that would clear the screen and set the window title, U+202E, and a
newline followed by a forged line. The real ``igfmap`` runs in a subprocess and its stderr must
hold the escaped text exactly, and no raw control, bidirectional or forged line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.mapper.test_hostile_input import SMALL, igfmap, snapshot

HOSTILE = "esc\x1b[2J\x1b]0;TITLE\x07\u202e\nforged.yaml:1: note: all fine"
SHOWN = "esc\\x1b[2J\\x1b]0;TITLE\\x07\\u202e\\nforged.yaml:1: note: all fine"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e\u2028\u2029]")


def assert_inert(stderr: str) -> list[str]:
    """The stderr lines, after checking that none holds a raw control or starts forged."""
    assert not RAW.search(stderr), stderr
    lines = stderr.splitlines()
    assert not any(line.startswith("forged") for line in lines), lines
    return lines


def test_a_file_name_in_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / f"{HOSTILE}.yaml"
    bad.write_text("schema_version: 1\nsources: 3\n", encoding="utf-8")
    for command in ("validate", "load"):
        run = igfmap(
            "--store",
            "s.json",
            command,
            "--no-against-store" if command == "validate" else "--replace",
            str(bad),
            cwd=tmp_path,
        )
        assert run.code == 1
        lines = assert_inert(run.stderr)
        expected = f"{tmp_path}/{SHOWN}.yaml:2: sources: must be a list of records"
        assert lines[0] == (expected if command == "validate" else f"error: {expected}"), lines
    assert not (tmp_path / "s.json").exists()


def test_a_missing_file(tmp_path: Path) -> None:
    run = igfmap("validate", "--no-against-store", HOSTILE, cwd=tmp_path)
    assert run.code == 1
    assert assert_inert(run.stderr) == [f"{SHOWN}:1: path: no such file or directory", "1 problem(s) found"]


def test_a_json_key(tmp_path: Path) -> None:
    bad = tmp_path / "keys.json"
    bad.write_text(json.dumps({"\x1b]0;PWNED\x07": 1, "sources": []}), encoding="utf-8")
    run = igfmap("validate", "--no-against-store", str(bad), cwd=tmp_path)
    assert run.code == 1
    assert assert_inert(run.stderr)[0] == (
        f"{bad}:1: \\x1b]0;PWNED\\x07: unknown top-level key "
        "(allowed: entities, relations, schema, schema_version, sources)"
    )


def test_a_csv_header_cell_gets_no_separator_hint(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "entities.csv").write_text("id,name,type,\x1b]0;X;Y\x07\nigf,IGF,forum,z\n", encoding="utf-8")
    run = igfmap("validate", "--no-against-store", str(folder), cwd=tmp_path)
    assert run.code == 1
    first = assert_inert(run.stderr)[0]
    assert first.startswith(f"{folder}/entities.csv:1:4: \\x1b]0;X;Y\\x07: unknown column (allowed: id, "), (
        first
    )
    assert "semicolons" not in run.stderr


def test_a_value_and_a_key_inside_a_record(tmp_path: Path) -> None:
    bad = tmp_path / "values.json"
    record: dict[str, Any] = {"id": "x", "type": "nri", "name": "X\x1b[2J", HOSTILE: "1"}
    bad.write_text(json.dumps({"entities": [record]}), encoding="utf-8")
    run = igfmap("validate", "--no-against-store", str(bad), cwd=tmp_path)
    assert run.code == 1
    lines = assert_inert(run.stderr)
    assert f"{bad}:1: name: control character \\x1b is not allowed (remove it)" in lines
    assert f"{bad}:1: {SHOWN}: unknown field" in lines


def test_notes_naming_the_store_and_an_output(tmp_path: Path) -> None:
    store = f"{HOSTILE}.json"
    run = igfmap("--store", store, "load", str(SMALL), cwd=tmp_path)
    assert run.code == 0, run.stderr
    out = f"{HOSTILE}.graphml"
    run = igfmap("--store", store, "export", "--format", "graphml", "--out", out, cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert re.fullmatch(
        rf"wrote {re.escape(SHOWN)}\.graphml: graphml, 5 entities, 4 relations \([\d,]+ bytes\)",
        assert_inert(run.stderr)[0],
    )
    mine = tmp_path / f"{HOSTILE}.gexf"
    mine.write_text("a file igfmap did not write", encoding="utf-8")
    before = snapshot(tmp_path)
    run = igfmap("--store", store, "export", "--format", "gexf", "--out", mine.name, cwd=tmp_path)
    assert run.code == 1  # the refusal to replace it names it, inert
    assert assert_inert(run.stderr)[0] == (
        f"error: --out {SHOWN}.gexf: file exists and is not igfmap's earlier export-gexf output "
        "(or was changed since); choose another --out, or pass --force to replace it"
    )
    assert snapshot(tmp_path) == before


def test_a_neo4j_server_error(neo4j_server: Any, tmp_path: Path) -> None:
    # The server quotes the statement back in its syntax error.
    run = igfmap("--neo4j", neo4j_server.uri, "cypher", "RETURN \x1b]0;PWNED\x07 \u202e\n42 AS", cwd=tmp_path)
    assert run.code == 1
    lines = assert_inert(run.stderr)
    assert lines == [
        "error: Cypher syntax error: Invalid input '\\x1b': expected an expression, '*' or 'DISTINCT' "
        "(line 1, column 8 (offset: 7))"
    ]
