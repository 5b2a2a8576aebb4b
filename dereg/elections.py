"""Elections by name: listed, renamed, deleted while empty. Plain values in, rows out."""

from __future__ import annotations

import difflib
import sqlite3

from dereg.errors import Conflict, NotFound
from dereg.fields import required_text, with_field
from dereg.history import audit
from dereg.i18n import _, ngettext
from dereg.text import fold

ELECTION_COLUMNS = ("id", "election", "districts", "cases")


def list_elections(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        "SELECT e.id, e.name, count(DISTINCT d.id), count(c.id) FROM elections e "
        "LEFT JOIN districts d ON d.election_id = e.id LEFT JOIN cases c ON c.district_id = d.id "
        "GROUP BY e.id ORDER BY e.name"
    ).fetchall()
    return [dict(zip(ELECTION_COLUMNS, row, strict=True)) for row in rows]


def find_election(conn: sqlite3.Connection, name: str) -> tuple[int, str]:
    """(id, name) of the election any spelling of name names; else an error with the nearest."""
    name = with_field("election", required_text, name, "election")
    row = conn.execute("SELECT id, name FROM elections WHERE key = ?", (fold(name),)).fetchone()
    if row:
        return row
    names = [n for (n,) in conn.execute("SELECT name FROM elections ORDER BY name")]
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = _("; did you mean {names}?").format(names=", ".join(map(repr, near))) if near else ""
    raise NotFound(_("no election {name!r}{hint}").format(name=name, hint=hint))


def rename_election(conn: sqlite3.Connection, actor: str, name: str, new: str) -> str:
    ident, old = find_election(conn, name)
    new = with_field("election", required_text, new, "election")
    clash = conn.execute(
        "SELECT name FROM elections WHERE key = ? AND id <> ?", (fold(new), ident)
    ).fetchone()
    if clash:
        raise Conflict(
            _("election {clash!r} exists already: move its districts with 'dereg district merge'").format(
                clash=clash[0]
            )
        )
    conn.execute("UPDATE elections SET name = ?, key = ? WHERE id = ?", (new, fold(new), ident))
    audit(conn, actor, "election rename", "election", ident, {"name": old}, {"name": new})
    return old


def delete_election(conn: sqlite3.Connection, actor: str, name: str) -> str:
    ident, old = find_election(conn, name)
    districts = conn.execute("SELECT count(*) FROM districts WHERE election_id = ?", (ident,)).fetchone()[0]
    if districts:
        raise Conflict(
            ngettext(
                "election {old!r} has {districts} district: delete or merge it first",
                "election {old!r} has {districts} districts: delete or merge them first",
                districts,
            ).format(old=old, districts=districts)
        )
    conn.execute("DELETE FROM elections WHERE id = ?", (ident,))
    audit(conn, actor, "election delete", "election", ident, {"name": old}, None)
    return old
