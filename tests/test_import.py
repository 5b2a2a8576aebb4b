"""dereg import: the dialects offices write, every check, all or nothing, idempotence."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dereg.csvio.source import detect_encoding
from dereg.text import fold, joined_search_text, latin_key, search_text

HEADER = [
    "election",
    "region",
    "district",
    "candidate",
    "nominated_by",
    "decision",
    "decided_on",
    "reason",
    "discrepancy_amount",
    "currency",
    "appeal_court",
    "appeal_instance",
    "appeal_outcome",
    "notes",
]


def write(path: Path, rows, *, header=HEADER, encoding="utf-8", delimiter=",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return path


def overview(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM case_overview ORDER BY id").fetchall()
    finally:
        conn.close()


def query(path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def case_row(
    candidate="Nistoly Marina",
    *,
    election="2016 maslikhat",
    region="NKO",
    district="oblast maslikhat",
    decision="refused",
    decided_on="20.03.2016",
    amount="83",
    nominated_by="self",
    reason="",
    currency="KZT",
    court="",
    instance="",
    outcome="",
    notes="",
) -> list[str]:
    return [
        election,
        region,
        district,
        candidate,
        nominated_by,
        decision,
        decided_on,
        reason,
        amount,
        currency,
        court,
        instance,
        outcome,
        notes,
    ]


# --- dialects ------------------------------------------------------------------------------

# Each case spelled the clean way, then as offices write it: (clean, cp1251 office, other).
RUSSIAN = [
    dict(
        election="2016 маслихат",
        region=("North Kazakhstan", "СКО"),
        district="Петропавловск, округ №1",
        candidate="Иванова Мария Петровна",
        decision=("refused", "Refused"),
        date=("2016-03-20", "20.03.2016"),
        amount=("1234.56", "1 234,56", "1,234.56"),
        reason="расхождение в декларации; 1 234,56",
        court="",
        outcome="",
        notes='сказала "денег нет",\nсуд не состоялся',
    ),
    dict(
        election="2016 маслихат",
        region=("East Kazakhstan", "ВКО"),
        district="Семей, округ №7",
        candidate="Петров Иван",
        decision=("cancelled", "Withdrawn"),
        date=("2016-03-01", "1.3.2016"),
        amount=("0.78", "0,78", "0.78"),
        reason="округление",
        court="Семейский городской суд",
        outcome="upheld",
        notes="",
    ),
    dict(
        election="2016 маслихат",
        region=("Almaty", "Алматы"),
        district="Алматы, округ №3",
        candidate="Сидорова Анна",
        decision=("cancelled", "deregistered"),
        date=("2016-02-28", "28.02.2016"),
        amount=("500", "500", "500"),
        reason="",
        court="Алматинский городской суд",
        outcome="not_heard",
        notes="нет денег на пошлину",
    ),
]
KAZAKH = [
    dict(
        election="2016 мәслихат",
        region=("Karaganda", "Қарағанды облысы"),
        district="Қарағанды, №5 сайлау округі",
        candidate="Қасымова Әсел Нұрланқызы",
        decision=("refused", "refused"),
        date=("2016-03-20", "20.03.2016"),
        amount=("83", "83", "83"),
        reason="декларациядағы сәйкессіздік",
        court="Қарағанды соты",
        outcome="upheld",
        notes="Өтініш қабылданбады; ұлы Һ ғ ү ө ң ә",
    ),
    dict(
        election="2016 мәслихат",
        region=("Astana", "Астана қаласы"),
        district="Астана, №2 округ",
        candidate="Ғабитов Ұлан",
        decision=("cancelled", "cancelled"),
        date=("2016-03-02", "02.03.2016"),
        amount=("12500", "12 500", "12,500.00"),
        reason="",
        court="",
        outcome="",
        notes="",
    ),
]


def spelled(cases, style: int, amount_style: int | None = None) -> list[list[str]]:
    """Rows of cases; style 0 is the clean spelling, 1 the office's."""
    amount_style = style if amount_style is None else amount_style
    return [
        [
            c["election"],
            c["region"][style],
            c["district"],
            c["candidate"],
            "self",
            c["decision"][style],
            c["date"][style],
            c["reason"],
            c["amount"][amount_style],
            "KZT",
            c["court"],
            "first" if c["court"] else "",
            c["outcome"],
            c["notes"],
        ]
        for c in cases
    ]


DIALECTS = {
    "cp1251 ;": (RUSSIAN, dict(encoding="cp1251", delimiter=";"), 1, 1, "windows-1251"),
    "utf-16 TSV": (RUSSIAN + KAZAKH, dict(encoding="utf-16", delimiter="\t"), 1, 0, "utf-16"),
    "utf-8 BOM 1,234.56": (RUSSIAN + KAZAKH, dict(encoding="utf-8-sig"), 0, 2, "utf-8 (with BOM)"),
    "kz-1048 ;": (KAZAKH, dict(encoding="kz1048", delimiter=";"), 1, 1, "kz-1048"),
    "kz-1048 ,": (KAZAKH, dict(encoding="kz1048"), 1, 2, "kz-1048"),
}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_each_dialect_imports_to_the_same_cases_as_clean_utf8(run, tmp_path, dialect):
    cases, options, style, amount_style, label = DIALECTS[dialect]
    clean = write(tmp_path / "clean.csv", spelled(cases, 0))
    office = write(tmp_path / "office.csv", spelled(cases, style, amount_style), **options)
    assert run("--db", str(tmp_path / "clean.db"), "import", "cases", str(clean)).exit_code == 0
    result = run("--db", str(tmp_path / "office.db"), "import", "cases", str(office))
    created = f"new database '{tmp_path / 'office.db'}' created\n"
    assert (result.exit_code, result.stderr) == (0, f"{created}encoding: {label}\n"), result.output
    assert result.stdout == f"inserted {len(cases)}, updated 0, unchanged 0, rejected 0\n"
    assert overview(tmp_path / "office.db") == overview(tmp_path / "clean.db")
    assert len(overview(tmp_path / "clean.db")) == len(cases)


def test_the_clean_spelling_is_what_is_recorded(run, tmp_path):
    write(tmp_path / "c.csv", spelled(RUSSIAN, 1, 1), encoding="cp1251", delimiter=";")
    assert run("import", "cases", str(tmp_path / "c.csv")).exit_code == 0
    rows = overview(tmp_path / "cases.db")
    assert [r[2] for r in rows] == ["North Kazakhstan", "East Kazakhstan", "Almaty"]
    assert [(r[6], r[7], r[9], r[11]) for r in rows] == [
        ("refused", "2016-03-20", "1234.56", "not_filed"),
        ("cancelled", "2016-03-01", "0.78", "upheld"),
        ("cancelled", "2016-02-28", "500.00", "not_heard"),
    ]
    assert rows[0][12] == 'сказала "денег нет",\nсуд не состоялся'


def test_kz1048_is_told_from_windows_1251_by_its_kazakh_letters():
    kazakh = "Қасымова Әсел;Ғабитов Ұлан;Өтеулиев Үсен".encode("kz1048")
    russian = "Иванова Мария;Петров;Сидорова Анна".encode("cp1251")
    assert kazakh.decode("cp1251").startswith("Ќасымова")  # what a wrong guess would record
    assert detect_encoding(kazakh, whole=True) == "kz1048"
    assert detect_encoding(russian, whole=True) == "cp1251"
    assert detect_encoding("Қасымова".encode(), whole=True) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbfa,b", whole=True) == "utf-8-sig"
    assert detect_encoding("a,b".encode("utf-16"), whole=True) == "utf-16"
    assert detect_encoding(b"plain ascii", whole=True) == "utf-8"
    # A multi-byte letter cut by the end of the sniffed bytes is still UTF-8.
    assert detect_encoding("Қасымова".encode()[:3], whole=False) == "utf-8"


def test_encoding_and_delimiter_can_be_given(run, tmp_path):
    rows = spelled(RUSSIAN, 1, 1)
    path = write(tmp_path / "c.csv", rows, encoding="cp1251", delimiter=";")
    result = run("import", "cases", str(path), "--encoding", "windows-1251", "--delimiter", ";")
    assert (result.exit_code, result.stderr) == (0, "encoding: windows-1251\n"), result.output
    wrong = run("import", "cases", str(path), "--encoding", "utf-8", "--dry-run")
    assert wrong.exit_code == 1
    assert "line 2: region: byte 0xD1 is not utf-8 text" in wrong.stderr
    assert "--encoding" not in wrong.stderr.split("\n")[1]  # it was given: no advice to give it
    bad = run("import", "cases", str(path), "--encoding", "klingon")
    assert (bad.exit_code, bad.stderr) == (2, "Error: --encoding 'klingon' is not an encoding Python knows\n")
    bad = run("import", "cases", str(path), "--delimiter", "|")
    assert (bad.exit_code, bad.stderr) == (2, "Error: --delimiter '|': use ',', ';' or TAB\n")


def test_bytes_the_found_encoding_cannot_read_are_named_by_line_and_column(run, tmp_path):
    # The first 64 KB are UTF-8, so the file is taken for UTF-8; a Windows-1251 byte comes later.
    rows = [",".join(case_row(f"Қасымова {i}")).encode() for i in range(1500)]
    rows.append(",".join(case_row("Nistoly")).encode().replace(b"Nistoly", b"Nis\xfftoly"))
    path = tmp_path / "c.csv"
    path.write_bytes(b"\n".join([",".join(HEADER).encode(), *rows]) + b"\n")
    assert path.stat().st_size > 65_536
    result = run("import", "cases", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "encoding: utf-8",
        "line 1502: candidate: byte 0xFF is not utf-8 text; name the file's encoding with --encoding",
    ]


def test_a_question_mark_inside_a_cyrillic_word_is_a_warning(run, tmp_path):
    rows = [
        case_row("?асымова Әсел"),
        case_row("Иванова Мария"),
        case_row("Жұмаба?ва Айгүл"),
        case_row("Who?", notes="Is it? Yes."),
    ]
    result = run("import", "cases", str(write(tmp_path / "c.csv", rows)))
    assert result.exit_code == 0
    assert result.stderr == (
        "encoding: utf-8\n"
        "warning: '?' inside a Cyrillic word, a letter the file's code page lacked? lines 2, 4\n"
    )


# --- the header ---------------------------------------------------------------------------


def test_header_names_are_normalised(run, tmp_path):
    header = [
        "Election",
        "REGION",
        "District ",
        "candidate",
        "Decision",
        "decided on",
        "Discrepancy-Amount",
        "id",
    ]
    rows = [["2016 maslikhat", "NKO", "okrug 1", "Nistoly Marina", "refused", "20.03.2016", "83", "17"]]
    result = run("import", "cases", str(write(tmp_path / "c.csv", rows, header=header)))
    assert (result.exit_code, result.stdout) == (0, "inserted 1, updated 0, unchanged 0, rejected 0\n")
    assert overview(tmp_path / "cases.db")[0][0] == 1  # the id column is ignored


@pytest.mark.parametrize(
    "header, message",
    [
        (
            ["election", "region", "district", "candidate", "decision", "decided_on", "colour", "Size"],
            "c.csv: unknown columns 'colour', 'Size' (known: election, region, district, candidate, "
            "decision, decided_on, nominated_by, reason, discrepancy_amount, currency, notes, "
            "appeal_court, appeal_instance, appeal_filed_on, appeal_decided_on, appeal_outcome, "
            "appeal_notes, district_seats, district_candidates)",
        ),
        (["election", "region", "district", "candidate"], "c.csv: missing columns decision, decided_on"),
        (
            ["election", "region", "district", "candidate", "decision", "decided_on", "Region"],
            "c.csv: column 'region' appears twice in the header",
        ),
        (
            ["election", "region", "", "candidate", "decision", "decided_on"],
            "c.csv: column 3 of the header has no name",
        ),
    ],
)
def test_header_problems_are_named_before_any_row(run, tmp_path, header, message):
    path = write(tmp_path / "c.csv", [["x"] * len(header)], header=header)
    result = run("import", "cases", str(path))
    assert (result.exit_code, result.stderr) == (1, f"encoding: utf-8\nError: {message}\n")


def test_a_file_without_a_header_is_an_error(run, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("2016 maslikhat,NKO,okrug 1,Nistoly Marina,refused,20.03.2016\n")
    result = run("import", "cases", str(path))
    assert result.exit_code == 1
    assert "does the file start with a header row?" in result.stderr
    path.write_bytes(b"")
    result = run("import", "cases", str(path))
    assert (result.exit_code, result.stderr) == (
        1,
        "encoding: utf-8\nError: c.csv is empty: a header row naming the columns is needed\n",
    )


def test_a_header_with_no_rows_imports_nothing_and_succeeds(run, tmp_path):
    result = run("import", "cases", str(write(tmp_path / "c.csv", [])))
    assert (result.exit_code, result.stdout) == (0, "inserted 0, updated 0, unchanged 0, rejected 0\n")


# --- rows ---------------------------------------------------------------------------------


def test_every_problem_is_listed_with_its_line_and_column(run, tmp_path, db_path):
    rows = [
        case_row("A", decided_on="31.02.2016"),
        case_row("B", region="Narnia", amount="0.785"),
        case_row("C", notes="two\nlines"),  # a quoted line break: the next row is on line 6
        case_row("D", decision="resigned", amount="-5", currency="XYZ"),
        case_row("E", amount="1,500"),
        case_row("F\x00", outcome="won"),
        case_row("G")[:-1],
        case_row(""),
    ]
    result = run("import", "cases", str(write(tmp_path / "c.csv", rows)))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "encoding: utf-8\n"
        "line 2: decided_on: date '31.02.2016' is not a real date\n"
        "line 3: region: unknown region 'Narnia'; did you mean Mangistau, Atyrau?\n"
        "line 3: discrepancy_amount: amount '0.785' has more decimals than KZT allows (2)\n"
        "line 6: decision: decision 'resigned' is not refused or cancelled (withdrawn and "
        "deregistered count as cancelled)\n"
        "line 6: currency: currency 'XYZ' is not an ISO 4217 code\n"
        "line 7: discrepancy_amount: amount '1,500' is ambiguous in a comma-delimited file: "
        "write 1500 or 1.5\n"
        "line 8: candidate: a control character (U+0000) in 'F\\x00'\n"
        "line 9: 13 fields, but the header has 14\n"
        "line 10: candidate: required, but empty\n"
        "Error: 7 invalid rows in c.csv: nothing was written (fix them, or load the rest with "
        "--skip-invalid --rejects FILE)\n"
    )
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


INVALID_ROW = (
    "Error: 1 invalid row in c.csv: nothing was written (fix it, or load the rest "
    "with --skip-invalid --rejects FILE)\n"
)


@pytest.mark.parametrize("column", ["election", "district", "candidate", "appeal_court"])
@pytest.mark.parametrize("cut", ["\n", "\r\n", "\t"])
def test_a_name_with_a_line_break_inside_is_refused_with_line_and_column(run, tmp_path, db_path, column, cut):
    rows = [case_row("A"), case_row("B", court="X court"), case_row("C")]
    rows[1][HEADER.index(column)] = f"Two{cut}lines"
    result = run("import", "cases", str(write(tmp_path / "c.csv", rows)))
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f"encoding: utf-8\nline 3: {column}: {f'Two{cut}lines'!r} holds a line break or TAB: "
            f"a name is one line\n{INVALID_ROW}"
        ),
    )
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_a_lone_comma_before_three_digits_is_a_decimal_comma_in_a_semicolon_file(run, tmp_path):
    path = write(tmp_path / "c.csv", [case_row(amount="1,500", currency="KWD")], delimiter=";")
    assert run("import", "cases", str(path)).exit_code == 0
    assert overview(tmp_path / "cases.db")[0][9:11] == ("1.500", "KWD")


def test_only_the_first_50_problems_are_listed(run, tmp_path):
    rows = [case_row(f"C{i}", decided_on="yesterday") for i in range(60)]
    result = run("import", "cases", str(write(tmp_path / "c.csv", rows)))
    lines = result.stderr.splitlines()
    assert lines[1] == "line 2: decided_on: date 'yesterday' is not YYYY-MM-DD or DD.MM.YYYY"
    assert lines[50] == "line 51: decided_on: date 'yesterday' is not YYYY-MM-DD or DD.MM.YYYY"
    assert lines[51:] == [
        "... and 10 more",
        "Error: 60 invalid rows in c.csv: nothing was "
        "written (fix them, or load the rest with --skip-invalid --rejects FILE)",
    ]


def test_a_quote_never_closed_cannot_swallow_the_file(run, tmp_path, db_path):
    path = tmp_path / "c.csv"
    path.write_text(
        ",".join(HEADER)
        + "\n"
        + ",".join(case_row("A"))
        + "\n"
        + ",".join(case_row('"B'))
        + "\n"
        + ",".join(case_row("C"))
        + "\n"
    )
    result = run("import", "cases", str(path))
    assert result.exit_code == 1
    assert result.stderr.endswith("(a quote that is never closed?); nothing was written\n")
    assert "c.csv: line 3: " in result.stderr
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_a_stray_quote_inside_a_quoted_value_is_refused(run, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(case_row('"A"B')) + "\n")
    result = run("import", "cases", str(path))
    assert result.exit_code == 1
    assert "c.csv: line 2: ',' expected after '\"'" in result.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), prefix=st.booleans())
def test_random_bytes_never_give_a_traceback(run, tmp_path, data, prefix):
    path = tmp_path / "random.csv"
    path.write_bytes((",".join(HEADER).encode() + b"\n" if prefix else b"") + data)
    result = run("--db", str(tmp_path / "random.db"), "import", "cases", str(path), "--dry-run")
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


# --- all or nothing -----------------------------------------------------------------------


def rows_10k(bad_at: int | None = None) -> list[list[str]]:
    rows = [
        case_row(f"Candidate {i}", district=f"okrug {i // 20}", amount=f"{i}.{i % 100:02d}")
        for i in range(10_000)
    ]
    if bad_at is not None:
        rows[bad_at][6] = "31.02.2016"
    return rows


@pytest.mark.parametrize("bad_at", [0, 4_999, 9_999])
def test_a_bad_row_anywhere_leaves_the_database_byte_for_byte_as_it_was(run, tmp_path, db_path, bad_at):
    assert run("import", "cases", str(write(tmp_path / "first.csv", [case_row()]))).exit_code == 0
    before = db_path.read_bytes()
    result = run("import", "cases", str(write(tmp_path / "big.csv", rows_10k(bad_at))))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        f"line {bad_at + 2}: decided_on: date '31.02.2016' is not a real date"
    )
    assert db_path.read_bytes() == before
    assert query(db_path, "SELECT count(*) FROM cases") == [(1,)]


def test_10k_rows_import_and_a_second_time_change_nothing(run, tmp_path, db_path):
    path = write(tmp_path / "big.csv", rows_10k())
    first = run("import", "cases", str(path))
    assert (first.exit_code, first.stdout) == (0, "inserted 10000, updated 0, unchanged 0, rejected 0\n")
    assert query(db_path, "SELECT count(*) FROM districts") == [(500,)]
    again = run("import", "cases", str(path))
    assert (again.exit_code, again.stdout) == (0, "inserted 0, updated 0, unchanged 10000, rejected 0\n")
    assert query(db_path, "SELECT count(*) FROM cases") == [(10_000,)]


def test_dry_run_checks_counts_and_writes_nothing(run, tmp_path, db_path):
    run("init")
    before = db_path.read_bytes()
    result = run("import", "cases", str(write(tmp_path / "c.csv", [case_row()])), "--dry-run")
    assert (result.exit_code, result.stdout) == (
        0,
        "dry run, nothing written: inserted 1, updated 0, unchanged 0, rejected 0\n",
    )
    assert db_path.read_bytes() == before


def test_killed_part_way_an_import_leaves_all_or_nothing(tmp_path):
    path = write(
        tmp_path / "big.csv",
        [case_row(f"Candidate {i}", district=f"okrug {i // 50}", notes="x" * 200) for i in range(150_000)],
    )
    database = tmp_path / "kill.db"
    env = {**os.environ, "DEREG_DB": str(database), "CI": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "dereg", "import", "cases", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wal = Path(f"{database}-wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > 4_000_000:  # well into the rows
            break
        time.sleep(0.01)
    assert process.poll() is None, "the import ended before it could be killed part-way"
    process.send_signal(signal.SIGKILL)
    process.wait()
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    count = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    conn.close()
    assert count == 0  # killed before its commit: nothing of it is in the database


# --- skipping invalid rows ----------------------------------------------------------------


def test_skip_invalid_loads_the_rest_and_writes_the_rejects(run, tmp_path, db_path):
    old = os.umask(0)
    try:
        rows = [
            case_row("A"),
            case_row("B", decided_on="31.02.2016"),
            case_row("C"),
            case_row("Ә", region="Narnia", notes="two\nlines"),
        ]
        path = write(tmp_path / "c.csv", rows, delimiter=";")
        rejects = tmp_path / "rejects.csv"
        result = run("import", "cases", str(path), "--skip-invalid", "--rejects", str(rejects))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert result.stdout == "inserted 2, updated 0, unchanged 0, rejected 2\n"
    assert result.stderr == (
        "encoding: utf-8\n"
        "line 3: decided_on: date '31.02.2016' is not a real date\n"
        "line 5: region: unknown region 'Narnia'; did you mean Mangistau, Atyrau?\n"
        f"2 invalid rows written to {rejects}\n"
    )
    assert [r[4] for r in overview(db_path)] == ["A", "C"]
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    raw = rejects.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    written = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert written == [
        [*HEADER, "error"],
        [*case_row("B", decided_on="31.02.2016"), "line 3: decided_on: date '31.02.2016' is not a real date"],
        [
            *case_row("Ә", region="Narnia", notes="two\nlines"),
            "line 5: region: unknown region 'Narnia'; did you mean Mangistau, Atyrau?",
        ],
    ]


def test_skip_invalid_and_rejects_go_together(run, tmp_path):
    path = write(tmp_path / "c.csv", [case_row()])
    for options in (["--skip-invalid"], ["--rejects", str(tmp_path / "r.csv")]):
        result = run("import", "cases", str(path), *options)
        assert (result.exit_code, result.stderr) == (
            2,
            "Error: --skip-invalid and --rejects FILE go together\n",
        )


# --- the same case again -------------------------------------------------------------------


def test_importing_again_updates_what_changed_and_audits_it(run, tmp_path, db_path):
    rows = [case_row("Nistoly Marina"), case_row("Tulesova Asya", region="Almaty", amount="0,78")]
    assert run("import", "cases", str(write(tmp_path / "a.csv", rows))).exit_code == 0
    rows[1][8] = "0.79"
    rows[1][3] = "TULESOVA  asya"  # the same candidate: case and spaces do not matter
    result = run("import", "cases", str(write(tmp_path / "b.csv", rows)))
    assert (result.exit_code, result.stdout) == (0, "inserted 0, updated 1, unchanged 1, rejected 0\n")
    case = overview(db_path)[1]
    assert (case[4], case[9]) == ("TULESOVA  asya", "0.79")
    entries = query(
        db_path, "SELECT actor, command, entity, entity_id, before, after FROM audit_log ORDER BY id"
    )
    assert [e[:4] for e in entries] == [
        ("tester", "import cases", "import", None),
        ("tester", "import cases", "case", 2),
        ("tester", "import cases", "import", None),
    ]
    before, after = json.loads(entries[1][4]), json.loads(entries[1][5])
    assert (before["discrepancy_amount"], after["discrepancy_amount"]) == ("0.78", "0.79")
    run_entry = json.loads(entries[2][5])
    assert run_entry["file"] == "b.csv" and len(run_entry["sha256"]) == 64
    assert {k: run_entry[k] for k in ("rows", "inserted", "updated", "unchanged", "rejected")} == {
        "rows": 2,
        "inserted": 0,
        "updated": 1,
        "unchanged": 1,
        "rejected": 0,
    }
    assert json.loads(entries[0][5])["new_case_ids"] == {"first": 1, "last": 2}
    import hashlib

    assert run_entry["sha256"] == hashlib.sha256((tmp_path / "b.csv").read_bytes()).hexdigest()


def test_imported_cases_have_their_history(run, tmp_path):
    rows = [case_row("A"), case_row("B"), case_row("C")]
    assert run("import", "cases", str(write(tmp_path / "a.csv", rows))).exit_code == 0
    result = run("case", "history", "2", "--format", "json")
    assert [e["entity"] for e in json.loads(result.stdout)] == ["import"]


def test_rows_for_other_appeal_instances_add_appeals(run, tmp_path, db_path):
    rows = [
        case_row("A", court="Petropavlovsk city court", instance="first", outcome="upheld"),
        case_row("A", court="NKO court", instance="appeal", outcome="reinstated"),
        case_row("B"),
    ]
    result = run("import", "cases", str(write(tmp_path / "a.csv", rows)))
    assert (result.exit_code, result.stdout) == (0, "inserted 3, updated 0, unchanged 0, rejected 0\n")
    assert query(db_path, "SELECT case_id, instance, court, outcome FROM appeals ORDER BY id") == [
        (1, "first", "Petropavlovsk city court", "upheld"),
        (1, "appeal", "NKO court", "reinstated"),
    ]
    assert [r[11] for r in overview(db_path)] == ["reinstated", "not_filed"]
    again = run("import", "cases", str(write(tmp_path / "a.csv", rows)))
    assert again.stdout == "inserted 0, updated 0, unchanged 3, rejected 0\n"
    rows[1][12] = "upheld"
    later = run("import", "cases", str(write(tmp_path / "a.csv", rows)))
    assert later.stdout == "inserted 0, updated 1, unchanged 2, rejected 0\n"
    assert [r[11] for r in overview(db_path)] == ["upheld", "not_filed"]


@pytest.mark.parametrize("existing", [False, True])
def test_two_rows_for_the_same_case_and_instance_name_both_lines(run, tmp_path, existing):
    if existing:  # the case is recorded before: the rows still clash with each other
        run("import", "cases", str(write(tmp_path / "a.csv", [case_row("A")])))
    rows = [
        case_row("A", court="X court", outcome="upheld"),
        case_row("B"),
        case_row("a ", court="Y court", instance="First"),
    ]
    result = run("import", "cases", str(write(tmp_path / "b.csv", rows)))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        "line 4: appeal_instance: the same appeal instance 'first' as line 2"
    )


def test_two_rows_for_the_same_case_must_agree(run, tmp_path):
    rows = [case_row("A"), case_row("B"), case_row("A")]
    result = run("import", "cases", str(write(tmp_path / "a.csv", rows)))
    assert result.stderr.splitlines()[1] == "line 4: the same case (and no appeal) as line 2"
    rows = [
        case_row("A", court="X", outcome="upheld"),
        case_row("A", decision="cancelled", court="Y", instance="appeal"),
    ]
    result = run("import", "cases", str(write(tmp_path / "a.csv", rows)))
    assert result.stderr.splitlines()[1] == "line 3: the same case as line 2, with other decision"


APPEAL_DATES = [*HEADER, "appeal_filed_on", "appeal_decided_on"]


def test_an_appeal_decided_before_it_was_filed_is_refused(run, tmp_path, db_path):
    rows = [[*case_row("A", court="X court"), "2016-04-10", "2016-04-01"]]
    result = run("import", "cases", str(write(tmp_path / "c.csv", rows, header=APPEAL_DATES)))
    assert (result.exit_code, result.stderr) == (
        1,
        (
            "encoding: utf-8\n"
            "line 2: appeal_decided_on: decided on 2016-04-01, before it was filed on 2016-04-10\n"
            + INVALID_ROW
        ),
    )
    assert query(db_path, "SELECT count(*) FROM cases") == [(0,)]


def test_a_recorded_appeal_decided_before_it_was_filed_is_refused(run, tmp_path, db_path):
    """An empty appeal_filed_on keeps the recorded date, which the decided date must not precede."""
    filed = [[*case_row("A", court="X court"), "10.04.2016", ""]]
    assert run("import", "cases", str(write(tmp_path / "a.csv", filed, header=APPEAL_DATES))).exit_code == 0
    decided = [[*case_row("A", court="X court", outcome="upheld"), "", "01.04.2016"]]
    result = run("import", "cases", str(write(tmp_path / "c.csv", decided, header=APPEAL_DATES)))
    assert (result.exit_code, result.stderr) == (
        1,
        (
            "encoding: utf-8\n"
            "line 2: appeal_decided_on: decided on 2016-04-01, before it was filed on 2016-04-10\n"
            + INVALID_ROW
        ),
    )
    assert query(db_path, "SELECT instance, court, filed_on, outcome, decided_on FROM appeals") == [
        ("first", "X court", "2016-04-10", "pending", None),
    ]


def test_an_outcome_alone_as_case_list_writes_it_gives_a_recorded_case_its_outcome(run, tmp_path, db_path):
    rows = [
        case_row("A", court="City court", instance="first", outcome="upheld"),
        case_row("A", court="Oblast court", instance="appeal", outcome="pending"),
        case_row("B"),
    ]
    assert run("import", "cases", str(write(tmp_path / "a.csv", rows))).exit_code == 0
    listed = run("case", "list", "--format", "csv").stdout  # a case's columns: its outcome alone
    header, *cases = list(csv.reader(io.StringIO(listed)))
    outcome = header.index("appeal_outcome")
    assert [case[outcome] for case in cases] == ["pending", "not_filed"]
    cases[0][outcome], cases[1][outcome] = "reinstated", "upheld"
    result = run("import", "cases", str(write(tmp_path / "b.csv", cases, header=header)))
    assert (result.exit_code, result.stdout) == (0, "inserted 0, updated 2, unchanged 0, rejected 0\n")
    # A's latest appeal (the highest instance) takes the outcome; B gets a first appeal.
    assert query(db_path, "SELECT case_id, instance, court, outcome FROM appeals ORDER BY id") == [
        (1, "first", "City court", "upheld"),
        (1, "appeal", "Oblast court", "reinstated"),
        (2, "first", "court not named", "upheld"),
    ]
    assert [r[11] for r in overview(db_path)] == ["reinstated", "upheld"]
    again = run("import", "cases", str(write(tmp_path / "b.csv", cases, header=header)))
    assert again.stdout == "inserted 0, updated 0, unchanged 2, rejected 0\n"


def test_district_figures_on_case_rows(run, tmp_path, db_path):
    header = [*HEADER, "district_seats", "district_candidates"]
    rows = [[*case_row("A"), "1", "4"], [*case_row("B"), "1", "4"], [*case_row("C"), "", ""]]
    result = run("import", "cases", str(write(tmp_path / "a.csv", rows, header=header)))
    assert result.exit_code == 0, result.output
    assert query(db_path, "SELECT seats, candidates FROM districts") == [(1, 4)]
    rows[1][-1] = "5"
    result = run("import", "cases", str(write(tmp_path / "a.csv", rows, header=header)))
    assert result.stderr.splitlines()[1] == (
        "line 3: district_candidates: 5, but line 2 gave 4 for this district"
    )


def test_a_case_file_can_come_from_standard_input(run, tmp_path, db_path):
    text = "\n".join([",".join(HEADER), ",".join(case_row("Қасымова"))])
    result = run("import", "cases", "-", input=text.encode("utf-8"))
    assert (result.exit_code, result.stdout) == (0, "inserted 1, updated 0, unchanged 0, rejected 0\n")
    assert json.loads(query(db_path, "SELECT after FROM audit_log")[0][0])["file"] == "<stdin>"


def test_the_search_column_is_what_the_core_would_write(run, tmp_path, db_path):
    rows = spelled(RUSSIAN + KAZAKH, 0)
    assert run("import", "cases", str(write(tmp_path / "a.csv", rows))).exit_code == 0
    recorded = query(
        db_path,
        "SELECT c.search, c.candidate, c.nominated_by, c.reason, c.notes, "
        "d.name FROM cases c JOIN districts d ON d.id = c.district_id",
    )
    assert [r[0] for r in recorded] == [search_text(*r[1:]) for r in recorded]


values = (
    st.text(
        st.characters(blacklist_categories=("Cs",))
        | st.sampled_from([" ", "\t", "\n", "\u00a0", "\u2028", "\u0301", "ǅ", "ß", "Қ", "İ"]),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@given(st.lists(values | st.none(), min_size=5, max_size=5))
def test_folding_values_one_by_one_gives_the_search_text_of_them_all(texts):
    """The import builds a new case's search column from folds of its values (candidate,
    nominated_by, reason, notes, district) and the latin keys of its names (caseloader)."""
    folds = [fold(text) for text in texts if text and fold(text)]  # the loader skips a value that folds to ''
    names = [texts[0], texts[1], texts[4]]
    keys = [latin_key(fold(name)) for name in names if name]
    assert joined_search_text(" ".join(folds), " ".join(k for k in keys if k)) == search_text(*texts)


# --- districts ----------------------------------------------------------------------------


def test_districts_import(run, tmp_path, db_path):
    header = ["Election", "Region", "District", "Seats", "Candidates", "Level"]
    rows = [
        ["2016 maslikhat", "NKO", "okrug 1", "1", "4", "oblast"],
        ["2016 maslikhat", "СКО", "okrug 2", "1", "", ""],
    ]
    path = write(tmp_path / "d.csv", rows, header=header, delimiter=";")
    result = run("import", "districts", str(path))
    assert (result.exit_code, result.stdout) == (0, "inserted 2, updated 0, unchanged 0, rejected 0\n")
    again = run("import", "districts", str(path))
    assert again.stdout == "inserted 0, updated 0, unchanged 2, rejected 0\n"
    rows[1][4] = "3"
    rows.append(["2016 maslikhat", "North-Kazakhstan oblast", "OKRUG  1", "2", "", ""])
    result = run("import", "districts", str(write(tmp_path / "d.csv", rows, header=header)))
    assert result.stderr.splitlines()[1] == "line 4: the same district as line 2"
    del rows[2]
    result = run("import", "districts", str(write(tmp_path / "d.csv", rows, header=header)))
    assert result.stdout == "inserted 0, updated 1, unchanged 1, rejected 0\n"
    assert query(db_path, "SELECT name, seats, candidates, level FROM districts ORDER BY id") == [
        ("okrug 1", 1, 4, "oblast"),
        ("okrug 2", 1, 3, None),
    ]
    bad = run(
        "import",
        "districts",
        str(write(tmp_path / "d.csv", [["e", "NKO", "x", "0", "-1", "town"]], header=header)),
    )
    assert bad.stderr.splitlines()[1:4] == [
        "line 2: seats: seats '0' must be at least 1",
        "line 2: candidates: candidates '-1' is not a whole number",
        "line 2: level: level 'town' is not one of: mazhilis, oblast, city, district",
    ]


# --- the embedded default ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_cases_db_is_what_the_example_csv_builds(run, tmp_path):
    """cases.db is rebuilt by examples/build_cases_db.sh: in step with schema.sql and the CSV."""
    built = tmp_path / "built.db"
    result = run("--db", str(built), "import", "cases", str(ROOT / "examples" / "cases-2016.csv"))
    assert (result.exit_code, result.stdout) == (0, "inserted 3, updated 0, unchanged 0, rejected 0\n")
    shipped = sqlite3.connect(f"file:{ROOT / 'cases.db'}?immutable=1", uri=True)
    rebuilt = sqlite3.connect(built)
    for sql in (
        "PRAGMA user_version",
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
        "SELECT * FROM case_overview ORDER BY id",
        "SELECT e.name, r.name, d.name, d.key, d.seats, d.candidates, d.level FROM districts d "
        "JOIN elections e ON e.id = d.election_id JOIN regions r ON r.id = d.region_id ORDER BY d.id",
        "SELECT * FROM appeals ORDER BY id",
        "SELECT * FROM cases ORDER BY id",
        "SELECT * FROM region_aliases ORDER BY key",
        "SELECT * FROM elections ORDER BY id",
        "SELECT * FROM election_aliases ORDER BY key",
        "SELECT * FROM currencies ORDER BY code",
    ):
        assert shipped.execute(sql).fetchall() == rebuilt.execute(sql).fetchall(), sql
    assert [
        row[:4] for row in shipped.execute("SELECT actor, command, entity, entity_id FROM audit_log")
    ] == [("examples/build_cases_db.sh", "import cases", "import", None)]
    assert len(overview(ROOT / "cases.db")) == 3
    shipped.close()
    rebuilt.close()


@pytest.fixture(params=["roomy", "cramped"])
def memory(request, monkeypatch):
    """Run a test as it is, then with batches of 2 rows and 2 districts remembered at once:
    what memory forgets must come back from the database the same."""
    if request.param == "cramped":
        from dereg.csvio import cases as caseloader
        from dereg.csvio import places

        monkeypatch.setattr(caseloader, "BATCH", 2)
        monkeypatch.setattr(places, "DISTRICTS", 2)
        monkeypatch.setattr(places, "SPELLINGS", 2)
    return request.param


def test_what_memory_forgets_the_database_remembers(run, tmp_path, db_path, memory):
    header = [*HEADER, "district_seats", "district_candidates"]
    first = [case_row("Old", district="okrug 1"), case_row("Old 2", district="okrug 2")]
    assert (
        run(
            "import", "cases", str(write(tmp_path / "a.csv", [[*r, "", ""] for r in first], header=header))
        ).exit_code
        == 0
    )
    rows = [
        [
            *case_row(f"C{i}", district=f"okrug {i % 5}", region=("NKO", "СКО", "nko")[i % 3]),
            "1",
            str(10 + i % 5),
        ]
        for i in range(12)
    ]
    rows.append([*case_row("C1", district="okrug 1", court="X court", instance="appeal"), "1", "11"])
    rows.append([*case_row("Old", district="OKRUG  1", amount="84"), "1", "11"])
    result = run("import", "cases", str(write(tmp_path / "b.csv", rows, header=header)))
    assert (result.exit_code, result.stdout) == (0, "inserted 13, updated 1, unchanged 0, rejected 0\n")
    assert query(db_path, "SELECT name, seats, candidates FROM districts ORDER BY id") == [
        ("okrug 1", 1, 11),
        ("okrug 2", 1, 12),
        ("okrug 0", 1, 10),
        ("okrug 3", 1, 13),
        ("okrug 4", 1, 14),
    ]
    again = run("import", "cases", str(write(tmp_path / "b.csv", rows, header=header)))
    assert again.stdout == "inserted 0, updated 0, unchanged 14, rejected 0\n"
    clashes = rows + [
        [*case_row("C3", district="okrug 3"), "1", "99"],  # other figures than line 5 gave
        [*case_row("c1", district="okrug 1", court="Y court", instance="Appeal"), "", ""],
        [*case_row("C2", district="okrug 2"), "", ""],  # the same case, no appeal, as line 4
    ]
    result = run("import", "cases", str(write(tmp_path / "c.csv", clashes, header=header)))
    assert result.stderr.splitlines()[1:] == [
        "line 16: district_candidates: 99, but line 5 gave 13 for this district",
        "line 17: appeal_instance: the same appeal instance 'appeal' as line 14",
        "line 18: the same case (and no appeal) as line 4",
        "Error: 3 invalid rows in c.csv: nothing was written (fix them, or load the rest with "
        "--skip-invalid --rejects FILE)",
    ]


def test_a_districts_file_naming_a_district_twice_after_many_others(run, tmp_path, memory):
    rows = [["2016", "NKO", f"okrug {i}", "1", "", ""] for i in range(6)]
    rows.append(["2016", "North Kazakhstan", "Okrug 0", "2", "", ""])
    header = ["election", "region", "district", "seats", "candidates", "level"]
    result = run("import", "districts", str(write(tmp_path / "d.csv", rows, header=header)))
    assert result.stderr.splitlines()[1] == "line 8: the same district as line 2"


@given(
    st.from_regex(r"[0-9]{1,17}([.,][0-9]{0,6})?", fullmatch=True),
    st.sampled_from(["KZT", "JPY", "KWD", "CLF"]),
    st.sampled_from([",", ";", "\t"]),
)
@example("999999999999999", "CLF", ",")  # 10**19 minor units: beyond SQLite's INTEGER
@example("922337203685477.5807", "CLF", ",")  # the largest INTEGER, to the unit
@example("922337203685477.5808", "CLF", ",")  # one more
def test_the_importers_amount_shortcut_agrees_with_parse_amount(text, currency, delimiter):
    from dereg.csvio.cells import amount_parser
    from dereg.errors import InvalidValue
    from dereg.money import parse_amount

    try:
        expected = parse_amount(text, currency, delimiter=delimiter)
    except InvalidValue:
        expected = None
    try:
        got = amount_parser(delimiter)(text, currency)
    except InvalidValue:
        got = None
    assert got == expected


def test_a_missing_file_is_a_command_line_error(run, tmp_path):
    result = run("import", "cases", str(tmp_path / "nope.csv"))
    assert (result.exit_code, result.stderr) == (2, f"Error: {tmp_path / 'nope.csv'}: no such file\n")
    result = run("import", "districts", str(tmp_path))
    assert (result.exit_code, result.stderr) == (2, f"Error: {tmp_path} is a folder, not a CSV file\n")


def test_a_progress_bar_only_on_a_terminal_outside_ci(monkeypatch):
    from dereg.cli.io import _progress

    class FakeSource:
        name, size, bytes_read = "cases.csv", 1000, 0

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with _progress(FakeSource()) as progress:
        assert progress is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "true")
    with _progress(FakeSource()) as progress:
        assert progress is None
    monkeypatch.delenv("CI")
    with _progress(FakeSource()) as progress:
        progress(8192, 500)  # rows so far, bytes read


RULES_HEADER = "election,region,district,candidate,decision,decided_on,appeal_instance,appeal_filed_on,appeal_decided_on,appeal_outcome,district_candidates\n"


@pytest.mark.parametrize(
    "rows, problem",
    [
        (["A,refused,2016-03-10,first,,2016-04-01,,"],
         "line 2: appeal_outcome: is pending, yet has a decision date (2016-04-01)"),
        (["A,refused,2016-03-10,first,2016-03-01,,,"],
         "line 2: appeal_filed_on: filed on 2016-03-01, before the commission's decision of 2016-03-10"),
        (["A,refused,2061-03-10,,,,,"], "line 2: decided_on: decided on 2061-03-10, which is in the future"),
        (["A,refused,2016-03-10,first,2016-03-12,2016-03-20,upheld,", "A,refused,2016-03-10,appeal,2016-03-15,,,"],
         "line 2: appeal_filed_on: filed on 2016-03-15, before the first-instance decision of 2016-03-20"),
        (["A,refused,2016-03-10,,,,,1", "B,refused,2016-03-10,,,,,1"],
         "line 2: district 'okrug 1' (2016 maslikhat, Almaty): 2 candidates removed "
         "(2 deregistered, 0 reinstated) but only 1 stood"),
    ],
)  # fmt: skip
def test_an_import_never_writes_what_check_would_call_a_problem(run, tmp_path, db_path, rows, problem):
    source = tmp_path / "c.csv"
    source.write_text(
        RULES_HEADER + "".join(f"2016 maslikhat,Almaty,okrug 1,{row}\n" for row in rows), encoding="utf-8"
    )
    before = db_path.read_bytes()
    result = run("import", "cases", str(source))
    assert result.exit_code == 1
    assert problem in result.stderr.splitlines(), result.stderr
    assert db_path.read_bytes() == before


def test_names_lose_invisible_characters_and_notes_keep_lf(run, tmp_path):
    source = tmp_path / "c.csv"
    source.write_bytes(
        "election,region,district,candidate,decision,decided_on,notes\r\n"
        '2016 maslikhat,Almaty,okrug 1,Иван\u200bов,refused,2016-03-10,"one\r\ntwo"\r\n'.encode()
    )
    assert run("import", "cases", str(source)).exit_code == 0
    case = json.loads(run("case", "show", "1", "--format", "json").stdout)
    assert (case["candidate"], case["notes"]) == ("Иванов", "one\ntwo")
    again = run("import", "cases", str(source))
    assert again.stdout == "inserted 0, updated 0, unchanged 1, rejected 0\n"


def test_a_letter_lost_to_a_question_mark_matches_the_recorded_name(run, tmp_path):
    text = (
        "election,region,district,candidate,decision,decided_on\n"
        "2016 maslikhat,ВКО,Өскемен округ №7,Қасымова Әлия,refused,2016-03-01\n"
        "2016 maslikhat,ВКО,Өскемен округ №7,Иванов,refused,2016-03-01\n"
    )
    good, lossy = tmp_path / "good.csv", tmp_path / "lossy.csv"
    good.write_text(text.split("Иванов")[0].rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    lossy.write_bytes(text.encode("cp1251", errors="replace"))  # what Excel writes in Windows-1251
    assert run("import", "cases", str(good)).exit_code == 0
    result = run("import", "cases", str(lossy))
    assert (result.exit_code, result.stdout) == (0, "inserted 1, updated 0, unchanged 1, rejected 0\n")
    assert result.stderr.splitlines()[1:3] == [
        "warning: line 2: district '?скемен округ №7' taken as the recorded 'Өскемен округ №7'",
        "warning: line 2: candidate '?асымова ?лия' taken as the recorded 'Қасымова Әлия'",
    ]
    listed = run("case", "list", "--format", "csv").stdout
    assert "Қасымова Әлия" in listed and "?" not in listed and run("check").exit_code == 0
