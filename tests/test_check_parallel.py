"""`dereg check` shared with helper processes (dereg.parallel): the same problems, in the same
order, from one snapshot; a helper that fails leaves its parts to the command; Ctrl-C leaves
no process behind."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from dereg import check, db, parallel
from dereg.cases import add_case

TODAY = date(2016, 4, 1)
CASES = 40
# Cases whose search text or keys are changed behind dereg's back, each in another range of
# ids (DERIVED_PARTS of them): 29 also becomes a twin of case 1, in its district.
STALE = (3, 14, 22, 29, 40)


def add(conn, candidate: str, district: str, **values) -> int:
    raw = {
        "election": "2016 maslikhat",
        "region": "Almaty",
        "district": district,
        "candidate": candidate,
        "decision": "refused",
        "decided_on": "2016-03-20",
        **values,
    }
    return add_case(conn, "tester", raw)


@pytest.fixture
def damaged(db_path):
    """CASES cases and two of one person; problems in nearly every check: stale keys and
    search texts, a twin, a date in the future, an index out of step with its table."""
    conn = db.connect(db_path)
    with db.transaction(conn):
        for n in range(1, CASES + 1):
            add(conn, f"Candidate {n}", f"okrug {n % 7}", notes=f"note {n}")
        add(conn, "Тулесова Асья", "okrug 1")
        add(conn, "Asya Tulesova", "okrug 2")
    conn.close()
    raw = sqlite3.connect(db_path, isolation_level=None)
    raw.execute("UPDATE cases SET search = 'stale' WHERE id IN (3, 22)")
    raw.execute("UPDATE cases SET person_key = 'stale' WHERE id = 14")
    raw.execute("UPDATE cases SET candidate = 'CANDIDATE  1' WHERE id = 29")  # okrug 1, as case 1
    raw.execute("UPDATE cases SET candidate_key = 'x' WHERE id = 40")
    raw.execute("UPDATE cases SET decided_on = '2016-05-01' WHERE id = 5")
    raw.execute("PRAGMA writable_schema = ON")
    raw.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'amount_minor', 'decided_on') WHERE name = 'cases_district'"
    )
    raw.close()
    return db_path


def children() -> set[int]:
    """This process's child processes."""
    found = set()
    for task in Path("/proc/self/task").iterdir():
        found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


def test_each_part_worked_out_by_a_helper_is_the_same_as_here(damaged):
    conn = db.connect(damaged)
    parts = [*check._parts(), check._Part(check.LIKELY)]
    conn.execute("BEGIN")
    try:
        (helper,) = parallel._start(conn, 1, check._run_part, (TODAY,))
        try:
            for part in parts:
                helper.send(("part", part))
                assert helper.expect("done")[1] == check._run_part(conn, part, TODAY), part
        finally:
            helper.stop()
    finally:
        conn.execute("ROLLBACK")
    # Each stale case lies in another range of ids: another part.
    derived = [part for part in parts if check.CHECKS[part.check][1] is check.derived_columns]
    conn.execute("BEGIN")
    found = [
        {problem.subject.split()[1] for problem in check._run_part(conn, part, TODAY).found}
        for part in derived
    ]
    conn.execute("ROLLBACK")
    assert [ids for ids in found if ids] == [{str(n)} for n in STALE]
    assert not children()


def test_the_check_with_helpers_lists_what_it_lists_alone(damaged):
    conn = db.connect(damaged)
    alone = check.check_with_likely_persons(conn, TODAY, helpers=0)
    assert check.check_with_likely_persons(conn, TODAY, helpers=2) == alone
    problems = [str(problem) for problem in alone[0]]
    assert problems[0] == "database: integrity check: row 1 missing from index cases_district"
    assert "case 5 (Candidate 5): decided on 2016-05-01, which is in the future" in problems
    assert [problem.split(":")[0] for problem in problems if "is out of date" in problem] == [
        f"case {n} ({'CANDIDATE  1' if n == 29 else f'Candidate {n}'})" for n in STALE
    ]
    assert problems[-2:] == [
        "case 29 (CANDIDATE  1): is the same candidate in the same district as case 1",
        "database: index cases_district differs from schema.sql",
    ]
    assert alone[1] == [
        "case 41 (Тулесова Асья) and case 42 (Asya Tulesova): likely one person; "
        "'dereg case merge 41 42' unites them"
    ]
    assert not conn.in_transaction and not children()


def test_a_commit_between_the_snapshots_starts_them_again(damaged, monkeypatch):
    """A writer commits after this process's snapshot began and before a helper's: all begin
    again, and every part reads the database as that commit left it."""
    conn = db.connect(damaged)
    reads = []
    real = parallel._data_version

    def version(watch):
        if len(reads) == 1:  # the helpers have begun their first snapshot: a commit now
            writer = sqlite3.connect(damaged, isolation_level=None)
            writer.execute("UPDATE cases SET search = 'stale' WHERE id = 39")
            writer.close()
        reads.append(real(watch))
        return reads[-1]

    monkeypatch.setattr(parallel, "_data_version", version)
    problems = check.check_database(conn, TODAY, helpers=1)
    assert len(reads) == 4 and reads[0] != reads[1] and reads[2] == reads[3]  # a second try held
    stale = [p.subject for p in problems if "is out of date" in p.message]
    assert stale == [check._case(conn, n) for n in sorted({*STALE, 39})]
    monkeypatch.undo()
    assert check.check_database(conn, TODAY, helpers=0) == problems


def test_commits_that_never_stop_leave_the_check_to_this_process(damaged, monkeypatch):
    conn = db.connect(damaged)
    expected = check.check_database(conn, TODAY, helpers=0)
    counter = iter(range(1000))
    monkeypatch.setattr(parallel, "_data_version", lambda watch: next(counter))
    assert check.check_database(conn, TODAY, helpers=2) == expected
    assert next(counter) == 2 * parallel.SNAPSHOT_TRIES
    assert not children()


def test_a_helper_that_dies_leaves_its_parts_to_this_process(damaged, monkeypatch):
    conn = db.connect(damaged)
    expected = check.check_with_likely_persons(conn, TODAY, helpers=0)
    serve = parallel._Helper.serve

    def die_first(helper, *args):
        helper.kill()
        helper.process.wait()
        serve(helper, *args)

    monkeypatch.setattr(parallel._Helper, "serve", die_first)
    assert check.check_with_likely_persons(conn, TODAY, helpers=2) == expected
    assert not children()


def test_no_helper_for_a_database_in_memory():
    conn = db.scratch()
    assert check.check_database(conn, TODAY, helpers=2) == []
    assert not children()


# --- Ctrl-C ------------------------------------------------------------------------------------

WITH_HELPERS = textwrap.dedent(
    """
    import sys
    from dereg import parallel
    from dereg.cli import app

    parallel.helpers_wanted = lambda: 2  # as on a machine of three cores or more
    app(sys.argv[1:], prog_name="dereg")
    """
)


@pytest.mark.parametrize("command", ["check", "report"])
@pytest.mark.parametrize("whom", ["the command", "its process group, as a terminal does"])
def test_ctrl_c_with_helpers_at_work_exits_130_and_leaves_no_process(db_path, tmp_path, command, whom):
    conn = db.connect(db_path)
    with db.transaction(conn):
        add(conn, "First", "okrug 1")
        # Many valid districts and cases at once (keys and search text as dereg writes them).
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 40000) "
            "INSERT INTO districts (election_id, region_id, name, key) "
            "SELECT election_id, region_id, 'okrug ' || i, 'okrug ' || i FROM n, districts WHERE id = 1"
        )
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 400000) "
            "INSERT INTO cases (district_id, candidate, candidate_key, decision, decided_on, amount_minor, search) "
            "SELECT 1 + i % 40000, 'C' || i, 'c' || i, 'refused', '2016-03-20', i, "
            "'c' || i || ' okrug ' || (1 + i % 40000) FROM n"
        )
    conn.close()
    report = ["-o", str(tmp_path / "r.html")] if command == "report" else []
    process = subprocess.Popen(
        [sys.executable, "-c", WITH_HELPERS, command, *report],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    helpers: set[int] = set()
    deadline = time.monotonic() + 60
    while not (len(helpers) == 2 and max(map(cpu_seconds, helpers)) > 0.3):  # past their start, at work
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.02)
        try:
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
        except FileNotFoundError:
            continue
        helpers = {int(pid) for pid in children.split()}
    if whom == "the command":
        process.send_signal(signal.SIGINT)
    else:
        os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr) == (130, "", "interrupted: nothing was written\n")
    assert not (tmp_path / "r.html").exists()
    for pid in helpers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
