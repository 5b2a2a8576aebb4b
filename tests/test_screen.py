"""Tables for a person at a terminal: within its width, words for headers, "…" for the rest;
in a pipe the same commands print what they always did."""

from __future__ import annotations

import shutil
from pathlib import Path

import pty_session
import pytest

from dereg.errors import UsageError
from dereg.screen import amount_text, chosen_columns, cut, table, widths_within

ROOT = Path(__file__).resolve().parent.parent
LONG = "Восточно-Казахстанский областной маслихат, избирательный округ № 17 (Семей)"


@pytest.fixture
def desk_db(tmp_path, run, monkeypatch):
    path = tmp_path / "desk.db"
    shutil.copy(ROOT / "cases.db", path)
    monkeypatch.setenv("DEREG_DB", str(path))
    for candidate, amount, district in (
        ("Қасымова Әйгерім Нұрланқызы-Сейітқазиева", "492201145.17", LONG),
        ("Ким", "0.78", LONG + " другой"),
    ):
        result = run(
            "case",
            "add",
            "--election",
            "2016 maslikhat",
            "--region",
            "ВКО",
            "--district",
            district,
            "--candidate",
            candidate,
            "--decision",
            "refused",
            "--decided-on",
            "01.03.2016",
            "--amount",
            amount,
            "--no-input",
        )
        assert result.exit_code == 0, result.stderr
    return path


def test_cut_keeps_what_fits_and_marks_the_rest():
    assert cut("Nistoly Marina", 20) == "Nistoly Marina"
    assert cut("Nistoly Marina", 8) == "Nistoly…"
    assert cut("Nistoly Marina", 9) == "Nistoly…"  # no space before the mark
    assert len(cut(LONG, 10)) == 10


def test_amounts_are_grouped_and_exact():
    assert amount_text("492201145.17", "KZT") == "492 201 145.17 KZT"
    assert amount_text("0.78", "KZT") == "0.78 KZT"
    assert amount_text("500", "JPY") == "500 JPY"
    assert amount_text(None, "KZT") == ""


def test_free_text_gives_way_and_fixed_columns_keep_their_width():
    widths = widths_within([2, 40, 60, 10], [True, False, False, True], 60)
    assert widths[0] == 2 and widths[3] == 10
    assert sum(widths) + 2 * 3 <= 60
    assert widths_within([5, 5], [False, False], 80) == [5, 5]


def test_a_table_fits_and_aligns_amounts_right():
    rows = [
        {"id": 1, "candidate": "Ким", "discrepancy_amount": "0.78", "currency": "KZT", "notes": LONG},
        {
            "id": 12,
            "candidate": LONG,
            "discrepancy_amount": "492201145.17",
            "currency": "KZT",
            "notes": "a\nb",
        },
    ]
    lines = list(table(rows, ("id", "candidate", "amount", "notes"), 60))
    assert lines[0].split() == ["id", "candidate", "amount", "notes"]
    assert all(len(line) <= 60 for line in lines)
    assert "…" in lines[3]
    # right-aligned: both amounts end in the same column
    assert lines[2].index("0.78 KZT") + 8 == lines[3].index("492 201 145.17 KZT") + 18
    assert list(table([], ("id",), 80)) == ["(none)"]


def test_columns_are_named_from_the_contract():
    assert chosen_columns("id, Candidate,decided-on", ("id", "candidate", "decided_on")) == (
        "id",
        "candidate",
        "decided_on",
    )
    with pytest.raises(UsageError, match="'nope' is not a column"):
        chosen_columns("id,nope", ("id", "candidate"))


def test_listings_fit_80_columns_in_a_terminal(desk_db):
    listings = (("case", "list"), ("appeal", "list"), ("region", "list"), ("case", "show", "4"))
    for args in (*listings, ("case", "history", "1"), ("district", "list"), ("election", "list")):
        status, screen = pty_session.run(*args, columns=80)
        assert status == 0, screen
        lines = screen.rstrip("\n").split("\n")
        assert all(len(line) <= 80 for line in lines), (args, [line for line in lines if len(line) > 80])
    status, screen = pty_session.run("case", "list", columns=80)
    header = screen.split("\n")[0].split()
    assert header == ["id", "candidate", "region", "district", "decision", "decided", "amount", "outcome"]
    assert "492 201 145.17 KZT" in screen and "…" in screen
    # two districts sharing a long prefix still differ somewhere on screen: at least their ids do
    assert "\n 4 " in screen or " 4 " in screen


def test_a_chosen_column_set_and_wide(desk_db, run):
    status, screen = pty_session.run("case", "list", "--columns", "id,candidate,reason", columns=80)
    assert status == 0 and screen.split("\n")[0].split() == ["id", "candidate", "reason"]
    status, screen = pty_session.run("case", "list", "--wide", columns=80)
    assert status == 0 and "discrepancy_amount" in screen.split("\n")[0]
    result = run("case", "list", "--columns", "id,salary")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --columns: 'salary' is not a column; choose from id,election,region,district,candidate,"
        "nominated_by,decision,decided_on,reason,discrepancy_amount,currency,appeal_outcome,notes\n"
    )
    assert run("case", "list", "--columns", "id", "--wide").exit_code == 2


def test_not_on_a_terminal_nothing_changes(desk_db, run):
    result = run("case", "list")
    assert result.stdout.split("\n")[0].split()[:4] == ["id", "election", "region", "district"]
    assert "discrepancy_amount" in result.stdout
    csv = run("case", "list", "--format", "csv", "--columns", "id,candidate")
    assert csv.stdout.split("\n")[0] == "id,candidate"


def test_the_narrow_columns_never_push_the_line_over():
    # What a case list of many currencies gave: the last text column was one too wide.
    natural, fixed = [2, 18, 16, 29, 9, 10, 18, 10], [True, False, False, False, True, True, True, True]
    least = [2, 9, 6, 8, 8, 7, 6, 7]
    for width in range(60, 100):
        widths = widths_within(natural, fixed, width, 1, least)
        assert sum(widths) + len(widths) - 1 <= width, width


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dereg.screen import CASE_SCREEN_COLUMNS  # noqa: E402

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.integers(1, 10**7),
                "candidate": texts,
                "region": texts,
                "district": texts,
                "decision": st.sampled_from(["refused", "cancelled"]),
                "decided_on": st.just("2016-03-20"),
                "discrepancy_amount": st.one_of(st.none(), st.decimals(0, 10**12, places=2).map(str)),
                "currency": st.sampled_from(["KZT", "USD", "JPY"]),
                "appeal_outcome": st.sampled_from(["not_filed", "reinstated", "not_heard"]),
            }
        ),
        max_size=8,
    ),
    width=st.integers(72, 200),
)
def test_any_case_list_fits_any_terminal_of_72_columns_or_more(rows, width):
    lines = list(table(rows, CASE_SCREEN_COLUMNS, width))
    assert all(len(line) <= width for line in lines)
    assert all("\n" not in line and "\r" not in line for line in lines)
