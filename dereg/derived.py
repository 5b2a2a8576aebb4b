"""The columns dereg derives from others, against what dereg would write: a case's
candidate_key, person_key and search text, an election's and a district's key. `dereg check`
runs this check (dereg.check) in parts, each over a range of case ids, and then looks for twins
among the districts of stale keys.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from datetime import date

from dereg.i18n import _
from dereg.rules import Problem
from dereg.rules import case_subject as _case
from dereg.rules import district_subject as _district
from dereg.text import SearchTexts, candidate_keys, fold, search_text


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
