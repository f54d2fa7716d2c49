"""Narrowing what a map or export shows, and gap findings in one shape."""

from __future__ import annotations

import pytest

from exports.view import date_caption, newest_date, run_gap_rules, select
from mapper.errors import NotFoundError, UsageError
from queries.gaps.base import finding
from tests.exports.conftest import store_of


def test_select_without_options_is_the_whole_graph(tiny_graph) -> None:
    view = select(tiny_graph)
    assert view.number_of_nodes() == 10
    assert view.number_of_edges() == 14


def test_as_of_drops_what_is_not_valid_that_day(tiny_graph) -> None:
    view = select(tiny_graph, as_of="2024-10-31")
    assert "ai-dialogue" not in view  # valid from 2025-01-01
    assert "igf-2025" not in view
    assert view.has_edge("nri-x", "gdc-impl")  # concluded at the end of 2024, valid that day


def test_focus_and_depth(tiny_graph) -> None:
    assert sorted(select(tiny_graph, focus="dccg", depth=0)) == ["dccg"]
    one = select(tiny_graph, focus="DCCG", depth=1)  # an alias works too
    assert sorted(one) == ["dccg", "igf", "nri-x", "wsis20-letter"]
    assert select(tiny_graph, focus="dccg", depth=2).number_of_nodes() > one.number_of_nodes()


def test_focus_on_unknown_id_suggests(tiny_graph) -> None:
    with pytest.raises(NotFoundError, match="did you mean dccg"):
        select(tiny_graph, focus="dcgg")


def test_objective_keeps_what_addresses_it_and_who_engages(tiny_graph) -> None:
    view = select(tiny_graph, objective="gdc-obj-3")
    # the activity addressing it, the objective, and the actors engaged on the activity
    assert sorted(view) == ["ai-dialogue", "dc-a", "gdc-obj-3", "igf"]
    with pytest.raises(UsageError, match="not an objective"):
        select(tiny_graph, objective="igf")


def test_types_accept_types_and_categories(tiny_graph) -> None:
    assert sorted(select(tiny_graph, types=["igf_body"])) == ["dccg", "igf"]
    assert len(select(tiny_graph, types=["actor"])) == 5
    with pytest.raises(UsageError, match="did you mean 'igf_body'"):
        select(tiny_graph, types=["igf_bdy"])


def test_captions_are_dates_from_the_data_not_today(tiny_graph) -> None:
    assert newest_date(tiny_graph) == "2025-06-23"
    assert date_caption(tiny_graph, None) == "data to 2025-06-23"
    assert date_caption(tiny_graph, "2025-01-01") == "as of 2025-01-01"


def test_a_relation_finding_names_its_ends_and_its_edge() -> None:
    found = finding(
        "pending-proposal",
        ["x", "y"],
        "f",
        rel={"source": "x", "type": "ENGAGES_IN", "target": "z", "role": "lead"},
    )
    assert found.entity_ids == ("x", "y", "z")
    assert found.relation_id == "x|ENGAGES_IN|z|lead"
    assert finding("isolated-actor", ["x"], "e").relation_id is None


def test_gap_rules_run_through_the_queries_package(tiny_graph) -> None:
    found = run_gap_rules(store_of(tiny_graph), as_of="2025-06-30")
    rules = {f.rule for f in found}
    assert "pending-proposal" in rules
    assert all(f.explanation for f in found)


def test_gap_rules_without_an_igf_root_still_run(hostile) -> None:
    from mapper.dataset import to_graph

    found = run_gap_rules(store_of(to_graph(hostile)), as_of="2025-06-30")
    assert {f.rule for f in found} <= {"one-sided-activity", "pending-proposal", "stale-claim", "no-feedback"}
    assert any(f.rule == "pending-proposal" for f in found)
