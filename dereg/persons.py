"""One person across alphabets: cases whose candidates share a person key (text.person_key) in
one election are likely one person recorded twice ('Tulesova Asya' and 'Тулесова Асья').

The key finds; people decide. An import or a merge warns of each new case that matches a case
recorded before; `dereg check` lists every such pair; `dereg case merge KEEP OTHER` unites two.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

# Two cases in one election whose candidates share a non-empty person key; `n` is the newer.
_PAIRS = (
    "SELECT n.id, n.candidate, o.id, o.candidate FROM cases n "
    "JOIN districts nd ON nd.id = n.district_id "
    "JOIN cases o ON o.person_key = n.person_key AND o.id < {older} "
    "JOIN districts od ON od.id = o.district_id AND od.election_id = nd.election_id "
    "WHERE n.person_key <> '' AND {newer} ORDER BY n.id, o.id"
)


def new_likely_duplicates(conn: sqlite3.Connection, first_id: int) -> Iterator[tuple[int, str, int, str]]:
    """(new id, its candidate, recorded id, its candidate): each case from first_id on whose
    person key matches a case recorded before it, in the same election."""
    yield from conn.execute(_PAIRS.format(older="?1", newer="n.id >= ?1"), (first_id,))


def likely_duplicates(conn: sqlite3.Connection) -> Iterator[tuple[int, str, int, str]]:
    """Every pair of cases in one election with the same person key, the newer first."""
    yield from conn.execute(_PAIRS.format(older="n.id", newer="1"))


def likely_pair_count(conn: sqlite3.Connection) -> int:
    """How many pairs likely_duplicates() gives, counted by key (n cases: n(n-1)/2 pairs)."""
    return conn.execute(
        "SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM cases c "
        "JOIN districts d ON d.id = c.district_id WHERE c.person_key <> '' "
        "GROUP BY d.election_id, c.person_key HAVING n > 1)"
    ).fetchone()[0]


def may_be(candidate: str, case: int, recorded: str) -> str:
    """The warning's words: '"Tulesova Asya" may be case 3 "Тулесова Асья"'."""
    from dereg.i18n import _

    return _('"{candidate}" may be case {case} "{recorded}"').format(
        candidate=candidate, case=case, recorded=recorded
    )
