"""dereg case merge KEEP OTHER: one person recorded twice made one case."""

from __future__ import annotations

import json

from conftest import CASE, ok


def two_records(run) -> None:
    ok(run, *CASE, "Тулесова Асья", "--amount", "0.78")
    ok(run, "appeal", "add", "1", "--court", "Almaty city court", "--outcome", "upheld",
       "--filed-on", "2016-03-22", "--decided-on", "2016-03-25")  # fmt: skip
    ok(run, *CASE, "Tulesova Asya", "--amount", "0.87", "--notes", "her USD 18.73 item was dismissed")
    ok(run, "appeal", "add", "2", "--court", "Almaty appeal court", "--instance", "appeal",
       "--filed-on", "2016-03-28")  # fmt: skip


def show(run, case: int) -> dict:
    return json.loads(ok(run, "case", "show", str(case), "--format", "json"))


def test_a_conflict_is_listed_and_nothing_changes_without_prefer(run):
    two_records(run)
    before = show(run, 1), show(run, 2)
    result = run("case", "merge", "1", "2")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        'case 1 "Тулесова Асья": amount 0.78 here, 0.87 in case 2\n'
        "Error: 1 conflict with case 2: nothing was merged; --prefer ours|theirs|newer settles them\n",
    )
    assert (show(run, 1), show(run, 2)) == before


def test_case_merge_moves_appeals_settles_values_audits_and_retires_the_id(run):
    two_records(run)
    result = run("case", "merge", "1", "2", "--prefer", "theirs")
    assert (result.exit_code, result.stdout) == (0, "case 2 merged into case 1\n"), result.stderr
    kept = show(run, 1)
    assert (kept["candidate"], kept["discrepancy_amount"], kept["notes"]) == (
        "Тулесова Асья",
        "0.87",
        "her USD 18.73 item was dismissed",
    )
    assert [(a["instance"], a["court"]) for a in kept["appeals"]] == [
        ("first", "Almaty city court"),
        ("appeal", "Almaty appeal court"),
    ]
    gone = run("case", "show", "2")
    assert (gone.exit_code, gone.stderr) == (1, "Error: no case with id 2\n")
    assert ok(run, *CASE, "Someone Else") == "3\n"  # 2 is never given again
    history = json.loads(ok(run, "case", "history", "1", "--format", "json"))
    assert history[0]["command"] == "case merge" and history[0]["after"]["merged_from_case"] == 2
    table = ok(run, "case", "history", "1")
    assert "case 2 merged into this case" in table and "discrepancy_amount: 0.78 -> 0.87" in table
    deleted = json.loads(ok(run, "case", "history", "2", "--format", "json"))
    assert (deleted[0]["command"], deleted[0]["after"]) == ("case merge", None)
    checked = run("check")
    assert (checked.stdout, checked.exit_code) == ("no problems found\n", 0)


def test_case_merge_prefer_ours_keeps_keeps_values(run):
    two_records(run)
    ok(run, "case", "merge", "1", "2", "--prefer", "ours")
    assert show(run, 1)["discrepancy_amount"] == "0.78"


def test_case_merge_prefer_newer_takes_the_later_edit(run):
    two_records(run)
    ok(run, "case", "edit", "1", "--amount", "0.79")  # case 1's amount changed last
    ok(run, "case", "merge", "2", "1", "--prefer", "newer")
    assert show(run, 2)["discrepancy_amount"] == "0.79"


def test_case_merge_refuses_one_case_twice_and_unknown_ids(run):
    two_records(run)
    same = run("case", "merge", "1", "1")
    assert (same.exit_code, same.stderr) == (1, "Error: KEEP and OTHER are both case 1: name two cases\n")
    unknown = run("case", "merge", "1", "9")
    assert (unknown.exit_code, unknown.stderr) == (1, "Error: no case with id 9\n")
