"""The README stays true: every command has help and is documented; its two commands work."""
from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner
from conftest import REPO

from ikidoc.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize(("name", "command"), commands(cli))
def test_every_command_has_help_and_is_in_the_readme(name: str, command: click.Command) -> None:
    assert command.help and len(command.help) > 20
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    assert f"ikidoc {name}" in README


def test_readme_has_exactly_the_two_commands_of_a_new_user() -> None:
    indented = re.findall(r"^    (python -m pip install .*)$", README, flags=re.M)
    assert indented == ['python -m pip install . && python -m ikidoc generate',
                        'python -m pip install -e ".[test]" && python -m pytest']


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and "pytest" in ci
