"""Generate the CLI reference (docs/cli.md) from ``--help``, so the docs cannot drift from the code.

Run ``python -m mapper.cli.docs`` to rewrite docs/cli.md; tests/mapper/test_cli.py fails when the
file differs from what this module generates.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HEADER = """# igfmap command reference

Generated from `igfmap --help` by `python -m mapper.cli.docs`; a test fails when it drifts.
"""


def _help(args: list[str]) -> str:
    from typer.testing import CliRunner

    from mapper.cli.main import app

    result = CliRunner().invoke(
        app, [*args, "--help"], env={"COLUMNS": "100", "TERM": "dumb"}, prog_name="igfmap"
    )
    return result.output.rstrip() + "\n"


def command_names() -> list[str]:
    """Every command, ``round status`` style for those of a group, in registration order."""
    import typer.core
    import typer.main

    from mapper.cli.main import app

    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)  # an app of several commands
    names = []
    for name, command in group.commands.items():  # registration order, as --help lists them
        names.append(name)
        subcommands = getattr(command, "commands", {})  # a group (typer vendors its click)
        names += [f"{name} {sub}" for sub in subcommands]
    return names


def cli_reference() -> str:
    parts = [HEADER, "## igfmap\n", "```\n" + _help([]) + "```\n"]
    for name in command_names():
        parts += [f"## igfmap {name}\n", "```\n" + _help(name.split()) + "```\n"]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    # argparse, so `--help` prints usage instead of becoming a file named "--help".
    parser = argparse.ArgumentParser(description="Regenerate the CLI reference from `igfmap --help`.")
    default = Path(__file__).parents[2] / "docs" / "cli.md"
    parser.add_argument(
        "target", nargs="?", type=Path, default=default, help=f"file to write [default: {default}]"
    )
    target: Path = parser.parse_args(argv).target
    target.write_text(cli_reference(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
