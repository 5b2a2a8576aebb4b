"""The rows of a cases file: each names a case (and maybe one of its appeals) by natural key.

A case is new, or met earlier in this file, or recorded before the import. New cases take the
next ids and go to the database in batches of plain executemany; the others are compared with
what is recorded and updated one by one, each change audited. Which line first named each
(case, appeal instance) is kept in a temporary table, so memory stays flat however long the file.
"""

from __future__ import annotations

import json
import sqlite3
from operator import itemgetter

from dereg.cases import get_case, list_appeals
from dereg.csvio.cells import (
    BATCH,
    KEEP,
    Cache,
    RowInvalid,
    amount_parser,
    blank,
    column_problems,
    free_text,
    name_text,
    required,
)
from dereg.csvio.places import District, Places, check_figures, set_figures
from dereg.dates import parse_date
from dereg.errors import InvalidValue
from dereg.history import audit
from dereg.money import parse_currency
from dereg.text import fold, search_text
from dereg.values import INSTANCES, OUTCOMES, parse_choice, parse_count, parse_decision

REQUIRED = ("election", "region", "district", "candidate", "decision", "decided_on")
OPTIONAL = (
    "nominated_by", "reason", "discrepancy_amount", "currency", "notes", "appeal_court",
    "appeal_instance", "appeal_filed_on", "appeal_decided_on", "appeal_outcome",
    "district_seats", "district_candidates",
)  # fmt: skip
APPEAL_COLUMNS = ("appeal_court", "appeal_instance", "appeal_filed_on", "appeal_decided_on",
                  "appeal_outcome")  # fmt: skip
# A case's values as a row gives them, in this order (amount in minor units).
VALUES = ("candidate", "nominated_by", "decision", "decided_on", "reason", "discrepancy_amount",
          "currency", "notes")  # fmt: skip
COURT_NOT_NAMED = "court not named"  # an appeal whose outcome is known but not its court

INSERT_CASE = (
    "INSERT INTO cases (id, district_id, candidate, candidate_key, nominated_by, decision, "
    "decided_on, reason, amount_minor, currency, notes, search) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_APPEAL = (
    "INSERT INTO appeals (case_id, instance, court, filed_on, outcome, decided_on) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
LATEST_APPEAL = (
    "SELECT id, outcome FROM appeals WHERE case_id = ? ORDER BY CASE instance WHEN 'first' "
    "THEN 1 WHEN 'appeal' THEN 2 ELSE 3 END DESC, coalesce(decided_on, filed_on) DESC, id DESC "
    "LIMIT 1"
)  # the appeal that gives a case its outcome, as the case_outcome view picks it


class SeenKeys:
    """Which cases this import has already met, as a Bloom filter of fixed size (8 MB).

    Its 'no' is certain, so most rows of a large file never ask the database whether an
    earlier row made their case; its rare 'maybe' is checked there. Memory stays flat.
    """

    BITS = 1 << 26
    MASK = BITS - 1

    def __init__(self):
        self.bits = bytearray(self.BITS >> 3)

    def add(self, key) -> bool:
        """Add key; whether it may have been added before."""
        h = hash(key)
        a, b = h & self.MASK, (h >> 26) & self.MASK
        bits = self.bits
        seen = bits[a >> 3] & (1 << (a & 7)) and bits[b >> 3] & (1 << (b & 7))
        bits[a >> 3] |= 1 << (a & 7)
        bits[b >> 3] |= 1 << (b & 7)
        return bool(seen)


class Case:
    """A case the import has met: its id, its values, and the line of each slot rows gave it.

    A slot is an appeal instance, or '' for a row that describes no appeal.
    """

    __slots__ = ("id", "values", "slots", "new")

    def __init__(self, ident: int, values: tuple, slots: dict[str, int], new: bool):
        self.id, self.values, self.slots, self.new = ident, values, slots, new


class CaseLoader:
    """Loads the rows of one cases file; flush() before the transaction ends."""

    required, optional = REQUIRED, OPTIONAL

    def __init__(self, conn: sqlite3.Connection, index: dict[str, int], *, delimiter: str,
                 actor: str, command: str = "import cases"):  # fmt: skip
        self.conn, self.actor, self.command = conn, actor, command
        self.places = Places(conn)
        # Columns the file lacks read the None that load() appends to every row.
        self.index = {column: index.get(column, -1) for column in (*REQUIRED, *OPTIONAL)}
        self._cells = itemgetter(*self.index.values())
        self.decisions = Cache(required(parse_decision))
        self.dates = Cache(required(parse_date))
        self.optional_dates = Cache(blank(parse_date))
        self.currencies = Cache(lambda cell: KEEP if cell is None else parse_currency(cell))
        self.nominators = Cache(free_text)
        self.reasons = Cache(free_text)
        # Appeal cells and district figures left empty (or missing) say nothing: None.
        self.courts = Cache(blank(name_text))
        self.instances = Cache(blank(lambda c: parse_choice(c, "instance", INSTANCES)))
        self.outcomes = Cache(blank(lambda c: parse_choice(c, "outcome", (*OUTCOMES, "not_filed"))))
        self.seats = Cache(blank(lambda c: parse_count(c, "seats", 1)))
        self.counts = Cache(blank(lambda c: parse_count(c, "candidates", 0)))
        # Amounts are not cached: nearly every one is different.
        self.amount = amount_parser(delimiter)
        self.folds = Cache(fold)  # for the search column: parties and reasons repeat
        self.checks = [
            (column, index[column], check) for column, check in (
                *self.places.checks(), ("candidate", name_text),
                ("decision", self.decisions.__getitem__), ("decided_on", self.dates.__getitem__),
                ("currency", self.currencies.__getitem__),
                ("appeal_court", self.courts.__getitem__),
                ("appeal_instance", self.instances.__getitem__),
                ("appeal_outcome", self.outcomes.__getitem__),
                ("appeal_filed_on", self.optional_dates.__getitem__),
                ("appeal_decided_on", self.optional_dates.__getitem__),
                ("district_seats", self.seats.__getitem__),
                ("district_candidates", self.counts.__getitem__),
            ) if column in index
        ]  # fmt: skip
        self.checks.sort(key=lambda check: check[1])  # problems listed in the file's order
        self.seen = SeenKeys()
        # The cases met since the last flush, and in the batch before: rows of one case come
        # close together in most files, so the database is rarely asked, and memory stays flat.
        self.recent: dict[tuple, Case] = {}
        self.older: dict[tuple, Case] = {}
        self.new_cases: list[tuple] = []
        self.new_appeals: list[tuple] = []
        self.new_slots: list[tuple] = []
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_lines (case_id INTEGER NOT NULL, "
            "slot TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (case_id, slot)) WITHOUT ROWID"
        )
        conn.execute("DELETE FROM temp.import_lines")
        self.first_id = self.next_id = self.places.first_case_id

    @property
    def new_case_ids(self) -> dict | None:
        """The ids the new cases took: consecutive, as the import holds the write lock."""
        if self.next_id == self.first_id:
            return None
        return {"first": self.first_id, "last": self.next_id - 1}

    # -- a row's values -----------------------------------------------------------------------

    def load(self, line: int, cells: list) -> str:
        """Check one row and write what it says: 'inserted', 'updated' or 'unchanged'."""
        cells.append(None)
        (election, region, district, candidate, decision, decided_on, nominated_by, reason,
         amount, currency, notes, court, instance, filed_on, appeal_decided_on, outcome,
         seats, candidates) = self._cells(cells)  # fmt: skip
        try:
            candidate = name_text(candidate)
            currency = self.currencies[currency]
            if amount is None:
                amount = KEEP
            elif amount:
                amount = self._amount(amount, "KZT" if currency is KEEP else currency)
            else:
                amount = None
            values = (candidate, self.nominators[nominated_by], self.decisions[decision],
                      self.dates[decided_on], self.reasons[reason], amount, currency,
                      free_text(notes))  # fmt: skip
            appeal = self._appeal(court, instance, filed_on, appeal_decided_on, outcome)
            figures = {}
            if seats and (seats := self.seats[seats]) is not None:
                figures["seats"] = seats
            if candidates and (candidates := self.counts[candidates]) is not None:
                figures["candidates"] = candidates
            place = self.places.get(election, region, district)
        except InvalidValue as exc:
            raise RowInvalid(self.problems(cells) or [(exc.field, str(exc))]) from None
        if not figures or figures == place.given:  # none, or what earlier rows gave
            return self._case(line, place, values, appeal)
        check_figures(place, line, figures)
        status = self._case(line, place, values, appeal)
        changed = set_figures(self.conn, self.actor, self.command, place, line, figures)
        return "updated" if status == "unchanged" and changed != "unchanged" else status

    def _amount(self, cell: str, currency: str) -> int | None:
        """Minor units of a discrepancy_amount cell; blank (spaces only) is no amount."""
        cell = cell.strip()
        return self.amount(cell, currency) if cell else None

    def _appeal(self, court, instance, filed_on, decided_on, outcome) -> tuple | None:
        """(instance, court, filed_on, outcome, decided_on) of the appeal a row describes.

        None for a row with no appeal. A row with appeal_outcome alone (as export writes it)
        gives the case's outcome: instance None.
        """
        if not (court or instance or filed_on or decided_on or outcome):
            return None  # the common row: no appeal columns, or all of them empty
        court, instance = self.courts[court], self.instances[instance]
        filed_on, decided_on = self.optional_dates[filed_on], self.optional_dates[decided_on]
        outcome = self.outcomes[outcome]
        if not (court or instance or filed_on or decided_on):
            return None if outcome in (None, "not_filed") else (None, None, None, outcome, None)
        if outcome == "not_filed":
            raise InvalidValue("not_filed, but the row describes an appeal", "appeal_outcome")
        if filed_on and decided_on and decided_on < filed_on:
            raise InvalidValue(f"{decided_on} is before the appeal was filed ({filed_on})",
                               "appeal_decided_on")  # fmt: skip
        return (instance or "first", court, filed_on, outcome, decided_on)

    def problems(self, cells: list) -> list[tuple[str | None, str]]:
        """Every problem of a row, column by column: the slow path, for invalid rows only."""
        problems = column_problems(self.checks, cells)
        index = self.index
        try:
            currency = self.currencies[cells[index["currency"]]]
        except InvalidValue:
            currency = None  # already a problem; the amount cannot be judged without it
        amount = cells[index["discrepancy_amount"]]
        if currency and amount:
            try:
                self._amount(amount, "KZT" if currency is KEEP else currency)
            except InvalidValue as exc:
                problems.append(("discrepancy_amount", str(exc)))
        if not problems:
            try:
                self._appeal(*(cells[index[column]] for column in APPEAL_COLUMNS))
            except InvalidValue as exc:
                problems.append((exc.field, str(exc)))
        return problems

    # -- what a row does to its case ------------------------------------------------------

    def _case(self, line: int, place: District, values: tuple, appeal: tuple | None) -> str:
        key = (place.id, fold(values[0]))
        case = self.recent.get(key) or self.older.get(key)
        # A case can be recorded only if its district had cases or this import met it before.
        if case is None and (self.seen.add(key) or place.had_cases):
            case = self._recorded(key)
            if case is not None:
                self.recent[key] = case
        slot = "" if appeal is None else appeal[0] or "first"
        if case is None:
            self._insert(line, place, key, values, appeal, slot)
            return "inserted"
        if slot in case.slots:
            what = f"appeal instance {slot!r}" if slot else "case (and no appeal)"
            raise RowInvalid([("appeal_instance" if slot else None,
                               f"the same {what} as line {case.slots[slot]}")])  # fmt: skip
        if case.slots:  # met earlier in this file: the rows must agree on the case
            differ = [VALUES[i] for i, (value, known) in enumerate(zip(values, case.values))
                      if value is not KEEP and value != known]  # fmt: skip
            if differ:
                first = min(case.slots.values())
                raise RowInvalid([(None, f"the same case as line {first}, with other "
                                         f"{', '.join(differ)}")])  # fmt: skip
        if case.new:
            if appeal is not None:
                self.new_appeals.append(self._new_appeal(case.id, appeal))
            status = "inserted"
        else:
            status = self._update(case, place, values, appeal)
        case.slots[slot] = line
        self.new_slots.append((case.id, slot, line))
        if len(self.new_slots) >= BATCH:
            self.flush()
        return status

    def _insert(self, line, place, key, values, appeal, slot) -> None:
        ident = self.next_id
        self.next_id += 1
        if KEEP in values:  # a column the file lacks: a new case has no value there
            values = tuple(None if value is KEEP else value for value in values)
        candidate, nominated_by, decision, decided_on, reason, amount, currency, notes = values
        currency = currency or "KZT"
        self.new_cases.append((
            ident, place.id, candidate, key[1], nominated_by, decision, decided_on, reason,
            amount, currency, notes, self._search(key[1], nominated_by, reason, notes, place),
        ))  # fmt: skip
        if appeal is not None:
            self.new_appeals.append(self._new_appeal(ident, appeal))
        self.new_slots.append((ident, slot, line))
        self.recent[key] = Case(
            ident, (candidate, nominated_by, decision, decided_on, reason, amount, currency, notes),
            {slot: line}, new=True,
        )  # fmt: skip
        if len(self.new_slots) >= BATCH:
            self.flush()

    def _search(self, candidate_key, nominated_by, reason, notes, place: District) -> str:
        """text.search_text() of a new case, joined from folds of its values (the same text:
        folding is per character and per run of spaces), so that repeated values fold once."""
        parts = [candidate_key]
        if nominated_by:
            parts.append(self.folds[nominated_by])
        if reason:
            parts.append(self.folds[reason])
        if notes:
            parts.append(fold(notes))
        parts.append(place.key)
        return " ".join(parts)

    @staticmethod
    def _new_appeal(case_id: int, appeal: tuple) -> tuple:
        instance, court, filed_on, outcome, decided_on = appeal
        return (case_id, instance or "first", court or COURT_NOT_NAMED, filed_on,
                outcome or "pending", decided_on)  # fmt: skip

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
        return Case(row[0], tuple(row[1:9]), json.loads(row[9]), new=row[0] >= self.first_id)

    def _update(self, case: Case, place: District, values: tuple, appeal: tuple | None) -> str:
        """Bring a case recorded before this import in step with a row; audit what changed."""
        conn = self.conn
        merged = tuple(known if value is KEEP else value
                       for value, known in zip(values, case.values))  # fmt: skip
        writes = []
        if merged != case.values:
            candidate, nominated_by, decision, decided_on, reason, amount, currency, notes = merged
            writes.append((
                "UPDATE cases SET candidate = ?, candidate_key = ?, nominated_by = ?, "
                "decision = ?, decided_on = ?, reason = ?, amount_minor = ?, currency = ?, "
                "notes = ?, search = ? WHERE id = ?",
                (candidate, fold(candidate), nominated_by, decision, decided_on, reason, amount,
                 currency or "KZT", notes,
                 search_text(candidate, nominated_by, reason, notes, place.name), case.id),
            ))  # fmt: skip
        if appeal is not None:
            writes.extend(self._appeal_writes(case.id, appeal))
        if not writes:
            return "unchanged"
        before = self._snapshot(case.id)
        for sql, params in writes:
            conn.execute(sql, params)
        audit(conn, self.actor, self.command, "case", case.id, before, self._snapshot(case.id))
        case.values = merged
        return "updated"

    def _appeal_writes(self, case_id: int, appeal: tuple) -> list[tuple[str, tuple]]:
        """The statements that give a recorded case the appeal a row describes (checked first)."""
        instance, court, filed_on, outcome, decided_on = appeal
        conn = self.conn
        if instance is None:  # only the case's outcome: its latest appeal's, or a first one
            latest = conn.execute(LATEST_APPEAL, (case_id,)).fetchone()
            if latest is None:
                return [(INSERT_APPEAL, self._new_appeal(case_id, appeal))]
            if latest[1] == outcome:
                return []
            return [("UPDATE appeals SET outcome = ? WHERE id = ?", (outcome, latest[0]))]
        row = conn.execute(
            "SELECT id, court, filed_on, outcome, decided_on FROM appeals "
            "WHERE case_id = ? AND instance = ?",
            (case_id, instance),
        ).fetchone()
        if row is None:
            return [(INSERT_APPEAL, self._new_appeal(case_id, appeal))]
        # Empty appeal cells keep what is recorded: no export writes them, so empty means unsaid.
        new = (court or row[1], filed_on or row[2], outcome or row[3], decided_on or row[4])
        if new[1] and new[3] and new[3] < new[1]:
            raise RowInvalid([("appeal_decided_on", f"{new[3]} is before the appeal was filed "
                                                    f"({new[1]})")])  # fmt: skip
        if new == row[1:]:
            return []
        return [("UPDATE appeals SET court = ?, filed_on = ?, outcome = ?, decided_on = ? "
                 "WHERE id = ?", (*new, row[0]))]  # fmt: skip

    def _snapshot(self, case_id: int) -> dict:
        return {**get_case(self.conn, case_id), "appeals": list_appeals(self.conn, case_id)}

    def flush(self) -> None:
        """Write the batched new cases, their appeals, and the lines that named them."""
        conn = self.conn
        if self.new_cases:
            conn.executemany(INSERT_CASE, self.new_cases)
            self.new_cases.clear()
        if self.new_appeals:
            conn.executemany(INSERT_APPEAL, self.new_appeals)
            self.new_appeals.clear()
        if self.new_slots:
            conn.executemany("INSERT INTO temp.import_lines VALUES (?, ?, ?)", self.new_slots)
            self.new_slots.clear()
        self.older, self.recent = self.recent, {}
