"""Tables drawn directly (no wrapping needed) are the same text rich draws."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.cells import inert
from mapper.output import cell, render, rich_table_text, table_text
from mapper.store import EmbeddedStore, seed_dataset
from queries.gaps import run_gaps
from queries.lookup import stats

# ASCII, a few one-cell letters outside it, and text rich measures otherwise (wide, combining,
# control): the last kinds must make table_text fall back to rich.
CELL_TEXT = st.text(
    alphabet=st.sampled_from([*string.ascii_letters, *" -|.:", "é", "→", "中", "\u0301", "\x1b", "\t"]),
    max_size=12,
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    n = draw(st.integers(1, 5))
    columns = draw(st.lists(CELL_TEXT.filter(bool), min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(CELL_TEXT, min_size=n, max_size=n), min_size=1, max_size=6))
    return columns, rows


@settings(max_examples=300, deadline=None)
@given(tables(), st.one_of(st.none(), st.integers(10, 80)))
def test_direct_drawing_matches_rich(table: tuple[list[str], list[list[str]]], width: int | None) -> None:
    columns, rows = table
    assert table_text(columns, rows, width) == rich_table_text(columns, rows, width)


def test_seed_outputs_match_rich() -> None:
    """The gap findings and statistics of the seed, as `igfmap gaps` and `stats` print them."""
    store = EmbeddedStore(seed_dataset())
    for result in (run_gaps(store, as_of="2025-06-30"), stats(store)):
        cells = [
            [inert(cell(row.get(c)).replace("\n", " ")) for c in result.columns] for row in result.rows()
        ]
        text = render(result, "table", terminal=False)
        assert len(text.splitlines()) == len(cells) + 2  # header, rule, one line per row
        assert text == rich_table_text(result.columns, cells)


def test_piped_table_layout() -> None:
    rows = [["sources", "50000"], ["relations", "295583"]]
    # One space of padding after every column but the last, one more between columns.
    assert table_text(["section", "total"], rows) == (
        "section    total\n---------- ------\nsources    50000\nrelations  295583\n"
    )
