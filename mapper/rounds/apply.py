"""Apply a curator's decisions (``intake --apply REVIEW``) in one atomic write.

Every accepted claim cites its return: a source of kind ``self_report`` with id
``round.ROUND.CONTRIBUTOR``, titled "Confirmed by its contributor in round ROUND: NAME" (for what
the contributor says of itself; ``round.ROUND.CONTRIBUTOR.about-others``, "Reported by NAME in
round ROUND", for what it says of others), dated the day the return was received, its locator
naming the file. ``merge into ID`` adds the
submitted name (and aliases) to ID's aliases, and the return's relations that name the submitted
id are read as ID. A relation whose end or source was not applied is not applied either (it says
why). Undecided rows are listed, never applied. The result depends only on the review and the
store, so applying the same review twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.dataset import Dataset, Record, relation_key
from mapper.errors import UsageError
from mapper.rounds.intake import Proposal
from mapper.rounds.ledger import (
    SOURCE_PREFIX,
    RoundDoc,
    check_round_name,
    current_dataset,
    ledger_for,
    on_neo4j,
    return_source_id,
    round_doc,
    update_round,
)

if TYPE_CHECKING:  # types only: the Neo4j store loads when a command connects to one
    from mapper.neo4j import Neo4jStore
    from mapper.store_protocol import Store

OUTCOMES = ("applied", "rejected", "undecided")


def round_of_source(source: Record) -> str | None:
    """The round a source is a contributor's return of, for cards ("confirmed by its
    contributor in round NAME"); None for any other source."""
    ident = str(source.get("id", ""))
    if source.get("kind") != "self_report" or not ident.startswith(SOURCE_PREFIX):
        return None
    return ident[len(SOURCE_PREFIX) :].split(".", 1)[0]


def return_of(p: Proposal) -> str:
    """The name of the return (file or CSV folder) a proposal came from."""
    return p.ref.split("#", 1)[0]


def _decision(text: str) -> tuple[str, str]:
    """(verb, argument) of a decision cell: accept, reject, keep a, keep b, merge (into ID)."""
    words = " ".join(text.strip().split()).lower()
    if words.startswith("merge into "):
        return "merge", words.removeprefix("merge into ").strip()
    if words in ("accept", "reject", "keep a", "keep b"):
        return words, ""
    return ("", "") if not words else ("unknown", words)


@dataclass
class ApplyResult:
    """What became of each proposal of a review."""

    round: str
    review: str
    outcomes: list[dict[str, str]] = field(default_factory=list)
    changed: bool = False
    store: str = ""

    columns: list[str] = field(
        default_factory=lambda: ["proposal", "kind", "subject", "decision", "outcome", "detail"]
    )

    def rows(self) -> list[dict[str, str]]:
        return self.outcomes

    def counts(self) -> dict[str, int]:
        return {o: sum(1 for row in self.outcomes if row["outcome"] == o) for o in OUTCOMES}

    def undecided(self) -> list[str]:
        return [row["proposal"] for row in self.outcomes if row["outcome"] == "undecided"]

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "review": self.review,
            "store": self.store,
            "changed": self.changed,
            "counts": self.counts(),
            "proposals": self.outcomes,
        }


class _Plan:
    """The review's decisions as a function from the store's dataset to the new one."""

    def __init__(self, round_name: str, proposals: list[Proposal], names: dict[str, str]):
        self.round = round_name
        self.proposals = proposals
        self.names = names  # contributor id -> name, for the return sources' titles
        self.outcome: dict[str, tuple[str, str]] = {}
        self.removed: set[tuple[str, str, str, str]] = set()

    def run(self, base: Dataset) -> Dataset:
        self.outcome, self.removed = {}, set()
        ds = Dataset(dict(base.sources), dict(base.entities), dict(base.relations), base.schema)
        superseded = {
            p.other_from: p.ref
            for p in self.proposals
            if p.kind == "conflict"
            and p.other_from not in (None, "store")
            and _decision(p.decision)[0] == "keep b"
        }
        renames: dict[tuple[str, str], str] = {}
        for section in ("sources", "entities", "relations"):
            for p in (
                p for p in self.proposals if p.section == section or (section == "sources" and not p.section)
            ):
                self._one(ds, p, renames, superseded)
        return ds

    def _returned(self, source_id: str) -> bool:
        """Whether ``source_id`` is a return of this round (:meth:`_cite` adds it)."""
        return source_id.startswith(f"{SOURCE_PREFIX}{self.round}.")

    def _set(self, p: Proposal, outcome: str, why: str = "") -> None:
        self.outcome[p.ref] = (outcome, why)

    def _cite(self, ds: Dataset, p: Proposal, record: Record) -> Record:
        """``record`` citing ``p``'s return (its source is added to the dataset once). What a
        contributor says of itself is "confirmed by its contributor"; what it says of others
        (an entity it names, a relation between two others) is "reported by" it."""
        contributor = p.contributor or "unknown"
        own = contributor in (record.get("id"), record.get("source"), record.get("target"))
        sid = return_source_id(self.round, contributor, own)
        if sid not in ds.sources:
            name = self.names.get(contributor, contributor)
            said = "Confirmed by its contributor" if own else f"Reported by {name}"
            ds.sources[sid] = {
                "id": sid,
                "kind": "self_report",
                "title": f"{said} in round {self.round}" + (f": {name}" if own else ""),
                **({"date": p.received} if p.received else {}),
                "locator": f"return {return_of(p)} from {contributor}",
            }
        # A relation submitted without a source was read as citing the return (intake): keep
        # only the variant that fits it now (a merge may have made it the contributor's own).
        other = return_source_id(self.round, contributor, not own)
        sources = [s for s in record.get("sources") or [] if s != other]
        return {**record, "sources": sources if sid in sources else [*sources, sid]}

    def _one(
        self,
        ds: Dataset,
        p: Proposal,
        renames: dict[tuple[str, str], str],
        superseded: dict[Any, str],
    ) -> None:
        verb, arg = _decision(p.decision)
        if p.kind == "invalid":
            return self._set(p, "rejected", "invalid: " + p.detail)
        if p.ref in superseded:
            return self._set(p, "rejected", f"superseded: {superseded[p.ref]} keeps its side (keep B)")
        if verb == "":
            return self._set(p, "undecided", "no decision")
        if verb == "unknown":
            return self._set(
                p, "undecided", f"unknown decision {arg!r} (accept, merge into ID, reject, keep A, keep B)"
            )
        if verb in ("reject", "keep a"):
            kept = "the store's" if p.other_from == "store" else f"{p.other_from}'s"
            return self._set(p, "rejected", f"kept {kept} side (keep A)" if verb == "keep a" else "rejected")
        if p.record is None:
            return self._set(p, "rejected", "nothing submitted")
        if p.section == "sources":
            ds.sources[p.subject] = p.record
            return self._set(p, "applied")
        if p.section == "entities":
            return self._entity(ds, p, verb, arg, renames)
        return self._relation(ds, p, verb, renames)

    def _entity(
        self, ds: Dataset, p: Proposal, verb: str, arg: str, renames: dict[tuple[str, str], str]
    ) -> None:
        record = dict(p.record or {})
        if verb == "merge":
            target = ds.entities.get(arg)
            if target is None:
                return self._set(p, "undecided", f"merge into {arg}: no entity with this id")
            known = {str(n).casefold() for n in [target.get("name"), *(target.get("aliases") or [])]}
            extra = [
                n
                for n in [record.get("name"), *(record.get("aliases") or [])]
                if n and str(n).casefold() not in known
            ]
            merged = {**target, "aliases": [*(target.get("aliases") or []), *dict.fromkeys(extra)]}
            ds.entities[arg] = self._canonical(self._cite(ds, p, merged))
            renames[(return_of(p), p.subject)] = arg
            return self._set(p, "applied", f"merged into {arg}")
        old = ds.entities.get(p.subject)
        if old is not None:
            sources = list(dict.fromkeys([*(old.get("sources") or []), *(record.get("sources") or [])]))
            record = {**(old if p.kind == "confirmation" else record), "sources": sources}
        missing = [s for s in record.get("sources") or [] if s not in ds.sources and not self._returned(s)]
        if missing:
            return self._set(p, "rejected", f"cites source {missing[0]}, which was not applied")
        ds.entities[p.subject] = self._canonical(self._cite(ds, p, record))
        return self._set(p, "applied")

    def _relation(self, ds: Dataset, p: Proposal, verb: str, renames: dict[tuple[str, str], str]) -> None:
        record = dict(p.record or {})
        for end in ("source", "target"):  # ends the same return merged into existing entities
            record[end] = renames.get((return_of(p), record[end]), record[end])
        for end in ("source", "target"):
            if record[end] not in ds.entities:
                return self._set(p, "rejected", f"its {end} {record[end]} was not applied")
        missing = [s for s in record.get("sources") or [] if s not in ds.sources and not self._returned(s)]
        if missing:
            return self._set(p, "rejected", f"cites source {missing[0]}, which was not applied")
        key = relation_key(record)
        if p.kind == "conflict" and p.other_from == "store" and p.other and verb in ("keep b", "accept"):
            old_key = relation_key({**p.other, "source": record["source"], "target": record["target"]})
            if old_key != key and old_key in ds.relations:
                del ds.relations[old_key]
                self.removed.add(old_key)
        old = ds.relations.get(key)
        if old is not None:
            sources = list(dict.fromkeys([*(old.get("sources") or []), *(record.get("sources") or [])]))
            record = {**(old if p.kind == "confirmation" else record), "sources": sources}
        ds.relations[key] = self._canonical(self._cite(ds, p, record), "relations")
        return self._set(p, "applied")

    @staticmethod
    def _canonical(record: Record, section: str = "entities") -> Record:
        from mapper.dataset import canonical

        return canonical(section, record)


def apply_review(store: Store, review: Path) -> ApplyResult:
    """Apply the decisions of ``review`` (a workbook or JSON from ``intake``) to ``store`` in
    one write; record the outcomes in the round ledger."""
    from mapper.rounds.review import read_review

    round_name, proposals = read_review(Path(review))
    check_round_name(round_name)
    ledger = ledger_for(store)
    round_doc(ledger, round_name, must_exist=True)  # a review of a round this store never had is refused
    names = _contributor_names(store, proposals)
    plan = _Plan(round_name, proposals, names)

    def change(before: Dataset) -> Dataset:
        after = plan.run(before)
        if after != before:
            ledger.keep_baseline(round_name, before)  # the store before the round's first apply
        return after

    if on_neo4j(store):
        before = store.read_dataset()
        after = change(before)
        _write_neo4j(store, before, after, plan.removed)
    else:
        if store.from_seed or store.path is None:
            raise UsageError(
                f"no store at {store.path}: run `igfmap --store {store.path} init` first, then apply"
            )
        before, after = _update_file(store.path, change)
    result = ApplyResult(round_name, str(review), changed=after != before, store=store.describe())
    by_ref = {p.ref: p for p in proposals}
    for ref, (outcome, why) in plan.outcome.items():
        p = by_ref[ref]
        row = {"proposal": ref, "kind": p.kind, "subject": p.subject, "decision": p.decision}
        result.outcomes.append({**row, "outcome": outcome, "detail": why})
    update_round(ledger, round_name, lambda doc: _note_outcomes(doc, result, by_ref, Path(review).name))
    return result


def _note_outcomes(doc: RoundDoc, result: ApplyResult, by_ref: dict[str, Proposal], review: str) -> None:
    """The outcome of each proposal, and the apply itself, in the round's ledger entry."""
    for row in result.outcomes:
        p = by_ref[row["proposal"]]
        entry = {
            "kind": p.kind,
            "contributor": p.contributor,
            "subject": p.subject,
            "record": p.fingerprint(),
        }
        doc["proposals"][p.ref] = {**entry, "status": row["outcome"]}
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    doc["applied"].append({"review": review, "at": stamp, **result.counts(), "changed": result.changed})


def _update_file(path: Path, change: Any) -> tuple[Dataset, Dataset]:
    from mapper.store import update_store

    return update_store(path, change)


def _contributor_names(store: Store, proposals: list[Proposal]) -> dict[str, str]:
    entities = current_dataset(store).entities
    wanted = {p.contributor for p in proposals if p.contributor}
    return {c: str(entities[c].get("name", c)) for c in wanted if c in entities}


def _write_neo4j(
    store: Neo4jStore, before: Dataset, after: Dataset, removed: set[tuple[str, str, str, str]]
) -> None:
    """What changed, written as a load is (upserts); removed relations deleted first."""
    if after == before:
        return
    from mapper.dataset import relation_key_str

    for key in sorted(removed):
        store.run(
            "MATCH (:Entity {id: $source})-[r]->(:Entity {id: $target}) WHERE r.key = $key DELETE r",
            {
                "source": key[0],
                "target": key[2],
                "key": relation_key_str({"source": key[0], "type": key[1], "target": key[2], "role": key[3]}),
            },
            write=True,
        )
    delta = Dataset(
        {k: v for k, v in after.sources.items() if before.sources.get(k) != v},
        {k: v for k, v in after.entities.items() if before.entities.get(k) != v},
        {k: v for k, v in after.relations.items() if before.relations.get(k) != v},
        after.schema,
    )
    store.write_dataset(delta, completes_push=False)
