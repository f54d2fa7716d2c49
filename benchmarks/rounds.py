"""A mapping round's returns built from the seed, with what was planted in them known, and the
intake benchmark.

:func:`plant_returns` writes return files (XLSX, CSV folders, YAML, JSON, named
``ROUND--CONTRIBUTOR``) for NRIs of the seed: each holds what the store records of its
contributor (confirmations), plus planted duplicates of existing entities (renamed: submitted
under another of its names; acronym; accent; typo; word order; country code), planted new
entities that are not duplicates, planted conflicts with the store (status, role or dates
changed) and between returns (the same new relation with another status), and, when asked,
one malformed file. Its :class:`Planted` says which is which, so tests measure recall and
precision (tests/rounds/test_corpus.py).

    python -m benchmarks.rounds             # intake of 200 files x 20 rows against the seed
    python -m benchmarks.rounds --files 20  # a smaller run
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.dataset import Dataset, Record, RelationKey, relation_key, relation_key_str
from mapper.rounds.matching import acronym, fold
from mapper.rounds.templates import contributor_datasets, template_stem
from mapper.schema import ROLES, STATUSES

FORMATS = ("xlsx", "csv", "yaml", "json")
VARIANTS = ("renamed", "acronym", "accent", "typo", "word-order", "country-code")
_ACCENTS = str.maketrans({"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"})
#: Names of planted new entities: none of them is in the seed.
NEW_NAMES = (
    "Digital Inclusion Observatory",
    "Coalition for Rural Broadband Access",
    "Open Spectrum Alliance",
    "Pacific Youth Cyber Network",
    "Data Justice Collective",
    "Civic Tech Hub",
    "Network for Platform Accountability",
    "Alliance of Community Networks",
    "Women in Infrastructure Forum",
    "Sahel Digital Skills Initiative",
    "Forum for Algorithmic Transparency",
    "Association of Internet Exchange Operators",
    "Lake Region Innovation Lab",
    "Trust and Safety Practitioners Circle",
    "Caribbean Open Data Network",
    "Mountain Communities Connectivity Fund",
    "Public Interest Technology Guild",
    "Andean Internet Society Chapter",
    "Coastal Cities Smart Governance Council",
    "Digital Heritage Archive Project",
    "Global Accessibility Testers League",
    "Northern Fibre Cooperative",
    "Student Network on Cyber Norms",
    "Media Literacy Workshop Series",
    "Indigenous Languages Online Trust",
    "Quantum Readiness Working Circle",
    "Repair and Reuse Electronics Network",
    "Green Data Centres Compact",
    "Children's Online Rights Bureau",
    "Rural Radio and Internet Partnership",
    "Wireless Mesh Builders",
    "Cloud Sovereignty Study Group",
    "Fact Checkers Federation",
    "Secure Elections Technology Panel",
    "Farmers Digital Market Union",
    "Deaf Accessibility Advocates",
    "Desert Solar Connectivity Initiative",
    "Library Connectivity Champions",
    "Open Source Health Records Group",
    "Payment Inclusion Council",
)


@dataclass
class Planted:
    """What was planted: ``duplicates[(return, submitted id)] = (existing id, variant)``,
    ``new`` entity ids (return, id), ``conflicts`` (return, relation key), the malformed return."""

    files: list[Path] = field(default_factory=list)
    duplicates: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    new: set[tuple[str, str]] = field(default_factory=set)
    conflicts: set[tuple[str, str]] = field(default_factory=set)
    malformed: str | None = None
    rows: int = 0


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def variant_name(entity: Record, variant: str, by_code: dict[str, str], rng: random.Random) -> str | None:
    """The name a contributor might give ``entity`` instead of its own (None: not possible)."""
    name = str(entity["name"])
    words = name.split()
    if variant == "renamed":
        others = [a for a in entity.get("aliases") or [] if len(a.split()) > 1]
        return others[0] if others else None
    if variant == "acronym":
        if len(words) >= 3:
            short = acronym(fold(name).split())
            return short.upper() if len(short) >= 3 else None
        expanded = [a for a in entity.get("aliases") or [] if acronym(fold(a).split()) == fold(name)]
        return expanded[0] if expanded else None
    if variant == "accent":
        return name.translate(_ACCENTS) if len(words) >= 2 else None
    if variant == "typo":
        long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
        if len(words) < 2 or not long:
            return None
        i = rng.choice(long)
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # two letters swapped, as typed in haste
        return " ".join(words)
    if variant == "word-order":
        return " ".join(reversed(words)) if len(words) >= 2 else None
    if variant == "country-code":
        code = entity.get("country")
        country = by_code.get(str(code or ""))
        return name.replace(country, str(code)) if country and country in name else None
    raise ValueError(variant)


def _duplicate_pool(seed: Dataset) -> list[tuple[str, str]]:
    """(entity id, variant) pairs a duplicate can be planted for, variants spread evenly."""
    from mapper.rounds.matching import country_names  # the names the matcher reads

    by_code = {code: name.title() for code, name in country_names()[0].items()}
    rng = random.Random(1)
    acronyms: dict[str, int] = {}
    for e in seed.entities.values():
        key = acronym(fold(str(e["name"])).split())
        acronyms[key] = acronyms.get(key, 0) + 1
    pool: dict[str, list[str]] = {v: [] for v in VARIANTS}
    for ident in sorted(seed.entities):
        entity = seed.entities[ident]
        if seed.schema.category(entity["type"]) != "actor":
            continue  # what contributors name: organisations, NRIs, coalitions
        for variant in VARIANTS:
            name = variant_name(entity, variant, by_code, rng)
            if name and name != entity["name"]:
                if variant == "acronym" and len(str(entity["name"]).split()) >= 3:
                    if acronyms.get(fold(name), 0) > 1:
                        continue  # an acronym two entities share names neither
                pool[variant].append(ident)
    out = []
    for i in range(max(len(v) for v in pool.values())):
        out += [(pool[v][i], v) for v in VARIANTS if i < len(pool[v])]
    return out


def plant_returns(
    seed: Dataset,
    out: Path,
    round_name: str = "test-round",
    files: int = 20,
    rows: int | None = None,
    malformed: bool = True,
    rng_seed: int = 0,
) -> Planted:
    """Write ``files`` returns into ``out`` (see the module docstring); ``rows`` pads or trims
    each to about that many rows (the benchmark's size), else each holds its contributor's
    records plus what is planted."""
    from mapper.rounds.matching import country_names
    from mapper.writers import write_dataset

    rng = random.Random(rng_seed)
    by_code = {code: name.title() for code, name in country_names()[0].items()}
    nris = sorted(i for i, e in seed.entities.items() if e["type"] == "nri")
    pool = _duplicate_pool(seed)
    planted = Planted()
    names = iter(NEW_NAMES * (files // 20 + 1))
    parts = dict(contributor_datasets(seed, [nris[n % len(nris)] for n in range(files)]))
    keys = sorted(seed.relations) if rows is not None else []
    for n in range(files):
        contributor = nris[n % len(nris)]
        ret = _trimmed(parts[contributor], rows)
        fmt = FORMATS[n % len(FORMATS)]
        stem = template_stem(round_name, contributor)
        # More files than NRIs: a contributor's second return goes into a folder of its own.
        name = (f"batch-{n // len(nris)}/" if n >= len(nris) else "") + (
            f"{stem}.{fmt}" if fmt != "csv" else stem
        )
        label = Path(name).name  # what intake calls the return
        cite = sorted(ret.sources)[:1] or sorted(seed.sources)[:1]
        for k in range(2):
            ident, variant = pool[(2 * n + k) % len(pool)]
            submitted = variant_name(seed.entities[ident], variant, by_code, random.Random(n * 7 + k))
            new_id = f"{slug(submitted or ident)}-{n}{k}"
            entity = {**seed.entities[ident], "id": new_id, "name": submitted, "sources": cite}
            entity.pop("aliases", None)
            ret.entities[new_id] = entity
            planted.duplicates[(label, new_id)] = (ident, variant)
        for k in range(2):
            title = next(names)
            new_id = f"{slug(title)}-{n}{k}"
            ret.entities[new_id] = {"id": new_id, "type": "organization", "name": title, "sources": cite}
            planted.new.add((label, new_id))
        _plant_conflicts(seed, ret, contributor, nris, n, label, planted, cite, rng)
        if rows is not None:
            _pad(seed, ret, rows, rng, keys)
        path = out / name
        write_dataset(ret, path, fmt)
        planted.files.append(path)
        planted.rows += sum(ret.counts().values())
    if malformed:
        bad = planted.files[-1]
        planted.malformed = bad.name
        _break(bad)
    return planted


def _plant_conflicts(
    seed: Dataset,
    ret: Dataset,
    contributor: str,
    nris: list[str],
    n: int,
    name: str,
    planted: Planted,
    cite: list[str],
    rng: random.Random,
) -> None:
    """One conflict with the store (a relation of the contributor with another status, role or
    dates) and one between returns (the same new relation, with another status in odd files)."""
    own = [k for k, r in ret.relations.items() if r["source"] == contributor]
    if own:
        key = own[0]
        rel = dict(ret.relations[key])
        change = ("status", "since", "until", "role")[n % 4]
        if change == "status":
            rel["status"] = next(s for s in STATUSES if s != (rel.get("status") or "active"))
        elif change == "role":  # another role is another relation key: side A is then replaced
            rel["role"] = next(r for r in ROLES if r != rel.get("role"))
            del ret.relations[key]
            key = relation_key(rel)
        else:
            rel[change] = "2025-0" + str(1 + n % 9) + "-15"
            if rel.get("since") and rel.get("until") and rel["since"] > rel["until"]:
                rel["since"], rel["until"] = rel["until"], rel["since"]
        ret.relations[key] = rel
        planted.conflicts.add((name, relation_key_str(rel)))
    # File 2k and 2k+1 say the same new thing (a coordination) with another status.
    pair = n - n % 2
    a, b = nris[pair % len(nris)], nris[(pair + 1) % len(nris)]
    rel = {
        "source": a,
        "type": "COORDINATES_WITH",
        "target": b,
        "status": "active" if n % 2 == 0 else "planned",
    }
    if not any(
        r["source"] == a and r["target"] == b and r["type"] == "COORDINATES_WITH"
        for r in seed.relations.values()
    ):
        rel["sources"] = cite
        ret.relations[(a, "COORDINATES_WITH", b, "")] = rel
        if n % 2 == 1:
            planted.conflicts.add((name, relation_key_str(rel)))


#: Rows :func:`plant_returns` plants in a return at most (duplicates, new entities, conflicts
#: and the sources they cite): a trimmed return keeps room for them.
_PLANTED_ROWS = 8


def _trimmed(part: Dataset, rows: int | None) -> Dataset:
    """A copy of a contributor's records to plant into, cut to leave about ``rows`` rows with
    what is planted (at 150,000 entities an NRI holds some 60): its entity, its first relations
    by key and the sources those cite."""
    if rows is None or sum(part.counts().values()) + _PLANTED_ROWS <= rows:
        return Dataset(dict(part.sources), dict(part.entities), dict(part.relations), part.schema)
    room = max(1, (rows - _PLANTED_ROWS - 1) // 2)  # a relation and, at most, a source of its own
    relations = {key: part.relations[key] for key in sorted(part.relations)[:room]}
    cited = {
        s for record in [*part.entities.values(), *relations.values()] for s in record.get("sources") or []
    }
    sources = {i: record for i, record in part.sources.items() if i in cited}
    return Dataset(sources, dict(part.entities), relations, part.schema)


def _pad(seed: Dataset, ret: Dataset, rows: int, rng: random.Random, keys: list[RelationKey]) -> None:
    """Fill a return to about ``rows`` rows: extra rows confirm relations of ``seed`` (``keys``:
    its relation keys, sorted once for every return)."""
    while sum(ret.counts().values()) < rows:
        key = rng.choice(keys)
        ret.relations[key] = seed.relations[key]
        for s in seed.relations[key].get("sources") or []:
            ret.sources.setdefault(s, seed.sources[s])


def _break(path: Path) -> None:
    """Make a return malformed: a relation of an unknown type on a bad date."""
    target = path / "relations.csv" if path.is_dir() else path
    if target.suffix == ".json":
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace('"type": "PART_OF"', '"type": "PARTOF"', 1), encoding="utf-8")
    elif target.suffix in (".yaml", ".yml"):
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("type: PART_OF", "type: PARTOF", 1), encoding="utf-8")
    elif target.suffix == ".csv":
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace(",PART_OF,", ",PARTOF,", 1), encoding="utf-8")
    else:
        from openpyxl import load_workbook

        workbook = load_workbook(target)
        workbook["relations"].append(["igf", "PARTOF", "gdc", "", "", "31/12/2025", "", "", "x"])
        workbook.save(target)


def bench_intake(files: int = 200, rows: int = 20, repeats: int = 3) -> dict[str, float]:
    """Time ``intake`` of ``files`` returns of ``rows`` rows each against the seed, and a plain
    ``load --dry-run`` of the same files one by one (the baseline: reading and validating
    only); each the best of ``repeats`` runs, taken in turn, so both see the same machine."""
    from mapper.rounds import intake
    from mapper.store import EmbeddedStore, plan_load, seed_dataset

    seed = seed_dataset()
    took, load = [], []
    with tempfile.TemporaryDirectory() as tmp:
        planted = plant_returns(seed, Path(tmp), files=files, rows=rows, malformed=False)
        store = EmbeddedStore(seed)
        for _ in range(repeats):
            start = time.perf_counter()
            result = intake(store, planted.files, "test-round", record=False)
            took.append(time.perf_counter() - start)
            start = time.perf_counter()
            for path in planted.files:  # each on its own, as intake reads them
                plan_load(seed, [path], replace=False, dry_run=True, target="bench")
            load.append(time.perf_counter() - start)
    return {
        "files": files,
        "rows": planted.rows,
        "proposals": len(result.proposals),
        "intake_s": round(min(took), 2),
        "load_s": round(min(load), 2),
        "ratio": round(min(took) / min(load), 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(bench_intake(args.files, args.rows, args.repeats))


if __name__ == "__main__":
    main()


@dataclass
class IntakeScale:
    """``igfmap intake`` of a round's returns against a large store, and ``igfmap load`` of the
    same rows into a copy of that store (whole commands in fresh processes, best of ``rounds``)."""

    name: str
    entities: int
    files: int
    rows: int
    ours: Any
    base: Any
    target: float = 2.0

    @property
    def ratio(self) -> float:
        return float(self.ours.seconds / self.base.seconds)


def measure_intake_scale(
    name: str, dataset: Dataset, tmp: Path, files: int = 200, rows: int = 20, rounds: int = 1
) -> IntakeScale:
    """Plant ``files`` returns of about ``rows`` rows against ``dataset`` (a store written for
    it), then time ``igfmap intake`` of them against ``igfmap load`` of the same rows (their
    union, a row given in two returns once) into a fresh copy of the store, the two in turns."""
    from benchmarks.commands import igfmap, run_measured
    from mapper.store import dumps, write_store_file

    work = tmp / f"intake-{name}"
    planted = plant_returns(dataset, work / "returns", files=files, rows=rows, malformed=False)
    store = work / "store.json"
    write_store_file(store, dataset)
    same_rows = work / "same-rows.json"
    same_rows.write_text(dumps(_union_of_returns(dataset, planted.files)), encoding="utf-8")
    ours_argv = [*igfmap(), "--quiet", "--store", str(store), "intake", *map(str, planted.files)]
    ours_argv += ["--round", "test-round", "--format", "json"]
    best: dict[str, Any] = {}
    for turn in range(rounds):
        copy = work / f"load-{turn}" / "store.json"
        copy.parent.mkdir(parents=True)
        shutil.copyfile(store, copy)  # load writes into it: a fresh copy each time
        base_argv = [*igfmap(), "--quiet", "--store", str(copy), "load", str(same_rows)]
        for label, argv in (("intake", ours_argv), ("load", base_argv)):
            run = run_measured(f"igfmap {label}", argv, work)
            if label not in best or run.seconds < best[label].seconds:
                best[label] = run
    counts = dataset.counts()
    return IntakeScale(name, counts["entities"], files, planted.rows, best["intake"], best["load"])


def _union_of_returns(store: Dataset, files: list[Path]) -> Dataset:
    """The rows of ``files`` as one dataset: each return read as intake reads it, a record that
    two returns give kept as the first one gives it."""
    from mapper.validation import read_dataset

    union = Dataset(schema=store.schema)
    for path in files:
        part = read_dataset([path], existing=store)
        for section in ("sources", "entities", "relations"):
            into = getattr(union, section)
            for key, record in getattr(part, section).items():
                into.setdefault(key, record)
    return union


def render_intake_scale(result: IntakeScale | None) -> list[str]:
    """The intake pair as a section of BENCHMARKS.md."""
    if result is None:
        return []
    holds = "holds" if result.ratio <= result.target else "**does not hold**"
    return [
        "",
        '<a id="intake-scale"></a>',
        f"## A mapping round's intake at {result.name}",
        "",
        f"{result.files} returns of about {result.rows // result.files} rows ({result.rows:,} rows in all; "
        "XLSX, CSV folders, YAML and JSON in turn, with planted duplicates, new entities and conflicts: "
        "`benchmarks.rounds.plant_returns`) against a store of "
        f"{result.entities:,} entities. Ours: `igfmap intake RETURNS… --round test-round --format json` "
        "(each return validated on its own and every row classified against the store, the name "
        "matcher's index built over every entity). Baseline: `igfmap load` of the same rows (their union, "
        "one JSON file) into a fresh copy of the store. Whole commands in fresh processes, best of "
        "the runs, the two in turns.",
        "",
        "| command | wall | peak RSS |",
        "|---|---:|---:|",
        f"| `igfmap intake` ({result.files} files) | {result.ours.seconds:.2f} s | {result.ours.peak_rss / 1e6:.1f} MB |",
        f"| `igfmap load` (the same rows) | {result.base.seconds:.2f} s | {result.base.peak_rss / 1e6:.1f} MB |",
        "",
        f"Ratio intake / load: **{result.ratio:.2f}×**; target ≤ {result.target:g}×: {holds}.",
    ]
