"""`dereg case merge KEEP OTHER`: one person recorded twice (two offices, two alphabets) made
one case. OTHER's values fill what KEEP lacks; values both know differently are conflicts,
settled as a database merge settles them (settle.py); OTHER's appeals move to KEEP (one of
the same instance is settled into KEEP's); OTHER is deleted, and its id is never given again."""

from __future__ import annotations

import sqlite3

from dereg import rules
from dereg.cases import get_case, list_appeals
from dereg.errors import InvalidValue
from dereg.history import audit
from dereg.i18n import _
from dereg.merging import settle as s

COMMAND = "case merge"
_CASE_VALUES = ", ".join(s.CASE_FIELDS)
_APPEAL_VALUES = ", ".join(s.APPEAL_FIELDS)


def merge_cases(conn: sqlite3.Connection, actor: str, keep: int, other: int, prefer: str | None) -> dict:
    """Unite case other into case keep; returns keep as it now stands."""
    if keep == other:
        raise InvalidValue(_("KEEP and OTHER are both case {case}: name two cases").format(case=keep))
    before = _snapshot(conn, keep)
    gone = _snapshot(conn, other)
    label = _("case {case_id}").format(case_id=other)
    changes, conflicts = s.settle(
        s.CASE_FIELDS,
        _values(conn, "cases", _CASE_VALUES, s.CASE_FIELDS, keep),
        _values(conn, "cases", _CASE_VALUES, s.CASE_FIELDS, other),
        subject=_('case {case} "{candidate}"').format(case=keep, candidate=before["candidate"]),
        other=label,
        prefer=prefer,
        when=lambda field: (_changed(conn, "case", keep, field), _changed(conn, "case", other, field)),
    )
    appeal_changes = []
    for instance, appeal, *values in conn.execute(
        f"SELECT instance, id, {_APPEAL_VALUES} FROM appeals WHERE case_id = ?", (other,)
    ).fetchall():
        kept = conn.execute(
            "SELECT id FROM appeals WHERE case_id = ? AND instance = ?", (keep, instance)
        ).fetchone()
        if kept is None:
            appeal_changes.append((appeal, {"case_id": keep}))
            continue
        settled, clashes = s.settle(
            s.APPEAL_FIELDS,
            _values(conn, "appeals", _APPEAL_VALUES, s.APPEAL_FIELDS, kept[0]),
            dict(zip(s.APPEAL_FIELDS, values, strict=True)),
            subject=_("case {case}, {instance}-instance appeal").format(case=keep, instance=instance),
            other=label,
            prefer=prefer,
            when=lambda field, a=kept[0], b=appeal: (
                _changed(conn, "appeal", a, field),
                _changed(conn, "appeal", b, field),
            ),
        )
        conflicts += clashes
        appeal_changes.append((kept[0], settled))
    if conflicts and prefer is None:
        raise s.Conflicts(conflicts, len(conflicts), label)
    conn.execute(
        "DELETE FROM appeals WHERE case_id = ? AND instance IN (SELECT instance FROM appeals WHERE case_id = ?)",
        (other, keep),
    )
    for appeal, values in appeal_changes:
        if values:
            assignments = ", ".join(f"{field} = ?" for field in values)
            conn.execute(f"UPDATE appeals SET {assignments} WHERE id = ?", (*values.values(), appeal))
    conn.execute("DELETE FROM cases WHERE id = ?", (other,))
    s.write_case(conn, "main", keep, changes)
    (district,) = conn.execute("SELECT district_id FROM cases WHERE id = ?", (keep,)).fetchone()
    for problem in rules.touched(conn, cases=[keep], districts=[district]):
        raise InvalidValue(
            _("{problem}: the merged case would break this rule, so nothing was changed").format(
                problem=problem
            )
        )
    after = _snapshot(conn, keep)
    audit(conn, actor, COMMAND, "case", other, gone, None)
    audit(conn, actor, COMMAND, "case", keep, before, {**after, "merged_from_case": other})
    return after


def _snapshot(conn: sqlite3.Connection, case: int) -> dict:
    return {**get_case(conn, case), "appeals": list_appeals(conn, case)}


def _values(conn: sqlite3.Connection, table: str, select: str, fields: tuple, ident: int) -> dict:
    row = conn.execute(f"SELECT {select} FROM {table} WHERE id = ?", (ident,)).fetchone()
    return dict(zip(fields, row, strict=True))


def _changed(conn: sqlite3.Connection, entity: str, ident: int, field: str) -> tuple[str, int]:
    return s.last_change(conn, "main", entity, ident, field)
