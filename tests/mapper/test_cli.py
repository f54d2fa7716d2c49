"""CLI basics: version, help, the generated reference, start-up imports, exit codes."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from mapper import __version__
from mapper.cli import app
from mapper.cli.docs import cli_reference

ROOT = Path(__file__).parents[2]
HEAVY = ("neo4j", "pyvis", "matplotlib", "openpyxl")


def test_version(runner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"igfmap {__version__}"


def test_help_imports_no_heavy_library() -> None:
    code = "import sys; sys.argv = ['igfmap', '--help']; from mapper.cli import app; app()"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Commands" in proc.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


def _seed_store(tmp_path: Path) -> Path:
    """A store file made by ``igfmap init`` (the seed, as the benchmark's ``map`` reads it)."""
    store = tmp_path / "store.json"
    subprocess.run(
        [sys.executable, "-m", "mapper.cli", "--store", str(store), "init"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return store


def _loaded_after(args: list[str], cwd: Path, packages: tuple[str, ...]) -> list[str]:
    """Which of ``packages`` a fresh process has imported after ``igfmap --quiet ARGS...``."""
    code = (
        "import sys; sys.argv = ['igfmap', '--quiet', *sys.argv[1:]]\n"
        "from mapper.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(packages)!r}))"
    )
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return list(ast.literal_eval(proc.stdout.strip().splitlines()[-1]))


def test_map_imports_neither_matplotlib_nor_ipython_nor_yaml(tmp_path: Path) -> None:
    """Issue 25: the HTML map draws no figure (its font is found without matplotlib) and never
    shows a notebook (pyvis's IPython import is left out); both were a fifth of its time. Nor
    does it read YAML from a store file (jsonpickle's PyYAML backend, through pyvis, is left
    out: 7 ms; the bundled seed, used with no store, is YAML)."""
    out = tmp_path / "map.html"
    store = _seed_store(tmp_path)
    packages = ("matplotlib", "IPython", "pyvis", "yaml")
    assert _loaded_after(["--store", str(store), "map", "--out", str(out)], tmp_path, packages) == ["pyvis"]
    assert "vis-network" in out.read_text(encoding="utf-8")[:200_000]


def test_report_imports_no_matplotlib(tmp_path: Path) -> None:
    """Issue 25: the report's four figures are drawn as SVG by exports.drawing; matplotlib,
    a quarter of `igfmap report` on the seed, is only for PNG and PDF exports."""
    out = tmp_path / "report"
    assert _loaded_after(["report", "--out", str(out)], tmp_path, ("matplotlib", "IPython")) == []
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert figures == ["engagement-by-group.svg", "engagement.svg", "map.svg", "objective-coverage.svg"]
    assert all((out / "figures" / name).stat().st_size > 1000 for name in figures)


def test_the_program_runs_openblas_on_one_thread_unless_told(tmp_path: Path) -> None:
    """igfmap sets OPENBLAS_NUM_THREADS=1 before numpy is imported (its thread pool made
    importing numpy three times slower under load), and keeps the user's own setting: the
    process's threads after a map, numpy's layout having run."""
    store = _seed_store(tmp_path)
    code = (
        "import atexit, os, sys\n"
        "atexit.register(lambda: print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')), flush=True))\n"
        "sys.argv = ['igfmap', '--quiet', '--store', sys.argv[1], 'map', '--out', sys.argv[2]]\n"
        "from mapper.cli import run\n"
        "run()\n"
    )
    for given, expected in ((None, "1 1"), ("2", "2 2")):
        env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
        if given:
            env["OPENBLAS_NUM_THREADS"] = given
        proc = subprocess.run(
            [sys.executable, "-c", code, str(store), str(tmp_path / "map.html")],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert proc.stdout.split("\n")[-2] == expected


def test_cli_reference_matches_help() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert docs == cli_reference(), "docs/cli.md is stale: run `python -m mapper.cli.docs`"


def test_every_command_has_an_example_in_its_docstring() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert "Example: igfmap" in (command.help or ""), name


def test_usage_errors_exit_2(runner) -> None:
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2
    assert runner.invoke(app, ["validate"]).exit_code == 2
