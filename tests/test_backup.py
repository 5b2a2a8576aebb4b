"""`dereg backup FILE`: a verified private copy, one moment's state even while others write."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest
from conftest import CASE, ok
from fsfaults import fill_disk, small_disk  # noqa: F401 (fixture)


def outcome(result) -> tuple:
    return result.exit_code, result.stdout, result.stderr


def contents(path) -> dict:
    """What a restore must give back: the cases as users see them, appeals, the audit log."""
    conn = sqlite3.connect(path)
    try:
        return {
            query: conn.execute(query).fetchall()
            for query in (
                "SELECT * FROM case_overview ORDER BY id",
                "SELECT * FROM appeals ORDER BY id",
                "SELECT * FROM audit_log ORDER BY id",
                "PRAGMA user_version",
            )
        }
    finally:
        conn.close()


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def leftovers(folder) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".partial") or "-journal" in name)


@pytest.fixture
def recorded(run, db_path):
    ok(run, *CASE, "Nistoly Marina", "--amount", "83")
    ok(run, *CASE, "Тулесова Асья", "--amount", "0,78")
    ok(run, "appeal", "add", "1", "--court", "Petropavlovsk city court", "--outcome", "upheld")
    return db_path


def test_a_backup_is_a_private_verified_copy_of_everything(run, recorded, tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "backup-2016-03-21.db"
        result = run("backup", str(target))
    finally:
        os.umask(old)
    size = target.stat().st_size
    assert outcome(result) == (
        0,
        f"backed up '{recorded}' to '{target}': 2 cases, 1 appeals, {size} bytes; integrity ok\n",
        "",
    )
    assert mode(target) == 0o600
    assert contents(target) == contents(recorded)
    conn = sqlite3.connect(target)
    # One self-contained file: no -wal needed beside it to read it.
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert leftovers(tmp_path) == []


def test_a_backup_is_private_even_with_umask_0(run, recorded, tmp_path):
    old = os.umask(0)
    try:
        ok(run, "backup", str(tmp_path / "b.db"))
    finally:
        os.umask(old)
    assert mode(tmp_path / "b.db") == 0o600


def test_an_existing_file_is_kept_unless_force(run, recorded, tmp_path):
    target = tmp_path / "b.db"
    target.write_text("an older backup")
    result = run("backup", str(target))
    assert outcome(result) == (
        1,
        "",
        f"Error: backup '{target}' exists: name another file, or add --force to replace it\n",
    )
    assert target.read_text() == "an older backup"
    assert ok(run, "backup", str(target), "--force").startswith(
        f"backed up '{recorded}' to '{target}': 2 cases"
    )
    assert contents(target) == contents(recorded)
    assert leftovers(tmp_path) == []


def test_a_backup_never_overwrites_the_database_itself(run, recorded):
    for extra in ((), ("--force",)):
        result = run("backup", str(recorded), *extra)
        assert outcome(result) == (
            1,
            "",
            f"Error: '{recorded}' is the database: name another file to write\n",
        )
    assert ok(run, "check") == "no problems found\n"


def test_a_folder_or_a_missing_folder_as_the_target(run, recorded, tmp_path):
    assert outcome(run("backup", str(tmp_path))) == (
        1,
        "",
        f"Error: backup '{tmp_path}' is a folder: name a file to write\n",
    )
    missing = tmp_path / "nowhere" / "b.db"
    assert outcome(run("backup", str(missing))) == (
        1,
        "",
        f"Error: backup '{missing}': folder '{missing.parent}' does not exist\n",
    )


def test_backing_up_a_database_that_does_not_exist_creates_nothing(run, tmp_path):
    source, target = tmp_path / "typo.db", tmp_path / "b.db"
    result = run("--db", str(source), "backup", str(target))
    assert outcome(result) == (1, "", f"Error: database '{source}' does not exist: nothing to back up\n")
    assert not source.exists() and not target.exists()


def test_a_damaged_database_gives_no_backup(run, recorded, tmp_path):
    conn = sqlite3.connect(recorded, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")  # the index no longer matches its table
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'amount_minor', 'decided_on') "
        "WHERE name = 'cases_district'"
    )
    conn.close()
    target = tmp_path / "b.db"
    target.write_text("an older backup")
    result = run("backup", str(target), "--force")
    assert outcome(result) == (
        1,
        "",
        "Error: the copy fails SQLite's integrity check (row 1 missing from index cases_district): "
        "the database itself is damaged; no backup was written; run 'dereg check'\n",
    )
    assert target.read_text() == "an older backup"
    assert leftovers(tmp_path) == []


def test_a_full_disk_leaves_no_partial_backup_and_keeps_the_old_one(run, recorded, small_disk):
    for n in range(40):  # a database larger than what will be left on the small disk
        ok(run, *CASE, f"Candidate {n}", "--notes", "n" * 2000)
    target = small_disk / "b.db"
    target.write_text("an older backup")
    filler = fill_disk(small_disk)
    result = run("backup", str(target), "--force")
    assert outcome(result)[:2] == (1, "")
    assert result.stderr in (
        f"Error: backup '{target}': the disk is full; no backup was written; free some space and retry\n",
        f"Error: backup '{target}' cannot be written: No space left on device; no backup was written\n",
    )
    assert target.read_text() == "an older backup"
    assert leftovers(small_disk) == []
    filler.unlink()
    assert ok(run, "backup", str(target), "--force").startswith(f"backed up '{recorded}' to '{target}'")


def test_restoring_a_backup_as_the_readme_says(run, recorded, tmp_path):
    """README: move the damaged file and its -wal/-shm aside, copy the backup in, check."""
    backup = tmp_path / "b.db"
    ok(run, "backup", str(backup))
    expected = contents(recorded)
    ok(run, *CASE, "After the backup")
    recorded.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)  # the disaster
    aside = tmp_path / "damaged"
    aside.mkdir()
    for name in ("cases.db", "cases.db-wal", "cases.db-shm"):
        if (tmp_path / name).exists():
            shutil.move(tmp_path / name, aside / name)
    shutil.copy2(backup, recorded)
    assert mode(recorded) == 0o600  # cp -p keeps the backup's mode
    assert ok(run, "check") == "no problems found\n"
    assert contents(recorded) == expected
    conn = sqlite3.connect(recorded)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # dereg turned WAL back on
    conn.close()
    assert ok(run, *CASE, "After the restore") == "3\n"


# A writer that commits batches of BATCH cases, each batch one transaction, until stopped.
WRITER = textwrap.dedent(
    """
    import sys
    from dereg.cases import add_case
    from dereg.db import connect, transaction

    conn = connect(sys.argv[1])
    for batch in range(int(sys.argv[2])):
        with transaction(conn):
            for n in range(int(sys.argv[3])):
                add_case(conn, "writer", {
                    "election": "2016 maslikhat", "region": "Almaty", "district": f"okrug {batch}",
                    "candidate": f"C{n}", "decision": "refused", "decided_on": "2016-03-20"})
        print(batch, flush=True)
    """
)


def test_backups_taken_while_another_process_writes_hold_whole_transactions(run, db_path, tmp_path):
    batches, batch = 60, 50
    ok(run, "init")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(batches), str(batch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    try:
        assert writer.stdout.readline() == "0\n"  # the first batch is in
        n = 0
        while writer.poll() is None or not seen:
            n += 1
            target = tmp_path / f"b{n}.db"
            ok(run, "backup", str(target))
            conn = sqlite3.connect(target)
            count = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
            audit = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            conn.close()
            assert count % batch == 0 and audit == count, (n, count, audit)  # whole batches only
            seen.append(count)
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0, writer.stderr.read()
    assert len(seen) >= 2 and seen == sorted(seen)


def test_a_backup_during_an_open_transaction_holds_the_state_before_it(run, recorded, tmp_path):
    before = contents(recorded)
    writer = sqlite3.connect(recorded, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE cases SET notes = 'half done'")
    writer.execute("DELETE FROM appeals")
    try:
        ok(run, "backup", str(tmp_path / "during.db"))
    finally:
        writer.execute("COMMIT")
        writer.close()
    ok(run, "backup", str(tmp_path / "after.db"))
    assert contents(tmp_path / "during.db") == before
    after = contents(tmp_path / "after.db")
    assert after == contents(recorded) != before
