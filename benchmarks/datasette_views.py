"""How long the queries Datasette runs on a view's first page take, view by view.

    python benchmarks/datasette_views.py DB [DB ...]

For each view (and each table a published copy adds) it times what Datasette's table page
asks for: the first page (`select * ... limit 101`), the row count, and one facet
(region, decision or outcome where the view has it). Datasette's default time limit is 1 s
per query (sql_time_limit_ms = 1000). Timings are wall-clock, best of three, on a cold
connection each round (so first-load cost is included: nothing cached in the connection).
"""

from __future__ import annotations

import sqlite3
import sys
import time

FACETS = ("region", "decision", "appeal_outcome", "outcome")


def queries(conn: sqlite3.Connection, name: str) -> list[tuple[str, str]]:
    columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')]
    found = [
        ("first page", f'select * from "{name}" limit 101'),
        ("count", f'select count(*) from (select * from "{name}")'),
    ]
    for facet in FACETS:
        if facet in columns:
            found.append(
                (
                    f"facet {facet}",
                    f'select "{facet}", count(*) from (select * from "{name}") group by "{facet}" '
                    "order by count(*) desc limit 31",
                )
            )
            break
    return found


def best_of(path: str, sql: str, rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        start = time.perf_counter()
        conn.execute(sql).fetchall()
        best = min(best, time.perf_counter() - start)
        conn.close()
    return best


def main(paths: list[str]) -> None:
    for path in paths:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        (cases,) = conn.execute("select count(*) from cases").fetchone()
        names = [
            row[0]
            for row in conn.execute(
                "select name from sqlite_master where type = 'view' or (type = 'table' and name like 'summary_by_%') order by name"
            )
        ]
        print(f"{path}: {cases:,} cases")
        print(f"{'view':28} {'query':24} {'seconds':>8}")
        for name in names:
            for label, sql in queries(conn, name):
                seconds = best_of(path, sql)
                flag = "  over 1 s" if seconds > 1 else ""
                print(f"{name:28} {label:24} {seconds:8.3f}{flag}")
        conn.close()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
