"""Elections, regions and districts as an import meets them: found or made once, their figures checked."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable, Mapping
from types import MappingProxyType

from dereg import elections, regions, rules
from dereg.csvio.cells import Cache, RowInvalid, name_text, unguard
from dereg.errors import InvalidValue
from dereg.history import audit
from dereg.i18n import _
from dereg.text import fold, fold_region

SPELLINGS = 32768  # (election, region, district) spellings remembered at once
# Districts remembered at once (about 470 bytes each): a file of 1M rows in no order names
# 60,000; with 16,384 remembered it looked them up 458,000 times.
DISTRICTS = 32768


# A recorded district as an import needs it: figures, whether it had cases before the import
# (c.id below the import's first), and the figures this file gave it; the key test follows.
# A district the import made had none: its cases are not looked for (in a large file they are
# pages the cache no longer holds; at 1M rows in no order this was a tenth of the import).
DISTRICT_FOUND = (
    "SELECT d.id, d.name, d.seats, d.candidates, d.level, d.constituency, "
    "CASE WHEN d.id < ? THEN EXISTS (SELECT 1 FROM cases c WHERE c.district_id = d.id AND c.id < ?) "
    "ELSE 0 END, f.line, f.given "
    "FROM districts d LEFT JOIN temp.import_figures f ON f.district_id = d.id "
    "WHERE d.election_id = ? AND d.region_id = ? AND "
)


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
        self._districts: dict[tuple, District] = {}  # (election id, region id, folded name) -> district
        self._election_days = Cache(self._election)  # name -> (id, voting day)
        self._spans = {  # region id -> (as a sentence names it, first day, last day)
            ident: (rules.region_label(name, kind), valid_from, valid_to)
            for ident, name, kind, valid_from, valid_to in conn.execute(
                "SELECT id, name, kind, valid_from, valid_to FROM regions"
            )
        }
        # What is recorded before the import is what has a smaller id than these.
        self.first_case_id, self.first_district_id = conn.execute(
            # The next id AUTOINCREMENT would give: past every id ever given, deleted ones too.
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'cases'), 0), "
            "(SELECT coalesce(max(id), 0) FROM cases)) + 1, "
            "(SELECT coalesce(max(id), 0) + 1 FROM districts)"
        ).fetchone()
        # The figures this file gave each district, and where: kept in the database, so that
        # the districts in memory can be forgotten when a file names too many.
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_figures (district_id INTEGER PRIMARY KEY, "
            "line INTEGER NOT NULL, given TEXT NOT NULL)"
        )
        conn.execute("DELETE FROM temp.import_figures")

    def _election(self, name: str) -> tuple[int, str | None]:
        """The election a name spells (recorded if new; a likely typo is an error), and its day."""
        ident = elections.election_id(self.conn, name, create=True)
        return ident, self.conn.execute("SELECT voting_day FROM elections WHERE id = ?", (ident,)).fetchone()[
            0
        ]

    def _region(self, cell: str) -> tuple[int, str]:
        found = self._aliases.get(fold_region(unguard(cell)))
        if found is None:
            return regions.resolve(self.conn, unguard(cell))  # raises, naming the nearest
        return found

    def readers(self) -> dict[str, Callable]:
        """The readers of the place columns, for the slow path that lists a row's problems."""
        return {
            "election": self.elections.__getitem__,
            "region": self.regions.__getitem__,
            "district": self.districts.__getitem__,
        }

    def get(self, election: str, region: str, district: str) -> District:
        """The district the cells name, made (with its election) if not recorded yet. A name
        with '?' for a letter (what a code page without it writes) is the recorded one it
        matches, if just one: `matched` then says which, for the row's warning."""
        self.matched = None
        key = (election, region, district)
        place = self._spelled.get(key)
        if place is not None:
            return place
        election_id, day = self._election_days[self.elections[election]]
        region_id, _ = self.regions[region]
        district_name = self.districts[district]
        folded = (election_id, region_id, self._folds[district_name])
        place = self._districts.get(folded)  # another spelling of a district already met
        if place is None:
            if len(self._districts) >= DISTRICTS:
                self._forget_oldest()
            place = self._find_or_make(day, district_name, folded)
            self._districts[folded] = place
        if len(self._spelled) >= SPELLINGS:  # files that spell names every which way
            self._forget_spellings()
        self._spelled[key] = place
        return place

    def _forget_oldest(self) -> None:
        """Forget the quarter of the districts met longest ago, and every spelling of them, so
        that no district is ever held twice (one copy out of date). A file in no order cycles
        through more districts than are remembered: forgetting them all at once made it look
        each up again ten times over; forgetting the oldest quarter keeps the rest found."""
        oldest = list(self._districts)[: max(1, len(self._districts) // 4)]
        gone = {id(self._districts.pop(key)) for key in oldest}
        self._spelled = {key: place for key, place in self._spelled.items() if id(place) not in gone}

    def _forget_spellings(self) -> None:
        """Forget the older half of the spellings (their districts stay): a file that spells
        each district many ways (capitals, hyphens, aliases) meets more spellings than
        districts, and forgetting districts for them made it look each up again."""
        for key in list(itertools.islice(self._spelled, len(self._spelled) // 2)):
            del self._spelled[key]

    def _find_or_make(self, day, district_name, folded) -> District:
        conn = self.conn
        election_id, region_id = folded[:2]
        found = DISTRICT_FOUND + "d.key = ?"
        first = (self.first_district_id, self.first_case_id)
        row = conn.execute(found, (*first, election_id, region_id, folded[2])).fetchone()
        if row is None and "?" in folded[2]:
            like = conn.execute(
                DISTRICT_FOUND + "d.key GLOB ? LIMIT 2",
                (*first, election_id, region_id, question_glob(folded[2])),
            ).fetchall()
            if len(like) == 1:
                row = like[0]
                self.matched = _("district {district_name!r} taken as the recorded {row!r}").format(
                    district_name=district_name, row=row[1]
                )
        if row:
            place = District(*row[:7], new=row[0] >= self.first_district_id)
            if row[7] is not None:
                place.line, place.given = row[7], json.loads(row[8])
            return place
        absent = rules.region_on_day_problem(*self._spans.get(region_id, ("", None, None)), day)
        if absent:
            raise InvalidValue(absent, "region")
        ident = conn.execute(
            "INSERT INTO districts (election_id, region_id, name, key) VALUES (?, ?, ?, ?)",
            (election_id, region_id, district_name, folded[2]),
        ).lastrowid
        return District(ident, district_name, None, None, None, None, False, new=True)


def recorded_like(conn: sqlite3.Connection, district_id: int, candidate_key: str) -> tuple[str, str] | None:
    """(key, name) of the one case recorded in the district whose name candidate_key, with '?'
    for a letter (as a code page without it writes), matches; None if none or several."""
    like = conn.execute(
        "SELECT candidate_key, candidate FROM cases WHERE district_id = ? AND candidate_key GLOB ? LIMIT 2",
        (district_id, question_glob(candidate_key)),
    ).fetchall()
    return like[0] if len(like) == 1 else None


def question_glob(key: str) -> str:
    """A GLOB pattern in which each '?' of key stands for one letter, and nothing else is special."""
    return "".join(_GLOB_LITERAL.get(c, c) for c in key)


_GLOB_LITERAL = {"[": "[[]", "]": "[]]", "*": "[*]"}


NOTHING_GIVEN: Mapping = MappingProxyType({})  # no figures yet: one object for every district


class District:
    """A district as an import holds it: small, so that many are remembered (Places)."""

    __slots__ = (
        "id", "name", "seats", "candidates", "level", "constituency", "had_cases", "new", "line", "given"
    )  # fmt: skip

    def __init__(self, ident, name, seats, candidates, level, constituency, had_cases, *, new):
        self.id, self.name = ident, name
        self.seats, self.candidates, self.level, self.constituency = seats, candidates, level, constituency
        self.had_cases, self.new = bool(had_cases), new
        self.line = None  # the first line that gave figures for it in this file
        self.given: Mapping = NOTHING_GIVEN  # the figures this file gave it (set_figures)


def check_figures(place: District, line: int, figures: dict, prefix: str = "district_") -> None:
    """A district's figures may be given on many rows, but always the same."""
    differ = [k for k, value in figures.items() if place.given.get(k, value) != value]
    if differ:
        raise RowInvalid(
            [
                (
                    prefix + k,
                    _("{figures}, but line {line} gave {given} for this district").format(
                        figures=figures[k], line=place.line, given=place.given[k]
                    ),
                )
                for k in differ
            ]
        )


def set_figures(conn, actor, command, place: District, line: int, figures: dict) -> str:
    """Record the figures a row gives a district (checked first); audited when they change."""
    from dereg.districts import district_row

    if place.line is None:
        place.line, place.given = line, dict(figures)
        conn.execute(
            "INSERT INTO temp.import_figures VALUES (?, ?, ?)", (place.id, line, json.dumps(place.given))
        )
    elif not figures.items() <= place.given.items():
        place.given.update(figures)
        conn.execute(
            "UPDATE temp.import_figures SET given = ? WHERE district_id = ?",
            (json.dumps(place.given), place.id),
        )
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
