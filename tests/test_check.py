"""`dereg check`: each kind of problem, found in a real file and named by case or district.

What the tool refuses to write is written here straight into the file with sqlite3, as a
user with the sqlite3 shell (or a damaged disk) would.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from dereg import check as checks
from dereg import db, migrations, parallel
from dereg.check import Problem, check_database

ELECTION = "2016 maslikhat"
CASE_ARGS = (
    "case",
    "add",
    "--election",
    ELECTION,
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


@pytest.fixture(autouse=True, params=["alone", "with helpers"])
def helpers(request, monkeypatch):
    """Every test here runs twice: the check in this process alone, and shared with helper
    processes as on a large database (dereg.parallel). Their problems, in order, are one."""
    if request.param == "with helpers":
        monkeypatch.setattr(checks, "PARALLEL_FROM", 0)
        monkeypatch.setattr(parallel, "helpers_wanted", lambda: 2)
    return request.param


def add_case(run, candidate: str, district: str = "okrug 1", **options: str) -> None:
    args = [
        "case",
        "add",
        "--election",
        ELECTION,
        "--region",
        "Almaty",
        "--district",
        district,
        "--candidate",
        candidate,
        "--decision",
        "refused",
        "--decided-on",
        options.pop("decided_on", "2016-03-20"),
    ]
    for option, value in options.items():
        args += [f"--{option.replace('_', '-')}", value]
    result = run(*args)
    assert result.exit_code == 0, result.stderr


def ok(run, *args: str) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.stderr


def raw(db_path, *statements: str) -> None:
    """Write behind dereg's back: foreign keys off (sqlite3's default), CHECKs ignored."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def check(run) -> tuple[int, str, str]:
    result = run("check")
    return result.exit_code, result.stdout, result.stderr


def test_a_sound_database_has_no_problems(run):
    add_case(run, "Nistoly Marina", amount="83")
    add_case(run, "Тулесова Асья", amount="0,78")
    ok(
        run,
        "district",
        "add",
        "--election",
        ELECTION,
        "--region",
        "Almaty",
        "--district",
        "okrug 1",
        "--seats",
        "1",
        "--candidates",
        "4",
    )
    ok(
        run,
        "appeal",
        "add",
        "1",
        "--court",
        "Almaty city court",
        "--filed-on",
        "2016-03-22",
        "--outcome",
        "reinstated",
        "--decided-on",
        "2016-03-25",
    )
    ok(
        run,
        "appeal",
        "add",
        "1",
        "--court",
        "Almaty appeal court",
        "--instance",
        "appeal",
        "--filed-on",
        "2016-03-26",
        "--outcome",
        "reinstated",
        "--decided-on",
        "2016-03-30",
    )
    assert check(run) == (0, "no problems found\n", "")


def test_a_new_database_has_no_problems(run):
    assert check(run) == (0, "no problems found\n", "")


def test_more_removed_than_stood_is_refused_and_found(run, db_path):
    ok(
        run,
        "district",
        "add",
        "--election",
        ELECTION,
        "--region",
        "Almaty",
        "--district",
        "okrug 1",
        "--seats",
        "1",
        "--candidates",
        "1",
    )
    add_case(run, "A")
    district = "district 'okrug 1' (2016 maslikhat, Almaty)"
    refused = run(*CASE_ARGS, "B")
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"Error: {district}: 2 candidates removed (2 deregistered, 0 reinstated) but only 1 stood\n",
    )
    fewer = run(
        "district",
        "add",
        "--election",
        ELECTION,
        "--region",
        "Almaty",
        "--district",
        "okrug 1",
        "--seats",
        "1",
        "--candidates",
        "0",
    )
    assert (fewer.exit_code, fewer.stderr) == (1, "Error: --candidates: candidates '0' must be at least 1\n")
    raw(
        db_path,
        "INSERT INTO cases (district_id, candidate, candidate_key, decision, decided_on, search) "
        "VALUES (1, 'B', 'b', 'refused', '2016-03-01', 'b okrug 1')",
    )
    assert check(run) == (
        1,
        f"{district}: 2 candidates removed (2 deregistered, 0 reinstated) but only 1 stood\n",
        "1 problem found\n",
    )


def test_an_appeal_decided_before_it_was_filed(run, db_path):
    add_case(run, "A")
    ok(
        run,
        "appeal",
        "add",
        "1",
        "--court",
        "c",
        "--filed-on",
        "2016-03-22",
        "--outcome",
        "upheld",
        "--decided-on",
        "2016-03-25",
    )
    raw(db_path, "UPDATE appeals SET decided_on = '2016-03-21'")  # dereg itself refuses this
    assert check(run) == (
        1,
        "case 1 (A), first-instance appeal 1: decided on 2016-03-21, before it was filed on 2016-03-22\n",
        "1 problem found\n",
    )


def test_a_reinstatement_the_higher_court_reversed_is_a_normal_history(run):
    # The highest instance decides: the case counts as upheld, and nothing is inconsistent.
    add_case(run, "A")
    ok(run, "appeal", "add", "1", "--court", "c", "--outcome", "reinstated", "--decided-on", "2016-03-25")
    ok(
        run,
        "appeal",
        "add",
        "1",
        "--court",
        "c2",
        "--instance",
        "appeal",
        "--outcome",
        "upheld",
        "--decided-on",
        "2016-04-02",
    )
    assert check(run) == (0, "no problems found\n", "")
    assert run("case", "show", "1", "--format", "json").stdout.count('"appeal_outcome": "upheld"') == 1


def test_upheld_then_reinstated_on_appeal_is_normal(run):
    add_case(run, "A")
    ok(run, "appeal", "add", "1", "--court", "c", "--outcome", "upheld", "--decided-on", "2016-03-25")
    ok(
        run,
        "appeal",
        "add",
        "1",
        "--court",
        "c2",
        "--instance",
        "appeal",
        "--outcome",
        "reinstated",
        "--decided-on",
        "2016-04-02",
    )
    assert check(run) == (0, "no problems found\n", "")


def test_an_amount_with_more_decimals_than_its_currency_allows(run, db_path):
    add_case(run, "A", amount="0.78")
    add_case(run, "B", amount="5")
    # The tool refuses 0.785 KZT; a hand edit can record KZT with three decimals and 785 tiyn/10.
    raw(
        db_path,
        "UPDATE currencies SET exponent = 3 WHERE code = 'KZT'",
        "UPDATE cases SET amount_minor = 785 WHERE id = 1",
        "UPDATE cases SET amount_minor = 5000 WHERE id = 2",
    )
    assert check(run) == (
        1,
        "currency KZT: is recorded with 3 decimals, but ISO 4217 gives it 2: its amounts read wrongly\n"
        "case 1 (A): amount 0.785 KZT has more decimals than KZT allows (2)\n",
        "2 problems found\n",
    )


def test_broken_foreign_keys_name_the_row(run, db_path):
    add_case(run, "A")
    ok(run, "appeal", "add", "1", "--court", "c")
    raw(db_path, "UPDATE cases SET currency = 'XYZ'", "UPDATE appeals SET case_id = 7")
    code, out, err = check(run)
    assert (code, err) == (1, "2 problems found\n")
    assert out == (
        "appeal 1: its case_id 7 is not in cases (changed outside dereg?)\n"
        "case 1 (A): its currency 'XYZ' is not in currencies (changed outside dereg?)\n"
    )


def test_values_the_schema_forbids_are_named_row_by_row(run, db_path):
    add_case(run, "A", amount="83")
    ok(run, "appeal", "add", "1", "--court", "c")
    raw(
        db_path,
        "UPDATE cases SET decided_on = '2016-02-31', amount_minor = -5",
        "UPDATE appeals SET outcome = 'won'",
    )
    code, out, err = check(run)
    assert (code, err) == (1, "5 problems found\n")
    assert out == (
        "database: integrity check: CHECK constraint failed in appeals\n"
        "database: integrity check: CHECK constraint failed in cases\n"
        "case 1 (A): decided_on '2016-02-31' is not a date\n"
        "case 1 (A): amount_minor -5 is negative\n"
        "case 1 (A), appeal 1: outcome 'won' is not pending, upheld, reinstated or not_heard\n"
    )


def test_appeal_dates_against_the_decision_and_the_lower_instance(run, db_path):
    add_case(run, "A", decided_on="2016-03-20")
    for args, error in (
        (
            ("--filed-on", "2016-03-01"),
            "--filed-on: filed on 2016-03-01, before the commission's decision of 2016-03-20",
        ),
        (
            ("--outcome", "pending", "--decided-on", "2016-04-10"),
            "--outcome: is pending, yet has a decision date (2016-04-10)",
        ),
        (
            ("--filed-on", "2016-03-22", "--decided-on", "2016-03-21", "--outcome", "upheld"),
            "--decided-on: decided on 2016-03-21, before it was filed on 2016-03-22",
        ),
    ):
        refused = run("appeal", "add", "1", "--court", "c", *args)
        assert (refused.exit_code, refused.stderr) == (1, f"Error: {error}\n")
    ok(
        run,
        "appeal",
        "add",
        "1",
        "--court",
        "c",
        "--filed-on",
        "2016-03-21",
        "--outcome",
        "upheld",
        "--decided-on",
        "2016-03-25",
    )
    refused = run("appeal", "add", "1", "--court", "c2", "--instance", "appeal", "--filed-on", "2016-03-24")
    assert (refused.exit_code, refused.stderr) == (
        1,
        "Error: --filed-on: filed on 2016-03-24, before the first-instance decision of 2016-03-25\n",
    )
    refused = run("case", "edit", "1", "--decided-on", "2016-03-22")
    assert (refused.exit_code, refused.stderr) == (
        1,
        "Error: --filed-on: filed on 2016-03-21, before the commission's decision of 2016-03-22\n",
    )
    assert check(run) == (0, "no problems found\n", "")
    raw(db_path, "UPDATE appeals SET filed_on = '2016-03-01'")
    raw(
        db_path,
        "INSERT INTO appeals (case_id, court, instance, filed_on, outcome) "
        "VALUES (1, 'c2', 'appeal', '2016-03-24', 'upheld')",
    )
    raw(
        db_path,
        "INSERT INTO appeals (case_id, court, instance, outcome, decided_on) "
        "VALUES (1, 'c3', 'cassation', 'pending', '2016-04-10')",
    )
    assert check(run) == (
        1,
        "case 1 (A), first-instance appeal 1: filed on 2016-03-01, before the commission's "
        "decision of 2016-03-20\n"
        "case 1 (A), cassation-instance appeal 3: is pending, yet has a decision date (2016-04-10)\n"
        "case 1 (A), appeal-instance appeal 2: filed on 2016-03-24, before the first-instance "
        "decision of 2016-03-25\n",
        "3 problems found\n",
    )


def test_dates_in_the_future_are_typos(run, db_path):
    refused = run(*CASE_ARGS, "A", "--decided-on", "20.03.2061")  # the last --decided-on counts
    assert (refused.exit_code, refused.stderr) == (
        1,
        "Error: --decided-on: decided on 2061-03-20, which is in the future\n",
    )
    add_case(run, "A")
    refused = run("appeal", "add", "1", "--court", "c", "--filed-on", "2061-03-22")
    assert (refused.exit_code, refused.stderr) == (
        1,
        "Error: --filed-on: filed on 2061-03-22, which is in the future\n",
    )
    raw(db_path, "UPDATE cases SET decided_on = '2061-03-20'")
    raw(db_path, "INSERT INTO appeals (case_id, court, filed_on) VALUES (1, 'c', '2061-03-22')")
    assert check(run) == (
        1,
        "case 1 (A): decided on 2061-03-20, which is in the future\n"
        "case 1 (A), first-instance appeal 1: filed on 2061-03-22, which is in the future\n",
        "2 problems found\n",
    )


def test_stale_keys_are_found_and_an_edit_refreshes_them(run, db_path):
    add_case(run, "Nistoly Marina")
    add_case(run, "Other")
    raw(db_path, "UPDATE cases SET candidate = 'NISTOLY  marina ' WHERE id = 2")
    assert check(run) == (
        1,
        "case 2 (NISTOLY  marina ): its matching key or search text is out of date (changed "
        "outside dereg?); any 'dereg case edit' of it refreshes them\n"
        "case 2 (NISTOLY  marina ): is the same candidate in the same district as case 1\n",
        "2 problems found\n",
    )
    assert run("case", "edit", "2", "--candidate", "Nistoly Marina").exit_code == 1  # a duplicate
    assert run("case", "edit", "2", "--candidate", "Other").exit_code == 0
    assert check(run) == (0, "no problems found\n", "")


def test_a_dropped_trigger_is_found_and_schema_sql_restores_it(run, db_path):
    add_case(run, "A")
    raw(db_path, "DROP TRIGGER audit_log_no_update", "DROP VIEW district_removals")
    code, out, err = check(run)
    assert (code, err) == (1, "3 problems found\n")
    # Without district_removals the removals check cannot run; each is said on its own line.
    assert out == (
        "database: the check of removals against candidates could not run (no such table: "
        "district_removals)\n"
        "database: trigger audit_log_no_update is missing (the audit log can be changed)\n"
        "database: view district_removals is missing\n"
    )
    # The README's remedy: run schema.sql over the file; it creates only what is missing.
    conn = sqlite3.connect(db_path)
    conn.executescript(migrations.schema_sql())
    conn.close()
    assert check(run) == (0, "no problems found\n", "")


def test_an_index_out_of_step_with_its_table_fails_the_integrity_check(run, db_path):
    add_case(run, "A", amount="83")
    add_case(run, "B", amount="84")
    # Re-point the index at another column behind SQLite's back: its entries no longer match.
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'amount_minor', 'decided_on') "
        "WHERE name = 'cases_district'"
    )
    conn.close()
    code, out, err = check(run)
    assert (code, err) == (1, "3 problems found\n")
    assert out == (
        "database: integrity check: row 1 missing from index cases_district\n"
        "database: integrity check: row 2 missing from index cases_district\n"
        "database: index cases_district differs from schema.sql\n"
    )


def test_a_damaged_file_is_reported_without_a_traceback(run, db_path):
    for n in range(60):
        add_case(run, f"Candidate number {n} " + "x" * 200, notes="y" * 500)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as file:  # scribble over the pages after the cases table's root
        for page in range(root + 1, min(root + 6, pages)):
            file.seek((page - 1) * page_size + 8)
            file.write(b"\xff" * 64)
    code, out, err = check(run)
    assert code == 1
    # Which pages the scribble hits depends on the layout: SQLite may notice while dereg
    # opens the file, or only when the check reads the table. Either way: one clear line.
    if out:
        assert out.startswith(
            "database: SQLite's integrity check could not run (database disk image is malformed): "
            "the file is damaged; restore it from a backup\n"
        )
        assert err.endswith(" found\n")
    else:
        assert err.startswith("Error: database '") and err.count("\n") == 1
        # SQLite's own words vary with the page hit ("disk image is malformed", "malformed
        # database schema"); dereg's line around them does not.
        assert " is damaged (" in err and err.endswith(
            "): restore it from a backup (README: When things go wrong)\n"
        )
    assert "Traceback" not in out + err


def test_check_database_returns_problems_and_never_prints(db_path, capsys):
    conn = db.connect(db_path)
    with db.transaction(conn):
        from dereg.cases import add_case as add

        add(
            conn,
            "tester",
            {
                "election": ELECTION,
                "region": "Almaty",
                "district": "okrug 1",
                "candidate": "A",
                "decision": "refused",
                "decided_on": "2016-03-20",
            },
        )
    assert check_database(conn, today=date(2016, 3, 21)) == []
    assert check_database(conn, today=date(2016, 3, 19)) == [
        Problem("case 1 (A)", "decided on 2016-03-20, which is in the future")
    ]
    assert str(Problem("case 1 (A)", "x")) == "case 1 (A): x"
    assert capsys.readouterr() == ("", "")
    assert not conn.in_transaction  # its read snapshot is closed


def test_the_shipped_database_passes_the_check(run, tmp_path):
    shipped = Path(__file__).resolve().parent.parent / "cases.db"
    if not shipped.exists():
        pytest.skip("cases.db is not built yet")
    copy = tmp_path / "shipped.db"  # never open the repository's file itself
    copy.write_bytes(shipped.read_bytes())
    result = run("--db", str(copy), "check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "no problems found\n", "")


def test_a_column_added_or_dropped_outside_dereg_is_found(run, db_path):
    add_case(run, "A")
    raw(db_path, "ALTER TABLE cases ADD COLUMN phone TEXT", "ALTER TABLE appeals DROP COLUMN notes")
    assert check(run) == (
        1,
        "database: table appeals has no column notes (changed outside dereg?)\n"
        "database: table cases has a column phone that schema.sql does not\n",
        "2 problems found\n",
    )


def test_names_with_a_question_mark_beside_recorded_ones_are_found(run, db_path):
    add_case(run, "Қасымова Әлия", district="Өскемен округ №7")
    add_case(run, "?асымова ?лия", district="Өскемен округ №7")
    add_case(run, "B", district="?скемен округ №7")
    assert check(run) == (
        1,
        "district '?скемен округ №7' (2016 maslikhat, Almaty): may be district 1 ('Өскемен округ №7') with a "
        "letter lost to '?': 'dereg district merge 2 1' unites them\n"
        "case 2 (?асымова ?лия): may be case 1 (Қасымова Әлия) with a letter lost to '?'\n",
        "2 problems found\n",
    )


def test_a_stale_person_key_or_search_text_is_found_when_the_name_repeats(run, db_path):
    # One candidate in three districts: the name's keys are worked out once, not its cases' checks.
    for district in ("okrug 1", "okrug 2", "okrug 3"):
        add_case(run, "Тулесова Асья", district=district)
    raw(db_path, "UPDATE cases SET person_key = 'asia tulesova x' WHERE id = 2")
    raw(db_path, "UPDATE cases SET search = replace(search, 'okrug 3', 'okrug 4') WHERE id = 3")
    stale = (
        ": its matching key or search text is out of date (changed outside dereg?); any "
        "'dereg case edit' of it refreshes them\n"
    )
    code, out, err = check(run)
    assert (code, err) == (1, "2 problems found\n")
    assert out == (
        f"case 2 (Тулесова Асья){stale}case 3 (Тулесова Асья){stale}"
        "case 1 (Тулесова Асья) and case 3 (Тулесова Асья): likely one person; 'dereg case merge 1 3' unites them\n"
    )
