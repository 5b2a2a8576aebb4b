"""Where a report's figures come from: the summary views, bounded lists of districts and cases,
and counts over all of them, read in one snapshot, so that a report of a million cases is a
page a person can use, made in memory that does not grow with the cases."""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter

from dereg import summary
from dereg.cases import list_cases
from dereg.districts import scope
from dereg.report.figures import CASE_LIMIT, CUT_THRESHOLD, DISTRICT_LIMIT, MAX_BARS, ElectionReport

# The cases of one election, as the queries below read them.
IN_ELECTION = "FROM cases c JOIN districts d ON d.id = c.district_id WHERE d.election_id = ?"
# figures.cases_smallest_first's order, in SQL: KZT amounts smallest first, then other
# currencies, then no amount (which the page then shows in that order).
SMALLEST_FIRST = "c.amount_minor IS NULL, c.currency <> 'KZT', c.amount_minor, c.id"


def gather(conn: sqlite3.Connection, election: str | None = None) -> list[ElectionReport]:
    """The figures of each election (or of the one named), read from the summary views."""
    conn.execute("BEGIN")  # one snapshot: every figure from the same state of the database
    try:
        return _gather(conn, election)
    finally:
        conn.execute("ROLLBACK")  # nothing was written


def _gather(conn: sqlite3.Connection, election: str | None) -> list[ElectionReport]:
    reports = []
    # Each election's questions answered from one pass: a summary by district or by region
    # of one election, whose total is the election's; and the elections.
    by_election = summary.TOTAL_LEVELS[True, False]
    levels = summary.materialized(
        conn,
        {"district": ("district", by_election), "region": ("region", by_election), "election": ("election",)},
    )
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

        won = conn.execute(
            f"SELECT count(*) FROM appeals a WHERE a.outcome = 'reinstated' AND a.case_id IN (SELECT c.id {IN_ELECTION})",
            (election_id,),
        ).fetchone()[0]
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
        outcomes = Counter(
            dict(
                conn.execute(
                    f"SELECT o.outcome, count(*) FROM case_outcome o WHERE o.case_id IN (SELECT c.id {IN_ELECTION}) "
                    "GROUP BY o.outcome",
                    (election_id,),
                ).fetchall()
            )
        )
        cases, appealed_listed = _listed_cases(conn, name, election_id, sum(outcomes.values()))
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
                outcomes=outcomes,
                counts=counts,
                kzt_amounts=amounts,
                worst=[d for d in worst if d["reduction_pct"]],
                case_count=sum(outcomes.values()),
                appealed_listed=appealed_listed,
            )
        )
    return reports


def _listed_cases(conn: sqlite3.Connection, name: str, election_id: int, count: int) -> tuple[list, int]:
    """Every case, when they are few; else the CASE_LIMIT smallest discrepancies and up to as
    many cases that went to court (smallest discrepancy first); and how many of those."""
    if count <= 2 * CASE_LIMIT:
        return list(list_cases(conn, election=name)), 0

    smallest = [
        ident
        for (ident,) in conn.execute(
            f"SELECT c.id {IN_ELECTION} ORDER BY {SMALLEST_FIRST} LIMIT ?",
            (election_id, CASE_LIMIT),
        )
    ]
    appealed = [
        ident
        for (ident,) in conn.execute(
            f"SELECT c.id {IN_ELECTION} AND c.id NOT IN ({', '.join(map(str, smallest)) or 'NULL'}) "
            "AND EXISTS (SELECT 1 FROM appeals a WHERE a.case_id = c.id) "
            f"ORDER BY {SMALLEST_FIRST} LIMIT ?",
            (election_id, CASE_LIMIT),
        )
    ]
    return list(list_cases(conn, ids=smallest + appealed)), len(appealed)
