"""`case add` at a terminal asks for what is missing, checks each answer, loses nothing."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time


def test_missing_values_are_asked_for_and_each_bad_answer_asked_again(run_in_terminal, run):
    answers = (
        "\n".join(
            [
                "2016 maslikhat",  # election
                "Nort Kaz",
                "СКО",  # region: unknown, then an alias
                "oblast maslikhat",  # district
                "Қасымова Әсел",  # candidate
                "rejected",
                "refused",  # decision
                "31.02.2016",
                "20.03.2016",  # decided on
                "0,785",
                "0,78",  # amount
                "",  # currency: KZT, the default
                "",  # nominated by, reason, notes: skipped with Enter
                "",
                "",
                "",  # save? Y
            ]
        )
        + "\n"
    )
    result = run_in_terminal("case", "add", input=answers)
    assert result.exit_code == 0, result.stderr
    # The runner echoes typed answers to stdout, as a terminal would; the pty test below
    # shows that dereg itself writes only the id there.
    assert result.stdout.splitlines()[-1] == "1"
    assert "unknown region 'Nort Kaz'; did you mean North Kazakhstan" in result.stderr
    assert "  = North Kazakhstan" in result.stderr
    assert "decision 'rejected' is not refused or cancelled" in result.stderr
    assert "date '31.02.2016' is not a real date" in result.stderr
    assert "amount '0,785' has more decimals than KZT allows (2)" in result.stderr
    case = json.loads(run("case", "show", "1", "-f", "json").stdout)
    assert (case["candidate"], case["region"], case["decided_on"], case["discrepancy_amount"]) == (
        "Қасымова Әсел",
        "North Kazakhstan",
        "2016-03-20",
        "0.78",
    )


def test_only_missing_values_are_asked_and_a_blank_amount_is_unknown(run_in_terminal, run):
    result = run_in_terminal(
        "case",
        "add",
        "--election",
        "e",
        "--region",
        "NKO",
        "--district",
        "d",
        "--decision",
        "refused",
        input="Name\n2016-01-01\n\n\n\n\n\n",  # amount, nominated by, reason, notes: Enter; save: Enter
    )
    assert result.exit_code == 0, result.stderr
    assert "Election" not in result.stderr and "Candidate" in result.stderr
    assert "Currency" not in result.stderr  # asked only for an amount
    assert json.loads(run("case", "show", "1", "-f", "json").stdout)["discrepancy_amount"] is None


def test_a_duplicate_is_caught_as_soon_as_the_candidate_is_typed(run_in_terminal, run):
    run(
        "case",
        "add",
        "--election",
        "e",
        "--region",
        "NKO",
        "--district",
        "d",
        "--candidate",
        "Name",
        "--decision",
        "refused",
        "--decided-on",
        "2016-01-01",
    )
    # NAME is case 1 already: said at once, and the candidate asked again; then Ctrl-D (EOF).
    result = run_in_terminal("case", "add", "--election", "e", "--region", "NKO", input="d\nNAME\n")
    assert result.exit_code == 1
    assert "  'NAME' already has case 1 in this district (dereg case show 1; " in result.stderr
    assert "Decision" not in result.stderr
    assert result.stderr.endswith(
        "Your answers, to run again: dereg case add --election e --region NKO --district d --candidate NAME\n"
        "Error: cancelled, nothing written\n"
    )


def test_ctrl_d_at_the_first_question_cancels_quietly(run_in_terminal, run):
    result = run_in_terminal("case", "add", input="")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, "Error: cancelled, nothing written")
    assert "Aborted" not in result.stderr and "Your answers" not in result.stderr


def test_no_saves_nothing(run_in_terminal, run):
    answers = "2016 maslikhat\nNKO\nokrug 1\nName\nrefsued\nrefused\n2016-01-01\n\n\n\n\nn\n"
    result = run_in_terminal("case", "add", input=answers)
    assert result.exit_code == 1, result.stderr
    assert "decision 'refsued' is not refused or cancelled" in result.stderr
    assert "did you mean refused?" in result.stderr
    assert "Save this case? [Y/n]" in result.stderr
    assert run("case", "list", "-f", "json").stdout == "[]\n"


def test_no_input_never_asks_even_at_a_terminal(run_in_terminal):
    result = run_in_terminal("case", "add", "--no-input", "--election", "e")
    assert result.exit_code == 2
    assert "Candidate" not in result.stderr
    assert result.stderr.startswith("Error: missing options --region, --district")


def test_a_real_terminal_is_asked(tmp_path):
    """The same through a pseudo-terminal and `python -m dereg`: no test hook involved."""
    env = {**os.environ, "DEREG_DB": str(tmp_path / "pty.db"), "DEREG_ACTOR": "pty"}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dereg",
            "case",
            "add",
            "--election",
            "e",
            "--region",
            "ВКО",
            "--district",
            "Semei",
            "--decision",
            "cancelled",
            "--decided-on",
            "2016-03-20",
        ],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen = b""
    for answer, prompt in (
        (b"Yersyn Kidiyarov\n", b"Candidate"),
        (b"500\n", b"amount"),
        (b"\n", b"Currency [KZT]"),
        (b"self\n\n\n\n", b"Nominated by"),  # then reason and notes skipped, and saved
    ):
        deadline = time.monotonic() + 20
        while prompt not in seen and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.5)[0]:
                seen += os.read(leader, 1024)
        assert prompt in seen, seen
        os.write(leader, answer)
    out, _ = process.communicate(timeout=20)
    os.close(leader)
    assert (process.returncode, out) == (0, b"1\n")


def test_a_bad_option_fails_before_any_question(run_in_terminal):
    result = run_in_terminal("case", "add", "--currency", "XYZ", "--amount", "5", input="e\n" * 20)
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: --currency: currency 'XYZ' is not an ISO 4217 code\n",
    )


def test_the_amount_is_asked_in_the_currency_given(run_in_terminal, run):
    result = run_in_terminal(
        "case",
        "add",
        "--currency",
        "JPY",
        "--election",
        "e",
        "--region",
        "NKO",
        "--district",
        "d",
        "--decision",
        "refused",
        "--decided-on",
        "2016-01-01",
        input="Name\n1.5\n150\n\n\n\n\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "amount '1.5' has more decimals than JPY allows (0)" in result.stderr
    assert json.loads(run("case", "show", "1", "-f", "json").stdout)["discrepancy_amount"] == "150"
