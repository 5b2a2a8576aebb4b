"""The Python floor for an import: `python benchmarks/floor.py FILE.csv OUT.db`.

csv.reader straight into sqlite3's executemany, one transaction, into a plain table of TEXT
columns named by the header: no checks, no normalisation, no indexes. Nothing written in
Python imports a CSV faster than this, so dereg's import is measured against it.
"""

import csv
import sqlite3
import sys


def load(path: str, database: str) -> int:
    conn = sqlite3.connect(database, isolation_level=None)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        columns = ", ".join(f'"{name}" TEXT' for name in header)
        conn.execute(f"CREATE TABLE cases ({columns})")
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO cases VALUES ({', '.join('?' * len(header))})", reader)
        conn.execute("COMMIT")
    rows = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    conn.close()
    return rows


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/floor.py FILE.csv OUT.db")
    print(f"{load(sys.argv[1], sys.argv[2])} rows", file=sys.stderr)
