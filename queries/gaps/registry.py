"""The catalogue of gap rules: every module of this package that defines a ``RULE``.

A new rule is one module here with a :class:`~queries.gaps.base.Rule` named ``RULE`` (its
networkx and Cypher versions side by side); it is found by scanning the package, ordered by
``Rule.order``, and appears in ``gaps --list-rules``, the reports and the maps.
"""

from __future__ import annotations

import importlib
import pkgutil

from mapper.errors import UsageError, did_you_mean
from queries import gaps as _package
from queries.gaps.base import Rule


def _discover() -> tuple[Rule, ...]:
    found = []
    for info in pkgutil.iter_modules(_package.__path__):
        module = importlib.import_module(f"{_package.__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if isinstance(rule, Rule):
            found.append(rule)
    ids = [r.id for r in found]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"two gap rules share an id: {sorted(ids)}")
    return tuple(sorted(found, key=lambda r: (r.order, r.id)))


RULES: tuple[Rule, ...] = _discover()
RULE_IDS: tuple[str, ...] = tuple(r.id for r in RULES)
ORDER: dict[str, int] = {rid: i for i, rid in enumerate(RULE_IDS)}
_BY_ID = {r.id: r for r in RULES}


def get_rule(rule_id: str) -> Rule:
    """The rule with this id, or a :class:`UsageError` suggesting the closest ids."""
    rule = _BY_ID.get(rule_id)
    if rule is None:
        raise UsageError(
            f"unknown gap rule {rule_id!r}{did_you_mean(rule_id, RULE_IDS)} "
            f"(rules: {', '.join(RULE_IDS)}; see `igfmap gaps --list-rules`)"
        )
    return rule
