"""Property test: on generated small datasets, Neo4j (Cypher) and the embedded store (networkx)
give the same gap findings and the same who/what/stats/search/show/matrix/path/brokers/timeline.

Each example is a valid dataset of 5-25 entities: an ``igf`` root, mixed categories and types,
stakeholder groups or none, names with non-ASCII letters and shared names, validity dates
around the as-of dates used, relations of every default type that the schema allows between
their ends (roles, statuses, dates and sources varied, parallel relations and self-loops
included, CONTRIBUTES_TO often answered by a RESPONDS_TO), PART_OF/MEMBER_OF chains into ``igf`` (sometimes with a cycle, sometimes only
proposed), sometimes a schema extension. Each is written into the real server (after a wipe).
Hypothesis runs derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.dataset import Dataset
from mapper.neo4j import Neo4jStore
from mapper.schema import DEFAULT_SCHEMA, ROLES, STAKEHOLDER_GROUPS, STATUSES, Schema
from mapper.store import EmbeddedStore
from queries.brokers import brokers
from queries.engagement import what, who
from queries.gaps import run_gaps
from queries.lookup import resolve_id, search, show, stats
from queries.matrix import matrix
from queries.paths import path
from queries.timeline import timeline
from tests.neo4j.parity import assert_same

SOURCES = [
    {"id": "src-map", "kind": "igf_mapping", "title": "The IGF's own mapping", "date": "2024-06-01"},
    {"id": "src-meeting", "kind": "meeting_summary", "title": "A meeting", "date": "2024-10-31"},
    {"id": "src-old", "kind": "news", "title": "Old news", "date": "2020-01-15"},
    {"id": "src-undated", "kind": "secondary", "title": "An undated post"},
    {"id": "src-recent", "kind": "official_website", "title": "A recent page", "date": "2025-01-20"},
]
SOURCE_IDS = [s["id"] for s in SOURCES]
DATES = ["2023-03-01", "2024-10-31", "2024-12-31", "2025-01-01", "2025-02-01", "2026-06-30"]
AS_OF = (None, "2024-10-31", "2025-02-01")
NAMES = [
    "Forum",
    "Coalition on Data",
    "Dynamic Coalition",
    "Straße Netz",
    "Café Numérique",
    "ÉCOLE Ouverte",
    "Track One",
    "Objective",
    "Tech Envoy",
    "Forum",
]
ALIASES = ["DC", "TE", "STRASSE", "Ωmega", "forum"]
EXTENSION = {
    "entity_types": {"foundation": "actor"},
    "relation_types": {"FUNDS": {"from": ["actor"], "to": ["activity"]}},
}
# Engagement-like types drawn more often, so the rules have something to find.
REL_TYPES = [
    "ENGAGES_IN",
    "ENGAGES_IN",
    "ENGAGES_IN",
    "ENGAGES_IN",
    "CONTRIBUTES_TO",
    "CONTRIBUTES_TO",
    "RESPONDS_TO",
    "RESPONDS_TO",
    "ADDRESSES",
    "ADDRESSES",
    "PART_OF",
    "PART_OF",
    "MEMBER_OF",
    "MANDATED_BY",
    "COORDINATES_WITH",
    "REPORTS_TO",
    "CONVENES",
    "DISCUSSED_AT",
    "SUCCEEDED_BY",
    "ALIGNS_WITH",
]

optional_date = st.none() | st.sampled_from(DATES)


def _span(low: str | None, high: str | None) -> tuple[str | None, str | None]:
    if low and high and low > high:
        return high, low
    return low, high


#: ``relation(source, type, target)``: a relation with drawn role, status, dates and sources.
Relate = Callable[[str, str, str], dict[str, Any]]


def _entities(draw: Any, schema: Schema) -> list[dict[str, Any]]:
    """The ``igf`` root and 4-24 entities of drawn types, names, aliases, dates and sources."""
    # every type, and the ones the rules judge more often
    types = [
        *sorted(schema.entity_types),
        "activity",
        "activity",
        "document",
        "document",
        "objective",
        "process",
        "dynamic_coalition",
        "organization",
    ]
    entities = [
        {
            "id": "igf",
            "type": "igf_body",
            "name": "Internet Governance Forum",
            "aliases": ["IGF"],
            "stakeholder_group": "multistakeholder",
            "sources": ["src-meeting"],
        }
    ]
    for i in range(draw(st.integers(4, 24))):
        entity_type = draw(st.sampled_from(types))
        low, high = _span(draw(optional_date), draw(optional_date))
        entity = {
            "id": f"e{i}",
            "type": entity_type,
            "name": draw(st.sampled_from(NAMES)) + draw(st.sampled_from(["", f" {i}"])),
            "aliases": draw(st.lists(st.sampled_from(ALIASES), max_size=2, unique=True)),
            "valid_from": low,
            "valid_to": high,
            "sources": draw(st.lists(st.sampled_from(SOURCE_IDS), max_size=2, unique=True)),
        }
        if schema.category(entity_type) == "actor":
            entity["stakeholder_group"] = draw(st.none() | st.sampled_from(STAKEHOLDER_GROUPS))
        entities.append(entity)
    return entities


def _relate(draw: Any) -> Relate:
    """Makes relations whose role, status, dates and sources are drawn."""

    def relation(source: str, rel_type: str, target: str) -> dict[str, Any]:
        since, until = _span(draw(optional_date), draw(optional_date))
        return {
            "source": source,
            "type": rel_type,
            "target": target,
            "role": draw(st.none() | st.sampled_from(ROLES)),
            "status": draw(st.none() | st.sampled_from(STATUSES)),
            "since": since,
            "until": until,
            "sources": draw(st.lists(st.sampled_from(SOURCE_IDS), min_size=1, max_size=2, unique=True)),
        }

    return relation


def _structure(draw: Any, relation: Relate, actors: list[str]) -> list[dict[str, Any]]:
    """Actors inside the igf ecosystem, in chains, sometimes in a cycle."""
    relations = []
    for actor in actors[1:]:
        parent = draw(st.sampled_from(["none", "igf", "actor", "actor"]))
        if parent == "igf":
            relations.append(relation(actor, draw(st.sampled_from(["PART_OF", "MEMBER_OF"])), "igf"))
        elif parent == "actor":
            other = draw(st.sampled_from(actors))
            relations.append(relation(actor, draw(st.sampled_from(["PART_OF", "MEMBER_OF"])), other))
    if len(actors) >= 3 and draw(st.booleans()):
        a, b = actors[1], actors[2]
        relations += [relation(a, "PART_OF", b), relation(b, "PART_OF", a), relation(b, "PART_OF", "igf")]
    return relations


def _input_answered_for_a_while(
    draw: Any, relation: Relate, actors: list[str], documents: list[str]
) -> list[dict[str, Any]]:
    """Sometimes an actor's active input to a document, answered only since 2024-12-31."""
    if not (documents and draw(st.booleans())):
        return []
    actor, document = draw(st.sampled_from(actors)), draw(st.sampled_from(documents))
    return [
        {**relation(actor, "CONTRIBUTES_TO", document), "status": "active", "since": None, "until": None},
        {**relation(document, "RESPONDS_TO", actor), "since": "2024-12-31", "until": None},
    ]


def _more_relations(
    draw: Any, relation: Relate, schema: Schema, entities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Up to 45 relations of drawn types between ends the schema allows."""
    category = {e["id"]: schema.category(e["type"]) for e in entities}
    kind = {e["id"]: e["type"] for e in entities}
    ids = [e["id"] for e in entities]
    relations = []
    extra = list(REL_TYPES) + (["FUNDS"] if "FUNDS" in schema.relation_types else [])
    for _ in range(draw(st.integers(0, 45))):
        rel_type = draw(st.sampled_from(extra))
        spec = schema.relation_types[rel_type]
        sources = [i for i in ids if category[i] in spec["from"]]
        if not sources:
            continue
        source = draw(st.sampled_from(sources))
        targets = [
            t
            for t in ids
            if schema.allows(rel_type, category[source], category[t])
            and (rel_type != "SUCCEEDED_BY" or kind[t] == kind[source])
        ]
        if not targets:
            continue
        target = draw(st.sampled_from(targets))
        relations.append(relation(source, rel_type, target))
        # input and its answer (or an answer out of date): what no-feedback judges
        if rel_type == "CONTRIBUTES_TO" and schema.allows("RESPONDS_TO", category[target], category[source]):
            if draw(st.booleans()):
                relations.append(relation(target, "RESPONDS_TO", source))
    return relations


@st.composite
def datasets(draw: Any) -> Dataset:
    schema = DEFAULT_SCHEMA.extended(EXTENSION) if draw(st.booleans()) else DEFAULT_SCHEMA
    entities = _entities(draw, schema)
    actors = [e["id"] for e in entities if schema.category(e["type"]) == "actor"]
    documents = [e["id"] for e in entities if schema.category(e["type"]) == "document"]
    relation = _relate(draw)
    relations = _structure(draw, relation, actors)
    relations += _input_answered_for_a_while(draw, relation, actors, documents)
    relations += _more_relations(draw, relation, schema, entities)
    return Dataset.from_records(SOURCES, entities, relations, schema=schema)


@pytest.fixture(scope="module")
def neo4j(neo4j_server) -> Any:
    store = Neo4jStore.connect(neo4j_server.uri)
    yield store
    store.close()


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(dataset=datasets())
def test_backends_agree_on_generated_data(neo4j, dataset: Dataset) -> None:
    neo4j.write_dataset(dataset, wipe=True)
    embedded = EmbeddedStore(dataset)
    ids = sorted(dataset.entities)
    category = {i: dataset.schema.category(e["type"]) for i, e in dataset.entities.items()}
    chosen = ids[:: max(1, len(ids) // 3)]  # three or four entities spread over the ids
    some_actor = next((i for i in chosen if category[i] == "actor"), "igf")
    some_other = next((i for i in chosen if category[i] != "actor"), ids[-1])
    name = dataset.entities[chosen[0]]["name"]

    def check(query: Any) -> None:
        assert_same(query, embedded, neo4j)

    for day in (None, *DATES):  # cheap: the gap rules and stats on every date the data uses
        check(lambda s, d=day: run_gaps(s, as_of=d))
        check(lambda s, d=day: stats(s, as_of=d))
    for day in AS_OF:
        check(lambda s, d=day: run_gaps(s, as_of=d, ecosystem=some_actor, min_actors=1, months=3))
        for entity_id in chosen:
            listing = what if category[entity_id] == "actor" else who
            check(lambda s, d=day, e=entity_id, q=listing: q(s, e, as_of=d))
            check(
                lambda s, d=day, e=entity_id, q=listing: q(
                    s, e, as_of=d, deep=True, status=["active", "planned"]
                )
            )
            check(lambda s, d=day, e=entity_id: show(s, e, as_of=d))
        check(lambda s, d=day: search(s, name[:4], as_of=d))
        check(lambda s, d=day: search(s, "strasse", as_of=d))
        check(lambda s, d=day: matrix(s, rows="type", cols="objective", as_of=d, ecosystem="igf"))
        check(lambda s, d=day: matrix(s, as_of=d, cells="count"))
        check(lambda s, d=day: path(s, some_actor, some_other, as_of=d))
        check(lambda s, d=day: path(s, some_other, some_actor, as_of=d, directed=True, limit=2))
        check(lambda s, d=day: brokers(s, 5, as_of=d))
        check(lambda s, d=day: timeline(s, "2024-06-01", "2025-06-30", as_of=d))
    check(lambda s: resolve_id(s, name))
    check(lambda s: resolve_id(s, "igff"))
    check(lambda s: resolve_id(s, "straße netz"))
