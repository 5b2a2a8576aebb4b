"""The cells of an import: parsers for each kind of value, their cache, and the spreadsheet guard."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from dereg.errors import InvalidValue
from dereg.i18n import _
from dereg.money import CURRENCY_EXPONENTS, MAX_MINOR, parse_amount
from dereg.text import readable, unix_lines, visible

GUARDED = "=+-@\t\r'"  # a cell starting so gets a leading ' on export (guard below)


class _Keep:
    """KEEP's kind: one object, which pickles by name, so that a row read in another process
    (reading.py) still says KEEP to this one."""

    def __reduce__(self) -> str:
        return "KEEP"

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()  # a column the file does not have: the value already recorded stays


def maker(kind: type) -> Callable:
    """A namedtuple kind's instances from a tuple of their values, without namedtuple's slower
    __new__ (a row makes several); pickled through it too, for the import's reading process."""
    make = partial(tuple.__new__, kind)
    kind.__reduce__ = lambda self: (make, (tuple(self),))
    return make


class RowInvalid(Exception):
    """A row that cannot be loaded; problems are (column or None, message) pairs."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__(problems)
        self.problems = problems


# --- values ------------------------------------------------------------------------------


def guard(value: str) -> str:
    """A leading ' keeps a spreadsheet from reading a cell as a formula (unguard undoes it).

    Cells starting with = + - @ TAB or CR are guarded, and so are cells starting with ' so that
    the import can tell a guard from an apostrophe: every export reads back as it was.
    """
    return "'" + value if value and value[0] in GUARDED else value


def unguard(cell: str) -> str:
    """Undo exactly the export's spreadsheet guard: the ' before = + - @ TAB CR or '."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in GUARDED else cell


def name_text(cell: str) -> str:
    """A required one-line name (election, district, candidate, court)."""
    value = visible(unguard(cell)).strip()
    if not value:
        raise InvalidValue(_("required, but empty"))
    if "\n" in value or "\r" in value or "\t" in value:
        raise InvalidValue(_("{value!r} holds a line break or TAB: a name is one line").format(value=value))
    if not readable(value):
        raise InvalidValue(_("{value!r} has no letter or digit").format(value=value))
    return value


def free_text(cell: str | None):
    """An optional text (reason, notes, nominated_by): empty clears it, a missing column keeps it."""
    if cell is None:
        return KEEP
    return unix_lines(unguard(cell)).strip() or None


def blank(parse: Callable) -> Callable:
    """parse for a value where an empty cell and a missing column both mean 'not given': None."""

    def parse_or_none(cell: str | None):
        cell = cell.strip() if cell else cell
        return parse(cell) if cell else None

    return parse_or_none


def not_empty(parse: Callable) -> Callable:
    """parse for a value a row must give (its column is required, so the cell is never None)."""

    def parse_given(cell: str):
        if not cell.strip():
            raise InvalidValue(_("required, but empty"))
        return parse(cell)

    return parse_given


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
    """parse_amount, with a shortcut for what most files hold: 500 or 0.78.

    The shortcut answers only where parse_amount would give the same number; anything else
    (more decimals than the currency has, more than SQLite's INTEGER holds) goes to
    parse_amount, so that its message is the one given.
    """

    def parse(cell: str, currency: str) -> int:
        m = _DECIMAL.fullmatch(cell)
        if m is None:
            return parse_amount(cell, currency, delimiter=delimiter)
        whole, point, comma = m.groups()
        fraction = point or comma
        exponent = CURRENCY_EXPONENTS[currency]
        if fraction is None:
            minor = int(whole) * 10**exponent
        elif len(fraction) <= exponent:
            minor = int(whole) * 10**exponent + int(fraction.ljust(exponent, "0"))
        else:  # more decimals than the currency has
            return parse_amount(cell, currency, delimiter=delimiter)
        if minor > MAX_MINOR:  # 15 digits times 10**4 can pass it: 'too large'
            return parse_amount(cell, currency, delimiter=delimiter)
        return minor

    return parse


def column_problems(checks, row: tuple) -> list[tuple[str, str]]:
    """Every (column, message) the per-column checks find in a row: the slow, thorough path."""
    problems = []
    for column, check in checks:
        try:
            check(getattr(row, column))
        except InvalidValue as exc:
            problems.append((column, str(exc)))
    return problems
