"""The audit log: every change recorded (when, who, what, before, after), nothing can alter it,
and `dereg case history` shows a case's changes newest first, even after it is deleted.
"""

from __future__ import annotations

import getpass
import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from conftest import CASE, ok

from dereg import migrations


def log(db_path) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute("SELECT * FROM audit_log ORDER BY id")]
    finally:
        conn.close()


def history(run, case: str, *options: str):
    return run("case", "history", case, *options)


def test_every_change_is_recorded_with_when_who_what_before_and_after(run, db_path):
    start = datetime.now(UTC).replace(microsecond=0)
    ok(run, "--actor", "aigerim", *CASE, "Nistoly Marina", "--amount", "83")
    ok(run, "--actor", "aigerim", "case", "edit", "1", "--amount", "84")
    ok(run, "appeal", "add", "1", "--court", "c")
    ok(run, "appeal", "edit", "1", "--outcome", "upheld")
    ok(
        run,
        "district",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "Almaty",
        "--district",
        "okrug 1",
        "--seats",
        "1",
        "--candidates",
        "3",
    )
    ok(run, "region", "add", "Baikonur", "--alias", "Байконур", "--kind", "city")
    ok(run, "case", "delete", "1", "--yes")
    entries = log(db_path)
    assert [(e["actor"], e["command"], e["entity"], e["entity_id"]) for e in entries] == [
        ("aigerim", "case add", "case", 1),
        ("aigerim", "case edit", "case", 1),
        ("tester", "appeal add", "appeal", 1),
        ("tester", "appeal edit", "appeal", 1),
        ("tester", "district add", "district", 1),
        ("tester", "region add", "region", 21),
        ("tester", "case delete", "case", 1),
    ]
    for entry in entries:  # UTC, to the second, now
        at = datetime.fromisoformat(entry["at"])
        assert at.utcoffset() == timedelta(0) and start <= at <= datetime.now(UTC)
    add, edit, _, appeal_edit, district, _, delete = entries
    assert add["before"] is None and json.loads(add["after"])["discrepancy_amount"] == "83.00"
    assert (
        json.loads(edit["before"])["discrepancy_amount"],
        json.loads(edit["after"])["discrepancy_amount"],
    ) == ("83.00", "84.00")
    assert (json.loads(appeal_edit["before"])["outcome"], json.loads(appeal_edit["after"])["outcome"]) == (
        "pending",
        "upheld",
    )
    assert json.loads(district["after"])["candidates"] == 3
    deleted = json.loads(delete["before"])
    assert delete["after"] is None and deleted["candidate"] == "Nistoly Marina"
    assert [a["outcome"] for a in deleted["appeals"]] == ["upheld"]  # the appeals went with it


def test_the_actor_is_the_login_name_unless_told(run, db_path, monkeypatch):
    monkeypatch.delenv("DEREG_ACTOR")
    ok(run, *CASE, "A")
    monkeypatch.setenv("DEREG_ACTOR", "from-env")
    ok(run, *CASE, "B")
    ok(run, "--actor", "from-option", *CASE, "C")
    assert [e["actor"] for e in log(db_path)] == [getpass.getuser(), "from-env", "from-option"]


def test_a_refused_change_leaves_no_audit_entry(run, db_path):
    ok(run, *CASE, "A")
    before = log(db_path)
    assert run(*CASE, "B", "--amount", "0.785").exit_code == 1
    assert run(*CASE, "A").exit_code == 1  # a duplicate
    assert run("case", "edit", "1", "--decided-on", "31.02.2016").exit_code == 1
    assert log(db_path) == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log WHERE id = 1",
        "INSERT OR REPLACE INTO audit_log (id, at, actor, command, entity) "
        "VALUES (1, '2016-01-01T00:00:00+00:00', 'forger', 'case add', 'case')",
        "REPLACE INTO audit_log (id, at, actor, command, entity) VALUES (1, 'x', 'forger', 'x', 'case')",
        "INSERT INTO audit_log (id, at, actor, command, entity) VALUES (1, 'x', 'forger', 'x', 'case') "
        "ON CONFLICT (id) DO UPDATE SET actor = 'forger'",
    ],
)
def test_nothing_can_change_or_remove_an_audit_row(run, db_path, statement):
    ok(run, *CASE, "A")
    before = log(db_path)
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="the audit log is append-only"):
        conn.execute(statement)
    conn.close()
    assert log(db_path) == before


def test_a_version_2_database_gains_the_replace_guard_on_migration(run, db_path):
    ok(run, *CASE, "A")
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_log_no_replace")  # as schema version 2 had it
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    ok(run, "case", "list")
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone() == (migrations.SCHEMA_VERSION,)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("REPLACE INTO audit_log (id, at, actor, command, entity) VALUES (1, 'x', 'x', 'x', 'x')")
    conn.close()


def mask_times(text: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "YYYY-MM-DD hh:mm", text)


def test_history_says_what_changed_newest_first_and_survives_the_delete(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    ok(run, *CASE, "Nistoly Marina", "--amount", "83")
    ok(run, "--actor", "aigerim", "case", "edit", "1", "--amount", "84", "--notes", "bank letters")
    ok(run, *CASE, "Other")
    ok(run, "appeal", "add", "2", "--court", "not this case's court")
    ok(run, "appeal", "add", "1", "--court", "city court", "--filed-on", "2016-03-22")
    ok(run, "appeal", "edit", "2", "--outcome", "reinstated", "--decided-on", "2016-03-25")
    ok(run, "appeal", "edit", "1", "--outcome", "upheld")  # the other case's appeal
    ok(run, "case", "delete", "1", "--yes")
    result = history(run, "1")
    assert (result.exit_code, result.stderr) == (0, "")
    assert mask_times(result.stdout) == (
        "at (UTC)          actor    command      change\n"
        "----------------  -------  -----------  ------------------------------------\n"
        "YYYY-MM-DD hh:mm  tester   case delete  deleted case 1: Nistoly Marina; 2016\n"
        "                                            maslikhat, Almaty, okrug 1;\n"
        "                                            refused 2016-03-20; 84.00 KZT; 1\n"
        "                                            appeal\n"
        "YYYY-MM-DD hh:mm  tester   appeal edit  appeal 2 (first instance):\n"
        "                                          outcome: pending -> reinstated\n"
        "                                          decided_on: (empty) -> 2016-03-25\n"
        "YYYY-MM-DD hh:mm  tester   appeal add   added appeal 2 (first instance):\n"
        "                                            city court; filed 2016-03-22;\n"
        "                                            pending\n"
        "YYYY-MM-DD hh:mm  aigerim  case edit    discrepancy_amount: 83.00 -> 84.00\n"
        "                                        notes: (empty) -> bank letters\n"
        "YYYY-MM-DD hh:mm  tester   case add     added case 1: Nistoly Marina; 2016\n"
        "                                            maslikhat, Almaty, okrug 1;\n"
        "                                            refused 2016-03-20; 83.00 KZT\n"
    )


def test_history_as_json_carries_the_rows_as_objects(run):
    ok(run, *CASE, "A")
    ok(run, "appeal", "add", "1", "--court", "c")
    ok(run, "appeal", "edit", "1", "--outcome", "upheld")
    entries = json.loads(history(run, "1", "--format", "json").stdout)
    assert [(e["command"], e["entity"], e["entity_id"]) for e in entries] == [
        ("appeal edit", "appeal", 1),
        ("appeal add", "appeal", 1),
        ("case add", "case", 1),
    ]
    assert (entries[0]["before"]["outcome"], entries[0]["after"]["outcome"]) == ("pending", "upheld")
    assert entries[2]["before"] is None and entries[2]["after"]["candidate"] == "A"


def test_history_as_csv_carries_the_rows_as_json_text(run):
    ok(run, *CASE, "A")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(history(run, "1", "--format", "csv").stdout)))
    assert [(r["command"], r["entity"], r["entity_id"], r["before"]) for r in rows] == [
        ("case add", "case", "1", "")
    ]
    assert json.loads(rows[0]["after"])["candidate"] == "A"


def test_history_of_a_case_never_recorded_is_an_error(run):
    result = history(run, "9")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "Error: no case with id 9 has ever been recorded\n",
    )


def test_a_case_added_outside_dereg_has_an_empty_history(run, db_path):
    ok(run, *CASE, "A")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO cases (district_id, candidate, candidate_key, decision, decided_on) "
        "VALUES (1, 'B', 'b', 'refused', '2016-03-20')"
    )
    conn.commit()
    conn.close()
    assert (history(run, "2").exit_code, history(run, "2").stdout) == (0, "(none)\n")


def test_an_import_is_one_entry_with_the_files_hash_and_each_update_is_in_the_history(
    run, db_path, tmp_path, monkeypatch
):
    import hashlib

    monkeypatch.setenv("COLUMNS", "80")
    header = "election,region,district,candidate,decision,decided_on,discrepancy_amount,appeal_court,appeal_outcome\n"
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(
        header + "2016 maslikhat,Almaty,okrug 1,A,refused,2016-03-20,83,city court,pending\n"
        "2016 maslikhat,Almaty,okrug 1,B,refused,2016-03-20,5,,\n"
    )
    second.write_text(header + "2016 maslikhat,Almaty,okrug 1,A,refused,2016-03-20,84,city court,upheld\n")
    ok(run, "import", "cases", str(first))
    ok(run, "--actor", "aigerim", "import", "cases", str(second))
    runs = [json.loads(e["after"]) for e in log(db_path) if e["entity"] == "import"]
    assert [(r["file"], r["sha256"], r["inserted"], r["updated"]) for r in runs] == [
        ("first.csv", hashlib.sha256(first.read_bytes()).hexdigest(), 2, 0),
        ("second.csv", hashlib.sha256(second.read_bytes()).hexdigest(), 0, 1),
    ]
    result = history(run, "1")
    assert mask_times(result.stdout) == (
        "at (UTC)          actor    command       change\n"
        "----------------  -------  ------------  -----------------------------------\n"
        "YYYY-MM-DD hh:mm  aigerim  import cases  discrepancy_amount: 83.00 -> 84.00\n"
        "                                         appeal_outcome: pending -> upheld\n"
        "                                         appeal 1 (first instance) outcome:\n"
        "                                             pending -> upheld\n"
        "YYYY-MM-DD hh:mm  tester   import cases  case 1 added by importing first.csv\n"
    )
    assert mask_times(history(run, "2").stdout).splitlines()[-1] == (
        "YYYY-MM-DD hh:mm  tester   import cases  case 2 added by importing first.csv"
    )
