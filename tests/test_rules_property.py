"""dereg never writes what its own check calls a problem: random sequences of commands, valid
and invalid, each followed by `dereg check`. (A refused command must also change nothing.)"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dereg import db
from dereg.check import check_database
from dereg.cli import app

ELECTION = ("--election", "2016 maslikhat", "--region", "Almaty")
DISTRICTS = st.sampled_from(["okrug 1", "okrug 2", "Okrug 2"])
DATES = st.sampled_from(
    ["2016-02-28", "2016-03-01", "2016-03-10", "2016-03-20", "2016-04-01", "2016-05-01", "2061-01-01"]
)
IDS = st.integers(1, 6)
COUNTS = st.sampled_from(["0", "1", "2", "3", "5"])
OUTCOMES = st.sampled_from(["pending", "upheld", "reinstated", "not_heard"])
INSTANCES = st.sampled_from(["first", "appeal", "cassation"])


def maybe(option: str, values: st.SearchStrategy) -> st.SearchStrategy[tuple[str, ...]]:
    return st.one_of(st.just(()), values.map(lambda value: (option, value)))


COMMANDS = st.one_of(
    st.tuples(DISTRICTS, COUNTS, maybe("--candidates", COUNTS)).map(
        lambda t: ("district", "add", *ELECTION, "--district", t[0], "--seats", t[1], *t[2])
    ),
    st.tuples(DISTRICTS, st.sampled_from("ABCDEF"), DATES).map(
        lambda t: (
            "case",
            "add",
            *ELECTION,
            "--district",
            t[0],
            "--candidate",
            t[1],
            "--decision",
            "refused",
            "--decided-on",
            t[2],
            "--no-input",
        )
    ),
    st.tuples(
        IDS, INSTANCES, maybe("--filed-on", DATES), maybe("--decided-on", DATES), maybe("--outcome", OUTCOMES)
    ).map(lambda t: ("appeal", "add", str(t[0]), "--court", "c", "--instance", t[1], *t[2], *t[3], *t[4])),
    st.tuples(
        IDS, maybe("--decided-on", DATES), maybe("--outcome", OUTCOMES), maybe("--filed-on", DATES)
    ).map(lambda t: ("appeal", "edit", str(t[0]), *t[1], *t[2], *t[3])),
    st.tuples(IDS, maybe("--decided-on", DATES), maybe("--district", DISTRICTS)).map(
        lambda t: ("case", "edit", str(t[0]), *t[1], *t[2])
    ),
    IDS.map(lambda n: ("case", "delete", str(n), "--yes")),
    st.tuples(IDS, maybe("--candidates", COUNTS), maybe("--seats", COUNTS)).map(
        lambda t: ("district", "edit", str(t[0]), *t[1], *t[2])
    ),
    st.tuples(IDS, IDS).map(lambda t: ("district", "merge", str(t[0]), str(t[1]))),
)


def case_add(candidate: str, district: str = "okrug 1", decided_on: str = "2016-03-10") -> tuple[str, ...]:
    return (
        "case",
        "add",
        *ELECTION,
        "--district",
        district,
        "--candidate",
        candidate,
        "--decision",
        "refused",
        "--decided-on",
        decided_on,
        "--no-input",
    )


# Each breaks one rule if dereg let it through: the examples make sure every rule is tried.
KNOWN_TRAPS = [
    case_add("A"),
    case_add("B"),
    ("district", "add", *ELECTION, "--district", "okrug 1", "--seats", "1", "--candidates", "1"),
    ("district", "edit", "1", "--candidates", "1"),
    ("appeal", "add", "1", "--court", "c", "--filed-on", "2016-03-01"),
    ("appeal", "add", "1", "--court", "c", "--outcome", "pending", "--decided-on", "2016-04-01"),
    ("appeal", "add", "1", "--court", "c", "--filed-on", "2016-03-20", "--decided-on", "2016-03-15"),
    ("appeal", "add", "1", "--court", "c", "--outcome", "upheld", "--decided-on", "2016-04-01"),
    ("appeal", "add", "1", "--court", "c", "--instance", "appeal", "--filed-on", "2016-03-20"),
    ("appeal", "edit", "1", "--outcome", "pending"),
    ("case", "edit", "1", "--decided-on", "2016-05-01"),
    case_add("C", decided_on="2061-01-01"),
    ("district", "add", *ELECTION, "--district", "okrug 2", "--seats", "1", "--candidates", "1"),
    case_add("D", "okrug 2"),
    case_add("E", "okrug 2"),
    ("case", "edit", "2", "--district", "okrug 2"),
    ("district", "merge", "1", "2"),
]


@pytest.mark.slow
@example(commands=KNOWN_TRAPS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=st.lists(COMMANDS, min_size=1, max_size=25))
def test_check_is_clean_after_any_sequence_of_commands(tmp_path_factory, commands):
    path = tmp_path_factory.mktemp("rules") / "cases.db"
    db.connect(path).close()
    runner = CliRunner()
    for command in commands:
        before = path.read_bytes()
        result = runner.invoke(app, ["--db", str(path), *command])
        assert result.exit_code in (0, 1, 2), (command, result.output)
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            assert path.read_bytes() == before, command  # a refusal writes nothing
        conn = db.connect(path)
        try:
            problems = check_database(conn)
        finally:
            conn.close()
        assert problems == [], (command, [str(p) for p in problems])
