"""The layering and the registries: checks that keep the architecture of docs/architecture.md."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from exports.registry import format_names, formats
from queries.dispatch import registered
from queries.gaps.registry import RULES

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("mapper", "queries", "exports")


def _sources(*packages: str) -> list[Path]:
    return [p for pkg in packages for p in sorted((ROOT / pkg).rglob("*.py"))]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_core_contract_names_every_core_module() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    listed = re.search(r'type = "forbidden"\nsource_modules = \[(.*?)\]', text, re.S)
    assert listed, "the core's forbidden contract is missing from pyproject.toml"
    modules = {
        f"mapper.{p.stem}" for p in (ROOT / "mapper").glob("*.py") if p.stem not in ("__init__", "api")
    }
    # The CLI and the entry object (mapper.api) sit on top; mapping rounds sit beside the queries
    # (their status runs diff) under a contract of their own.
    above = {"mapper.cli", "mapper.rounds"}
    modules |= {f"mapper.{p.parent.name}" for p in (ROOT / "mapper").glob("*/__init__.py")} - above
    assert set(re.findall(r'"([\w.]+)"', listed.group(1))) == modules
    assert re.search(
        r'source_modules = \["mapper.rounds"\]\nforbidden_modules = \["exports", "mapper.api", "mapper.cli"\]',
        text,
    )


def test_no_code_asks_which_store_it_has() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _sources("queries", "exports", "mapper/cli")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bkind ==|\.backend\b|isinstance\([^)]*(EmbeddedStore|Neo4jStore)", line)
        and p.name != "dispatch.py"
    ]
    assert offenders == []


def test_one_finding_class() -> None:
    defined = [
        str(p.relative_to(ROOT))
        for p in _sources(*PACKAGES)
        if "class Finding" in p.read_text(encoding="utf-8")
    ]
    assert defined == ["queries/gaps/base.py"]


def test_every_query_and_rule_has_both_implementations() -> None:
    queries = registered()
    assert {"resolve", "search", "show", "stats", "who", "what", "matrix", "path", "brokers"} <= set(queries)
    for pair in queries.values():
        assert callable(pair.networkx) and callable(pair.cypher), pair.name
    assert [r.id for r in RULES][:2] == ["uncovered-activity", "unreflected-engagement"]
    for rule in RULES:
        assert callable(rule.find_nx) and callable(rule.find_cypher), rule.id


def test_export_formats_come_from_the_registry() -> None:
    # What the format modules register is what the CLI's help and docs/cli.md list.
    names = format_names()
    assert names == tuple(formats()) and len(names) >= 10
    assert formats()["csv"].target == "directory" and formats()["png"].figure
    listed = f"{', '.join(names[:-1])} or {names[-1]}."
    reference = " ".join((ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split())
    assert listed in reference


def _code_lines(*packages: str) -> list[tuple[str, str]]:
    """(file:line, text) of every line of the packages but doctest examples."""
    return [
        (f"{p.relative_to(ROOT)}:{n}", line)
        for p in _sources(*packages)
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if ">>>" not in line
    ]


def test_one_place_each_for_the_store_path_and_the_default_root() -> None:
    # The environment's store is read by mapper.store.store_path only; the root "igf" is named
    # once, as queries.ecosystem.DEFAULT_ROOT, and decided by queries.roots.default_root.
    lines = _code_lines(*PACKAGES)

    def where(pattern: str) -> list[str]:
        return [place.split(":")[0] for place, text in lines if re.search(pattern, text)]

    assert where(r'"IGFMAP_STORE"') == ["mapper/store.py"]
    assert where(r"environ\.get\(STORE_ENV\)") == ["mapper/store.py"]
    assert where(r'"igf"') == ["queries/ecosystem.py"]
    assert where(r"DEFAULT_ROOT if|if .*DEFAULT_ROOT in") == ["queries/roots.py"]


def test_the_cli_keeps_no_state_between_commands() -> None:
    # The global options travel in typer's context object (mapper.cli.common.GlobalOptions).
    lines = _code_lines("mapper/cli")
    assert [where for where, text in lines if re.match(r"\s*global |STATE\b", text.strip())] == []
