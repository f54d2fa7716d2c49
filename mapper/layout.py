"""Plain-text tables that fit a terminal's width without ever splitting an id.

The rules, in order (docs/output.md says the same for users):

1. Columns empty in every row are dropped.
2. A table whose rows fit on one line each is drawn as it is: a header, a rule of dashes, one
   line per row, each column padded to its widest cell.
3. Otherwise the columns too wide give up room in proportion to what they can spare, and
   their cells wrap at spaces, never inside a word: a column is never narrower than its
   longest word (an id, a date).
4. When even the longest words do not fit side by side, the last columns (the details: sources,
   evidence, notes) are folded: shown under their row as indented ``name: value`` lines,
   wrapped the same way. Of the layouts that fit, the one with the fewest overflowing lines,
   then the fewest lines (on the first rows), is drawn: a long list of ids folds rather than
   squeezing the text beside it.
5. A word wider than the space it has (or than half the terminal: a long URL) is printed whole
   and its line overflows: an id that is cut cannot be copied back into a command.

Widths are terminal cells (a wide character counts two). Cells must be single-line inert text
(see :func:`mapper.cells.inert`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from mapper.cells import inert

#: Cells between two columns: one of padding, one of separator.
GAP = 2
#: Indent of a folded ``name: value`` line, and of its continuation lines.
FOLD_INDENT = "  "
FOLD_CONTINUATION = "    "


def cells(text: str) -> int:
    """Terminal cells ``text`` takes (wide characters count two)."""
    return len(text) if text.isascii() else cell_len(text)


def longest_word(text: str) -> int:
    """Cells of the widest space-separated word of ``text`` (what wrapping can never split)."""
    if " " not in text:
        return cells(text)
    return max((cells(word) for word in text.split()), default=0)


def wrap(text: str, width: int, first_width: int | None = None) -> list[str]:
    """``text`` in lines of at most ``width`` cells (the first: ``first_width``), broken at
    spaces only; a longer word gets a line of its own and overflows it."""
    limit = width if first_width is None else first_width
    if cells(text) <= limit:
        return [text]
    lines: list[str] = []
    current: list[str] = []
    size = 0
    for word in text.split():
        n = cells(word)
        if current and size + 1 + n > limit:
            lines.append(" ".join(current))
            current, size, limit = [], 0, width
        size = n if not current else size + 1 + n
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines or [""]


def wrap_hanging(text: str, width: int | None, first: str = "", rest: str = "") -> list[str]:
    """``text`` wrapped with ``first`` before its first line and ``rest`` before the others."""
    if width is None:
        return [first + text]
    lines = wrap(text, max(1, width - cells(rest)), max(1, width - cells(first)))
    return [(first if i == 0 else rest) + line for i, line in enumerate(lines)]


#: Stands for a space that must not break a line while an item is wrapped (a private-use
#: character: one cell wide, and no whitespace to ``str.split``).
_GLUE = "\ue000"


def wrap_items(items: Sequence[str], width: int | None, first: str = "", rest: str = "  ") -> list[str]:
    """``items`` joined with ``", "`` after ``first``, wrapped between items (inside an item,
    at its spaces, only when it is longer than a line); ``rest`` starts the other lines."""
    if not items:
        return [first.rstrip()]
    room = (width or 0) - cells(rest)
    glued = [
        item.replace(" ", _GLUE) if width is None or (cells(item) < room and _GLUE not in item) else item
        for item in items
    ]
    text = ", ".join(glued)
    head: list[str] = []
    if width is not None and text.strip() and cells(first) + cells(text.split()[0]) > width:
        head, first = [first.rstrip()], rest  # the first item starts on a line of its own
    return head + [line.replace(_GLUE, " ") for line in wrap_hanging(text, width, first, rest)]


@dataclass
class Layout:
    """Which columns stay in the grid, at which widths, and which are folded under each row."""

    grid: list[int]  # indexes of the columns drawn side by side
    widths: list[int]  # the cells of each grid column
    folded: list[int]  # indexes of the columns shown as ``name: value`` lines


def non_empty_columns(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Indexes of the columns with text in at least one row (all of them when there is no row;
    the first when every cell is empty)."""
    if not rows:
        return list(range(len(columns)))
    return [i for i in range(len(columns)) if any(row[i] for row in rows)] or [0]


def plan(
    columns: Sequence[str], rows: Sequence[Sequence[str]], width: int | None, fold: bool = True
) -> Layout:
    """The layout of rules 1-5 for ``rows`` under ``columns`` in ``width`` cells (``None``:
    unlimited, every row on one line); ``fold=False`` keeps every column in the grid."""
    kept = non_empty_columns(columns, rows)
    natural = {i: max(1, cells(columns[i]), *(cells(row[i]) for row in rows)) for i in kept}
    if width is None or _total(natural[i] for i in kept) <= width:
        return Layout(kept, [natural[i] for i in kept], [])
    minimum = _minimum_widths(columns, rows, kept, width)
    if not fold:
        return Layout(kept, _capped([natural[i] for i in kept], [minimum[i] for i in kept], width), [])
    # Fold the last columns (sources, evidence, notes: details), as many as it takes for the
    # rest to fit side by side, or more when that keeps an id within the width or makes the
    # table shorter.
    candidates = []
    for end in range(len(kept), 0, -1):
        grid, folded = kept[:end], kept[end:]
        if end > 1 and _total(minimum[i] for i in grid) > width:
            continue
        if _total(natural[i] for i in grid) <= width:
            candidates.append(Layout(grid, [natural[i] for i in grid], folded))
            break  # nothing wraps: folding more cannot shorten it
        widths = _capped([natural[i] for i in grid], [minimum[i] for i in grid], width)
        candidates.append(Layout(grid, widths, folded))
    sample = rows[:SAMPLE_ROWS]
    return min(candidates, key=lambda layout: _height(layout, columns, sample, width))


def _minimum_widths(
    columns: Sequence[str], rows: Sequence[Sequence[str]], kept: Sequence[int], width: int
) -> dict[int, int]:
    """Each column's longest word: the narrowest it can be without splitting one. A word wider
    than half the terminal (a long URL) is left to overflow its line instead."""
    widest_word = max(1, width // 2)
    return {
        i: max(1, cells(columns[i]), *(min(widest_word, longest_word(row[i])) for row in rows)) for i in kept
    }


def fits(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int | None) -> bool:
    """Whether every column can stand side by side in ``width`` with no word split."""
    if width is None:
        return True
    kept = non_empty_columns(columns, rows)
    minimum = _minimum_widths(columns, rows, kept, width)
    return _total(minimum[i] for i in kept) <= width


#: Rows whose height decides between layouts (the cost of a choice stays bounded).
SAMPLE_ROWS = 200


def _height(
    layout: Layout, columns: Sequence[str], rows: Sequence[Sequence[str]], width: int
) -> tuple[int, int]:
    """Lines of ``rows`` in ``layout`` that overflow ``width``, then lines they take."""
    overflows = lines = 0
    for row in rows:
        wrapped = [wrap(row[i], w) for i, w in zip(layout.grid, layout.widths, strict=True)]
        lines += max(len(cell_lines) for cell_lines in wrapped)
        overflows += any(
            cells(line) > w
            for cell_lines, w in zip(wrapped, layout.widths, strict=True)
            for line in cell_lines
        )
        for i in layout.folded:
            if row[i]:
                folded = wrap_hanging(row[i], width, f"{FOLD_INDENT}{columns[i]}: ", FOLD_CONTINUATION)
                lines += len(folded)
                overflows += sum(cells(line) > width for line in folded)
    return overflows, lines


def _total(widths: Iterable[int]) -> int:
    """Cells a line of columns this wide takes, gaps included."""
    values = list(widths)
    return sum(values) + GAP * (len(values) - 1)


def _capped(natural: list[int], minimum: list[int], width: int) -> list[int]:
    """Column widths that fit ``width``: each column gives up cells in proportion to what it
    could give (its natural width less its longest word), so long text narrows most."""
    room = width - GAP * (len(natural) - 1)
    slack = [n - m for n, m in zip(natural, minimum, strict=True)]
    excess = sum(natural) - room
    if excess >= sum(slack):  # even the longest words overflow
        return list(minimum)
    cuts = [excess * s // sum(slack) for s in slack]
    left = excess - sum(cuts)
    for i in sorted(range(len(slack)), key=lambda i: slack[i] - cuts[i], reverse=True)[:left]:
        cuts[i] += 1  # the rounding remainder, from the columns with most to spare
    return [n - c for n, c in zip(natural, cuts, strict=True)]


def table_lines(
    columns: Sequence[str], rows: Sequence[Sequence[str]], width: int | None, fold: bool = True
) -> Iterator[str]:
    """The table of rules 1-5, a line at a time (each ending in a newline)."""
    layout = plan(columns, rows, width, fold)
    grid = layout.grid
    widths = layout.widths
    yield from _grid_line([columns[i] for i in grid], widths)
    # The rule runs into the padding after each column but the last (as tables always had it).
    yield " ".join("-" * (w + (k < len(widths) - 1)) for k, w in enumerate(widths)) + "\n"
    for row in rows:
        yield from _grid_line([row[i] for i in grid], widths)
        for i in layout.folded:
            if row[i]:
                for line in wrap_hanging(row[i], width, f"{FOLD_INDENT}{columns[i]}: ", FOLD_CONTINUATION):
                    yield line + "\n"


def _grid_line(texts: Sequence[str], widths: Sequence[int]) -> Iterator[str]:
    """One row of the grid: a line per wrapped line of its tallest cell."""
    if all(cells(t) <= w for t, w in zip(texts, widths, strict=True)):
        wrapped = [[t] for t in texts]
    else:
        wrapped = [wrap(t, w) for t, w in zip(texts, widths, strict=True)]
    for k in range(max(len(w) for w in wrapped)):
        parts = [lines[k] if k < len(lines) else "" for lines in wrapped]
        padded = [p + " " * (w - cells(p)) for p, w in zip(parts, widths, strict=True)]
        yield (" " * GAP).join(padded).rstrip() + "\n"


def text_cells(*values: str | Sequence[str]) -> list[str]:
    """Table cells for ``values`` (a list joined with commas), as single-line inert text."""
    return [inert(v if isinstance(v, str) else ", ".join(v)) for v in values]


@dataclass
class Section:
    """A titled table of a sectioned view; ``hidden`` rows were left out (a per-section limit)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    hidden: int = 0


def sections_lines(sections: Sequence[Section], width: int | None, more_hint: str) -> Iterator[str]:
    """Sections one after another, a blank line between: the title, the table, then
    ``... and K more (more_hint)`` when rows were left out."""
    for k, section in enumerate(sections):
        if k:
            yield "\n"
        for line in wrap_hanging(inert(section.title), width, "", FOLD_INDENT):
            yield line + "\n"
        yield "\n"
        yield from table_lines(section.columns, section.rows, width)
        if section.hidden:
            yield f"... and {section.hidden} more ({more_hint})\n"
