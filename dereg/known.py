"""What is already recorded, offered back at the desk: completions and defaults for entry."""

from __future__ import annotations

import sqlite3

from dereg.text import fold


def elections(conn: sqlite3.Connection) -> list[str]:
    return [name for (name,) in conn.execute("SELECT name FROM elections ORDER BY name")]


def regions(conn: sqlite3.Connection) -> list[str]:
    """Every region's name, then its aliases: any of them may be typed."""
    names = [name for (name,) in conn.execute("SELECT name FROM regions ORDER BY name")]
    aliases = [alias for (alias,) in conn.execute("SELECT alias FROM region_aliases ORDER BY alias")]
    return list(dict.fromkeys(names + aliases))


def districts(conn: sqlite3.Connection, election: str | None, region_id: int | None) -> list[str]:
    """The districts recorded in that election and region (either may be unknown yet)."""
    sql = "SELECT DISTINCT d.name FROM districts d JOIN elections e ON e.id = d.election_id WHERE 1"
    params: list = []
    if election:
        sql += " AND e.key = ?"
        params.append(fold(election))
    if region_id is not None:
        sql += " AND d.region_id = ?"
        params.append(region_id)
    return [name for (name,) in conn.execute(sql + " ORDER BY d.name", params)]


def last_place(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    """(election, region) to offer first: those of the latest case, else the only election."""
    row = conn.execute(
        "SELECT e.name, r.name FROM cases c JOIN districts d ON d.id = c.district_id "
        "JOIN elections e ON e.id = d.election_id JOIN regions r ON r.id = d.region_id "
        "ORDER BY c.id DESC LIMIT 1"
    ).fetchone()
    if row:
        return row[0], row[1]
    names = elections(conn)
    return (names[0] if len(names) == 1 else None), None


def existing_case(
    conn: sqlite3.Connection, election: str, region_id: int, district: str, candidate: str
) -> int | None:
    """The case already recorded for this candidate in this district, if any."""
    row = conn.execute(
        "SELECT c.id FROM cases c JOIN districts d ON d.id = c.district_id JOIN elections e ON e.id = d.election_id "
        "WHERE e.key = ? AND d.region_id = ? AND d.key = ? AND c.candidate_key = ?",
        (fold(election), region_id, fold(district), fold(candidate)),
    ).fetchone()
    return row[0] if row else None
