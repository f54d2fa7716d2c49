"""Intake: the returned templates of a round, each validated on its own and every row of them
classified against the store (and the other returns) as a proposal for a curator to decide.

Kinds (docs/rounds.md):

* ``duplicate``: a new entity that is probably an existing one (candidate id and score);
* ``conflict``: a relation with the same source, type and target as one in the store or in an
  earlier return but another role, status or dates (or an entity or source whose fields differ
  from the store's): side A is the store's (or the earlier return's), side B the return's;
* ``confirmation``: what the store holds already (accepting it cites the contributor);
* ``new``: nothing like it exists;
* ``invalid``: a located problem (FILE:LINE: field: message); the file's rows are not applied.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.dataset import Dataset, Record, relation_key, relation_key_str
from mapper.errors import DataError
from mapper.rounds.ledger import check_round_name, current_dataset, ledger_for, return_source_id, update_round
from mapper.rounds.matching import EntityMatcher
from mapper.schema import DEFAULT_STATUS

if TYPE_CHECKING:  # types only
    from mapper.store_protocol import Store

KINDS = ("duplicate", "conflict", "confirmation", "new", "invalid")
#: What makes two claims about the same (source, type, target) agree.
CLAIM_FIELDS = ("role", "status", "since", "until")


@dataclass
class Proposal:
    """One row of a return, classified; ``decision`` is the curator's (empty: undecided)."""

    ref: str  # stable: "FILE#section:row"
    kind: str
    file: str
    row: int
    section: str
    contributor: str | None
    subject: str  # entity or source id, or relation key source|TYPE|target|role
    record: Record | None = None
    candidate: str | None = None
    score: float | None = None
    other: Record | None = None
    other_from: str | None = None  # "store" or the ref of an earlier return's proposal
    detail: str = ""
    decision: str = ""
    received: str = ""

    def fingerprint(self) -> str:
        """What was submitted, in short: the ledger tells a row taken in again from a changed one."""
        import hashlib
        import json

        text = json.dumps([self.record, self.detail if self.kind == "invalid" else ""], sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"proposal": self.ref, "kind": self.kind, "file": self.file, "row": self.row}
        out["section"] = self.section
        out["contributor"] = self.contributor
        out["relation" if self.section == "relations" else "id"] = self.subject
        out.update(candidate=self.candidate, score=self.score, decision=self.decision, detail=self.detail)
        out.update(record=self.record, other=self.other, other_from=self.other_from, received=self.received)
        return out

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Proposal:
        subject = doc.get("relation") if doc.get("section") == "relations" else doc.get("id")
        return cls(
            ref=str(doc["proposal"]),
            kind=str(doc["kind"]),
            file=str(doc["file"]),
            row=int(doc.get("row") or 0),
            section=str(doc.get("section") or ""),
            contributor=doc.get("contributor"),
            subject=str(subject or ""),
            record=doc.get("record"),
            candidate=doc.get("candidate"),
            score=doc.get("score"),
            other=doc.get("other"),
            other_from=doc.get("other_from"),
            detail=str(doc.get("detail") or ""),
            decision=str(doc.get("decision") or ""),
            received=str(doc.get("received") or ""),
        )


@dataclass
class IntakeResult:
    """The files taken in and one proposal per submitted row (or located problem)."""

    round: str
    files: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    store: str = ""

    columns: list[str] = field(
        default_factory=lambda: [
            "proposal",
            "kind",
            "contributor",
            "subject",
            "candidate",
            "score",
            "detail",
        ]
    )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "proposal": p.ref,
                "kind": p.kind,
                "contributor": p.contributor or "",
                "subject": p.subject,
                "candidate": p.candidate or "",
                "score": "" if p.score is None else f"{p.score:g}",
                "detail": p.detail,
            }
            for p in self.proposals
        ]

    def counts(self) -> dict[str, int]:
        return {k: sum(1 for p in self.proposals if p.kind == k) for k in KINDS}

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "store": self.store,
            "files": self.files,
            "counts": self.counts(),
            "proposals": [p.to_json() for p in self.proposals],
        }


def _received(path: Path) -> str:
    """The date a return was received: when its file was last written (UTC)."""
    return datetime.fromtimestamp(os.stat(path).st_mtime, timezone.utc).date().isoformat()


def _claim(rel: Record) -> tuple[str, ...]:
    return tuple(str(rel.get(f) or (DEFAULT_STATUS if f == "status" else "")) for f in CLAIM_FIELDS)


def _differences(ours: Record, theirs: Record, fields: Iterable[str]) -> list[str]:
    return [
        f"{f}: {theirs.get(f, '')!s} -> {ours.get(f, '')!s}" for f in fields if ours.get(f) != theirs.get(f)
    ]


class _Classifier:
    """Classifies the rows of returns one file after another (earlier files are side A)."""

    def __init__(self, base: Dataset, round_name: str):
        self.base = base
        self.round = round_name
        self.matcher: EntityMatcher | None = None
        self.triples: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
        for rel in base.relations.values():
            self.triples[(rel["source"], rel["type"], rel["target"])].append(rel)
        self.returned: dict[tuple[str, str, str], Proposal] = {}

    def match(self, entity: Record) -> Any:
        if self.matcher is None:  # built once, only when some return brings a new entity
            self.matcher = EntityMatcher(self.base.entities, self.base.schema.entity_types)
        category = self.base.schema.category(entity["type"]) or ""
        return self.matcher.best(entity, category)

    def source(self, p: Proposal, rec: Record) -> None:
        old = self.base.sources.get(rec["id"])
        if old is None:
            p.kind = "new"
        elif old == rec:
            # A source cannot be cited by its contributor: nothing to decide, accepting is a no-op.
            p.kind, p.detail, p.decision = "confirmation", "the store holds this source as it is", "accept"
        else:
            p.kind, p.other, p.other_from = "conflict", old, "store"
            p.detail = "; ".join(_differences(rec, old, ("kind", "title", "date", "url", "locator")))

    def entity(self, p: Proposal, rec: Record, renames: dict[str, str]) -> None:
        old = self.base.entities.get(rec["id"])
        if old is not None:
            fields = [f for f in {*old, *rec} if f != "sources" and old.get(f) != rec.get(f)]
            if set(rec.get("aliases") or []) <= set(old.get("aliases") or []):
                # Fewer aliases is no correction: a merge of an earlier round may have added some.
                fields = [f for f in fields if f != "aliases"]
            if not fields:
                p.kind, p.detail = "confirmation", "the store holds this entity as it is"
            else:
                p.kind, p.other, p.other_from = "conflict", old, "store"
                p.detail = "; ".join(_differences(rec, old, sorted(fields)))
            return
        found = self.match(rec)
        if found is None:
            p.kind = "new"
            return
        p.kind, p.candidate, p.score = "duplicate", found.candidate, found.score
        name = self.base.entities[found.candidate].get("name", found.candidate)
        p.detail = f"probably {found.candidate} ({name}): same {found.reason}"
        renames[rec["id"]] = found.candidate

    def relation(self, p: Proposal, rec: Record, renames: dict[str, str], refs: dict[str, str]) -> None:
        src = str(renames.get(rec["source"], rec["source"]))
        tgt = str(renames.get(rec["target"], rec["target"]))
        seen = {**rec, "source": src, "target": tgt}
        via = [f"{e} as {renames[e]} ({refs[e]})" for e in (rec["source"], rec["target"]) if e in renames]
        note = f" [reading {', '.join(via)}]" if via else ""
        triple = (src, rec["type"], tgt)
        same = self.base.relations.get(relation_key(seen))
        if same is not None and _claim(same) == _claim(seen):
            p.kind, p.detail = "confirmation", "the store holds this relation" + note
        elif same is not None or self.triples.get(triple):
            theirs = same if same is not None else self.triples[triple][0]
            p.kind, p.other, p.other_from = "conflict", theirs, "store"
            p.detail = "; ".join(_differences(seen, theirs, CLAIM_FIELDS)) + note
        elif triple in self.returned and _claim(self.returned[triple].record or {}) != _claim(rec):
            earlier = self.returned[triple]
            p.kind, p.other, p.other_from = "conflict", earlier.record, earlier.ref
            p.detail = (
                "; ".join(_differences(rec, earlier.record or {}, CLAIM_FIELDS))
                + f" (vs {earlier.ref}){note}"
            )
        else:
            p.kind, p.detail = "new", note.strip()
        self.returned.setdefault(triple, p)


def intake(store: Store, paths: Sequence[Path], round_name: str, *, record: bool = True) -> IntakeResult:
    """Validate each returned file on its own against ``store`` and classify every row.

    A file that fails validation (or says it is for another round) becomes ``invalid``
    proposals, one per located problem; the other files go on. With ``record`` the round
    ledger notes each return (contributor, date received, rows) and the proposals as open.
    """
    from mapper.bulk import gc_paused

    check_round_name(round_name)
    base = current_dataset(store)
    classifier = _Classifier(base, round_name)
    result = IntakeResult(round_name, store=store.describe())
    with gc_paused():
        for path in map(Path, paths):
            summary, proposals = _take_file(path, round_name, base, classifier)
            result.files.append(summary)
            result.proposals += proposals
    if record:
        update_round(ledger_for(store), round_name, lambda doc: _note_returns(doc, result))
    return result


def _take_file(
    path: Path, round_name: str, base: Dataset, classifier: _Classifier
) -> tuple[dict[str, Any], list[Proposal]]:
    from mapper.readers import read_raw
    from mapper.rounds.templates import return_identity
    from mapper.validation import validate

    raw = read_raw([path])
    rows = len(raw.records)  # as submitted (before the return is added as a source)
    said_round, contributor = return_identity(path) if not raw.issues else (None, None)
    received = _received(path) if path.exists() else ""
    summary: dict[str, Any] = {"file": str(path), "contributor": contributor, "received": received}
    issues = list(raw.issues) or _identity_issues(path, round_name, said_round, contributor, base)
    dataset = None
    if not issues:
        _cite_return_where_unsourced(raw, path, round_name, str(contributor))
        try:
            dataset = validate(raw, existing=base)
        except DataError as err:
            issues = err.issues
    if issues or dataset is None:
        summary.update(valid=False, rows=rows, issues=issues)
        return summary, [_invalid(path, n, issue, contributor, received) for n, issue in enumerate(issues, 1)]
    summary.update(valid=True, rows=rows, issues=[])
    return summary, _classify(path, raw, dataset, classifier, contributor, received)


def _cite_return_where_unsourced(raw: Any, path: Path, round_name: str, contributor: str) -> None:
    """A relation a contributor adds without a source cites its return (the source that apply
    gives every claim it takes from the return); the return's sources are read as if listed."""
    from mapper.readers import RawRecord

    needed = set()
    for record in raw.records:
        if record.section == "relations" and not record.data.get("sources"):
            own = contributor in (
                str(record.data.get("source", "")).strip(),
                str(record.data.get("target", "")).strip(),
            )
            record.data["sources"] = [return_source_id(round_name, contributor, own)]
            needed.add(record.data["sources"][0])
    for ident in sorted(needed):
        data = {"id": ident, "kind": "self_report", "title": f"return of {contributor} in round {round_name}"}
        raw.records.append(RawRecord("sources", data, str(path), 1))


def _identity_issues(
    path: Path, round_name: str, said_round: str | None, contributor: str | None, base: Dataset
) -> list[str]:
    """Why a readable return cannot be taken in as one of this round's: another round, or no
    (known) contributor."""
    from mapper.errors import did_you_mean

    if said_round and said_round != round_name:
        return [f"{path}:1: round: this return is for round {said_round!r}, not {round_name!r}"]
    if contributor is None:
        return [
            f"{path}:1: contributor: the file does not say whose return it is (use the round's template, "
            f"or name it {round_name}--ID{path.suffix})"
        ]
    if contributor not in base.entities:
        hint = did_you_mean(contributor, base.entities)
        return [f"{path}:1: contributor: no entity with id {contributor!r}{hint}"]
    return []


def _invalid(path: Path, number: int, issue: str, contributor: str | None, received: str) -> Proposal:
    from mapper.validation import issue_position

    where, line = issue_position(issue)
    return Proposal(
        ref=f"{path.name}#invalid:{number}",
        kind="invalid",
        file=where if where != "\uffff" else str(path),
        row=line,
        section="",
        contributor=contributor,
        subject="",
        detail=issue,
        received=received,
    )


def _classify(
    path: Path, raw: Any, dataset: Dataset, classifier: _Classifier, contributor: str | None, received: str
) -> list[Proposal]:
    lines = _lines(raw)
    renames: dict[str, str] = {}
    refs: dict[str, str] = {}
    out: list[Proposal] = []

    def proposal(section: str, subject: str, rec: Record) -> Proposal:
        where, row = lines.get((section, subject), (str(path), 0))
        p = Proposal(f"{path.name}#{section}:{row}", "", where, row, section, contributor, subject, rec)
        p.received = received
        out.append(p)
        return p

    for ident, rec in dataset.sources.items():
        if not ident.startswith(return_source_id(classifier.round, "")):  # the return itself
            classifier.source(proposal("sources", ident, rec), rec)
    for ident, rec in dataset.entities.items():
        p = proposal("entities", ident, rec)
        classifier.entity(p, rec, renames)
        refs[ident] = p.ref
    for rec in dataset.relations.values():
        classifier.relation(proposal("relations", relation_key_str(rec), rec), rec, renames, refs)
    return sorted(out, key=lambda p: (p.file, p.row))


def _lines(raw: Any) -> dict[tuple[str, str], tuple[str, int]]:
    """(section, id or relation key) -> (file, line) of the raw record it came from."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for record in raw.records:
        data = {k: str(v).strip() for k, v in record.data.items() if isinstance(v, (str, int, float))}
        if record.section == "relations":
            subject = "|".join(data.get(k, "") for k in ("source", "type", "target", "role"))
        else:
            subject = data.get("id", "")
        out.setdefault((record.section, subject), (record.file, int(record.where().rsplit(":", 1)[-1])))
    return out


def _note_returns(doc: dict[str, Any], result: IntakeResult) -> None:
    """Record the returns and their proposals (open) in the round's ledger entry."""
    for summary in result.files:
        doc["returns"][Path(summary["file"]).name] = {
            "contributor": summary["contributor"],
            "received": summary["received"],
            "rows": summary["rows"],
            "valid": summary["valid"],
        }
    for p in result.proposals:
        old = doc["proposals"].get(p.ref, {})
        # The same row (same record) taken in again keeps its outcome: applying it made the
        # store agree (now a confirmation) or left it as it was decided; a changed row is open.
        same = old.get("subject") == p.subject and old.get("record") == p.fingerprint()
        keep = same and (old.get("kind") == p.kind or old.get("status") in ("applied", "rejected"))
        doc["proposals"][p.ref] = {
            "kind": old.get("kind", p.kind) if keep else p.kind,
            "contributor": p.contributor,
            "subject": p.subject,
            "record": p.fingerprint(),
            "status": old.get("status", "open") if keep else "open",
        }
