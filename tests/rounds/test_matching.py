"""Duplicate detection: the issue's cases on the seed, and candidates that stay bounded as the
store grows (blocking on uncommon normalised words), so matching costs less than quadratic."""

from __future__ import annotations

import time

import pytest

from benchmarks.generate import generate
from mapper.rounds.matching import BLOCK_LIMIT, FALLBACK_LIMIT, EntityMatcher, fold
from mapper.store import seed_dataset


@pytest.fixture(scope="module")
def matcher() -> EntityMatcher:
    seed = seed_dataset()
    return EntityMatcher(seed.entities, seed.schema.entity_types)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kenya Internet Governance Forum", "kenya-igf"),  # the name the acronym stands for
        ("KIGF", "kenya-igf"),  # an alias
        ("KE IGF", "kenya-igf"),  # a country code
        ("IGF Kenia", "kenya-igf"),  # word order and a typo
        ("United Nations Educational, Scientific and Cultural Organization", "unesco"),
        ("Internet Governance Forum of Germany", "igf-germany"),
        ("Principles Internet Rights Dynamic Coalition", "dc-irpc"),
        ("Mexico Internet Governance Forum", "mexico-igf"),
        ("Youth IGF Kenya", "kenya-youth-igf"),  # word order: the youth IGF, not kenya-igf
        ("Youth IGF Japan", None),  # near japan-igf as a whole, but not in what tells it apart
        ("Brand New Coalition on Widgets", None),
    ],
)
def test_the_issues_cases_on_the_seed(matcher: EntityMatcher, name: str, expected: str | None) -> None:
    found = matcher.best({"name": name, "type": "nri"}, "actor")
    assert (found.candidate if found else None) == expected, found


def test_only_entities_of_the_same_category_are_candidates(matcher: EntityMatcher) -> None:
    assert matcher.best({"name": "Kenya IGF", "type": "event"}, "event") is None


def test_fold_drops_case_accents_and_punctuation() -> None:
    assert fold("Côte d'Ivoire  IGF!") == "cote d ivoire igf"


def test_candidates_stay_bounded_as_the_store_grows() -> None:
    """At 8 times the entities, a name meets about as many candidates: never more than
    BLOCK_LIMIT per uncommon word it holds, so n names cost O(n), not O(n x store)."""
    queries = [f"{e['name']} Network" for e in list(generate(400, seed=3).entities.values())[::4]]
    means, times = [], []
    for size in (1000, 8000):
        data = generate(size, seed=1)
        matcher = EntityMatcher(data.entities, data.schema.entity_types)
        start = time.perf_counter()
        counts = [len(matcher.candidates({"name": q})) for q in queries]
        for q in queries:
            matcher.best({"name": q, "type": "organization"}, "actor")
        times.append(time.perf_counter() - start)
        means.append(sum(counts) / len(counts))
        assert max(counts) <= FALLBACK_LIMIT + BLOCK_LIMIT * 12, "bounded by its blocks"
    print(f"mean candidates at 1000 and 8000 entities: {means[0]:.1f}, {means[1]:.1f}; seconds {times}")
    assert means[1] <= 2.5 * means[0], means
