"""``round status NAME``: who was sent a template, who returned it and who did not, rows per
contributor, the proposals still open, and what the round changed (``diff`` of the store
before the round's first apply against the store now).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mapper.rounds.ledger import current_dataset, ledger_for, round_doc

if TYPE_CHECKING:  # types only
    from mapper.dataset import Dataset
    from mapper.store_protocol import Store

OPEN = ("open", "undecided")


@dataclass
class RoundStatus:
    """A round's contributors (one row each) and its open proposals and changes."""

    round: str
    contributors: list[dict[str, Any]] = field(default_factory=list)
    open_proposals: list[dict[str, Any]] = field(default_factory=list)
    changes: dict[str, Any] | None = None
    applied: list[dict[str, Any]] = field(default_factory=list)

    columns: list[str] = field(
        default_factory=lambda: ["contributor", "sent", "returned", "rows", "proposals", "open", "invalid"]
    )

    def rows(self) -> list[dict[str, Any]]:
        return self.contributors

    def summary(self) -> dict[str, int]:
        sent = [c for c in self.contributors if c["sent"]]
        returned = [c for c in self.contributors if c["returned"]]
        return {
            "sent": len(sent),
            "returned": len(returned),
            "not_returned": sum(1 for c in sent if not c["returned"]),
            "open_proposals": len(self.open_proposals),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "summary": self.summary(),
            "contributors": self.contributors,
            "open_proposals": self.open_proposals,
            "applied": self.applied,
            "changes": self.changes,
        }


def round_status(store: Store, name: str) -> RoundStatus:
    """The status of round ``name`` of ``store`` (see the module docstring)."""
    ledger = ledger_for(store)
    _, doc = round_doc(ledger, name, must_exist=True)
    returns: dict[str, list[dict[str, Any]]] = {}
    for file, entry in doc["returns"].items():
        returns.setdefault(entry.get("contributor") or "(unknown)", []).append({"file": file, **entry})
    proposals = Counter(p.get("contributor") or "(unknown)" for p in doc["proposals"].values())
    invalid = Counter(
        p.get("contributor") or "(unknown)" for p in doc["proposals"].values() if p.get("kind") == "invalid"
    )
    still = Counter(
        p.get("contributor") or "(unknown)" for p in doc["proposals"].values() if p.get("status") in OPEN
    )
    status = RoundStatus(name, applied=doc["applied"])
    for contributor in sorted({*doc["sent"], *returns}):
        sent = doc["sent"].get(contributor, {})
        got = returns.get(contributor, [])
        status.contributors.append(
            {
                "contributor": contributor,
                "sent": sent.get("date", ""),
                "returned": max((r.get("received") or "" for r in got), default=""),
                "rows": sum(int(r.get("rows") or 0) for r in got),
                "proposals": proposals.get(contributor, 0),
                "open": still.get(contributor, 0),
                "invalid": invalid.get(contributor, 0),  # problems to send back to the contributor
            }
        )
    status.open_proposals = [
        {"proposal": ref, **p} for ref, p in sorted(doc["proposals"].items()) if p.get("status") in OPEN
    ]
    baseline = ledger.baseline(name)
    if baseline is not None:
        status.changes = _changes(baseline, store)
    return status


def _changes(baseline: Dataset, store: Store) -> dict[str, Any]:
    """The ``diff`` of the store before the round's first apply and now (its JSON)."""
    from mapper.store import EmbeddedStore
    from queries.diff import diff

    result = diff(EmbeddedStore(baseline), EmbeddedStore(current_dataset(store)))
    data: dict[str, Any] = result.to_json()
    return data
