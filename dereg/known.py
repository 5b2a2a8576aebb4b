"""What is already recorded, offered back at the desk: completions and defaults for entry."""

from __future__ import annotations

import sqlite3

from dereg.elections import BY_DAY, find
from dereg.text import fold


def elections(conn: sqlite3.Connection) -> list[str]:
    """Every election, those with districts recorded first, each group by voting day."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT e.name FROM elections e ORDER BY NOT EXISTS "
            f"(SELECT 1 FROM districts d WHERE d.election_id = e.id), {BY_DAY}"
        )
    ]


def _election_id(conn: sqlite3.Connection, election: str) -> int | None:
    found = find(conn, election)
    return found[0] if found else None


def regions(conn: sqlite3.Connection) -> list[str]:
    """Every region's name, then its aliases: any of them may be typed."""
    names = [name for (name,) in conn.execute("SELECT name FROM regions ORDER BY name")]
    aliases = [alias for (alias,) in conn.execute("SELECT alias FROM region_aliases ORDER BY alias")]
    return list(dict.fromkeys(names + aliases))


def districts(conn: sqlite3.Connection, election: str | None, region_id: int | None) -> list[str]:
    """The districts recorded in that election and region (either may be unknown yet)."""
    sql = "SELECT DISTINCT d.name FROM districts d WHERE 1"
    params: list = []
    if election:
        sql += " AND d.election_id IS ?"
        params.append(_election_id(conn, election))
    if region_id is not None:
        sql += " AND d.region_id = ?"
        params.append(region_id)
    return [name for (name,) in conn.execute(sql + " ORDER BY d.name", params)]


def last_place(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    """(election, region) to offer first: those of the latest case, else the only election."""
    row = conn.execute(
        "SELECT er.election, er.region FROM cases c JOIN districts d ON d.id = c.district_id "
        "JOIN election_regions er ON er.election_id = d.election_id AND er.region_id = d.region_id "
        "ORDER BY c.id DESC LIMIT 1"
    ).fetchone()
    if row:
        return row[0], row[1]
    used = [name for (name,) in conn.execute(
        "SELECT e.name FROM elections e WHERE EXISTS (SELECT 1 FROM districts d WHERE d.election_id = e.id)"
    )]  # fmt: skip
    return (used[0] if len(used) == 1 else None), None


def existing_case(
    conn: sqlite3.Connection, election: str, region_id: int, district: str, candidate: str
) -> int | None:
    """The case already recorded for this candidate in this district, if any."""
    row = conn.execute(
        "SELECT c.id FROM cases c JOIN districts d ON d.id = c.district_id "
        "WHERE d.election_id IS ? AND d.region_id = ? AND d.key = ? AND c.candidate_key = ?",
        (_election_id(conn, election), region_id, fold(district), fold(candidate)),
    ).fetchone()
    return row[0] if row else None
