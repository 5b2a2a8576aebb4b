"""dereg export cases: the contract's columns, spreadsheet safety, redaction, private files."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dereg import db
from dereg.cases import CASE_COLUMNS, add_appeal, add_case
from dereg.csvio.cells import guard, unguard
from dereg.csvio.export import export_cases
from dereg.csvio.pipeline import import_cases
from dereg.csvio.source import Source

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "cases-2016.csv"


def overview(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM case_overview ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def example(run):
    result = run("import", "cases", str(EXAMPLE))
    assert result.exit_code == 0, result.output


def test_csv_export_writes_the_columns_of_a_case(run, example):
    result = run("export", "cases")
    assert result.exit_code == 0 and result.stderr == ""
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode(), newline="")))
    assert rows[0] == [
        *CASE_COLUMNS,
        "district_seats",
        "district_candidates",
        "office",
        "appeal_court",
        "appeal_instance",
        "appeal_filed_on",
        "appeal_decided_on",
        "appeal_notes",
    ]
    assert [row[:5] + row[6:12] for row in rows[1:]] == [
        [
            "1",
            "2016 maslikhat",
            "North Kazakhstan",
            "North Kazakhstan oblast maslikhat (okrug not named in the report)",
            "Nistoly Marina",
            "refused",
            "2016-03-20",
            rows[1][8],
            "83.00",
            "KZT",
            "upheld",
        ],
        [
            "2",
            "2016 maslikhat",
            "East Kazakhstan",
            "Semei city maslikhat (okrug not named in the report)",
            "Yersyn Kidiyarov",
            "cancelled",
            "2016-03-20",
            rows[2][8],
            "500.00",
            "KZT",
            "not_heard",
        ],
        [
            "3",
            "2016 maslikhat",
            "Almaty",
            "Almaty city maslikhat (okrug not named in the report)",
            "Tulesova Asya",
            "cancelled",
            "2016-03-20",
            rows[3][8],
            "0.78",
            "KZT",
            "upheld",
        ],
    ]
    assert result.stdout_bytes.startswith(b"id,election,") and result.stdout_bytes.endswith(b"\r\n")


def test_the_export_writes_only_columns_the_import_reads():
    from dereg.csvio.columns import CASES

    assert CASES.exported(CASE_COLUMNS) == CASE_COLUMNS
    with pytest.raises(ValueError, match="the import does not read phone"):
        CASES.exported((*CASE_COLUMNS, "phone"))


def test_json_export_is_case_list_with_districts_and_appeals(run, example):
    exported = json.loads(run("export", "cases", "--format", "json").stdout)
    listed = json.loads(run("case", "list", "--format", "json").stdout)
    assert [{k: case[k] for k in CASE_COLUMNS} for case in exported] == listed
    appeals = json.loads(run("appeal", "list", "--format", "json").stdout)
    nested = [
        (case["id"], appeal["court"], appeal["outcome"]) for case in exported for appeal in case["appeals"]
    ]
    assert nested == [(appeal["case_id"], appeal["court"], appeal["outcome"]) for appeal in appeals]
    assert all(
        set(case) == {*CASE_COLUMNS, "district_seats", "district_candidates", "office", "appeals"}
        for case in exported
    )
    assert exported[2]["discrepancy_amount"] == "0.78"  # a string, exact


def test_json_export_of_no_cases_is_an_empty_array(run):
    assert run("export", "cases", "-f", "json").stdout == "[]\n"
    header = run("export", "cases").stdout_bytes
    assert header.startswith(",".join(CASE_COLUMNS).encode() + b",") and header.count(b"\r\n") == 1


@pytest.mark.parametrize(
    "value, guarded",
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+7 701", "'+7 701"),
        ("-5", "'-5"),
        ("@home", "'@home"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'quoted", "''quoted"),
        ("plain", "plain"),
        ("", ""),
        ("a=b", "a=b"),
        ("'", "''"),
    ],
)
def test_spreadsheet_guard_and_its_exact_undoing(value, guarded):
    assert guard(value) == guarded
    assert unguard(guarded) == value


def test_dangerous_cells_are_guarded_and_read_back(run, tmp_path, db_path):
    assert (
        run(
            "case",
            "add",
            "--election",
            "=2016",
            "--region",
            "NKO",
            "--district",
            "@okrug",
            "--candidate",
            "-Minus",
            "--decision",
            "refused",
            "--decided-on",
            "20.03.2016",
            "--reason",
            "+plus",
            "--notes",
            "'apostrophe",
            "--nominated-by",
            "=cmd|' /C calc'!A0",
        ).exit_code
        == 0
    )
    out = tmp_path / "out.csv"
    assert run("export", "cases", "-o", str(out)).exit_code == 0
    row = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))[1]
    assert [row[1], row[3], row[4], row[5], row[8], row[12]] == [
        "'=2016",
        "'@okrug",
        "'-Minus",
        "'=cmd|' /C calc'!A0",
        "'+plus",
        "''apostrophe",
    ]
    result = run("--db", str(tmp_path / "copy.db"), "import", "cases", str(out))
    assert result.exit_code == 0, result.output
    assert overview(tmp_path / "copy.db") == overview(db_path)


def test_redacted_export_has_stable_pseudonyms_and_no_notes(run, example, tmp_path):
    first = json.loads(run("export", "cases", "--redact", "-f", "json").stdout)
    again = json.loads(run("export", "cases", "--redact", "-f", "json").stdout)
    assert first == again
    assert [case["notes"] for case in first] == [None, None, None]
    names = [case["candidate"] for case in first]
    assert all(name.startswith("Candidate ") and len(name) == 18 for name in names)
    assert len(set(names)) == 3 and "Nistoly" not in json.dumps(first)
    text = run("export", "cases", "--redact").stdout
    assert "Nistoly" not in text and "Echo" not in text and names[0] in text
    # Another database has another secret: the same name gets another pseudonym there.
    other = tmp_path / "other.db"
    assert run("--db", str(other), "import", "cases", str(EXAMPLE)).exit_code == 0
    elsewhere = json.loads(run("--db", str(other), "export", "cases", "--redact", "-f", "json").stdout)
    assert elsewhere[0]["candidate"] != names[0]


def test_the_same_name_spelled_otherwise_gets_the_same_pseudonym(run):
    common = ["--region", "NKO", "--decision", "refused", "--decided-on", "20.03.2016"]
    run("case", "add", "--election", "2016", "--district", "a", "--candidate", "Nistoly Marina", *common)
    run("case", "add", "--election", "2021", "--district", "b", "--candidate", "NISTOLY  marina", *common)
    cases = json.loads(run("export", "cases", "--redact", "-f", "json").stdout)
    assert cases[0]["candidate"] == cases[1]["candidate"]


def test_an_export_file_is_private_whatever_the_umask(run, example, tmp_path):
    out = tmp_path / "cases.csv"
    out.write_text("old")
    out.chmod(0o644)
    old = os.umask(0)
    try:
        result = run("export", "cases", "-o", str(out))
        json_out = tmp_path / "cases.json"
        run("export", "cases", "--format", "json", "--output", str(json_out))
    finally:
        os.umask(old)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"3 cases written to {out}\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(json_out.stat().st_mode) == 0o600
    assert out.read_text(encoding="utf-8").startswith("id,election")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_to_a_missing_folder_is_an_error(run, tmp_path):
    result = run("export", "cases", "-o", str(tmp_path / "no" / "such.csv"))
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


# --- exported, then imported: the same cases ------------------------------------------------

line = st.characters(blacklist_categories=("Cs", "Cc"))
punctuation = st.sampled_from(list("=+-@'\",; ") + ["\u00a0", "Қ", "ә", "ё", "?", "\ufffd"])
names = st.text(line | punctuation, min_size=1, max_size=15).filter(lambda s: s.strip())
free = st.none() | st.text(line | punctuation | st.sampled_from(["\t", "\r", "\n"]), max_size=30)
case = st.fixed_dictionaries(
    {
        "election": st.sampled_from(["2016 maslikhat", "2021 мәслихат", "=2023", "'quoted"]) | names,
        "region": st.sampled_from(["NKO", "СКО", "Almaty", "Алматы облысы", "Astana", "EKO", "SKO"]),
        "district": names,
        "candidate": names,
        "decision": st.sampled_from(["refused", "cancelled", "Withdrawn"]),
        "decided_on": st.dates(date(1900, 1, 1), date(2999, 12, 31)).map(date.isoformat),
        "currency": st.sampled_from(["KZT", "USD", "JPY", "KWD"]),
        "minor": st.none() | st.integers(min_value=0, max_value=10**12),
        "nominated_by": free,
        "reason": free,
        "notes": free,
        "outcome": st.none() | st.sampled_from(["pending", "upheld", "reinstated", "not_heard"]),
    }
)


def make_database(path: Path, cases: list[dict]) -> sqlite3.Connection:
    from dereg.money import format_amount

    conn = db.connect(path)
    for raw in cases:
        amount = None if raw["minor"] is None else format_amount(raw["minor"], raw["currency"])
        fields = {
            k: raw[k]
            for k in (
                "election",
                "region",
                "district",
                "candidate",
                "decision",
                "decided_on",
                "currency",
                "nominated_by",
                "reason",
                "notes",
            )
        }
        with db.transaction(conn):
            case_id = add_case(conn, "tester", {**fields, "amount": amount})
            if raw["outcome"]:
                add_appeal(conn, "tester", case_id, {"court": "court", "outcome": raw["outcome"]})
    return conn


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=st.lists(case, max_size=6))
def test_any_cases_exported_and_imported_into_an_empty_database_are_the_same(tmp_path_factory, cases):
    folder = tmp_path_factory.mktemp("roundtrip")
    from dereg.errors import DeregError

    try:
        source = make_database(folder / "source.db", cases)
    except DeregError:  # two cases with one candidate in one district, say: not a valid set
        return
    out = io.StringIO(newline="")
    export_cases(source, out, "csv")
    before = source.execute("SELECT * FROM case_overview ORDER BY id").fetchall()
    source.close()
    target = db.connect(folder / "target.db")
    result = import_cases(
        target, Source(io.BytesIO(out.getvalue().encode("utf-8")), "export.csv"), actor="tester"
    )
    assert result.inserted == len(before)
    assert target.execute("SELECT * FROM case_overview ORDER BY id").fetchall() == before
    again = import_cases(
        target, Source(io.BytesIO(out.getvalue().encode("utf-8")), "export.csv"), actor="tester"
    )
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(before))
    target.close()


def test_export_then_import_into_an_empty_database_gives_everything_back(run, tmp_path):
    """Districts' figures and every appeal (court, instance, dates, outcome, notes) travel too."""
    assert run("import", "cases", str(EXAMPLE)).exit_code == 0
    district = json.loads(run("case", "show", "2", "--format", "json").stdout)["district"]
    place = ("--election", "2016 maslikhat", "--region", "East Kazakhstan", "--district", district)
    assert run("district", "add", *place, "--seats", "2", "--candidates", "9").exit_code == 0
    first = ("--court", "EKO appeal court", "--instance", "appeal", "--filed-on", "2016-03-22", "--outcome", "upheld",
             "--decided-on", "2016-03-25", "--notes", "=fee; line one\nline two")  # fmt: skip
    assert run("appeal", "add", "2", *first).exit_code == 0
    assert (
        run(
            "appeal",
            "add",
            "2",
            "--court",
            "Supreme Court",
            "--instance",
            "cassation",
            "--filed-on",
            "2016-03-28",
        ).exit_code
        == 0
    )
    exported = tmp_path / "cases.csv"
    assert run("export", "cases", "-o", str(exported)).exit_code == 0
    other = ("--db", str(tmp_path / "other.db"))
    # The office column names the office that recorded a case; an import records them in its own.
    for database in ((), other):
        assert run(*database, "init", "--office", "Almaty legal aid").exit_code == 0
    assert run(*other, "import", "cases", str(exported)).exit_code == 0

    def listed(*args: str) -> list[dict]:  # appeal ids follow the import's order: not compared
        rows = json.loads(run(*args, "--format", "json").stdout)
        return [
            {k: v for k, v in row.items() if (args[-2:], k) != (("appeal", "list"), "id")} for row in rows
        ]

    for listing in (
        ("case", "list"),
        ("appeal", "list"),
        ("district", "list"),
        ("summary",),
        ("summary", "--by", "region"),
    ):
        assert listed(*other, *listing) == listed(*listing), listing
    assert run(*other, "export", "cases").stdout == run("export", "cases").stdout
