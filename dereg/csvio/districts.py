"""The rows of a districts file: each gives one district its seats, candidates, level and constituency."""

from __future__ import annotations

import sqlite3

from dereg.csvio.cells import RowInvalid, column_problems
from dereg.csvio.columns import DISTRICTS
from dereg.csvio.places import Places, set_figures
from dereg.errors import InvalidValue
from dereg.i18n import _


class DistrictLoader:
    """Loads the rows of one districts file: each row gives one district its figures."""

    kind = DISTRICTS
    touched_cases = None  # a districts file names no case; rules.touched checks its districts
    warnings: list[str] = []  # a district's '?' is a new spelling here: its file gives figures only
    warning_count = 0

    @staticmethod
    def district_column(field: str | None) -> str | None:
        return field

    def __init__(
        self,
        conn: sqlite3.Connection,
        index: dict[str, int],
        *,
        delimiter: str,
        actor: str,
        command: str = "import districts",
    ):
        self.conn, self.actor, self.command = conn, actor, command
        self.places = Places(conn)
        self.row = DISTRICTS.row_reader(index)
        self.read = DISTRICTS.readers(**self.places.readers())
        self.checks = DISTRICTS.checks(index, self.read)
        self.new_case_ids = None

    def load(self, line: int, cells: list) -> str:
        row, read = self.row(cells), self.read
        try:
            figures = {"seats": read.seats(row.seats)}
            for column, value in (
                ("candidates", read.candidates(row.candidates)),
                ("level", read.level(row.level)),
                ("constituency", read.constituency(row.constituency)),
            ):
                if value is not None:  # empty or missing: left as recorded
                    figures[column] = value
            place = self.places.get(row.election, row.region, row.district)
        except InvalidValue as exc:
            raise RowInvalid(column_problems(self.checks, row) or [(exc.field, str(exc))]) from None
        if place.line is not None:
            raise RowInvalid([(None, _("the same district as line {line}").format(line=place.line))])
        return set_figures(self.conn, self.actor, self.command, place, line, figures)

    def finish(self) -> None:
        pass
