"""Gap rules (design section 6): where the ecosystem's engagement has holes.

Each rule is a module of this package with a :class:`~queries.gaps.base.Rule` named ``RULE``;
:mod:`queries.gaps.registry` lists them in order. :func:`run_gaps` runs all or some of them on
a store and returns a :class:`GapReport`; :func:`list_rules` returns the catalogue.

Definitions shared by the rules: an *actor* is an entity of category ``actor``. The
*ecosystem* is the root (``igf`` by default) plus every entity with a PART_OF or MEMBER_OF path
to it (:mod:`queries.ecosystem`). An actor *engages* on X when an ENGAGES_IN relation to X
has status active or planned and, with ``as_of``, is valid on that date; only entities and
relations valid on ``as_of`` are considered at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import networkx as nx

from mapper.bulk import gc_paused
from mapper.errors import UsageError
from mapper.layout import Section, sections_lines, text_cells
from mapper.store_protocol import CypherStore, Store
from queries.asof import as_of_graph
from queries.common import Record, iso_date
from queries.dispatch import query_pair
from queries.gaps.base import (
    DEFAULT_PARAMS,
    FINDING_KEYS,
    Finding,
    GapContext,
    GapParams,
    Rule,
    sort_findings,
)
from queries.gaps.registry import ORDER, RULES, get_rule
from queries.lookup import resolve_id


@dataclass
class GapReport:
    """Findings of the rules run, with the parameters they ran with."""

    rules: list[str]
    params: GapParams
    findings: list[Finding]
    #: Findings shown per rule in every view (``None`` or 0: all); ``findings`` keeps them all.
    limit: int | None = None

    columns: ClassVar[list[str]] = ["rule", "subjects", "explanation", "evidence"]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self.rules, 0)
        for f in self.findings:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        return counts

    def by_rule(self, rule_id: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule_id]

    def shown(self) -> list[Finding]:
        """The findings the views show: the first ``limit`` of each rule."""
        if not self.limit:
            return self.findings
        taken: Counter[str] = Counter()
        shown = []
        for f in self.findings:
            if taken[f.rule] < self.limit:
                taken[f.rule] += 1
                shown.append(f)
        return shown

    def rows(self) -> list[Record]:
        # The flat views show these columns only: no need for to_json's relation dict.
        return [
            {"rule": f.rule, "subjects": f.subjects, "explanation": f.explanation, "evidence": f.evidence}
            for f in self.shown()
        ]

    def text_rows(self, list_sep: str) -> Iterator[list[str]]:
        """:meth:`rows` as text cells (:class:`mapper.output.TextRows`): CSV and Markdown at
        160,000 findings without a dict per row."""
        for f in self.shown():
            yield [f.rule, list_sep.join(f.subjects), f.explanation, list_sep.join(f.evidence)]

    def to_json(self) -> dict[str, Any]:
        data = self.to_json_stream()
        data["findings"] = list(data["findings"])
        return data

    def to_json_stream(self) -> dict[str, Any]:
        """:meth:`to_json` with the findings made one at a time, as they are written."""
        return {
            "as_of": self.params.as_of,
            "params": self.params.to_json(),
            "rules": self.rules,
            "counts": self.counts,
            "total": len(self.findings),
            "limit": self.limit or None,
            "findings": (f.to_json() for f in self.shown()),
        }

    def table_lines(self, width: int | None) -> Iterator[str]:
        """The terminal view: the count per rule with its meaning, then the findings grouped
        by rule, at most ``limit`` each, with a line saying how many more there are."""
        counts = self.counts
        shown = self.shown()
        summary = Section(
            f"{len(self.findings)} gap findings",
            ["rule", "findings", "meaning"],
            [[r, str(counts[r]), get_rule(r).title] for r in self.rules],
        )
        groups = [
            Section(
                f"{r} ({counts[r]}): {get_rule(r).title}",
                ["subjects", "explanation", "evidence"],
                [text_cells(f.subjects, f.explanation, f.evidence) for f in shown if f.rule == r],
                hidden=counts[r] - sum(f.rule == r for f in shown),
            )
            for r in self.rules
            if counts[r]
        ]
        yield from sections_lines([summary, *groups], width, more_hint="--limit 0 for all")


@dataclass
class RuleCatalogue:
    """The gap rules with their explanations and parameters (``gaps --list-rules``)."""

    rules: list[Rule]

    columns: ClassVar[list[str]] = ["id", "title", "params", "explanation"]

    def rows(self) -> list[Record]:
        return [
            {
                "id": r.id,
                "title": r.title,
                "params": [f"--{p.replace('_', '-')}={DEFAULT_PARAMS[p]}" for p in r.params],
                "explanation": r.explanation,
            }
            for r in self.rules
        ]

    def to_json(self) -> list[Record]:
        return [r.to_json() for r in self.rules]


def list_rules() -> RuleCatalogue:
    """The catalogue of gap rules, in order."""
    return RuleCatalogue(list(RULES))


def run_gaps(
    store: Store,
    rules: Iterable[str] | None = None,
    *,
    ecosystem: str = DEFAULT_PARAMS["ecosystem"],
    min_actors: int = DEFAULT_PARAMS["min_actors"],
    months: int = DEFAULT_PARAMS["months"],
    as_of: str | date | None = None,
    limit: int | None = None,
) -> GapReport:
    """Run gap rules on a store.

    Parameters
    ----------
    store : EmbeddedStore or Neo4jStore
    rules : list of str, optional
        Rule ids to run (default: all, in catalogue order); unknown ids raise
        :class:`~mapper.errors.UsageError` with a suggestion.
    ecosystem : str
        Root of the ecosystem (default ``igf``); unknown ids raise NotFoundError.
    min_actors : int
        ``objective-coverage`` threshold.
    months : int
        ``stale-claim`` age limit.
    as_of : str or date, optional
        Only entities and relations valid on that date; also the reference date of
        ``stale-claim`` (today when None).
    limit : int, optional
        Findings each view shows per rule (None or 0: all); counts and ``findings`` stay whole.

    Returns
    -------
    GapReport
        Findings sorted by rule order, subjects and relation.

    Examples
    --------
    >>> report = run_gaps(store, ["pending-proposal"], as_of="2025-06-30")
    >>> ("dccg", "wsis20-letter") in [f.subjects for f in report.findings]
    True
    """
    selected = list(RULES) if not rules else [get_rule(r) for r in dict.fromkeys(rules)]
    selected.sort(key=lambda r: ORDER[r.id])
    if min_actors < 0:
        raise UsageError("--min-actors must be 0 or more")
    if months < 0:
        raise UsageError("--months must be 0 or more")
    day = iso_date(as_of)
    root = ecosystem
    if any("ecosystem" in r.params for r in selected):
        root = resolve_id(store, ecosystem, day)
    params = GapParams(ecosystem=root, min_actors=min_actors, months=months, as_of=day)
    findings = _FIND(store, selected, params)
    if limit is not None and limit < 0:
        raise UsageError("--limit must be 0 or more")
    return GapReport([r.id for r in selected], params, sort_findings(findings, ORDER), limit)


def _find_nx(graph: nx.MultiDiGraph, rules: list[Rule], params: GapParams) -> list[Finding]:
    # One as-of view and one ecosystem for all the rules of a run.
    ctx = GapContext(as_of_graph(graph, params.as_of), params)
    with gc_paused():  # indexes and findings: many small objects, no cycles (see mapper.bulk)
        return [f for rule in rules for f in rule.find_nx(ctx)]


def _find_cypher(store: CypherStore, rules: list[Rule], params: GapParams) -> list[Finding]:
    return [f for rule in rules for f in rule.find_cypher(store, params)]


_FIND = query_pair("gaps", networkx=_find_nx, cypher=_find_cypher)


__all__ = [
    "DEFAULT_PARAMS",
    "FINDING_KEYS",
    "Finding",
    "GapParams",
    "GapReport",
    "Rule",
    "RuleCatalogue",
    "list_rules",
    "run_gaps",
]
