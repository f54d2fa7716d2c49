"""Dataset readers: YAML (safe loading only), JSON, CSV and XLSX, with file/line/column positions.

Readers only parse. They turn each file into :class:`RawRecord` objects that remember where
every field came from, so :mod:`mapper.validation` can name ``FILE:LINE[:COLUMN]: field`` in
every message. :func:`mapper.validation.read_dataset` reads and validates in one call.

Reading is exact or refused: every row in a file becomes a record or a message, text stays the
text written (YAML ``id: 0123`` is ``"0123"``, ``name: no`` is ``"no"``), duplicate keys and
non-finite numbers are refused, and CSV quoting errors and lying XLSX dimensions cannot hide
rows. Reading is also bounded (:class:`ReadLimits`): file size, rows, nesting depth, YAML alias
expansion and XLSX uncompressed size each have a limit, and only regular files are read.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ClassVar

from mapper.cells import restore_text
from mapper.schema import FIELDS, REQUIRED, SCHEMA_VERSION

SECTIONS = ("sources", "entities", "relations")
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xlsx")


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on what one input file may cost to read (each can be raised with ``--limit``).

    Plain size and record counts only bound honest work (the generator's L set, 150,000
    entities and 108 MB of JSON, loads with no flag), so their defaults are generous. The
    limits that stop hostile files, where a few bytes would cost without bound (nesting, YAML
    alias expansion, XLSX unpacking), stay tight: what a file costs to read then grows with its
    size and no faster (docs/limits.md).
    """

    file_mb: float = 1024  # size of any one input file
    xlsx_mb: float = 100  # uncompressed size of an XLSX workbook's parts (zip bombs)
    rows: int = 5_000_000  # rows of a CSV file or XLSX sheet; records of a YAML/JSON section
    depth: int = 32  # nesting of YAML/JSON collections (data needs 5)
    aliases: int = 1_000_000  # nodes YAML aliases may add when expanded (billion laughs)

    # ``--limit NAME=VALUE`` names: the field names with "-" for "_".
    @classmethod
    def names(cls) -> list[str]:
        return [f.name.replace("_", "-") for f in fields(cls)]

    def with_options(self, options: Iterable[str]) -> ReadLimits:
        """These limits changed by ``NAME=VALUE`` strings; ``ValueError`` names a bad one."""
        changes: dict[str, Any] = {}
        for option in options:
            name, sep, value = option.partition("=")
            key = name.strip().replace("-", "_")
            kinds = {f.name: f.type for f in fields(self)}
            if not sep or key not in kinds:
                raise ValueError(
                    f"--limit wants NAME=VALUE with NAME one of {', '.join(self.names())}, not {option!r}"
                )
            try:
                number = float(value) if kinds[key] == "float" else int(value)
            except ValueError:
                raise ValueError(f"--limit {name}: {value!r} is not a number") from None
            if not number > 0:
                raise ValueError(f"--limit {name}: must be positive, not {value!r}")
            changes[key] = number
        return replace(self, **changes)


_DEFAULT_LIMITS = [ReadLimits()]


def set_read_limits(limits: ReadLimits) -> None:
    """The limits readers use when a caller passes none (the CLI sets them from ``--limit``)."""
    _DEFAULT_LIMITS[0] = limits


def read_limits() -> ReadLimits:
    return _DEFAULT_LIMITS[0]


def store_limits() -> ReadLimits:
    """The limits for reading a store file back: its size and record count were checked when
    the data entered the store, so only the structural bounds (depth, aliases) still apply."""
    return replace(read_limits(), file_mb=float(2**40), rows=sys.maxsize)


def _over(detail: str, limit: str, allowed: str) -> str:
    """A limit message: what was found, the limit, and how to raise it."""
    return f"{detail}, over the limit of {allowed} (raise it with --limit {limit}=N)"


@dataclass
class RawRecord:
    """One record as read, with where it came from (``columns`` maps field -> column label)."""

    section: str
    data: dict[str, Any]
    file: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    # For JSON, positions are found only when a message needs them (line 0 until then).
    locate: Any = None

    def where(self, field_name: str | None = None) -> str:
        if not self.line:
            self.line, self.lines = (self.locate() if self.locate else None) or (1, {})
        line = self.lines.get(field_name, self.line) if field_name else self.line
        column = self.columns.get(field_name) if field_name else None
        return f"{self.file}:{line}:{column}" if column else f"{self.file}:{line}"


@dataclass
class RawInput:
    """Everything read from a set of files: records, schema extensions and parse problems."""

    records: list[RawRecord] = field(default_factory=list)
    schemas: list[tuple[Any, str]] = field(default_factory=list)  # (extension, "FILE:LINE")
    issues: list[str] = field(default_factory=list)


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files to read: each file as given, each directory's data files sorted by name.

    Entries of a directory that are not regular files (a FIFO named ``x.yaml``) are listed
    too, so that they are reported rather than silently skipped.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if not p.is_dir() and p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith(".")
            )
        else:
            files.append(path)
    return files


def read_raw(paths: Iterable[Path | str], limits: ReadLimits | None = None) -> RawInput:
    """Parse every file under ``paths``; problems are collected, never raised."""
    limits = limits or read_limits()
    raw = RawInput()
    paths = list(paths)
    files = expand_paths(paths)
    if not files:
        raw.issues.append(f"{', '.join(map(str, paths))}:1: path: no dataset files found")
    for path in files:
        suffix = path.suffix.lower()
        if suffix not in DATA_SUFFIXES and path.exists() and path.is_file():
            raw.issues.append(
                f"{path}:1: file: unknown format {suffix or '(no suffix)'!r} "
                "(use .yaml, .yml, .json, .csv or .xlsx)"
            )
            continue
        data = _read_bytes(path, raw, limits)
        if data is None:
            continue
        if suffix == ".xlsx":
            _read_xlsx(path, data, raw, limits)
            continue
        text = _decode(path, data, raw)
        if text is None:
            continue
        if not text.strip():
            raw.issues.append(f"{path}:1: file: empty file")
        elif suffix in (".yaml", ".yml"):
            _read_yaml(path, text, raw, limits)
        elif suffix == ".json":
            _read_json(path, text, raw, limits)
        elif suffix == ".csv":
            _read_csv(path, text, raw, limits)
        else:
            raw.issues.append(
                f"{path}:1: file: unknown format {suffix or '(no suffix)'!r} "
                "(use .yaml, .yml, .json, .csv or .xlsx)"
            )
    return raw


# --- opening and decoding -------------------------------------------------------------------

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def _read_bytes(path: Path, raw: RawInput, limits: ReadLimits) -> bytes | None:
    """The file's bytes, or None with an issue: missing, not a regular file, or too big."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raw.issues.append(f"{path}:1: path: no such file or directory")
        return None
    except OSError as err:
        raw.issues.append(f"{path}:1: path: cannot open ({err.strerror})")
        return None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raw.issues.append(f"{path}: not a regular file ({kind}); only regular files are read")
            return None
        max_bytes = int(limits.file_mb * 1024 * 1024)
        size = os.fstat(fd).st_size
        # Read one byte past the limit: files whose size stat does not tell (/proc) are bounded too.
        data = _read_at_most(handle, max_bytes + 1) if size <= max_bytes else b""
        if size > max_bytes or len(data) > max_bytes:
            found = f"file is {size / 1048576:,.1f} MB" if size > max_bytes else "file is bigger than it says"
            raw.issues.append(f"{path}: {_over(found, 'file-mb', f'{limits.file_mb:,g} MB')}")
            return None
    return data


def _read_at_most(handle: Any, limit: int, chunk: int = 1 << 20) -> bytes:
    """Up to ``limit`` bytes, read in chunks (a huge limit must not allocate a huge buffer)."""
    parts: list[bytes] = []
    left = limit
    while left > 0:
        part = handle.read(min(chunk, left))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _decode(path: Path, data: bytes, raw: RawInput) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        hint = _guess_encoding(data)
        raw.issues.append(
            f"{path}:{line}: encoding: not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); {hint}"
        )
        return None


def _guess_encoding(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "it looks like UTF-16: re-save it as UTF-8"
    try:
        data.decode("cp1252")
        return "it may be Windows-1252 (cp1252) or Latin-1: re-save it as UTF-8"
    except UnicodeDecodeError:
        return "try re-saving it as UTF-8 (it may be Latin-1 / ISO-8859-1)"


# --- YAML and JSON --------------------------------------------------------------------------


def _read_document(
    path: Path, doc: Any, raw: RawInput, locate: Any, limits: ReadLimits, lazy: bool = False
) -> None:
    """Take sections out of a parsed YAML/JSON document. ``locate(section, index)`` gives
    (record line, {field: line}) or None when positions are unknown; with ``lazy`` it is only
    called when a message about a record needs its position."""
    if not isinstance(doc, dict):
        kind = type(doc).__name__ if doc is not None else "nothing"
        raw.issues.append(
            f"{path}:1: document: expected an object with sources, entities and relations, got {kind}"
        )
        return
    allowed = {"schema_version", "schema", *SECTIONS}
    for key in doc:
        if key not in allowed:
            raw.issues.append(
                f"{path}:1: {key}: unknown top-level key (allowed: {', '.join(sorted(allowed))})"
            )
    version = doc.get("schema_version", SCHEMA_VERSION)
    # Scalars are read as the text written (see _bounded_loader), so the version may be "1".
    if isinstance(version, str) and version.strip().isdigit():
        version = int(version)
    if version != SCHEMA_VERSION:
        raw.issues.append(
            f"{path}:1: schema_version: unsupported version {version!r} (this tool reads {SCHEMA_VERSION})"
        )
    if doc.get("schema") is not None:
        line = (locate("schema", None) or (1, {}))[0]
        raw.schemas.append((doc["schema"], f"{path}:{line}"))
    for section in SECTIONS:
        items = doc.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            line = (locate(section, None) or (1, {}))[0]
            raw.issues.append(f"{path}:{line}: {section}: must be a list of records")
            continue
        if len(items) > limits.rows:
            found = f"{section} holds {len(items):,} records"
            raw.issues.append(f"{path}: {_over(found, 'rows', f'{limits.rows:,}')}")
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                line = (locate(section, index) or (1, {}))[0]
                raw.issues.append(f"{path}:{line}: {section}: item {index + 1} must be a mapping of fields")
                continue
            if lazy:
                record = RawRecord(section, item, str(path), 0)
                record.locate = functools.partial(locate, section, index)
            else:
                line, lines = locate(section, index) or (1, {})
                record = RawRecord(section, item, str(path), line, lines)
            raw.records.append(record)


def _yaml_locator(node: Any) -> Any:
    """A ``locate`` function over a composed YAML node tree (lines are 1-based)."""

    def locate(section: str, index: int | None) -> tuple[int, dict[str, int]] | None:
        if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
            return None
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) != section:
                continue
            if index is None:
                return key_node.start_mark.line + 1, {}
            items = getattr(value_node, "value", None)
            if not isinstance(items, list) or index >= len(items):
                return None
            item = items[index]
            lines = {}
            if isinstance(item.value, list):
                for pair in item.value:
                    if isinstance(pair, tuple) and len(pair) == 2:
                        lines[str(pair[0].value)] = pair[1].start_mark.line + 1
            return item.start_mark.line + 1, lines
        return None

    return locate


class _Refused(Exception):
    """A reader refuses the file: ``mark`` (a YAML mark or None) and the message."""

    def __init__(self, message: str, mark: Any = None, field_name: str = "yaml"):
        super().__init__(message)
        self.mark = mark
        self.field_name = field_name


def _compose_within_limits(loader: Any, mark: Any, compose: Callable[[], Any]) -> Any:
    """The node ``compose()`` builds for ``loader`` (a :func:`_bounded_loader`), refused past
    the nesting depth or when the nodes its aliases stand for exceed the limit."""
    from yaml.nodes import ScalarNode

    limits: ReadLimits = loader.limits
    loader._depth += 1
    if loader._depth > limits.depth:
        raise _Refused(
            _over(f"nesting deeper than {limits.depth} levels", "depth", str(limits.depth)), mark, "depth"
        )
    try:
        node = compose()
    finally:
        loader._depth -= 1
    loader._composed += 1
    if isinstance(node, ScalarNode):
        size = 1
    else:
        children = node.value if node.id == "sequence" else [n for pair in node.value for n in pair]
        size = 1 + sum(loader._sizes.get(id(child), 1) for child in children)
    loader._sizes[id(node)] = size
    if size - loader._composed > limits.aliases:
        raise _Refused(
            _over(
                f"aliases expand this document to more than {size:,} nodes",
                "aliases",
                f"{limits.aliases:,} added nodes",
            ),
            mark,
            "aliases",
        )
    return node


def _note_duplicate_keys(loader: Any, node: Any) -> None:
    """Add each key of the mapping ``node`` that repeats an earlier one to ``loader.duplicates``."""
    from yaml.nodes import ScalarNode

    seen: dict[str, Any] = {}
    for key, _value in node.value:
        if not isinstance(key, ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        if key.value in seen:
            first = seen[key.value].start_mark
            loader.duplicates.append(
                (
                    key.start_mark,
                    f"duplicate key {key.value!r} (first at line {first.line + 1}); keep one of them",
                )
            )
        else:
            seen[key.value] = key


@functools.cache
def _bounded_loader(fast: bool = False) -> type:
    """A ``yaml.SafeLoader`` that reads exactly and within limits.

    - Plain scalars stay the text written: only ``null``/``~``/empty resolve (to None) and
      ``<<`` merges; YAML 1.1 would turn ``id: 0123`` into 83 and ``name: no`` into False,
      and an unquoted ``2024-02-30`` into a raw ValueError.
    - Duplicate keys are collected (with positions) instead of the last one silently winning.
    - Nesting depth and the nodes aliases add when expanded are bounded while composing, so a
      billion-laughs file or 100,000 nested brackets stop early with a message.

    With ``fast``, libyaml's C parser supplies the events and this same Python composer builds
    the nodes (limits, duplicates and marks as above): seven times faster on the seed. Its
    error messages are libyaml's, so :func:`_compose_yaml` reports errors from the pure-Python
    loader.
    """
    import yaml
    from yaml.composer import Composer, ComposerError
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    keep = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"}
    bases: tuple[type, ...] = (yaml.SafeLoader,)
    if fast:
        # needs libyaml; types-PyYAML does not re-export the name that PyYAML's yaml.cyaml has
        from yaml.cyaml import CParser  # type: ignore[attr-defined]

        # Composer before CParser: libyaml's own composer (in C) would skip the bounds below.
        bases = (Composer, CParser, SafeConstructor, Resolver)

    class BoundedLoader(*bases):  # type: ignore[misc]
        yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag in keep]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

        def __init__(self, stream: str, limits: ReadLimits):
            if fast:
                CParser.__init__(self, stream)
                SafeConstructor.__init__(self)
                Resolver.__init__(self)
                Composer.__init__(self)
            else:
                super().__init__(stream)
            self.limits = limits
            self.duplicates: list[tuple[Any, str]] = []  # (mark, message)
            self._depth = 0
            self._composed = 0
            self._sizes: dict[int, int] = {}  # id(node) -> nodes it stands for, aliases expanded

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            compose = super().compose_node
            if isinstance(event, yaml.AliasEvent):
                node = compose(parent, index)
                if id(node) not in self._sizes:
                    raise ComposerError(
                        None,
                        None,
                        "an alias refers to a collection that contains it",
                        event.start_mark,  # type: ignore[arg-type]  # libyaml's Mark: the same fields
                    )
                return node
            return _compose_within_limits(self, event.start_mark, lambda: compose(parent, index))

        def compose_mapping_node(self, anchor: Any) -> Any:
            node = super().compose_mapping_node(anchor)
            _note_duplicate_keys(self, node)
            return node

    return BoundedLoader


def _compose_yaml(text: str, limits: ReadLimits) -> tuple[Any, Any]:
    """(loader, root node) for ``text``; raises ``yaml.YAMLError`` or :class:`_Refused`.

    libyaml's parser supplies the events for clean text; anything to report (an error, a
    refusal, a duplicate key, a character PyYAML refuses) is composed again by the pure-Python
    loader, so messages and positions are PyYAML's own. tests/mapper/test_yaml_fast.py holds
    both parsers to the same nodes and marks.
    """
    import yaml
    from yaml.reader import Reader

    if yaml.__with_libyaml__ and not Reader.NON_PRINTABLE.search(text):
        loader = _bounded_loader(True)(text, limits)
        try:
            node = loader.get_single_node()
            clean = not loader.duplicates
        except Exception:
            clean = False
        if clean:
            return loader, node
        loader.dispose()
    loader = _bounded_loader()(text, limits)
    try:
        return loader, loader.get_single_node()
    except BaseException:
        loader.dispose()
        raise


def _yaml_issue(path: Path, err: Exception) -> str:
    if isinstance(err, _Refused):
        mark = err.mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        return f"{where}: {err.field_name}: {err}"
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else f"{path}:1"
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    return f"{where}: yaml: {problem}"


def _read_yaml(path: Path, text: str, raw: RawInput, limits: ReadLimits) -> None:
    import yaml

    try:
        loader, node = _compose_yaml(text, limits)
    except (yaml.YAMLError, _Refused) as err:
        raw.issues.append(_yaml_issue(path, err))
        return
    try:
        if loader.duplicates:
            for mark, message in loader.duplicates:
                raw.issues.append(f"{path}:{mark.line + 1}:{mark.column + 1}: key: {message}")
            return
        doc = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        raw.issues.append(_yaml_issue(path, err))
        return
    finally:
        loader.dispose()
    _read_document(path, doc, raw, _yaml_locator(node), limits)


class _DuplicateKey(Exception):
    pass


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey(next(k for i, (k, _) in enumerate(pairs) if k in dict(pairs[:i])))
    return result


class _NonFinite(Exception):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NonFinite(name)


# A JSON string, or a bare NaN/Infinity (group 1) outside strings.
_JSON_CONSTANT_RE = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _depth_exceeds(doc: Any, limit: int) -> bool:
    """True when containers nest deeper than ``limit`` (iterative: no recursion to overflow)."""
    stack = [(doc, 1)] if type(doc) in (dict, list) else []
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        for child in value.values() if type(value) is dict else value:
            # Parsed JSON and YAML hold plain dicts and lists; testing the exact type is the
            # cheap test, and it runs once per value of a file of millions.
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False


def _read_json(path: Path, text: str, raw: RawInput, limits: ReadLimits) -> None:
    # Numbers stay the text written (a JSON id 1.50 is "1.50", not 1.5); NaN and Infinity,
    # which are not JSON, and duplicate keys are refused instead of read as "nan" or the last.
    try:
        doc = json.loads(
            text,
            parse_int=str,
            parse_float=str,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_object,
        )
    except json.JSONDecodeError as err:
        raw.issues.append(f"{path}:{err.lineno}:{err.colno}: json: {err.msg}")
        return
    except _NonFinite as err:
        match = next((m for m in _JSON_CONSTANT_RE.finditer(text) if m.group(1)), None)
        line, column = _line_col(text, match.start(1)) if match else (1, 0)
        where = f"{path}:{line}:{column}" if match else f"{path}:1"
        raw.issues.append(
            f'{where}: json: {err} is not a JSON number and is refused; write it as text ("{err}") '
            "or leave the field out"
        )
        return
    except _DuplicateKey as err:
        raw.issues.extend(_json_duplicates(path, text, limits) or [f"{path}:1: key: duplicate key {err}"])
        return
    except RecursionError:
        raw.issues.append(f"{path}: depth: {_over('nesting too deep to read', 'depth', str(limits.depth))}")
        return
    if _depth_exceeds(doc, limits.depth):
        found = f"nesting deeper than {limits.depth} levels"
        raw.issues.append(f"{path}: depth: {_over(found, 'depth', str(limits.depth))}")
        return
    cache: dict[str, Any] = {}

    def locate(section: str, index: int | None) -> Any:
        # Positions cost a second parse, so they are computed only when a message needs one.
        if "locate" not in cache:
            cache["locate"] = _json_locator(text, limits)
        return cache["locate"](section, index)

    _read_document(path, doc, raw, locate, limits, lazy=True)


def _json_duplicates(path: Path, text: str, limits: ReadLimits) -> list[str]:
    """Duplicate-key messages with positions, found by the YAML composer (JSON is YAML flow)."""
    try:
        loader, _node = _compose_yaml(text, limits)
    except Exception:
        return []
    loader.dispose()
    return [f"{path}:{m.line + 1}:{m.column + 1}: key: {message}" for m, message in loader.duplicates]


def _json_locator(text: str, limits: ReadLimits) -> Any:
    try:
        # JSON is (nearly) YAML flow syntax, and the YAML composer keeps line marks.
        loader, node = _compose_yaml(text, limits)
        loader.dispose()
    except Exception:
        node = None
    return _yaml_locator(node)


# --- CSV ------------------------------------------------------------------------------------


def _section_for(path: Path) -> str | None:
    stem = path.stem.lower()
    for section in SECTIONS:
        if stem == section or stem.endswith(("_" + section, "-" + section, "." + section)):
            return section
    return None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _check_header(path: Path, section: str, header: list[str], raw: RawInput, col: Any) -> bool:
    ok = True
    for name in REQUIRED[section]:
        if name not in header:
            raw.issues.append(f"{path}:1: {name}: missing required column {name!r} in the header")
            ok = False
    for i, name in enumerate(header):
        if name and name not in FIELDS[section]:
            hint = ""
            for sep, label in ((";", "semicolons"), ("\t", "tabs")):
                if sep in name:
                    hint = f"; the header is separated by {label}: save the file comma-separated"
            raw.issues.append(
                f"{path}:1:{col(i)}: {name}: unknown column (allowed: {', '.join(FIELDS[section])}){hint}"
            )
            ok = False
        elif name and header.index(name) != i:
            raw.issues.append(f"{path}:1:{col(i)}: {name}: duplicate column")
            ok = False
    return ok


def _csv_delimiter(text: str, section: str) -> str:
    """``,`` unless the header line is clearly separated by ``;`` or tabs (Excel in many
    European locales saves "CSV" with semicolons): then that separator, so such a file is
    read as written rather than as one column."""
    first = text.split("\n", 1)[0]
    if "," not in first:
        for sep in (";", "\t"):
            names = [n.strip().strip('"') for n in first.split(sep)]
            if len(names) > 1 and set(REQUIRED[section]) <= set(names) <= set(FIELDS[section]) | {""}:
                return sep
    return ","


class _BlankHeaderColumns:
    """Cells under a blank (or merged) header cell: counted so they are reported, not dropped."""

    def __init__(self, header: list[str]):
        self.blank = {i for i, name in enumerate(header) if not name}
        self.width = len(header)
        self.first: dict[int, int] = {}
        self.count: dict[int, int] = {}

    def see(self, line: int, cells: list[Any]) -> bool:
        """Note a row's cells; True when one of them sits under a blank or missing header
        cell (a sheet does not store the empty cells of a merged header)."""
        found = False
        for i in sorted(self.blank | set(range(self.width, len(cells)))):
            if i < len(cells) and cells[i] is not None and str(cells[i]).strip():
                self.first.setdefault(i, line)
                self.count[i] = self.count.get(i, 0) + 1
                found = True
        return found

    def issues(self, where: str, col: Any) -> list[str]:
        return [
            f"{where}:{self.first[i]}:{col(i)}: header: {self.count[i]} row(s) have values in column "
            f"{col(i)}, whose header cell is blank (or merged): name the column in row 1 or delete it"
            for i in sorted(self.first)
        ]


def _read_csv(path: Path, text: str, raw: RawInput, limits: ReadLimits) -> None:
    section = _section_for(path)
    if section is None:
        raw.issues.append(
            f"{path}:1: file: CSV file name must say its section: sources.csv, entities.csv or relations.csv"
        )
        return
    delimiter = _csv_delimiter(text, section)
    # strict: a quote that is never closed, or text after a closing quote, is an error instead
    # of silently gluing the rest of the file into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [restore_text(h.strip()) for h in next(reader)]
    except (StopIteration, csv.Error) as err:
        raw.issues.append(f"{path}:1: header: cannot read the header ({err or 'no rows'})")
        return
    if not _check_header(path, section, header, raw, lambda i: i + 1):
        return
    blanks = _BlankHeaderColumns(header)
    columns = {h: str(i + 1) for i, h in enumerate(header) if h}
    first_record = len(raw.records)
    start = 1
    rows = 0
    try:
        for row in reader:
            line = start + 1
            start = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows > limits.rows:
                found = f"more than {limits.rows:,} rows"
                raw.issues.append(f"{path}: {_over(found, 'rows', f'{limits.rows:,}')}")
                del raw.records[first_record:]  # the file is refused as a whole
                return
            extra = [c for c in row[len(header) :] if c.strip()]
            if extra:
                raw.issues.append(
                    f"{path}:{line}:{len(header) + 1}: row: {len(row)} cells but the header has {len(header)} columns"
                )
                continue
            if blanks.see(line, row):
                continue
            data = {
                h: restore_text(row[i]) for i, h in enumerate(header) if h and i < len(row) and row[i] != ""
            }
            raw.records.append(RawRecord(section, data, str(path), line, {}, columns))
    except csv.Error as err:
        raw.issues.append(_csv_error(path, text, start + 1, delimiter, err))
    raw.issues.extend(blanks.issues(str(path), lambda i: i + 1))


def _csv_error(path: Path, text: str, line: int, delimiter: str, err: csv.Error) -> str:
    """A CSV quoting error, located at the row where it starts."""
    rest = text.splitlines()[line - 1 :]
    if "unexpected end of data" in str(err):
        # Lenient parsing of the rest shows which cell the unclosed quote opened.
        cells = next(csv.reader(io.StringIO("\n".join(rest), newline=""), delimiter=delimiter), [])
        return (
            f"{path}:{line}:{max(len(cells), 1)}: csv: a quote opened in this cell is never closed, "
            f"so the {len(rest)} line(s) to the end of the file would be one cell; "
            'close the quote, and write a quote inside a quoted cell as ""'
        )
    return (
        f"{path}:{line}: csv: {err} (a quoted cell must end right after its closing quote; "
        'write a quote inside a quoted cell as "")'
    )


# --- XLSX -----------------------------------------------------------------------------------


def _read_xlsx(path: Path, data: bytes, raw: RawInput, limits: ReadLimits) -> None:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Declared sizes bound what unpacking may produce: zipfile stops each member at its
            # declared size (and fails its CRC check if the data holds more).
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raw.issues.append(f"{path}:1: file: not a readable XLSX workbook ({type(err).__name__}: {err})")
        return
    if unpacked > limits.xlsx_mb * 1024 * 1024:
        found = f"workbook unpacks to {unpacked / 1048576:,.1f} MB"
        raw.issues.append(f"{path}: {_over(found, 'xlsx-mb', f'{limits.xlsx_mb:g} MB')}")
        return
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raw.issues.append(f"{path}:1: file: not a readable XLSX workbook ({type(err).__name__}: {err})")
        return
    try:
        names = workbook.sheetnames
        for section in SECTIONS:
            if section not in names:
                raw.issues.append(
                    f"{path}:1: {section}: sheet {section!r} is missing (sheets found: {', '.join(names) or 'none'})"
                )
        if "schema" in names:
            _read_schema_sheet(path, workbook["schema"], raw)
        for section in SECTIONS:
            if section in names:
                _read_sheet(path, section, workbook[section], raw, limits)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raw.issues.append(f"{path}:1: file: not a readable XLSX workbook ({type(err).__name__}: {err})")
    finally:
        workbook.close()


def _read_schema_sheet(path: Path, sheet: Any, raw: RawInput) -> None:
    """An optional ``schema`` sheet: the schema extension as JSON in cell A2."""
    sheet.reset_dimensions()
    cell = next(sheet.iter_rows(min_row=2, max_row=2, max_col=1, values_only=True), (None,))[0]
    if cell is None or not str(cell).strip():
        return
    try:
        raw.schemas.append((json.loads(str(cell)), f"{path}[schema]:2"))
    except json.JSONDecodeError as err:
        raw.issues.append(f"{path}[schema]:2:A: schema: not valid JSON ({err.msg})")


def _xlsx_value(value: Any) -> str:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return str(restore_text(value))
    return str(value)


def _read_sheet(path: Path, section: str, sheet: Any, raw: RawInput, limits: ReadLimits) -> None:
    # The stored dimension (<dimension ref="A1:C2"/>) may understate the sheet: read what is there.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        raw.issues.append(f"{path}:1: {section}: sheet {section!r} is empty (no header row)")
        return
    where = f"{path}[{section}]"
    if not _check_header(Path(where), section, header, raw, _column_letter):
        return
    blanks = _BlankHeaderColumns(header)
    columns = {h: _column_letter(i) for i, h in enumerate(header) if h}
    first_record = len(raw.records)
    for line, row in enumerate(rows, start=2):
        # Row numbers count, blank or not: a sheet may jump to row 1,000,000,000.
        if line > limits.rows + 1:
            found = f"sheet {section!r} has more than {limits.rows:,} rows"
            raw.issues.append(f"{path}: {_over(found, 'rows', f'{limits.rows:,}')}")
            del raw.records[first_record:]  # the sheet is refused as a whole
            return
        cells = list(row)
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        if blanks.see(line, cells):
            continue
        data = {
            h: _xlsx_value(cells[i])
            for i, h in enumerate(header)
            if h and i < len(cells) and cells[i] is not None and str(cells[i]) != ""
        }
        raw.records.append(RawRecord(section, data, where, line, {}, columns))
    raw.issues.extend(blanks.issues(where, _column_letter))
