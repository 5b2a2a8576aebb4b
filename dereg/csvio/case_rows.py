"""What a row of a cases file says, read and checked without the database.

CaseRows reads a row's cells (columns.CASES) into the case's values, the appeal it
describes and its district's figures, with the candidate's keys and the case's own search
text: all a row's work that needs no recorded data, so that the import's reading process
(reading.ReaderProcess) can do it while the writing one finds districts and cases
(cases.CaseLoader, which is a CaseRows)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from datetime import date

from dereg import rules
from dereg.csvio.cells import KEEP, amount_parser, column_problems, maker
from dereg.csvio.columns import CASES, PLACE
from dereg.csvio.seen import CaseValues, case_values
from dereg.errors import InvalidValue
from dereg.i18n import _
from dereg.text import SearchTexts, fold, latin_key, person_key

PLACE_COLUMNS = {column.name for column in PLACE}

# The appeal a row describes, in the appeals table's order. instance None: a row with
# appeal_outcome alone (as export writes it), which gives the case's outcome.
Appeal = namedtuple("Appeal", ("instance", "court", "filed_on", "outcome", "decided_on", "notes"))
make_appeal = maker(Appeal)
# What a row says, read and checked without the database (CaseRows.parse): its place cells as
# written, the case's values, its appeal and district figures, the candidate's folded key and
# person key, and its search text but for the district's name (text.SearchTexts.own).
Parsed = namedtuple(
    "Parsed", ("election", "region", "district", "values", "appeal", "figures", "key", "person", "search")
)
make_parsed = maker(Parsed)


class CaseRows:
    """The rows of one cases file, read: parse() for the reading process, problems() for the
    slow path that lists every problem of an invalid row."""

    kind = CASES

    def __init__(self, index: dict[str, int], *, delimiter: str, places: dict[str, Callable]):
        """places: the readers of the place columns (places.Places.readers), for problems()."""
        self.row = CASES.row_reader(index)
        self.read = CASES.readers(**places)
        self.checks = CASES.checks(index, self.read)
        self.place_checks = [(name, check) for name, check in self.checks if name in PLACE_COLUMNS]
        self.amount = amount_parser(delimiter)  # not cached: nearly every amount is different
        self.search_texts = SearchTexts()  # parties, reasons and districts repeat: folded once
        self.today = date.today()

    def parse(self, cells: list) -> Parsed | None:
        """What a row says, read and checked without the database (so another process can do
        it): None if a value is invalid, for load() to list every problem of the row."""
        try:
            return self._parse(self.row(cells))
        except InvalidValue:
            return None

    def _parse(self, row) -> Parsed:
        values = self._values(row)
        if (late := rules.decision_date_problem(values.decided_on, self.today)) is not None:
            raise InvalidValue(late, "decided_on")
        appeal = self._appeal(row, values.decided_on)
        figures = self._figures(row)
        key = fold(values.candidate)
        latin = latin_key(key)  # for the search text and the person key alike
        # A column the file lacks (KEEP) is none in a new case; an update makes its own text.
        nominated_by, reason, notes = (
            None if value is KEEP else value for value in (values.nominated_by, values.reason, values.notes)
        )
        return make_parsed(
            (
                row.election,
                row.region,
                row.district,
                values,
                appeal,
                figures,
                key,
                person_key(values.candidate, latin),
                self.search_texts.own(values.candidate, nominated_by, reason, notes, folded=key, key=latin),
            )
        )

    def _values(self, row) -> CaseValues:
        """The case's values; KEEP where the file lacks a column (the recorded value stays)."""
        read = self.read
        currency = read.currency(row.currency)
        amount = row.discrepancy_amount
        if amount is None:
            amount = KEEP
        elif amount:
            amount = self._amount(amount, "KZT" if currency is KEEP else currency)
        else:
            amount = None
        return case_values(
            (
                read.candidate(row.candidate),
                read.nominated_by(row.nominated_by),
                read.decision(row.decision),
                read.decided_on(row.decided_on),
                read.reason(row.reason),
                amount,
                currency,
                read.notes(row.notes),
            )
        )

    def _amount(self, cell: str, currency: str) -> int | None:
        """Minor units of a discrepancy_amount cell; blank (spaces only) is no amount."""
        cell = cell.strip()
        return self.amount(cell, currency) if cell else None

    def _appeal(self, row, commission: str) -> Appeal | None:
        """The appeal a row describes; None for a row with no appeal."""
        court, instance, filed_on = row.appeal_court, row.appeal_instance, row.appeal_filed_on
        decided_on, outcome = row.appeal_decided_on, row.appeal_outcome
        if not (court or instance or filed_on or decided_on or outcome):
            return None  # the common row: no appeal columns, or all of them empty
        read = self.read
        court, instance = read.appeal_court(court), read.appeal_instance(instance)
        filed_on, decided_on = read.appeal_filed_on(filed_on), read.appeal_decided_on(decided_on)
        outcome = read.appeal_outcome(outcome)
        if not (court or instance or filed_on or decided_on):
            return (
                None
                if outcome in (None, "not_filed")
                else make_appeal((None, None, None, outcome, None, None))
            )
        if outcome == "not_filed":
            raise InvalidValue(_("not_filed, but the row describes an appeal"), "appeal_outcome")
        if filed_on or decided_on:
            for field, message in rules.appeal_date_problems(
                filed_on, decided_on, outcome, commission, self.today
            ):
                raise InvalidValue(message, f"appeal_{field}")
        notes = read.appeal_notes(row.appeal_notes)
        return make_appeal(
            (instance or "first", court, filed_on, outcome, decided_on, None if notes is KEEP else notes)
        )

    def _figures(self, row) -> dict:
        """The seats and candidates a row gives its district, if it gives them."""
        figures = {}
        if row.district_seats and (seats := self.read.district_seats(row.district_seats)) is not None:
            figures["seats"] = seats
        if (
            row.district_candidates
            and (candidates := self.read.district_candidates(row.district_candidates)) is not None
        ):
            figures["candidates"] = candidates
        return figures

    def problems(self, row) -> list[tuple[str | None, str]]:
        """Every problem of a row, column by column: the slow path, for invalid rows only."""
        problems = column_problems(self.checks, row)
        try:
            currency = self.read.currency(row.currency)
        except InvalidValue:
            currency = None  # already a problem; the amount cannot be judged without it
        if currency and row.discrepancy_amount:
            try:
                self._amount(row.discrepancy_amount, "KZT" if currency is KEEP else currency)
            except InvalidValue as exc:
                problems.append(("discrepancy_amount", str(exc)))
        if not problems:
            try:
                self._appeal(row, self.read.decided_on(row.decided_on))
            except InvalidValue as exc:
                problems.append((exc.field, str(exc)))
        return problems
