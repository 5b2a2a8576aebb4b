"""The rows of a districts file: each gives one district its seats, candidates and level."""

from __future__ import annotations

import sqlite3
from operator import itemgetter

from dereg.csvio.cells import Cache, RowInvalid, blank, column_problems, required
from dereg.csvio.places import Places, set_figures
from dereg.errors import InvalidValue
from dereg.values import LEVELS, parse_choice, parse_count


class DistrictLoader:
    """Loads the rows of one districts file: each row gives one district its figures."""

    required = ("election", "region", "district", "seats")
    optional = ("candidates", "level")

    def __init__(self, conn: sqlite3.Connection, index: dict[str, int], *, delimiter: str,
                 actor: str, command: str = "import districts"):  # fmt: skip
        self.conn, self.actor, self.command = conn, actor, command
        self.places = Places(conn)
        self.index = {column: index.get(column, -1) for column in (*self.required, *self.optional)}
        self._cells = itemgetter(*self.index.values())
        self.seats = Cache(required(lambda cell: parse_count(cell, "seats", 1)))
        self.counts = Cache(blank(lambda cell: parse_count(cell, "candidates", 0)))
        self.levels = Cache(blank(lambda cell: parse_choice(cell, "level", LEVELS)))
        self.checks = [
            (column, index[column], check) for column, check in (
                *self.places.checks(), ("seats", self.seats.__getitem__),
                ("candidates", self.counts.__getitem__), ("level", self.levels.__getitem__),
            ) if column in index
        ]  # fmt: skip
        self.checks.sort(key=lambda check: check[1])  # problems listed in the file's order
        self.new_case_ids = None

    def load(self, line: int, cells: list) -> str:
        cells.append(None)
        election, region, district, seats, candidates, level = self._cells(cells)
        try:
            figures = {"seats": self.seats[seats]}
            for column, value in (("candidates", self.counts[candidates]),
                                  ("level", self.levels[level])):  # fmt: skip
                if value is not None:  # empty or missing: left as recorded
                    figures[column] = value
            place = self.places.get(election, region, district)
        except InvalidValue as exc:
            raise RowInvalid(column_problems(self.checks, cells) or [(exc.field, str(exc))]) from None
        if place.line is not None:
            raise RowInvalid([(None, f"the same district as line {place.line}")])
        return set_figures(self.conn, self.actor, self.command, place, line, figures)

    def flush(self) -> None:
        pass
