"""The summary views read cases and appeals through covering indexes, never their wide rows.

Speed is measured in benchmarks/; this guards the query plans that make it, so a change to a
view or an index that sends SQLite back to the tables (2-3 times slower over a million cases)
fails here instead of going unnoticed.
"""

from __future__ import annotations

import pytest

from dereg import db
from dereg.summary import LEVELS

# The names the views give the cases and appeals tables.
WIDE_TABLES = {"cases", "appeals", "c", "a", "later"}


def plan(conn, sql: str) -> list[str]:
    return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]


@pytest.mark.parametrize("by", sorted(LEVELS))
def test_the_summary_reads_only_covering_indexes_of_cases_and_appeals(db_path, by):
    conn = db.connect(db_path)
    steps = plan(conn, f"SELECT * FROM {LEVELS[by]} WHERE level = '{by}'")
    wide = [
        step for step in steps if step.split()[0] in ("SCAN", "SEARCH") and step.split()[1] in WIDE_TABLES
    ]
    assert wide, steps  # the views do read cases and appeals
    assert [step for step in wide if "COVERING INDEX" not in step] == [], steps
