"""diff between two mapping rounds: two versions of a small dataset, as stores and as files."""

from __future__ import annotations

import copy

import yaml

from mapper.dataset import Dataset
from mapper.store import EmbeddedStore, open_round, write_store_file
from queries.diff import diff
from tests.queries.helpers import SOURCES, E, R, base_entities, base_relations


def rounds():
    ents = [*base_entities(), E("t", "activity"), E("doc", "document")]
    old_rels = [
        *base_relations(),
        R("dc-a", "ENGAGES_IN", "t", role="participant"),
        R("dc-a", "CONTRIBUTES_TO", "doc"),
        R("dc-b", "ENGAGES_IN", "t", role="lead", status="proposed"),
    ]
    new_ents = [*copy.deepcopy(ents), E("dc-c", stakeholder_group="academia")]
    new_ents[1]["name"] = "Dynamic Coalition A"  # dc-a renamed
    new_ents[1]["aliases"] = ["DCA", "DC-A"]
    del new_ents[3]  # itu removed
    new_rels = [
        *base_relations(),
        R("dc-a", "ENGAGES_IN", "t", role="participant", sources=["s", "map"]),  # now reflected
        R("dc-a", "CONTRIBUTES_TO", "doc"),
        R("doc", "RESPONDS_TO", "dc-a"),  # feedback arrived
        R("dc-b", "ENGAGES_IN", "t", role="lead", status="active"),  # proposal agreed
        R("dc-c", "PART_OF", "igf"),  # new, isolated
    ]
    old = Dataset.from_records(SOURCES, ents, old_rels)
    new = Dataset.from_records(SOURCES, new_ents, new_rels)
    return old, new


def test_entities_relations_and_fields():
    old, new = rounds()
    result = diff(EmbeddedStore(old), EmbeddedStore(new))
    ents = result.sections["entities"]
    assert [e["id"] for e in ents["added"]] == ["dc-c"]
    assert [e["id"] for e in ents["removed"]] == ["itu"]
    assert ents["changed"] == [
        {
            "id": "dc-a",
            "changes": [
                {"field": "name", "old": "DC-A", "new": "Dynamic Coalition A"},
                {"field": "aliases", "old": ["DCA"], "new": ["DCA", "DC-A"]},
            ],
        }
    ]
    rels = result.sections["relations"]
    assert ["|".join((r["source"], r["type"], r["target"])) for r in rels["added"]] == [
        "dc-c|PART_OF|igf",
        "doc|RESPONDS_TO|dc-a",
    ]
    assert rels["removed"] == []
    changed = {c["id"]: c["changes"] for c in rels["changed"]}
    assert changed == {
        "dc-a|ENGAGES_IN|t|participant": [{"field": "sources", "old": ["s"], "new": ["s", "map"]}],
        "dc-b|ENGAGES_IN|t|lead": [{"field": "status", "old": "proposed", "new": "active"}],
    }
    assert rels["changed"][0]["key"] == {
        "source": "dc-a",
        "type": "ENGAGES_IN",
        "target": "t",
        "role": "participant",
    }
    assert result.summary["sources"] == {"added": 0, "removed": 0, "changed": 0}


def test_gap_findings_opened_and_closed():
    old, new = rounds()
    result = diff(EmbeddedStore(old), EmbeddedStore(new), as_of="2024-10-31")
    closed = {(f.rule, f.subjects) for f in result.closed}
    opened = {(f.rule, f.subjects) for f in result.opened}
    assert closed == {
        ("no-feedback", ("dc-a", "doc")),  # the response arrived
        ("pending-proposal", ("dc-b", "t")),  # the proposal was agreed
        ("unreflected-engagement", ("dc-a", "t")),  # the IGF mapping now cites it
        ("one-sided-activity", ("t",)),  # dc-b (technical community) joined dc-a (civil society)
    }
    assert opened == {
        ("isolated-actor", ("dc-c",)),  # a new DC with no work
        ("unreflected-engagement", ("dc-b", "t")),  # the agreed engagement is not in the IGF mapping
    }
    assert result.summary["gaps"] == {"opened": len(result.opened), "closed": len(result.closed)}


def test_same_round_has_no_changes_and_rules_subset():
    old, _ = rounds()
    result = diff(EmbeddedStore(old), EmbeddedStore(old))
    assert not result.changed_anything
    assert result.rows() == []
    _, new = rounds()
    only = diff(EmbeddedStore(old), EmbeddedStore(new), rules=["pending-proposal"])
    assert [f.rule for f in only.closed] == ["pending-proposal"] and only.opened == []


def test_files_and_store_files(tmp_path):
    old, new = rounds()
    old_dir = tmp_path / "round1"
    old_dir.mkdir()
    (old_dir / "data.yaml").write_text(yaml.safe_dump(old.to_document(), sort_keys=False), encoding="utf-8")
    store_file = tmp_path / "store.json"
    write_store_file(store_file, new)
    result = diff(open_round(old_dir), open_round(store_file))
    assert result.old == str(old_dir) and result.new == str(store_file)
    assert [e["id"] for e in result.sections["entities"]["added"]] == ["dc-c"]
    data = result.to_json()
    assert list(data) == ["old", "new", "as_of", "summary", "entities", "relations", "sources", "gaps"]
    assert list(data["gaps"]) == ["params", "opened", "closed"]
    assert list(data["entities"]) == ["added", "removed", "changed"]
    rows = result.rows()
    assert {
        "section": "entities",
        "change": "added",
        "id": "dc-c",
        "detail": "dynamic_coalition: DC-C",
    } in rows
    assert any(r["section"] == "gaps" and r["change"] == "closed" for r in rows)
