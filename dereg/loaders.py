"""What one row of an import does: check every value, then insert, update or leave alone.

A loader is made for one file's header inside the import's transaction. `load(line, cells)`
returns 'inserted', 'updated' or 'unchanged', or raises RowInvalid with every problem of the
row and writes nothing for it. Values that repeat down a file (regions, dates, decisions) are
parsed once and cached; new cases go to the database in batches with plain executemany.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from operator import itemgetter

from dereg import regions
from dereg.db import audit
from dereg.errors import InvalidValue
from dereg.money import CURRENCY_EXPONENTS, parse_amount
from dereg.text import fold, fold_region
from dereg.values import LEVELS, parse_choice, parse_count

IGNORED = ("id",)  # export writes it; cases match by their natural key instead
BATCH = 5000  # rows per executemany
GUARDED = "=+-@\t\r'"  # a cell starting so gets a leading ' on export (exporter.py)
KEEP = object()  # a column the file does not have: the value already recorded stays
SPELLINGS = 8192  # (election, region, district) spellings remembered at once
DISTRICTS = 8192  # districts remembered at once


class RowInvalid(Exception):
    """A row that cannot be loaded; problems are (column or None, message) pairs."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__(problems)
        self.problems = problems


# --- values ------------------------------------------------------------------------------


def unguard(cell: str) -> str:
    """Undo exactly the export's spreadsheet guard: the ' before = + - @ TAB CR or '."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in GUARDED else cell


def name_text(cell: str) -> str:
    """A required one-line name (election, district, candidate, court)."""
    value = unguard(cell).strip()
    if not value:
        raise InvalidValue("required, but empty")
    if "\n" in value or "\r" in value or "\t" in value:
        raise InvalidValue(f"{value!r} holds a line break or TAB: a name is one line")
    return value


def free_text(cell: str | None):
    """An optional text (reason, notes, nominated_by): empty clears it, a missing column keeps it."""
    if cell is None:
        return KEEP
    return unguard(cell).strip() or None


def blank(parse: Callable) -> Callable:
    """parse for a value where an empty cell and a missing column both mean 'not given': None."""

    def parse_or_none(cell: str | None):
        cell = cell.strip() if cell else cell
        return parse(cell) if cell else None

    return parse_or_none


def required(parse: Callable) -> Callable:
    def parse_required(cell: str):
        if not cell.strip():
            raise InvalidValue("required, but empty")
        return parse(cell)

    return parse_required


class Cache(dict):
    """cell -> parsed value, for columns whose values repeat down a file; errors are kept too.

    A full cache starts again empty rather than keeping its first values: files come
    district by district, so what repeats is what was met lately (a district's name, its
    election's dates), and a cache frozen at its first 4,096 values would miss on every
    district after them.
    """

    def __init__(self, parse: Callable, limit: int = 4096):
        super().__init__()
        self.parse = parse
        self.limit = limit
        self.errors: dict[str, tuple[str, str | None]] = {}

    def __missing__(self, cell):
        if cell in self.errors:  # a new exception each time: a raised one keeps its frames
            raise InvalidValue(*self.errors[cell])
        try:
            value = self.parse(cell)
        except InvalidValue as exc:
            if len(self.errors) < self.limit:
                self.errors[cell] = (str(exc), exc.field)
            raise
        if len(self) >= self.limit:
            self.clear()
        self[cell] = value
        return value


# 500, 0.78, 0,78: a lone comma before one or two digits is a decimal comma in any file.
_DECIMAL = re.compile(r"([0-9]{1,15})(?:\.([0-9]{1,4})|,([0-9]{1,2}))?")


def amount_parser(delimiter: str) -> Callable[[str, str], int]:
    """parse_amount, with a shortcut for what most files hold: 500 or 0.78."""

    def parse(cell: str, currency: str) -> int:
        m = _DECIMAL.fullmatch(cell)
        if m:
            whole, point, comma = m.groups()
            fraction = point or comma
            exponent = CURRENCY_EXPONENTS[currency]
            if fraction is None:
                return int(whole) * 10**exponent
            if len(fraction) <= exponent:
                return int(whole) * 10**exponent + int(fraction.ljust(exponent, "0"))
        return parse_amount(cell, currency, delimiter=delimiter)

    return parse


def column_problems(checks, cells) -> list[tuple[str, str]]:
    """Every (column, message) the per-column checks find in a row: the slow, thorough path."""
    problems = []
    for column, index, check in checks:
        try:
            check(cells[index])
        except InvalidValue as exc:
            problems.append((column, str(exc)))
    return problems


# --- places: elections, regions, districts ---------------------------------------------------


class Places:
    """(election, region, district) cells -> the district's row, made when first needed."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.elections = Cache(name_text)
        self.regions = Cache(self._region)
        self.districts = Cache(name_text)
        self._folds = Cache(fold)
        self._aliases = {
            key: (region_id, name)
            for key, region_id, name in conn.execute(
                "SELECT a.key, r.id, r.name FROM region_aliases a JOIN regions r ON r.id = a.region_id"
            )
        }
        self._spelled: dict[tuple, District] = {}  # cells as written -> district
        self._districts: dict[tuple, District] = {}  # folded key -> district
        self._election_ids: dict[str, int] = {}
        # What is recorded before the import is what has a smaller id than these.
        self.first_case_id, self.first_district_id = conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) + 1 FROM cases), "
            "(SELECT coalesce(max(id), 0) + 1 FROM districts)"
        ).fetchone()
        # The figures this file gave each district, and where: kept in the database, so that
        # the districts in memory can be forgotten when a file names too many.
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_figures (district_id INTEGER PRIMARY KEY, "
            "line INTEGER NOT NULL, given TEXT NOT NULL)"
        )
        conn.execute("DELETE FROM temp.import_figures")

    def _region(self, cell: str) -> tuple[int, str]:
        found = self._aliases.get(fold_region(unguard(cell)))
        if found is None:
            return regions.resolve(self.conn, unguard(cell))  # raises, naming the nearest
        return found

    def checks(self) -> list[tuple[str, Callable]]:
        """(column, check) for the slow path that lists every problem of a row."""
        return [
            ("election", self.elections.__getitem__),
            ("region", self.regions.__getitem__),
            ("district", self.districts.__getitem__),
        ]

    def get(self, election: str, region: str, district: str) -> District:
        """The district the cells name, made (with its election) if not recorded yet."""
        key = (election, region, district)
        place = self._spelled.get(key)
        if place is not None:
            return place
        election_name = self.elections[election]
        region_id, _ = self.regions[region]
        district_name = self.districts[district]
        folded = (self._folds[election_name], region_id, self._folds[district_name])
        place = self._districts.get(folded)  # another spelling of a district already met
        if place is None:
            if len(self._districts) >= DISTRICTS:  # forget them all: none is ever out of date
                self._districts.clear()
                self._spelled.clear()
            place = self._find_or_make(election_name, region_id, district_name, folded)
            self._districts[folded] = place
        if len(self._spelled) >= SPELLINGS:  # files that spell names every which way
            self._spelled.clear()
        self._spelled[key] = place
        return place

    def _find_or_make(self, election_name, region_id, district_name, folded) -> District:
        conn = self.conn
        election_id = self._election_ids.get(folded[0])
        if election_id is None:
            row = conn.execute("SELECT id FROM elections WHERE key = ?", (folded[0],)).fetchone()
            election_id = row[0] if row else conn.execute(
                "INSERT INTO elections (name, key) VALUES (?, ?)", (election_name, folded[0])
            ).lastrowid  # fmt: skip
            self._election_ids[folded[0]] = election_id
        row = conn.execute(
            "SELECT d.id, d.name, d.seats, d.candidates, d.level, "
            "EXISTS (SELECT 1 FROM cases c WHERE c.district_id = d.id AND c.id < ?), f.line, f.given "
            "FROM districts d LEFT JOIN temp.import_figures f ON f.district_id = d.id "
            "WHERE d.election_id = ? AND d.region_id = ? AND d.key = ?",
            (self.first_case_id, election_id, region_id, folded[2]),
        ).fetchone()
        if row:
            place = District(*row[:6], new=row[0] >= self.first_district_id)
            if row[6] is not None:
                place.line, place.given = row[6], json.loads(row[7])
            return place
        ident = conn.execute(
            "INSERT INTO districts (election_id, region_id, name, key) VALUES (?, ?, ?, ?)",
            (election_id, region_id, district_name, folded[2]),
        ).lastrowid
        return District(ident, district_name, None, None, None, False, new=True)


class District:
    __slots__ = ("id", "name", "key", "seats", "candidates", "level", "had_cases", "new", "line",
                 "given")  # fmt: skip

    def __init__(self, ident, name, seats, candidates, level, had_cases, *, new):
        self.id, self.name, self.key = ident, name, fold(name)
        self.seats, self.candidates, self.level = seats, candidates, level
        self.had_cases, self.new = bool(had_cases), new
        self.line = None  # the first line that gave figures for it in this file
        self.given: dict = {}  # the figures this file gave it


def check_figures(place: District, line: int, figures: dict, prefix: str = "district_") -> None:
    """A district's figures may be given on many rows, but always the same."""
    differ = [k for k, value in figures.items() if place.given.get(k, value) != value]
    if differ:
        raise RowInvalid([
            (prefix + k, f"{figures[k]}, but line {place.line} gave {place.given[k]} for this "
             "district") for k in differ
        ])  # fmt: skip


def set_figures(conn, actor, command, place: District, line: int, figures: dict) -> str:
    """Record the figures a row gives a district (checked first); audited when they change."""
    from dereg.cases import district_row

    if place.line is None:
        place.line, place.given = line, dict(figures)
        conn.execute("INSERT INTO temp.import_figures VALUES (?, ?, ?)",
                     (place.id, line, json.dumps(place.given)))  # fmt: skip
    elif not figures.items() <= place.given.items():
        place.given.update(figures)
        conn.execute("UPDATE temp.import_figures SET given = ? WHERE district_id = ?",
                     (json.dumps(place.given), place.id))  # fmt: skip
    if all(getattr(place, k) == value for k, value in figures.items()):
        return "unchanged"
    before = None if place.new else district_row(conn, place.id)
    assignments = ", ".join(f"{column} = ?" for column in figures)
    conn.execute(f"UPDATE districts SET {assignments} WHERE id = ?", (*figures.values(), place.id))
    for column, value in figures.items():
        setattr(place, column, value)
    if place.new:  # made by this import, which its own audit entry records (as case add does)
        return "inserted"
    audit(conn, actor, command, "district", place.id, before, district_row(conn, place.id))
    return "updated"


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
