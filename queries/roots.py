"""Ecosystem roots for data that may have no ``igf``: candidates, messages and gap findings.

Gap rules, ``map --highlight-gaps``, ``report`` and the figure exports start from the IGF
ecosystem (root ``igf``, :mod:`queries.ecosystem`). A user's own dataset, or one about the WSIS
action lines, has no ``igf``: then the commands must say so and name ``--ecosystem`` and the
roots the data does have, instead of "no entity with id 'igf'" or silently finding nothing.

A *candidate root* is an entity that others are PART_OF or MEMBER_OF (not proposed or
requested) and that is itself part or member of nothing; candidates are listed biggest
ecosystem first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from mapper.errors import NotFoundError
from mapper.store_protocol import Store
from queries.common import STRUCTURAL_RELATIONS, is_pending
from queries.ecosystem import DEFAULT_ROOT, ecosystem_nx
from queries.gaps import Finding, run_gaps
from queries.gaps.registry import RULES


def candidate_roots(graph: nx.MultiDiGraph, limit: int = 5) -> list[tuple[str, int]]:
    """``(id, ecosystem size)`` of the entities that could root an ecosystem, biggest first.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("dc-a", "wsis", type="PART_OF"); g.add_edge("dc-b", "wsis", type="PART_OF")
    0
    0
    >>> candidate_roots(g)
    [('wsis', 3)]
    """

    def structural(attrs: dict[str, Any]) -> bool:
        return attrs.get("type") in STRUCTURAL_RELATIONS and not is_pending(attrs)

    parents = {v for _, v, a in graph.edges(data=True) if structural(a)}
    roots = [n for n in parents if not any(structural(a) for _, _, a in graph.out_edges(n, data=True))]
    sized = [(n, len(ecosystem_nx(graph, n))) for n in roots]
    return sorted(sized, key=lambda item: (-item[1], item[0]))[:limit]


def ecosystem_rules() -> list[str]:
    """Ids of the gap rules that need an ecosystem root."""
    return [r.id for r in RULES if "ecosystem" in r.params]


def missing_root_message(graph: nx.MultiDiGraph, root: str = DEFAULT_ROOT) -> str:
    """Why the default root is not usable here and what to pass instead (one line)."""
    candidates = candidate_roots(graph)
    head = f"no entity with id {root!r}, the default root of --ecosystem (the IGF ecosystem)"
    if not candidates:
        return (
            f"{head}, and no entity here has parts or members (PART_OF/MEMBER_OF) to root another; "
            f"the rules {', '.join(ecosystem_rules())} need one"
        )
    listed = ", ".join(f"{n} ({size} entities)" for n, size in candidates)
    return f"{head}; pass --ecosystem ID, e.g. one of: {listed}"


def has_root(store: Store, root: str, as_of: str | date | None = None) -> bool:
    """Whether ``root`` names an entity of ``store`` (valid on ``as_of``)."""
    from queries.common import iso_date
    from queries.lookup import resolve_id

    try:
        resolve_id(store, root, iso_date(as_of))
    except NotFoundError:
        return False
    return True


def rules_without_root() -> list[str]:
    """Ids of the gap rules that run without an ecosystem root."""
    return [r.id for r in RULES if "ecosystem" not in r.params]


def default_root(store: Store, root: str | None = None, as_of: str | date | None = None) -> str | None:
    """The ecosystem root to use: ``root`` when given, else the default ``igf`` when the data
    has it, else None. The one place the default root and its fallback are decided."""
    if root is not None:
        return root
    return DEFAULT_ROOT if has_root(store, DEFAULT_ROOT, as_of) else None


def gap_findings(
    store: Store, *, as_of: str | date | None = None, ecosystem: str | None = None
) -> tuple[list[Finding], str | None]:
    """Every gap rule's findings on ``store``, and a note for the user (or None).

    ``ecosystem`` given: its ecosystem (an unknown id raises :class:`NotFoundError` with
    suggestions). ``None``: the IGF ecosystem when the data has ``igf``; otherwise the rules
    that need no root run, and the note says which were left out and which roots to pass.
    """
    root = default_root(store, ecosystem, as_of)
    if root is not None:
        return run_gaps(store, as_of=as_of, ecosystem=root).findings, None
    findings = run_gaps(store, rules_without_root(), as_of=as_of).findings
    note = (
        f"note: {missing_root_message(store.snapshot().graph)}; "
        f"left out the rules that need a root ({', '.join(ecosystem_rules())})"
    )
    return findings, note


def require_root(store: Store, root: str | None, as_of: str | date | None = None) -> str:
    """``root``, or the default ``igf`` when the data has it; else :class:`NotFoundError`
    naming ``--ecosystem`` and the candidate roots (:func:`missing_root_message`)."""
    found = default_root(store, root, as_of)
    if found is None:
        raise NotFoundError(missing_root_message(store.snapshot().graph))
    return found


def root_for_rules(rules: list[str] | None, ecosystem: str | None, *stores: Store) -> str:
    """The root ``gaps`` and ``diff`` run ``rules`` (None: all) for: ``ecosystem`` as given, else
    ``igf``, checked only when a selected rule needs a root (on each of ``stores``)."""
    if ecosystem is not None:
        return ecosystem
    if rules and not set(rules) & set(ecosystem_rules()):
        return DEFAULT_ROOT
    for store in stores:
        require_root(store, None)
    return DEFAULT_ROOT


__all__ = [
    "candidate_roots",
    "default_root",
    "ecosystem_rules",
    "gap_findings",
    "has_root",
    "missing_root_message",
    "require_root",
    "root_for_rules",
    "rules_without_root",
]
