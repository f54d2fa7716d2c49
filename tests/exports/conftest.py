"""Fixtures for the export tests: a tiny hand-built graph, a hostile dataset, the seed store,
and a real headless Chromium (never skipped in CI)."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from mapper.dataset import Dataset, from_graph, to_graph
from mapper.store import EmbeddedStore

SOURCES = [
    {
        "id": "s-meeting",
        "kind": "meeting_summary",
        "title": "MAG WG-Strategy meeting summary",
        "date": "2024-10-31",
        "url": "https://www.intgovforum.org/en/mag-wg-strategy",
        "locator": "agenda item 3",
    },
    {"id": "s-map", "kind": "igf_mapping", "title": "IGF mapping of GDC engagement", "date": "2025-03-01"},
    {"id": "s-news", "kind": "news", "title": "A news item", "date": "2023-05-02"},
]


def E(ident: str, type: str, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "type": type,
        "name": name,
        "sources": fields.pop("sources", ["s-meeting"]),
        **fields,
    }


def R(source: str, type: str, target: str, **fields: Any) -> dict[str, Any]:
    fields.setdefault("sources", ["s-meeting"])
    return {"source": source, "type": type, "target": target, **fields}


def tiny_dataset() -> Dataset:
    """Ten entities of every category and fourteen relations of many types and statuses,
    with parallel edges, a symmetric relation, dates, aliases and tags."""
    entities = [
        E(
            "igf",
            "igf_body",
            "Internet Governance Forum",
            aliases=["IGF"],
            stakeholder_group="multistakeholder",
            url="https://www.intgovforum.org/",
            tags=["un", "forum"],
        ),
        E(
            "dccg",
            "igf_body",
            "Dynamic Coalition Coordination Group",
            aliases=["DCCG"],
            stakeholder_group="multistakeholder",
            description="Coordinates the Dynamic Coalitions.",
        ),
        E(
            "dc-a",
            "dynamic_coalition",
            "Dynamic Coalition on Accessibility",
            stakeholder_group="civil-society",
        ),
        E(
            "nri-x",
            "nri",
            "Ruritania IGF",
            stakeholder_group="multistakeholder",
            country="RU",
            region="Europe",
        ),
        E("itu", "un_entity", "International Telecommunication Union", stakeholder_group="intergovernmental"),
        E("gdc-impl", "process", "GDC implementation", valid_from="2024-09-22"),
        E("ai-dialogue", "activity", "Global dialogue on AI governance", valid_from="2025-01-01"),
        E("gdc-obj-3", "objective", "GDC objective 3: inclusive digital economy"),
        E("igf-2025", "event", "IGF 2025", valid_from="2025-06-23", valid_to="2025-06-27"),
        E("wsis20-letter", "document", "WSIS+20 letter", sources=["s-news"]),
    ]
    relations = [
        R("dccg", "PART_OF", "igf", status="active"),
        R("dc-a", "PART_OF", "igf", status="active"),
        R("nri-x", "MEMBER_OF", "igf", status="active"),
        R("ai-dialogue", "PART_OF", "gdc-impl", status="active"),
        R("ai-dialogue", "ADDRESSES", "gdc-obj-3", status="active"),
        R("dc-a", "ENGAGES_IN", "ai-dialogue", role="contributor", status="active", sources=["s-map"]),
        R("dc-a", "ENGAGES_IN", "ai-dialogue", role="observer", status="planned", since="2025-02-01"),
        R("igf", "ENGAGES_IN", "ai-dialogue", role="convener", status="proposed"),
        R("itu", "ENGAGES_IN", "gdc-impl", role="lead", status="active", confidence="high"),
        R(
            "dccg",
            "CONTRIBUTES_TO",
            "wsis20-letter",
            status="requested",
            note="Asked to see the letter first.",
        ),
        R("dccg", "COORDINATES_WITH", "nri-x", status="active"),
        R("igf", "CONVENES", "igf-2025", status="planned"),
        R("ai-dialogue", "DISCUSSED_AT", "igf-2025", status="planned"),
        R(
            "nri-x",
            "ENGAGES_IN",
            "gdc-impl",
            role="participant",
            status="concluded",
            since="2024-01-01",
            until="2024-12-31",
            sources=["s-news"],
        ),
    ]
    return Dataset.from_records(SOURCES, entities, relations)


@pytest.fixture
def tiny() -> Dataset:
    return tiny_dataset()


@pytest.fixture
def tiny_graph() -> nx.MultiDiGraph:
    return to_graph(tiny_dataset())


# --- hostile data -----------------------------------------------------------------------------

PAYLOADS = [
    "<script>window.__pwned=1;alert('script')</script>",
    '<img src=x onerror="window.__pwned=2;alert(2)">',
    '"><svg onload="window.__pwned=3;alert(3)">',
    "</script><script>window.__pwned=4;alert(4)</script>",
    "'; window.__pwned=5; alert(5); //",
    "<!-- {{7*7}} ${alert(6)} $x^2$ -->",
]
RTL = "منتدى حوكمة الإنترنت \u202egnp.exe"
CJK = "互联网治理论坛 「多利益攸关方」"
BAD_URLS = [
    "javascript:window.__pwned=7;alert(7)",
    "data:text/html,<script>alert(8)</script>",
    'https://example.org/"><script>window.__pwned=9</script>',
    "JaVaScRiPt:alert(10)",
]


def hostile_dataset() -> Dataset:
    """Names, aliases, descriptions, notes and source titles holding markup, script, quotes,
    right-to-left and CJK text; URLs with javascript: and data: schemes."""
    sources = [
        {"id": f"h-src-{i}", "kind": "news", "title": p, "url": BAD_URLS[i % len(BAD_URLS)], "locator": p}
        for i, p in enumerate(PAYLOADS)
    ]
    sources.append(
        {"id": "h-src-ok", "kind": "official_website", "title": CJK, "url": "https://example.org/ok"}
    )
    entities = [
        {
            "id": f"h-{i}",
            "type": "dynamic_coalition",
            "name": p,
            "aliases": [PAYLOADS[-1 - i], RTL],
            "description": PAYLOADS[(i + 1) % len(PAYLOADS)] + "\n" + CJK,
            "url": BAD_URLS[i % len(BAD_URLS)],
            "tags": [p],
            "stakeholder_group": "civil-society",
            "sources": [f"h-src-{i}", "h-src-ok"],
        }
        for i, p in enumerate(PAYLOADS)
    ]
    entities += [
        {"id": "h-rtl", "type": "nri", "name": RTL, "sources": ["h-src-ok"]},
        {"id": "h-cjk", "type": "activity", "name": CJK, "description": RTL, "sources": ["h-src-ok"]},
        {"id": "h-obj", "type": "objective", "name": PAYLOADS[0] + " objective", "sources": ["h-src-ok"]},
    ]
    relations = [
        {
            "source": f"h-{i}",
            "type": "ENGAGES_IN",
            "target": "h-cjk",
            "role": "participant",
            "status": ["active", "planned", "proposed", "requested", "concluded"][i % 5],
            "note": p,
            "sources": [f"h-src-{i}"],
        }
        for i, p in enumerate(PAYLOADS)
    ]
    relations += [
        {"source": "h-cjk", "type": "ADDRESSES", "target": "h-obj", "sources": ["h-src-ok"]},
        {
            "source": "h-0",
            "type": "COORDINATES_WITH",
            "target": "h-rtl",
            "note": RTL,
            "sources": ["h-src-ok"],
        },
    ]
    return Dataset.from_records(sources, entities, relations)


@pytest.fixture
def hostile() -> Dataset:
    return hostile_dataset()


# --- the seed ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_store() -> EmbeddedStore:
    from mapper.store import seed_dataset

    return EmbeddedStore(seed_dataset())


# The browser fixture (`chromium`) is in tests/conftest.py: one Playwright per session, since a
# second sync_playwright() inside the first fails ("Sync API inside the asyncio loop").


def store_of(graph: nx.MultiDiGraph) -> EmbeddedStore:
    """An in-memory store over ``graph`` (exports take a store)."""
    return EmbeddedStore(from_graph(graph))
