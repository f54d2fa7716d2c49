"""Pre-filled templates for a mapping round: one per contributor, holding what the mapping
records of it (its entity, its engagements and memberships, with their sources), to confirm,
correct or extend, and saying whose it is and for which round.

A workbook ``OUT/ROUND--ID.xlsx`` has an ``instructions`` sheet, a ``round`` sheet (round,
contributor, date sent) and the three data sheets with drop-down lists; a CSV folder
``OUT/ROUND--ID/`` has the three CSV files, ``README.txt`` and ``ROUND.txt``. Readers ignore
the extra sheets and text files, so a return loads like any dataset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.dataset import Dataset, Record, RelationKey
from mapper.errors import NotFoundError, UsageError, did_you_mean
from mapper.rounds.ledger import check_round_name, current_dataset, ledger_for, update_round
from mapper.schema import FIELDS

if TYPE_CHECKING:  # types only
    from mapper.store_protocol import Store

#: Relations *into* a contributor that are still about it: who is its member, what is part of it.
INCOMING = frozenset({"MEMBER_OF", "PART_OF"})
ROUND_SHEET = "round"
ROUND_FILE = "ROUND.txt"
_STEM = re.compile(r"^(?P<round>[a-z0-9][a-z0-9._-]*?)--(?P<contributor>[a-z0-9][a-z0-9._-]*)$")


def template_stem(round_name: str, contributor: str) -> str:
    """``ROUND--ID``: the file (or folder) name of a contributor's template, without suffix."""
    return f"{round_name}--{contributor}"


def contributors(dataset: Dataset, ids: Iterable[str] = (), types: Iterable[str] = ()) -> list[str]:
    """The contributor ids named by ``ids`` and by entity ``types``; an unknown one is refused."""
    chosen: list[str] = []
    for ident in ids:
        if ident not in dataset.entities:
            raise NotFoundError(
                f"--for {ident}: no entity with this id{did_you_mean(ident, dataset.entities)}"
            )
        chosen.append(ident)
    known_types = dataset.schema.entity_types
    for kind in types:
        if kind not in known_types:
            raise UsageError(f"--for-type {kind}: no such entity type{did_you_mean(kind, known_types)}")
        chosen += sorted(i for i, e in dataset.entities.items() if e["type"] == kind)
    if not chosen:
        raise UsageError("name the contributors: --for ID (repeatable) or --for-type TYPE")
    return list(dict.fromkeys(chosen))


def contributor_dataset(dataset: Dataset, contributor: str) -> Dataset:
    """What the mapping records of ``contributor``: its entity, the relations from it (and the
    memberships and parts into it), and the sources these cite."""
    return dict(contributor_datasets(dataset, [contributor]))[contributor]


def contributor_datasets(dataset: Dataset, contributors: Iterable[str]) -> Iterator[tuple[str, Dataset]]:
    """:func:`contributor_dataset` of each of ``contributors``, in their order, from one pass over
    the relations (a pass per contributor costs minutes at 300,000 relations)."""
    chosen = list(dict.fromkeys(contributors))
    relations: dict[str, dict[RelationKey, Record]] = {c: {} for c in chosen}
    for key, rel in dataset.relations.items():
        if rel["source"] in relations:
            relations[rel["source"]][key] = rel
        if rel["target"] in relations and rel["type"] in INCOMING:
            relations[rel["target"]][key] = rel
    for contributor in chosen:
        entity = dataset.entities[contributor]
        cited = set(entity.get("sources") or [])
        for rel in relations[contributor].values():
            cited.update(rel.get("sources") or [])
        sources = {i: dataset.sources[i] for i in sorted(cited) if i in dataset.sources}
        yield contributor, Dataset(sources, {contributor: entity}, relations[contributor], dataset.schema)


def instructions(round_name: str, contributor: str, name: str, sent: str, ends: dict[str, str]) -> list[str]:
    """What a contributor reads first: what the file holds and how to answer."""
    lines = [
        f"Mapping round {round_name}: what the IGF ecosystem map records of {name} ({contributor})",
        f"Sent {sent}. Please confirm, correct or extend it, and return this file.",
        "",
        "* entities: your own entry. Correct the name, add aliases (separate with |), fill gaps.",
        "* relations: what you engage in, are a member of, contribute to. Keep a row to confirm it;",
        "  change role, status (active, planned, proposed, requested, concluded), since or until to",
        "  correct it; add rows for what is missing; set status concluded and until when it ended.",
        "* sources: where each claim comes from. A row you add may cite one of these, or a source",
        "  row you add (give it an id), or none: your return itself is then its source.",
        "* Keep the ids in the first columns as they are: they are how rows are matched.",
        "* Keep the round sheet (ROUND.txt in a folder): it says which round and contributor this is.",
        "Dates are YYYY-MM-DD. Lists separate items with |.",
    ]
    if ends:
        lines += ["", "The other ends of your relations:"]
        lines += [f"  {ident}: {label}" for ident, label in sorted(ends.items())]
    return lines


@dataclass
class TemplatesResult:
    """The templates written for a round: one row per contributor."""

    round: str
    written: list[dict[str, Any]] = field(default_factory=list)
    ledger: str = ""

    columns: list[str] = field(
        default_factory=lambda: ["contributor", "file", "entities", "relations", "sources"]
    )

    def rows(self) -> list[dict[str, Any]]:
        return self.written

    def to_json(self) -> dict[str, Any]:
        return {"round": self.round, "ledger": self.ledger, "templates": self.written}


def write_round_templates(
    store: Store,
    out: Path,
    round_name: str,
    ids: Sequence[str] = (),
    types: Sequence[str] = (),
    fmt: str = "xlsx",
    *,
    force: bool = False,
    protected: tuple[Path, ...] = (),
    today: str | None = None,
) -> TemplatesResult:
    """Write a pre-filled template per contributor into the folder ``out`` and record in the
    round ledger who was sent what and when.

    Every target is checked before any is written: a template that was filled in (changed
    since igfmap wrote it) is never replaced without ``force``.

    >>> import tempfile
    >>> from mapper.store import EmbeddedStore, seed_dataset
    >>> folder = Path(tempfile.mkdtemp())
    >>> store = EmbeddedStore(seed_dataset(), folder / "s.json")
    >>> done = write_round_templates(store, folder / "sent", "gdc-2025", ids=["kenya-igf"])
    >>> [Path(row["file"]).name for row in done.written], Path(done.ledger).relative_to(folder).as_posix()
    (['gdc-2025--kenya-igf.xlsx'], 's.rounds/ledger.json')
    """
    from mapper.outputs import check_output

    check_round_name(round_name)
    if Path(out).suffix.lower() in (".xlsx", ".csv"):
        raise UsageError(
            f"{out}: with --for, OUT is a folder that gets one template per contributor "
            f"(e.g. {Path(out).with_suffix('')}/)"
        )
    if fmt not in ("csv", "xlsx"):
        raise UsageError(f"--format {fmt}: a round template is xlsx or csv")
    dataset = current_dataset(store)
    chosen = contributors(dataset, ids, types)
    sent = today or date.today().isoformat()
    targets = {}
    for contributor in chosen:
        stem = template_stem(round_name, contributor)
        target = out / (f"{stem}.xlsx" if fmt == "xlsx" else stem)
        kind = f"template-{fmt}"
        check_output(target, kind, force, directory=fmt == "csv", protected=protected, option="OUT")
        targets[contributor] = target
    ledger = ledger_for(store)
    result = TemplatesResult(round_name, ledger=ledger.describe())
    sent_to: dict[str, Any] = {}
    parts = contributor_datasets(dataset, targets)
    for (contributor, target), (_, part) in zip(targets.items(), parts, strict=True):
        _write_one(part, dataset, target, fmt, round_name, contributor, sent, force, protected)
        counts = part.counts()
        result.written.append({"contributor": contributor, "file": str(target), **_ordered(counts)})
        sent_to[contributor] = {
            "file": target.name,
            "date": sent,
            "format": fmt,
            "rows": sum(counts.values()),
        }
    update_round(ledger, round_name, lambda doc: doc["sent"].update(sent_to))
    return result


def _ordered(counts: dict[str, int]) -> dict[str, int]:
    return {k: counts[k] for k in ("entities", "relations", "sources")}


def _write_one(
    part: Dataset,
    whole: Dataset,
    target: Path,
    fmt: str,
    round_name: str,
    contributor: str,
    sent: str,
    force: bool,
    protected: tuple[Path, ...],
) -> None:
    from mapper.cells import csv_text as cells_csv_text
    from mapper.outputs import atomic_write_bytes, atomic_write_text, output_path
    from mapper.writers import SECTIONS, csv_text, workbook_bytes

    ends = {
        end: str(whole.entities[end].get("name", end))
        for rel in part.relations.values()
        for end in (rel["source"], rel["target"])
        if end != contributor and end in whole.entities
    }
    name = str(whole.entities[contributor].get("name", contributor))
    text = instructions(round_name, contributor, name, sent, ends)
    identity = [["round", "contributor", "sent"], [round_name, contributor, sent]]
    if fmt == "xlsx":
        with output_path(target, "template-xlsx", force, protected=protected, option="OUT") as path:
            front = [("instructions", [[line] for line in text]), (ROUND_SHEET, identity)]
            atomic_write_bytes(
                path, workbook_bytes(part, part.schema, False, dropdowns=True, front_sheets=front)
            )
        return
    with output_path(
        target, "template-csv", force, directory=True, protected=protected, option="OUT"
    ) as stage:
        for section in SECTIONS:
            body = csv_text(part, section) if part.counts()[section] else cells_csv_text(FIELDS[section], [])
            atomic_write_text(stage / f"{section}.csv", body)
        atomic_write_text(stage / "README.txt", "\n".join(text) + "\n")
        atomic_write_text(stage / ROUND_FILE, "".join(f"{k}: {v}\n" for k, v in zip(*identity, strict=True)))


def return_identity(path: Path) -> tuple[str | None, str | None]:
    """(round, contributor) a returned file says it belongs to: its ``round`` sheet, its
    folder's ``ROUND.txt``, else its name ``ROUND--ID``; (None, None) when it does not say."""
    path = Path(path)
    if path.is_dir() and (path / ROUND_FILE).is_file():
        fields = dict(
            line.split(":", 1)
            for line in (path / ROUND_FILE).read_text(encoding="utf-8").splitlines()
            if ":" in line
        )
        return fields.get("round", "").strip() or None, fields.get("contributor", "").strip() or None
    if path.suffix.lower() == ".xlsx" and path.is_file():
        found = _sheet_identity(path)
        if found != (None, None):
            return found
    match = _STEM.match(path.stem if path.is_file() else path.name)
    return (match["round"], match["contributor"]) if match else (None, None)


def _sheet_identity(path: Path) -> tuple[str | None, str | None]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        return None, None  # the reader reports the unreadable workbook itself
    try:
        if ROUND_SHEET not in workbook.sheetnames:
            return None, None
        rows = list(workbook[ROUND_SHEET].iter_rows(min_row=2, max_row=2, max_col=2, values_only=True))
    finally:
        workbook.close()
    if not rows:
        return None, None
    round_name, contributor = (str(v).strip() if v is not None else None for v in rows[0])
    return round_name or None, contributor or None
