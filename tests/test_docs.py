"""Every command has help and an example in the README, so the three stay in step."""

from __future__ import annotations

from pathlib import Path

import typer

from dereg.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group=None, path=()):
    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


def test_every_command_has_help_and_a_readme_example(run):
    found = list(commands())
    assert len(found) >= 15
    for path, command in found:
        assert (command.help or "").strip(), f"dereg {' '.join(path)} has no help"
        result = run(*path, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout, path
        assert f"dereg {' '.join(path)}" in README, f"README has no example of dereg {' '.join(path)}"


def test_the_readme_starts_with_the_two_commands():
    blocks = README.split("```")
    assert "pip install -e . && dereg summary" in blocks[1]
    assert 'pip install -e ".[test]" && python -m pytest' in blocks[3]
