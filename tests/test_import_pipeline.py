"""The import in two processes (reading.ReaderProcess): one reads and checks the rows, this one
writes them. It keeps every promise of the import in one process: the same counts, problems,
rejects and database; errors name their lines whichever side finds them; standard input works;
Ctrl-C rolls back with exit 130 and a killed import writes nothing. No child outlives it."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dereg.csvio import reading

HEADER = ["election", "region", "district", "candidate", "decision", "decided_on", "discrepancy_amount"]
HEADER += ["appeal_court", "appeal_instance", "appeal_outcome", "notes"]


def write(path: Path, rows, header=HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([header, *rows])
    return path


def row(n: int, **cells) -> list[str]:
    values = {
        "election": "2016 maslikhat",
        "region": "Almaty",
        "district": f"okrug {n % 7}",
        "candidate": f"Candidate {n}",
        "decision": "refused",
        "decided_on": "2016-02-01",
        "discrepancy_amount": f"{n}.50",
        "appeal_court": "",
        "appeal_instance": "",
        "appeal_outcome": "",
        "notes": f"note {n}",
    }
    values.update(cells)
    return [values[name] for name in HEADER]


def dump(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("cases", "appeals", "districts", "elections")
        ]
    finally:
        conn.close()


def dereg(*args: str, env: dict | None = None, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dereg", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true", **(env or {})},
        timeout=300,
        **options,
    )


# Invalid rows found by each side: the reading process finds the bad date, the bad amount, the
# short row and the control character; the writing process the unknown region (a place needs
# the database) and the appeal instance an earlier row gave (a case needs what was written).
MIXED = [
    *(row(n) for n in range(1, 2000)),
    row(2000, decided_on="2016-02-31"),
    row(2001, region="Atlantis"),
    row(2002, discrepancy_amount="12,5,0"),
    row(5, appeal_court="Almaty court", appeal_instance="first", appeal_outcome="upheld"),
    row(5, appeal_court="Almaty court", appeal_instance="first", appeal_outcome="reinstated"),
    row(2003)[:5],
    row(2004, notes="bell \x07"),
    *(row(n) for n in range(2005, 4500)),
]


@pytest.mark.parametrize("skip", [False, True], ids=["all-or-nothing", "skip-invalid"])
def test_both_sides_problems_are_the_same_as_in_one_process(tmp_path, skip):
    source = write(tmp_path / "mixed.csv", MIXED)
    outputs = {}
    for processes in ("1", "2"):
        database, rejects = tmp_path / f"{processes}.db", tmp_path / f"rejects-{processes}.csv"
        options = ["--skip-invalid", "--rejects", str(rejects)] if skip else []
        result = dereg(
            "--db", str(database), "import", "cases", str(source), *options,
            env={"DEREG_IMPORT_PROCESSES": processes},
        )  # fmt: skip
        outputs[processes] = (
            result.returncode,
            result.stdout,
            result.stderr.replace(str(database), "DB").replace(str(rejects), "REJECTS"),
            rejects.read_bytes() if rejects.exists() else None,
            dump(database),
        )
    assert outputs["1"] == outputs["2"]
    status, stdout, stderr, rejected, _ = outputs["2"]
    lines = [line for line in stderr.splitlines() if line.startswith("line ")]
    assert [line.split(":")[0] for line in lines] == [
        "line 2001", "line 2002", "line 2003", "line 2005", "line 2006", "line 2007"
    ]  # fmt: skip
    assert "Atlantis" in lines[1] and "the same appeal instance 'first' as line 2004" in lines[3]
    if skip:
        assert status == 0 and "rejected 6" in stdout
        assert rejected.decode("utf-8-sig").count("\r\n") == 7  # the header and six rows, in order
    else:
        assert status == 1 and stdout == "" and rejected is None


def test_a_broken_quote_is_an_error_naming_its_line_and_writes_nothing(tmp_path):
    source = tmp_path / "broken.csv"
    write(source, [row(n) for n in range(1, 3000)])
    with open(source, "a", encoding="utf-8") as f:
        f.write('2016 maslikhat,Almaty,okrug 1,"Never closed,refused,2016-02-01,1,,,,\r\n')
    result = dereg("--db", str(tmp_path / "b.db"), "import", "cases", str(source))
    assert result.returncode == 1
    assert "line 3001" in result.stderr and "nothing was written" in result.stderr
    assert dump(tmp_path / "b.db")[0] == []


def test_standard_input_is_read_by_the_reading_process(tmp_path):
    source = write(tmp_path / "in.csv", [row(n) for n in range(1, 20_001)])  # more than a pipe holds
    with open(source, "rb") as stdin:
        piped = dereg("--db", str(tmp_path / "piped.db"), "import", "cases", "-", stdin=stdin)
    named = dereg("--db", str(tmp_path / "named.db"), "import", "cases", str(source))
    assert named.returncode == 0, named.stderr
    assert piped.returncode == 0 and piped.stdout == "inserted 20000, updated 0, unchanged 0, rejected 0\n"
    assert dump(tmp_path / "piped.db")[:2] == dump(tmp_path / "named.db")[:2]


def test_the_file_hash_in_the_audit_is_of_the_whole_file(tmp_path):
    import hashlib
    import json

    source = write(tmp_path / "h.csv", [row(n) for n in range(1, 5000)])
    assert dereg("--db", str(tmp_path / "h.db"), "import", "cases", str(source)).returncode == 0
    conn = sqlite3.connect(tmp_path / "h.db")
    (after,) = conn.execute("SELECT after FROM audit_log WHERE entity = 'import'").fetchone()
    conn.close()
    assert json.loads(after)["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def started_import(tmp_path: Path) -> tuple[subprocess.Popen, int, Path]:
    """An import from a pipe kept open: well into its rows, its reader waiting for more."""
    database = tmp_path / "cases.db"
    assert dereg("--db", str(database), "case", "add", "--election", "2016 maslikhat", "--region", "Almaty",
                 "--district", "okrug 1", "--candidate", "Recorded", "--decision", "refused",
                 "--decided-on", "2016-02-01").returncode == 0  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "dereg", "--db", str(database), "import", "cases", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "CI": "true"},
    )
    text = (tmp_path / "rows.csv").open("w", encoding="utf-8", newline="")
    csv.writer(text, lineterminator="\r\n").writerows([HEADER, *(row(n) for n in range(1, 30_000))])
    text.close()
    process.stdin.write((tmp_path / "rows.csv").read_bytes())
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while not (readers := children(process.pid)):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(1.0)  # the rows read, written into the open transaction
    (reader,) = readers
    return process, reader, database


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_ctrl_c_mid_import_rolls_back_exits_130_and_leaves_no_reader(tmp_path):
    process, reader, database = started_import(tmp_path)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode().endswith("interrupted: the change was rolled back, nothing of it was written\n")
    assert not alive(reader)
    assert [c[2] for c in dump(database)[0]] == ["Recorded"]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_a_killed_import_writes_nothing_and_its_reader_ends(tmp_path):
    process, reader, database = started_import(tmp_path)
    process.kill()
    process.wait(timeout=60)
    process.stdin.close()  # the reader reads to the end of its input, then finds no one to send to
    deadline = time.monotonic() + 30
    while alive(reader):
        assert time.monotonic() < deadline, "the reading process outlived the import"
        time.sleep(0.05)
    assert [c[2] for c in dump(database)[0]] == ["Recorded"]
    check = dereg("--db", str(database), "check")
    assert check.returncode == 0, check.stderr


def test_an_unforeseen_failure_in_the_reader_is_reported_not_hung(tmp_path, monkeypatch):
    """A bug on the reading side ends the import with an error, and the child is waited for."""
    from dereg import db
    from dereg.csvio.source import open_source

    def broken(cells):
        raise ZeroDivisionError("reader bug")

    source_path = write(tmp_path / "x.csv", [row(n) for n in range(1, 50)])
    conn = db.scratch()
    with open_source(str(source_path)) as source:
        header = source.header()
        with pytest.raises(RuntimeError, match="reader bug"):
            with reading.ReaderProcess(source, broken, header) as rows:
                list(rows)
        assert rows.finished is False
    conn.close()


def test_indexes_set_aside_by_a_large_import_are_made_again_or_rolled_back(tmp_path, monkeypatch):
    """An import much larger than what is recorded drops the indexes no constraint needs and
    makes them again before its rules run; one that fails leaves them as they were."""
    from dereg import db
    from dereg.csvio import cases
    from dereg.csvio.pipeline import InvalidRows, import_cases
    from dereg.csvio.source import open_source

    monkeypatch.setattr(cases, "SET_ASIDE_AFTER", 10)
    conn = db.connect(tmp_path / "i.db")

    def indexes() -> list[tuple]:
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        ).fetchall()

    before = indexes()
    assert {"cases_district", "cases_person", "appeals_outcome"} <= {name for name, _ in before}
    dropped = []
    real = cases.set_indexes_aside
    monkeypatch.setattr(cases, "set_indexes_aside", lambda c: dropped.append(1) or real(c))
    good = write(
        tmp_path / "good.csv", [row(n, appeal_court="c", appeal_outcome="upheld") for n in range(1, 6000)]
    )
    with open_source(str(good)) as source:
        assert import_cases(conn, source, actor="t").inserted == 5999
    assert dropped and indexes() == before
    bad = write(tmp_path / "bad.csv", [*(row(n) for n in range(6000, 12000)), row(1, region="Atlantis")])
    with open_source(str(bad)) as source, pytest.raises(InvalidRows):
        import_cases(conn, source, actor="t")
    assert len(dropped) == 2 and indexes() == before
    assert conn.execute("SELECT count(*) FROM cases").fetchone() == (5999,)
    assert (
        conn.execute("PRAGMA cache_size").fetchone()[0]
        == db.connect(tmp_path / "j.db").execute("PRAGMA cache_size").fetchone()[0]
    )  # the import's cache is given back
    conn.close()
