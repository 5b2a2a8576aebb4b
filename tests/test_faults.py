"""Faults end in one line on stderr and exit 1 (130 for Ctrl-C), never a traceback, and never
leave half a change behind: damaged and foreign files, read-only folders, a full disk, a newer
schema, a lock held too long, Ctrl-C. And every file dereg creates is private (0600).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from conftest import CASE, ok
from fsfaults import fill_disk, lockable_folder, read_only, small_disk  # noqa: F401 (fixtures)

from dereg import db, migrations
from dereg.cases import add_case


def cases(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, candidate FROM cases ORDER BY id").fetchall()
    finally:
        conn.close()


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def outcome(result) -> tuple:
    return result.exit_code, result.stdout, result.stderr


def needs_import() -> None:
    """Skip until the CSV importer is registered (it is built alongside)."""
    pytest.importorskip("dereg.csvio.pipeline")
    from dereg.cli import app

    if "import" not in {group.name for group in app.registered_groups}:
        pytest.skip("dereg import is not registered yet")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


# --- files that are not (or no longer) a dereg database --------------------------------------


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(run, tmp_path):
    csv = tmp_path / "cases.csv"
    csv.write_text("election,region\n2016,Almaty\n")
    csv.chmod(0o644)
    result = run("--db", str(csv), "case", "list")
    assert outcome(result) == (1, "", f"Error: '{csv}' is not an SQLite database: check --db or $DEREG_DB\n")
    assert (csv.read_text(), mode(csv)) == ("election,region\n2016,Almaty\n", 0o644)


def test_a_damaged_database_says_restore_from_a_backup(run, db_path):
    ok(run, *CASE, "A")
    db_path.write_bytes(db_path.read_bytes()[:100] + b"\xa5" * 8192)  # the header, then noise
    result = run("case", "list")
    assert outcome(result) == (
        1,
        "",
        f"Error: database '{db_path}' is damaged (database disk image is malformed): restore it "
        "from a backup (README: When things go wrong)\n",
    )


@pytest.mark.parametrize(
    "damage, error",
    [
        (lambda data: data[: len(data) // 2], "database disk image is malformed"),  # a copy cut short
        (lambda data: data[:16] + b"\xff" * 8000, "file is not a database"),  # a broken header
    ],
)
def test_a_truncated_or_scrambled_database_says_restore_from_a_backup(run, db_path, damage, error):
    ok(run, *CASE, "A")
    db_path.write_bytes(damage(db_path.read_bytes()))
    for args in (("case", "list"), ("check",), ("backup", f"{db_path}.bak")):
        assert outcome(run(*args)) == (
            1,
            "",
            f"Error: database '{db_path}' is damaged ({error}): restore it from a backup "
            "(README: When things go wrong)\n",
        ), args


@pytest.mark.no_database
def test_an_sqlite_database_of_another_program_is_refused(run, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    result = run("case", "list")
    assert outcome(result) == (1, "", f"Error: '{db_path}' is an SQLite database, but not a dereg one\n")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("photos",)]


def test_a_database_from_a_newer_dereg_is_refused_and_left_alone(run, db_path):
    ok(run, *CASE, "A")
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()
    for args in (("case", "list"), (*CASE, "B"), ("check",), ("backup", str(db_path) + ".bak")):
        result = run(*args)
        assert outcome(result) == (
            1,
            "",
            f"Error: database '{db_path}' has schema version {migrations.SCHEMA_VERSION + 1}, newer than "
            f"this dereg understands ({migrations.SCHEMA_VERSION}): upgrade dereg\n",
        ), args
    assert db_path.read_bytes() == before
    assert not os.path.exists(str(db_path) + ".bak")


def test_a_folder_or_a_missing_folder_as_the_database(run, tmp_path):
    assert outcome(run("--db", str(tmp_path), "case", "list")) == (
        1,
        "",
        f"Error: database '{tmp_path}' is a folder, not a file\n",
    )
    missing = tmp_path / "nowhere" / "cases.db"
    assert outcome(run("--db", str(missing), "case", "list")) == (
        1,
        "",
        f"Error: database '{missing}' does not exist: check --db or $DEREG_DB\n",
    )
    assert outcome(run("--db", str(missing), *CASE, "A")) == (
        1,
        "",
        f"Error: database '{missing}': folder '{missing.parent}' does not exist\n",
    )


# --- read-only --------------------------------------------------------------------------------


def test_a_database_in_a_read_only_folder(run, lockable_folder):
    path = lockable_folder / "cases.db"
    ok(run, "--db", str(path), *CASE, "A")
    with read_only(lockable_folder):
        for args in (("case", "list"), (*CASE, "B")):
            result = run("--db", str(path), *args)
            assert outcome(result) == (
                1,
                "",
                f"Error: database '{path}' is in a read-only folder: dereg needs to write beside "
                "it, even to read; copy it to a writable folder\n",
            )
    assert cases(path) == [(1, "A")]


def test_a_backup_on_read_only_media_can_be_read_but_not_changed(run, db_path, lockable_folder):
    ok(run, *CASE, "A")
    copy = lockable_folder / "copy.db"
    ok(run, "backup", str(copy))
    with read_only(lockable_folder):
        listed = run("--db", str(copy), "case", "list", "--format", "csv")
        assert (listed.exit_code, listed.stdout.splitlines()[1][:2]) == (0, "1,")
        result = run("--db", str(copy), *CASE, "B")
        assert outcome(result) == (
            1,
            "",
            f"Error: database '{copy}' is read-only (the file, its folder or the disk): nothing was "
            "written; check the permissions, or work on a copy in a writable folder\n",
        )
    assert cases(copy) == [(1, "A")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a 0444 file regardless")
def test_a_read_only_database_file_in_a_writable_folder(run, db_path):
    ok(run, *CASE, "A")
    db_path.chmod(0o400)
    try:
        assert run("case", "list").exit_code == 0
        result = run(*CASE, "B")
    finally:
        db_path.chmod(0o600)
    assert outcome(result) == (
        1,
        "",
        f"Error: database '{db_path}' is read-only (the file, its folder or the disk): nothing was "
        "written; check the permissions, or work on a copy in a writable folder\n",
    )
    assert cases(db_path) == [(1, "A")]


# --- a full disk ------------------------------------------------------------------------------


def test_a_full_disk_writes_nothing_and_freeing_space_recovers(run, small_disk):
    path = small_disk / "cases.db"
    ok(run, "--db", str(path), *CASE, "A")
    filler = fill_disk(small_disk)
    result = run("--db", str(path), *CASE, "B", "--notes", "n" * 50_000)
    assert outcome(result) == (
        1,
        "",
        f"Error: the disk holding '{path}' is full: nothing was written; free some space and retry\n",
    )
    filler.unlink()
    assert cases(path) == [(1, "A")]
    assert ok(run, "--db", str(path), "check") == "no problems found\n"
    assert ok(run, "--db", str(path), *CASE, "B", "--notes", "n" * 50_000) == "2\n"


def test_a_full_disk_during_an_import_says_so(run, small_disk, tmp_path):
    needs_import()
    path = small_disk / "cases.db"
    ok(run, "--db", str(path), *CASE, "A")
    source = tmp_path / "large.csv"  # far more than the 2 MB disk holds
    with open(source, "w", encoding="utf-8") as file:
        file.write("election,region,district,candidate,decision,decided_on,notes\n")
        file.writelines(
            f"2016 maslikhat,Almaty,okrug {n % 97},Imported {n},refused,2016-03-20,{'n' * 40}\n"
            for n in range(30_000)
        )
    result = run("--db", str(path), "import", "cases", str(source))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.endswith(
        f"Error: the disk holding '{path}' is full: nothing was written; free some space and retry\n"
    )
    assert cases(path) == [(1, "A")]


def test_a_full_database_rolls_the_whole_change_back(db_path):
    """Where no small disk can be mounted, SQLite's page limit gives the same error, in the core."""
    conn = db.connect(db_path)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    raw = {
        "election": "2016 maslikhat",
        "region": "Almaty",
        "district": "okrug 1",
        "decision": "refused",
        "decided_on": "2016-03-20",
    }
    with pytest.raises(sqlite3.OperationalError) as failure, db.transaction(conn):
        for n in range(50):
            add_case(conn, "tester", {**raw, "candidate": f"C{n}", "notes": "n" * 4000})
    assert failure.value.sqlite_errorname == "SQLITE_FULL"
    assert db.describe(failure.value, db_path) == (
        f"the disk holding '{db_path}' is full: nothing was written; free some space and retry"
    )
    assert not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM cases").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)


# --- locks ------------------------------------------------------------------------------------


def test_a_lock_held_past_the_timeout_is_an_error_naming_the_wait(run, db_path, monkeypatch):
    ok(run, *CASE, "A")
    monkeypatch.setenv("DEREG_BUSY_TIMEOUT", "0.3")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run(*CASE, "B")
        reading = run("case", "list", "--format", "csv")  # readers are not blocked (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert outcome(result) == (
        1,
        "",
        f"Error: database '{db_path}' is busy: another program kept it locked for over 0.3 s; "
        "nothing was written; try again (DEREG_BUSY_TIMEOUT sets the wait)\n",
    )
    assert reading.exit_code == 0 and reading.stdout.count("\n") == 2
    assert ok(run, *CASE, "B") == "2\n"


def test_a_lock_released_within_the_timeout_is_waited_for(run, db_path, monkeypatch):
    ok(run, *CASE, "A")
    monkeypatch.setenv("DEREG_BUSY_TIMEOUT", "20")
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE cases SET notes = 'held' WHERE id = 1")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        assert ok(run, *CASE, "B") == "2\n"
    finally:
        release.join()
        holder.close()
    assert cases(db_path) == [(1, "A"), (2, "B")]


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "1e9"])
def test_a_busy_timeout_that_is_not_seconds_is_an_error(run, monkeypatch, value):
    monkeypatch.setenv("DEREG_BUSY_TIMEOUT", value)
    assert outcome(run("case", "list")) == (
        1,
        "",
        f"Error: DEREG_BUSY_TIMEOUT must be a number of seconds (0 to 86400), not {value!r}\n",
    )


# --- Ctrl-C -----------------------------------------------------------------------------------

# A long write through the real CLI machinery: a command added for the test, run by `dereg`.
LONG_WRITE = textwrap.dedent(
    """
    import typer
    from dereg.cases import add_case
    from dereg.cli import app
    from dereg.cli.kit import connect, handles_errors
    from dereg.db import transaction

    @app.command("long-write")
    @handles_errors
    def long_write(ctx: typer.Context) -> None:
        conn = connect(ctx)
        with transaction(conn):
            for n in range(1_000_000):
                add_case(conn, "tester", {
                    "election": "2016 maslikhat", "region": "Almaty", "district": "okrug 1",
                    "candidate": f"C{n}", "decision": "refused", "decided_on": "2016-03-20"})
                if n == 300:
                    print("writing", flush=True)

    app(["long-write"], prog_name="dereg")
    """
)


def interrupt(process: subprocess.Popen) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


def test_ctrl_c_during_a_long_write_rolls_it_back_and_exits_130(run, db_path):
    ok(run, *CASE, "A")
    process = subprocess.Popen(
        [sys.executable, "-c", LONG_WRITE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout.readline() == "writing\n"  # 300 cases into its transaction
    assert interrupt(process) == (130, "interrupted: the change was rolled back, nothing of it was written\n")
    assert cases(db_path) == [(1, "A")]
    assert ok(run, "check") == "no problems found\n"


def test_ctrl_c_while_waiting_for_a_lock_is_heard_at_once(run, db_path):
    ok(run, *CASE, "A")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    env = {**os.environ, "DEREG_BUSY_TIMEOUT": "600"}
    process = subprocess.Popen(
        [sys.executable, "-m", "dereg", *CASE, "B"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.5)  # started, connected, now waiting for the write lock
        assert process.poll() is None
        assert interrupt(process) == (130, "interrupted: nothing was written\n")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert cases(db_path) == [(1, "A")]


def test_ctrl_c_during_a_large_import_rolls_it_back_and_exits_130(run, db_path, tmp_path):
    needs_import()
    ok(run, *CASE, "A")
    source = tmp_path / "large.csv"
    with open(source, "w", encoding="utf-8") as file:
        file.write("election,region,district,candidate,decision,decided_on,notes\n")
        file.writelines(
            f"2016 maslikhat,Almaty,okrug {n % 97},Imported {n},refused,2016-03-20,{'n' * 40}\n"
            for n in range(300_000)
        )
    wal = tmp_path / "cases.db-wal"
    process = subprocess.Popen(
        [sys.executable, "-m", "dereg", "import", "cases", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    # Rows spill from the import's transaction into the -wal file long before it commits.
    while not (wal.exists() and wal.stat().st_size > 4_000_000):
        assert process.poll() is None and time.monotonic() < deadline, "the import ended before Ctrl-C"
        time.sleep(0.02)
    assert interrupt(process) == (
        130,
        "encoding: utf-8\ninterrupted: the change was rolled back, nothing of it was written\n",
    )
    assert cases(db_path) == [(1, "A")]
    assert ok(run, "check") == "no problems found\n"


# --- private files ----------------------------------------------------------------------------


def test_the_database_and_its_wal_and_shm_are_private_whatever_the_umask(run, db_path, umask_022):
    ok(run, *CASE, "A")
    reader = sqlite3.connect(db_path)  # keeps -wal and -shm in place while dereg writes
    reader.execute("SELECT count(*) FROM cases").fetchall()
    try:
        ok(run, *CASE, "B")
        wal, shm = f"{db_path}-wal", f"{db_path}-shm"
        assert (mode(db_path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        reader.close()


def test_an_existing_database_copied_with_a_loose_mode_is_tightened(run, db_path, tmp_path, umask_022):
    ok(run, *CASE, "A")
    loose = tmp_path / "copied.db"
    loose.write_bytes(db_path.read_bytes())
    loose.chmod(0o644)
    wal = tmp_path / "copied.db-wal"
    wal.write_bytes(b"")
    wal.chmod(0o666)
    assert ok(run, "--db", str(loose), "case", "list", "--format", "csv").count("\n") == 2
    assert mode(loose) == 0o600
    assert not wal.exists() or mode(wal) == 0o600


READING_COMMANDS = [
    ("summary",),
    ("case", "list"),
    ("case", "show", "1"),
    ("case", "history", "1"),
    ("appeal", "list"),
    ("district", "list"),
    ("region", "list"),
    ("report",),
    ("export", "cases"),
    ("check",),
]


@pytest.mark.no_database
@pytest.mark.parametrize("args", READING_COMMANDS, ids=" ".join)
def test_a_reading_command_never_creates_a_database(run, tmp_path, args):
    mistyped = tmp_path / "case.db"
    result = run("--db", str(mistyped), *args)
    assert outcome(result) == (
        1,
        "",
        f"Error: database '{mistyped}' does not exist: check --db or $DEREG_DB\n",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.no_database
def test_backup_of_a_missing_database_creates_neither(run, tmp_path):
    result = run("--db", str(tmp_path / "case.db"), "backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.no_database
def test_a_write_that_creates_the_database_says_so(run, db_path):
    result = run(*CASE, "A")
    assert outcome(result) == (0, "1\n", f"new database '{db_path}' created\n")
    assert outcome(run(*CASE, "B")) == (0, "2\n", "")


@pytest.mark.no_database
def test_a_dry_run_import_on_a_missing_database_writes_no_file(run, tmp_path, db_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "election,region,district,candidate,decision,decided_on\n"
        "2016 maslikhat,Almaty,okrug 1,Ким Ольга,refused,2016-03-01\n",
        encoding="utf-8",
    )
    result = run("import", "cases", str(source), "--dry-run")
    assert outcome(result) == (
        0,
        "dry run, nothing written: inserted 1, updated 0, unchanged 0, rejected 0\n",
        "encoding: utf-8\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_fifo_as_the_database_is_refused_without_waiting(run, tmp_path):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for args in (("summary",), (*CASE, "A")):
        result = run("--db", str(fifo), *args)
        assert outcome(result) == (
            1,
            "",
            f"Error: database '{fifo}' is not a regular file: check --db or $DEREG_DB\n",
        )


def test_a_device_as_the_database_is_refused_and_left_alone(run):
    before = os.stat("/dev/null")
    result = run("--db", "/dev/null", *CASE, "A")
    assert outcome(result) == (
        1,
        "",
        "Error: database '/dev/null' is not a regular file: check --db or $DEREG_DB\n",
    )
    assert stat.S_IMODE(os.stat("/dev/null").st_mode) == stat.S_IMODE(before.st_mode)


def test_an_unforeseen_failure_is_one_line_unless_debugging(monkeypatch, capsys):
    from dereg.cli.kit import last_resort

    monkeypatch.delenv("DEREG_DEBUG", raising=False)
    assert last_resort(ValueError("first line\nsecond line")) == 1
    assert capsys.readouterr().err == (
        "Error: unexpected ValueError: first line (DEREG_DEBUG=1 shows where; please report it)\n"
    )
    monkeypatch.setenv("DEREG_DEBUG", "1")
    with pytest.raises(ValueError, match="first line"):
        last_resort(ValueError("first line"))


def shell(command: str, db_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEREG_DB": str(db_path)}
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env)


def test_closed_standard_streams_end_cleanly(db_path, tmp_path):
    dereg = f"'{sys.executable}' -m dereg"
    ok_run = shell(f"{dereg} case list >&-", db_path)
    assert (ok_run.returncode, ok_run.stderr) == (141, "")
    source = tmp_path / "c.csv"
    source.write_text("election,region,district,candidate,decision,decided_on\n", encoding="utf-8")
    closed_in = shell(f"{dereg} import cases - <&-", db_path)
    assert (closed_in.returncode, closed_in.stderr) == (
        2,
        "Error: standard input is closed: name the FILE to import, or pipe it in\n",
    )


def test_an_export_cut_short_by_its_reader_says_nothing(run, db_path, tmp_path):
    source = tmp_path / "c.csv"  # more than a pipe holds (64 KB), so the reader leaves first
    source.write_text(
        "election,region,district,candidate,decision,decided_on,notes\n"
        + "".join(
            f"2016 maslikhat,Almaty,okrug 1,Candidate {n},refused,2016-03-01,{'x' * 100}\n"
            for n in range(3000)
        ),
        encoding="utf-8",
    )
    ok(run, "import", "cases", str(source))
    result = shell(f"set -o pipefail; '{sys.executable}' -m dereg export cases | head -1 >/dev/null", db_path)
    assert (result.returncode, result.stderr) == (141, "")


@pytest.mark.parametrize("name", ["rot13", "punycode", "base64", "idna"])
def test_an_encoding_that_is_no_character_set_is_a_usage_error(run, tmp_path, name):
    source = tmp_path / "c.csv"
    source.write_text("election,region,district,candidate,decision,decided_on\n", encoding="utf-8")
    result = run("import", "cases", str(source), "--encoding", name)
    assert outcome(result) == (
        2,
        "",
        f"Error: --encoding '{name}' is not a character set: use e.g. utf-8, windows-1251, kz-1048\n",
    )


def test_a_count_beyond_any_district_is_refused(run):
    result = run(
        "district",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "Almaty",
        "--district",
        "okrug 1",
        "--seats",
        "99999999999999999999",
    )
    assert outcome(result) == (
        1,
        "",
        "Error: --seats: seats '99999999999999999999' is more than any district has (at most 100000)\n",
    )


def writers(tmp_path, target: str) -> list[tuple[str, ...]]:
    """Every command that writes a file the user names."""
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "election,region,district,candidate,decision,decided_on\n"
        "2016 maslikhat,Almaty,okrug 1,A,refused,2016-03-01\n"
        "2016 maslikhat,Nowhere,okrug 1,B,refused,2016-03-01\n",
        encoding="utf-8",
    )
    return [
        ("export", "cases", "-o", target),
        ("export", "cases", "--format", "json", "-o", target),
        ("report", "-o", target),
        ("report", "--format", "markdown", "-o", target),
        ("backup", target),
        ("backup", target, "--force"),
        ("import", "cases", str(rows), "--skip-invalid", "--rejects", target),
    ]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_no_command_writes_over_the_database_or_its_companions(run, db_path, tmp_path, suffix):
    ok(run, *CASE, "A")
    link = tmp_path / "link.csv"
    link.symlink_to(f"{db_path}{suffix}")
    hard = tmp_path / "hard.csv"
    if suffix == "":
        os.link(db_path, hard)
    targets = [f"{db_path}{suffix}", str(link)] + ([str(hard)] if suffix == "" else [])
    before = db_path.read_bytes()
    for target in targets:
        for args in writers(tmp_path, target):
            result = run(*args)
            assert result.exit_code == 1, (args, result.stdout, result.stderr)
            assert result.stderr.endswith(
                f"'{target}' is the database{'' if not suffix else chr(39) + 's ' + suffix}: "
                "name another file to write\n"
            ), (args, result.stderr)
    assert db_path.read_bytes() == before
    assert ok(run, "case", "list", "--format", "csv").count("\n") == 2


def test_an_output_through_a_symbolic_link_replaces_the_link_not_its_target(run, tmp_path):
    ok(run, *CASE, "A")
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(precious)
    ok(run, "export", "cases", "-o", str(link))
    assert precious.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("id,")


def test_rejects_are_written_only_by_an_import_that_succeeds(run, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "election,region,district,candidate,decision,decided_on\n"
        "2016 maslikhat,Almaty,okrug 1,=HYPERLINK(1),refused,2016-03-01\n"
        "2016 maslikhat,Nowhere,okrug 1,=B,refused,2016-03-01\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    rejects.write_text("an older file", encoding="utf-8")
    dry = run("import", "cases", str(rows), "--skip-invalid", "--rejects", str(rejects), "--dry-run")
    assert (dry.exit_code, dry.stdout) == (
        0,
        "dry run, nothing written: inserted 1, updated 0, unchanged 0, rejected 1\n",
    )
    assert rejects.read_text(encoding="utf-8") == "an older file"
    broken = tmp_path / "broken.csv"
    broken.write_text(
        'election,region,district,candidate,decision,decided_on\n"unclosed,quote\n', encoding="utf-8"
    )
    failed = run("import", "cases", str(broken), "--skip-invalid", "--rejects", str(rejects))
    assert failed.exit_code == 1 and rejects.read_text(encoding="utf-8") == "an older file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.csv", "cases.db", "rejects.csv", "rows.csv"]
    done = run("import", "cases", str(rows), "--skip-invalid", "--rejects", str(rejects))
    assert done.exit_code == 0
    header, rejected = rejects.read_text(encoding="utf-8-sig").splitlines()
    assert header == "election,region,district,candidate,decision,decided_on,error"
    assert rejected.startswith("2016 maslikhat,Nowhere,okrug 1,'=B,refused,2016-03-01,line 3: region: ")
