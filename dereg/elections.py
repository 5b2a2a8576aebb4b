"""Elections as records: a name, the day it was held, a kind and every spelling of it. Found
by any spelling in any word order or alphabet; listed by day; added, edited, renamed, deleted
while empty. Plain values in, rows out."""

from __future__ import annotations

import sqlite3

from dereg import rules
from dereg.dates import parse_date
from dereg.errors import Conflict, InvalidValue, NotFound
from dereg.fields import required_text, with_field
from dereg.history import audit
from dereg.i18n import _, ngettext
from dereg.text import election_key, fold, nearest
from dereg.values import ELECTION_KINDS as KINDS
from dereg.values import parse_choice

ELECTION_COLUMNS = ("id", "election", "voting_day", "kind", "districts", "cases")
# Elections in the order they were held; those whose day is not known yet come last.
BY_DAY = "coalesce(e.voting_day, '9999-12-31'), e.name"
# How alike a new name must be to a dated election's spelling to be taken for a typo of it.
TYPO_LIKENESS = 0.8


def find(conn: sqlite3.Connection, name: str) -> tuple[int, str] | None:
    """(id, name) of the election this spelling names (its own name first), else None."""
    return conn.execute(
        "SELECT id, name FROM elections WHERE key = ?1 UNION ALL "
        "SELECT e.id, e.name FROM election_aliases a JOIN elections e ON e.id = a.election_id "
        "WHERE a.key = ?2 LIMIT 1",
        (fold(name), election_key(name)),
    ).fetchone()


def find_election(conn: sqlite3.Connection, name: str) -> tuple[int, str]:
    """(id, name) of the election any spelling of name names; else an error with the nearest."""
    name = with_field("election", required_text, name, "election")
    found = find(conn, name)
    if found is None:
        raise NotFound(_("unknown election {name!r}{hint}").format(name=name, hint=_nearest(conn, name)))
    return found


def election_id(conn: sqlite3.Connection, name: str, *, create: bool, new_day: str | None = None) -> int:
    """The election a spelling names. With create, a name no election bears is recorded, its
    day unknown (or new_day, the voting day --new-election gives), unless it looks like a
    typo of a dated election: then it is an error naming it, and only new_day records it."""
    name = required_text(name, "election")
    found = find(conn, name)
    if found:
        return found[0]
    if not create:
        raise InvalidValue(
            _("unknown election {name!r}{hint}").format(name=name, hint=_nearest(conn, name)), "election"
        )
    if new_day is None:
        refuse_typo(conn, name)
    else:
        new_day = with_field("new_election", parse_date, new_day)
    ident = conn.execute(
        "INSERT INTO elections (name, key, voting_day) VALUES (?, ?, ?)", (name, fold(name), new_day)
    ).lastrowid
    _add_spelling(conn, ident, name)
    return ident


def refuse_typo(conn: sqlite3.Connection, name: str) -> None:
    """An error if name is no election's spelling but so like a dated election's that it is
    probably a typo of it (what entry asks again for, and what election_id refuses)."""
    if find(conn, name) is None and (like := _dated_like(conn, name)):
        raise InvalidValue(
            _(
                "unknown election {name!r}; did you mean {names}? "
                "(--new-election DATE records it as a new election)"
            ).format(name=name, names=", ".join(map(repr, like))),
            "election",
        )


def region_problem(conn: sqlite3.Connection, election: str, region_id: int) -> str | None:
    """What is wrong with a district of this region in this election (the region did not
    exist on its day), if anything: rules.region_on_day_problem over the recorded dates."""
    found = find(conn, election)
    if found is None:
        return None
    day = conn.execute("SELECT voting_day FROM elections WHERE id = ?", (found[0],)).fetchone()[0]
    name, kind, valid_from, valid_to = conn.execute(
        "SELECT name, kind, valid_from, valid_to FROM regions WHERE id = ?", (region_id,)
    ).fetchone()
    return rules.region_on_day_problem(rules.region_label(name, kind), valid_from, valid_to, day)


def _dated_like(conn: sqlite3.Connection, name: str) -> list[str]:
    """The dated elections this name is so like that it is probably a typo of one of them."""
    spellings = dict(
        conn.execute(
            "SELECT a.key, e.name FROM election_aliases a JOIN elections e ON e.id = a.election_id "
            f"WHERE e.voting_day IS NOT NULL ORDER BY {BY_DAY}"
        ).fetchall()
    )
    return nearest(election_key(name), spellings, TYPO_LIKENESS)


def _nearest(conn: sqlite3.Connection, name: str) -> str:
    spellings = dict(
        conn.execute(
            "SELECT a.key, e.name FROM election_aliases a JOIN elections e ON e.id = a.election_id"
        ).fetchall()
    )
    near = nearest(election_key(name), spellings)
    if near:
        return _("; did you mean {names}?").format(names=", ".join(map(repr, near)))
    return _("; see 'dereg election list'")


def _add_spelling(conn: sqlite3.Connection, ident: int, spelling: str) -> bool:
    """Make spelling name the election; False if it did already. Naming another is a conflict."""
    spelling = with_field("alias", required_text, spelling, "alias")
    owner = find(conn, spelling)
    if owner and owner[0] != ident:
        raise Conflict(
            _("{spelling!r} already names election {election!r}").format(spelling=spelling, election=owner[1])
        )
    if owner:
        return False
    conn.execute(
        "INSERT INTO election_aliases (key, alias, election_id) VALUES (?, ?, ?)",
        (election_key(spelling), spelling, ident),
    )
    return True


def list_elections(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        "SELECT e.id, e.name, e.voting_day, e.kind, count(DISTINCT d.id), count(c.id) FROM elections e "
        "LEFT JOIN districts d ON d.election_id = e.id LEFT JOIN cases c ON c.district_id = d.id "
        f"GROUP BY e.id ORDER BY {BY_DAY}"
    ).fetchall()
    return [dict(zip(ELECTION_COLUMNS, row, strict=True)) for row in rows]


def show_election(conn: sqlite3.Connection, name: str) -> dict:
    ident, _shown = find_election(conn, name)
    row = conn.execute(
        "SELECT e.id, e.name, e.voting_day, e.kind, count(DISTINCT d.id), count(c.id), e.source "
        "FROM elections e LEFT JOIN districts d ON d.election_id = e.id "
        "LEFT JOIN cases c ON c.district_id = d.id WHERE e.id = ? GROUP BY e.id",
        (ident,),
    ).fetchone()
    shown = dict(zip((*ELECTION_COLUMNS, "source"), row, strict=True))
    shown["aliases"] = [
        alias
        for (alias,) in conn.execute(
            "SELECT alias FROM election_aliases WHERE election_id = ? AND alias <> ? ORDER BY rowid",
            (ident, shown["election"]),
        )
    ]
    return shown


def _record(conn: sqlite3.Connection, ident: int) -> dict:
    """An election as the audit log keeps it."""
    name, day, kind = conn.execute(
        "SELECT name, voting_day, kind FROM elections WHERE id = ?", (ident,)
    ).fetchone()
    return {"name": name, "voting_day": day, "kind": kind}


def add_election(
    conn: sqlite3.Connection, actor: str, name: str, voting_day: str, kind: str | None, aliases: list[str]
) -> int:
    name = with_field("election", required_text, name, "election")
    day = with_field("on", parse_date, voting_day)
    kind = None if kind is None else with_field("kind", parse_choice, kind, "kind", KINDS)
    found = find(conn, name)
    if found:
        raise Conflict(
            _("election {name!r} exists already: 'dereg election edit' changes it").format(name=found[1])
        )
    ident = conn.execute(
        "INSERT INTO elections (name, key, voting_day, kind) VALUES (?, ?, ?, ?)",
        (name, fold(name), day, kind),
    ).lastrowid
    for spelling in [name, *aliases]:
        _add_spelling(conn, ident, spelling)
    audit(conn, actor, "election add", "election", ident, None, _record(conn, ident))
    return ident


def edit_election(
    conn: sqlite3.Connection,
    actor: str,
    name: str,
    *,
    voting_day: str | None = None,
    kind: str | None = None,
    aliases: list[str] = (),
) -> dict:
    """Set an election's day or kind, or give it more spellings. A new day is checked against
    the map: each of its districts' regions must exist on it."""
    ident, _shown = find_election(conn, name)
    before = _record(conn, ident)
    if voting_day is not None:
        day = with_field("on", parse_date, voting_day)
        conn.execute("UPDATE elections SET voting_day = ? WHERE id = ?", (day, ident))
    if kind is not None:
        kind = with_field("kind", parse_choice, kind, "kind", KINDS)
        conn.execute("UPDATE elections SET kind = ? WHERE id = ?", (kind, ident))
    added = [alias for alias in aliases if _add_spelling(conn, ident, alias)]
    districts = [d for (d,) in conn.execute("SELECT id FROM districts WHERE election_id = ?", (ident,))]
    rules.refuse(rules.touched(conn, districts=districts))
    after = _record(conn, ident)
    if after != before or added:
        audit(conn, actor, "election edit", "election", ident, before, {**after, "aliases_added": added})
    return show_election(conn, after["name"])


def rename_election(conn: sqlite3.Connection, actor: str, name: str, new: str) -> str:
    """Rename an election; its former name stays one of its spellings."""
    ident, old = find_election(conn, name)
    new = with_field("election", required_text, new, "election")
    clash = find(conn, new)
    if clash and clash[0] != ident:
        raise Conflict(
            _("election {clash!r} exists already: move its districts with 'dereg district merge'").format(
                clash=clash[1]
            )
        )
    conn.execute("UPDATE elections SET name = ?, key = ? WHERE id = ?", (new, fold(new), ident))
    _add_spelling(conn, ident, new)
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
    before = _record(conn, ident)
    conn.execute("DELETE FROM election_aliases WHERE election_id = ?", (ident,))
    conn.execute("DELETE FROM elections WHERE id = ?", (ident,))
    audit(conn, actor, "election delete", "election", ident, before, None)
    return old
