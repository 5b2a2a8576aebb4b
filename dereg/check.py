"""`dereg check`: the database's integrity and the cases' own consistency, as a list of problems.

The domain's rules are dereg.rules, which every write path also runs; here they run over every
row, beside checks of what only a change outside dereg can break.

Nothing here prints or writes. Each check reads one snapshot of the database, so a check run
while others write sees the cases as they stood at one moment. Several checks look for what
the tool itself never writes: they catch changes made outside dereg (sqlite3, a spreadsheet
tool, a restored or damaged file).
"""

from __future__ import annotations

import functools
import itertools
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date

from dereg import persons
from dereg.i18n import N_, _, ngettext
from dereg.migrations import schema_statements
from dereg.money import CURRENCY_EXPONENTS, format_amount
from dereg.rules import Problem, appeal_dates, appeal_order, case_dates, places, removals
from dereg.rules import case_subject as _case
from dereg.rules import district_subject as _district
from dereg.text import SearchTexts, candidate_keys, fold, search_text


def check_database(conn: sqlite3.Connection, today: date | None = None) -> list[Problem]:
    """Every problem found, the database's own checks first; an empty list means none."""
    today = today or date.today()
    problems: list[Problem] = []
    conn.execute("BEGIN")  # one read snapshot for every check; writers go on meanwhile (WAL)
    try:
        for what, check in CHECKS:
            try:
                problems.extend(check(conn, today))
            except sqlite3.DatabaseError as exc:  # a damaged page, a dropped view
                damaged = (getattr(exc, "sqlite_errorname", None) or "").startswith("SQLITE_CORRUPT")
                advice = _(": the file is damaged; restore it from a backup") if damaged else ""
                problems.append(
                    Problem(
                        _("database"),
                        _("{what} could not run ({exc}){advice}").format(
                            what=_(what), exc=exc, advice=advice
                        ),
                    )
                )
    finally:
        conn.execute("ROLLBACK")
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


def derived_columns(
    conn: sqlite3.Connection, today: date, part: tuple[int, int] = (0, 1), stale: set[int] | None = None
) -> Iterator[Problem]:
    """Keys and search texts as dereg writes them. part (k, n): the k-th of n ranges of case ids
    (the first also checks the elections' and districts' keys); with stale given, the districts
    of outdated keys are added to it and their twins left to the caller (twins())."""
    if part[0] == 0:
        yield from _named_keys(conn)
    found: set[int] = set() if stale is None else stale
    yield from _case_keys(conn, _id_range(conn, *part), found)
    if stale is None:
        yield from twins(conn, found)


def _named_keys(conn: sqlite3.Connection) -> Iterator[Problem]:
    for table in ("elections", "districts"):
        # A stream: a national database has tens of thousands of districts.
        for row_id, name, key in conn.execute(f"SELECT id, name, key FROM {table} ORDER BY id"):
            if key != fold(name):
                subject = (
                    _district(conn, row_id)
                    if table == "districts"
                    else _("election {name!r}").format(name=name)
                )
                yield Problem(subject, _("its matching key is out of date (renamed outside dereg?)"))


def _id_range(conn: sqlite3.Connection, k: int, n: int) -> str:
    """SQL that keeps the k-th of n equal ranges of case ids: the first open below, the last above."""
    if n == 1:
        return "1"
    low, high = conn.execute("SELECT min(id), max(id) FROM cases").fetchone()
    if low is None:
        return "1" if k == 0 else "0"
    size = -(-(high - low + 1) // n)
    bounds = [
        f"c.id >= {low + k * size}" if k > 0 else "",
        f"c.id < {low + (k + 1) * size}" if k < n - 1 else "",
    ]
    return " AND ".join(bound for bound in bounds if bound) or "1"


# Names repeat (one person removed in several districts, common names): each one's keys worked
# out once. A bound, so memory does not grow with the cases.
_NAMES_CACHED = 1 << 14


def _case_keys(conn: sqlite3.Connection, ids: str, stale: set[int]) -> Iterator[Problem]:
    texts = SearchTexts()  # parties and districts repeat: folded and keyed once
    names = functools.lru_cache(_NAMES_CACHED)(candidate_keys)
    for case_id, district_id, candidate, key, person, search, *words in conn.execute(
        "SELECT c.id, c.district_id, c.candidate, c.candidate_key, c.person_key, c.search, "
        "c.nominated_by, c.reason, c.notes, d.name FROM cases c "
        f"LEFT JOIN districts d ON d.id = c.district_id WHERE {ids} ORDER BY c.id"
    ):
        folded, latin, personal = names(candidate)
        outdated = key != folded or person not in ("", personal)  # "": added by SQL
        if (
            outdated
            or search != texts(candidate, *words, folded=folded, key=latin)
            and search != search_text(candidate, *words)
        ):
            yield Problem(
                _case(conn, case_id),
                _(
                    "its matching key or search text is out of date (changed outside dereg?); any 'dereg case edit' of it refreshes them"
                ),
            )
            stale.add(district_id)


def twins(conn: sqlite3.Connection, stale: set[int]) -> Iterator[Problem]:
    """Cases of one candidate in one district, among the districts of stale keys."""
    # With every key right, UNIQUE (district_id, candidate_key) allows no twin; so only the
    # districts of stale keys are read again, one at a time, in memory that does not grow.
    for district_id in sorted(stale, key=lambda ident: (ident is None, ident)):
        seen: dict[str, int] = {}
        for case_id, candidate in conn.execute(
            "SELECT id, candidate FROM cases WHERE district_id IS ? ORDER BY id", (district_id,)
        ):
            twin = seen.setdefault(fold(candidate), case_id)
            if twin != case_id:
                yield Problem(
                    _case(conn, case_id),
                    _("is the same candidate in the same district as case {twin}").format(twin=twin),
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


def schema_objects(conn: sqlite3.Connection, today: date) -> Iterator[Problem]:
    # SQL text, not sqlite-utils' introspection: its Index has no WHERE or expressions to compare.
    shipped = sqlite3.connect(":memory:")
    for statement in schema_statements():
        shipped.execute(statement)
    query = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger', 'index') AND sql IS NOT NULL"
    expected = {(kind, name): sql for kind, name, sql in shipped.execute(query)}
    shipped.close()
    present = {(kind, name): sql for kind, name, sql in conn.execute(query)}
    for (kind, name), sql in sorted(expected.items()):
        if (kind, name) not in present:
            consequence = _(" (the audit log can be changed)") if name.startswith("audit_log_no") else ""
            yield Problem(
                _("database"),
                _("{kind} {name} is missing{consequence}").format(
                    kind=kind, name=name, consequence=consequence
                ),
            )
        elif present[(kind, name)] != sql:
            yield Problem(
                _("database"), _("{kind} {name} differs from schema.sql").format(kind=kind, name=name)
            )


def table_columns(conn: sqlite3.Connection, today: date) -> Iterator[Problem]:
    """Each table's columns (name, type, NOT NULL, key) as schema.sql makes them: a column added,
    dropped or retyped outside dereg. sqlite-utils reads the layout of both databases alike."""
    from sqlite_utils import Database

    def layout(database: Database) -> dict[str, list[tuple]]:
        return {
            table.name: [(c.name, c.type.upper(), bool(c.notnull), c.is_pk) for c in table.columns]
            for table in database.tables
        }

    shipped = sqlite3.connect(":memory:")
    for statement in schema_statements():
        shipped.execute(statement)
    expected, present = layout(Database(shipped)), layout(Database(conn))
    shipped.close()
    for table, columns in sorted(expected.items()):
        if table not in present:
            yield Problem(_("database"), _("table {table} is missing").format(table=table))
            continue
        have = {column[0]: column for column in present[table]}
        for column in columns:
            if column[0] not in have:
                yield Problem(
                    _("database"),
                    _("table {table} has no column {column} (changed outside dereg?)").format(
                        table=table, column=column[0]
                    ),
                )
            elif have[column[0]] != column:
                yield Problem(
                    _("database"),
                    _("table {table}: column {column} differs from schema.sql").format(
                        table=table, column=column[0]
                    ),
                )
        for extra in sorted(set(have) - {column[0] for column in columns}):
            yield Problem(
                _("database"),
                _("table {table} has a column {extra} that schema.sql does not").format(
                    table=table, extra=extra
                ),
            )


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
