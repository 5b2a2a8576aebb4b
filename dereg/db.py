"""The one place that opens a dereg database: its file, pragmas, schema version, transactions,
and what to tell the user when SQLite fails. The schema and its migrations: migrations.py."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dereg import migrations
from dereg.errors import DeregError, NotFound
from dereg.files import create_private
from dereg.i18n import _
from dereg.migrations import SCHEMA_VERSION

APPLICATION_ID = 0x64657267  # 'derg': tells a dereg database from any other SQLite file
BUSY_TIMEOUT_SECONDS = 30.0  # how long to wait for another writer; $DEREG_BUSY_TIMEOUT overrides
SQLITE_HEADER = b"SQLite format 3\x00"


# Transactions this process has committed: tells Ctrl-C after a write from Ctrl-C before one.
commits = 0


class InterruptedWrite(KeyboardInterrupt):
    """Ctrl-C inside a transaction: it has been rolled back, nothing of it was written."""


def busy_timeout() -> float:
    """Seconds to wait for another process's write lock: $DEREG_BUSY_TIMEOUT, else 30."""
    text = os.environ.get("DEREG_BUSY_TIMEOUT", "").strip()
    if not text:
        return BUSY_TIMEOUT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 <= seconds <= 24 * 3600:
        raise DeregError(
            _("DEREG_BUSY_TIMEOUT must be a number of seconds (0 to 86400), not {text!r}").format(text=text)
        )
    return seconds


def connect(path: str | os.PathLike, *, create: bool = True) -> sqlite3.Connection:
    """Open the database at path, migrated to SCHEMA_VERSION; a missing file is created only
    when create is true (commands that only read never make an empty database)."""
    path = Path(path)
    timeout = busy_timeout()
    if path.is_dir():
        raise DeregError(_("database '{path}' is a folder, not a file").format(path=path))
    if not path.exists():
        if not create:
            raise NotFound(_("database '{path}' does not exist: check --db or $DEREG_DB").format(path=path))
        _create_private_file(path)
    else:
        refuse_other_file(path)
        _make_private(path)
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise DeregError(describe(exc, path)) from exc
    return _prepare(conn, path)


def scratch() -> sqlite3.Connection:
    """An empty database in memory, for checking a file against no recorded data (--dry-run
    on a database that does not exist yet writes no file)."""
    return _prepare(sqlite3.connect(":memory:", isolation_level=None), Path(":memory:"))


def _prepare(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        _ensure_schema(conn, path)
        _use_wal(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise DeregError(describe(exc, path)) from exc
    except DeregError:
        conn.close()
        raise
    return conn


def _create_private_file(path: Path) -> None:
    if not path.parent.exists():
        raise DeregError(
            _("database '{path}': folder '{parent}' does not exist").format(path=path, parent=path.parent)
        )
    try:
        create_private(path)
    except FileExistsError:
        return  # another process created it a moment ago
    except OSError as exc:
        raise DeregError(
            _("database '{path}' cannot be created: {strerror}").format(path=path, strerror=exc.strerror)
        ) from exc


def refuse_other_file(path: Path) -> None:
    """Only a regular file is opened: a pipe would hang, a device be chmod-ed; and a file that
    is not SQLite at all (a CSV given as --db, say) is left untouched."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise DeregError(
                _("database '{path}' is not a regular file: check --db or $DEREG_DB").format(path=path)
            )
        with open(path, "rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except OSError:
        return  # SQLite will fail to open it too, and describe() says why
    if head and head != SQLITE_HEADER:
        raise DeregError(_("'{path}' is not an SQLite database: check --db or $DEREG_DB").format(path=path))


def _make_private(path: Path) -> None:
    """Tighten an existing database we own, and its -wal and -shm, to 0600.

    SQLite gives the -wal and -shm files it creates the database's mode, so those follow.
    """
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            st = file.stat()
            if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
                os.chmod(file, stat.S_IMODE(st.st_mode) & 0o700)
        except OSError:
            pass  # absent, or a read-only file system: reading still works, writing says why


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL lets readers and backups run while one process writes; a restored copy gets it back."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        if not _error_name(exc).startswith("SQLITE_READONLY"):
            raise  # a read-only copy can still be read: writing will say why it cannot


def _ensure_schema(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version and conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise DeregError(_("'{path}' is an SQLite database, but not a dereg one").format(path=path))
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise DeregError(
            _(
                "database '{path}' has schema version {version}, newer than this dereg understands ({SCHEMA_VERSION}): upgrade dereg"
            ).format(path=path, version=version, SCHEMA_VERSION=SCHEMA_VERSION)
        )
    conn.execute("PRAGMA journal_mode = WAL")
    # A migration that rebuilds a table must not cascade its DROP to the rows that refer to
    # it; foreign keys are off for the migration (they cannot change inside a transaction)
    # and checked as a whole before it commits.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction(conn):
            # Read again inside the write lock: another process may have just done this.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id != APPLICATION_ID and (app_id != 0 or tables):
                raise DeregError(_("'{path}' is an SQLite database, but not a dereg one").format(path=path))
            if version:  # an older dereg database: change its tables in place
                migrations.upgrade(conn, version)
            migrations.apply_schema(conn)
            if conn.execute("PRAGMA foreign_key_check").fetchone():
                raise DeregError(
                    _(
                        "database '{path}' has rows that refer to missing ones; run 'dereg check' with the previous dereg, or restore a backup"
                    ).format(path=path)
                )
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction we own: the write lock is taken at BEGIN, so it never deadlocks.

    Whatever ends it early (an error, a full disk, Ctrl-C) rolls it back: all or nothing.
    """
    global commits
    _begin_immediate(conn)
    try:
        yield conn
        conn.execute("COMMIT")
        commits += 1
    except BaseException as exc:
        if _rollback(conn):
            if isinstance(exc, KeyboardInterrupt):
                raise InterruptedWrite() from exc
        elif not conn.in_transaction and isinstance(exc, KeyboardInterrupt):
            commits += 1  # Ctrl-C landed just after COMMIT: that change was written
        raise


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """Wait for the write lock in short slices, so that Ctrl-C is heard while waiting."""
    total_ms = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    deadline = time.monotonic() + total_ms / 1000
    conn.execute(f"PRAGMA busy_timeout = {min(total_ms, 100)}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _error_name(exc).startswith("SQLITE_BUSY") or time.monotonic() >= deadline:
                    raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {total_ms}")


def _rollback(conn: sqlite3.Connection) -> bool:
    """Roll back if a transaction is open (SQLite ends some itself on a full disk); say if one was."""
    if not conn.in_transaction:
        return False
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the first error says more; an unfinished transaction never survives the close
    return True


def _error_name(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", None) or ""


def describe(exc: sqlite3.Error, path: str | os.PathLike) -> str:
    """One line for an SQLite failure, saying what the user can do about it."""
    name, text = _error_name(exc), str(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        try:
            seconds = f"{busy_timeout():g}"
        except DeregError:
            seconds = f"{BUSY_TIMEOUT_SECONDS:g}"
        return _(
            "database '{path}' is busy: another program kept it locked for over {seconds} s; nothing was written; try again (DEREG_BUSY_TIMEOUT sets the wait)"
        ).format(path=path, seconds=seconds)
    if name in ("SQLITE_READONLY_DIRECTORY", "SQLITE_READONLY_CANTINIT", "SQLITE_READONLY_RECOVERY"):
        return _read_only_folder(path)  # no -wal or -shm can be made beside it
    if name == "SQLITE_READONLY_DBMOVED":
        return _(
            "database '{path}' was moved or deleted while in use: nothing was written; run the command again"
        ).format(path=path)
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return _(
            "database '{path}' is read-only (the file, its folder or the disk): nothing was written; check the permissions, or work on a copy in a writable folder"
        ).format(path=path)
    if name == "SQLITE_FULL" or "disk is full" in text or (name.startswith("SQLITE_IOERR") and _full(path)):
        return _("the disk holding '{path}' is full: nothing was written; free some space and retry").format(
            path=path
        )
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "malformed" in text:
        return _(
            "database '{path}' is damaged ({text}): restore it from a backup (README: When things go wrong)"
        ).format(path=path, text=text)
    if name.startswith("SQLITE_IOERR"):
        return _(
            "database '{path}': disk error ({text}); the change was rolled back; run 'dereg check'"
        ).format(path=path, text=text)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return _cannot_open(Path(path))
    return f"database '{path}': {text}"


def _full(path: str | os.PathLike) -> bool:
    """Whether the disk is (nearly) full: then SQLite's I/O errors (a -shm it cannot grow) mean that."""
    try:
        disk = os.statvfs(Path(path).resolve().parent)
    except OSError:
        return False
    return disk.f_bavail * disk.f_frsize < 256 * 1024


def _cannot_open(path: Path) -> str:
    folder = path.parent
    if path.exists() and not os.access(path, os.R_OK):
        return _("database '{path}' cannot be read: you lack permission to read it").format(path=path)
    if path.exists() and not os.access(folder, os.W_OK):
        return _read_only_folder(path)
    return _("database '{path}' cannot be opened: check the path and its permissions").format(path=path)


def _read_only_folder(path: str | os.PathLike) -> str:
    # WAL needs its -wal and -shm files beside the database, even to read it.
    return _(
        "database '{path}' is in a read-only folder: dereg needs to write beside it, even to read; copy it to a writable folder"
    ).format(path=path)
