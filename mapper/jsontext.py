"""The store document as indented JSON text, fast, byte for byte what ``json.dumps`` writes.

The store format is ``json.dumps(doc, ensure_ascii=False, indent=1)``, but with ``indent`` set
the standard library leaves its C encoder for a pure-Python one: writing a 150,000-entity
store took 25 s of a load. orjson writes the same JSON (same escapes, same separators, keys
in order) about twenty times faster, with two-space indentation; :func:`_one_space` halves it
with a few whole-text replacements (a JSON line break is never inside a string, so every
run of spaces after one is indentation).

Two things orjson writes differently, so they never reach it: floats (orjson's shortest form
is not ``repr``'s, e.g. ``1e16`` against ``1e+16``, and NaN) and whatever it refuses (lone
surrogates, non-string keys, integers beyond 64 bits). Store records hold only strings and
lists of strings (validation sees to it); the schema extension, which may hold anything, is
written by ``json`` itself, and a document orjson refuses falls back to ``json`` whole.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# Sections of records: written by orjson. Anything else in a document goes through json.
_RECORD_SECTIONS = ("sources", "entities", "relations")


def _one_space(text: bytes, shift: int = 0) -> bytes:
    """orjson's two-space indentation as one space a level, every line but the first moved
    ``shift`` (0 or 1) spaces further right (in few passes: at 100 MB each pass counts).

    Pass ``k`` (shallowest first) takes one space off every line of level ``k`` or deeper:
    such a line then starts with ``k + shift + 1`` spaces at least, which a line of a
    shallower level, already at its final ``level + shift``, never has. After the passes of
    levels ``shift + 1`` to ``k`` a line of level ``k`` has lost ``k - shift`` spaces: from
    ``2k`` to ``k + shift``.
    """
    depth = 1
    while b"\n" + b"  " * (depth + 1) in text:
        depth += 1
    for level in range(shift + 1, depth + 1):
        text = text.replace(b"\n" + b" " * (level + shift + 1), b"\n" + b" " * (level + shift))
    if shift:  # lines at level 0: in a list of records (what it is given), only its closing bracket
        text = text.replace(b"\n]", b"\n" + b" " * shift + b"]")
    return text


def _section(records: Any) -> bytes | None:
    """A list of flat records as ``json.dumps(indent=1)`` writes it one level deep, or None
    when it holds something orjson would write differently or refuses."""
    if type(records) is not list or not records:
        return None
    for record in records:
        if type(record) is not dict:
            return None
    try:
        text = orjson.dumps(records, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        return None
    # A number would stand where a value starts, and orjson writes an infinite or NaN float as
    # null; records of strings have neither, so a search of the text spares a walk through
    # every value (a false alarm only costs that walk).
    number = _NUMBER_FIELD.search(text) or _NUMBER_ITEM.search(text)
    if number and not all(_no_float(record) for record in records):
        return None
    return _one_space(text, shift=1)


# Two searches: one pattern with both alternatives is several times slower on 100 MB.
_NUMBER_FIELD = re.compile(rb'": [-0-9n]')
_NUMBER_ITEM = re.compile(rb"\n +[-0-9n]")


def _no_float(value: Any) -> bool:
    """True when ``value`` holds no float at any depth (orjson and json agree on the rest)."""
    kind = type(value)
    if kind is list:
        return all(type(item) is str or _no_float(item) for item in value)
    if kind is dict:
        return all(_no_float(item) for item in value.values())
    return kind is not float


def document_bytes(doc: dict[str, Any]) -> bytes:
    """``json.dumps(doc, ensure_ascii=False, indent=1) + "\\n"`` as UTF-8, fast for store documents.

    >>> doc = {"schema_version": 1, "entities": [{"id": "igf", "aliases": ["IGF", "Forum"]}]}
    >>> document_bytes(doc) == (json.dumps(doc, ensure_ascii=False, indent=1) + "\\n").encode()
    True
    """
    parts = []
    for key, value in doc.items():
        text = _section(value) if key in _RECORD_SECTIONS else None
        if text is None:
            text = json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n ").encode("utf-8")
        parts.append(json.dumps(key, ensure_ascii=False).encode("utf-8") + b": " + text)
    if not parts:
        return b"{}\n"
    return b"{\n " + b",\n ".join(parts) + b"\n}\n"


__all__ = ["document_bytes"]
