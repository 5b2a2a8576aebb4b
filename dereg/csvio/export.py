"""Cases out, as CSV that spreadsheets open safely and the import reads back exactly, or JSON."""

from __future__ import annotations

import csv
import hashlib
import hmac
import sqlite3
from collections.abc import Iterator
from typing import TextIO

from dereg.cases import CASE_COLUMNS
from dereg.csvio.cells import guard
from dereg.csvio.columns import CASES
from dereg.errors import DeregError
from dereg.output import write_json_array
from dereg.text import fold

FORMATS = ("csv", "json")
# The columns of a case (as case_overview and case list have them), each one the import reads.
COLUMNS = CASES.exported(CASE_COLUMNS)
_CANDIDATE = COLUMNS.index("candidate")
_NOTES = COLUMNS.index("notes")


class Pseudonyms:
    """Stable pseudonyms for names: an HMAC keyed by a secret the database keeps.

    A plain hash of a name could be reversed by hashing guessed names; without the secret,
    a pseudonym says nothing. The same name (any case or spacing) always gets the same one.
    """

    def __init__(self, conn: sqlite3.Connection):
        row = conn.execute("SELECT value FROM meta WHERE key = 'redaction_secret'").fetchone()
        if row is None:
            raise DeregError("the database has no redaction secret: run 'dereg init'")
        self.key = bytes.fromhex(row[0])

    def __call__(self, name: str) -> str:
        digest = hmac.new(self.key, fold(name).encode("utf-8"), hashlib.sha256).hexdigest()
        return f"Candidate {digest[:8].upper()}"


def case_rows(conn: sqlite3.Connection, redact: bool = False) -> Iterator[tuple]:
    """Every case as the contract's columns, in id order; redacted: names pseudonymous, no notes."""
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM case_overview ORDER BY id")
    if not redact:
        for row in rows:  # not `yield from`: closing it would close the cursor of a closed database
            yield row
        return
    pseudonym = Pseudonyms(conn)
    for row in rows:
        row = list(row)
        row[_CANDIDATE] = pseudonym(row[_CANDIDATE])
        row[_NOTES] = None
        yield tuple(row)


def write_csv(rows: Iterator[tuple], out: TextIO) -> int:
    # CRLF, as RFC 4180 and Excel have it: the csv module quotes a value holding any character
    # of the line terminator, so a lone CR in a note is quoted too and reads back as it was.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else guard(v) if isinstance(v, str) else v for v in row])
        count += 1
    return count


def write_json(rows: Iterator[tuple], out: TextIO) -> int:
    """An array of objects, laid out as `case list --format json` lays it out, one case at a time."""
    return write_json_array((dict(zip(COLUMNS, row)) for row in rows), out)


def export_cases(conn: sqlite3.Connection, out: TextIO, fmt: str = "csv", redact: bool = False) -> int:
    """Write every case to out; returns how many."""
    if fmt not in FORMATS:
        raise DeregError(f"format {fmt!r} is not one of: {', '.join(FORMATS)}")
    write = write_csv if fmt == "csv" else write_json
    return write(case_rows(conn, redact), out)
