"""Terminal output of the real CLI through real pipes (issue 21): tables fit COLUMNS with every
id whole, gaps opens with its count per rule, matrix lists what a grid cannot fit, and a
reader that closes the pipe early ends the command quietly with exit code 0."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from mapper.cli.common import handles_errors
from mapper.layout import cells
from mapper.store import seed_dataset

REPO = Path(__file__).parents[2]
SEED = seed_dataset()
SEED_IDS = set(SEED.entities) | set(SEED.sources)


def igfmap(*args: str, cwd: Path, columns: int | None = 100) -> subprocess.CompletedProcess[str]:
    """The real CLI on the bundled seed, its stdout a pipe (never a terminal)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "mapper.cli", "-q", *args],
        cwd=cwd,
        env=env,
        capture_output=True,  # stdout and stderr are OS pipes
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=300,
        check=False,
    )


def tokens(text: str) -> set[str]:
    """The words of ``text`` without the punctuation around ids in tables and lists."""
    return {word.strip(",;:()[]") for word in text.split()}


def shown_ids(command: tuple[str, ...], data: Any) -> set[str]:
    """The seed ids a command's table shows, read from its JSON."""
    if command[0] == "who":  # the target is a column when --deep makes it vary
        rows = data["engagements"]
        targets = {r["target"] for r in rows} if "--deep" in command else set()
        return targets | {i for r in rows for i in (r["actor"], *r["sources"])}
    if command[0] == "matrix":
        return {h["id"] for h in data["rows"] + data["columns"]}
    return {i for f in data["findings"] for i in (*f["subjects"], *f["evidence"])}


COMMANDS = [
    ("who", "gdc-implementation", "--deep"),
    ("who", "gdc-objective-3"),
    ("who", "wsis20-review"),
    ("matrix",),
    ("matrix", "--rows", "stakeholder_group", "--cols", "objective"),
    ("gaps",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_piped_output_fits_100_columns_with_every_id_whole(command: tuple[str, ...], tmp_path: Path) -> None:
    table = igfmap(*command, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines, "no output"
    too_long = [line for line in lines if cells(line) > 100]
    assert not too_long, too_long[:3]
    extra = ("--limit", "10") if command[0] == "gaps" else ()  # the findings the table lists
    data = json.loads(igfmap(*command, *extra, "--format", "json", cwd=tmp_path).stdout)
    expected = shown_ids(command, data) & SEED_IDS
    assert expected, "the command shows no seed id"
    missing = expected - tokens(table.stdout)
    assert not missing, f"ids split or lost: {sorted(missing)[:5]}"


def test_without_columns_or_a_terminal_rows_stay_one_line_each(tmp_path: Path) -> None:
    table = igfmap("who", "gdc-implementation", cwd=tmp_path, columns=None)
    rows = json.loads(igfmap("who", "gdc-implementation", "--format", "json", cwd=tmp_path).stdout)
    assert len(table.stdout.splitlines()) == len(rows["engagements"]) + 2  # header, rule, rows


def test_gaps_starts_with_the_count_per_rule_then_groups_by_rule(tmp_path: Path) -> None:
    data = json.loads(igfmap("gaps", "--format", "json", cwd=tmp_path).stdout)
    text = igfmap("gaps", cwd=tmp_path, columns=200).stdout
    lines = text.splitlines()
    assert lines[0] == f"{data['total']} gap findings"
    summary = lines[2 : 4 + len(data["rules"])]
    assert summary[0].split() == ["rule", "findings", "meaning"]
    for rule, line in zip(data["rules"], summary[2:], strict=True):
        assert line.split()[:2] == [rule, str(data["counts"][rule])]
    for rule, count in data["counts"].items():
        if not count:
            continue
        heading = next(k for k, line in enumerate(lines) if line.startswith(f"{rule} ({count}): "))
        assert lines[heading + 2].split()[:2] == ["subjects", "explanation"]  # evidence may fold
        more = f"... and {count - 10} more (--limit 0 for all)"
        assert (more in lines) == (count > 10), rule


def test_gaps_limit_applies_per_rule_in_every_format(tmp_path: Path) -> None:
    full = json.loads(igfmap("gaps", "--format", "json", cwd=tmp_path).stdout)
    assert full["limit"] is None and len(full["findings"]) == full["total"]
    limited = json.loads(igfmap("gaps", "--limit", "2", "--format", "json", cwd=tmp_path).stdout)
    assert limited["limit"] == 2
    assert limited["counts"] == full["counts"] and limited["total"] == full["total"]
    for rule, count in full["counts"].items():
        listed = [f for f in limited["findings"] if f["rule"] == rule]
        assert listed == [f for f in full["findings"] if f["rule"] == rule][:2]
        assert len(listed) == min(count, 2)
    csv_rows = igfmap("gaps", "--limit", "2", "--format", "csv", cwd=tmp_path).stdout.splitlines()
    assert len(csv_rows) == 1 + len(limited["findings"])
    everything = igfmap("gaps", "--limit", "0", cwd=tmp_path, columns=None).stdout
    assert "more (--limit 0 for all)" not in everything
    assert all(" ".join(f["subjects"]) in everything.replace(",", "") for f in full["findings"])
    refused = igfmap("gaps", "--limit", "-1", cwd=tmp_path)
    assert refused.returncode == 2 and "--limit" in refused.stderr


def test_matrix_lists_what_its_grid_cannot_fit(tmp_path: Path) -> None:
    data = json.loads(igfmap("matrix", "--format", "json", cwd=tmp_path).stdout)
    text = igfmap("matrix", cwd=tmp_path).stdout
    assert text.startswith("actor: activity (role, status), ...\n\n")
    names = {h["id"]: h["name"] for h in data["rows"] + data["columns"]}
    paragraphs = re.split(r"\n(?=\S)", text.split("\n\n")[1])  # one per actor
    assert len(paragraphs) == len(data["rows"])
    for head, paragraph in zip(data["rows"], paragraphs, strict=True):
        flat = " ".join(paragraph.split())
        assert flat.startswith(f"{head['name']} [{head['id']}]:")
        for cell in (c for c in data["cells"] if c["row"] == head["id"]):
            assert f"{names[cell['column']]} [{cell['column']}] (" in flat
    engaged = {c["column"] for c in data["cells"]}
    unengaged = [h for h in data["columns"] if h["id"] not in engaged]
    assert f"No engagement ({len(unengaged)}): " in text
    # Wide enough for the grid: a grid it is, with the engaged columns as its header.
    grid = igfmap("matrix", cwd=tmp_path, columns=3000).stdout.splitlines()
    assert grid[0].split() == ["actor", *sorted(engaged)]
    assert [line.split()[0] for line in grid[2 : 2 + len(data["rows"])]] == [h["id"] for h in data["rows"]]


def test_small_matrix_stays_a_grid_at_100_columns(tmp_path: Path) -> None:
    args = ("matrix", "--rows", "type", "--cols", "objective", "--col-type", "objective", "--cells", "count")
    lines = igfmap(*args, cwd=tmp_path).stdout.splitlines()
    assert lines[0].split() == ["type", *(f"gdc-objective-{k}" for k in range(1, 6))]


def test_a_closed_pipe_ends_quietly_with_exit_0(tmp_path: Path) -> None:
    """`igfmap stats | head -1` in a real shell, 50 times; then readers that are gone before
    anything is written (`| true`: the write itself fails), for a table, JSON and --help."""
    script = (
        'for i in $(seq 50); do "$PY" -m mapper.cli -q stats | head -1 >/dev/null; echo "${PIPESTATUS[0]}"; done;'
        '"$PY" -m mapper.cli -q stats | true; echo "${PIPESTATUS[0]}";'
        '"$PY" -m mapper.cli -q gaps --format json | true; echo "${PIPESTATUS[0]}";'
        '"$PY" -m mapper.cli --help | true; echo "${PIPESTATUS[0]}"'  # click's own output
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "PY": sys.executable}
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.stderr == ""
    assert done.stdout.split() == ["0"] * 53


def test_a_broken_pipe_that_is_not_stdout_stays_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Only a reader of stdout that has gone ends a command quietly; a pipe to anything else
    (a server, a child process) breaking is still an error."""

    @handles_errors
    def command() -> None:
        raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(typer.Exit) as done:
        command()
    assert done.value.exit_code == 1
    assert capsys.readouterr().err.startswith("error: BrokenPipeError: [Errno 32] Broken pipe")
