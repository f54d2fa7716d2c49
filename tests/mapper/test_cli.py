"""CLI basics: version, help, the generated reference, start-up imports, exit codes."""

from __future__ import annotations

import ast
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


def _loaded_after(command: str, out: Path, cwd: Path, packages: tuple[str, ...]) -> list[str]:
    """Which of ``packages`` a fresh process has imported after ``igfmap --quiet COMMAND --out OUT``."""
    code = (
        f"import sys; sys.argv = ['igfmap', '--quiet', {command!r}, '--out', sys.argv[1]]\n"
        "from mapper.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(packages)!r}))"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, cwd=cwd)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return list(ast.literal_eval(proc.stdout.strip().splitlines()[-1]))


def test_map_imports_neither_matplotlib_nor_ipython(tmp_path: Path) -> None:
    """Issue 25: the HTML map draws no figure (its font is found without matplotlib) and never
    shows a notebook (pyvis's IPython import is left out); both were a fifth of its time."""
    out = tmp_path / "map.html"
    assert _loaded_after("map", out, tmp_path, ("matplotlib", "IPython", "pyvis")) == ["pyvis"]
    assert "vis-network" in out.read_text(encoding="utf-8")[:200_000]


def test_report_imports_no_matplotlib(tmp_path: Path) -> None:
    """Issue 25: the report's four figures are drawn as SVG by exports.drawing; matplotlib,
    a quarter of `igfmap report` on the seed, is only for PNG and PDF exports."""
    out = tmp_path / "report"
    assert _loaded_after("report", out, tmp_path, ("matplotlib", "IPython")) == []
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert figures == ["engagement-by-group.svg", "engagement.svg", "map.svg", "objective-coverage.svg"]
    assert all((out / "figures" / name).stat().st_size > 1000 for name in figures)


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
