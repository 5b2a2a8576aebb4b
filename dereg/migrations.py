"""The schema and its versions: schema.sql applied, reference data seeded, and the numbered
migrations that bring an older dereg database up to SCHEMA_VERSION in place, row for row.

db.connect() runs them inside its write lock, with foreign keys off (they cannot change
inside a transaction) and checked as a whole before it commits.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from importlib import resources

from dereg.text import election_key, fold, fold_region, person_key, search_text

SCHEMA_VERSION = 12
OFFICES_SINCE = 11  # the version that gave databases an office identity (_migrate_to_11)


def schema_sql() -> str:
    return resources.files("dereg").joinpath("schema.sql").read_text(encoding="utf-8")


def schema_statements() -> Iterator[str]:
    """Split schema.sql into statements (trigger bodies hold semicolons of their own)."""
    statement = ""
    for line in schema_sql().splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement.strip()
            statement = ""
    if statement.strip() and not statement.strip().startswith("--"):
        raise RuntimeError("schema.sql ends inside a statement")


def apply_schema(conn: sqlite3.Connection) -> None:
    """Recreate views and triggers from schema.sql, create what is missing, seed reference data."""
    _drop_views_and_triggers(conn)
    for statement in schema_statements():
        conn.execute(statement)
    seed(conn)


def _drop_views_and_triggers(conn: sqlite3.Connection) -> None:
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')"
    ).fetchall():
        conn.execute(f'DROP {kind} IF EXISTS "{name}"')


def seed(conn: sqlite3.Connection) -> None:
    from dereg.money import CURRENCY_EXPONENTS

    conn.executemany(
        "INSERT OR IGNORE INTO currencies (code, exponent) VALUES (?, ?)",
        sorted(CURRENCY_EXPONENTS.items()),
    )
    if not conn.execute("SELECT meta.value FROM meta WHERE key = 'redaction_secret'").fetchone():
        conn.execute("INSERT INTO meta (key, value) VALUES ('redaction_secret', ?)", (os.urandom(32).hex(),))
    _seed_regions(conn)
    _seed_elections(conn)
    _seed_office(conn)


def _seed_elections(conn: sqlite3.Connection) -> None:
    """The national elections from dereg/data/elections.csv, each once (one a user deleted is
    not brought back): a recorded election any of whose spellings names a shipped one becomes
    it, gaining its day, kind and source; its own name stays. Every election's own name is one
    of its spellings."""
    for ident, name in conn.execute("SELECT id, name FROM elections ORDER BY id").fetchall():
        conn.execute(
            "INSERT OR IGNORE INTO election_aliases (key, alias, election_id) VALUES (?, ?, ?)",
            (election_key(name), name, ident),
        )
    row = conn.execute("SELECT value FROM meta WHERE key = 'elections_seeded'").fetchone()
    seeded = set(row[0].split()) if row else set()
    text = resources.files("dereg").joinpath("data", "elections.csv").read_text(encoding="utf-8")
    for election in csv.DictReader(text.splitlines()):
        if election["key"] in seeded:
            continue
        spellings = [election["name"], *filter(None, election["aliases"].split("|"))]
        keys = sorted({election_key(spelling) for spelling in spellings})
        found = conn.execute(
            f"SELECT e.id FROM election_aliases a JOIN elections e ON e.id = a.election_id "
            f"WHERE a.key IN ({', '.join('?' * len(keys))}) AND e.shipped IS NULL ORDER BY e.id LIMIT 1",
            keys,
        ).fetchone()
        shipped = (election["key"], election["voting_day"], election["kind"], election["source"])
        if found:
            ident = found[0]
            conn.execute(
                "UPDATE elections SET shipped = ?, voting_day = coalesce(voting_day, ?), "
                "kind = coalesce(kind, ?), source = coalesce(source, ?) WHERE id = ?",
                (*shipped, ident),
            )
        else:
            ident = conn.execute(
                "INSERT INTO elections (shipped, voting_day, kind, source, name, key) VALUES (?, ?, ?, ?, ?, ?)",
                (*shipped, election["name"], fold(election["name"])),
            ).lastrowid
        for spelling in spellings:
            conn.execute(
                "INSERT OR IGNORE INTO election_aliases (key, alias, election_id) VALUES (?, ?, ?)",
                (election_key(spelling), spelling, ident),
            )
        seeded.add(election["key"])
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('elections_seeded', ?)", (" ".join(sorted(seeded)),)
    )


def _seed_office(conn: sqlite3.Connection) -> None:
    """The database's own identity, made once: a random id, and a name 'dereg init --office' changes."""
    if conn.execute("SELECT 1 FROM meta WHERE key = 'office_id'").fetchone():
        return
    ident = uuid.uuid4().hex
    conn.execute(
        "INSERT INTO offices (id, name) VALUES (?, ?)", (ident, f"office {ident[:8]}")
    )  # offices.unnamed
    conn.execute("INSERT INTO meta (key, value) VALUES ('office_id', ?)", (ident,))


def _seed_regions(conn: sqlite3.Connection) -> None:
    """The map over time from dereg/data/regions.csv: a row per name period of a region's
    identity; every name and alias of any period is a spelling of that one region."""
    text = resources.files("dereg").joinpath("data", "regions.csv").read_text(encoding="utf-8")
    periods: dict[str, list[dict]] = {}
    for row in csv.DictReader(text.splitlines()):
        periods.setdefault(row["region_id"], []).append(row)
    for rows in periods.values():
        rows.sort(key=lambda row: row["valid_from"])  # '' (before 2004) first
        first, last = rows[0], rows[-1]
        conn.execute(
            "INSERT OR IGNORE INTO regions (name, kind) VALUES (?, ?)", (first["name"], first["kind"])
        )
        region_id = conn.execute("SELECT id FROM regions WHERE name = ?", (first["name"],)).fetchone()[0]
        conn.execute(
            "UPDATE regions SET valid_from = ?, valid_to = ?, iso_code = ? WHERE id = ?",
            (first["valid_from"] or None, last["valid_to"] or None, last["iso_code"] or None, region_id),
        )
        for row in rows:
            conn.execute(
                "INSERT OR IGNORE INTO region_names (region_id, name, valid_from, valid_to, iso_code) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    region_id,
                    row["name"],
                    row["valid_from"] or None,
                    row["valid_to"] or None,
                    row["iso_code"] or None,
                ),
            )
            for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
                conn.execute(
                    "INSERT OR IGNORE INTO region_aliases (key, alias, region_id) VALUES (?, ?, ?)",
                    (fold_region(alias), alias, region_id),
                )


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    """Version 2 adds the folded search column (filled here) and the audit log (schema.sql)."""
    conn.execute("ALTER TABLE cases ADD COLUMN search TEXT NOT NULL DEFAULT ''")
    rows = conn.execute(
        "SELECT c.id, c.candidate, c.nominated_by, c.reason, c.notes, d.name "
        "FROM cases c JOIN districts d ON d.id = c.district_id"
    ).fetchall()
    conn.executemany(
        "UPDATE cases SET search = ? WHERE id = ?",
        [(search_text(*row[1:]), row[0]) for row in rows],
    )


def _migrate_to_3(conn: sqlite3.Connection) -> None:
    """Version 3 only adds a trigger (schema.sql): INSERT OR REPLACE cannot overwrite an audit row."""


def _migrate_to_4(conn: sqlite3.Connection) -> None:
    """Version 4 widens two indexes so the summary views read no table rows (schema.sql)."""
    conn.execute("DROP INDEX IF EXISTS cases_district")  # now (district_id, currency, amount_minor)
    conn.execute("DROP INDEX IF EXISTS appeals_case")  # now appeals_outcome, covering the outcome


def _migrate_to_5(conn: sqlite3.Connection) -> None:
    """Version 5 tightens the CHECKs (impossible dates refused, enums as OR chains)."""
    for table in ("districts", "cases", "appeals"):
        _rebuild(conn, table)


def _migrate_to_6(conn: sqlite3.Connection) -> None:
    """Version 6 only recreates the summary views (schema.sql): each formula in one view, the
    ratios in `competition`, a district's own figures in `district_figures`, both medians in
    `median_kzt`; district_rollup, region_median_kzt and election_median_kzt are gone."""


def _migrate_to_7(conn: sqlite3.Connection) -> None:
    """Version 7 never reuses a case's or an appeal's id (AUTOINCREMENT). The highest id ever
    given counts those deleted before, which the audit log remembers."""
    audited = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").fetchone()
    for table, entity in (("cases", "case"), ("appeals", "appeal")):
        _rebuild(conn, table)
        deleted = "(SELECT max(entity_id) FROM audit_log WHERE entity = ?)" if audited else "?"
        highest = conn.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0), coalesce({deleted}, 0))",
            (entity if audited else None,),
        ).fetchone()[0]
        conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, highest))


def _migrate_to_8(conn: sqlite3.Connection) -> None:
    """Version 8 only recreates views (schema.sql): amounts also as exact numbers for SQL users,
    case_overview.discrepancy_minor and the roll-ups' median_discrepancy_tiyn."""


def _migrate_to_9(conn: sqlite3.Connection) -> None:
    """Version 9 gives regions their span and dated names (region_names): the map of 2018, 2019
    and 2022 (Shymkent, Turkistan, Nur-Sultan and Astana again, Abai, Jetisu, Ulytau), seeded
    by apply_schema with every spelling."""
    _rebuild(conn, "regions")


def _migrate_to_10(conn: sqlite3.Connection) -> None:
    """Version 10 makes elections records (voting day, kind, the shipped key and its source;
    election_aliases) and gives districts their constituency. apply_schema's seed then matches
    each recorded election to a shipped one by any of its spellings, which gives it its day;
    one that matches none keeps its name, its day unknown (`dereg check` lists it)."""
    _rebuild(conn, "elections")
    _rebuild(conn, "districts")
    # Region spellings fold a dotless ı as i now ('SOLTÜSTIK' is 'Soltüstık'): their keys anew.
    for key, alias, region_id in conn.execute("SELECT key, alias, region_id FROM region_aliases").fetchall():
        if key != fold_region(alias):
            conn.execute("DELETE FROM region_aliases WHERE key = ?", (key,))
            conn.execute(
                "INSERT OR IGNORE INTO region_aliases (key, alias, region_id) VALUES (?, ?, ?)",
                (fold_region(alias), alias, region_id),
            )


def _migrate_to_11(conn: sqlite3.Connection) -> None:
    """Version 11 lets offices merge their databases: an office identity (offices, made by
    apply_schema), the office where each case was first recorded (cases.office_id), the office
    each audit entry comes from and its id there (audit_log.office_id, origin_id), and a person
    key over alphabets for likely duplicates (cases.person_key, filled here)."""
    conn.execute(_create_table("offices"))
    (sequence,) = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'cases'").fetchone() or (0,)
    _rebuild(conn, "cases")  # the rebuild would give the sequence only the highest id present
    conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'cases'", (sequence,))
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").fetchone():
        _rebuild(conn, "audit_log")  # else schema.sql makes it, as version 2 says
    conn.create_function("person_key", 1, person_key, deterministic=True)
    conn.execute("UPDATE cases SET person_key = person_key(candidate)")
    refresh_search(conn)  # names found in any alphabet: search_text gained their latin keys


def _migrate_to_12(conn: sqlite3.Connection) -> None:
    """Version 12 only recreates views (schema.sql): the appeal that decides a case is the view
    deciding_appeals, which case_outcome and district_removals read (case_outcome no longer
    sorts each case's appeals)."""


def refresh_search(conn: sqlite3.Connection) -> int:
    """Every case's search column made again from its words (text.search_text), in one
    statement, for a migration that follows a change of search_text; how many changed."""
    conn.create_function("search_text", 5, search_text, deterministic=True)
    return conn.execute(
        "UPDATE cases SET search = new FROM (SELECT c.id AS ident, search_text(c.candidate, c.nominated_by, "
        "c.reason, c.notes, d.name) AS new FROM cases c JOIN districts d ON d.id = c.district_id) "
        "WHERE cases.id = ident AND search IS NOT new"
    ).rowcount


def _rebuild(conn: sqlite3.Connection, table: str) -> None:
    """Give table its definition in schema.sql, keeping every row and id (SQLite's way:
    create anew, copy, drop the old, rename; foreign keys are off during migrations).

    Not sqlite-utils' Table.transform(): it copies the old table's CHECKs, never schema.sql's
    new ones, and before 4.2 it dropped CHECKs, UNIQUE and ON DELETE CASCADE altogether."""
    create = _create_table(table)
    columns = ", ".join(row[1] for row in conn.execute(f"PRAGMA table_info({table})"))
    conn.execute(create.replace(f"EXISTS {table} ", f"EXISTS {table}_rebuilt ", 1))
    conn.execute(f"INSERT INTO {table}_rebuilt ({columns}) SELECT {columns} FROM {table}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {table}_rebuilt RENAME TO {table}")


def _create_table(table: str) -> str:
    """schema.sql's CREATE TABLE statement of table (with the comment lines before it)."""
    return next(s for s in schema_statements() if f"CREATE TABLE IF NOT EXISTS {table} (" in s)


# MIGRATIONS[n] turns a database of version n - 1 into version n, in place.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    2: _migrate_to_2,
    3: _migrate_to_3,
    4: _migrate_to_4,
    5: _migrate_to_5,
    6: _migrate_to_6,
    7: _migrate_to_7,
    8: _migrate_to_8,
    9: _migrate_to_9,
    10: _migrate_to_10,
    11: _migrate_to_11,
    12: _migrate_to_12,
}


def upgrade(conn: sqlite3.Connection, version: int) -> None:
    """Turn a database of this version into SCHEMA_VERSION; apply_schema() follows."""
    _drop_views_and_triggers(conn)
    for number in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[number](conn)
