"""The table layout rules of mapper.layout: tables fit the width, and no word (an id) is split."""

from __future__ import annotations

import fcntl
import os
import string
import struct
import termios
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.layout import cells, fits, table_lines, wrap_items
from mapper.output import render, table_text, terminal_width
from mapper.store import EmbeddedStore, seed_dataset
from queries.gaps import run_gaps
from queries.lookup import show, stats

WORD = st.text(alphabet=st.sampled_from([*string.ascii_lowercase, "-", "é", "中"]), min_size=1, max_size=9)
CELL_TEXT = st.lists(WORD, max_size=6).map(" ".join)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    n = draw(st.integers(1, 5))
    columns = draw(st.lists(WORD, min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(CELL_TEXT, min_size=n, max_size=n), min_size=1, max_size=6))
    return columns, rows


def words(texts: list[str]) -> Counter[str]:
    return Counter(word for text in texts for word in text.split())


@settings(max_examples=300, deadline=None)
@given(tables(), st.one_of(st.none(), st.integers(40, 120)))
def test_every_word_whole_and_every_line_within_width(
    table: tuple[list[str], list[list[str]]], width: int | None
) -> None:
    columns, rows = table
    lines = table_text(columns, rows, width).splitlines()
    # Every word of every cell comes out whole (a folded column's name shows as "name:").
    shown = words([line.replace(":", "") for line in lines])
    kept = [i for i in range(len(columns)) if any(row[i] for row in rows)]
    assert shown >= words([row[i] for row in rows for i in kept] + [columns[i] for i in kept])
    # Words are at most 18 cells (9 wide characters) and headers as long, so everything fits.
    if width is not None:
        assert max(cells(line) for line in lines) <= width


@settings(max_examples=200, deadline=None)
@given(tables())
def test_one_line_per_row_without_a_width(table: tuple[list[str], list[list[str]]]) -> None:
    columns, rows = table
    assert len(table_text(columns, rows).splitlines()) == len(rows) + 2  # header, rule, rows


def test_piped_table_layout() -> None:
    rows = [["sources", "50000"], ["relations", "295583"]]
    # One space of padding after every column but the last, one more between columns.
    assert table_text(["section", "total"], rows) == (
        "section    total\n---------- ------\nsources    50000\nrelations  295583\n"
    )


def test_empty_columns_are_dropped() -> None:
    text = table_text(["id", "note", "until"], [["a", "", ""], ["b", "x", ""]])
    assert text.splitlines()[0] == "id  note"


def test_long_text_wraps_at_spaces_beside_its_key() -> None:
    rows = [["ai-global-dialogue", "No actor engages on the process Global Dialogue on AI Governance"]]
    assert table_text(["subjects", "explanation"], rows, 50) == (
        "subjects            explanation\n"
        "------------------- ------------------------------\n"
        "ai-global-dialogue  No actor engages on the\n"
        "                    process Global Dialogue on AI\n"
        "                    Governance\n"
    )


def test_last_columns_fold_under_their_row_when_words_cannot_stand_side_by_side() -> None:
    rows = [["dccg", "lead", "mag-wgs-2024-10-31-item1, igf-dc-coordination-activities-page"]]
    text = table_text(["actor", "role", "sources"], rows, 40)
    assert text == (
        "actor  role\n"
        "------ ----\n"
        "dccg   lead\n"
        "  sources: mag-wgs-2024-10-31-item1,\n"
        "    igf-dc-coordination-activities-page\n"
    )


def test_a_word_wider_than_the_terminal_overflows_whole() -> None:
    url = "https://intgovforum.org/en/content/" + "x" * 60
    lines = table_text(["field", "value"], [["url", url], ["name", "IGF"]], 60).splitlines()
    assert any(url in line for line in lines)
    assert lines[-1] == "name   IGF"


def test_fits_and_unfolded_grid() -> None:
    columns = ["actor", *(f"activity-{k:02d}" for k in range(10))]
    rows = [["dccg", *(["lead"] * 10)]]
    assert fits(columns, rows, 200) and not fits(columns, rows, 100)
    # fold=False keeps every column (the matrix's grid), even when it overflows.
    assert next(iter(table_lines(columns, rows, 100, fold=False))).split() == columns


def test_wrap_items_breaks_between_items() -> None:
    items = ["GDC implementation [gdc-implementation] (lead, active)", "Giga [itu-giga] (co-lead, active)"]
    # The first item does not fit beside the heading: it starts the next line, whole.
    assert wrap_items(items, 60, "ITU [itu]: ", "    ") == [
        "ITU [itu]:",
        "    GDC implementation [gdc-implementation] (lead, active),",
        "    Giga [itu-giga] (co-lead, active)",
    ]
    assert wrap_items(items, 100, "ITU [itu]: ", "    ") == ["ITU [itu]: " + ", ".join(items)]


def test_seed_tables_fit_100_columns() -> None:
    store = EmbeddedStore(seed_dataset())
    for result in (run_gaps(store, as_of="2025-06-30"), stats(store), show(store, "dccg")):
        for line in render(result, "table", width=100).splitlines():
            assert cells(line) <= 100 or "https://" in line, line  # only a URL may overflow


def test_width_is_columns_else_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real pseudo-terminal 123 cells wide: its width unless COLUMNS says a number."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 123, 0, 0))
    with os.fdopen(follower, "w") as tty:
        monkeypatch.delenv("COLUMNS", raising=False)
        assert terminal_width(tty) == 123
        monkeypatch.setenv("COLUMNS", "100")
        assert terminal_width(tty) == 100
        for junk in ("0", "wide", ""):
            monkeypatch.setenv("COLUMNS", junk)
            assert terminal_width(tty) == 123
    os.close(leader)
