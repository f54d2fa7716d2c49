"""The entry object (mapper.open -> Mapping): its results are the CLI's, as rows, JSON and
DataFrames; maps save like `igfmap map`; exports and reports name the files where they are."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas
import pytest

import mapper
from mapper.api import Mapping, Result
from mapper.cli import app
from mapper.dataset import Dataset
from mapper.errors import NotFoundError
from mapper.outputs import OutputError
from mapper.store import write_store_file
from queries.roots import rules_without_root
from tests.queries.helpers import world


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    write_store_file(path, world().dataset)
    return path


# Each method call and the CLI command that prints the same result.
SAME_AS_CLI = [
    (lambda m: m.stats(), ["stats"]),
    (lambda m: m.search("dc"), ["search", "dc"]),
    (lambda m: m.show("dc-a"), ["show", "dc-a"]),
    (lambda m: m.who("track-1", status=["active"]), ["who", "track-1", "--status", "active"]),
    (lambda m: m.what("dc-a", deep=True), ["what", "dc-a", "--deep"]),
    (lambda m: m.matrix(rows="type", cells="count"), ["matrix", "--rows", "type", "--cells", "count"]),
    (lambda m: m.path("dc-a", "obj-1", limit=2), ["path", "dc-a", "obj-1", "--limit", "2"]),
    (lambda m: m.brokers(top=3), ["brokers", "--top", "3"]),
    (lambda m: m.timeline(since="2024-01-01"), ["timeline", "--since", "2024-01-01"]),
    (lambda m: m.gaps(as_of="2025-06-30"), ["gaps", "--as-of", "2025-06-30"]),
    (lambda m: Mapping.gap_rules(), ["gaps", "--list-rules"]),
]


@pytest.mark.parametrize(
    ("call", "args"), SAME_AS_CLI, ids=[" ".join(a[:1] + a[1:2]) for _, a in SAME_AS_CLI]
)
def test_every_result_is_the_clis_json_rows_and_dataframe(runner, store_file: Path, call, args) -> None:
    result = call(mapper.open(store_file))
    printed = runner.invoke(app, ["--store", str(store_file), *args, "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert result.to_json() == json.loads(printed.stdout)
    frame = result.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == result.columns
    assert len(frame) == len(result.rows())
    cells = frame.astype(object).where(frame.notna(), None)  # pandas reads a missing value as NaN
    assert cells.to_dict("records") == [{c: row.get(c) for c in result.columns} for row in result.rows()]


def _without(entity_id: str) -> Dataset:
    """The small world without ``entity_id`` and its relations."""
    dataset = world().dataset
    del dataset.entities[entity_id]
    for key in [k for k, r in dataset.relations.items() if entity_id in (r["source"], r["target"])]:
        del dataset.relations[key]
    return dataset


def test_diff_takes_a_mapping_a_path_or_files(store_file: Path, tmp_path: Path) -> None:
    later = tmp_path / "later.json"
    write_store_file(later, _without("member-y"))
    old = mapper.open(store_file)
    by_path = old.diff(later).to_json()
    assert by_path == old.diff(mapper.open(later)).to_json()
    assert [e["id"] for e in by_path["entities"]["removed"]] == ["member-y"]


def test_gaps_without_igf_name_the_candidate_roots(tmp_path: Path) -> None:
    path = tmp_path / "no-igf.json"
    write_store_file(path, _without("igf"))
    with pytest.raises(NotFoundError, match="--ecosystem"):
        mapper.open(path).gaps()
    notes: list[str] = []
    mapping = Mapping(mapper.open(path).store, on_note=notes.append)
    assert {f.rule for f in mapping.findings()} <= set(rules_without_root())
    assert len(notes) == 1 and "left out the rules that need a root" in notes[0]


def test_to_dataframe_without_pandas_names_the_extra(store_file: Path) -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"  # as if pandas were not installed
        "import mapper\n"
        f"mapper.open({str(store_file)!r}).stats().to_dataframe()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "ModuleNotFoundError: to_dataframe() needs pandas: pip install 'igf-mapper[pandas]'"
    )


def test_import_mapper_loads_neither_queries_nor_exports() -> None:
    code = "import sys, mapper; print(sorted(m for m in sys.modules if m.split('.')[0] in ('queries', 'exports') or m == 'mapper.api'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr
    assert mapper.open is mapper.api.open and mapper.Mapping is Mapping


def test_open_without_a_store_file_is_the_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IGFMAP_STORE", str(tmp_path / "absent.json"))
    mapping = mapper.open()
    assert mapping.describe() == "bundled seed dataset"
    assert repr(mapping) == "<Mapping bundled seed dataset>"
    assert repr(mapping.gaps()).startswith("<Result GapReport: ")


def test_a_map_saves_like_igfmap_map(store_file: Path, tmp_path: Path) -> None:
    page = mapper.open(store_file).map(view="engagement", highlight_gaps=True, as_of="2025-06-30")
    out = tmp_path / "m.html"
    saved = page.save(out)
    assert out.read_text(encoding="utf-8") == page.html
    assert (saved.path, saved.nodes, saved.view) == (str(out), page.info.nodes, "engagement")
    assert page.save(out).path == str(out)  # its own earlier map: replaced
    foreign = tmp_path / "notes.html"
    foreign.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="--force"):
        page.save(foreign)
    assert foreign.read_text(encoding="utf-8") == "mine"
    page.save(foreign, force=True)
    with pytest.raises(OutputError):
        page.save(store_file, force=True, protected=[store_file])


def test_export_and_report_name_the_files_where_they_are(store_file: Path, tmp_path: Path) -> None:
    mapping = mapper.open(store_file)
    csv = mapping.export("csv", tmp_path / "tables")
    assert {Path(f).parent for f in csv.value.files} == {tmp_path / "tables"}
    assert all(row["bytes"] > 0 for row in csv.rows())
    report = mapping.report(tmp_path / "report", as_of="2025-06-30", title="Round 1")
    assert report.value.out == str(tmp_path / "report")
    assert {"report.md", "report.html", "map.html"} <= {row["file"] for row in report.rows()}
    assert isinstance(report, Result)
