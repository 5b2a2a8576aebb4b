"""`dereg publish`: a copy of the database fit to put on the web (Datasette): redacted as
`export --redact` is, with no secret, no audit log, no notes, and the summaries kept."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from dereg.csvio.export import Pseudonyms
from dereg.errors import DeregError
from dereg.files import refuse_database
from dereg.i18n import _
from dereg.text import fold

# The summaries, also as plain tables: a published copy never changes, and a table answers
# Datasette's first page, count and facets without working the views out again. The public
# views of the same names read these tables in the copy.
SUMMARY_TABLES = {
    "summary_by_district": "district_competition",
    "summary_by_region": "region_competition",
    "summary_by_election": "election_competition",
}


def publish(conn: sqlite3.Connection, out: str | os.PathLike, *, database: str | os.PathLike) -> int:
    """Write the published copy of conn's database to out, whole or not at all (mode 0600);
    returns how many cases it holds."""
    out = Path(out)
    refuse_database(out, database)
    if out.is_dir():
        raise DeregError(_("{path} is a folder: name the file to write").format(path=out))
    pseudonym = Pseudonyms(conn)  # before anything is made: a database without a secret stops here
    try:
        fd, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(out)) from exc
    os.close(fd)  # mkstemp makes it 0600; SQLite writes into it as it is
    try:
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            conn.backup(copy)
            cases = _redact(copy, pseudonym)
        finally:
            copy.close()
        for leftover in (f"{temporary}-wal", f"{temporary}-shm", f"{temporary}-journal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
        with open(temporary, "rb+") as file:
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, out)
    except BaseException:
        for leftover in (temporary, f"{temporary}-wal", f"{temporary}-shm", f"{temporary}-journal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
        raise
    return cases


def _redact(copy: sqlite3.Connection, pseudonym: Pseudonyms) -> int:
    """Names to pseudonyms, notes and search text gone, the secret and the audit log dropped,
    the summaries as tables; then VACUUM, so that no free page keeps what was removed."""
    copy.execute("PRAGMA journal_mode = DELETE")  # one file: Datasette may open it immutable (-i)
    copy.execute("PRAGMA secure_delete = ON")
    copy.execute("BEGIN")
    names = copy.execute("SELECT id, candidate FROM cases").fetchall()
    for case_id, name in names:
        alias = pseudonym(name)
        copy.execute(
            "UPDATE cases SET candidate = ?, candidate_key = ?, notes = NULL, search = '' WHERE id = ?",
            (alias, fold(alias), case_id),
        )
    copy.execute("UPDATE appeals SET notes = NULL")
    for (trigger,) in copy.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
    ).fetchall():
        copy.execute(f'DROP TRIGGER "{trigger}"')
    copy.execute("DROP TABLE IF EXISTS audit_log")
    copy.execute("DELETE FROM meta WHERE key = 'redaction_secret'")
    for table, view in SUMMARY_TABLES.items():
        # The view keeps its name and columns, and reads the table: Datasette's page of a
        # summary took 2.4 s over the views at 100k cases, 0.02 s over the tables.
        copy.execute(f"DROP TABLE IF EXISTS {table}")
        copy.execute(f"CREATE TABLE {table} AS SELECT * FROM {view}")
        columns = ", ".join(row[1] for row in copy.execute(f"PRAGMA table_info({table})"))
        copy.execute(f"DROP VIEW {view}")
        copy.execute(f"CREATE VIEW {view} AS SELECT {columns} FROM {table}")
    # Each case's outcome, once: case_overview's outcome facet timed out (0.2 s) over the view.
    copy.execute("CREATE TABLE outcome_by_case (case_id INTEGER PRIMARY KEY, outcome TEXT NOT NULL)")
    copy.execute("INSERT INTO outcome_by_case SELECT case_id, outcome FROM case_outcome")
    copy.execute("DROP VIEW case_outcome")
    copy.execute("CREATE VIEW case_outcome AS SELECT case_id, outcome FROM outcome_by_case")
    copy.execute("CREATE INDEX IF NOT EXISTS summary_by_district_region ON summary_by_district (region)")
    copy.execute("COMMIT")
    copy.execute("VACUUM")
    return len(names)
