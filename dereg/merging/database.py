"""`dereg merge OTHER.db`: another office's database into this one, in one transaction.

Everything is matched by its natural key, in SQL over the ATTACHed copy of OTHER (source.py),
so memory stays flat however many cases there are: regions by identity (their first name,
which renames keep), elections by match_elections(), districts by (election, region, key),
cases by (district, candidate key), appeals by (case, instance). What is new is added; what
one side knows and the other does not fills the gap; what both know differently is a conflict
(settle.py). Temporary tables map OTHER's ids to ours, for the audit entries that come along
marked with their office, and for the rules run over all that the merge touched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from dereg import persons, rules
from dereg.cases import get_case, list_appeals
from dereg.db import transaction
from dereg.districts import district_row
from dereg.errors import Conflict, DeregError
from dereg.history import audit
from dereg.i18n import _
from dereg.merging import settle as s
from dereg.merging.carry import carry_audit
from dereg.merging.elections import match_elections
from dereg.merging.source import Other
from dereg.offices import own_office

MAX_LISTED = 50  # conflicts and warnings listed; the rest are counted
COMMAND = "merge"
TEMP_TABLES = (
    "merge_regions",
    "merge_elections",
    "merge_districts",
    "merge_cases",
    "merge_changed",
    "merge_appeals",
)


@dataclass
class MergeResult:
    file: str
    office: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflict_count: int = 0
    conflicts: list[str] = field(default_factory=list)  # the first MAX_LISTED
    warning_count: int = 0
    warnings: list[str] = field(default_factory=list)  # the first MAX_LISTED: likely one person
    districts_added: int = 0
    appeals_added: int = 0
    audit_entries: int = 0

    def counts(self) -> str:
        return _("added {added}, updated {updated}, unchanged {unchanged}, conflicts {conflicts}").format(
            added=self.added, updated=self.updated, unchanged=self.unchanged, conflicts=self.conflict_count
        )

    def conflict(self, lines: list[str]) -> None:
        self.conflict_count += len(lines)
        self.conflicts.extend(lines[: max(MAX_LISTED - len(self.conflicts), 0)])


class _DryRun(Exception):
    """Ends a dry run's transaction as an error would: rolled back."""


def merge_database(
    conn: sqlite3.Connection, other: Other, actor: str, *, prefer: str | None = None, dry_run: bool = False
) -> MergeResult:
    ours, our_name = own_office(conn)
    if other.office_id == ours:
        raise DeregError(
            _("'{path}' is a copy of this office's database ({office!r}): nothing to merge").format(
                path=other.path, office=our_name
            )
        )
    result = MergeResult(str(other.path), other.office)
    conn.execute("ATTACH DATABASE ? AS other", (str(other.copy),))
    try:
        with transaction(conn):
            _merge(conn, other, ours, actor, prefer, result)
            if result.conflict_count and prefer is None:
                raise s.Conflicts(result.conflicts, result.conflict_count, result.file)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass  # rolled back: the counts say what the merge would have done
    finally:
        conn.execute("DETACH DATABASE other")
    return result


def _merge(conn, other: Other, ours: str, actor: str, prefer: str | None, result: MergeResult) -> None:
    params = {"ours": ours, "theirs": other.office_id}
    for table in TEMP_TABLES:  # a connection that merged before
        conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    conn.execute(
        "INSERT INTO main.offices (id, name) SELECT id, name FROM other.offices WHERE id <> :ours "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE excluded.id = :theirs",
        params,
    )
    _match_regions(conn)
    match_elections(conn, prefer, result.conflict)
    result.districts_added = _merge_districts(conn, other, actor, prefer, result)
    first_new = _add_cases(conn, params)
    result.added = conn.execute("SELECT count(*) FROM temp.merge_cases WHERE new").fetchone()[0]
    result.appeals_added = conn.execute(
        "INSERT INTO main.appeals (case_id, court, instance, filed_on, outcome, decided_on, notes) "
        "SELECT m.our_id, a.court, a.instance, a.filed_on, a.outcome, a.decided_on, a.notes "
        "FROM other.appeals a JOIN temp.merge_cases m ON m.other_id = a.case_id WHERE m.new ORDER BY a.id"
    ).rowcount
    _settle_cases(conn, other, actor, prefer, result)
    result.unchanged = (
        conn.execute("SELECT count(*) FROM temp.merge_cases WHERE NOT new").fetchone()[0] - result.updated
    )
    conn.execute("CREATE TEMP TABLE merge_appeals (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL)")
    conn.execute(  # keyed, as the audit entries of appeals look their ids up one by one
        "INSERT INTO temp.merge_appeals SELECT a.id, b.id FROM other.appeals a "
        "JOIN temp.merge_cases m ON m.other_id = a.case_id "
        "JOIN main.appeals b ON b.case_id = m.our_id AND b.instance = a.instance"
    )
    _check_rules(conn)
    for case, candidate, recorded, name in persons.new_likely_duplicates(conn, first_new):
        result.warning_count += 1
        if len(result.warnings) < MAX_LISTED:
            result.warnings.append(
                _("case {case}: {warning}").format(
                    case=case, warning=persons.may_be(candidate, recorded, name)
                )
            )
    result.audit_entries = carry_audit(conn, params)
    last = conn.execute("SELECT max(our_id) FROM temp.merge_cases WHERE new").fetchone()[0]
    audit(
        conn,
        actor,
        COMMAND,
        "merge",
        None,
        None,
        {
            "file": str(other.path),
            "sha256": other.sha256,
            "office_id": other.office_id,
            "office": other.office,
            "added": result.added,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "conflicts": result.conflict_count,
            "prefer": prefer,
            "districts_added": result.districts_added,
            "appeals_added": result.appeals_added,
            "audit_entries": result.audit_entries,
            "new_case_ids": {"first": first_new, "last": last} if last else None,
        },
    )


def _match_regions(conn: sqlite3.Connection) -> None:
    """Regions by identity: a region keeps its first name (regions.name) through renames, so the
    shipped ones meet by it, and one an office added by name; its spellings come with it."""
    conn.execute(
        "INSERT INTO main.regions (name, kind, valid_from, valid_to, iso_code) "
        "SELECT name, kind, valid_from, valid_to, iso_code FROM other.regions o "
        "WHERE NOT EXISTS (SELECT 1 FROM main.regions r WHERE r.name = o.name) ORDER BY o.id"
    )
    conn.execute(
        "CREATE TEMP TABLE merge_regions AS SELECT o.id AS other_id, r.id AS our_id "
        "FROM other.regions o JOIN main.regions r ON r.name = o.name"  # a few dozen rows
    )
    conn.execute(
        "INSERT OR IGNORE INTO main.region_aliases (key, alias, region_id) "
        "SELECT a.key, a.alias, m.our_id FROM other.region_aliases a "
        "JOIN temp.merge_regions m ON m.other_id = a.region_id ORDER BY a.rowid"
    )
    conn.execute(
        "INSERT OR IGNORE INTO main.region_names (region_id, name, valid_from, valid_to, iso_code) "
        "SELECT m.our_id, n.name, n.valid_from, n.valid_to, n.iso_code FROM other.region_names n "
        "JOIN temp.merge_regions m ON m.other_id = n.region_id ORDER BY n.rowid"
    )


_DISTRICT_MATCH = (
    "FROM other.districts o JOIN temp.merge_elections me ON me.other_id = o.election_id "
    "JOIN temp.merge_regions mr ON mr.other_id = o.region_id "
)


def _merge_districts(conn, other: Other, actor: str, prefer: str | None, result: MergeResult) -> int:
    """Districts by (election, region, key): new ones added, figures one side knows filled."""
    (before,) = conn.execute("SELECT coalesce(max(id), 0) FROM main.districts").fetchone()
    added = conn.execute(
        "INSERT INTO main.districts (election_id, region_id, name, key, seats, candidates, level, constituency) "
        f"SELECT me.our_id, mr.our_id, o.name, o.key, o.seats, o.candidates, o.level, o.constituency "
        f"{_DISTRICT_MATCH}"
        "WHERE NOT EXISTS (SELECT 1 FROM main.districts d WHERE d.election_id = me.our_id "
        "AND d.region_id = mr.our_id AND d.key = o.key) ORDER BY o.id"
    ).rowcount
    conn.execute(
        "CREATE TEMP TABLE merge_districts (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL, "
        "new INTEGER NOT NULL)"
    )
    conn.execute(
        f"INSERT INTO temp.merge_districts SELECT o.id, d.id, d.id > ? {_DISTRICT_MATCH}"
        "JOIN main.districts d ON d.election_id = me.our_id AND d.region_id = mr.our_id AND d.key = o.key",
        (before,),
    )
    differing = conn.execute(
        f"SELECT m.our_id, m.other_id, {', '.join('d.' + f for f in s.DISTRICT_FIELDS)}, "
        f"{', '.join('o.' + f for f in s.DISTRICT_FIELDS)} "
        "FROM temp.merge_districts m JOIN main.districts d ON d.id = m.our_id "
        "JOIN other.districts o ON o.id = m.other_id WHERE NOT m.new AND "
        f"({' OR '.join(f'd.{f} IS NOT o.{f}' for f in s.DISTRICT_FIELDS)})"
    ).fetchall()  # few: districts whose figures differ
    width = len(s.DISTRICT_FIELDS)
    for our_id, other_id, *values in differing:
        ours, theirs = (
            dict(zip(s.DISTRICT_FIELDS, side, strict=True)) for side in (values[:width], values[width:])
        )
        place = district_row(conn, our_id)
        changes, conflicts = s.settle(
            s.DISTRICT_FIELDS,
            ours,
            theirs,
            subject=_('district "{district}" ({election}, {region})').format(
                district=place["district"], election=place["election"], region=place["region"]
            ),
            other=result.file,
            prefer=prefer,
            when=partial(_when, conn, "district", our_id, other_id),
        )
        result.conflict(conflicts)
        if changes:
            conn.execute(
                f"UPDATE main.districts SET {', '.join(f'{f} = ?' for f in changes)} WHERE id = ?",
                (*changes.values(), our_id),
            )
            audit(conn, actor, COMMAND, "district", our_id, place, district_row(conn, our_id))
    return added


def _when(conn, entity: str, our_id: int, other_id: int, field: str) -> tuple[tuple, tuple]:
    """Each side's last audited change of field: the moments alone (ids are each log's own)."""
    return (
        s.last_change(conn, "main", entity, our_id, field)[:1],
        s.last_change(conn, "other", entity, other_id, field)[:1],
    )


def _add_cases(conn: sqlite3.Connection, params: dict) -> int:
    """OTHER's cases this database lacks, added with the office that first recorded them; and
    temp.merge_cases mapping each of OTHER's cases to ours. Returns the first new id."""
    (highest,) = conn.execute("SELECT coalesce(max(id), 0) FROM main.cases").fetchone()
    conn.execute(
        "INSERT INTO main.cases (district_id, candidate, candidate_key, nominated_by, decision, "
        "decided_on, reason, amount_minor, currency, notes, search, office_id, person_key) "
        "SELECT m.our_id, o.candidate, o.candidate_key, o.nominated_by, o.decision, o.decided_on, "
        "o.reason, o.amount_minor, o.currency, o.notes, o.search, "
        "nullif(coalesce(o.office_id, :theirs), :ours), o.person_key "
        "FROM other.cases o JOIN temp.merge_districts m ON m.other_id = o.district_id "
        "WHERE NOT EXISTS (SELECT 1 FROM main.cases c WHERE c.district_id = m.our_id "
        "AND c.candidate_key = o.candidate_key) ORDER BY o.id",
        params,
    )
    conn.execute(
        "CREATE TEMP TABLE merge_cases (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL, "
        "new INTEGER NOT NULL)"
    )
    conn.execute(
        "INSERT INTO temp.merge_cases SELECT o.id, c.id, c.id > ? FROM other.cases o "
        "JOIN temp.merge_districts m ON m.other_id = o.district_id "
        "JOIN main.cases c ON c.district_id = m.our_id AND c.candidate_key = o.candidate_key",
        (highest,),
    )
    return highest + 1


_CASE_VALUES = ", ".join(s.CASE_FIELDS)
_APPEAL_VALUES = ", ".join(s.APPEAL_FIELDS)


def _settle_cases(conn, other: Other, actor: str, prefer: str | None, result: MergeResult) -> None:
    """Cases both sides hold whose values or appeals differ: gaps filled, conflicts listed (and
    settled under --prefer), OTHER's further appeals added; each changed case audited."""
    differ = " OR ".join(f"c.{f} IS NOT o.{f}" for f in s.CASE_FIELDS)
    appeal_differ = " OR ".join(f"b.{f} IS NOT a.{f}" for f in s.APPEAL_FIELDS)
    conn.execute("CREATE TEMP TABLE merge_changed (other_id INTEGER PRIMARY KEY, our_id INTEGER NOT NULL)")
    conn.execute(
        "INSERT INTO temp.merge_changed SELECT m.other_id, m.our_id FROM temp.merge_cases m "
        "JOIN main.cases c ON c.id = m.our_id JOIN other.cases o ON o.id = m.other_id "
        f"WHERE NOT m.new AND ({differ} OR EXISTS (SELECT 1 FROM other.appeals a "
        "LEFT JOIN main.appeals b ON b.case_id = m.our_id AND b.instance = a.instance "
        f"WHERE a.case_id = m.other_id AND (b.id IS NULL OR {appeal_differ})))"
    )
    after = 0
    while batch := conn.execute(
        "SELECT other_id, our_id FROM temp.merge_changed WHERE other_id > ? ORDER BY other_id LIMIT 500",
        (after,),
    ).fetchall():
        for other_id, our_id in batch:
            result.updated += _settle_case(conn, other_id, our_id, actor, prefer, result)
        after = batch[-1][0]


def _settle_case(conn, other_id: int, our_id: int, actor: str, prefer: str | None, result) -> bool:
    before = {**get_case(conn, our_id), "appeals": list_appeals(conn, our_id)}
    subject = _('case "{candidate}" ({region}, {district})').format(
        candidate=before["candidate"], region=before["region"], district=before["district"]
    )
    select = f"SELECT {_CASE_VALUES} FROM {{}}.cases WHERE id = ?"
    ours = dict(zip(s.CASE_FIELDS, conn.execute(select.format("main"), (our_id,)).fetchone(), strict=True))
    theirs = dict(
        zip(s.CASE_FIELDS, conn.execute(select.format("other"), (other_id,)).fetchone(), strict=True)
    )
    changes, conflicts = s.settle(
        s.CASE_FIELDS,
        ours,
        theirs,
        subject=subject,
        other=result.file,
        prefer=prefer,
        when=partial(_when, conn, "case", our_id, other_id),
    )
    result.conflict(conflicts)
    s.write_case(conn, "main", our_id, changes)
    for instance, *values in conn.execute(
        f"SELECT instance, {_APPEAL_VALUES}, id FROM other.appeals WHERE case_id = ?", (other_id,)
    ).fetchall():
        theirs_appeal = dict(zip(s.APPEAL_FIELDS, values[:-1], strict=True))
        row = conn.execute(
            f"SELECT {_APPEAL_VALUES}, id FROM main.appeals WHERE case_id = ? AND instance = ?",
            (our_id, instance),
        ).fetchone()
        if row is None:
            conn.execute(
                f"INSERT INTO main.appeals (case_id, instance, {_APPEAL_VALUES}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (our_id, instance, *values[:-1]),
            )
            result.appeals_added += 1
            continue
        changes, conflicts = s.settle(
            s.APPEAL_FIELDS,
            dict(zip(s.APPEAL_FIELDS, row[:-1], strict=True)),
            theirs_appeal,
            subject=_("{subject}, {instance}-instance appeal").format(subject=subject, instance=instance),
            other=result.file,
            prefer=prefer,
            when=partial(_when, conn, "appeal", row[-1], values[-1]),
        )
        result.conflict(conflicts)
        if changes:
            conn.execute(
                f"UPDATE main.appeals SET {', '.join(f'{f} = ?' for f in changes)} WHERE id = ?",
                (*changes.values(), row[-1]),
            )
    now = {**get_case(conn, our_id), "appeals": list_appeals(conn, our_id)}
    if now == before:
        return False
    audit(conn, actor, COMMAND, "case", our_id, before, now)
    return True


def _check_rules(conn: sqlite3.Connection) -> None:
    """The domain's rules over every district and case the merge touched: a merged result that
    breaks one (more removed than stood, an appeal before its decision) is refused by its words."""
    today = date.today()
    cases = "IN (SELECT our_id FROM temp.merge_cases)"
    for problems in (
        rules.removals(conn, today, "district_id IN (SELECT our_id FROM temp.merge_districts)"),
        rules.places(conn, today, "d.id IN (SELECT our_id FROM temp.merge_districts)"),
        rules.case_dates(conn, today, f"c.id {cases}"),
        rules.appeal_dates(conn, today, f"a.case_id {cases}"),
        rules.appeal_order(conn, today, f"a.case_id {cases}"),
    ):
        for problem in problems:
            raise Conflict(
                _("{problem}: the merged result would break this rule, so nothing was merged").format(
                    problem=problem
                )
            )
