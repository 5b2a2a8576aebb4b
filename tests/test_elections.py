"""Elections as records and the map on their day: the issue on regions and elections."""

import json
import sqlite3

from dereg import db, migrations, summary
from dereg.districts import set_district

CASE = ("case", "add", "--decision", "refused", "--decided-on", "2016-03-01", "--district", "okrug 1")


def district(run, election, region, name="okrug 1", *more):
    return run("district", "add", "--election", election, "--region", region, "--district", name,
               "--seats", "1", "--candidates", "3", *more)  # fmt: skip


def test_every_spelling_of_a_shipped_election_names_it(run):
    for n, spelling in enumerate(["2016 maslikhat", "Maslikhat 2016", "маслихат 2016", "2016 мәслихат"]):
        assert district(run, spelling, "Almaty", f"okrug {n}").exit_code == 0, spelling
    listed = json.loads(run("district", "list", "-f", "json").stdout)
    assert {row["election"] for row in listed} == {"2016 maslikhat"} and len(listed) == 4
    shown = json.loads(run("election", "show", "маслихаты 2016", "-f", "json").stdout)
    assert (shown["voting_day"], shown["kind"], shown["districts"]) == ("2016-03-20", "maslikhat", 4)
    assert "election.gov.kz" in shown["source"]


def test_a_region_shows_its_name_on_the_election_day_and_must_exist_then(run):
    for spelling in ["область Абай", "Abai", "Шымкент", "Түркістан облысы", "ЮКО", "Нур-Султан", "Astana"]:
        assert district(run, "2023 maslikhat", spelling, spelling).exit_code == 0, spelling
    shown = {
        row["district"]: row["region"] for row in json.loads(run("district", "list", "-f", "json").stdout)
    }
    assert shown == {
        "область Абай": "Abai", "Abai": "Abai", "Шымкент": "Shymkent", "Түркістан облысы": "Turkistan",
        "ЮКО": "Turkistan", "Нур-Султан": "Astana", "Astana": "Astana",
    }  # fmt: skip
    abai = district(run, "2016 maslikhat", "Abai")
    assert (abai.exit_code, abai.stdout) == (1, "")
    assert abai.stderr.endswith("Abai oblast exists from 2022-06-08; this election is on 2016-03-20\n")
    assert district(run, "2016 maslikhat", "SKO").exit_code == 0
    assert district(run, "2021 maslikhat", "Astana").exit_code == 0
    rows = json.loads(run("summary", "-f", "json").stdout)
    assert [(r["election"], r["region"]) for r in rows if r["election"] != "2023 maslikhat"] == [
        ("2016 maslikhat", "South Kazakhstan"),
        ("2021 maslikhat", "Nur-Sultan"),
    ]
    # a split keeps the old region for the elections before it
    assert district(run, "2016 maslikhat", "East Kazakhstan", "Semey").exit_code == 0


def test_the_import_refuses_a_region_that_did_not_exist_on_the_day_naming_the_line(run, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(
        "election,region,district,candidate,decision,decided_on\n"
        "2016 maslikhat,ЮКО,okrug 1,A,refused,2016-03-01\n"
        "маслихат 2016,Jetisu,okrug 2,B,refused,2016-03-01\n",
        encoding="utf-8",
    )
    result = run("import", "cases", str(path))
    assert result.exit_code == 1
    assert (
        "line 3: region: Jetisu oblast exists from 2022-06-08; this election is on 2016-03-20"
        in result.stderr
    )
    assert json.loads(run("case", "list", "-f", "json").stdout) == []
    skipped = run("import", "cases", str(path), "--skip-invalid", "--rejects", str(tmp_path / "r.csv"))
    assert skipped.stdout == "inserted 1, updated 0, unchanged 0, rejected 1\n"
    assert json.loads(run("case", "list", "-f", "json").stdout)[0]["region"] == "South Kazakhstan"


def test_a_typo_of_a_dated_election_is_refused_unless_it_is_new(run, tmp_path):
    typo = district(run, "2016 maslikat", "Almaty")
    assert (typo.exit_code, typo.stderr) == (
        1,
        "Error: --election: unknown election '2016 maslikat'; did you mean '2016 maslikhat', "
        "'2021 maslikhat', '2012 maslikhat'? (--new-election DATE records it as a new election)\n",
    )
    made = district(run, "2020 maslikhat", "Almaty", "okrug 1", "--new-election", "2020-05-05")
    assert made.exit_code == 0
    assert (
        json.loads(run("election", "show", "2020 maslikhat", "-f", "json").stdout)["voting_day"]
        == "2020-05-05"
    )
    bad_day = district(run, "2019 maslikhat", "Almaty", "okrug 1", "--new-election", "31.02.2019")
    assert (bad_day.exit_code, bad_day.stderr) == (
        1, "Error: --new-election: date '31.02.2019' is not a real date\n"
    )  # fmt: skip
    # a name like no dated election is a new election whose day is not known yet
    assert district(run, "Observers' test run", "Almaty").exit_code == 0
    check = run("check")
    assert (check.exit_code, check.stdout) == (0, "no problems found\n")
    assert 'note: election "Observers\' test run" has no voting day' in check.stderr
    # the import finds the same typo, by line
    path = tmp_path / "d.csv"
    path.write_text("election,region,district,seats\n2016 maslikat,Almaty,okrug 9,1\n", encoding="utf-8")
    result = run("import", "districts", str(path))
    assert result.exit_code == 1 and "line 2: election: unknown election '2016 maslikat'" in result.stderr


def test_election_add_edit_show_and_the_order_by_day(run):
    added = run("election", "add", "2024 by-election Almaty", "--on", "19.05.2024", "--kind", "by_election",
                "--alias", "довыборы Алматы 2024")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert (
        run("election", "add", "Довыборы  алматы 2024", "--on", "2024-05-19").exit_code == 1
    )  # a spelling of it
    assert run("election", "add", "x", "--on", "2024-05-19", "--kind", "mayor").stderr == (
        "Error: --kind: kind 'mayor' is not one of: mazhilis, maslikhat, president, akim_rural, "
        "akim_district, by_election\n"
    )
    assert district(run, "довыборы алматы 2024", "Almaty").exit_code == 0
    assert district(run, "Late count", "Abai").exit_code == 0  # no day: not checked against the map
    assert district(run, "2016 maslikhat", "Almaty").exit_code == 0
    elections = [
        row["election"] for row in json.loads(run("summary", "--by", "election", "-f", "json").stdout)
    ]
    assert elections == ["2016 maslikhat", "2024 by-election Almaty", "Late count"]
    # a day that puts a district's region off the map is refused, naming it
    moved = run("election", "edit", "Late count", "--on", "2021-01-10")
    assert moved.exit_code == 1
    assert moved.stderr.endswith("Abai oblast exists from 2022-06-08; this election is on 2021-01-10\n")
    edited = run(
        "election", "edit", "Late count", "--on", "2023-03-19", "--kind", "maslikhat", "--alias", "LC"
    )
    assert (edited.exit_code, edited.stdout) == (0, "election 21: 'Late count', 2023-03-19\n")
    shown = json.loads(run("election", "show", "lc", "-f", "json").stdout)
    assert (shown["voting_day"], shown["kind"], shown["aliases"]) == ("2023-03-19", "maslikhat", ["LC"])
    listed = [row["election"] for row in json.loads(run("election", "list", "-f", "json").stdout)]
    assert (
        listed.index("2023 maslikhat") < listed.index("Late count") < listed.index("2024 by-election Almaty")
    )
    history = [row["command"] for row in json.loads(run("case", "history", "1", "-f", "json").stdout or "[]")]
    assert history == []  # no case was touched


def test_a_region_summed_over_elections_before_and_after_a_rename_is_one_region(db_path):
    conn = db.connect(db_path)
    with db.transaction(conn):
        for election, region in [("2016 maslikhat", "South Kazakhstan"), ("2023 maslikhat", "Turkistan")]:
            set_district(
                conn, "t", "district add", election=election, region=region, district="okrug 1", seats=1
            )
    rows, total = summary.with_total(conn, "region", None, "ЮКО")
    assert [(row["election"], row["region"]) for row in rows] == [
        ("2016 maslikhat", "South Kazakhstan"),
        ("2023 maslikhat", "Turkistan"),
    ]
    assert total["districts"] == 2


def test_constituencies_keep_their_seats(run, tmp_path):
    assert (
        district(run, "2023 maslikhat", "Almaty", "okrug 1", "--constituency", "single-mandate").exit_code
        == 0
    )
    wrong = run("district", "add", "--election", "2023 maslikhat", "--region", "Almaty", "--district", "okrug 2",
                "--seats", "3", "--constituency", "single_mandate")  # fmt: skip
    assert (wrong.exit_code, wrong.stderr) == (
        1,
        "Error: --seats: district 'okrug 2' (2023 maslikhat, Almaty): a single-mandate district has 1 seat, not 3\n",
    )
    path = tmp_path / "d.csv"
    path.write_text(
        "election,region,district,seats,candidates,constituency\n"
        "2023 maslikhat,Almaty,party list,15,40,party_list\n"
        "2023 maslikhat,Almaty,okrug 3,1,4,multi_mandate\n",
        encoding="utf-8",
    )
    result = run("import", "districts", str(path))
    assert result.exit_code == 1
    assert (
        "line 3: seats: district 'okrug 3' (2023 maslikhat, Almaty): a multi-mandate district has at least 2 "
        "seats, not 1\n" in result.stderr
    )
    path.write_text(path.read_text(encoding="utf-8").replace("okrug 3,1,4", "okrug 3,2,4"), encoding="utf-8")
    assert run("import", "districts", str(path)).exit_code == 0
    listed = {
        row["district"]: row["constituency"]
        for row in json.loads(run("district", "list", "-f", "json").stdout)
    }
    assert listed == {"okrug 1": "single_mandate", "party list": "party_list", "okrug 3": "multi_mandate"}


def test_a_version_9_database_gets_its_elections_dated(tmp_path, run):
    """Recorded elections are matched to shipped ones by any spelling; the rest stay undated."""
    path = tmp_path / "v9.db"
    db.connect(path).close()
    conn = sqlite3.connect(path)  # back to version 9: elections as names, districts without constituency
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
        conn.execute(f'DROP VIEW "{name}"')
    conn.executescript(
        """
        DROP TABLE election_aliases;
        DROP TABLE elections;
        CREATE TABLE elections (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (trim(name) <> ''),
                                key TEXT NOT NULL UNIQUE) STRICT;
        INSERT INTO elections VALUES (1, 'Maslikhat 2016', 'maslikhat 2016'),
                                     (2, '2016 маслихат (повторно)', '2016 маслихат (повторно)');
        ALTER TABLE districts DROP COLUMN constituency;
        INSERT INTO districts (id, election_id, region_id, name, key) VALUES (1, 1, 1, 'okrug 1', 'okrug 1'),
                                                                      (2, 2, 1, 'okrug 2', 'okrug 2');
        DELETE FROM meta WHERE key = 'elections_seeded';
        PRAGMA user_version = 9;
        """
    )
    conn.commit()
    conn.close()
    migrated = db.connect(path)
    assert migrated.execute("PRAGMA user_version").fetchone() == (migrations.SCHEMA_VERSION,)
    assert migrated.execute(
        "SELECT id, name, voting_day, shipped FROM elections WHERE id <= 2"
    ).fetchall() == [
        (1, "Maslikhat 2016", "2016-03-20", "2016-maslikhat"),
        (2, "2016 маслихат (повторно)", None, None),
    ]
    assert migrated.execute("SELECT count(*) FROM elections WHERE shipped = '2016-maslikhat'").fetchone() == (
        1,
    )
    migrated.close()
    check = run("--db", str(path), "check")
    assert (check.exit_code, check.stdout) == (0, "no problems found\n")
    assert check.stderr == (
        "note: election '2016 маслихат (повторно)' has no voting day: "
        "`dereg election edit '2016 маслихат (повторно)' --on DATE`\n"
    )
