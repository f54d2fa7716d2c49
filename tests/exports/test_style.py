"""Colours for types nobody declared one for: a schema extension's types, or a new built-in type,
get palette colours instead of a KeyError in every map and figure."""

from __future__ import annotations

from pathlib import Path

from exports import style
from exports.export import export
from exports.html_map import write_map
from mapper.dataset import Dataset, to_graph
from mapper.schema import DEFAULT_ENTITY_TYPES, DEFAULT_RELATION_TYPES, DEFAULT_SCHEMA
from mapper.store import EmbeddedStore

EXTENSION = {
    "entity_types": {"think_tank": "actor"},
    "relation_types": {"FUNDS": {"from": ["actor"], "to": ["activity", "process"]}},
}


def extended_store() -> EmbeddedStore:
    sources = [{"id": "s", "kind": "news", "title": "A news item", "date": "2025-01-01"}]
    entities = [
        {"id": "tt", "type": "think_tank", "name": "A think tank", "sources": ["s"]},
        {"id": "dc", "type": "dynamic_coalition", "name": "A coalition", "sources": ["s"]},
        {"id": "act", "type": "activity", "name": "An activity", "sources": ["s"]},
    ]
    relations = [
        {"source": "tt", "type": "FUNDS", "target": "act", "status": "active", "sources": ["s"]},
        {"source": "dc", "type": "ENGAGES_IN", "target": "act", "status": "active", "sources": ["s"]},
    ]
    return EmbeddedStore(
        Dataset.from_records(sources, entities, relations, DEFAULT_SCHEMA.extended(EXTENSION))
    )


def test_a_schema_extension_type_gets_a_palette_colour_in_the_legend() -> None:
    legend = style.legend(to_graph(extended_store().dataset))
    colour = {t["name"]: t["colour"] for t in legend["types"]}
    assert colour["think_tank"] == style.EXTRA_COLOURS[0]
    assert colour["dynamic_coalition"] == style.ENTITY_COLOURS["dynamic_coalition"]
    assert {r["name"]: r["colour"] for r in legend["relations"]}["FUNDS"] == style.EXTRA_RELATION_COLOURS[0]


def test_a_built_in_type_without_a_declared_colour_gets_one_from_the_palette() -> None:
    # A type added to the schema's built-ins before anyone chose its colour.
    builtin = [*DEFAULT_ENTITY_TYPES, "research_network"]
    got = style.colours(["think_tank"], builtin, style.ENTITY_COLOURS, style.EXTRA_COLOURS)
    assert got["research_network"] == style.EXTRA_COLOURS[0]  # sorted: research_network, think_tank
    assert got["think_tank"] == style.EXTRA_COLOURS[1]
    assert all(got[t] == style.ENTITY_COLOURS[t] for t in DEFAULT_ENTITY_TYPES)
    relations = style.colours(
        [], [*DEFAULT_RELATION_TYPES, "HOSTS"], style.RELATION_COLOURS, style.EXTRA_RELATION_COLOURS
    )
    assert relations["HOSTS"] == style.EXTRA_RELATION_COLOURS[0]


def test_maps_and_figures_draw_extension_types(tmp_path: Path) -> None:
    store = extended_store()
    result = write_map(store, tmp_path / "m.html")
    assert (result.nodes, result.edges) == (3, 2)
    assert style.EXTRA_COLOURS[0] in (tmp_path / "m.html").read_text(encoding="utf-8")
    figure = export(store, "svg", tmp_path / "m.svg")
    assert figure.nodes == 3 and (tmp_path / "m.svg").stat().st_size > 1000
