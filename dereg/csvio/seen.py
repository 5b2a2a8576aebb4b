"""The cases an import has seen, found again by their key in memory that stays flat.

Most rows name a case a few rows before named, or a case nothing named yet: two generations
of recent cases answer the first, a Bloom filter the second, and the database the rare rest.
Which line named each (case, appeal instance) is kept in a temporary table, so that a row
that names one again can say where it was first named, however long the file.
"""

from __future__ import annotations

import json
import sqlite3
from collections import namedtuple

from dereg.csvio.cells import maker

# A case's values as a row gives them (the amount in minor units), in the cases table's order.
CaseValues = namedtuple(
    "CaseValues",
    (
        "candidate",
        "nominated_by",
        "decision",
        "decided_on",
        "reason",
        "discrepancy_amount",
        "currency",
        "notes",
    ),
)
case_values = maker(CaseValues)


class Case:
    """A case the import has seen: its id, its values, and the line of each slot rows gave it.

    A slot is an appeal instance, or '' for a row that describes no appeal.
    """

    __slots__ = ("id", "new", "slots", "values")

    def __init__(self, ident: int, values: CaseValues, slots: dict[str, int], new: bool):
        self.id, self.values, self.slots, self.new = ident, values, slots, new


class SeenKeys:
    """Which cases this import has already seen, as a Bloom filter of fixed size (4 MB).

    Its 'no' is certain, so most rows of a large file never ask the database whether an
    earlier row made their case; its rare 'maybe' is checked there: after a million cases,
    one new case in 250 (two bits of 2^25 each). Memory stays flat.
    """

    BITS = 1 << 25
    MASK = BITS - 1

    def __init__(self):
        self.bits = bytearray(self.BITS >> 3)

    def add(self, key) -> bool:
        """Add key; whether it may have been added before."""
        h = hash(key)
        a, b = h & self.MASK, (h >> 25) & self.MASK
        bits = self.bits
        seen = bits[a >> 3] & (1 << (a & 7)) and bits[b >> 3] & (1 << (b & 7))
        bits[a >> 3] |= 1 << (a & 7)
        bits[b >> 3] |= 1 << (b & 7)
        return bool(seen)


class SeenCases:
    """(district id, folded candidate) -> the case this import saw, or that was recorded before.

    The cases seen since the last flush, and in the batch before, stay in memory: rows of one
    case come close together in most files, so the database is rarely asked.
    """

    def __init__(self, conn: sqlite3.Connection, first_id: int):
        self.conn = conn
        self.first_id = first_id  # cases with a smaller id were recorded before the import
        self.keys = SeenKeys()
        self.recent: dict[tuple, Case] = {}
        self.older: dict[tuple, Case] = {}
        self.lines: list[tuple] = []  # (case id, slot, line) not yet in temp.import_lines
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_lines (case_id INTEGER NOT NULL, "
            "slot TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (case_id, slot)) WITHOUT ROWID"
        )
        conn.execute("DELETE FROM temp.import_lines")

    def find(self, key: tuple, had_cases: bool) -> Case | None:
        """The case key names, if this import saw it or it is recorded; had_cases: its district's."""
        case = self.recent.get(key) or self.older.get(key)
        # A case can be recorded only if its district had cases or this import saw it before.
        if case is None and (self.keys.add(key) or had_cases):
            case = self._recorded(key)
            if case is not None:
                self.recent[key] = case
        return case

    def add(self, key: tuple, case: Case) -> None:
        """A case new in this import (find() has already put its key in the Bloom filter)."""
        self.recent[key] = case

    def named(self, case: Case, slot: str, line: int) -> None:
        case.slots[slot] = line
        self.lines.append((case.id, slot, line))

    def flush(self) -> None:
        """Write the lines that named cases; what was recent is now older."""
        if self.lines:
            self.conn.executemany("INSERT INTO temp.import_lines VALUES (?, ?, ?)", self.lines)
            self.lines.clear()
        self.older, self.recent = self.recent, {}

    def _recorded(self, key: tuple) -> Case | None:
        """The case with this key in the database, with the lines this import gave it."""
        row = self.conn.execute(
            "SELECT id, candidate, nominated_by, decision, decided_on, reason, amount_minor, "
            "currency, notes, (SELECT json_group_object(slot, line) FROM temp.import_lines "
            "WHERE case_id = cases.id) FROM cases WHERE district_id = ? AND candidate_key = ?",
            key,
        ).fetchone()
        if row is None:
            return None
        return Case(row[0], case_values(row[1:9]), json.loads(row[9]), new=row[0] >= self.first_id)
