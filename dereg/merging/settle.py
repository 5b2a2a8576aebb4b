"""A value known differently on two sides (this database and another office's, or two cases
of one person): a conflict, listed in words, and settled only when the user says how.

- A value unknown on one side (empty; a pending appeal with no decision yet; a court not
  named) is filled from the other: that is no conflict.
- Known on both and different: a conflict. `--prefer ours` keeps this side's, `theirs` takes
  the other's, `newer` the side whose last audited change of that value is later (ours when
  neither log says, or both say the same moment).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from dereg.errors import DeregError, InvalidValue
from dereg.i18n import _, ngettext
from dereg.labels import label as heading
from dereg.labels import value_label
from dereg.money import format_amount
from dereg.text import search_text

PREFER = ("ours", "theirs", "newer")
CASE_FIELDS = ("nominated_by", "decision", "decided_on", "reason", "amount_minor", "currency", "notes")
APPEAL_FIELDS = ("court", "filed_on", "outcome", "decided_on", "notes")
DISTRICT_FIELDS = ("seats", "candidates", "level", "constituency")
COURT_NOT_NAMED = "court not named"  # what an import records for an appeal known only by its outcome
# A field's name in words, and in the audit log's snapshots (cases.get_case, district_row).
LABELS = {"amount_minor": "amount"}
SNAPSHOT_KEYS = {"amount_minor": "discrepancy_amount"}


class Conflicts(DeregError):
    """Values known differently on both sides, and no --prefer: nothing was written. `lines`
    lists the first of them, one a line; `count` says how many there are."""

    def __init__(self, lines: list[str], count: int, other: str):
        super().__init__(
            ngettext(
                "{count} conflict with {other}: nothing was merged; --prefer ours|theirs|newer settles them",
                "{count} conflicts with {other}: nothing was merged; --prefer ours|theirs|newer settles them",
                count,
            ).format(count=count, other=other)
        )
        self.lines, self.count = lines, count


def parse_prefer(prefer: str | None) -> str | None:
    if prefer is not None and prefer not in PREFER:
        raise InvalidValue(
            _("{prefer!r} is not one of: {choices}").format(prefer=prefer, choices=", ".join(PREFER)),
            "prefer",
        )
    return prefer


def unknown(field: str, row: dict) -> bool:
    """Whether a side does not know this value yet (so the other side's fills it)."""
    value = row[field]
    if value is None or value == "":
        return True
    if field == "outcome":
        return value == "pending" and row.get("decided_on") is None
    return field == "court" and value == COURT_NOT_NAMED


def shown(field: str, row: dict) -> str:
    value = row[field]
    if value is None:
        return _("(empty)")
    if field == "amount_minor":
        return format_amount(value, row["currency"])
    return str(value_label(field, value))


def settle(
    fields: tuple[str, ...],
    ours: dict,
    theirs: dict,
    *,
    subject: str,
    other: str,
    prefer: str | None,
    when: Callable[[str], tuple[tuple, tuple]],
) -> tuple[dict, list[str]]:
    """(the values to write on our side, the conflicts in words). `when(field)` gives the
    moments of each side's last audited change of the field, asked only under --prefer newer."""
    changes: dict = {}
    conflicts: list[str] = []
    for field in fields:
        if ours[field] == theirs[field] or unknown(field, theirs):
            continue
        if unknown(field, ours):
            changes[field] = theirs[field]
            continue
        conflicts.append(
            _("{subject}: {field} {ours} here, {theirs} in {other}").format(
                subject=subject,
                field=heading(LABELS.get(field, field)),
                ours=shown(field, ours),
                theirs=shown(field, theirs),
                other=other,
            )
        )
        if prefer == "theirs" or (prefer == "newer" and _theirs_newer(*when(field))):
            changes[field] = theirs[field]
    return changes, conflicts


def _theirs_newer(ours_at: tuple, theirs_at: tuple) -> bool:
    return theirs_at > ours_at


def last_change(
    conn: sqlite3.Connection, schema: str, entity: str, ident: int, field: str
) -> tuple[str, int]:
    """(when, entry id) the audit log in schema last recorded a change of field on this row
    (('', 0) if never). Two databases' entry ids say nothing of each other's order: a merge of
    databases compares the moments alone; a merge of two cases in one log, the ids too."""
    path = f"$.{SNAPSHOT_KEYS.get(field, field)}"
    row = conn.execute(
        f"SELECT at, id FROM {schema}.audit_log WHERE entity = ? AND entity_id = ? AND after IS NOT NULL "
        "AND (before IS NULL OR json_extract(before, ?) IS NOT json_extract(after, ?)) "
        "ORDER BY id DESC LIMIT 1",
        (entity, ident, path, path),
    ).fetchone()
    return tuple(row) if row else ("", 0)


def write_case(conn: sqlite3.Connection, schema: str, case: int, changes: dict) -> None:
    """Write settled values on a case, and the search text that holds them."""
    if not changes:
        return
    conn.execute(
        f"UPDATE {schema}.cases SET {', '.join(f'{f} = ?' for f in changes)} WHERE id = ?",
        (*changes.values(), case),
    )
    row = conn.execute(
        f"SELECT c.candidate, c.nominated_by, c.reason, c.notes, d.name FROM {schema}.cases c "
        f"JOIN {schema}.districts d ON d.id = c.district_id WHERE c.id = ?",
        (case,),
    ).fetchone()
    conn.execute(f"UPDATE {schema}.cases SET search = ? WHERE id = ?", (search_text(*row), case))
