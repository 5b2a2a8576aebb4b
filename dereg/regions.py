"""The region table and name normalisation: every spelling staff use maps to one region."""

from __future__ import annotations

import difflib
import sqlite3

from dereg.errors import Conflict, InvalidValue
from dereg.text import clean_text, fold_region

KINDS = ("oblast", "city")


def resolve(conn: sqlite3.Connection, name: str) -> tuple[int, str]:
    """(id, canonical name) of the region a spelling names; unknown names suggest the nearest."""
    row = conn.execute(
        "SELECT r.id, r.name FROM region_aliases a JOIN regions r ON r.id = a.region_id "
        "WHERE a.key = ?",
        (fold_region(name),),
    ).fetchone()
    if row:
        return row[0], row[1]
    raise InvalidValue(f"unknown region {name!r}{_suggestion(conn, name)}")


def _suggestion(conn: sqlite3.Connection, name: str) -> str:
    spellings = {
        key: (alias, region)
        for key, alias, region in conn.execute(
            "SELECT a.key, a.alias, r.name FROM region_aliases a "
            "JOIN regions r ON r.id = a.region_id"
        )
    }
    close = difflib.get_close_matches(fold_region(name), spellings, n=6, cutoff=0.5)
    names: list[str] = []
    for key in close:
        alias, region = spellings[key]
        shown = region if alias == region else f"{alias} ({region})"
        if shown not in names:
            names.append(shown)
    if not names:
        return "; see 'dereg region list'"
    return "; did you mean " + ", ".join(names[:3]) + "?"


def list_regions(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        "SELECT r.name, r.kind, group_concat(a.alias, ' | ') FROM regions r "
        "LEFT JOIN region_aliases a ON a.region_id = r.id AND a.alias <> r.name "
        "GROUP BY r.id ORDER BY r.kind DESC, r.name"
    ).fetchall()
    return [{"region": name, "kind": kind, "aliases": aliases or ""} for name, kind, aliases in rows]


def add_region(
    conn: sqlite3.Connection, name: str, aliases: list[str], kind: str = "oblast"
) -> tuple[int, list[str]]:
    """Add a region, or more aliases to an existing one; returns its id and the new aliases."""
    name = clean_text(name, "region name")
    if not name:
        raise InvalidValue("region name is empty")
    if kind not in KINDS:
        raise InvalidValue(f"region kind {kind!r} is not one of: {', '.join(KINDS)}")
    try:
        region_id, canonical = resolve(conn, name)
    except InvalidValue:
        region_id = conn.execute(
            "INSERT INTO regions (name, kind) VALUES (?, ?)", (name, kind)
        ).lastrowid
        canonical = name
        aliases = [name, *aliases]
    added = []
    for alias in aliases:
        alias = clean_text(alias, "alias")
        if not alias:
            raise InvalidValue("alias is empty")
        key = fold_region(alias)
        owner = conn.execute(
            "SELECT r.id, r.name FROM region_aliases a JOIN regions r ON r.id = a.region_id "
            "WHERE a.key = ?",
            (key,),
        ).fetchone()
        if owner and owner[0] != region_id:
            raise Conflict(f"alias {alias!r} already names region {owner[1]!r}")
        if not owner:
            conn.execute(
                "INSERT INTO region_aliases (key, alias, region_id) VALUES (?, ?, ?)",
                (key, alias, region_id),
            )
            if alias != canonical:
                added.append(alias)
    return region_id, added

