"""`case add` in a real terminal (a pty, 80 columns): line editing, Tab completion, defaults
taken with Enter, a duplicate caught at once, history kept across sessions without names;
`case delete` and `district delete` ask y/N there."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
from pty_session import Terminal

ROOT = Path(__file__).resolve().parent.parent
LEFT, UP, BACKSPACE, KILL_LINE, CTRL_D = "\x1b[D", "\x1b[A", "\x7f", "\x15", "\x04"


@pytest.fixture
def desk(tmp_path, monkeypatch):
    path = tmp_path / "cases.db"
    shutil.copy(ROOT / "cases.db", path)
    env = {"DEREG_DB": str(path), "DEREG_HISTORY": str(tmp_path / "history"), "DEREG_ACTOR": "desk"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def answer(terminal: Terminal, question: str, keys: str) -> str:
    screen = terminal.read_until(question)
    terminal.send(keys)
    return screen


def test_case_add_as_at_a_desk(desk, run, tmp_path):
    terminal = Terminal("case", "add", env=desk)
    answer(terminal, "Election [2016 maslikhat]: ", "\r")  # the only election, taken with Enter
    answer(terminal, "Region [Almaty]: ", "North K\t\r")  # Tab completes the region
    answer(terminal, "District: ", "North Kazakhstan ob\t\r")  # and a recorded district
    answer(terminal, "Candidate: ", "nistoly  marina\r")  # case 1 already: said at once
    screen = terminal.read_until("already has case 1 in this district")
    assert "Decision" not in screen
    # Arrow keys edit the line: "Assya", three left, one back: "Asya".
    answer(terminal, "Candidate: ", f"New Assya{LEFT * 3}{BACKSPACE}\r")
    answer(terminal, "Decision (refused/cancelled): ", "refsued\r")
    terminal.read_until("did you mean refused?")
    answer(terminal, "Decision (refused/cancelled): ", "ref\t\r")
    answer(terminal, "Decided on", "20.03.2016\r")
    answer(terminal, "Discrepancy amount", "0,78\r")
    answer(terminal, "Currency [KZT]: ", "\r")
    answer(terminal, "Nominated by", "self\r")
    answer(terminal, "Reason", "\r")
    answer(terminal, "Notes", "private\r")
    screen = answer(terminal, "Save this case? [Y/n]: ", "\r")
    assert "candidate     New Asya" in screen and "amount        0.78 KZT" in screen
    assert terminal.finish() == 0, terminal.text
    assert terminal.text.rstrip().endswith("4")
    assert "\x1b[D" not in terminal.text.split("Save this case")[0].split("Candidate: New")[-1]
    case = json.loads(run("case", "show", "4", "-f", "json").stdout)
    assert (case["candidate"], case["region"], case["decision"], case["discrepancy_amount"]) == (
        "New Asya",
        "North Kazakhstan",
        "refused",
        "0.78",
    )
    assert case["district"].startswith("North Kazakhstan oblast maslikhat")
    history = tmp_path / "history"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    kept = history.read_text()
    assert "North K" in kept and "refsued" in kept
    assert "Asya" not in kept and "nistoly" not in kept and "private" not in kept  # never names or notes

    # The next session has the history: Up brings back the last answer; Ctrl-D cancels.
    again = Terminal("case", "add", env=desk)
    again.read_until("Election [2016 maslikhat]: ")
    again.send(UP)
    assert again.read_until("self").endswith(
        "Election [2016 maslikhat]: self"
    )  # the last answer: nominated by
    again.send(KILL_LINE + CTRL_D)
    assert again.finish() == 1
    assert again.text.rstrip().endswith("Error: cancelled, nothing written")
    assert "Aborted" not in again.text


def test_delete_asks_in_a_terminal(desk, run):
    terminal = Terminal("case", "delete", "3", env=desk)
    answer(terminal, "Delete case 3 (Tulesova Asya) and its 1 appeal(s)? [y/N]: ", "\r")
    assert terminal.finish() == 1
    assert "cancelled, nothing written" in terminal.text
    terminal = Terminal("case", "delete", "3", env=desk)
    answer(terminal, "[y/N]: ", "y\r")
    assert terminal.finish() == 0 and "deleted case 3 (Tulesova Asya)" in terminal.text
    result = run("case", "delete", "2")  # no terminal: --yes, as before
    assert result.exit_code == 2 and "needs --yes" in result.stderr


def test_appeal_add_asks_for_the_court(desk, run):
    terminal = Terminal("appeal", "add", "3", env=desk)
    answer(terminal, "Court: ", "Almaty city court No. 2\r")
    answer(terminal, "Instance [first]: ", "app\t\r")
    answer(terminal, "Filed on", "\r")
    answer(terminal, "Outcome [pending]: ", "\r")
    answer(terminal, "Decided on", "\r")
    answer(terminal, "Notes", "\r")
    assert terminal.finish() == 0, terminal.text
    appeals = json.loads(run("appeal", "list", "3", "-f", "json").stdout)
    assert [(a["court"], a["instance"], a["outcome"]) for a in appeals][-1] == (
        "Almaty city court No. 2",
        "appeal",
        "pending",
    )
    result = run("appeal", "add", "3")
    assert (
        result.exit_code == 2 and result.stderr == "Error: missing option --court (no terminal to ask in)\n"
    )


def test_district_add_asks_and_district_delete_asks_first(desk, run):
    terminal = Terminal("district", "add", env=desk)
    answer(terminal, "Election [2016 maslikhat]: ", "\r")
    answer(terminal, "Region [Almaty]: ", "\r")
    answer(terminal, "District: ", "Okrug 9\r")
    answer(terminal, "Seats: ", "none\r")
    answer(terminal, "Seats: ", "1\r")
    answer(terminal, "Candidates who stood", "5\r")
    answer(terminal, "Level", "ci\t\r")
    assert terminal.finish() == 0, terminal.text
    districts = json.loads(run("district", "list", "-f", "json").stdout)
    added = [d for d in districts if d["district"] == "Okrug 9"]
    assert [(d["region"], d["seats"], d["candidates"], d["level"]) for d in added] == [
        ("Almaty", 1, 5, "city")
    ]
    assert run("district", "add").exit_code == 2
    terminal = Terminal("district", "delete", str(added[0]["id"]), env=desk)
    answer(terminal, f"Delete district {added[0]['id']} (Okrug 9)? [y/N]: ", "n\r")
    assert terminal.finish() == 1
    terminal = Terminal("district", "delete", str(added[0]["id"]), env=desk)
    answer(terminal, "[y/N]: ", "yes\r")
    assert terminal.finish() == 0


def test_case_edit_asks_each_field_with_its_value(desk, run):
    terminal = Terminal("case", "edit", "3", env=desk)
    answer(terminal, "Election [2016 maslikhat]: ", "\r")
    answer(terminal, "Region [Almaty]: ", "\r")
    answer(terminal, "District [", "\r")
    answer(terminal, "Candidate [Tulesova Asya]: ", "\r")
    answer(terminal, "Decision (refused/cancelled) [cancelled]: ", "\r")
    answer(terminal, "Decided on (YYYY-MM-DD or DD.MM.YYYY) [2016-03-20]: ", "19.03.2016\r")
    answer(terminal, "Discrepancy amount [0.78]: ", "0,785\r")
    terminal.read_until("more decimals than KZT allows")
    answer(terminal, "Discrepancy amount [0.78]: ", "\r")
    answer(terminal, "Currency [KZT]: ", "\r")
    answer(terminal, "Nominated by (self, a party, an NGO) [self]: ", "-\r")
    answer(terminal, "Reason the commission gave [", "\r")
    answer(terminal, "Notes [", "\r")
    screen = answer(terminal, "Save these changes? [Y/n]: ", "\r")
    assert "decided       2016-03-20 → 19.03.2016" in screen
    assert terminal.finish() == 0, terminal.text
    case = json.loads(run("case", "show", "3", "-f", "json").stdout)
    assert (case["decided_on"], case["nominated_by"], case["discrepancy_amount"]) == (
        "2016-03-19",
        None,
        "0.78",
    )
    assert run("case", "edit", "3").exit_code == 2  # no terminal: the options, as before


def test_entry_asks_again_for_a_typo_of_an_election_and_a_region_not_yet_on_the_map(desk):
    terminal = Terminal("case", "add", env=desk)
    answer(terminal, "Election [2016 maslikhat]: ", "2016 maslikat\r")
    terminal.read_until("did you mean '2016 maslikhat'")
    answer(terminal, "Election [2016 maslikhat]: ", "маслихат 2016\r")  # a spelling of it
    answer(terminal, "Region [Almaty]: ", "Abai\r")
    terminal.read_until("Abai oblast exists from 2022-06-08; this election is on 2016-03-20")
    answer(terminal, "Region [Almaty]: ", "ЮКО\r")
    answer(terminal, "District: ", CTRL_D)
    assert terminal.finish() == 1
