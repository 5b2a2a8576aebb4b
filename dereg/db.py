"""The one place that opens a dereg database: pragmas, schema version, migrations, transactions."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from dereg.errors import DeregError
from dereg.text import fold, fold_region

SCHEMA_VERSION = 2
APPLICATION_ID = 0x64657267  # 'derg': tells a dereg database from any other SQLite file
BUSY_TIMEOUT_SECONDS = 30.0


def schema_sql() -> str:
    return resources.files("dereg").joinpath("schema.sql").read_text(encoding="utf-8")


def schema_statements() -> Iterator[str]:
    """Split schema.sql into statements (trigger bodies hold semicolons of their own)."""
    statement = ""
    for line in schema_sql().splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement.strip()
            statement = ""
    if statement.strip() and not statement.strip().startswith("--"):
        raise RuntimeError("schema.sql ends inside a statement")


def connect(path: str | os.PathLike) -> sqlite3.Connection:
    """Open (creating if need be) the database at path, migrated to SCHEMA_VERSION."""
    path = Path(path)
    if path.is_dir():
        raise DeregError(f"database '{path}' is a folder, not a file")
    if not path.exists():
        _create_private_file(path)
    else:
        _make_private(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise DeregError(describe(exc, path)) from exc
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        _ensure_schema(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise DeregError(describe(exc, path)) from exc
    except DeregError:
        conn.close()
        raise
    return conn


def _create_private_file(path: Path) -> None:
    if not path.parent.exists():
        raise DeregError(f"database '{path}': folder '{path.parent}' does not exist")
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another process created it a moment ago
    except OSError as exc:
        raise DeregError(f"database '{path}' cannot be created: {exc.strerror}") from exc
    os.close(fd)
    os.chmod(path, 0o600)  # whatever the umask


def _make_private(path: Path) -> None:
    """Tighten an existing database we own to 0600; SQLite gives -wal and -shm its mode."""
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(path, stat.S_IMODE(st.st_mode) & 0o700)
    except OSError:
        pass  # a read-only file system: reading still works, and writing will say why


def _ensure_schema(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise DeregError(
            f"database '{path}' has schema version {version}, newer than this dereg "
            f"understands ({SCHEMA_VERSION}): upgrade dereg"
        )
    conn.execute("PRAGMA journal_mode = WAL")
    with transaction(conn):
        # Read again inside the write lock: another process may have just done this.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != APPLICATION_ID and (app_id != 0 or tables):
            raise DeregError(f"'{path}' is an SQLite database, but not a dereg one")
        if version:  # an older dereg database: change its tables in place
            for number in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[number](conn)
        _apply_schema(conn)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _apply_schema(conn: sqlite3.Connection) -> None:
    """Recreate views and triggers from schema.sql, create what is missing, seed reference data."""
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')"
    ).fetchall():
        conn.execute(f'DROP {kind} IF EXISTS "{name}"')
    for statement in schema_statements():
        conn.execute(statement)
    _seed(conn)


def _seed(conn: sqlite3.Connection) -> None:
    from dereg.money import CURRENCY_EXPONENTS

    conn.executemany(
        "INSERT OR IGNORE INTO currencies (code, exponent) VALUES (?, ?)",
        sorted(CURRENCY_EXPONENTS.items()),
    )
    if not conn.execute("SELECT meta.value FROM meta WHERE key = 'redaction_secret'").fetchone():
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('redaction_secret', ?)", (os.urandom(32).hex(),)
        )
    text = resources.files("dereg").joinpath("regions.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        conn.execute(
            "INSERT OR IGNORE INTO regions (name, kind) VALUES (?, ?)", (row["region"], row["kind"])
        )
        region_id = conn.execute(
            "SELECT id FROM regions WHERE name = ?", (row["region"],)
        ).fetchone()[0]
        for alias in [row["region"], *row["aliases"].split("|")]:
            conn.execute(
                "INSERT OR IGNORE INTO region_aliases (key, alias, region_id) VALUES (?, ?, ?)",
                (fold_region(alias), alias, region_id),
            )


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    """Version 2 adds the folded search column (filled here) and the audit log (schema.sql)."""
    conn.execute("ALTER TABLE cases ADD COLUMN search TEXT NOT NULL DEFAULT ''")
    rows = conn.execute(
        "SELECT c.id, c.candidate, c.nominated_by, c.reason, c.notes, d.name "
        "FROM cases c JOIN districts d ON d.id = c.district_id"
    ).fetchall()
    conn.executemany(
        "UPDATE cases SET search = ? WHERE id = ?",
        [(search_text(*row[1:]), row[0]) for row in rows],
    )


# MIGRATIONS[n] turns a database of version n - 1 into version n, in place.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {2: _migrate_to_2}


def search_text(*values: str | None) -> str:
    """What --search looks in: the case's words, casefolded, so Cyrillic matches too."""
    return fold(" ".join(value for value in values if value))


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction we own: the write lock is taken at BEGIN, so it never deadlocks."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def audit(
    conn: sqlite3.Connection,
    actor: str,
    command: str,
    entity: str,
    entity_id: int | None,
    before: dict | None,
    after: dict | None,
) -> None:
    conn.execute(
        "INSERT INTO audit_log (at, actor, command, entity, entity_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
            actor,
            command,
            entity,
            entity_id,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        ),
    )


def describe(exc: sqlite3.Error, path: str | os.PathLike) -> str:
    """One line for an SQLite failure, saying what the user can do about it."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (
            f"database '{path}' is busy: another dereg kept it locked for over "
            f"{BUSY_TIMEOUT_SECONDS:.0f} s; try again"
        )
    if "readonly" in text or "read-only" in text:
        return f"database '{path}' is read-only: check the file's and its folder's permissions"
    if "full" in text:
        return f"the disk holding '{path}' is full: nothing was written; free space and retry"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"'{path}' is not a dereg database or is damaged ({text}); restore it from a backup"
    if "unable to open" in text:
        return f"database '{path}' cannot be opened: check the path and its permissions"
    return f"database '{path}': {text}"
