"""`dereg check`: the database's integrity and the cases' own consistency, as a list of problems.

The domain's rules are dereg.rules, which every write path also runs; here they run over every
row, beside checks of what only a change outside dereg can break.

Nothing here prints or writes. Every check reads one snapshot of the database, so a check run
while others write sees the cases as they stood at one moment. On a large database the checks
are shared, in parts, with helper processes that read the same snapshot (dereg.parallel says
how it is made sure); the problems are listed in the same order either way. Several checks
look for what the tool itself never writes: they catch changes made outside dereg (sqlite3, a
spreadsheet tool, a restored or damaged file).
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from typing import NamedTuple

from dereg import parallel, persons
from dereg.derived import derived_columns, twins
from dereg.i18n import N_, _, ngettext
from dereg.money import CURRENCY_EXPONENTS, format_amount
from dereg.rules import Problem, appeal_dates, appeal_order, case_dates, places, removals
from dereg.rules import case_subject as _case
from dereg.rules import district_subject as _district
from dereg.schema import schema_objects, table_columns


def check_database(
    conn: sqlite3.Connection, today: date | None = None, *, helpers: int | None = None
) -> list[Problem]:
    """Every problem found, the database's own checks first; an empty list means none.
    helpers: how many other processes share the work (dereg.parallel); by default one per
    other core, for a database large enough to gain from them."""
    return _check(conn, today, helpers, likely=False)[0]


def check_with_likely_persons(
    conn: sqlite3.Connection, today: date | None = None, *, helpers: int | None = None
) -> tuple[list[Problem], list[str]]:
    """check_database()'s problems, and likely_persons()'s lines read in the same snapshot."""
    return _check(conn, today, helpers, likely=True)


def _check(
    conn: sqlite3.Connection, today: date | None, helpers: int | None, likely: bool
) -> tuple[list[Problem], list[str]]:
    today = today or date.today()
    if helpers is None:
        helpers = parallel.helpers_wanted() if _cases(conn) >= PARALLEL_FROM else 0
    parts = _parts() + ([_Part(LIKELY)] if likely else [])
    conn.execute("BEGIN")  # one read snapshot for every check and helper; writers go on meanwhile (WAL)
    try:
        done = parallel.run(conn, _claim_order(parts), _run_part, (today,), helpers)
        return _listed(conn, done), done[_Part(LIKELY)].found if likely else []
    finally:
        conn.execute("ROLLBACK")


# Cases from which helpers share the work: below it a check takes well under a second, and a
# helper's start costs about a tenth of one.
PARALLEL_FROM = 20_000
# The check of derived columns reads every case and works out its keys: it is shared out in
# ranges of case ids.
DERIVED_PARTS = 8
LIKELY = -1  # the part that lists likely persons


class _Part(NamedTuple):
    check: int  # in CHECKS, or LIKELY
    k: int = 0  # the k-th of n ranges of case ids (derived_columns)
    n: int = 1


class _Done(NamedTuple):
    found: list  # its problems (LIKELY: lines)
    failure: tuple[str, str] | None  # the sqlite3.DatabaseError that stopped it: (SQLite's name, text)
    stale: set[int]  # derived_columns: the districts of outdated keys


def _cases(conn: sqlite3.Connection) -> int:
    try:
        return conn.execute("SELECT max(id) FROM cases").fetchone()[0] or 0
    except sqlite3.DatabaseError:  # damaged or changed: the checks say how
        return 0


def _parts() -> list[_Part]:
    """Every check's parts, in the order their problems are listed."""
    return [
        _Part(index, k, DERIVED_PARTS if check is derived_columns else 1)
        for index, (_what, check) in enumerate(CHECKS)
        for k in range(DERIVED_PARTS if check is derived_columns else 1)
    ]


def _claim_order(parts: list[_Part]) -> list[_Part]:
    """The longest first (on a large database), so that the last to finish are short: those of
    _LONGEST, the likely persons, the parts of derived_columns, the rest."""

    def rank(part: _Part) -> int:
        check = likely_persons if part.check == LIKELY else CHECKS[part.check][1]
        order = (*_LONGEST, likely_persons, derived_columns)
        return order.index(check) if check in order else len(order)

    return sorted(parts, key=rank)


def _run_part(conn: sqlite3.Connection, part: _Part, today: date) -> _Done:
    """One part's problems; in a helper too (dereg.parallel), on its own connection."""
    if part.check == LIKELY:
        return _Done(list(likely_persons(conn)), None, set())
    check = CHECKS[part.check][1]
    problems: list[Problem] = []
    stale: set[int] = set()
    try:
        if check is derived_columns:
            problems.extend(derived_columns(conn, today, (part.k, part.n), stale))
        else:
            problems.extend(check(conn, today))
    except sqlite3.DatabaseError as exc:  # a damaged page, a dropped view
        return _Done(problems, (getattr(exc, "sqlite_errorname", None) or "", str(exc)), stale)
    return _Done(problems, None, stale)


def _listed(conn: sqlite3.Connection, done: dict[_Part, _Done]) -> list[Problem]:
    """The parts' problems in the order of CHECKS, as one process running them in turn would
    list them: a check that fails says so after what it found, and its later parts are not read."""
    problems: list[Problem] = []
    parts = _parts()
    for index, (what, check) in enumerate(CHECKS):
        stale: set[int] = set()
        failure = None
        for part in (part for part in parts if part.check == index):
            problems.extend(done[part].found)
            stale |= done[part].stale
            failure = done[part].failure
            if failure:
                break
        if check is derived_columns and not failure:
            try:
                problems.extend(twins(conn, stale))
            except sqlite3.DatabaseError as exc:
                failure = (getattr(exc, "sqlite_errorname", None) or "", str(exc))
        if failure:
            damaged = failure[0].startswith("SQLITE_CORRUPT")
            advice = _(": the file is damaged; restore it from a backup") if damaged else ""
            problems.append(
                Problem(
                    _("database"),
                    _("{what} could not run ({exc}){advice}").format(
                        what=_(what), exc=failure[1], advice=advice
                    ),
                )
            )
    return problems


# --- the checks, in the order their problems are listed --------------------------------------


def integrity(conn: sqlite3.Connection, today: date) -> Iterator[Problem]:
    # Sorted: SQLite lists them in the order of the tables' pages, which a rebuild changes.
    for (message,) in sorted(conn.execute("PRAGMA integrity_check")):
        if message != "ok":
            yield Problem(_("database"), _("integrity check: {message}").format(message=message))


def foreign_keys(conn: sqlite3.Connection, today: date) -> Iterator[Problem]:
    for table, rowid, parent, fkid in sorted(conn.execute("PRAGMA foreign_key_check").fetchall()):
        column = next(key[3] for key in conn.execute(f'PRAGMA foreign_key_list("{table}")') if key[0] == fkid)
        (value,) = conn.execute(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
        if table == "cases":
            subject = _case(conn, rowid)
        elif table == "districts":
            subject = _district(conn, rowid)
        elif table == "appeals":
            subject = _("appeal {appeal}").format(appeal=rowid)
        else:
            subject = _("{table} row {row}").format(table=table, row=rowid)
        yield Problem(
            subject,
            _("its {column} {value!r} is not in {parent} (changed outside dereg?)").format(
                column=column, value=value, parent=parent
            ),
        )


# Rows that break the schema's CHECK constraints (written with ignore_check_constraints, or by
# a tool that skips them): integrity_check names only the table, these name the row.
_ROW_RULES = (
    ("cases", "decision NOT IN ('refused', 'cancelled')", "decision", N_("is not refused or cancelled")),
    ("cases", "amount_minor < 0", "amount_minor", N_("is negative")),
    ("cases", "trim(candidate) = ''", "candidate", N_("is empty")),
    (
        "appeals",
        "outcome NOT IN ('pending', 'upheld', 'reinstated', 'not_heard')",
        "outcome",
        N_("is not pending, upheld, reinstated or not_heard"),
    ),
    (
        "appeals",
        "instance NOT IN ('first', 'appeal', 'cassation')",
        "instance",
        N_("is not first, appeal or cassation"),
    ),
)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_date(value) -> bool:
    """SQLite's date() lets 2016-02-31 through (so does the schema's CHECK): ask Python."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _maybe_not_a_date(column: str) -> str:
    """SQL that lets through every value _is_date would refuse (and few others): an existing
    date reads back the same from date(); so Python judges only the suspects, not every row."""
    return f"NOT ({column} IS date({column}, '+0 days')) OR {column} < '0001'"


def row_values(conn: sqlite3.Connection, today: date) -> Iterator[Problem]:
    for case_id, decided in conn.execute(
        f"SELECT id, decided_on FROM cases WHERE {_maybe_not_a_date('decided_on')} ORDER BY id"
    ):
        if not _is_date(decided):
            yield Problem(
                _case(conn, case_id), _("decided_on {decided!r} is not a date").format(decided=decided)
            )
    for appeal_id, case_id, filed, decided in conn.execute(
        "SELECT id, case_id, filed_on, decided_on FROM appeals WHERE filed_on IS NOT NULL AND "
        f"({_maybe_not_a_date('filed_on')}) OR decided_on IS NOT NULL AND ({_maybe_not_a_date('decided_on')}) "
        "ORDER BY id"
    ):
        for column, value in (("filed_on", filed), ("decided_on", decided)):
            if value is not None and not _is_date(value):
                yield Problem(
                    _("{case}, appeal {appeal}").format(case=_case(conn, case_id), appeal=appeal_id),
                    _("{column} {value!r} is not a date").format(column=column, value=value),
                )
    for table, broken, column, message in _ROW_RULES:
        for rowid, value, case_id in conn.execute(
            f"SELECT id, {column}, {'case_id' if table == 'appeals' else 'NULL'} FROM {table} "
            f"WHERE {broken} ORDER BY id"
        ).fetchall():
            if table == "cases":
                subject = _case(conn, rowid)
            elif table == "districts":
                subject = _district(conn, rowid)
            else:
                subject = _("{case}, appeal {appeal}").format(case=_case(conn, case_id), appeal=rowid)
            yield Problem(
                subject,
                _("{column} {value!r} {message}").format(column=column, value=value, message=_(message)),
            )


def amounts(conn: sqlite3.Connection, today: date) -> Iterator[Problem]:
    recorded = dict(conn.execute("SELECT code, exponent FROM currencies").fetchall())
    for code, exponent in sorted(recorded.items()):
        if code not in CURRENCY_EXPONENTS:
            yield Problem(
                _("currency {code}").format(code=code), _("is not an ISO 4217 code that dereg knows")
            )
        elif exponent != CURRENCY_EXPONENTS[code]:
            yield Problem(
                _("currency {code}").format(code=code),
                _(
                    "is recorded with {exponent} decimals, but ISO 4217 gives it {iso}: its amounts read wrongly"
                ).format(exponent=exponent, iso=CURRENCY_EXPONENTS[code]),
            )
    for case_id, minor, code in conn.execute(
        "SELECT id, amount_minor, currency FROM cases WHERE amount_minor IS NOT NULL ORDER BY id"
    ):
        exponent, allowed = recorded.get(code), CURRENCY_EXPONENTS.get(code)
        if exponent is None or allowed is None or not isinstance(minor, int) or exponent <= allowed:
            continue  # an unknown currency is a foreign-key problem, reported there
        if minor % 10 ** (exponent - allowed):
            amount = format_amount(abs(minor), code, exponent=exponent)
            yield Problem(
                _case(conn, case_id),
                _("amount {amount} {code} has more decimals than {code} allows ({allowed})").format(
                    amount=amount, code=code, allowed=allowed
                ),
            )


def question_twins(conn: sqlite3.Connection, today: date) -> Iterator[Problem]:
    """A name with '?' where another recorded beside it has a letter (a file saved in a code page
    that lacked the letter, sent again corrected): likely one district, or one person, twice."""
    for ident, twin_id, twin in conn.execute(
        "SELECT d.id, t.id, t.name FROM districts d JOIN districts t ON t.election_id = d.election_id "
        "AND t.region_id = d.region_id AND t.id <> d.id AND instr(t.key, '?') = 0 "
        "AND t.key GLOB replace(replace(d.key, '[', '[[]'), '*', '[*]') "
        "WHERE instr(d.key, '?') > 0 ORDER BY d.id, t.id"
    ).fetchall():
        yield Problem(
            _district(conn, ident),
            _(
                "may be district {twin_id} ({twin!r}) with a letter lost to '?': 'dereg district merge {ident} {twin_id}' unites them"
            ).format(twin_id=twin_id, twin=twin, ident=ident),
        )
    for ident, twin_id, twin in conn.execute(
        "SELECT c.id, t.id, t.candidate FROM cases c JOIN cases t ON t.district_id = c.district_id "
        "AND t.id <> c.id AND instr(t.candidate_key, '?') = 0 "
        "AND t.candidate_key GLOB replace(replace(c.candidate_key, '[', '[[]'), '*', '[*]') "
        "WHERE instr(c.candidate_key, '?') > 0 ORDER BY c.id, t.id"
    ).fetchall():
        yield Problem(
            _case(conn, ident),
            _("may be case {twin_id} ({twin}) with a letter lost to '?'").format(twin_id=twin_id, twin=twin),
        )


def likely_persons(conn: sqlite3.Connection) -> Iterator[str]:
    """Pairs of cases of one election whose candidates share a person key: likely one person,
    typed in two alphabets or orders, by two offices or twice. Not a problem (two people may
    share a name): a line for someone to look at, which `dereg check` lists after the problems
    (none from a damaged file, whose problems check_database has said)."""
    try:
        pairs = persons.likely_duplicates(conn)
        for newer, candidate, older, name in itertools.islice(pairs, LIKELY_PAIRS_LISTED):
            yield _(
                "case {older} ({name}) and case {newer} ({candidate}): likely one person; "
                "'dereg case merge {older} {newer}' unites them"
            ).format(older=older, name=name, newer=newer, candidate=candidate)
        more = persons.likely_pair_count(conn) - LIKELY_PAIRS_LISTED
        if more > 0:  # a list no one reads to the end helps no one: count the rest
            yield ngettext(
                "... and {count} more such pair (names shared by many candidates)",
                "... and {count} more such pairs (names shared by many candidates)",
                more,
            ).format(count=more)
    except sqlite3.DatabaseError:
        return


LIKELY_PAIRS_LISTED = 100


def notes(conn: sqlite3.Connection) -> list[str]:
    """What is not wrong but not known yet: elections whose voting day is not recorded (their
    regions are then named by their first names and not checked against the map)."""
    import shlex

    return [
        _("election {name!r} has no voting day: `dereg election edit {quoted} --on DATE`").format(
            name=name, quoted=shlex.quote(name)
        )
        for (name,) in conn.execute("SELECT name FROM elections WHERE voting_day IS NULL ORDER BY name")
    ]


# (what it is, for a message when it cannot run; the check), in the order problems are listed.
CHECKS: tuple[tuple[str, Callable[[sqlite3.Connection, date], Iterator[Problem]]], ...] = (
    (N_("SQLite's integrity check"), integrity),
    (N_("the foreign key check"), foreign_keys),
    (N_("the check of each row's values"), row_values),
    (N_("the check of removals against candidates"), removals),
    (N_("the check of districts' regions and seats on the election's day"), places),
    (N_("the check of cases' decision dates"), case_dates),
    (N_("the check of appeal dates"), appeal_dates),
    (N_("the check of each case's appeals against one another"), appeal_order),
    (N_("the check of amounts against their currencies"), amounts),
    (N_("the check of matching keys and search text"), derived_columns),
    (N_("the check of names with '?' beside recorded ones"), question_twins),
    (N_("the check of views, triggers and indexes against schema.sql"), schema_objects),
    (N_("the check of tables' columns against schema.sql"), table_columns),
)
# The checks that take longest on a large database, in the order to start them; the parts of
# derived_columns come next, then the rest.
_LONGEST = (integrity, appeal_order, appeal_dates)
