"""`dereg backup`: a consistent, verified, private copy of the database, safe while others write."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dereg.errors import Conflict, DeregError
from dereg.files import create_private, refuse_database
from dereg.i18n import _


@dataclass(frozen=True)
class Backup:
    path: Path
    cases: int
    appeals: int
    size: int  # bytes


def backup(conn: sqlite3.Connection, source: Path, target: Path, *, force: bool = False) -> Backup:
    """Copy the database behind conn to target, as it stood at one moment.

    SQLite's online backup copies every page in one step under one read snapshot, so writers
    carry on (WAL) and the copy holds each transaction whole or not at all. The copy goes to a
    hidden file beside target, created 0600, is checked with integrity_check, and only then
    takes target's name: a failed backup never leaves a half-written file under that name,
    and never replaces an older good backup. Without force, an existing target is refused.
    """
    target = Path(target)
    refuse_database(target, source)
    if target.is_dir():
        raise DeregError(_("backup '{target}' is a folder: name a file to write").format(target=target))
    if target.exists() and not force:
        raise Conflict(
            _("backup '{target}' exists: name another file, or add --force to replace it").format(
                target=target
            )
        )
    folder = target.parent
    if not folder.is_dir():
        raise DeregError(
            _("backup '{target}': folder '{folder}' does not exist").format(target=target, folder=folder)
        )
    partial = folder / f".{target.name}.{os.getpid()}.partial"
    try:
        partial.unlink(missing_ok=True)  # left by a crashed backup that had our process id
        create_private(partial)
        cases, appeals = _copy(conn, partial)
        _fsync(partial)
        _install(partial, target, force)
    except OSError as exc:
        raise DeregError(
            _("backup '{target}' cannot be written: {value}; no backup was written").format(
                target=target, value=exc.strerror or exc
            )
        ) from exc
    except sqlite3.Error as exc:
        raise DeregError(_describe(exc, source, target)) from exc
    finally:
        partial.unlink(missing_ok=True)
        for extra in ("-journal", "-wal", "-shm"):
            Path(f"{partial}{extra}").unlink(missing_ok=True)
    _fsync(folder)
    return Backup(target, cases, appeals, target.stat().st_size)


def _copy(conn: sqlite3.Connection, partial: Path) -> tuple[int, int]:
    copy = sqlite3.connect(partial, isolation_level=None)
    try:
        conn.backup(copy)  # all pages in one step: one snapshot of the source
        # One self-contained file to carry around; dereg turns WAL back on when it opens it.
        copy.execute("PRAGMA journal_mode = DELETE")
        damage = [message for (message,) in copy.execute("PRAGMA integrity_check") if message != "ok"]
        if damage:
            raise DeregError(
                _(
                    "the copy fails SQLite's integrity check ({damage}): the database itself is damaged; no backup was written; run 'dereg check'"
                ).format(damage=damage[0])
            )
        return (
            copy.execute("SELECT count(*) FROM cases").fetchone()[0],
            copy.execute("SELECT count(*) FROM appeals").fetchone()[0],
        )
    finally:
        copy.close()


def _describe(exc: sqlite3.Error, source: Path, target: Path) -> str:
    """An SQLite error while copying: the source is damaged, or the target cannot take the copy."""
    from dereg.db import describe

    name = getattr(exc, "sqlite_errorname", None) or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return describe(exc, source)
    if name == "SQLITE_FULL":
        return _(
            "backup '{target}': the disk is full; no backup was written; free some space and retry"
        ).format(target=target)
    return _("backup '{target}' cannot be written ({exc}); no backup was written").format(
        target=target, exc=exc
    )


def _install(partial: Path, target: Path, force: bool) -> None:
    """Give the finished copy its name; without force, never over a file that appeared meanwhile."""
    if force:
        os.replace(partial, target)
        return
    try:
        os.link(partial, target)  # fails if target exists, atomically
    except FileExistsError:
        raise Conflict(
            _("backup '{target}' exists: name another file, or add --force to replace it").format(
                target=target
            )
        ) from None
    except OSError:  # a file system without hard links (FAT, some network shares)
        if target.exists():
            raise Conflict(
                _("backup '{target}' exists: name another file, or add --force to replace it").format(
                    target=target
                )
            ) from None
        os.replace(partial, target)


def _fsync(path: Path) -> None:
    """Make the copy (or its name, for a folder) survive a power cut right after we report success."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder
    finally:
        os.close(fd)
