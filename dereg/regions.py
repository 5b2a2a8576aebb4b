"""The region table and name normalisation: every spelling staff use maps to one region."""

from __future__ import annotations

import sqlite3

from dereg import rules
from dereg.errors import Conflict, InvalidValue
from dereg.i18n import _
from dereg.text import clean_text, fold_region, nearest

KINDS = ("oblast", "city")


def resolve(conn: sqlite3.Connection, name: str) -> tuple[int, str]:
    """(id, canonical name) of the region a spelling names; unknown names suggest the nearest."""
    row = conn.execute(
        "SELECT r.id, r.name FROM region_aliases a JOIN regions r ON r.id = a.region_id WHERE a.key = ?",
        (fold_region(name),),
    ).fetchone()
    if row:
        return row[0], row[1]
    raise InvalidValue(_("unknown region {name!r}{hint}").format(name=name, hint=_suggestion(conn, name)))


def _suggestion(conn: sqlite3.Connection, name: str) -> str:
    """The regions whose spellings come closest to name, nearest first."""
    spellings = dict(
        conn.execute(
            "SELECT a.key, r.name FROM region_aliases a JOIN regions r ON r.id = a.region_id"
        ).fetchall()
    )
    names = nearest(fold_region(name), spellings)
    if not names:
        return _("; see 'dereg region list'")
    return _("; did you mean ") + ", ".join(names) + "?"


def list_regions(conn: sqlite3.Connection, on: str | None = None) -> list[dict]:
    """Every region and its spellings; on a day (ISO date), the regions of that day's map, each
    under the name then in force."""
    name, params = "r.name", ()
    if on is not None:
        # The name in force on the day, read as the view election_regions reads it.
        name = (
            "coalesce((SELECT n.name FROM region_names n WHERE n.region_id = r.id "
            "AND ?1 BETWEEN coalesce(n.valid_from, '0000-00-00') AND coalesce(n.valid_to, '9999-12-31')), r.name)"
        )
        params = (on,)
    rows = conn.execute(
        f"SELECT {name} AS shown, r.kind, (SELECT group_concat(alias, ' | ') FROM "
        "  (SELECT alias FROM region_aliases WHERE region_id = r.id AND alias <> r.name "
        "   ORDER BY rowid)), r.name, r.valid_from, r.valid_to "
        "FROM regions r ORDER BY r.kind DESC, shown",
        params,
    ).fetchall()
    return [
        {"region": shown, "kind": kind, "aliases": aliases or ""}
        for shown, kind, aliases, first, valid_from, valid_to in rows
        # the regions that existed on the day, by the rule every write path keeps
        if on is None or rules.region_on_day_problem(first, valid_from, valid_to, on) is None
    ]


def add_region(
    conn: sqlite3.Connection, name: str, aliases: list[str], kind: str = "oblast"
) -> tuple[int, list[str]]:
    """Add a region, or more aliases to an existing one; returns its id and the new aliases."""
    name = clean_text(name, _("region name"))
    if not name:
        raise InvalidValue(_("region name is empty"))
    if kind not in KINDS:
        raise InvalidValue(
            _("region kind {kind!r} is not one of: {KINDS}").format(kind=kind, KINDS=", ".join(KINDS))
        )
    try:
        region_id, canonical = resolve(conn, name)
    except InvalidValue:
        region_id = conn.execute("INSERT INTO regions (name, kind) VALUES (?, ?)", (name, kind)).lastrowid
        canonical = name
        aliases = [name, *aliases]
    added = []
    for alias in aliases:
        alias = clean_text(alias, "alias")
        if not alias:
            raise InvalidValue(_("alias is empty"))
        key = fold_region(alias)
        owner = conn.execute(
            "SELECT r.id, r.name FROM region_aliases a JOIN regions r ON r.id = a.region_id WHERE a.key = ?",
            (key,),
        ).fetchone()
        if owner and owner[0] != region_id:
            raise Conflict(
                _("alias {alias!r} already names region {owner!r}").format(alias=alias, owner=owner[1])
            )
        if not owner:
            conn.execute(
                "INSERT INTO region_aliases (key, alias, region_id) VALUES (?, ?, ?)",
                (key, alias, region_id),
            )
            if alias != canonical:
                added.append(alias)
    return region_id, added
