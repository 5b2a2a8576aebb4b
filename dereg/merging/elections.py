"""Elections as a merge meets them: the one place that says when two databases' elections are
one. A shipped election is the same shipped election on both sides; any other is found by any
of its spellings (elections.find, then each of OTHER's own spellings of it). Those this
database lacks are added with their day, kind and spellings; a day or kind one side lacks is
filled from the other; two different days are a conflict, unless --prefer settles it."""

from __future__ import annotations

import sqlite3

from dereg.elections import find
from dereg.i18n import _
from dereg.text import election_key, fold


def match_elections(conn: sqlite3.Connection, prefer: str | None, conflict) -> None:
    """OTHER's elections in temp.merge_elections (other_id, our_id); conflict(lines) hears of
    days that differ when prefer does not settle them (ours and newer keep this side's)."""
    conn.execute("CREATE TEMP TABLE merge_elections (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL)")
    theirs = conn.execute(
        "SELECT id, name, voting_day, kind, shipped, source FROM other.elections ORDER BY id"
    ).fetchall()
    for other_id, name, day, kind, shipped, source in theirs:
        spellings = [
            alias
            for (alias,) in conn.execute(
                "SELECT alias FROM other.election_aliases WHERE election_id = ? ORDER BY rowid", (other_id,)
            )
        ]
        ours = _ours(conn, name, shipped, spellings)
        if ours is None:
            ours = conn.execute(
                "INSERT INTO main.elections (name, key, voting_day, kind, shipped, source) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (name, fold(name), day, kind, shipped, source),
            ).lastrowid
        else:
            our_day = conn.execute("SELECT voting_day FROM main.elections WHERE id = ?", (ours,)).fetchone()[
                0
            ]
            if day is not None and our_day is not None and day != our_day:
                if prefer == "theirs":
                    conn.execute("UPDATE main.elections SET voting_day = ? WHERE id = ?", (day, ours))
                elif prefer is None:
                    conflict(
                        [
                            _("election {name!r}: voting day {ours} here, {theirs} in OTHER").format(
                                name=name, ours=our_day, theirs=day
                            )
                        ]
                    )
            conn.execute(
                "UPDATE main.elections SET voting_day = coalesce(voting_day, ?), kind = coalesce(kind, ?), "
                "source = coalesce(source, ?) WHERE id = ?",
                (day, kind, source, ours),
            )
        for spelling in [name, *spellings]:
            conn.execute(
                "INSERT OR IGNORE INTO main.election_aliases (key, alias, election_id) VALUES (?, ?, ?)",
                (election_key(spelling), spelling, ours),
            )
        conn.execute("INSERT INTO temp.merge_elections VALUES (?, ?)", (other_id, ours))


def _ours(conn: sqlite3.Connection, name: str, shipped: str | None, spellings: list[str]) -> int | None:
    if shipped is not None:
        row = conn.execute("SELECT id FROM main.elections WHERE shipped = ?", (shipped,)).fetchone()
        if row:
            return row[0]
    for spelling in [name, *spellings]:
        found = find(conn, spelling)
        if found:
            return found[0]
    return None
