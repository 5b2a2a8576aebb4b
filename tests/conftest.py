"""Shared fixtures: every test gets its own database file; nothing touches real data."""

from __future__ import annotations

import sys

import pytest
from typer.testing import CliRunner

from dereg.cli import app


@pytest.fixture(autouse=True)
def private_database(request, tmp_path, monkeypatch):
    """Point DEREG_DB at a fresh file so no test can reach ./cases.db. The file holds a new
    database, as `dereg init` leaves it, unless the test is marked `no_database` (then no file
    is there, and a command that writes makes it)."""
    path = tmp_path / "cases.db"
    monkeypatch.setenv("DEREG_DB", str(path))
    monkeypatch.setenv("DEREG_ACTOR", "tester")
    # English unless a test chooses: a developer's ru_KZ.UTF-8 locale must not change outputs.
    monkeypatch.setenv("DEREG_LANG", "en")
    if request.node.get_closest_marker("no_database") is None:
        from dereg import db

        db.connect(path).close()
    return path


@pytest.fixture(autouse=True)
def english_afterwards():
    """A run with --lang leaves its language set in this process: the next test starts in English."""
    yield
    from dereg import i18n

    i18n.use("en")


@pytest.fixture
def db_path(private_database):
    return private_database


class Run:
    """run(*args, input=...) -> Result with .exit_code, .stdout, .stderr."""

    def __init__(self, terminal: bool = False):
        self.runner = CliRunner()
        self.terminal = terminal

    def __call__(self, *args: str, input: str | None = None):
        if not self.terminal:
            return self.runner.invoke(app, list(args), input=input)
        with pytest.MonkeyPatch.context() as patch:
            # The runner's stdin is a pipe; a terminal user's is a tty: say so for prompts.
            original = self.runner.isolation

            def isolation(*a, **k):
                manager = original(*a, **k)

                class Terminal:
                    def __enter__(self_inner):
                        streams = manager.__enter__()
                        sys.stdin.isatty = lambda: True
                        return streams

                    def __exit__(self_inner, *exc):
                        return manager.__exit__(*exc)

                return Terminal()

            patch.setattr(self.runner, "isolation", isolation)
            return self.runner.invoke(app, list(args), input=input)


@pytest.fixture
def run():
    return Run()


@pytest.fixture
def run_in_terminal():
    return Run(terminal=True)


NISTOLY = (
    "case",
    "add",
    "--election",
    "2016 maslikhat",
    "--region",
    "North-Kazakhstan oblast",
    "--district",
    "oblast maslikhat",
    "--candidate",
    "Nistoly Marina",
    "--decision",
    "refused",
    "--decided-on",
    "20.03.2016",
    "--amount",
    "83",
    "--nominated-by",
    "self",
)

# A case in Almaty with the candidate's name to add: CASE + ("Name",).
CASE = (
    "case",
    "add",
    "--election",
    "2016 maslikhat",
    "--region",
    "Almaty",
    "--district",
    "okrug 1",
    "--decision",
    "refused",
    "--decided-on",
    "2016-03-20",
    "--candidate",
)


def ok(run, *args: str) -> str:
    """Run a command that must succeed; its stdout."""
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout
