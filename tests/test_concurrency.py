"""Many hands at once, as real processes on one file: nothing lost, nobody turned away, and a
backup taken meanwhile holds whole transactions only.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

ADDERS, CASES_EACH, IMPORTED = 8, 40, 20_000

# A worker runs `dereg case add` through the real command line (a connection per command, as
# from a shell; the command tree is built once, which typer would do on every call), at least
# CASES_EACH times, and, given a stop file, on until it appears and once more; it prints its count.
ADDER = textwrap.dedent(
    """
    import os, sys
    import typer
    from dereg.cli import app

    dereg = typer.main.get_command(app)
    worker, count = sys.argv[1], int(sys.argv[2])
    stop = sys.argv[3] if len(sys.argv) > 3 else None

    def add(n):
        code = dereg.main(["--actor", f"worker-{worker}", "case", "add", "--no-input",
                           "--election", "2016 maslikhat", "--region", "Almaty",
                           "--district", f"okrug {worker}", "--candidate", f"Worker {worker} case {n}",
                           "--decision", "refused", "--decided-on", "2016-03-20", "--amount", f"{n},50"],
                          prog_name="dereg", standalone_mode=False)
        if code:
            sys.exit(f"worker {worker}: case {n} exited {code}")

    n = 0
    while n < count or (stop and not os.path.exists(stop) and n < 100_000):
        add(n)
        if n == 0:
            print("started", file=sys.stderr, flush=True)
        n += 1
    if stop:  # one more, after whatever the test was waiting for
        add(n)
        n += 1
    print(n)
    """
)


def start_adders(db_path, stop=None) -> list[subprocess.Popen]:
    env = {**os.environ, "DEREG_DB": str(db_path)}
    return [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(worker), str(CASES_EACH), *([str(stop)] if stop else [])],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(ADDERS)
    ]


def finish(processes: list[subprocess.Popen]) -> list[int]:
    """Each worker's count of cases added; every one must have exited 0, saying nothing else."""
    counts = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert (process.returncode, err.replace("started\n", "")) == (0, ""), err
        *ids, count = out.split()  # `case add` prints each new id, the worker its count
        assert len(ids) == int(count)
        counts.append(int(count))
    return counts


def dereg(db_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEREG_DB": str(db_path)}
    return subprocess.run(
        [sys.executable, "-m", "dereg", *args], env=env, capture_output=True, text=True, timeout=300
    )


def assert_every_added_case_is_there(db_path, counts: list[int]) -> list[int]:
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT c.id, c.candidate, c.amount_minor, a.actor FROM cases c "
        "JOIN audit_log a ON a.entity = 'case' AND a.entity_id = c.id AND a.command = 'case add' "
        "WHERE c.candidate LIKE 'Worker %' ORDER BY c.id"
    ).fetchall()
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    expected = {
        (f"Worker {w} case {n}", n * 100 + 50, f"worker-{w}") for w in range(ADDERS) for n in range(counts[w])
    }
    assert {row[1:] for row in rows} == expected and len(rows) == len(expected)
    return [row[0] for row in rows]


def test_eight_processes_adding_at_once_to_a_new_file_lose_nothing(tmp_path):
    db_path = tmp_path / "cases.db"  # does not exist yet: the eight race to create it
    counts = finish(start_adders(db_path))
    assert counts == [CASES_EACH] * ADDERS
    assert_every_added_case_is_there(db_path, counts)
    checked = dereg(db_path, "check")
    assert (checked.returncode, checked.stdout) == (0, "no problems found\n")


def write_import_file(path, rows: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["election", "region", "district", "candidate", "decision", "decided_on", "discrepancy_amount"]
        )
        for n in range(rows):
            writer.writerow(
                [
                    "2016 maslikhat",
                    "Almaty oblast",
                    f"okrug {n % 97}",
                    f"Imported {n}",
                    "cancelled",
                    "21.03.2016",
                    f"{n % 1000}.{n % 100:02d}",
                ]
            )


def importer_ready() -> None:
    pytest.importorskip("dereg.csvio.pipeline")
    from dereg.cli import app

    if "import" not in {group.name for group in app.registered_groups}:
        pytest.skip("dereg import is not registered yet")


def test_eight_adders_and_an_import_of_20000_rows_at_once_lose_nothing(tmp_path):
    importer_ready()
    db_path, stop = tmp_path / "cases.db", tmp_path / "stop"
    source = tmp_path / "cases.csv"
    write_import_file(source, IMPORTED)
    adders = start_adders(db_path, stop)
    assert adders[0].stderr.readline() == "started\n"  # the adders are at work
    importing = dereg(db_path, "import", "cases", str(source))
    stop.touch()  # each adder adds one more case, after the import, and stops
    assert (importing.returncode, importing.stdout) == (
        0,
        f"inserted {IMPORTED}, updated 0, unchanged 0, rejected 0\n",
    ), importing.stderr
    counts = finish(adders)

    ids = assert_every_added_case_is_there(db_path, counts)
    conn = sqlite3.connect(db_path)
    imported = conn.execute(
        "SELECT min(id), max(id), count(*), count(DISTINCT candidate) FROM cases "
        "WHERE candidate LIKE 'Imported %'"
    ).fetchone()
    conn.close()
    assert imported[2:] == (IMPORTED, IMPORTED)
    # The import went in while the adders were at work: their cases lie on both sides of it,
    # and the import's rows are one block (one transaction).
    assert min(ids) < imported[0] and max(ids) > imported[1]
    assert imported[1] - imported[0] + 1 == IMPORTED
    checked = dereg(db_path, "check")
    assert (checked.returncode, checked.stdout) == (0, "no problems found\n")


def test_backups_during_an_import_hold_the_state_before_or_after_it(tmp_path):
    importer_ready()
    db_path = tmp_path / "cases.db"
    source = tmp_path / "cases.csv"
    write_import_file(source, IMPORTED)
    added = dereg(
        db_path,
        "case",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "Almaty",
        "--district",
        "okrug 1",
        "--candidate",
        "Before the import",
        "--decision",
        "refused",
        "--decided-on",
        "2016-03-20",
    )
    assert added.returncode == 0, added.stderr
    before = 1
    env = {**os.environ, "DEREG_DB": str(db_path)}
    importing = subprocess.Popen(
        [sys.executable, "-m", "dereg", "import", "cases", str(source)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    counts, during = [], 0
    while importing.poll() is None or not counts:
        running = importing.poll() is None
        target = tmp_path / f"backup-{len(counts)}.db"
        backed_up = dereg(db_path, "backup", str(target))
        assert backed_up.returncode == 0, backed_up.stderr
        during += running and importing.poll() is None  # the import ran all along this backup
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        counts.append(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
        conn.close()
        time.sleep(0.01)
    assert (
        importing.communicate(timeout=300)[0] == f"inserted {IMPORTED}, updated 0, unchanged 0, rejected 0\n"
    )
    assert set(counts) <= {before, before + IMPORTED}, counts  # never a part of the import
    assert during >= 1  # at least one backup ran from start to end while the import did
    assert dereg(db_path, "backup", str(tmp_path / "after.db")).returncode == 0
    conn = sqlite3.connect(tmp_path / "after.db")
    assert conn.execute("SELECT count(*) FROM cases").fetchone() == (before + IMPORTED,)
    conn.close()
