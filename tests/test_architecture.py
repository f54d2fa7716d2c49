"""The layering and the registries: checks that keep the architecture of docs/architecture.md."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp  # ships with import-linter (the test extra)
import networkx as nx
from grimp import ImportGraph

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


# --- cycles, the Neo4j store's importers, the store's types, function length --------------------

#: The modules outside the Neo4j package that import it at run time: where a store is opened
#: (the entry object, mapper.open, and the CLI's global options).
STORE_OPENERS = {"mapper.api", "mapper.cli.common"}
MAX_FUNCTION_LINES = 80
#: Beside the packages, where no function may be longer either (not benchmarks/).
CHECKED_FOR_LENGTH = ("tests", "scripts")


def _import_graph(type_only: bool = True) -> ImportGraph:
    """The imports between our modules (``type_only=False``: leaving out those under TYPE_CHECKING)."""
    return grimp.build_graph(*PACKAGES, cache_dir=None, exclude_type_checking_imports=not type_only)


def test_no_import_cycle_inside_mapper() -> None:
    graph = _import_graph()
    imports = nx.DiGraph()
    for module in graph.modules:
        if module.split(".")[0] == "mapper":
            for imported in graph.find_modules_directly_imported_by(module):
                if imported.split(".")[0] == "mapper":
                    imports.add_edge(module, imported)
    cycles = [sorted(group) for group in nx.strongly_connected_components(imports) if len(group) > 1]
    assert cycles == []


def test_only_the_store_opener_imports_the_neo4j_store() -> None:
    # A type-only import (to name Neo4jStore in an annotation) loads nothing at run time.
    graph = _import_graph(type_only=False)
    neo4j_modules = {m for m in graph.modules if m == "mapper.neo4j" or m.startswith("mapper.neo4j.")}
    importers = {
        importer
        for module in neo4j_modules
        for importer in graph.find_modules_that_directly_import(module)
        if importer not in neo4j_modules
    }
    assert neo4j_modules and importers <= STORE_OPENERS, sorted(importers - STORE_OPENERS)


def _store_annotations(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line, name, annotation) of every parameter or variable named like a store."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        named: list[tuple[int, str, ast.expr | None]] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            named = [(a.lineno, a.arg, a.annotation) for a in arguments]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            named = [(node.lineno, node.target.id, node.annotation)]
        for line, name, annotation in named:
            if name == "store" or name.endswith("_store"):
                yield line, name, ast.unparse(annotation) if annotation is not None else ""


def test_every_store_is_typed() -> None:
    untyped = [
        f"{p.relative_to(ROOT)}:{line} {name}: {annotation or '(none)'}"
        for p in _sources(*PACKAGES)
        for line, name, annotation in _store_annotations(p)
        if not annotation or re.search(r"\bAny\b", annotation)
    ]
    assert untyped == []


def test_the_architecture_check_sees_an_untyped_store(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(store: Any, x: int, other_store=None) -> None:\n    pass\n", encoding="utf-8")
    assert list(_store_annotations(sample)) == [(1, "store", "Any"), (1, "other_store", "")]


def _long_functions(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)"


def test_no_function_over_80_lines() -> None:
    # The tests and scripts too (issue 22); benchmarks/ is left out.
    assert [long for p in _sources(*PACKAGES, *CHECKED_FOR_LENGTH) for long in _long_functions(p)] == []
