"""Another office's database, opened for a merge without a byte of it changing.

The file is read through a read-only connection and copied, page by page, into a private
temporary file; the copy is what a merge reads (ATTACHed), migrated there if its schema is
older. A damaged file, a foreign one, or this database itself is refused as `--db` would be.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dereg import db
from dereg.errors import DeregError, NotFound
from dereg.files import create_private
from dereg.i18n import _
from dereg.migrations import OFFICES_SINCE


@dataclass(frozen=True)
class Other:
    path: Path  # as the user named it
    copy: Path  # the migrated private copy a merge reads
    sha256: str
    office_id: str
    office: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def opened(path: str | os.PathLike, database: str | os.PathLike) -> Iterator[Other]:
    """The other database as a checked, migrated private copy, removed when the merge ends."""
    path = Path(path)
    if not path.exists():
        raise NotFound(_("database '{path}' does not exist").format(path=path))
    if path.is_dir():
        raise DeregError(_("database '{path}' is a folder, not a file").format(path=path))
    if Path(database).exists() and os.path.samefile(path, database):
        raise DeregError(_("'{path}' is this database: name another office's file").format(path=path))
    try:
        db.refuse_other_file(path)
    except DeregError as exc:  # its advice is about --db; this file was named as OTHER
        raise DeregError(str(exc).replace(_(": check --db or $DEREG_DB"), "")) from None
    sha256 = sha256_of(path)
    folder = Path(tempfile.mkdtemp(prefix="dereg-merge-"))  # 0700: the copy stays private
    copy = folder / "other.db"
    try:
        version = _copy(path, copy)
        try:
            db.connect(copy, create=False).close()  # an older schema is migrated here, on the copy
        except DeregError as exc:
            raise DeregError(str(exc).replace(str(copy), str(path))) from None
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            if version < OFFICES_SINCE:  # no identity yet: give one the same file always gets
                _stable_identity(conn, sha256, path.stem)
            office_id, office = conn.execute(
                "SELECT o.id, o.name FROM meta m JOIN offices o ON o.id = m.value WHERE m.key = 'office_id'"
            ).fetchone()
        finally:
            conn.close()
        yield Other(path, copy, sha256, office_id, office)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy(path: Path, copy: Path) -> int:
    """Copy path into copy through a read-only connection; returns its schema version."""
    # A file no one is writing (a backup sent in) is read as immutable, so SQLite makes no -wal or
    # -shm beside it; one with a -wal (a live database) is read as a reader among its writers.
    live = Path(f"{path}-wal").exists()
    try:
        source = sqlite3.connect(
            f"{path.resolve().as_uri()}?{'mode=ro' if live else 'immutable=1'}", uri=True
        )
    except sqlite3.Error as exc:
        raise DeregError(db.describe(exc, path)) from exc
    try:
        version = source.execute("PRAGMA user_version").fetchone()[0]
        app_id = source.execute("PRAGMA application_id").fetchone()[0]
        if not version or app_id != db.APPLICATION_ID:
            raise DeregError(_("'{path}' is an SQLite database, but not a dereg one").format(path=path))
        create_private(copy)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
            (verdict,) = target.execute("PRAGMA quick_check").fetchone()
        finally:
            target.close()
        if verdict != "ok":
            raise DeregError(
                _(
                    "database '{path}' is damaged ({verdict}): ask its office for a fresh 'dereg backup'"
                ).format(path=path, verdict=verdict)
            )
        return version
    except sqlite3.Error as exc:
        raise DeregError(db.describe(exc, path)) from exc
    finally:
        source.close()


def _stable_identity(conn: sqlite3.Connection, sha256: str, name: str) -> None:
    """Give a database made before offices had identities the same one at every merge."""
    made = conn.execute("SELECT value FROM meta WHERE key = 'office_id'").fetchone()[0]
    ident = sha256[:32]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE offices SET id = ?, name = ? WHERE id = ?", (ident, name, made))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'office_id'", (ident,))
