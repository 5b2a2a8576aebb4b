"""The tracker end to end through the CLI: districts, cases, appeals, regions, errors."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from conftest import NISTOLY


def dump(db_path) -> list:
    """Everything a command could have written, audit log included."""
    conn = sqlite3.connect(db_path)
    try:
        return [
            (table, conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall())
            for table in (
                "elections",
                "districts",
                "cases",
                "appeals",
                "regions",
                "region_aliases",
                "audit_log",
            )
        ]
    finally:
        conn.close()


def own_office_id() -> str:
    conn = sqlite3.connect(os.environ["DEREG_DB"])
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'office_id'").fetchone()[0]
    finally:
        conn.close()


def case_json(run, case_id: int) -> dict:
    result = run("case", "show", str(case_id), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_case_add_prints_the_new_id_and_normalises_every_value(run):
    result = run(*NISTOLY)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "1\n", "")
    case = case_json(run, 1)
    assert case == {
        "id": 1,
        "election": "2016 maslikhat",
        "region": "North Kazakhstan",
        "district": "oblast maslikhat",
        "candidate": "Nistoly Marina",
        "nominated_by": "self",
        "decision": "refused",
        "decided_on": "2016-03-20",
        "reason": None,
        "discrepancy_amount": "83.00",
        "currency": "KZT",
        "appeal_outcome": "not_filed",
        "notes": None,
        "office": "office " + own_office_id()[:8],  # the database's own, until 'init --office' names it
        "appeals": [],
    }


def test_kazakh_names_keep_every_letter_and_search_folds_cyrillic_case(run):
    name = "Қасымова Әсел Ұлықбекқызы"
    assert (
        run(
            "case",
            "add",
            "--election",
            "2016 маслихат",
            "--region",
            "СКО",
            "--district",
            "№ 7",
            "--candidate",
            name,
            "--decision",
            "Withdrawn",
            "--decided-on",
            "2016-02-29",
            "--amount",
            "0,78",
        ).exit_code
        == 0
    )
    assert run(*NISTOLY).exit_code == 0
    listed = json.loads(run("case", "list", "--search", "ҚАСЫМОВА", "-f", "json").stdout)
    assert [(case["candidate"], case["decision"], case["region"]) for case in listed] == [
        (name, "cancelled", "North Kazakhstan")
    ]
    assert json.loads(run("case", "list", "--search", "nistoly", "-f", "json").stdout)[0]["id"] == 2
    assert run("case", "list", "--search", "nobody", "-f", "json").stdout == "[]\n"


@pytest.mark.parametrize(
    ("spelling", "region"),
    [
        ("NKO", "North Kazakhstan"),
        ("СКО", "North Kazakhstan"),
        ("north  kazakhstan", "North Kazakhstan"),
        ("SKO", "South Kazakhstan"),
        ("ЮКО", "South Kazakhstan"),
        ("Almaty", "Almaty"),
        ("Almaty oblast", "Almaty oblast"),
        ("алматы", "Almaty"),
        ("East-Kazakhstan  Oblast", "East Kazakhstan"),
    ],
)
def test_region_spellings_name_one_region(run, spelling, region):
    args = [*NISTOLY]
    args[args.index("--region") + 1] = spelling
    assert run(*args).exit_code == 0
    assert case_json(run, 1)["region"] == region


def test_the_same_candidate_twice_is_a_conflict_and_writes_nothing(run, db_path):
    run(*NISTOLY)
    before = dump(db_path)
    again = [*NISTOLY]
    again[again.index("Nistoly Marina")] = "  NISTOLY   marina "
    again[again.index("North-Kazakhstan oblast")] = "СКО"
    result = run(*again)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: candidate 'NISTOLY   marina' already has case 1 in this district\n"
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--amount", "0.785", "Error: --amount: amount '0.785' has more decimals than KZT allows (2)"),
        ("--amount", "-83", "Error: --amount: "),
        ("--decided-on", "31.02.2016", "Error: --decided-on: date '31.02.2016' is not a real date"),
        ("--decision", "rejected", "Error: --decision: decision 'rejected' is not refused or cancelled"),
        (
            "--region",
            "Nort Kazakstan",
            "Error: --region: unknown region 'Nort Kazakstan'; did you mean North Kazakhstan",
        ),
        ("--currency", "TENGE", "Error: --currency: currency 'TENGE' is not an ISO 4217 code"),
        ("--candidate", "  ", "Error: --candidate: candidate is required"),
        (
            "--candidate",
            "Nis\x00toly",
            "Error: --candidate: candidate 'Nis\\x00toly' holds a control character",
        ),
    ],
)
def test_every_bad_value_is_one_line_exit_1_and_nothing_written(run, db_path, option, value, message):
    run("init")
    before = dump(db_path)
    args = [*NISTOLY]
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert dump(db_path) == before


def test_missing_options_without_a_terminal_are_a_usage_error(run, db_path):
    result = run("case", "add", "--election", "2016", "--candidate", "X", "--no-input")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: missing options --region, --district, --decision, --decided-on (no terminal to ask in)\n"
    )


def test_case_list_filters(run):
    run(*NISTOLY)
    run(
        "case",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "Almaty",
        "--district",
        "city maslikhat",
        "--candidate",
        "Tulesova Asya",
        "--decision",
        "cancelled",
        "--decided-on",
        "2016-03-20",
        "--amount",
        "0.78",
    )
    run(
        "case",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "EKO",
        "--district",
        "Semei city maslikhat",
        "--candidate",
        "Yersyn Kidiyarov",
        "--decision",
        "cancelled",
        "--decided-on",
        "2016-03-20",
        "--amount",
        "500",
    )
    run("appeal", "add", "1", "--court", "oblast court", "--outcome", "upheld")
    run("appeal", "add", "3", "--court", "Semei court", "--outcome", "not_heard")

    def ids(*filters):
        result = run("case", "list", *filters, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return [case["id"] for case in json.loads(result.stdout)]

    assert ids() == [1, 2, 3]
    assert ids("--region", "ВКО") == [3]
    assert ids("--district", "CITY  Maslikhat") == [2]
    assert ids("--outcome", "upheld") == [1]
    assert ids("--outcome", "not_filed") == [2]
    assert ids("--outcome", "not-heard") == [3]
    assert ids("--min-amount", "83") == [1, 3]
    assert ids("--max-amount", "83,00") == [1, 2]
    assert ids("--min-amount", "1", "--max-amount", "100") == [1]
    assert ids("--election", "2016 MASLIKHAT", "--limit", "2") == [1, 2]
    assert run("case", "list", "--election", "2017").stderr == (
        "Error: --election: unknown election '2017'; see 'dereg election list'\n"
    )
    assert run("case", "list", "--outcome", "won").exit_code == 1


def test_case_list_csv_and_table(run):
    run(*NISTOLY)
    csv_out = run("case", "list", "--format", "csv").stdout
    assert csv_out == (
        "id,election,region,district,candidate,nominated_by,decision,decided_on,reason,"
        "discrepancy_amount,currency,appeal_outcome,notes\n"
        "1,2016 maslikhat,North Kazakhstan,oblast maslikhat,Nistoly Marina,self,refused,"
        "2016-03-20,,83.00,KZT,not_filed,\n"
    )
    table = run("case", "list").stdout
    assert "Nistoly Marina" in table and "None" not in table


def test_case_edit_changes_fields_moves_districts_and_keeps_the_key_unique(run, db_path):
    run(*NISTOLY)
    result = run(
        "case", "edit", "1", "--amount", "83,50", "--notes", "child-benefit accounts", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["discrepancy_amount"] == "83.50"
    assert case_json(run, 1)["notes"] == "child-benefit accounts"
    assert run("case", "edit", "1", "--notes", "").exit_code == 0
    assert case_json(run, 1)["notes"] is None
    # Switching currency re-reads the amount in the new currency's minor unit.
    assert run("case", "edit", "1", "--currency", "usd").exit_code == 0
    assert (case_json(run, 1)["discrepancy_amount"], case_json(run, 1)["currency"]) == ("83.50", "USD")
    assert run("case", "edit", "1", "--currency", "JPY").stderr == (
        "Error: --amount: amount '83.50' has more decimals than JPY allows (0)\n"
    )
    assert run("case", "edit", "1", "--district", "No 5").exit_code == 0
    assert case_json(run, 1)["district"] == "No 5"
    run(
        "case",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "NKO",
        "--district",
        "No 6",
        "--candidate",
        "Other",
        "--decision",
        "refused",
        "--decided-on",
        "2016-03-01",
    )
    before = dump(db_path)
    clash = run("case", "edit", "2", "--district", "no  5", "--candidate", "nistoly marina")
    assert (clash.exit_code, clash.stderr) == (
        1,
        "Error: candidate 'nistoly marina' already has case 1 in this district\n",
    )
    assert dump(db_path) == before
    assert run("case", "edit", "1").exit_code == 2
    assert run("case", "edit", "9", "--notes", "x").stderr == "Error: no case with id 9\n"


def test_case_delete_needs_yes_and_takes_the_appeals(run, db_path):
    run(*NISTOLY)
    run("appeal", "add", "1", "--court", "court")
    refused = run("case", "delete", "1")
    assert (refused.exit_code, refused.stderr) == (2, "Error: deleting case 1 needs --yes\n")
    result = run("case", "delete", "1", "--yes")
    assert (result.exit_code, result.stdout) == (0, "deleted case 1 (Nistoly Marina)\n")
    assert run("case", "show", "1").stderr == "Error: no case with id 1\n"
    assert run("appeal", "list", "--format", "json").stdout == "[]\n"
    assert run("case", "delete", "1", "--yes").exit_code == 1


def test_appeals_set_the_case_outcome_by_the_highest_instance(run):
    run(*NISTOLY)
    assert (
        run(
            "appeal",
            "add",
            "1",
            "--court",
            "SKO court",
            "--filed-on",
            "25.03.2016",
            "--outcome",
            "upheld",
            "--decided-on",
            "2016-04-01",
        ).stdout
        == "1\n"
    )
    assert case_json(run, 1)["appeal_outcome"] == "upheld"
    assert (
        run(
            "appeal",
            "add",
            "1",
            "--court",
            "Supreme Court",
            "--instance",
            "cassation",
            "--outcome",
            "reinstated",
        ).stdout
        == "2\n"
    )
    assert (
        run(
            "appeal", "add", "1", "--court", "oblast court", "--instance", "appeal", "--outcome", "upheld"
        ).stdout
        == "3\n"
    )
    assert case_json(run, 1)["appeal_outcome"] == "reinstated"
    duplicate = run("appeal", "add", "1", "--court", "again")
    assert duplicate.exit_code == 1
    assert duplicate.stderr == (
        "Error: case 1 already has a first-instance appeal (appeal 1); change it with 'dereg appeal edit 1'\n"
    )
    assert run("appeal", "edit", "2", "--outcome", "pending").exit_code == 0
    assert case_json(run, 1)["appeal_outcome"] == "pending"
    listed = json.loads(run("appeal", "list", "1", "-f", "json").stdout)
    assert [(a["instance"], a["outcome"]) for a in listed] == [
        ("first", "upheld"),
        ("appeal", "upheld"),
        ("cassation", "pending"),
    ]
    backwards = run(
        "appeal",
        "add",
        "1",
        "--court",
        "x",
        "--instance",
        "first",
        "--filed-on",
        "2016-04-02",
        "--decided-on",
        "2016-04-01",
    )
    assert backwards.exit_code == 1
    assert run("appeal", "add", "7", "--court", "x").stderr == "Error: no case with id 7\n"
    assert run("appeal", "add", "1", "--court", "x", "--outcome", "won").stderr.startswith(
        "Error: --outcome: outcome 'won' is not one of: pending, upheld, reinstated, not_heard"
    )


def test_district_add_creates_then_updates_and_cases_create_unknown_districts(run):
    run(*NISTOLY)
    listed = json.loads(run("district", "list", "-f", "json").stdout)
    assert listed == [
        {
            "id": 1,
            "election": "2016 maslikhat",
            "region": "North Kazakhstan",
            "district": "oblast maslikhat",
            "seats": None,
            "candidates": None,
            "level": None,
            "constituency": None,
        }
    ]
    result = run(
        "district",
        "add",
        "--election",
        "2016 Maslikhat",
        "--region",
        "СКО",
        "--district",
        "Oblast Maslikhat",
        "--seats",
        "1",
        "--candidates",
        "4",
        "--level",
        "oblast",
    )
    assert (result.exit_code, result.stdout) == (0, "district 1: saved\n")
    assert json.loads(run("district", "list", "-f", "json").stdout)[0] | {} == {
        "id": 1,
        "election": "2016 maslikhat",
        "region": "North Kazakhstan",
        "district": "oblast maslikhat",
        "seats": 1,
        "candidates": 4,
        "level": "oblast",
        "constituency": None,
    }
    assert (
        run(
            "district",
            "add",
            "--election",
            "2016 maslikhat",
            "--region",
            "NKO",
            "--district",
            "oblast maslikhat",
            "--seats",
            "1",
        ).stdout
        == "district 1: unchanged\n"
    )
    assert (
        run("district", "add", "--election", "e", "--region", "NKO", "--district", "d", "--seats", "0").stderr
        == "Error: --seats: seats '0' must be at least 1\n"
    )
    assert (
        run(
            "district", "add", "--election", "e", "--region", "NKO", "--district", "d", "--seats", "two"
        ).stderr
        == "Error: --seats: seats 'two' is not a whole number\n"
    )
    assert run("district", "list", "--region", "Almaty", "-f", "json").stdout == "[]\n"


def test_region_add_extends_the_table(run):
    result = run(
        "region", "add", "Baikonur", "--alias", "Байконур", "--alias", "Baikonur city", "--kind", "city"
    )
    assert (result.exit_code, result.stdout) == (0, "region Baikonur: 2 aliases added\n")
    args = [*NISTOLY]
    args[args.index("North-Kazakhstan oblast")] = "БАЙКОНУР"
    assert run(*args).exit_code == 0
    assert case_json(run, 1)["region"] == "Baikonur"
    clash = run("region", "add", "Baikonur", "--alias", "SKO")
    assert (clash.exit_code, clash.stderr) == (
        1,
        "Error: alias 'SKO' already names region 'South Kazakhstan'\n",
    )
    listed = json.loads(run("region", "list", "-f", "json").stdout)
    assert len(listed) == 21  # the 20 regions of 2022's map, and the one added
    assert {"region": "Baikonur", "kind": "city", "aliases": "Байконур | Baikonur city"} in listed


def test_case_history_shows_every_change_newest_first_even_after_delete(run):
    run(*NISTOLY)
    run("--actor", "aigerim", "case", "edit", "1", "--amount", "84")
    run("appeal", "add", "1", "--court", "c")
    run("case", "delete", "1", "--yes")
    history = json.loads(run("case", "history", "1", "-f", "json").stdout)
    assert [(h["command"], h["actor"]) for h in history] == [
        ("case delete", "tester"),
        ("appeal add", "tester"),
        ("case edit", "aigerim"),
        ("case add", "tester"),
    ]
    assert history[2]["before"]["discrepancy_amount"] == "83.00"
    assert history[2]["after"]["discrepancy_amount"] == "84.00"


def test_the_audit_log_cannot_be_changed(run, db_path):
    run(*NISTOLY)
    conn = sqlite3.connect(db_path)
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)


def test_a_reader_that_stops_early_gets_no_error_message(tmp_path):
    import subprocess
    import sys

    from dereg import db

    db.connect(tmp_path / "p.db").close()
    command = f"'{sys.executable}' -m dereg --db '{tmp_path / 'p.db'}' region list | true"
    result = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, text=True)
    assert result.stderr == ""
    assert result.returncode in (0, 141)  # 141 when the pipe broke before dereg was done


def test_invisible_characters_never_split_one_person(run):
    base = (
        "case",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "Almaty",
        "--district",
        "okrug\u200b 1",
        "--decision",
        "refused",
        "--decided-on",
        "2016-03-01",
        "--candidate",
    )
    assert run(*base, "Иван\u200bов\u200f").stdout == "1\n"
    twin = run(*base, "Иванов")
    assert (twin.exit_code, twin.stderr) == (
        1,
        "Error: candidate 'Иванов' already has case 1 in this district\n",
    )
    assert run("case", "show", "1", "--format", "json").stdout.count('"candidate": "Иванов"') == 1
    nothing = run(*base, "\u200b\u200b")
    assert (nothing.exit_code, nothing.stderr) == (1, "Error: --candidate: candidate is empty\n")
    dots = run(*base, "...")
    assert (dots.exit_code, dots.stderr) == (
        1,
        "Error: --candidate: candidate '...' has no letter or digit\n",
    )


def test_a_district_like_a_recorded_one_is_named_and_in_a_terminal_asked(run, run_in_terminal):
    base = (
        "case",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "Almaty",
        "--decision",
        "refused",
        "--decided-on",
        "2016-03-01",
        "--candidate",
    )
    assert run(*base, "A", "--district", "округ 12").stdout == "1\n"
    piped = run(*base, "B", "--district", "Okrug 12")
    assert (piped.exit_code, piped.stdout, piped.stderr) == (
        0,
        "2\n",
        "new district 'Okrug 12' in 2016 maslikhat; recorded names like it: 'округ 12'\n",
    )
    declined = run_in_terminal(*base, "C", "--district", "округ №12", input="n\n")
    assert declined.exit_code == 1 and declined.stderr.endswith("Error: cancelled, nothing written\n")
    assert run("case", "list", "--format", "csv").stdout.count("\n") == 3  # the header and two cases
    assert run(*base, "D", "--district", "Astana 7").stderr == ""  # like nothing recorded: just made


def test_districts_and_elections_are_renamed_merged_and_deleted(run):
    base = ("case", "add", "--region", "Almaty", "--decision", "refused", "--decided-on", "2016-03-01")
    run(*base, "--election", "2016 maslikhat", "--district", "округ 12", "--candidate", "A")
    run(*base, "--election", "2016 maslikhat", "--district", "Okrug 12", "--candidate", "B")
    # a typo of a shipped election's name is refused, unless --new-election records it
    typo = ("--election", "2016 maslihkat", "--district", "округ 3", "--candidate", "C")
    assert run(*base, *typo).stderr.startswith(
        "Error: --election: unknown election '2016 maslihkat'; did you mean"
    )
    assert run(*base, *typo, "--new-election", "20.03.2016").stdout == "3\n"
    listed = run("district", "list", "--format", "csv").stdout.splitlines()
    assert listed[0] == "id,election,region,district,seats,candidates,level,constituency"
    refused = run("district", "delete", "2")
    assert (refused.exit_code, refused.stderr) == (
        1,
        "Error: district 2 (Okrug 12) has 1 case: move it with 'dereg district merge 2 OTHER', "
        "or delete it first\n",
    )
    assert run("district", "merge", "2", "1").stdout == "district 2 merged into district 1: 1 case moved\n"
    assert run("case", "list", "--district", "округ 12", "--format", "csv").stdout.count("\n") == 3
    # one name in two alphabets: the Latin spelling finds the Cyrillic one
    assert run("case", "list", "--search", "okrug 12", "--format", "csv").stdout.count("\n") == 3
    assert run("district", "edit", "1", "--rename", "округ №12", "--candidates", "5").exit_code == 0
    assert run("case", "list", "--search", "№12", "--format", "csv").stdout.count("\n") == 3
    clash = run("election", "rename", "2016 maslihkat", "2016 MASLIKHAT")
    assert (clash.exit_code, clash.stderr) == (
        1,
        "Error: election '2016 maslikhat' exists already: move its districts with 'dereg district merge'\n",
    )
    assert run("district", "merge", "3", "1").exit_code == 0
    assert run("election", "delete", "2016 maslikhat").exit_code == 1
    assert run("election", "delete", "2016 maslihkat").stdout == "deleted election '2016 maslihkat'\n"
    listed = run("election", "list", "--format", "csv").stdout.splitlines()
    assert listed[0] == "id,election,voting_day,kind,districts,cases"
    assert "10,2016 maslikhat,2016-03-20,maslikhat,1,3" in listed and "maslihkat" not in "".join(listed)
    moved = [
        entry
        for entry in json.loads(run("case", "history", "3", "--format", "json").stdout)
        if entry["command"] == "district merge"
    ]
    assert [(e["before"]["district"], e["after"]["district"]) for e in moved] == [("округ 3", "округ №12")]
    assert run("check").stdout == "no problems found\n"


def test_line_breaks_are_stored_as_lf(run):
    result = run(*NISTOLY, "--notes", "first line\r\nsecond\rthird")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(run("case", "show", "1", "--format", "json").stdout)
    assert shown["notes"] == "first line\nsecond\nthird"
    assert run("case", "edit", "1", "--notes", "first line\nsecond\r\nthird").exit_code == 0
    assert run("case", "history", "1", "--format", "json").stdout.count('"command": "case edit"') == 0


def test_a_deleted_case_id_is_never_given_again(run, tmp_path):
    base = (
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
        "2016-03-01",
        "--candidate",
    )
    assert [run(*base, name).stdout for name in "ABCD"] == ["1\n", "2\n", "3\n", "4\n"]
    assert run("appeal", "add", "4", "--court", "c").exit_code == 0
    assert run("case", "delete", "4", "--yes").exit_code == 0
    assert run(*base, "E").stdout == "5\n"
    history = json.loads(run("case", "history", "4", "--format", "json").stdout)
    assert {
        entry["before"]["candidate"] if entry["before"] else entry["after"]["candidate"] for entry in history
    } == {"D"}
    rows = tmp_path / "more.csv"
    rows.write_text(
        "election,region,district,candidate,decision,decided_on,appeal_court\n"
        "2016 maslikhat,Almaty,okrug 1,F,refused,2016-03-01,c\n",
        encoding="utf-8",
    )
    assert run("case", "delete", "5", "--yes").exit_code == 0
    assert run("import", "cases", str(rows)).exit_code == 0
    shown = json.loads(run("case", "list", "--format", "json").stdout)
    assert [(case["id"], case["candidate"]) for case in shown] == [(1, "A"), (2, "B"), (3, "C"), (6, "F")]
    appeals = json.loads(run("appeal", "list", "--format", "json").stdout)
    assert [appeal["id"] for appeal in appeals] == [2]  # appeal 1 went with case 4


def test_the_map_on_a_day_and_every_spelling_of_every_name(run):
    def regions_on(day: str) -> list[str]:
        return [row["region"] for row in json.loads(run("region", "list", "--on", day, "-f", "json").stdout)]

    on_2016, on_2021, on_2023 = regions_on("2016-03-20"), regions_on("10.01.2021"), regions_on("2023-03-19")
    assert (len(on_2016), len(on_2021), len(on_2023)) == (16, 17, 20)
    assert {"South Kazakhstan", "Astana"} <= set(on_2016) and "Shymkent" not in on_2016
    assert {"Turkistan", "Nur-Sultan", "Shymkent"} <= set(on_2021) and "Abai" not in on_2021
    assert {"Turkistan", "Astana", "Abai", "Jetisu", "Ulytau"} <= set(on_2023)
    base = ("case", "add", "--election", "2023 maslikhat", "--district", "okrug 1", "--decision", "refused",
            "--decided-on", "2023-03-01", "--candidate")  # fmt: skip
    for n, spelling in enumerate(
        ["область Абай", "Шымкент", "Түркістан облысы", "ЮКО", "Нур-Султан", "Astana"]
    ):
        result = run(*base, f"C{n}", "--region", spelling)
        assert result.exit_code == 0, (spelling, result.stderr)
    regions = [row["region"] for row in json.loads(run("case", "list", "-f", "json").stdout)]
    # one identity whatever the spelling, named as it was on the election's day
    assert regions == ["Abai", "Shymkent", "Turkistan", "Turkistan", "Astana", "Astana"]
    bad = run("region", "list", "--on", "31.02.2016")
    assert (bad.exit_code, bad.stderr) == (1, "Error: --on: date '31.02.2016' is not a real date\n")
