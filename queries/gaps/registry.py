"""The catalogue of gap rules, in the order of design section 6."""

from __future__ import annotations

from mapper.errors import UsageError
from queries.gaps import (
    isolated_actor,
    no_feedback,
    objective_coverage,
    one_sided_activity,
    pending_proposal,
    stale_claim,
    uncovered_activity,
    unreflected_engagement,
)
from queries.gaps.base import Rule

RULES: tuple[Rule, ...] = (
    uncovered_activity.RULE,
    unreflected_engagement.RULE,
    one_sided_activity.RULE,
    no_feedback.RULE,
    pending_proposal.RULE,
    isolated_actor.RULE,
    objective_coverage.RULE,
    stale_claim.RULE,
)
RULE_IDS: tuple[str, ...] = tuple(r.id for r in RULES)
ORDER: dict[str, int] = {rid: i for i, rid in enumerate(RULE_IDS)}
_BY_ID = {r.id: r for r in RULES}


def get_rule(rule_id: str) -> Rule:
    """The rule with this id, or a :class:`UsageError` suggesting the closest ids."""
    rule = _BY_ID.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, RULE_IDS, n=2, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UsageError(
            f"unknown gap rule {rule_id!r}{hint} (rules: {', '.join(RULE_IDS)}; see `igfmap gaps --list-rules`)"
        )
    return rule
