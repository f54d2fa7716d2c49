"""Progress bars: on a terminal, for big loads, pushes and exports only, off with --quiet."""

from __future__ import annotations

import io

import pytest

from mapper import progress
from tests.exports.conftest import store_of


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_not_a_terminal_or_small(monkeypatch: pytest.MonkeyPatch) -> None:
    assert list(progress.track(range(5), 5, "x")) == [0, 1, 2, 3, 4]
    monkeypatch.setattr("sys.stderr", FakeTTY())
    assert not progress.wanted(10)
    assert progress.wanted(progress.THRESHOLD)


def test_bar_on_a_terminal_for_big_exports(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeTTY()
    monkeypatch.setattr("sys.stderr", fake)
    items = list(progress.track(range(3000), 3000, "export: nodes"))
    assert items == list(range(3000))
    assert "export: nodes" in fake.getvalue()


def test_quiet_turns_bars_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", FakeTTY())
    progress.set_enabled(False)
    try:
        assert not progress.wanted(10_000)
    finally:
        progress.set_enabled(True)


def test_big_export_shows_the_bar(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from exports.export import export
    from tests.exports.test_html_map import big_graph

    fake = FakeTTY()
    monkeypatch.setattr("sys.stderr", fake)
    result = export(store_of(big_graph(2100)), "graphml", tmp_path / "big.graphml")
    assert result.nodes == 2100
    assert "export: nodes" in fake.getvalue()


def test_big_load_shows_the_bar(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from benchmarks.generate import generate
    from mapper.store import load_files
    from mapper.writers import write_dataset

    data = tmp_path / "big.json"
    write_dataset(generate(1200), data, "json")
    fake = FakeTTY()
    monkeypatch.setattr("sys.stderr", fake)
    report = load_files([data], tmp_path / "store.json")
    assert report.totals["entities"] == 1200
    assert "validate" in fake.getvalue()
