"""Where a report's figures come from: the summary views, bounded lists of districts and cases,
and counts over all of them, read in one snapshot, so that a report of a million cases is a
page a person can use, made in memory that does not grow with the cases."""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter

from dereg import parallel, summary
from dereg.cases import list_cases
from dereg.districts import scope
from dereg.report.figures import CASE_LIMIT, CUT_THRESHOLD, DISTRICT_LIMIT, MAX_BARS, ElectionReport

# The cases of one election, as the queries below read them.
IN_ELECTION = "FROM cases c JOIN districts d ON d.id = c.district_id WHERE d.election_id = ?"
# figures.cases_smallest_first's order, in SQL: KZT amounts smallest first, then other
# currencies, then no amount (which the page then shows in that order).
SMALLEST_FIRST = "c.amount_minor IS NULL, c.currency <> 'KZT', c.amount_minor, c.id"


def gather(
    conn: sqlite3.Connection, election: str | None = None, *, helpers: int | None = None
) -> list[ElectionReport]:
    """The figures of each election (or of the one named), read from the summary views. On a
    large database helper processes (dereg.parallel) work out parts of them, in the same
    snapshot; helpers: how many (by default one per other core)."""
    if helpers is None:
        helpers = parallel.helpers_wanted() if _cases(conn) >= PARALLEL_FROM else 0
    conn.execute("BEGIN")  # one snapshot: every figure from the same state of the database
    try:
        parts = [*_LEVELS[1:], *(("elections", k, ELECTION_PARTS) for k in range(ELECTION_PARTS))]
        done = parallel.run(conn, parts, _part, (election, CASE_LIMIT), helpers, own=_LEVELS[:1])
        return _gather(conn, election, done)
    finally:
        conn.execute("ROLLBACK")  # nothing was written


# Cases from which helpers share the work (a helper's start costs about a tenth of a second).
PARALLEL_FROM = 20_000
# Each election's question answered from one pass: a summary by district or by region of one
# election, whose total is the election's; and the elections. The district level (tens of
# thousands of rows) is made here, as a temporary table; the others, of few rows, anywhere.
_LEVELS = (
    ("level", "district", ("district", summary.TOTAL_LEVELS[True, False])),
    ("level", "region", ("region", summary.TOTAL_LEVELS[True, False])),
    ("level", "election", ("election",)),
)
ELECTION_PARTS = 4  # the elections' own figures, in this many parts


def _cases(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT max(id) FROM cases").fetchone()[0] or 0


def _part(conn: sqlite3.Connection, part: tuple, election: str | None, case_limit: int):
    """One part's figures (in a helper too, on its own connection): a level view's table made
    here (district), a level view's rows, or the own figures of every n-th election."""
    if part[0] == "level":
        _level, by, kept = part
        return (
            summary.materialized(conn, {by: kept})[by]
            if by == "district"
            else summary.level_rows(conn, by, kept)
        )
    _elections, k, n = part
    if election is not None:
        ids = [scope(conn, election, None)[0]]
    else:
        ids = [ident for (ident,) in conn.execute("SELECT id FROM elections ORDER BY id")]
    return {ident: _own_figures(conn, ident, case_limit) for ident in ids[k::n]}


def _own_figures(
    conn: sqlite3.Connection, election_id: int, case_limit: int
) -> tuple[int, dict, list[int] | None, int]:
    """What an election's report reads of its cases beside the summary: the appeals won, the
    count of each outcome, and the ids of the cases listed (None: every case) and how many of
    those went to court."""
    won = conn.execute(
        f"SELECT count(*) FROM appeals a WHERE a.outcome = 'reinstated' AND a.case_id IN (SELECT c.id {IN_ELECTION})",
        (election_id,),
    ).fetchone()[0]
    outcomes = dict(
        conn.execute(
            f"SELECT o.outcome, count(*) FROM case_outcome o WHERE o.case_id IN (SELECT c.id {IN_ELECTION}) "
            "GROUP BY o.outcome",
            (election_id,),
        ).fetchall()
    )
    ids, appealed = _listed_ids(conn, election_id, sum(outcomes.values()), case_limit)
    return won, outcomes, ids, appealed


def _gather(conn: sqlite3.Connection, election: str | None, done: dict) -> list[ElectionReport]:
    reports = []
    levels = {"district": done[_LEVELS[0]]}  # made here: its table's name
    for part in _LEVELS[1:]:  # their rows, made anywhere
        levels[part[1]] = summary.with_rows(conn, part[1], done[part])
    own = {
        ident: figures
        for part, found in done.items()
        if part[0] == "elections"
        for ident, figures in found.items()
    }
    for totals in summary.summary(conn, "election", election, levels=levels):
        name = totals["election"]
        election_id = scope(conn, name, None)[0]
        counts = summary.district_counts(conn, election_id, CUT_THRESHOLD, levels=levels)
        regions, region_total = summary.with_total(conn, "region", name, levels=levels)
        limit = None if counts["all"] <= DISTRICT_LIMIT else DISTRICT_LIMIT
        districts, district_total = summary.with_total(
            conn, "district", name, hardest_hit=limit, levels=levels
        )
        worst, _total = summary.with_total(conn, "district", name, hardest_hit=MAX_BARS, levels=levels)
        won, outcomes, ids, appealed_listed = own[election_id]
        amounts = array(
            "q",
            (
                tiyn
                for (tiyn,) in conn.execute(
                    f"SELECT c.amount_minor {IN_ELECTION} AND c.currency = 'KZT' AND c.amount_minor IS NOT NULL "
                    "ORDER BY c.amount_minor",
                    (election_id,),
                )
            ),
        )
        cases = list(list_cases(conn, election=name) if ids is None else list_cases(conn, ids=ids))
        reports.append(
            ElectionReport(
                election=name,
                totals=totals,
                regions=regions,
                region_total=region_total,
                districts=districts,
                district_total=district_total,
                cases=cases,
                appeals_won=won,
                outcomes=Counter(outcomes),
                counts=counts,
                kzt_amounts=amounts,
                worst=[d for d in worst if d["reduction_pct"]],
                case_count=sum(outcomes.values()),
                appealed_listed=appealed_listed,
            )
        )
    return reports


def _listed_ids(
    conn: sqlite3.Connection, election_id: int, count: int, limit: int
) -> tuple[list[int] | None, int]:
    """Every case (None), when they are few; else the limit (CASE_LIMIT) smallest discrepancies
    and up to as many cases that went to court (smallest discrepancy first); and how many of those."""
    if count <= 2 * limit:
        return None, 0

    smallest = [
        ident
        for (ident,) in conn.execute(
            f"SELECT c.id {IN_ELECTION} ORDER BY {SMALLEST_FIRST} LIMIT ?",
            (election_id, limit),
        )
    ]
    appealed = [
        ident
        for (ident,) in conn.execute(
            f"SELECT c.id {IN_ELECTION} AND c.id NOT IN ({', '.join(map(str, smallest)) or 'NULL'}) "
            "AND EXISTS (SELECT 1 FROM appeals a WHERE a.case_id = c.id) "
            f"ORDER BY {SMALLEST_FIRST} LIMIT ?",
            (election_id, limit),
        )
    ]
    return smallest + appealed, len(appealed)
