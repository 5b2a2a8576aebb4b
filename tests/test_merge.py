"""dereg merge: offices' databases into one national picture; never twice, never a guess."""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import ok

ROOT = Path(__file__).resolve().parent.parent
HEADER = "election,region,district,candidate,decision,decided_on,discrepancy_amount,district_seats,district_candidates\n"
ALMATY = HEADER + (
    "2016 maslikhat,Almaty,округ 12,Тулесова Асья,cancelled,2016-03-20,0.78,1,5\n"
    "2016 maslikhat,Almaty,округ 12,Petrov Ivan,refused,2016-03-20,500,1,5\n"
)
PAVLODAR = HEADER + (
    "2016 maslikhat,Almaty,округ 12,Тулесова Асья,cancelled,2016-03-20,0.78,,\n"
    "2016 maslikhat,Pavlodar oblast,okrug 3,Akhmetov Serik,refused,2016-03-18,83,1,3\n"
)
KOSTANAI = HEADER + (
    "2016 maslikhat,Almaty,Округ 12,Tulesova Asya,cancelled,2016-03-20,0.78,1,\n"
    "2016 maslikhat,Kostanai oblast,okrug 7,Иванова Мария,refused,2016-03-19,1 234,2,6\n"
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def office(run, tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / f"{name.split()[0].lower()}.db"
    ok(run, "--db", str(path), "init", "--office", name)
    (tmp_path / "rows.csv").write_text(rows, encoding="utf-8")
    ok(run, "--db", str(path), "import", "cases", str(tmp_path / "rows.csv"))
    return path


@pytest.fixture
def offices(run, tmp_path):
    """Three offices whose files overlap: Тулесова Асья is in all three (in Latin in Kostanai),
    Pavlodar later corrects her amount, and each of two offices records one of her appeals."""
    almaty = office(run, tmp_path, "Almaty legal aid", ALMATY)
    pavlodar = office(run, tmp_path, "Pavlodar legal aid", PAVLODAR)
    kostanai = office(run, tmp_path, "Kostanai observers", KOSTANAI)
    ok(run, "--db", str(pavlodar), "--actor", "aigerim", "case", "edit", "1", "--amount", "0.87")
    ok(run, "--db", str(almaty), "--actor", "dana", "appeal", "add", "1", "--court", "Almaty city court",
       "--outcome", "upheld", "--filed-on", "2016-03-22", "--decided-on", "2016-03-25")  # fmt: skip
    ok(run, "--db", str(pavlodar), "--actor", "aigerim", "appeal", "add", "1", "--court", "Almaty appeal court",
       "--instance", "appeal", "--filed-on", "2016-03-28")  # fmt: skip
    return almaty, pavlodar, kostanai


def national(run, tmp_path: Path, order, *options: str) -> Path:
    path = tmp_path / f"national-{'-'.join(p.stem for p in order)}.db"
    ok(run, "--db", str(path), "init", "--office", "National coordinator")
    for other in order:
        ok(run, "--db", str(path), "merge", str(other), *options)
    return path


def summary(run, path: Path, by: str) -> list[dict]:
    """The summary; a district two offices spell differently ('округ 12', 'Округ 12') is one, shown
    as the database that had it first spells it: compared casefolded."""
    rows = json.loads(ok(run, "--db", str(path), "summary", "--by", by, "--format", "json"))
    return [{**row, "district": row["district"].casefold()} if row.get("district") else row for row in rows]


def cases(run, path: Path) -> list[dict]:
    """The cases by what they are, not by the ids or the office of one database."""
    exported = json.loads(ok(run, "--db", str(path), "export", "cases", "--format", "json"))
    return sorted(
        (
            {
                **{k: v for k, v in case.items() if k not in ("id", "office")},
                "district": case["district"].casefold(),
            }
            for case in exported
        ),
        key=lambda case: (case["region"], case["district"], case["candidate"]),
    )


def test_three_offices_merged_in_every_order_give_one_national_picture(run, tmp_path, offices):
    pictures = []
    for order in itertools.permutations(offices):
        path = national(run, tmp_path, order, "--prefer", "newer")
        pictures.append((summary(run, path, "district"), summary(run, path, "region"), cases(run, path)))
    for picture in pictures[1:]:
        assert picture == pictures[0]
    by_district, _, merged = pictures[0]
    okrug = next(row for row in by_district if row["district"] == "округ 12")
    # Petrov, Тулесова and the Latin Tulesova (one person, two records until 'case merge')
    assert (okrug["candidates"], okrug["deregistered"], okrug["remaining"]) == (5, 3, 2)
    checked = run("--db", str(tmp_path / "national-almaty-pavlodar-kostanai.db"), "check")
    assert (checked.exit_code, checked.stdout) == (
        0,  # all consistent; the one person in two alphabets is listed for 'case merge'
        "case 1 (Тулесова Асья) and case 4 (Tulesova Asya): likely one person; "
        "'dereg case merge 1 4' unites them\nno problems found\n",
    )
    tulesova = next(case for case in merged if case["candidate"] == "Тулесова Асья")
    assert tulesova["discrepancy_amount"] == "0.87"  # Pavlodar's correction, the newer value
    assert [(a["instance"], a["court"]) for a in tulesova["appeals"]] == [
        ("first", "Almaty city court"),
        ("appeal", "Almaty appeal court"),
    ]


def test_case_history_shows_who_changed_what_in_which_office(run, tmp_path, offices):
    path = national(run, tmp_path, offices, "--prefer", "newer")
    (case,) = [c for c in json.loads(ok(run, "--db", str(path), "case", "list", "--format", "json"))
               if c["candidate"] == "Тулесова Асья"]  # fmt: skip
    entries = json.loads(ok(run, "--db", str(path), "case", "history", str(case["id"]), "--format", "json"))
    changes = {(e["actor"], e["office"], e["command"]) for e in entries}
    assert ("dana", "Almaty legal aid", "appeal add") in changes
    assert ("aigerim", "Pavlodar legal aid", "case edit") in changes
    assert ("aigerim", "Pavlodar legal aid", "appeal add") in changes
    table = ok(run, "--db", str(path), "case", "history", str(case["id"]))
    assert "aigerim (Pavlodar legal aid)" in table and "dana (Almaty legal aid)" in table
    assert all(e["entity_id"] in (case["id"], None) or e["entity"] == "appeal" for e in entries)


def test_a_conflict_is_listed_and_nothing_is_written_without_prefer(run, tmp_path, offices):
    almaty, pavlodar, _ = offices
    before = sha256(almaty)
    result = run("--db", str(almaty), "merge", str(pavlodar))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f'case "Тулесова Асья" (Almaty, округ 12): amount 0.78 here, 0.87 in {pavlodar}\n'
        f"Error: 1 conflict with {pavlodar}: nothing was merged; --prefer ours|theirs|newer settles them\n"
    )
    assert sha256(almaty) == before


@pytest.mark.parametrize(
    ("prefer", "amount", "into"),
    [
        ("ours", "0.78", 0),
        ("theirs", "0.87", 0),
        ("newer", "0.87", 0),
        ("newer", "0.87", 1),
        ("ours", "0.87", 1),
    ],
)
def test_prefer_settles_a_conflict(run, tmp_path, offices, prefer, amount, into):
    almaty, pavlodar, _ = offices
    ours, theirs = (almaty, pavlodar) if into == 0 else (pavlodar, almaty)
    result = run("--db", str(ours), "merge", str(theirs), "--prefer", prefer)
    assert result.exit_code == 0, result.stderr
    assert f'settled ({prefer}): case "Тулесова Асья"' in result.stderr
    tulesova = json.loads(ok(run, "--db", str(ours), "case", "show", "1", "--format", "json"))
    assert tulesova["discrepancy_amount"] == amount


def test_merging_the_same_file_twice_adds_nothing(run, tmp_path, offices):
    almaty, pavlodar, kostanai = offices
    first = run("--db", str(almaty), "merge", str(kostanai))
    assert first.stdout == (
        f"merged {kostanai} (office 'Kostanai observers'): added 2, updated 0, unchanged 0, conflicts 0\n"
    )
    conn = sqlite3.connect(almaty)
    counts = "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM appeals), (SELECT count(*) FROM districts)"
    before = conn.execute(counts).fetchone(), conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    again = run("--db", str(almaty), "merge", str(kostanai))
    assert again.stdout == (
        f"merged {kostanai} (office 'Kostanai observers'): added 0, updated 0, unchanged 2, conflicts 0\n"
    )
    after = conn.execute(counts).fetchone(), conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert after == (before[0], before[1] + 1)  # only the merge's own entry
    # Kostanai's entries came once, marked with its office; back again from another copy, still once
    carried = "SELECT count(*) FROM audit_log WHERE office_id IS NOT NULL"
    (once,) = conn.execute(carried).fetchone()
    ok(run, "--db", str(pavlodar), "merge", str(kostanai))
    ok(run, "--db", str(almaty), "merge", str(pavlodar), "--prefer", "ours")
    ok(run, "--db", str(almaty), "merge", str(pavlodar), "--prefer", "ours")
    offices_seen = dict(
        conn.execute(
            "SELECT o.name, count(*) FROM audit_log a JOIN offices o ON o.id = a.office_id GROUP BY o.name"
        )
    )
    assert offices_seen["Kostanai observers"] == once
    assert set(offices_seen) == {"Kostanai observers", "Pavlodar legal aid"}


def test_a_into_b_and_b_into_a_give_the_same_cases(run, tmp_path, offices):
    almaty, _, kostanai = offices
    copies = []
    for ours, theirs in ((almaty, kostanai), (kostanai, almaty)):
        copy = tmp_path / f"copy-{ours.name}"
        copy.write_bytes(ours.read_bytes())
        ok(run, "--db", str(copy), "merge", str(theirs))
        copies.append(copy)
    assert cases(run, copies[0]) == cases(run, copies[1])
    assert summary(run, copies[0], "region") == summary(run, copies[1], "region")


def test_dry_run_counts_and_writes_nothing(run, tmp_path, offices):
    almaty, _, kostanai = offices
    before = sha256(almaty)
    result = run("--db", str(almaty), "merge", str(kostanai), "--dry-run")
    assert (result.exit_code, result.stdout) == (
        0,
        f"would merge {kostanai} (office 'Kostanai observers'): added 2, updated 0, unchanged 0, conflicts 0\n",
    )
    assert sha256(almaty) == before


def test_other_is_read_only_never_changed_nor_given_files_beside_it(run, tmp_path, offices):
    almaty, pavlodar, _ = offices
    before = sha256(pavlodar), sorted(p.name for p in tmp_path.iterdir())
    ok(run, "--db", str(almaty), "merge", str(pavlodar), "--prefer", "theirs")
    assert (sha256(pavlodar), sorted(p.name for p in tmp_path.iterdir())) == before


def test_the_merge_is_audited_with_the_files_hash_and_counts(run, tmp_path, offices):
    almaty, _, kostanai = offices
    ok(run, "--db", str(almaty), "merge", str(kostanai))
    conn = sqlite3.connect(almaty)
    (entry,) = conn.execute("SELECT actor, command, after FROM audit_log WHERE entity = 'merge'").fetchall()
    after = json.loads(entry[2])
    assert (entry[0], entry[1], after["sha256"], after["office"]) == (
        "tester",
        "merge",
        sha256(kostanai),
        "Kostanai observers",
    )
    assert (after["added"], after["updated"], after["unchanged"], after["conflicts"]) == (2, 0, 0, 0)


def test_a_likely_duplicate_is_a_warning_on_merge_and_import_and_listed_by_check(run, tmp_path, offices):
    almaty, _, kostanai = offices
    result = run("--db", str(almaty), "merge", str(kostanai))
    assert 'warning: case 3: "Tulesova Asya" may be case 1 "Тулесова Асья"\n' in result.stderr
    (tmp_path / "more.csv").write_text(
        HEADER + "2016 maslikhat,Almaty,okrug 1,Someone Else,refused,2016-03-20,,,\n"
        "2016 maslikhat,Almaty,округ 12,Asya Tulesova,refused,2016-03-20,,,\n",
        encoding="utf-8",
    )
    imported = run("--db", str(almaty), "import", "cases", str(tmp_path / "more.csv"))
    assert 'warning: line 3: "Asya Tulesova" may be case 1 "Тулесова Асья"\n' in imported.stderr
    checked = run("--db", str(almaty), "check")
    assert (checked.exit_code, checked.stdout) == (
        0,
        "case 1 (Тулесова Асья) and case 3 (Tulesova Asya): likely one person; 'dereg case merge 1 3' unites them\n"
        "case 1 (Тулесова Асья) and case 6 (Asya Tulesova): likely one person; 'dereg case merge 1 6' unites them\n"
        "case 3 (Tulesova Asya) and case 6 (Asya Tulesova): likely one person; 'dereg case merge 3 6' unites them\n"
        "no problems found\n",
    )


def test_a_merged_result_that_breaks_a_rule_is_refused_by_the_rule(run, tmp_path):
    rows = (
        HEADER
        + "2016 maslikhat,Almaty,okrug 1,A,refused,2016-03-20,,1,2\n2016 maslikhat,Almaty,okrug 1,B,refused,2016-03-20,,,\n"
    )
    ours = office(run, tmp_path, "Almaty legal aid", rows)
    theirs = office(
        run, tmp_path, "Other office", HEADER + "2016 maslikhat,Almaty,okrug 1,C,refused,2016-03-20,,,\n"
    )
    before = sha256(ours)
    result = run("--db", str(ours), "merge", str(theirs))
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: district 'okrug 1' (2016 maslikhat, Almaty): 3 candidates removed (3 deregistered, "
        "0 reinstated) but only 2 stood: the merged result would break this rule, so nothing was merged\n",
    )
    assert sha256(ours) == before


def test_district_figures_known_on_one_side_fill_the_other(run, tmp_path, offices):
    _, pavlodar, kostanai = offices
    ok(run, "--db", str(pavlodar), "merge", str(kostanai))
    rows = json.loads(ok(run, "--db", str(pavlodar), "district", "list", "--format", "json"))
    okrug = next(row for row in rows if row["district"] == "округ 12")
    assert (okrug["seats"], okrug["candidates"]) == (1, None)
    almaty = tmp_path / "almaty.db"
    ok(run, "--db", str(pavlodar), "merge", str(almaty), "--prefer", "theirs")
    rows = json.loads(ok(run, "--db", str(pavlodar), "district", "list", "--format", "json"))
    okrug = next(row for row in rows if row["district"] == "округ 12")
    assert (okrug["seats"], okrug["candidates"]) == (1, 5)


def test_an_older_database_is_migrated_on_a_copy_never_in_place(run, tmp_path):
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.executescript((ROOT / "tests" / "data" / "schema_v1.sql").read_text(encoding="utf-8"))
    conn.executescript(
        """
        INSERT INTO currencies VALUES ('KZT', 2);
        INSERT INTO regions VALUES (1, 'North Kazakhstan', 'oblast'), (2, 'Almaty', 'city');
        INSERT INTO region_aliases VALUES ('north kazakhstan', 'North Kazakhstan', 1), ('almaty', 'Almaty', 2);
        INSERT INTO elections VALUES (1, '2016 maslikhat', '2016 maslikhat');
        INSERT INTO districts VALUES (1, 1, 1, 'oblast maslikhat', 'oblast maslikhat', 1, 3, 'oblast');
        INSERT INTO cases VALUES (1, 1, 'Nistoly Marina', 'nistoly marina', 'self', 'refused',
                                  '2016-03-20', NULL, 8300, 'KZT', NULL);
        INSERT INTO appeals VALUES (1, 1, 'SKO court', 'first', NULL, 'upheld', NULL, NULL);
        PRAGMA application_id = 1684370023;
        PRAGMA user_version = 1;
        """
    )
    conn.close()
    before = sha256(old)
    ours = tmp_path / "ours.db"
    result = run("--db", str(ours), "merge", str(old))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"merged {old} (office 'old'): added 1, updated 0, unchanged 0, conflicts 0\n"
    assert sha256(old) == before
    assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone() == (1,)
    again = run("--db", str(ours), "merge", str(old))
    assert again.stdout == f"merged {old} (office 'old'): added 0, updated 0, unchanged 1, conflicts 0\n"
    (listed,) = json.loads(ok(run, "--db", str(ours), "case", "list", "--format", "json"))
    assert (listed["candidate"], listed["discrepancy_amount"], listed["appeal_outcome"]) == (
        "Nistoly Marina",
        "83.00",
        "upheld",
    )
    # the copy was migrated: the case came with its person key
    assert sqlite3.connect(ours).execute("SELECT person_key FROM cases").fetchall() == [("marina nistoli",)]


def test_damaged_foreign_or_own_files_are_refused(run, tmp_path, db_path):
    csv = tmp_path / "cases.csv"
    csv.write_text(HEADER, encoding="utf-8")
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    damaged = tmp_path / "damaged.db"
    ok(run, "--db", str(damaged), "init")
    data = bytearray(damaged.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    damaged.write_bytes(bytes(data))
    copy = tmp_path / "copy.db"
    copy.write_bytes(db_path.read_bytes())
    for other, message in (
        (csv, f"Error: '{csv}' is not an SQLite database\n"),
        (foreign, f"Error: '{foreign}' is an SQLite database, but not a dereg one\n"),
        (tmp_path / "missing.db", f"Error: database '{tmp_path / 'missing.db'}' does not exist\n"),
        (db_path, f"Error: '{db_path}' is this database: name another office's file\n"),
    ):
        result = run("merge", str(other))
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)
    result = run("merge", str(damaged))
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: database '{damaged}' is damaged")
    result = run("merge", str(copy))
    assert result.exit_code == 1 and "is a copy of this office's database" in result.stderr
    assert run("merge", str(csv), "--prefer", "mine").exit_code == 2


def test_init_names_the_office_and_renames_it(run, db_path):
    assert ok(run, "init", "--office", "Pavlodar legal aid").endswith("office: Pavlodar legal aid\n")
    assert ok(run, "init", "--office", "Pavlodar legal aid office").endswith(
        "office: Pavlodar legal aid office\n"
    )
    ok(run, "case", "add", "--election", "2016 maslikhat", "--region", "Pavlodar oblast", "--district",
       "okrug 1", "--candidate", "A", "--decision", "refused", "--decided-on", "2016-03-20")  # fmt: skip
    assert (
        json.loads(ok(run, "case", "show", "1", "--format", "json"))["office"] == "Pavlodar legal aid office"
    )
    result = run("init", "--office", " ")
    assert (result.exit_code, result.stderr) == (1, "Error: --office: office name is empty\n")


def test_offices_that_began_from_one_copy_are_told_apart_once_named(run, tmp_path, db_path):
    ok(run, *("case", "add", "--election", "2016 maslikhat", "--region", "Almaty", "--district", "okrug 1"),
       "--candidate", "A", "--decision", "refused", "--decided-on", "2016-03-20")  # fmt: skip
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    for copy, name in ((first, "Almaty legal aid"), (second, "Almaty observers")):
        copy.write_bytes(db_path.read_bytes())
        ok(run, "--db", str(copy), "init", "--office", name)
    result = run("--db", str(first), "merge", str(second))
    assert result.stdout == (
        f"merged {second} (office 'Almaty observers'): added 0, updated 0, unchanged 1, conflicts 0\n"
    )


def test_an_appeal_one_office_saw_decided_fills_a_pending_one_and_two_decisions_conflict(run, tmp_path):
    rows = HEADER + "2016 maslikhat,Almaty,okrug 1,Тулесова Асья,cancelled,2016-03-20,0.78,1,4\n"
    ours, theirs = (
        office(run, tmp_path, "Almaty legal aid", rows),
        office(run, tmp_path, "Observers of Almaty", rows),
    )
    ok(
        run,
        "--db",
        str(ours),
        "appeal",
        "add",
        "1",
        "--court",
        "Almaty city court",
        "--filed-on",
        "2016-03-22",
    )
    ok(run, "--db", str(theirs), "appeal", "add", "1", "--court", "Almaty city court", "--filed-on", "2016-03-22",
       "--outcome", "upheld", "--decided-on", "2016-03-25")  # fmt: skip
    copy = tmp_path / "copy.db"
    copy.write_bytes(ours.read_bytes())
    merged = run("--db", str(ours), "merge", str(theirs))
    assert merged.stdout.endswith("added 0, updated 1, unchanged 0, conflicts 0\n"), merged.stderr
    (appeal,) = json.loads(ok(run, "--db", str(ours), "appeal", "list", "--format", "json"))
    assert (appeal["outcome"], appeal["decided_on"]) == ("upheld", "2016-03-25")
    ok(run, "--db", str(copy), "appeal", "edit", "1", "--outcome", "reinstated", "--decided-on", "2016-03-26")
    result = run("--db", str(copy), "merge", str(theirs))
    assert (result.exit_code, result.stderr) == (
        1,
        f'case "Тулесова Асья" (Almaty, okrug 1), first-instance appeal: outcome reinstated here, upheld in {theirs}\n'
        f'case "Тулесова Асья" (Almaty, okrug 1), first-instance appeal: decided_on 2016-03-26 here, 2016-03-25 in {theirs}\n'
        f"Error: 2 conflicts with {theirs}: nothing was merged; --prefer ours|theirs|newer settles them\n",
    )


def test_district_figures_known_differently_are_a_conflict(run, tmp_path):
    ours = office(
        run,
        tmp_path,
        "Almaty legal aid",
        HEADER + "2016 maslikhat,Almaty,okrug 1,A,refused,2016-03-20,,1,5\n",
    )
    theirs = office(
        run,
        tmp_path,
        "Observers of Almaty",
        HEADER + "2016 maslikhat,Almaty,okrug 1,A,refused,2016-03-20,,1,6\n",
    )
    result = run("--db", str(ours), "merge", str(theirs))
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        1,
        f'district "okrug 1" (2016 maslikhat, Almaty): candidates 5 here, 6 in {theirs}',
    )
    ok(run, "--db", str(ours), "merge", str(theirs), "--prefer", "theirs")
    (district,) = json.loads(ok(run, "--db", str(ours), "district", "list", "--format", "json"))
    assert district["candidates"] == 6


def test_elections_meet_by_any_spelling_and_bring_their_day(run, tmp_path):
    """An election one office added (with its day and spellings) comes along; the shipped ones
    are one on both sides whatever an office called them; two days for one election conflict."""
    east = office(
        run, tmp_path, "East legal aid", HEADER + "маслихат 2016,ВКО,округ 1,A,refused,2016-03-01,,1,3\n"
    )
    ok(run, "--db", str(east), "election", "add", "2024 by-election Semey", "--on", "2024-05-19",
       "--kind", "by_election", "--alias", "довыборы Семей 2024")  # fmt: skip
    ok(run, "--db", str(east), "district", "add", "--election", "довыборы семей 2024", "--region", "Abai",
       "--district", "округ 7", "--seats", "1", "--candidates", "2", "--constituency", "single_mandate")  # fmt: skip
    hq = tmp_path / "hq.db"
    ok(run, "--db", str(hq), "init", "--office", "National coordinator")
    ok(run, "--db", str(hq), "merge", str(east))
    shown = json.loads(ok(run, "--db", str(hq), "election", "show", "Довыборы Семей 2024", "-f", "json"))
    assert (shown["voting_day"], shown["kind"], shown["districts"]) == ("2024-05-19", "by_election", 1)
    districts = json.loads(ok(run, "--db", str(hq), "district", "list", "-f", "json"))
    assert [(d["election"], d["region"], d["constituency"]) for d in districts] == [
        ("2016 maslikhat", "East Kazakhstan", None),
        ("2024 by-election Semey", "Abai", "single_mandate"),
    ]
    ok(run, "--db", str(hq), "merge", str(east))  # again: nothing new
    assert len(json.loads(ok(run, "--db", str(hq), "election", "list", "-f", "json"))) == 20
    west = tmp_path / "west.db"
    ok(run, "--db", str(west), "init", "--office", "West observers")
    ok(run, "--db", str(west), "election", "add", "2024 by-election Semey", "--on", "2024-05-26")
    clash = run("--db", str(west), "merge", str(east))
    assert clash.exit_code == 1
    assert (
        "election '2024 by-election Semey': voting day 2024-05-26 here, 2024-05-19 in OTHER"
        in clash.stdout + clash.stderr
    )
    ok(run, "--db", str(west), "merge", str(east), "--prefer", "theirs")
    shown = json.loads(ok(run, "--db", str(west), "election", "show", "2024 by-election Semey", "-f", "json"))
    assert shown["voting_day"] == "2024-05-19"
