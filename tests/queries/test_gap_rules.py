"""Each gap rule on small hand-built graphs: cases that must and must not give a finding."""

from __future__ import annotations

import pytest

from mapper.errors import NotFoundError, UsageError
from queries.gaps import run_gaps
from queries.gaps.base import months_before
from tests.queries.helpers import E, R, base_entities, base_relations, make_store


def found(store, rule, **kw):
    """The subjects of the findings of one rule."""
    return [list(f.subjects) for f in run_gaps(store, [rule], **kw).findings]


# --- uncovered-activity -----------------------------------------------------------------------


class TestUncoveredActivity:
    rule = "uncovered-activity"

    def entities(self):
        return [
            *base_entities(),
            E("t", "activity"),
            E("p", "process"),
            E("o", "objective"),
            E("ev", "event"),
        ]

    def test_engaged_by_ecosystem_actor_is_covered(self):
        store = make_store(
            self.entities(),
            [*base_relations(), R("dc-a", "ENGAGES_IN", "t"), R("dc-b", "ENGAGES_IN", "p", status="planned")],
        )
        assert found(store, self.rule) == []

    def test_nobody_engaged_gives_findings_for_activities_and_processes_only(self):
        store = make_store(self.entities(), base_relations())
        assert found(store, self.rule) == [["p"], ["t"]]

    def test_engaged_only_by_outsider(self):
        store = make_store(
            self.entities(), [*base_relations(), R("itu", "ENGAGES_IN", "t"), R("dc-a", "ENGAGES_IN", "p")]
        )
        report = run_gaps(store, [self.rule])
        assert [f.subjects for f in report.findings] == [("t",)]
        assert "engaged only by itu" in report.findings[0].explanation
        assert report.findings[0].evidence == ("s",)

    def test_pending_engagement_is_mentioned(self):
        store = make_store(
            self.entities(),
            [
                *base_relations(),
                R("dc-a", "ENGAGES_IN", "t", status="proposed"),
                R("dc-a", "ENGAGES_IN", "p"),
            ],
        )
        [f] = run_gaps(store, [self.rule]).findings
        assert f.explanation.endswith("nobody is recorded as engaged (proposed or requested for dc-a)")

    @pytest.mark.parametrize("status", ["proposed", "requested", "concluded"])
    def test_inactive_statuses_do_not_cover(self, status):
        store = make_store(
            self.entities(),
            [*base_relations(), R("dc-a", "ENGAGES_IN", "t", status=status), R("dc-a", "ENGAGES_IN", "p")],
        )
        assert found(store, self.rule) == [["t"]]

    def test_missing_status_counts_as_active(self):
        rel = R("dc-a", "ENGAGES_IN", "t")
        del rel["status"]
        store = make_store(self.entities(), [*base_relations(), rel, R("dc-a", "ENGAGES_IN", "p")])
        assert found(store, self.rule) == []

    def test_engagement_outside_as_of_date(self):
        store = make_store(
            self.entities(),
            [
                *base_relations(),
                R("dc-a", "ENGAGES_IN", "t", since="2025-01-01"),
                R("dc-a", "ENGAGES_IN", "p"),
            ],
        )
        assert found(store, self.rule) == []
        assert found(store, self.rule, as_of="2024-12-31") == [["t"]]
        assert found(store, self.rule, as_of="2025-01-01") == []

    def test_activity_not_yet_existing_is_not_reported(self):
        ents = self.entities()
        ents[-4]["valid_from"] = "2026-01-01"  # t
        store = make_store(ents, [*base_relations(), R("dc-a", "ENGAGES_IN", "p")])
        assert found(store, self.rule, as_of="2025-06-01") == []

    def test_membership_chain_and_cycle_in_part_of(self):
        ents = [*self.entities(), E("wg", "igf_body"), E("sub", "igf_body"), E("mem", "organization")]
        rels = [
            *base_relations(),
            R("wg", "PART_OF", "igf"),
            R("sub", "PART_OF", "wg"),
            R("wg", "PART_OF", "sub"),  # cycle
            R("mem", "MEMBER_OF", "sub"),
            R("mem", "ENGAGES_IN", "t"),
            R("sub", "ENGAGES_IN", "p"),
        ]
        assert found(make_store(ents, rels), self.rule) == []

    def test_cycle_not_reaching_the_root_stays_outside(self):
        ents = [*self.entities(), E("x", "organization"), E("y", "organization")]
        rels = [
            *base_relations(),
            R("x", "PART_OF", "y"),
            R("y", "PART_OF", "x"),
            R("x", "ENGAGES_IN", "t"),
            R("dc-a", "ENGAGES_IN", "p"),
        ]
        assert found(make_store(ents, rels), self.rule) == [["t"]]

    def test_proposed_membership_does_not_make_an_insider(self):
        ents = [*self.entities(), E("cand", "organization")]
        rels = [
            *base_relations(),
            R("cand", "MEMBER_OF", "igf", status="proposed"),
            R("cand", "ENGAGES_IN", "t"),
            R("dc-a", "ENGAGES_IN", "p"),
        ]
        assert found(make_store(ents, rels), self.rule) == [["t"]]

    def test_other_ecosystem_root(self):
        store = make_store(
            self.entities(), [*base_relations(), R("itu", "ENGAGES_IN", "t"), R("dc-a", "ENGAGES_IN", "p")]
        )
        assert found(store, self.rule, ecosystem="itu") == [["p"]]

    def test_unknown_ecosystem_root(self):
        store = make_store(self.entities(), base_relations())
        with pytest.raises(NotFoundError, match="did you mean igf"):
            run_gaps(store, [self.rule], ecosystem="igff")


# --- unreflected-engagement -------------------------------------------------------------------


class TestUnreflectedEngagement:
    rule = "unreflected-engagement"

    def store(self, *rels):
        return make_store([*base_entities(), E("t", "activity")], base_relations() + list(rels))

    def test_ecosystem_engagement_without_mapping_source(self):
        report = run_gaps(
            self.store(R("dc-a", "ENGAGES_IN", "t", role="lead", sources=["s", "old"])), [self.rule]
        )
        [f] = report.findings
        assert f.subjects == ("dc-a", "t")
        assert f.evidence == ("old", "s")
        assert f.relation == ("dc-a", "ENGAGES_IN", "t", "lead")
        assert "meeting_summary" in f.explanation and "news" in f.explanation

    def test_reflected_when_any_source_is_igf_mapping(self):
        assert found(self.store(R("dc-a", "ENGAGES_IN", "t", sources=["s", "map"])), self.rule) == []

    def test_outsider_engagement_is_not_the_igfs_to_map(self):
        assert found(self.store(R("itu", "ENGAGES_IN", "t")), self.rule) == []

    @pytest.mark.parametrize("status,expected", [("planned", 1), ("proposed", 0), ("concluded", 0)])
    def test_statuses(self, status, expected):
        assert len(found(self.store(R("dc-a", "ENGAGES_IN", "t", status=status)), self.rule)) == expected

    def test_other_relation_types_ignored(self):
        assert found(self.store(R("dc-a", "CONTRIBUTES_TO", "t")), self.rule) == []

    def test_as_of(self):
        store = self.store(R("dc-a", "ENGAGES_IN", "t", until="2023-12-31"))
        assert found(store, self.rule) == [["dc-a", "t"]]
        assert found(store, self.rule, as_of="2024-01-01") == []

    def test_root_itself_counts(self):
        assert found(self.store(R("igf", "ENGAGES_IN", "t")), self.rule) == [["igf", "t"]]


# --- one-sided-activity -----------------------------------------------------------------------


class TestOneSidedActivity:
    rule = "one-sided-activity"

    def store(self, *rels, extra=()):
        ents = [*base_entities(), E("t", "activity"), E("p", "process"), E("nogroup", "organization"), *extra]
        return make_store(ents, base_relations() + list(rels))

    def test_single_group(self):
        report = run_gaps(self.store(R("dc-a", "ENGAGES_IN", "t")), [self.rule])
        assert [f.subjects for f in report.findings] == [("t",)]
        assert "only the civil-society group" in report.findings[0].explanation

    def test_two_groups_is_fine(self):
        assert found(self.store(R("dc-a", "ENGAGES_IN", "t"), R("itu", "ENGAGES_IN", "t")), self.rule) == []

    def test_two_actors_same_group(self):
        extra = [E("cs2", "organization", stakeholder_group="civil-society")]
        store = self.store(R("dc-a", "ENGAGES_IN", "t"), R("cs2", "ENGAGES_IN", "t"), extra=extra)
        assert found(store, self.rule) == [["t"]]

    def test_actor_without_group_adds_none(self):
        store = self.store(R("dc-a", "ENGAGES_IN", "t"), R("nogroup", "ENGAGES_IN", "t"))
        assert found(store, self.rule) == [["t"]]
        only = self.store(R("nogroup", "ENGAGES_IN", "t"))
        assert "no recorded stakeholder group" in run_gaps(only, [self.rule]).findings[0].explanation

    def test_no_engaged_actor_no_finding(self):
        assert found(self.store(R("dc-a", "ENGAGES_IN", "t", status="proposed")), self.rule) == []

    def test_inactive_second_group_does_not_count(self):
        store = self.store(R("dc-a", "ENGAGES_IN", "t"), R("itu", "ENGAGES_IN", "t", status="concluded"))
        assert found(store, self.rule) == [["t"]]

    def test_processes_are_not_judged(self):
        assert found(self.store(R("dc-a", "ENGAGES_IN", "p")), self.rule) == []

    def test_as_of_drops_second_group(self):
        store = self.store(R("dc-a", "ENGAGES_IN", "t"), R("itu", "ENGAGES_IN", "t", since="2025-03-01"))
        assert found(store, self.rule) == []
        assert found(store, self.rule, as_of="2025-02-28") == [["t"]]


# --- no-feedback ------------------------------------------------------------------------------


class TestNoFeedback:
    rule = "no-feedback"

    def store(self, *rels):
        ents = [*base_entities(), E("doc", "document"), E("other", "document")]
        return make_store(ents, base_relations() + list(rels))

    @pytest.mark.parametrize("status", ["active", "concluded"])
    def test_input_without_response(self, status):
        report = run_gaps(self.store(R("dc-a", "CONTRIBUTES_TO", "doc", status=status)), [self.rule])
        [f] = report.findings
        assert f.subjects == ("dc-a", "doc") and f.evidence == ("s",)

    def test_response_back_to_contributor_closes_it(self):
        assert (
            found(self.store(R("dc-a", "CONTRIBUTES_TO", "doc"), R("doc", "RESPONDS_TO", "dc-a")), self.rule)
            == []
        )

    def test_response_to_someone_else_or_from_elsewhere(self):
        store = self.store(
            R("dc-a", "CONTRIBUTES_TO", "doc"),
            R("doc", "RESPONDS_TO", "dc-b"),
            R("other", "RESPONDS_TO", "dc-a"),
        )
        assert found(store, self.rule) == [["dc-a", "doc"]]

    @pytest.mark.parametrize("status", ["planned", "proposed", "requested"])
    def test_input_not_sent_yet(self, status):
        assert found(self.store(R("dc-a", "CONTRIBUTES_TO", "doc", status=status)), self.rule) == []

    def test_response_outside_as_of_date(self):
        store = self.store(
            R("dc-a", "CONTRIBUTES_TO", "doc"), R("doc", "RESPONDS_TO", "dc-a", since="2025-05-01")
        )
        assert found(store, self.rule) == []
        assert found(store, self.rule, as_of="2025-04-30") == [["dc-a", "doc"]]

    def test_any_contributor_counts(self):
        assert found(self.store(R("itu", "CONTRIBUTES_TO", "doc")), self.rule) == [["itu", "doc"]]


# --- pending-proposal -------------------------------------------------------------------------


class TestPendingProposal:
    rule = "pending-proposal"

    def store(self, *rels):
        return make_store(
            [*base_entities(), E("t", "activity"), E("doc", "document")], base_relations() + list(rels)
        )

    def test_proposed_and_requested_edges_of_any_type(self):
        store = self.store(
            R("igf", "ENGAGES_IN", "t", role="convener", status="proposed"),
            R("dc-a", "CONTRIBUTES_TO", "doc", status="requested"),
            R("itu", "MEMBER_OF", "igf", status="proposed"),
        )
        report = run_gaps(store, [self.rule])
        assert [f.subjects for f in report.findings] == [("dc-a", "doc"), ("igf", "t"), ("itu", "igf")]
        assert "requested, not acted on" in report.findings[0].explanation
        assert "proposed, not agreed" in report.findings[1].explanation

    @pytest.mark.parametrize("status", ["active", "planned", "concluded"])
    def test_settled_statuses(self, status):
        assert found(self.store(R("igf", "ENGAGES_IN", "t", status=status)), self.rule) == []

    def test_as_of(self):
        store = self.store(R("igf", "ENGAGES_IN", "t", status="proposed", since="2024-10-31"))
        assert found(store, self.rule, as_of="2024-10-30") == []
        assert found(store, self.rule, as_of="2024-10-31") == [["igf", "t"]]

    def test_no_ecosystem_needed(self):
        # pending-proposal does not read --ecosystem, so a dataset without the root still works
        store = make_store(
            [E("a", "organization"), E("t", "activity")], [R("a", "ENGAGES_IN", "t", status="proposed")]
        )
        assert found(store, self.rule) == [["a", "t"]]


# --- isolated-actor ---------------------------------------------------------------------------


class TestIsolatedActor:
    rule = "isolated-actor"

    def store(self, *rels, extra=()):
        ents = [*base_entities(), E("t", "activity"), E("doc", "document"), E("nri", "nri"), *extra]
        return make_store(ents, [*base_relations(), R("nri", "PART_OF", "igf"), *list(rels)])

    def test_ecosystem_actors_without_work(self):
        report = run_gaps(self.store(R("dc-a", "ENGAGES_IN", "t")), [self.rule])
        assert [f.subjects for f in report.findings] == [("dc-b",), ("nri",)]

    def test_any_status_counts_as_work(self):
        store = self.store(
            R("dc-a", "ENGAGES_IN", "t", status="proposed"),
            R("dc-b", "CONTRIBUTES_TO", "doc", status="requested"),
            R("nri", "CONTRIBUTES_TO", "doc", status="concluded"),
        )
        assert found(store, self.rule) == []

    def test_root_outsiders_and_non_actors_are_not_judged(self):
        store = self.store(
            R("dc-a", "ENGAGES_IN", "t"),
            R("dc-b", "ENGAGES_IN", "t"),
            R("nri", "ENGAGES_IN", "t"),
            R("t", "PART_OF", "igf"),
        )
        assert found(store, self.rule) == []  # igf, itu and t have no work either

    def test_other_relations_are_not_work(self):
        store = self.store(
            R("dc-a", "ENGAGES_IN", "t"), R("nri", "ENGAGES_IN", "t"), R("dc-b", "COORDINATES_WITH", "dc-a")
        )
        assert found(store, self.rule) == [["dc-b"]]

    def test_work_outside_as_of_date(self):
        store = self.store(
            R("dc-a", "ENGAGES_IN", "t"),
            R("nri", "ENGAGES_IN", "t"),
            R("dc-b", "ENGAGES_IN", "t", until="2022-12-31"),
        )
        assert found(store, self.rule) == []
        assert found(store, self.rule, as_of="2023-06-01") == [["dc-b"]]

    def test_membership_ended(self):
        store = self.store(
            R("dc-a", "ENGAGES_IN", "t"),
            R("nri", "ENGAGES_IN", "t"),
            R("dc-b", "ENGAGES_IN", "t"),
            R("ex", "MEMBER_OF", "igf", until="2020-12-31"),
            extra=[E("ex", "organization")],
        )
        assert found(store, self.rule) == [["ex"]]
        assert found(store, self.rule, as_of="2024-01-01") == []

    def test_cycle_in_part_of(self):
        store = self.store(
            R("dc-a", "ENGAGES_IN", "t"),
            R("nri", "ENGAGES_IN", "t"),
            R("dc-b", "ENGAGES_IN", "t"),
            R("igf", "PART_OF", "dc-a"),
        )
        assert found(store, self.rule) == []


# --- objective-coverage -----------------------------------------------------------------------


class TestObjectiveCoverage:
    rule = "objective-coverage"

    def store(self, *rels):
        ents = [
            *base_entities(),
            E("t1", "activity"),
            E("t2", "activity"),
            E("p", "process"),
            E("doc", "document"),
            E("o", "objective", sources=["map"]),
        ]
        return make_store(ents, base_relations() + list(rels))

    def test_two_ecosystem_actors_through_two_activities(self):
        store = self.store(
            R("t1", "ADDRESSES", "o"),
            R("p", "ADDRESSES", "o"),
            R("dc-a", "ENGAGES_IN", "t1"),
            R("dc-b", "ENGAGES_IN", "p", status="planned"),
        )
        assert found(store, self.rule) == []

    def test_one_actor_is_too_few(self):
        store = self.store(
            R("t1", "ADDRESSES", "o"),
            R("t2", "ADDRESSES", "o"),
            R("dc-a", "ENGAGES_IN", "t1"),
            R("dc-a", "ENGAGES_IN", "t2", role="lead"),
        )
        [f] = run_gaps(store, [self.rule]).findings
        assert f.subjects == ("o",)
        assert "1 igf-ecosystem actor (dc-a) engaged through 2 addressing activities" in f.explanation
        assert f.evidence == ("map", "s")

    def test_min_actors_parameter(self):
        store = self.store(R("t1", "ADDRESSES", "o"), R("dc-a", "ENGAGES_IN", "t1"))
        assert found(store, self.rule) == [["o"]]
        assert found(store, self.rule, min_actors=1) == []
        assert found(store, self.rule, min_actors=0) == []

    def test_outsiders_proposals_and_documents_do_not_count(self):
        store = self.store(
            R("t1", "ADDRESSES", "o"),
            R("doc", "ADDRESSES", "o"),
            R("itu", "ENGAGES_IN", "t1"),
            R("dc-a", "ENGAGES_IN", "t1", status="proposed"),
            R("dc-b", "ENGAGES_IN", "doc"),
        )
        [f] = run_gaps(store, [self.rule]).findings
        assert f.explanation.startswith("O (o): 0 igf-ecosystem actors engaged through 1 addressing activity")

    def test_objective_with_nothing_addressing_it(self):
        assert found(self.store(), self.rule) == [["o"]]

    def test_as_of_and_other_ecosystem(self):
        store = self.store(
            R("t1", "ADDRESSES", "o"),
            R("dc-a", "ENGAGES_IN", "t1"),
            R("dc-b", "ENGAGES_IN", "t1", since="2025-01-01"),
            R("itu", "ENGAGES_IN", "t1"),
        )
        assert found(store, self.rule) == []
        assert found(store, self.rule, as_of="2024-06-01") == [["o"]]
        assert found(store, self.rule, ecosystem="itu", min_actors=1) == []


# --- stale-claim ------------------------------------------------------------------------------


class TestStaleClaim:
    rule = "stale-claim"

    def store(self, *rels):
        return make_store([*base_entities(), E("t", "activity")], base_relations() + list(rels))

    def test_old_evidence(self):
        store = self.store(R("itu", "ENGAGES_IN", "t", sources=["old"]))
        [f] = run_gaps(store, [self.rule], as_of="2024-10-31").findings
        assert f.subjects == ("itu", "t") and f.evidence == ("old",)
        assert "2020-01-01" in f.explanation and "24 months before 2024-10-31" in f.explanation

    def test_one_recent_source_is_enough(self):
        assert (
            found(
                self.store(R("itu", "ENGAGES_IN", "t", sources=["old", "s"])), self.rule, as_of="2024-10-31"
            )
            == []
        )

    def test_undated_sources_are_ignored(self):
        assert (
            found(self.store(R("itu", "ENGAGES_IN", "t", sources=["undated"])), self.rule, as_of="2030-01-01")
            == []
        )
        store = self.store(R("itu", "ENGAGES_IN", "t", sources=["undated", "old"]))
        assert found(store, self.rule, as_of="2024-10-31") == [["itu", "t"]]

    def test_months_parameter_and_boundary(self):
        store = self.store(R("itu", "ENGAGES_IN", "t", sources=["s"]))  # 2024-10-31
        assert found(store, self.rule, as_of="2026-10-31") == []  # exactly 24 months: not older
        assert found(store, self.rule, as_of="2026-11-01") == [["itu", "t"]]
        assert found(store, self.rule, as_of="2025-05-01", months=6) == [["itu", "t"]]
        assert found(store, self.rule, as_of="2025-04-30", months=6) == []

    def test_without_as_of_uses_today(self):
        assert found(self.store(R("itu", "ENGAGES_IN", "t", sources=["old"])), self.rule) == [["itu", "t"]]

    @pytest.mark.parametrize("status", ["proposed", "requested", "concluded"])
    def test_only_engagements(self, status):
        store = self.store(
            R("itu", "ENGAGES_IN", "t", sources=["old"], status=status),
            R("itu", "CONTRIBUTES_TO", "t", sources=["old"]),
        )
        assert found(store, self.rule, as_of="2024-10-31") == []


def test_months_before():
    assert months_before("2024-10-31", 24) == "2022-10-31"
    assert months_before("2024-03-31", 1) == "2024-02-29"
    assert months_before("2024-01-15", 13) == "2022-12-15"
    assert months_before("2024-01-15", 0) == "2024-01-15"


def test_unknown_rule_suggests():
    store = make_store(base_entities(), base_relations())
    with pytest.raises(UsageError, match="did you mean 'pending-proposal'"):
        run_gaps(store, ["pending-proposals"])


def test_findings_are_sorted_and_deterministic():
    rels = [
        *base_relations(),
        R("dc-b", "ENGAGES_IN", "t", status="proposed"),
        R("dc-a", "ENGAGES_IN", "t", status="requested"),
    ]
    store = make_store([*base_entities(), E("t", "activity")], rels)
    report = run_gaps(store)
    keys = [(f.rule, f.subjects) for f in report.findings]
    assert report.rules[0] == "uncovered-activity"
    order = {r: i for i, r in enumerate(report.rules)}
    assert keys == sorted(keys, key=lambda k: (order[k[0]], k[1]))
    again = make_store(list(reversed([*base_entities(), E("t", "activity")])), list(reversed(rels)))
    assert run_gaps(again).to_json() == report.to_json()


def test_finding_makes_the_dataclass_its_constructor_makes():
    """finding() fills the frozen dataclass without its __init__: the same value, hash and
    repr, still frozen."""
    import dataclasses

    from queries.gaps.base import Finding, finding

    rel = {"source": "a", "type": "ENGAGES_IN", "target": "b"}
    made = finding("stale-claim", ["a", "b"], "why", ["s2", "", "s1", "s2"], rel)
    built = Finding("stale-claim", ("a", "b"), "why", ("s1", "s2"), ("a", "ENGAGES_IN", "b", ""))
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert finding("isolated-actor", ["a"], "why") == Finding("isolated-actor", ("a",), "why")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.rule = "other"  # type: ignore[misc]
