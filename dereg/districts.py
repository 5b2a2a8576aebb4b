"""Elections and districts: found or made, their figures set, listed. Plain values in, rows out."""

from __future__ import annotations

import re
import sqlite3

from dereg import regions, rules
from dereg.elections import BY_DAY, election_id, find
from dereg.errors import Conflict, InvalidValue, NotFound, UsageError
from dereg.fields import required_text, with_field
from dereg.history import audit
from dereg.i18n import _, ngettext
from dereg.text import fold, search_text
from dereg.values import CONSTITUENCIES, LEVELS, parse_choice, parse_count

DISTRICT_COLUMNS = ("election", "region", "district", "seats", "candidates", "level", "constituency")
# A district with its election and its region under the name it bore on the election's day.
_PLACED = (
    "FROM districts d JOIN elections e ON e.id = d.election_id JOIN election_regions er "
    "ON er.election_id = d.election_id AND er.region_id = d.region_id "
)


def district_id(
    conn: sqlite3.Connection,
    election: str,
    region: str,
    district: str,
    *,
    create: bool,
    new_election: str | None = None,
) -> int | None:
    """The district's id; with create, a district not yet known is made (figures unknown), and
    its election too (see elections.election_id; new_election is the --new-election day)."""
    region_id = with_field("region", regions.resolve, conn, region)[0]
    name = with_field("district", required_text, district, "district")
    try:
        election = with_field("election", election_id, conn, election, create=create, new_day=new_election)
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
        f"SELECT er.election, er.region, d.name, d.seats, d.candidates, d.level, d.constituency {_PLACED}"
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
    constituency: str | None = None,
    new_election: str | None = None,
) -> tuple[int, bool]:
    """Add a district or update the figures given; returns (id, whether anything changed)."""
    changes = _figures(seats, candidates, level, constituency)
    existing = district_id(conn, election, region, district, create=False)
    ident = existing or district_id(conn, election, region, district, create=True, new_election=new_election)
    before = district_row(conn, ident) if existing else None
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(f"UPDATE districts SET {assignments} WHERE id = ?", (*changes.values(), ident))
    rules.refuse(rules.touched(conn, districts=[ident]))
    after = district_row(conn, ident)
    if before != after:
        audit(conn, actor, command, "district", ident, before, after)
    return ident, before != after


LISTED_COLUMNS = ("id", *DISTRICT_COLUMNS)  # the id that `district edit|delete|merge` take


def _figures(seats, candidates, level, constituency=None) -> dict:
    """The figures given (None: not given), checked."""
    changes = {}
    if seats is not None:
        changes["seats"] = with_field("seats", parse_count, seats, "seats", 1)
    if candidates is not None:
        changes["candidates"] = with_field("candidates", parse_count, candidates, "candidates", 1)
    if level is not None and level.strip():
        changes["level"] = with_field("level", parse_choice, level, "level", LEVELS)
    if constituency is not None and constituency.strip():
        changes["constituency"] = with_field(
            "constituency", parse_choice, constituency, "constituency", CONSTITUENCIES
        )
    return changes


def list_districts(
    conn: sqlite3.Connection, election: str | None = None, region: str | None = None
) -> list[dict]:
    where, params = scope_clause(conn, election, region)
    rows = conn.execute(
        "SELECT d.id, er.election, er.region, d.name, d.seats, d.candidates, d.level, d.constituency "
        f"{_PLACED} WHERE {where} ORDER BY {BY_DAY}, er.region, d.name",
        params,
    ).fetchall()
    return [dict(zip(LISTED_COLUMNS, row, strict=True)) for row in rows]


def unknown_district(conn: sqlite3.Connection, election: str, region: str, district: str) -> list[str] | None:
    """None if the district is recorded; else the names in that election that look like it
    (a typo of one of them, perhaps), nearest first."""
    import difflib

    if district_id(conn, election, region, district, create=False) is not None:
        return None
    row = find(conn, election)
    names = (
        []
        if row is None
        else [
            n
            for (n,) in conn.execute(
                "SELECT DISTINCT name FROM districts WHERE election_id = ? ORDER BY name", (row[0],)
            )
        ]
    )
    # Numbered districts are alike by their number ('Okrug 12' and 'округ №12' share nothing
    # else; 'okrug 1' and 'okrug 7' differ in all that matters); named ones by their letters.
    number = re.findall(r"[0-9]+", district)
    by_key = {fold(name): name for name in names if re.findall(r"[0-9]+", name) == number}
    if number:
        return list(by_key.values())[:3]
    return [by_key[key] for key in difflib.get_close_matches(fold(district), list(by_key), n=3, cutoff=0.8)]


def find_district(
    conn: sqlite3.Connection,
    ident: int | None,
    election: str | None,
    region: str | None,
    district: str | None,
) -> int:
    """A district named by its id, or by its election, region and name (all three)."""
    if ident is not None:
        if conn.execute("SELECT 1 FROM districts WHERE id = ?", (ident,)).fetchone() is None:
            raise NotFound(_("no district with id {ident}").format(ident=ident))
        return ident
    if not (election and region and district):
        raise UsageError(_("name the district by its ID, or by --election, --region and --district"))
    found = district_id(conn, election, region, district, create=False)
    if found is None:
        raise NotFound(
            _("no district {district!r} in {election!r}, {region!r}").format(
                district=district, election=election, region=region
            )
        )
    return found


def edit_district(
    conn: sqlite3.Connection,
    actor: str,
    ident: int,
    *,
    rename: str | None = None,
    seats=None,
    candidates=None,
    level: str | None = None,
    constituency: str | None = None,
) -> dict:
    """Rename a district or change its figures; its cases follow it. Returns it as it now stands."""
    before = district_row(conn, ident)
    changes = _figures(seats, candidates, level, constituency)
    if rename is not None:
        name = with_field("rename", required_text, rename, "district")
        election, region = conn.execute(
            "SELECT election_id, region_id FROM districts WHERE id = ?", (ident,)
        ).fetchone()
        clash = conn.execute(
            "SELECT id FROM districts WHERE election_id = ? AND region_id = ? AND key = ? AND id <> ?",
            (election, region, fold(name), ident),
        ).fetchone()
        if clash:
            raise Conflict(
                _(
                    "district {clash} is already called {name!r} there: 'dereg district merge {ident} {clash}' unites them"
                ).format(clash=clash[0], name=name, ident=ident)
            )
        changes |= {"name": name, "key": fold(name)}
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(f"UPDATE districts SET {assignments} WHERE id = ?", (*changes.values(), ident))
    if "name" in changes:
        _refresh_search(conn, ident)
    rules.refuse(rules.touched(conn, districts=[ident]))
    after = district_row(conn, ident)
    if after != before:
        audit(conn, actor, "district edit", "district", ident, before, after)
    return after


def delete_district(conn: sqlite3.Connection, actor: str, ident: int) -> dict:
    """Remove a district no case names (a typo, say)."""
    before = district_row(conn, ident)
    cases = conn.execute("SELECT count(*) FROM cases WHERE district_id = ?", (ident,)).fetchone()[0]
    if cases:
        raise Conflict(
            ngettext(
                "district {ident} ({district}) has {cases} case: move it with 'dereg district merge {ident} OTHER', or delete it first",
                "district {ident} ({district}) has {cases} cases: move them with 'dereg district merge {ident} OTHER', or delete them first",
                cases,
            ).format(ident=ident, district=before["district"], cases=cases)
        )
    conn.execute("DELETE FROM districts WHERE id = ?", (ident,))
    audit(conn, actor, "district delete", "district", ident, before, None)
    return before


def merge_districts(conn: sqlite3.Connection, actor: str, source: int, target: int) -> int:
    """Move every case of source into target (figures target lacks come along), then remove
    source; returns how many cases moved. A candidate recorded in both is a conflict."""
    if source == target:
        raise UsageError(_("a district cannot be merged into itself"))
    before, into = district_row(conn, source), district_row(conn, target)
    twin = conn.execute(
        "SELECT a.id, b.id, a.candidate FROM cases a JOIN cases b ON b.candidate_key = a.candidate_key "
        "WHERE a.district_id = ? AND b.district_id = ? LIMIT 1",
        (source, target),
    ).fetchone()
    if twin:
        raise Conflict(
            _(
                "candidate {twin!r} has case {case} in district {source} and case {other} in district {target}: settle that first"
            ).format(twin=twin[2], case=twin[0], source=source, other=twin[1], target=target)
        )
    moved = [
        case for (case,) in conn.execute("SELECT id FROM cases WHERE district_id = ? ORDER BY id", (source,))
    ]
    conn.execute("UPDATE cases SET district_id = ? WHERE district_id = ?", (target, source))
    place = ("election", "region", "district")
    for case in moved:  # each case's history shows where it went
        audit(
            conn,
            actor,
            "district merge",
            "case",
            case,
            {k: before[k] for k in place},
            {k: into[k] for k in place},
        )
    _refresh_search(conn, target)
    filled = {
        k: before[k]
        for k in ("seats", "candidates", "level", "constituency")
        if into[k] is None and before[k] is not None
    }
    if filled:
        assignments = ", ".join(f"{column} = ?" for column in filled)
        conn.execute(f"UPDATE districts SET {assignments} WHERE id = ?", (*filled.values(), target))
    conn.execute("DELETE FROM districts WHERE id = ?", (source,))
    rules.refuse(rules.touched(conn, districts=[target]))
    audit(
        conn,
        actor,
        "district merge",
        "district",
        source,
        before,
        {**district_row(conn, target), "merged_into": target, "cases": moved},
    )
    return len(moved)


def _refresh_search(conn: sqlite3.Connection, ident: int) -> None:
    """The search text of a district's cases holds the district's name."""
    name = conn.execute("SELECT name FROM districts WHERE id = ?", (ident,)).fetchone()[0]
    rows = conn.execute(
        "SELECT id, candidate, nominated_by, reason, notes FROM cases WHERE district_id = ?", (ident,)
    ).fetchall()
    conn.executemany(
        "UPDATE cases SET search = ? WHERE id = ?", [(search_text(*row[1:], name), row[0]) for row in rows]
    )


def scope(
    conn: sqlite3.Connection, election: str | None, region: str | None
) -> tuple[int | None, int | None]:
    """The ids the --election and --region filters name; unknown names are errors."""
    return (
        None if election is None else election_id(conn, election, create=False),
        None if region is None else with_field("region", regions.resolve, conn, region)[0],
    )


def scope_clause(conn: sqlite3.Connection, election: str | None, region: str | None) -> tuple[str, list]:
    """The WHERE clause, on districts `d`, and its parameters for those filters."""
    clauses, params = ["1"], []
    columns = ("d.election_id", "d.region_id")
    for column, ident in zip(columns, scope(conn, election, region), strict=True):
        if ident is not None:
            clauses.append(f"{column} = ?")
            params.append(ident)
    return " AND ".join(clauses), params
