"""What an import's writes cost alone: `python benchmarks/writes.py FILE.csv`.

dereg imports FILE once (untimed) to get the rows it writes, then times writing exactly those
rows again, already checked and normalised, into a new database with dereg's schema, and
into variants of it, next to the Python floor (floor.py's work, in this process) on the same
file. It shows how much of the import the floor's 1.3x leaves for reading and checking.
Medians of --rounds runs, each variant on a new file, the order rotating round by round.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import floor  # noqa: E402

from dereg import db  # noqa: E402
from dereg.csvio.pipeline import IMPORT_CACHE, import_cases  # noqa: E402
from dereg.csvio.source import open_source  # noqa: E402

CASE_COLUMNS = (
    "id, district_id, candidate, candidate_key, nominated_by, decision, decided_on, "
    "reason, amount_minor, currency, notes, search, person_key"
)
APPEAL_COLUMNS = "case_id, instance, court, filed_on, outcome, decided_on"
CASE_INSERT = f"INSERT INTO cases ({CASE_COLUMNS}) VALUES ({', '.join('?' * 13)})"
APPEAL_INSERT = f"INSERT INTO appeals ({APPEAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
BATCH = 5000  # as the importer writes


def rows_written(csv_path: Path, work: Path) -> tuple[list, list, list]:
    """Import the file with dereg; the places, cases and appeals rows it wrote."""
    conn = db.connect(work / "source.db")
    with open_source(str(csv_path)) as source:
        import_cases(conn, source, actor="benchmark")
    places = [
        (table, conn.execute(f"SELECT * FROM {table}").fetchall()) for table in ("elections", "districts")
    ]
    cases = conn.execute(f"SELECT {CASE_COLUMNS} FROM cases ORDER BY id").fetchall()
    appeals = conn.execute(f"SELECT {APPEAL_COLUMNS} FROM appeals ORDER BY id").fetchall()
    conn.close()
    return places, cases, appeals


def new_database(path: Path, places, *, any_thread: bool = False) -> sqlite3.Connection:
    """A new file with dereg's schema (WAL) and the import's places, opened as dereg opens it."""
    db.connect(path).close()
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=not any_thread)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    for table, rows in places:  # the elections dereg seeds are there already
        conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    return conn


def write(
    path: Path, places, cases, appeals, *, foreign_keys=True, covering=True, lines=True, cache=None
) -> float:
    """Seconds to write cases and appeals (and the importer's line table) in one transaction;
    covering=False: the indexes no constraint needs dropped first (not made again)."""
    conn = new_database(path, places)
    if cache is not None:
        conn.execute(f"PRAGMA cache_size = {cache}")
    if not covering:
        conn.execute("DROP INDEX cases_district")
        conn.execute("DROP INDEX cases_person")
        conn.execute("DROP INDEX appeals_outcome")
    if not foreign_keys:
        conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "CREATE TEMP TABLE import_lines (case_id INTEGER NOT NULL, slot TEXT NOT NULL, "
        "line INTEGER NOT NULL, PRIMARY KEY (case_id, slot)) WITHOUT ROWID"
    )
    # The line table has a row per line of the file: one per appeal, one per case with none.
    appealed = {row[0] for row in appeals}
    slots = [(row[0], "") for row in cases if row[0] not in appealed]
    slots += [(row[0], row[1]) for row in appeals]
    slots = [(case_id, slot, line) for line, (case_id, slot) in enumerate(sorted(slots), 2)]
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for i in range(0, len(cases), BATCH):
        conn.executemany(CASE_INSERT, cases[i : i + BATCH])
    for i in range(0, len(appeals), BATCH):
        conn.executemany(APPEAL_INSERT, appeals[i : i + BATCH])
    if lines:
        conn.executemany("INSERT INTO temp.import_lines VALUES (?, ?, ?)", slots)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def overlapped(path: Path, places, cases, appeals, *, threaded: bool) -> float:
    """Seconds for the writes plus Python work of the import's size (checking each row's cells),
    one after the other, or the writes in a second thread: does the second core help?

    sqlite3 lets go of the GIL inside each row's sqlite3_step, but takes it back for the next
    row, and a thread running Python gives it up only every sys.getswitchinterval() seconds.
    """
    import queue
    import threading

    conn = new_database(path, places, any_thread=True)
    batches = [cases[i : i + BATCH] for i in range(0, len(cases), BATCH)]
    pending: queue.Queue = queue.Queue(maxsize=2)

    def writer() -> None:
        while (batch := pending.get()) is not None:
            conn.executemany(CASE_INSERT, batch)

    thread = threading.Thread(target=writer) if threaded else None
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    if thread:
        thread.start()
    for batch in batches:
        for row in batch:  # about what checking a row's cells costs
            [str(value).strip().casefold() for value in row for _ in range(4)]
        if thread:
            pending.put(batch)
        else:
            conn.executemany(CASE_INSERT, batch)
    if thread:
        pending.put(None)
        thread.join()
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="a cases CSV, e.g. gen.py's 100k-rows.csv")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dereg-writes-") as folder:
        work = Path(folder)
        places, cases, appeals = rows_written(args.file, work)
        count = 0

        def fresh() -> Path:
            nonlocal count
            count += 1
            return work / f"w{count}.db"

        contenders: dict[str, Callable[[], float]] = {
            "floor.py (read the CSV, write a plain table)": lambda: _timed(
                lambda: floor.load(str(args.file), str(fresh()))
            ),
            "dereg's writes: cases, appeals, line table": lambda: write(fresh(), places, cases, appeals),
            "  without the line table": lambda: write(fresh(), places, cases, appeals, lines=False),
            "  without foreign key checks": lambda: write(
                fresh(), places, cases, appeals, foreign_keys=False
            ),
            "  without the three covering indexes": lambda: write(
                fresh(), places, cases, appeals, covering=False
            ),
            "as the import writes (indexes set aside, its cache)": lambda: write(
                fresh(), places, cases, appeals, covering=False, cache=IMPORT_CACHE
            ),
            "cases written after Python work, one thread": lambda: overlapped(
                fresh(), places, cases, appeals, threaded=False
            ),
            "  the writes in a second thread": lambda: overlapped(
                fresh(), places, cases, appeals, threaded=True
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in contenders}
        names = list(contenders)
        for r in range(args.rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                times[name].append(contenders[name]())
    floor_s = statistics.median(times[names[0]])
    print(
        f"{args.file.name}: {len(cases):,} cases and {len(appeals):,} appeals written; "
        f"medians of {args.rounds} rounds"
    )
    for name in names:
        seconds = statistics.median(times[name])
        print(f"{name:48} {seconds:6.3f} s  {seconds / floor_s:5.2f}x the floor")


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
