"""Reading a map as a person does: OCR of a screenshot by Debian's ``tesseract`` (``tesseract-ocr``),
and which entity names the lines it reads name.

A name is read when an OCR line is that name or an alias, holds it whole, or is an unambiguous
fragment of it (at least :data:`FRAGMENT` characters that occur in one entity's name or aliases
only): a prefix that many entities share names nobody.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

TESSERACT = "tesseract"
#: The shortest OCR line taken as a fragment of a name (shorter ones name too many things).
FRAGMENT = 8
#: How alike an OCR line and a name must be to count as that name misread (difflib's ratio).
SLIP = 0.88


def tesseract_missing_reason() -> str | None:
    if shutil.which(TESSERACT) is None:
        return "tesseract not found: apt-get install -y --no-install-recommends tesseract-ocr"
    return None


def ocr_lines(png: Path) -> list[str]:
    """The text lines tesseract reads in ``png`` (``--psm 11``: sparse text, labels anywhere),
    then each pair of lines set one under the other (a name wrapped onto two lines) joined."""
    done = subprocess.run(
        [TESSERACT, str(png), "stdout", "--psm", "11", "-l", "eng", "tsv"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    lines: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in done.stdout.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip():
            continue
        left, top, width, height = (int(c) for c in cells[6:10])
        line = lines.setdefault(tuple(cells[1:5]), {"words": [], "l": left, "t": top, "r": 0, "b": 0})
        line["words"].append(cells[11].strip())
        line["l"], line["t"] = min(line["l"], left), min(line["t"], top)
        line["r"], line["b"] = max(line["r"], left + width), max(line["b"], top + height)
    found = [dict(v, text=" ".join(v["words"])) for v in lines.values()]
    return [f["text"] for f in found] + [a["text"] + " " + b["text"] for a, b in _stacked(found)]


def _stacked(lines: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Pairs of lines where the second sits just under the first, centred or left-aligned alike
    (one label on two lines)."""
    pairs = []
    for a in lines:
        for b in lines:
            height = max(a["b"] - a["t"], b["b"] - b["t"], 1)
            gap = b["t"] - a["b"]
            centres = abs((a["l"] + a["r"]) - (b["l"] + b["r"])) / 2
            aligned = centres <= 1.5 * height + 20 or abs(a["l"] - b["l"]) <= height
            if a is not b and -2 <= gap <= height and aligned:
                pairs.append((a, b))
    return pairs


def fold(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed; … and a trailing cut dropped."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def names_read(lines: Iterable[str], entities: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """Ids of the ``entities`` (``{id: {"name", "aliases"}}``) that the OCR ``lines`` name."""
    keys = {
        ident: {k for k in (fold(str(n)) for n in [e.get("name") or ident, *(e.get("aliases") or [])]) if k}
        for ident, e in entities.items()
    }
    read: set[str] = set()
    for raw in lines:
        for line in _variants(fold(raw)):
            found = _named_by(line, keys)
            if found:
                read |= found
                break
    return read


def _variants(line: str) -> list[str]:
    """``line``, then without a stray first or last token of one or two characters (a piece of a
    node or line next to the label, read as letters)."""
    words = line.split()
    out = [line]
    if len(words) > 1 and len(words[0]) <= 2:
        words = words[1:]
        out.append(" ".join(words))
    if len(words) > 1 and len(words[-1]) <= 2:
        out.append(" ".join(words[:-1]))
    return [v for v in out if v]


def _named_by(line: str, keys: Mapping[str, set[str]]) -> set[str]:
    """Whom ``line`` names: every entity whose name or alias it is or holds; else the one entity
    it is a fragment of, exactly or with an OCR slip (a letter or two misread)."""
    whole = {i for i, ks in keys.items() if any(k == line or _holds(line, k) for k in ks)}
    if whole or len(line) < FRAGMENT:
        return whole
    owners = {i for i, ks in keys.items() if any(line in k for k in ks)}
    if not owners:
        owners = {i for i, ks in keys.items() if any(_close(line, k) for k in ks)}
    return owners if len(owners) == 1 else set()


def _holds(line: str, key: str) -> bool:
    """``key`` appears in ``line``: whole words for a short name, anywhere for a long one."""
    if len(key) >= FRAGMENT:
        return key in line
    return len(key) >= 3 and re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", line) is not None


def _close(line: str, key: str) -> bool:
    """``line`` reads as ``key`` or its beginning (a cut label) with a letter or two misread."""
    from difflib import SequenceMatcher

    return any(
        SequenceMatcher(None, line, candidate).ratio() >= SLIP
        for candidate in {key, key[: len(line)]}
        if abs(len(candidate) - len(line)) <= 3
    )


def screenshot_drawing(page: Any, path: Path) -> Path:
    """The map's drawing area (``#network``) at 1x pixels, as the reader sees it."""
    page.locator("#network").screenshot(path=str(path))
    return path


def read_map(page: Any, path: Path) -> tuple[set[str], list[str]]:
    """Entity ids whose names OCR reads on the map's drawing area, and the lines it read."""
    entities = page.evaluate("igfmap.data.entities")
    lines = ocr_lines(screenshot_drawing(page, path))
    return names_read(lines, entities), lines
