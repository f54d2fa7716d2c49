"""Brokers (betweenness on the actor projection) on hand-built graphs."""

from __future__ import annotations

from queries.brokers import actor_projection, brokers
from tests.queries.helpers import E, R, make_store, world


def chain():
    # a - b (coordinate), b and c meet on t, c - d (member): b and c are the bridges
    ents = [E(x, "organization") for x in "abcd"] + [E("t", "activity"), E("u", "activity")]
    rels = [
        R("a", "COORDINATES_WITH", "b"),
        R("b", "ENGAGES_IN", "t"),
        R("c", "ENGAGES_IN", "t"),
        R("d", "MEMBER_OF", "c"),
        R("d", "ENGAGES_IN", "u", status="proposed"),
        R("a", "ENGAGES_IN", "u"),
    ]
    return make_store(ents, rels)


def test_projection():
    projection, meeting = actor_projection(chain().graph)
    assert sorted(projection.edges()) == [("a", "b"), ("b", "c"), ("c", "d")]  # proposed d->u joins nobody
    assert meeting == {"b": {"t"}, "c": {"t"}}


def test_ranking_and_top():
    result = brokers(chain())
    assert [(b["id"], b["betweenness"]) for b in result.brokers] == [("b", 0.666667), ("c", 0.666667)]
    assert result.brokers[0]["rank"] == 1 and result.brokers[0]["degree"] == 2
    assert result.brokers[0]["meeting_points"] == 1
    assert [b["id"] for b in brokers(chain(), top=1).brokers] == ["b"]
    assert result.actors == 4 and result.links == 3


def test_ecosystem_and_as_of():
    store = world()
    all_ids = [b["id"] for b in brokers(store).brokers]
    assert "dc-a" in all_ids
    assert set(b["id"] for b in brokers(store, ecosystem="igf").brokers) <= {
        "igf",
        "dc-a",
        "dc-b",
        "member-y",
    }
    early = brokers(store, as_of="2024-10-31")
    assert "odet" not in [b["id"] for b in early.brokers]


def test_json_shape():
    data = brokers(chain()).to_json()
    assert list(data) == ["as_of", "top", "projection", "brokers"]
    assert list(data["brokers"][0]) == [
        "rank",
        "id",
        "name",
        "type",
        "betweenness",
        "degree",
        "meeting_points",
    ]


def test_big_projections_are_sampled_deterministically(monkeypatch):
    import queries.brokers as mod

    ents = [E(f"a{i}", "organization") for i in range(40)] + [E(f"t{i}", "activity") for i in range(10)]
    rels = [R(f"a{i}", "ENGAGES_IN", f"t{(i * 7 + j) % 10}") for i in range(40) for j in range(2)]
    store = make_store(ents, rels)
    assert brokers(store).sample is None
    monkeypatch.setattr(mod, "EXACT_BUDGET", 10)
    monkeypatch.setattr(mod, "MIN_PIVOTS", 5)
    first = brokers(store)
    assert first.sample == 5 and first.to_json()["projection"]["sample"] == 5
    assert brokers(store).to_json() == first.to_json()
    assert mod.pivots(10, 10, budget=1000) is None
