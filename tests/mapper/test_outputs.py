"""A user's files are never lost (issue 11): no overwrite without --force, never the store or an
input, modes from the umask, symlinked and YAML stores kept as they are, multi-file outputs
swapped in whole, no temporary file left behind, and a lock that says it waits and gives up.

Each refusal asserts the exit code, the message, and that no file changed (hashes of the whole
folder before and after). The Neo4j versions are at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from mapper.cli import app
from mapper.outputs import LEDGER, MANIFEST, check_output, replace_dir_atomically, sweep_stale, temp_path
from mapper.store import seed_dataset, write_store_file

ROOT = Path(__file__).parents[2]
EXTRA = """schema_version: 1
sources:
- id: own-src
  kind: self_report
  title: Our own notes
entities:
- id: own-org
  type: organization
  name: Our organisation
  sources: [own-src]
"""


def tree(root: Path) -> dict[str, str]:
    """Every file and link under ``root``: relative path -> sha256 (or the link's target)."""
    out = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[name] = "-> " + os.readlink(path)
        elif path.is_file():
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def igfmap(runner, *args: str):
    return runner.invoke(app, [str(a) for a in args])


def igfmap_process(*args: str, cwd: Path, umask: int | None = None, timeout: float = 120):
    """The real console command in its own process (for umask and lock tests)."""
    return subprocess.run(
        [sys.executable, "-m", "mapper.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        umask=-1 if umask is None else umask,
    )


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    write_store_file(path, seed_dataset())
    (tmp_path / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    return path


# --- no overwrite without --force ---------------------------------------------------------------


def test_map_never_writes_over_the_store_even_with_force(runner, store: Path, tmp_path: Path) -> None:
    (tmp_path / "link-to-store.json").symlink_to(store.name)
    before = tree(tmp_path)
    for out, extra in ((store, []), (store, ["--force"]), (tmp_path / "link-to-store.json", [])):
        result = igfmap(runner, "--store", store, "map", "--out", out, *extra)
        assert result.exit_code == 1, result.output
        assert "is the store or an input" in result.stderr
        assert "never writes over it" in result.stderr
    result = igfmap(runner, "--store", store, "report", "--out", tmp_path, "--force")
    assert result.exit_code == 1 and "holds the store or an input" in result.stderr
    assert tree(tmp_path) == before


def test_map_refuses_an_unrelated_file_unless_forced(runner, store: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    before = tree(tmp_path)
    result = igfmap(runner, "--store", store, "map", "--out", notes)
    assert result.exit_code == 1
    assert f"--out {notes}: file exists and is not igfmap's earlier map output" in result.stderr
    assert "--force" in result.stderr
    assert tree(tmp_path) == before
    forced = igfmap(runner, "--store", store, "map", "--out", notes, "--force")
    assert forced.exit_code == 0, forced.output
    assert b'<meta name="generator" content="igf-mapper">' in notes.read_bytes()


def test_map_replaces_its_own_earlier_map_but_not_an_edited_one(runner, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    assert igfmap(runner, "--store", store, "map", "--out", out).exit_code == 0
    ledger = json.loads((tmp_path / LEDGER).read_text(encoding="utf-8"))
    assert ledger["files"]["map.html"]["kind"] == "map"
    again = igfmap(runner, "--store", store, "map", "--out", out, "--focus", "dccg")
    assert again.exit_code == 0, again.output
    assert "dccg" in out.read_text(encoding="utf-8")
    # Edited by hand: now the user's file.
    out.write_text(out.read_text(encoding="utf-8") + "<!-- my note -->", encoding="utf-8")
    before = tree(tmp_path)
    result = igfmap(runner, "--store", store, "map", "--out", out)
    assert result.exit_code == 1 and "or was changed since" in result.stderr
    assert tree(tmp_path) == before
    # An export of another kind is not a map either.
    graphml = tmp_path / "g.graphml"
    assert igfmap(runner, "--store", store, "export", "--format", "graphml", "--out", graphml).exit_code == 0
    result = igfmap(runner, "--store", store, "map", "--out", graphml)
    assert result.exit_code == 1 and "not igfmap's earlier map output" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["map", "--out", "adir/"], "--out adir/: names a folder, but map writes a file; give a file name"),
        (["map", "--out", "existing"], "--out existing: is a folder, but map writes a file"),
        (["report", "--out", "afile"], "--out afile: is a file, but report writes a folder"),
        (["report", "--out", "afile/inner"], "afile is a file, not a folder"),
        (["export", "--format", "csv", "--out", "afile"], "is a file, but export-csv writes a folder"),
        (["export", "--format", "svg", "--out", "existing"], "is a folder, but export-svg writes a file"),
    ],
)
def test_bad_out_paths_get_one_line_saying_what_to_write(
    runner, store: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "existing").mkdir()
    (tmp_path / "existing" / "keep.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "afile").write_text("a file", encoding="utf-8")
    before = tree(tmp_path)
    result = igfmap(runner, "--store", store, *args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]
    assert "Error" not in lines[0]  # no raw NotADirectoryError / IsADirectoryError
    assert tree(tmp_path) == before


def test_report_folder_is_replaced_whole_only_when_it_is_its_own(runner, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert igfmap(runner, "--store", store, "report", "--out", out, "--as-of", "2025-06-30").exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["kind"] == "report" and "report.md" in manifest["files"]
    first = tree(out)
    again = igfmap(runner, "--store", store, "report", "--out", out, "--as-of", "2025-06-30")
    assert again.exit_code == 0, again.output
    assert tree(out) == first  # same data and date, same bytes; nothing stale kept
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.")]  # no staging left
    (out / "my-notes.md").write_text("mine", encoding="utf-8")
    before = tree(tmp_path)
    result = igfmap(runner, "--store", store, "report", "--out", out)
    assert result.exit_code == 1
    assert "my-notes.md was not written by igfmap" in result.stderr and "--force" in result.stderr
    assert tree(tmp_path) == before
    # A non-empty folder of the user's is not filled without --force.
    own = tmp_path / "papers"
    own.mkdir()
    (own / "draft.docx").write_bytes(b"draft")
    before = tree(tmp_path)
    result = igfmap(runner, "--store", store, "report", "--out", own)
    assert result.exit_code == 1 and f"--out {own}: folder exists" in result.stderr
    assert tree(tmp_path) == before


def test_csv_export_is_built_beside_and_swapped_in(runner, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    assert igfmap(runner, "--store", store, "export", "--format", "csv", "--out", out).exit_code == 0
    assert {"nodes.csv", "edges.csv", "sources.csv", MANIFEST} <= {p.name for p in out.iterdir()}
    focused = igfmap(runner, "--store", store, "export", "--format", "csv", "--out", out, "--focus", "dccg")
    assert focused.exit_code == 0, focused.output
    assert f"wrote {out}/ (" in focused.stderr  # the final place, not the staging folder
    assert len((out / "nodes.csv").read_text(encoding="utf-8").splitlines()) < 100
    (out / "nodes.csv").write_text("edited in a spreadsheet\n", encoding="utf-8")
    before = tree(tmp_path)
    result = igfmap(runner, "--store", store, "export", "--format", "csv", "--out", out)
    assert result.exit_code == 1 and "nodes.csv changed since igfmap wrote it" in result.stderr
    assert tree(tmp_path) == before


def test_template_never_replaces_a_filled_in_template(runner, tmp_path: Path) -> None:
    out = tmp_path / "collect"
    assert igfmap(runner, "template", out).exit_code == 0
    assert igfmap(runner, "template", out).exit_code == 0  # unchanged: its own output
    with open(out / "sources.csv", "a", encoding="utf-8") as handle:
        handle.write("s1,self_report,Our notes,2024-10-31,,\n")
    before = tree(tmp_path)
    result = igfmap(runner, "template", out)
    assert result.exit_code == 1
    assert "sources.csv changed since igfmap wrote it" in result.stderr and "--force" in result.stderr
    assert tree(tmp_path) == before


def test_template_xlsx_name_writes_a_workbook_and_keeps_a_filled_one(runner, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "t.xlsx"
    assert igfmap(runner, "template", book).exit_code == 0
    assert book.is_file() and book.read_bytes()[:2] == b"PK"
    assert igfmap(runner, "template", book).exit_code == 0
    workbook = load_workbook(book)
    workbook["sources"].append(["s1", "self_report", "Our notes"])
    workbook.save(book)
    before = tree(tmp_path)
    result = igfmap(runner, "template", book)
    assert result.exit_code == 1 and "t.xlsx: file exists" in result.stderr
    assert tree(tmp_path) == before
    wrong = igfmap(runner, "template", tmp_path / "u.xlsx", "--format", "csv")
    assert wrong.exit_code == 2 and "--format csv writes a folder" in wrong.stderr
    assert not (tmp_path / "u.xlsx").exists()


def test_init_keeps_a_store_holding_loaded_data(runner, store: Path, tmp_path: Path) -> None:
    assert igfmap(runner, "--store", store, "load", tmp_path / "extra.yaml").exit_code == 0
    before = tree(tmp_path)
    result = igfmap(runner, "--store", store, "init")
    assert result.exit_code == 1
    assert "store exists (and may hold data you loaded); nothing written" in result.stderr
    assert tree(tmp_path) == before


# --- files are files --------------------------------------------------------------------------


def test_outputs_get_the_umask_mode_and_a_store_keeps_its_own(store: Path, tmp_path: Path) -> None:
    store.chmod(0o644)
    extra = tmp_path / "extra.yaml"
    for args in (
        ["--store", store, "load", extra],
        ["--store", "new.json", "init"],
        ["--store", store, "map", "--out", "map.html"],
        ["--store", store, "report", "--out", "rep", "--as-of", "2025-06-30"],
        ["--store", store, "export", "--format", "csv", "--out", "csv"],
        ["template", "collect"],
        ["template", "t.xlsx"],
    ):
        proc = igfmap_process(*args, cwd=tmp_path, umask=0o027)
        assert proc.returncode == 0, proc.stderr
    assert store.stat().st_mode & 0o777 == 0o644  # kept its own mode through a load
    for name in ("new.json", "map.html", "rep/report.md", "rep/figures", "csv/nodes.csv", "t.xlsx"):
        mode = (tmp_path / name).stat().st_mode & 0o777
        assert mode == (0o750 if (tmp_path / name).is_dir() else 0o640), (name, oct(mode))
    for folder in ("rep", "csv", "collect"):
        assert (tmp_path / folder).stat().st_mode & 0o777 == 0o750, folder
    shared = igfmap_process("--store", store, "map", "--out", "shared.html", cwd=tmp_path, umask=0o002)
    assert shared.returncode == 0 and (tmp_path / "shared.html").stat().st_mode & 0o777 == 0o664


def test_symlinked_store_is_written_through_its_link_under_one_lock(
    runner, store: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(store.name)
    result = igfmap(runner, "--store", link, "load", tmp_path / "extra.yaml")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == store.name
    assert "own-org" in store.read_text(encoding="utf-8")
    locks = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".lock"))
    assert locks == ["store.json.lock"]


def test_yaml_store_stays_yaml_and_comments_are_never_dropped(runner, tmp_path: Path) -> None:
    store = tmp_path / "mydata.yaml"
    store.write_text(EXTRA.replace("own-", "hand-"), encoding="utf-8")
    extra = tmp_path / "extra.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    result = igfmap(runner, "--store", store, "load", extra)
    assert result.exit_code == 0, result.output
    text = store.read_text(encoding="utf-8")
    assert not text.lstrip().startswith("{")
    doc = yaml.safe_load(text)
    assert {e["id"] for e in doc["entities"]} == {"hand-org", "own-org"}
    store.write_text("# our hand-kept list\n" + text, encoding="utf-8")
    before = tree(tmp_path)
    result = igfmap(runner, "--store", store, "load", extra)
    assert result.exit_code == 1
    assert f"{store}:1: store: this YAML store has comments, which a write would drop" in result.stderr
    assert tree(tmp_path) == before
    odd = igfmap(runner, "--store", tmp_path / "store.csv", "load", extra)
    assert odd.exit_code == 1 and "a store is one .json or .yaml file" in odd.stderr
    assert not (tmp_path / "store.csv").exists()


def test_a_waiting_writer_says_so_and_gives_up_after_the_lock_timeout(store: Path, tmp_path: Path) -> None:
    from filelock import FileLock

    before = tree(tmp_path)
    with FileLock(str(store) + ".lock"):
        started = time.monotonic()
        proc = igfmap_process(
            "--store", store, "--lock-timeout", "2", "load", tmp_path / "extra.yaml", cwd=tmp_path
        )
        waited = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[0] == f"waiting for the lock on {store} held by another igfmap (up to 2 s; --lock-timeout)"
    assert lines[1].startswith(f"error: {store}: still locked by another igfmap after 2 s; nothing written")
    assert waited >= 2
    assert tree(tmp_path) == before
    # Released: the same command goes through.
    proc = igfmap_process("--store", store, "load", tmp_path / "extra.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temp_files_of_killed_writers_are_removed_by_the_next_one(
    runner, store: Path, tmp_path: Path
) -> None:
    # What a writer killed by SIGKILL leaves: its temp names carry a pid that no longer runs.
    dead = _dead_pid()
    leftovers = []
    for target in (store, tmp_path / "map.html"):
        name = temp_path(target).name.replace(f"-{os.getpid()}-", f"-{dead}-")
        (tmp_path / name).write_bytes(b"x" * 1000)
        leftovers.append(tmp_path / name)
    live = temp_path(store)  # this process is alive: its temp file is not touched by others
    live.write_bytes(b"in progress")
    assert igfmap(runner, "--store", store, "stats").exit_code == 0
    assert not leftovers[0].exists() and live.exists()
    live.unlink()
    assert igfmap(runner, "--store", store, "map", "--out", tmp_path / "map.html").exit_code == 0
    assert not leftovers[1].exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".tmpdir", ".old"))]


def test_a_folder_swap_killed_between_renames_is_undone(tmp_path: Path) -> None:
    target = tmp_path / "report"
    target.mkdir()
    (target / "report.md").write_text("old", encoding="utf-8")
    old = temp_path(target, "old").name.replace(f"-{os.getpid()}-", f"-{_dead_pid()}-")
    os.rename(target, tmp_path / old)  # killed after the first rename of a non-atomic swap
    sweep_stale(target)
    assert (target / "report.md").read_text(encoding="utf-8") == "old"
    staging = tmp_path / "new"
    staging.mkdir()
    (staging / "report.md").write_text("new", encoding="utf-8")
    replace_dir_atomically(staging, target)
    assert (target / "report.md").read_text(encoding="utf-8") == "new" and not staging.exists()


def test_check_output_is_callable_from_python(tmp_path: Path) -> None:
    from mapper.outputs import OutputError

    assert check_output(tmp_path / "new.html", "map") == tmp_path / "new.html"
    (tmp_path / "x.html").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="file exists"):
        check_output(tmp_path / "x.html", "map")
    with pytest.raises(OutputError, match="is the store"):
        check_output(tmp_path / "s.json", "map", force=True, protected=[tmp_path / "s.json"])


# --- the demo owns its files --------------------------------------------------------------------


def test_make_demo_twice_keeps_what_was_loaded_in_between(tmp_path: Path) -> None:
    out = tmp_path / "out"
    make = ["make", "-C", str(ROOT), "-o", "install", f"OUT={out}", f"VENV={Path(sys.executable).parents[1]}"]
    first = subprocess.run([*make, "demo"], capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    demo_store = out / "demo-store.json"
    (tmp_path / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    loaded = igfmap_process("--store", demo_store, "load", tmp_path / "extra.yaml", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    second = subprocess.run([*make, "demo"], capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-2000:]
    assert f"keeping {demo_store} and what was loaded into it" in second.stdout
    assert "own-org" in demo_store.read_text(encoding="utf-8")
    assert "Our organisation" in (out / "igf-map.html").read_text(encoding="utf-8")
    assert (out / "report" / MANIFEST).is_file()


# --- the same on Neo4j ----------------------------------------------------------------------------


def test_outputs_on_neo4j_refuse_the_store_and_foreign_files(
    runner, neo4j_server, store: Path, tmp_path: Path
) -> None:
    from mapper.neo4j import Neo4jStore

    with Neo4jStore.connect(neo4j_server.uri) as neo4j:
        neo4j.write_dataset(seed_dataset(), wipe=True)
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    before = tree(tmp_path)
    base = ["--neo4j", neo4j_server.uri, "--store", store]
    for out in (store, notes):
        result = igfmap(runner, *base, "map", "--out", out)
        assert result.exit_code == 1, result.output
    assert tree(tmp_path) == before
    out = tmp_path / "map.html"
    assert igfmap(runner, *base, "map", "--out", out).exit_code == 0
    assert igfmap(runner, *base, "map", "--out", out, "--highlight-gaps").exit_code == 0
    rep = tmp_path / "rep"
    assert igfmap(runner, *base, "report", "--out", rep, "--as-of", "2025-06-30").exit_code == 0
    assert igfmap(runner, *base, "report", "--out", rep, "--as-of", "2025-06-30").exit_code == 0
    assert (rep / MANIFEST).is_file()


def test_lines_are_written_as_they_are_made_and_a_failure_writes_nothing(tmp_path: Path) -> None:
    # Issue 25: exports and report tables stream into the temp file (never whole in memory);
    # the file appears only when the last line is written, and a failure leaves the old one.
    from mapper.outputs import atomic_write_lines

    target = tmp_path / "rows.csv"
    target.write_text("old\n", encoding="utf-8")
    sizes: list[int] = []

    def rows(fail: bool):  # type: ignore[no-untyped-def]
        for i in range(3000):
            temps = [p for p in tmp_path.iterdir() if p.name != "rows.csv"]
            sizes.append(temps[0].stat().st_size if temps else -1)
            if fail and i == 2000:
                raise RuntimeError("made up")
            yield f"row {i},é\n"

    with pytest.raises(RuntimeError):
        atomic_write_lines(target, rows(fail=True))
    assert target.read_text(encoding="utf-8") == "old\n" and sorted(tmp_path.iterdir()) == [target]
    assert sizes[0] == 0 and sizes[-1] > 0  # bytes reached the temp file while rows were still coming
    atomic_write_lines(target, rows(fail=False))
    assert target.read_text(encoding="utf-8") == "".join(f"row {i},é\n" for i in range(3000))
