"""Elections and districts: found or made, their figures set, listed. Plain values in, rows out."""

from __future__ import annotations

import sqlite3

from dereg import regions, rules
from dereg.errors import InvalidValue
from dereg.fields import required_text, with_field
from dereg.history import audit
from dereg.text import fold
from dereg.values import LEVELS, parse_choice, parse_count

DISTRICT_COLUMNS = ("election", "region", "district", "seats", "candidates", "level")


def election_id(conn: sqlite3.Connection, name: str, *, create: bool) -> int:
    name = required_text(name, "election")
    row = conn.execute("SELECT id FROM elections WHERE key = ?", (fold(name),)).fetchone()
    if row:
        return row[0]
    if not create:
        known = [n for (n,) in conn.execute("SELECT name FROM elections ORDER BY name LIMIT 6")]
        hint = f"; known: {', '.join(known)}" if known else "; none is recorded yet"
        raise InvalidValue(f"unknown election {name!r}{hint}", "election")
    return conn.execute(
        "INSERT INTO elections (name, key) VALUES (?, ?)", (name, fold(name))
    ).lastrowid


def district_id(
    conn: sqlite3.Connection, election: str, region: str, district: str, *, create: bool
) -> int | None:
    """The district's id; with create, a district not yet known is made (figures unknown)."""
    region_id = with_field("region", regions.resolve, conn, region)[0]
    name = with_field("district", required_text, district, "district")
    try:
        election = with_field("election", election_id, conn, election, create=create)
    except InvalidValue:
        if create or not (election or "").strip():
            raise
        return None  # an election not recorded yet has no districts
    row = conn.execute(
        "SELECT id FROM districts WHERE election_id = ? AND region_id = ? AND key = ?",
        (election, region_id, fold(name)),
    ).fetchone()
    if row:
        return row[0]
    if not create:
        return None
    return conn.execute(
        "INSERT INTO districts (election_id, region_id, name, key) VALUES (?, ?, ?, ?)",
        (election, region_id, name, fold(name)),
    ).lastrowid


def district_row(conn: sqlite3.Connection, district: int) -> dict:
    row = conn.execute(
        "SELECT e.name, r.name, d.name, d.seats, d.candidates, d.level FROM districts d "
        "JOIN elections e ON e.id = d.election_id JOIN regions r ON r.id = d.region_id "
        "WHERE d.id = ?",
        (district,),
    ).fetchone()
    return dict(zip(DISTRICT_COLUMNS, row, strict=True))


def set_district(
    conn: sqlite3.Connection,
    actor: str,
    command: str,
    *,
    election: str,
    region: str,
    district: str,
    seats: str | int | None = None,
    candidates: str | int | None = None,
    level: str | None = None,
) -> tuple[int, bool]:
    """Add a district or update the figures given; returns (id, whether anything changed)."""
    changes = {}
    if seats is not None:
        changes["seats"] = with_field("seats", parse_count, seats, "seats", 1)
    if candidates is not None:
        changes["candidates"] = with_field("candidates", parse_count, candidates, "candidates", 1)
    if level is not None and level.strip():
        changes["level"] = with_field("level", parse_choice, level, "level", LEVELS)
    existing = district_id(conn, election, region, district, create=False)
    ident = existing or district_id(conn, election, region, district, create=True)
    before = district_row(conn, ident) if existing else None
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(f"UPDATE districts SET {assignments} WHERE id = ?", (*changes.values(), ident))
    rules.refuse(rules.touched(conn, districts=[ident]))
    after = district_row(conn, ident)
    if before != after:
        audit(conn, actor, command, "district", ident, before, after)
    return ident, before != after


def list_districts(
    conn: sqlite3.Connection, election: str | None = None, region: str | None = None
) -> list[dict]:
    where, params = scope_clause(conn, election, region)
    rows = conn.execute(
        "SELECT e.name, r.name, d.name, d.seats, d.candidates, d.level FROM districts d "
        "JOIN elections e ON e.id = d.election_id JOIN regions r ON r.id = d.region_id "
        f"WHERE {where} ORDER BY e.name, r.name, d.name",
        params,
    ).fetchall()
    return [dict(zip(DISTRICT_COLUMNS, row, strict=True)) for row in rows]


def scope(
    conn: sqlite3.Connection, election: str | None, region: str | None
) -> tuple[int | None, int | None]:
    """The ids the --election and --region filters name; unknown names are errors."""
    return (
        None if election is None else election_id(conn, election, create=False),
        None if region is None else with_field("region", regions.resolve, conn, region)[0],
    )


def scope_clause(
    conn: sqlite3.Connection, election: str | None, region: str | None
) -> tuple[str, list]:
    """The WHERE clause, on districts `d`, and its parameters for those filters."""
    clauses, params = ["1"], []
    columns = ("d.election_id", "d.region_id")
    for column, ident in zip(columns, scope(conn, election, region), strict=True):
        if ident is not None:
            clauses.append(f"{column} = ?")
            params.append(ident)
    return " AND ".join(clauses), params
