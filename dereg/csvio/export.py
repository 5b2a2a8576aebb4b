"""Cases out, as CSV that spreadsheets open safely and the import reads back exactly, or JSON."""

from __future__ import annotations

import csv
import hashlib
import hmac
import sqlite3
from collections.abc import Iterator
from typing import TextIO

from dereg import rules
from dereg.cases import CASE_COLUMNS
from dereg.csvio.cells import guard
from dereg.csvio.columns import CASES
from dereg.errors import DeregError
from dereg.i18n import _
from dereg.offices import office_sql
from dereg.output import write_json_array
from dereg.text import fold

FORMATS = ("csv", "json")
# A case's columns (as case_overview and case list have them), its district's figures, and one
# appeal's (the row's appeal_outcome is that appeal's; a case with none has one row, not_filed):
# every column one the import reads, so that an export imports back as the same cases.
APPEAL_FIELDS = ("court", "instance", "filed_on", "decided_on", "notes")
COLUMNS = CASES.exported(
    (
        *CASE_COLUMNS,
        "district_seats",
        "district_candidates",
        "office",
        *(f"appeal_{f}" for f in APPEAL_FIELDS),
    )
)
_CASE = len(CASE_COLUMNS)
_CANDIDATE, _NOTES, _OUTCOME = (CASE_COLUMNS.index(c) for c in ("candidate", "notes", "appeal_outcome"))
_APPEAL_NOTES, _AMOUNT = COLUMNS.index("appeal_notes"), COLUMNS.index("discrepancy_amount")
SELECT = (
    f"SELECT {', '.join(f'o.{c}' for c in CASE_COLUMNS)}, d.seats, d.candidates, {office_sql('c')}, "
    f"{', '.join(f'a.{f}' for f in APPEAL_FIELDS)}, a.outcome, a.id "
    "FROM case_overview o JOIN cases c ON c.id = o.id JOIN districts d ON d.id = c.district_id "
    f"LEFT JOIN appeals a ON a.case_id = o.id ORDER BY o.id, {rules.instance_rank_sql('a')}"
)


class Pseudonyms:
    """Stable pseudonyms for names: an HMAC keyed by a secret the database keeps.

    A plain hash of a name could be reversed by hashing guessed names; without the secret,
    a pseudonym says nothing. The same name (any case or spacing) always gets the same one.
    """

    def __init__(self, conn: sqlite3.Connection):
        row = conn.execute("SELECT value FROM meta WHERE key = 'redaction_secret'").fetchone()
        if row is None:
            raise DeregError(_("the database has no redaction secret: run 'dereg init'"))
        self.key = bytes.fromhex(row[0])

    def __call__(self, name: str) -> str:
        digest = hmac.new(self.key, fold(name).encode("utf-8"), hashlib.sha256).hexdigest()
        return f"Candidate {digest[:8].upper()}"


def case_rows(conn: sqlite3.Connection, redact: bool = False) -> Iterator[tuple]:
    """(row, its appeal's outcome or None): a row per appeal (or per case without one) in
    COLUMNS' order, by case id, then instance; redacted: names pseudonymous, no notes."""
    pseudonym = Pseudonyms(conn) if redact else None
    for row in conn.execute(SELECT):  # not `yield from`: closing it would close a closed database's cursor
        row = list(row)
        appeal_id, appeal_outcome = row.pop(), row.pop()
        if pseudonym is not None:
            row[_CANDIDATE] = pseudonym(row[_CANDIDATE])
            row[_NOTES] = row[_APPEAL_NOTES] = None
        yield tuple(row), None if appeal_id is None else appeal_outcome


def spreadsheet_dialect(language: str | None = "en") -> tuple[str, str]:
    """(delimiter, decimal mark) with which a spreadsheet in that interface language opens a CSV
    by double-click and reads amounts as numbers: Russian and Kazakh Excel (and LibreOffice)
    list with ';' and write 0,78; English ones ',' and 0.78. The import reads both exactly."""
    return (";", ",") if (language or "en").lower() in ("ru", "kk") else (",", ".")


def write_csv(rows: Iterator[tuple], out: TextIO, delimiter: str = ",", decimal: str = ".") -> int:
    # CRLF, as RFC 4180 and Excel have it: the csv module quotes a value holding any character
    # of the line terminator, so a lone CR in a note is quoted too and reads back as it was.
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    cases, last = 0, None
    for row, appeal_outcome in rows:
        if appeal_outcome is not None:  # the row's appeal's own outcome, which the import gives it back
            row = (*row[:_OUTCOME], appeal_outcome, *row[_OUTCOME + 1 :])
        if decimal != "." and row[_AMOUNT] is not None:
            row = (*row[:_AMOUNT], row[_AMOUNT].replace(".", decimal), *row[_AMOUNT + 1 :])
        writer.writerow(["" if v is None else guard(v) if isinstance(v, str) else v for v in row])
        cases += row[0] != last
        last = row[0]
    return cases


def write_json(rows: Iterator[tuple], out: TextIO) -> int:
    """An array of cases, each with its district's figures and its appeals nested."""

    def cases() -> Iterator[dict]:
        case = None
        for row, appeal_outcome in rows:
            if case is None or case["id"] != row[0]:
                if case is not None:
                    yield case
                case = dict(zip(COLUMNS[:_CASE], row[:_CASE], strict=True))
                case |= {
                    "district_seats": row[_CASE],
                    "district_candidates": row[_CASE + 1],
                    "office": row[_CASE + 2],
                }
                case["appeals"] = []
            if appeal_outcome is not None:
                appeal = dict(zip(APPEAL_FIELDS, row[_CASE + 3 :], strict=True))
                appeal["outcome"] = appeal_outcome
                case["appeals"].append(appeal)
        if case is not None:
            yield case

    return write_json_array(cases(), out)


def export_cases(
    conn: sqlite3.Connection, out: TextIO, fmt: str = "csv", redact: bool = False, excel: str | None = None
) -> int:
    """Write every case to out; returns how many. excel (an interface language) writes the CSV
    for a spreadsheet in that language (the BOM is the caller's encoding: utf-8-sig)."""
    if fmt not in FORMATS:
        raise DeregError(
            _("format {fmt!r} is not one of: {FORMATS}").format(fmt=fmt, FORMATS=", ".join(FORMATS))
        )
    if fmt == "json":
        return write_json(case_rows(conn, redact), out)
    delimiter, decimal = spreadsheet_dialect(excel) if excel is not None else (",", ".")
    return write_csv(case_rows(conn, redact), out, delimiter, decimal)
