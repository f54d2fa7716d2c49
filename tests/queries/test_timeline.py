"""The timeline on hand-built graphs."""

from __future__ import annotations

import pytest

from mapper.errors import UsageError
from queries.timeline import EVENT_KEYS, timeline
from tests.queries.helpers import world


def test_events_in_order():
    events = timeline(world()).events
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    assert (events[0]["date"], events[0]["id"], events[0]["event"]) == ("2021-01-20", "oset", "start")
    day = [(e["kind"], e["id"], e["event"]) for e in events if e["date"] == "2024-09-22"]
    assert day == [("entity", "summit", "start"), ("relation", "oset|ENGAGES_IN|gdc|lead", "start")]
    assert all(tuple(e) == EVENT_KEYS for e in events)


def test_since_until():
    result = timeline(world(), "2024-12-31", "2025-01-01")
    assert [(e["date"], e["event"], e["id"]) for e in result.events] == [
        ("2024-12-31", "end", "oset"),
        ("2024-12-31", "end", "oset|ENGAGES_IN|gdc|lead"),
        ("2025-01-01", "start", "odet"),
        ("2025-01-01", "start", "odet|ENGAGES_IN|gdc|lead"),
    ]
    assert result.events[1]["label"] == "oset -ENGAGES_IN{lead, active}-> gdc"
    with pytest.raises(UsageError):
        timeline(world(), "2025-01-02", "2025-01-01")
    with pytest.raises(UsageError):
        timeline(world(), "2025-13-01")


def test_as_of():
    ids = {e["id"] for e in timeline(world(), as_of="2025-02-01").events}
    assert "odet" in ids and "oset" not in ids and "summit" not in ids


def test_json_shape():
    assert list(timeline(world()).to_json()) == ["since", "until", "as_of", "events"]
