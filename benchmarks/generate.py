"""Deterministic synthetic igf-mapper datasets of any size, for benchmarks and tests.

The shape follows the seed dataset: an ``igf`` root with its bodies, Dynamic Coalitions, NRIs
(youth NRIs nested in national ones), policy networks and BPFs PART_OF it; organisations that
are MEMBER_OF an ecosystem actor; outside governments, organisations and UN entities with
stakeholder groups; processes with activities, events and documents PART_OF them; GDC-style
objectives with their commitments; sources of every kind with (mostly) dates. Relations, about
two per entity, cover every relation type and keep to the schema's category rules
(``DEFAULT_SCHEMA.allows``). Statuses, sources and stakeholder groups are mixed so that every
gap rule has findings. Activity is skewed (a few hubs, many quiet entities), like real data.

Everything is drawn from one ``random.Random(seed)`` and never from set iteration order, so the
same ``(n_entities, seed)`` gives the same dataset in every process.

    >>> ds = generate(300, seed=1)
    >>> ds.counts()
    {'sources': 100, 'entities': 300, 'relations': 586}

Command line: ``python -m benchmarks.generate --entities 5000 --out big.json``
(format from the suffix: .json, .yaml/.yml, .xlsx, or a directory with ``--format csv``).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

from mapper.dataset import Dataset, Record, relation_key
from mapper.schema import DEFAULT_SCHEMA, SOURCE_KINDS, Schema

MIN_ENTITIES = 30
ROOT = "igf"

# (kind, entity type, id prefix, share of the non-root entities). Kinds are finer than types
# so that the ecosystem (the first five kinds) and the outside world can be told apart.
KINDS: tuple[tuple[str, str, str, float], ...] = (
    ("igf_body", "igf_body", "igfb", 0.01),
    ("dc", "dynamic_coalition", "dc", 0.05),
    ("nri", "nri", "nri", 0.08),
    ("pn", "policy_network", "pn", 0.01),
    ("bpf", "best_practice_forum", "bpf", 0.01),
    ("government", "government", "gov", 0.12),
    ("organization", "organization", "org", 0.31),
    ("un_entity", "un_entity", "un", 0.03),
    ("process", "process", "proc", 0.03),
    ("activity", "activity", "act", 0.15),
    ("objective", "objective", "obj", 0.02),
    ("commitment", "commitment", "para", 0.03),
    ("event", "event", "event", 0.07),
    ("document", "document", "doc", 0.08),
)
ECOSYSTEM_KINDS = ("igf_body", "dc", "nri", "pn", "bpf")
OUTSIDE_KINDS = ("government", "organization", "un_entity")

# Relation mix beyond the structural PART_OF/MEMBER_OF skeleton, as (type, relations per
# entity, from pools, to pools); pools are kinds or the groups "eco" and "outside". Together
# with the skeleton (~0.45 per entity) this gives about two relations per entity.
RELATION_PLAN: tuple[tuple[str, float, dict[str, float], dict[str, float]], ...] = (
    ("ENGAGES_IN", 0.70, {"eco": 0.5, "outside": 0.5}, {"activity": 0.7, "process": 0.15, "event": 0.15}),
    (
        "CONTRIBUTES_TO",
        0.18,
        {"eco": 0.4, "outside": 0.6},
        {"document": 0.5, "process": 0.25, "activity": 0.25},
    ),
    (
        "ADDRESSES",
        0.20,
        {"activity": 0.6, "process": 0.15, "document": 0.25},
        {"objective": 0.4, "commitment": 0.6},
    ),
    (
        "MANDATED_BY",
        0.06,
        {"activity": 0.5, "eco": 0.2, "process": 0.3},
        {"commitment": 0.4, "document": 0.4, "process": 0.2},
    ),
    ("MEMBER_OF", 0.04, {"outside": 0.8, "eco": 0.2}, {"un_entity": 0.5, "organization": 0.5}),
    ("COORDINATES_WITH", 0.05, {"eco": 0.5, "outside": 0.5}, {"eco": 0.5, "outside": 0.5}),
    ("REPORTS_TO", 0.03, {"eco": 0.6, "outside": 0.4}, {"igf_body": 0.5, "un_entity": 0.5}),
    ("CONVENES", 0.06, {"eco": 0.6, "outside": 0.4}, {"event": 1.0}),
    ("DISCUSSED_AT", 0.08, {"activity": 0.5, "process": 0.2, "document": 0.3}, {"event": 1.0}),
    (
        "ALIGNS_WITH",
        0.04,
        {"objective": 0.3, "commitment": 0.2, "activity": 0.3, "process": 0.2},
        {"objective": 0.4, "commitment": 0.3, "process": 0.3},
    ),
)
SUCCESSION_KINDS = ("process", "activity", "document", "event", "organization", "un_entity", "dc")
SUCCEEDED_PER_ENTITY = 0.01
# Share of contributions to a document that the document answers (RESPONDS_TO back), and
# extra actor -> actor responses per entity: the rest is what `no-feedback` finds.
ANSWERED_SHARE = 0.4
ACTOR_RESPONSES_PER_ENTITY = 0.01

SOURCE_KIND_WEIGHTS: dict[str, float] = {
    "meeting_summary": 0.15,
    "un_resolution": 0.05,
    "un_document": 0.10,
    "official_website": 0.25,
    "self_report": 0.12,
    "igf_mapping": 0.13,
    "news": 0.12,
    "secondary": 0.08,
}
STATUS_WEIGHTS = {"active": 0.58, "planned": 0.12, "proposed": 0.08, "requested": 0.06, "concluded": 0.16}
STRUCTURAL_STATUS_WEIGHTS = {"active": 0.9, "concluded": 0.04, "proposed": 0.04, "requested": 0.02}
ROLE_WEIGHTS = {
    "lead": 0.08,
    "co-lead": 0.06,
    "convener": 0.04,
    "facilitator": 0.05,
    "contributor": 0.3,
    "participant": 0.35,
    "observer": 0.08,
    "endorser": 0.04,
}
ORG_GROUPS = {
    "private-sector": 0.3,
    "civil-society": 0.3,
    "technical-community": 0.18,
    "academia": 0.14,
    "intergovernmental": 0.03,
    "": 0.05,  # no recorded group: one-sided-activity must cope
}
DC_GROUPS = {"multistakeholder": 0.5, "civil-society": 0.25, "technical-community": 0.15, "academia": 0.1}

TOPICS = (
    "Internet Rights and Principles", "Child Online Safety", "Accessibility and Disability",
    "Internet Standards, Security and Safety", "Data and Trust", "Digital Health",
    "Platform Responsibility", "Community Connectivity", "Gender and Internet Governance",
    "Blockchain Technologies", "Artificial Intelligence", "Environment", "Meaningful Access",
    "Internet Fragmentation", "Cybersecurity", "Digital Public Infrastructure", "Data Governance",
    "Information Integrity", "Digital Inclusion", "Schools on Internet Governance",
    "Core Internet Values", "Network Neutrality", "Small Island Developing States",
    "Youth Engagement", "Open Education", "Interplanetary Networking", "Digital Economy",
    "Capacity Development", "Human Rights Online", "Multilingual Internet",
)  # fmt: skip
COUNTRIES = (
    ("Kenya", "Africa"), ("Nigeria", "Africa"), ("Senegal", "Africa"), ("South Africa", "Africa"),
    ("Egypt", "Africa"), ("Brazil", "Latin America and Caribbean"), ("Mexico", "Latin America and Caribbean"),
    ("Colombia", "Latin America and Caribbean"), ("Chile", "Latin America and Caribbean"),
    ("Trinidad and Tobago", "Latin America and Caribbean"), ("India", "Asia-Pacific"),
    ("Japan", "Asia-Pacific"), ("Indonesia", "Asia-Pacific"), ("Bangladesh", "Asia-Pacific"),
    ("Samoa", "Asia-Pacific"), ("Australia", "Asia-Pacific"), ("Germany", "Western Europe and Others"),
    ("France", "Western Europe and Others"), ("Italy", "Western Europe and Others"),
    ("United Kingdom", "Western Europe and Others"), ("Canada", "Western Europe and Others"),
    ("Norway", "Western Europe and Others"), ("Poland", "Eastern Europe"), ("Ukraine", "Eastern Europe"),
    ("Armenia", "Eastern Europe"), ("Saudi Arabia", "Asia-Pacific"), ("Lebanon", "Asia-Pacific"),
    ("Argentina", "Latin America and Caribbean"), ("Ghana", "Africa"), ("Tunisia", "Africa"),
)  # fmt: skip
IGF_BODIES = (
    "Multistakeholder Advisory Group", "IGF Leadership Panel", "IGF Secretariat",
    "MAG Working Group on Strategy", "MAG Working Group on Hybrid Meetings", "IGF Support Association",
)  # fmt: skip
ORG_WORDS = (
    "Open",
    "Global",
    "Digital",
    "Civic",
    "Regional",
    "Internet",
    "Data",
    "Network",
    "Free",
    "Public",
)
ORG_NOUNS = ("Rights", "Access", "Futures", "Commons", "Standards", "Policy", "Society", "Infrastructure")
ORG_SUFFIXES = ("Alliance", "Foundation", "Institute", "Association", "Council", "Lab", "Centre", "Inc.")
UN_UNITS = ("Office", "Programme", "Commission", "Agency", "Task Force", "Special Rapporteur")
PROCESS_STEMS = (
    "GDC implementation:",
    "WSIS action line on",
    "CSTD review of",
    "Intergovernmental dialogue on",
)
ACTIVITY_STEMS = (
    "Capacity building on",
    "Mapping of",
    "Toolkit on",
    "Pilot on",
    "Research on",
    "Dialogue on",
)
EVENT_STEMS = (
    "IGF annual meeting",
    "WSIS Forum",
    "Regional IGF",
    "CSTD session",
    "Open consultation",
    "Webinar",
)
DOC_STEMS = ("Policy brief on", "Outcome document on", "Input paper on", "Annual report on", "Letter on")


class Pool:
    """Entity ids with skewed (Zipf-like) weights: a few hubs, a long tail."""

    def __init__(self, ids: Sequence[str], rng: Random, skew: float = 0.9):
        self.ids = list(ids)
        ranks = list(range(1, len(self.ids) + 1))
        rng.shuffle(ranks)  # hubs are spread over the id range, not the first ids created
        self.cum = list(itertools.accumulate(1.0 / r**skew for r in ranks))

    def __bool__(self) -> bool:
        return bool(self.ids)

    def pick(self, rng: Random) -> str:
        # Bisect on cumulative weights: O(log n) per draw, so generation stays linear-ish.
        i = bisect.bisect_right(self.cum, rng.random() * self.cum[-1])
        return self.ids[min(i, len(self.ids) - 1)]


def _weighted(rng: Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _allocate(total: int) -> dict[str, int]:
    """Entities per kind: shares of ``total`` by largest remainder, at least one of each."""
    exact = {kind: share * total for kind, _, _, share in KINDS}
    counts = {kind: max(1, int(value)) for kind, value in exact.items()}
    by_remainder = sorted(exact, key=lambda k: (-(exact[k] - int(exact[k])), k))
    for kind in itertools.cycle(by_remainder):
        diff = total - sum(counts.values())
        if diff == 0:
            break
        if diff > 0:
            counts[kind] += 1
        elif counts[kind] > 1:
            counts[kind] -= 1
    return counts


def _random_date(rng: Random, start_year: int = 2006, end_year: int = 2025, recent: bool = True) -> str:
    """An ISO date; with ``recent``, years are skewed towards the end of the range."""
    span = end_year - start_year
    years_back = min(span, int(rng.expovariate(1 / 3))) if recent else rng.randint(0, span)
    day = date(end_year - years_back, 1, 1) + timedelta(days=rng.randrange(365))
    return day.isoformat()


class _Generator:
    def __init__(self, n_entities: int, seed: int, schema: Schema):
        if n_entities < MIN_ENTITIES:
            raise ValueError(f"n_entities must be at least {MIN_ENTITIES}, not {n_entities}")
        self.n = n_entities
        self.rng = Random(seed)
        self.schema = schema
        self.sources: list[Record] = []
        self.sources_by_kind: dict[str, list[str]] = {k: [] for k in SOURCE_KINDS}
        self.entities: dict[str, Record] = {}
        self.by_kind: dict[str, list[str]] = {kind: [] for kind, *_ in KINDS}
        self.relations: dict[tuple[str, str, str, str], Record] = {}
        self.names: dict[str, int] = {}

    # --- sources ----------------------------------------------------------------------------

    def make_sources(self) -> None:
        rng = self.rng
        count = max(len(SOURCE_KINDS) * 4, self.n // 3)
        width = len(str(count))
        for i in range(count):
            # The first ones cycle through every kind so small datasets still have each kind.
            kind = SOURCE_KINDS[i] if i < len(SOURCE_KINDS) else _weighted(rng, SOURCE_KIND_WEIGHTS)
            sid = f"src-{i:0{width}d}"
            record: Record = {"id": sid, "kind": kind, "title": f"{kind.replace('_', ' ').capitalize()} {i}"}
            # Websites are often undated; other kinds mostly carry their publication date.
            if rng.random() < (0.4 if kind == "official_website" else 0.9):
                record["date"] = _random_date(rng)
            if kind in ("official_website", "news", "secondary", "self_report", "igf_mapping"):
                record["url"] = f"https://example.org/{kind}/{i}"
            if kind == "meeting_summary":
                record["locator"] = f"agenda item {rng.randint(1, 6)}"
            elif kind in ("un_document", "un_resolution"):
                record["locator"] = f"para {rng.randint(1, 80)}"
            self.sources.append(record)
            self.sources_by_kind[kind].append(sid)
        self.source_ids = [s["id"] for s in self.sources]

    def pick_sources(self, k: int, mapping: bool = False) -> list[str]:
        """``k`` distinct source ids (kinds by weight); ``mapping`` adds an igf_mapping one."""
        rng = self.rng
        picked: list[str] = []
        if mapping:
            picked.append(rng.choice(self.sources_by_kind["igf_mapping"]))
        while len(picked) < k:
            sid = rng.choice(self.sources_by_kind[_weighted(rng, SOURCE_KIND_WEIGHTS)])
            if sid not in picked:
                picked.append(sid)
        return picked

    # --- entities ---------------------------------------------------------------------------

    def unique_name(self, name: str) -> str:
        seen = self.names.get(name, 0)
        self.names[name] = seen + 1
        return name if not seen else f"{name} {seen + 1}"

    def name_for(self, kind: str, i: int, country: str) -> str:
        rng = self.rng
        topic = rng.choice(TOPICS)
        names = {
            "igf_body": lambda: IGF_BODIES[i % len(IGF_BODIES)],
            "dc": lambda: f"Dynamic Coalition on {topic}",
            "nri": lambda: f"{'Youth ' if rng.random() < 0.25 else ''}{country} IGF",
            "pn": lambda: f"Policy Network on {topic}",
            "bpf": lambda: f"Best Practice Forum on {topic}",
            "government": lambda: f"Government of {country}",
            "organization": lambda: (
                f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_NOUNS)} {rng.choice(ORG_SUFFIXES)}"
            ),
            "un_entity": lambda: f"UN {rng.choice(UN_UNITS)} on {topic}",
            "process": lambda: f"{rng.choice(PROCESS_STEMS)} {topic}",
            "activity": lambda: f"{rng.choice(ACTIVITY_STEMS)} {topic}",
            "objective": lambda: f"GDC objective {i + 1}: {topic}",
            "commitment": lambda: f"GDC paragraph {i + 1}",
            "event": lambda: f"{rng.choice(EVENT_STEMS)} {_random_date(rng)[:4]}",
            "document": lambda: f"{rng.choice(DOC_STEMS)} {topic}",
        }
        return self.unique_name(names[kind]())

    def make_entities(self) -> None:
        rng = self.rng
        self.entities[ROOT] = {
            "id": ROOT,
            "type": "igf_body",
            "name": "Internet Governance Forum",
            "aliases": ["IGF"],
            "stakeholder_group": "multistakeholder",
            "url": "https://www.intgovforum.org/",
            "description": "Root of the synthetic IGF ecosystem.",
            "tags": ["igf-ecosystem-root"],
            "sources": self.pick_sources(2),
        }
        counts = _allocate(self.n - 1)
        for kind, etype, prefix, _ in KINDS:
            width = len(str(counts[kind]))
            for i in range(counts[kind]):
                country, region = rng.choice(COUNTRIES)
                eid = f"{prefix}-{i:0{width}d}"
                record: Record = {"id": eid, "type": etype, "name": self.name_for(kind, i, country)}
                if rng.random() < 0.2:
                    record["aliases"] = ["".join(w[0] for w in record["name"].split() if w[0].isupper())]
                group = self.stakeholder_group(kind)
                if group:
                    record["stakeholder_group"] = group
                if kind in ("nri", "government") or (kind in OUTSIDE_KINDS and rng.random() < 0.5):
                    record["region"], record["country"] = region, country
                if rng.random() < 0.5:
                    record["url"] = f"https://example.org/{prefix}/{i}"
                if rng.random() < 0.3:
                    record["description"] = f"Synthetic {etype.replace('_', ' ')} number {i}."
                if rng.random() < 0.15:
                    record["valid_from"] = _random_date(rng, 2006, 2024, recent=False)
                    if rng.random() < 0.3:
                        record["valid_to"] = _random_date(
                            rng, int(record["valid_from"][:4]) + 1, 2026, recent=False
                        )
                if rng.random() < 0.25:
                    record["tags"] = sorted({rng.choice(("gdc", "wsis", "youth", "ai", "access", "rights"))})
                record["sources"] = self.pick_sources(1 + (rng.random() < 0.3))
                self.entities[eid] = record
                self.by_kind[kind].append(eid)

    def stakeholder_group(self, kind: str) -> str:
        rng = self.rng
        if kind in ("igf_body", "nri", "pn", "bpf"):
            return "multistakeholder"
        if kind == "dc":
            return _weighted(rng, DC_GROUPS)
        if kind == "government":
            return "government"
        if kind == "un_entity":
            return "intergovernmental"
        if kind == "organization":
            return _weighted(rng, ORG_GROUPS)
        return ""

    # --- relations --------------------------------------------------------------------------

    def add(self, source: str, rtype: str, target: str, structural: bool = False, **extra: Any) -> bool:
        """Add a relation with drawn status, dates, confidence and sources; False when it would
        be a self-loop, a duplicate, or not allowed by the schema's category rules."""
        if source == target:
            return False
        rng = self.rng
        s_type, t_type = self.entities[source]["type"], self.entities[target]["type"]
        if not self.schema.allows(rtype, self.schema.category(s_type), self.schema.category(t_type)):
            return False
        if rtype == "SUCCEEDED_BY" and s_type != t_type:
            return False
        record: Record = {"source": source, "type": rtype, "target": target, **extra}
        if rtype in ("ENGAGES_IN", "CONTRIBUTES_TO") and "role" not in record:
            record["role"] = _weighted(rng, ROLE_WEIGHTS)
        key = relation_key(record)
        if key in self.relations:
            return False
        status = _weighted(rng, STRUCTURAL_STATUS_WEIGHTS if structural else STATUS_WEIGHTS)
        record["status"] = status
        if rng.random() < 0.6 or status == "concluded":
            record["since"] = _random_date(rng, 2010, 2025)
            if status == "concluded":
                end = date.fromisoformat(record["since"]) + timedelta(days=rng.randrange(30, 1500))
                record["until"] = min(end, date(2025, 12, 31)).isoformat()
        record["confidence"] = _weighted(rng, {"high": 0.5, "medium": 0.35, "low": 0.15})
        # Some ecosystem engagements are in the IGF's own mapping; most are not (a gap).
        mapping = rtype == "ENGAGES_IN" and source in self.eco_set and rng.random() < 0.3
        record["sources"] = self.pick_sources(1 + (rng.random() < 0.35) + (rng.random() < 0.1), mapping)
        if rng.random() < 0.05:
            record["note"] = f"Synthetic note {len(self.relations)}."
        self.relations[key] = record
        return True

    def pool_pick(self, weights: dict[str, float]) -> str:
        return self.pools[_weighted(self.rng, weights)].pick(self.rng)

    def make_structure(self) -> None:
        """PART_OF/MEMBER_OF skeleton: the ecosystem, processes and objectives."""
        rng, kinds = self.rng, self.by_kind
        national = [n for n in kinds["nri"] if not self.entities[n]["name"].startswith("Youth ")][:20]
        for kind in ECOSYSTEM_KINDS:
            for eid in kinds[kind]:
                parent = ROOT
                # Youth NRIs sit inside a national NRI, so the ecosystem is more than one hop deep.
                if kind == "nri" and self.entities[eid]["name"].startswith("Youth ") and national:
                    parent = rng.choice(national)
                self.add(eid, "PART_OF", parent, structural=True)
        hosts = kinds["dc"] + kinds["nri"]
        for eid in kinds["organization"]:
            if rng.random() < 0.2:  # members of a DC or NRI join the ecosystem
                self.add(eid, "MEMBER_OF", rng.choice(hosts), structural=True)
        processes = kinds["process"]
        for eid in processes[len(processes) // 3 :]:
            if rng.random() < 0.4:
                self.add(
                    eid, "PART_OF", rng.choice(processes[: max(1, len(processes) // 3)]), structural=True
                )
        for eid in kinds["activity"]:
            if rng.random() < 0.1 and len(kinds["activity"]) > 1:
                self.add(eid, "PART_OF", rng.choice(kinds["activity"]), structural=True)
            else:
                self.add(eid, "PART_OF", self.pools["process"].pick(rng), structural=True)
        for eid in kinds["commitment"]:
            self.add(eid, "PART_OF", rng.choice(kinds["objective"]), structural=True)
        for kind, share in (("event", 0.6), ("document", 0.3)):
            for eid in kinds[kind]:
                if rng.random() < share:
                    self.add(eid, "PART_OF", self.pools["process"].pick(rng), structural=True)

    def make_relations(self) -> None:
        rng = self.rng
        for rtype, per_entity, sources, targets in RELATION_PLAN:
            for _ in range(max(1, round(per_entity * self.n))):
                for _attempt in range(10):
                    if self.add(self.pool_pick(sources), rtype, self.pool_pick(targets)):
                        break
        for _ in range(max(1, round(SUCCEEDED_PER_ENTITY * self.n))):
            pool = self.pools[rng.choice(SUCCESSION_KINDS)]
            if len(pool.ids) > 1:
                self.add(pool.pick(rng), "SUCCEEDED_BY", pool.pick(rng))
        # Some input gets an answer (document -> contributor); the rest is `no-feedback`.
        contributions = [r for r in self.relations.values() if r["type"] == "CONTRIBUTES_TO"]
        for rel in contributions:
            if self.entities[rel["target"]]["type"] == "document" and rng.random() < ANSWERED_SHARE:
                self.add(rel["target"], "RESPONDS_TO", rel["source"])
        for _ in range(max(1, round(ACTOR_RESPONSES_PER_ENTITY * self.n))):
            self.add(
                self.pool_pick({"eco": 0.5, "outside": 0.5}),
                "RESPONDS_TO",
                self.pool_pick({"eco": 0.5, "outside": 0.5}),
            )

    def run(self) -> Dataset:
        self.make_sources()
        self.make_entities()
        rng = self.rng
        self.pools = {kind: Pool(ids, rng) for kind, ids in self.by_kind.items()}
        eco = [ROOT] + [e for k in ECOSYSTEM_KINDS for e in self.by_kind[k]]
        self.eco_set = frozenset(eco)
        self.pools["eco"] = Pool(eco, rng)
        self.pools["outside"] = Pool([e for k in OUTSIDE_KINDS for e in self.by_kind[k]], rng)
        self.make_structure()
        self.make_relations()
        return Dataset.from_records(
            self.sources, self.entities.values(), self.relations.values(), self.schema
        )


def generate(n_entities: int, seed: int = 0, schema: Schema = DEFAULT_SCHEMA) -> Dataset:
    """A valid synthetic dataset of exactly ``n_entities`` entities (at least 30).

    Sources number about a third of the entities; relations about two per entity. The same
    arguments always give the same dataset.
    """
    return _Generator(n_entities, seed, schema).run()


def main(argv: Sequence[str] | None = None) -> int:
    from mapper.writers import DATASET_FORMATS, write_dataset

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--entities", "-n", type=int, default=5000, help="number of entities (default 5000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", "-o", type=Path, required=True, help="output file (or directory for csv)")
    parser.add_argument("--format", choices=DATASET_FORMATS, help="default: from the suffix of --out")
    args = parser.parse_args(argv)
    fmt = args.format or {".yml": "yaml"}.get(args.out.suffix.lower(), args.out.suffix.lower().lstrip("."))
    if fmt not in DATASET_FORMATS:
        parser.error(f"cannot tell the format from {args.out}; give --format ({', '.join(DATASET_FORMATS)})")
    try:
        dataset = generate(args.entities, args.seed)
    except ValueError as err:
        parser.error(str(err))
    written = write_dataset(dataset, args.out, fmt)
    counts = dataset.counts()
    print(
        f"wrote {', '.join(map(str, written))}: {counts['entities']} entities, "
        f"{counts['relations']} relations, {counts['sources']} sources (seed {args.seed})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
