"""The columns of the two kinds of import file, each declared once: name, required, reader.

As hledger's CSV rules name a file's fields, CASES and DISTRICTS below name a file's columns
in the contract's order. From them come the header check, a row's cells by column name, the
reader of each cell, the checks that list a row's problems, the rejects file's header and
the columns an export may write (so that it reads back).
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any, NamedTuple

from dereg.csvio.cells import KEEP, Cache, blank, free_text, name_text, not_empty
from dereg.dates import parse_date
from dereg.errors import DeregError
from dereg.i18n import _, ngettext
from dereg.money import parse_currency
from dereg.values import (
    CASE_OUTCOMES,
    CONSTITUENCIES,
    INSTANCES,
    LEVELS,
    parse_choice,
    parse_count,
    parse_decision,
    word_key,
    words,
)

# Export writes them; the import reads neither: cases match by their natural key, and the
# office that first recorded a case is not yet kept (it will be with merging offices).
IGNORED = ("id", "office")
ERROR = "error"  # the column a rejects file adds to the file's own: why the row was left out


class Column(NamedTuple):
    name: str
    required: bool
    # A cell (None where the file lacks the column) -> its value, or InvalidValue. None: the
    # cell is read together with others, by what the comment beside the column names.
    read: Callable[[str | None], Any] | None
    repeats: bool = True  # values repeat down a file: each distinct cell is read once (a Cache)


class FileKind:
    """One kind of import file: its columns, and what follows from them."""

    def __init__(self, name: str, columns: tuple[Column, ...]):
        self.columns = columns
        self.names = tuple(column.name for column in columns)  # the contract's order
        self.required = tuple(column.name for column in columns if column.required)
        self.Row = namedtuple(f"{name.title()}Row", self.names)  # a row's cells, by column
        self.Readers = namedtuple(f"{name.title()}Readers", self.names)  # a reader per column
        assert ERROR not in self.names and not set(IGNORED) & set(self.names)

    def index(self, header: list[str], file: str) -> dict[str, int]:
        """column -> its position in the file, the header checked before any row is read."""
        index: dict[str, int] = {}
        unknown = []
        for position, cell in enumerate(header):
            column = self.column(cell)
            if not column:
                raise DeregError(
                    _("{file}: column {position} of the header has no name").format(
                        file=file, position=position + 1
                    )
                )
            if column in index:
                raise DeregError(
                    _("{file}: column {column!r} appears twice in the header").format(
                        file=file, column=column
                    )
                )
            if column not in self.names and column not in IGNORED:
                unknown.append(cell.strip())
            index[column] = position
        if unknown:
            hint = "" if set(index) & set(self.names) else _("; does the file start with a header row?")
            raise DeregError(
                ngettext(
                    "{file}: unknown column {unknown}{hint} (known: {names})",
                    "{file}: unknown columns {unknown}{hint} (known: {names})",
                    len(unknown),
                ).format(
                    file=file, unknown=", ".join(map(repr, unknown)), hint=hint, names=", ".join(self.names)
                )
            )
        missing = [column for column in self.required if column not in index]
        if missing:
            raise DeregError(
                ngettext(
                    "{file}: missing column {missing}", "{file}: missing columns {missing}", len(missing)
                ).format(file=file, missing=", ".join(missing))
            )
        return index

    def column(self, cell: str) -> str:
        """The column a header cell names: its own name, or a Russian or Kazakh word for it
        (words.csv); 'Мест' is district_seats in a cases file, where seats are the district's."""
        column = column_name(cell)
        if column in self.names or column in IGNORED:
            return column
        named = words("column").get(word_key(cell))
        if named is None:
            return column
        return named if named in self.names or f"district_{named}" not in self.names else f"district_{named}"

    def row_reader(self, index: dict[str, int]) -> Callable[[list], tuple]:
        """A line's cells -> its Row: each declared column's cell, None where the file lacks it."""
        pick = itemgetter(*(index.get(name, -1) for name in self.names))
        new, Row = tuple.__new__, self.Row

        def row(cells: list) -> tuple:
            cells.append(None)  # what a column the file lacks reads, at position -1
            return new(Row, pick(cells))

        return row

    def readers(self, **given: Callable) -> tuple:
        """A reader per column for one file, with caches of its own; given ones as they are."""
        return self.Readers._make(
            given[column.name]
            if column.name in given
            else None
            if column.read is None
            else Cache(column.read).__getitem__
            if column.repeats
            else column.read
            for column in self.columns
        )

    def checks(self, index: dict[str, int], readers: tuple) -> list[tuple[str, Callable]]:
        """(column, reader) of each column the file has and a reader checks alone, in the
        file's order: the slow path that lists every problem of a row."""
        return [
            (name, reader)
            for name, reader in sorted(
                zip(self.names, readers, strict=True), key=lambda pair: index.get(pair[0], -1)
            )
            if name in index and reader is not None
        ]

    def rejects_header(self, header: list[str]) -> list[str]:
        """A rejects file holds the rows as the file wrote them: its header, then why."""
        return [*header, ERROR]

    def exported(self, names: Iterable[str]) -> tuple[str, ...]:
        """names, each a column of this kind or one the import ignores: what an export may
        write so that importing it gives the same back."""
        names = tuple(names)
        unread = [name for name in names if name not in self.names and name not in IGNORED]
        if unread:
            raise ValueError(f"the import does not read {', '.join(unread)}")
        return names


def column_name(text: str) -> str:
    """Header names are case-insensitive; spaces and hyphens count as underscores."""
    return "_".join(re.split(r"[\s\-]+", text.strip().casefold())).strip("_")


def _choice(what: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    return lambda cell: parse_choice(cell, what, choices)


def _count(what: str, minimum: int) -> Callable[[str], int]:
    return lambda cell: parse_count(cell, what, minimum)


def _currency(cell: str | None):
    return KEEP if cell is None else parse_currency(cell)


# Election, region and district name one district together: places.Places reads them.
PLACE = (
    Column("election", True, None),
    Column("region", True, None),
    Column("district", True, None),
)

# Appeal cells and district figures left empty (or missing) say nothing: None.
CASES = FileKind(
    "cases",
    (
        *PLACE,
        Column("candidate", True, name_text, repeats=False),
        Column("decision", True, not_empty(parse_decision)),
        Column("decided_on", True, not_empty(parse_date)),
        Column("nominated_by", False, free_text),
        Column("reason", False, free_text),
        Column("discrepancy_amount", False, None),  # in the row's currency: CaseRows._amount
        Column("currency", False, _currency),
        Column("notes", False, free_text, repeats=False),
        Column("appeal_court", False, blank(name_text)),
        Column("appeal_instance", False, blank(_choice("instance", INSTANCES))),
        Column("appeal_filed_on", False, blank(parse_date)),
        Column("appeal_decided_on", False, blank(parse_date)),
        Column("appeal_outcome", False, blank(_choice("outcome", CASE_OUTCOMES))),
        Column("appeal_notes", False, free_text, repeats=False),
        Column("district_seats", False, blank(_count("seats", 1))),
        Column("district_candidates", False, blank(_count("candidates", 1))),
    ),
)

DISTRICTS = FileKind(
    "districts",
    (
        *PLACE,
        Column("seats", True, not_empty(_count("seats", 1))),
        Column("candidates", False, blank(_count("candidates", 1))),
        Column("level", False, blank(_choice("level", LEVELS))),
        Column("constituency", False, blank(_choice("constituency", CONSTITUENCIES))),
    ),
)
