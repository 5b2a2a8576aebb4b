"""The append-only audit log: audit() writes an entry; a case's history reads them back.

The log keeps each row as it was before and after a change, so a deleted case's history stays
readable. `case_history` gives the entries as recorded (for JSON and CSV); `change_rows` says
what changed in words, a line per field, for people.
"""

from __future__ import annotations

import json
import sqlite3
import textwrap
from datetime import datetime, timezone

from dereg.errors import NotFound
from dereg.i18n import _, ngettext
from dereg.labels import label, value_label

HISTORY_COLUMNS = ("at", "actor", "command", "entity", "entity_id", "before", "after", "office")
CHANGE_COLUMNS = ("at (UTC)", "actor", "command", "change")

# What a snapshot holds that is not the case's or appeal's own value.
_IDENTITY = ("id", "case_id", "candidate")


def audit(
    conn: sqlite3.Connection,
    actor: str,
    command: str,
    entity: str,
    entity_id: int | None,
    before: dict | None,
    after: dict | None,
) -> None:
    """Append one entry to the audit log: who changed what, the row before and after."""
    conn.execute(
        "INSERT INTO audit_log (at, actor, command, entity, entity_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
            actor,
            command,
            entity,
            entity_id,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        ),
    )


def case_history(conn: sqlite3.Connection, case: int) -> list[dict]:
    """The audit entries of a case, its appeals and the import or merge that added it, newest
    first, each with the office that made it (entries merged in from other offices carry theirs;
    their ids are this database's, except an appeal's whose case the other office had deleted)."""
    rows = conn.execute(
        "SELECT at, actor, command, entity, entity_id, before, after, (SELECT name FROM offices "
        "WHERE id = coalesce(a.office_id, (SELECT value FROM meta WHERE key = 'office_id'))) "
        "FROM audit_log a "
        "WHERE (entity = 'case' AND entity_id = ?1) "
        "OR (entity = 'appeal' AND (office_id IS NULL OR entity_id IS NOT NULL) "
        "    AND ?1 IN (json_extract(before, '$.case_id'), json_extract(after, '$.case_id'))) "
        "OR (entity IN ('import', 'merge') AND office_id IS NULL "
        "    AND ?1 BETWEEN json_extract(after, '$.new_case_ids.first') "
        "               AND json_extract(after, '$.new_case_ids.last')) "
        "ORDER BY id DESC",
        (case,),
    ).fetchall()
    if not rows and not conn.execute("SELECT 1 FROM cases WHERE id = ?", (case,)).fetchone():
        raise NotFound(_("no case with id {case} has ever been recorded").format(case=case))
    entries = [dict(zip(HISTORY_COLUMNS, row)) for row in rows]
    for entry in entries:
        for side in ("before", "after"):
            entry[side] = None if entry[side] is None else json.loads(entry[side])
    return entries


def as_text(entries: list[dict]) -> list[dict]:
    """Entries with before and after as JSON text, for a CSV cell."""
    return [
        {
            **entry,
            **{
                side: None if entry[side] is None else json.dumps(entry[side], ensure_ascii=False)
                for side in ("before", "after")
            },
        }
        for entry in entries
    ]


def change_rows(entries: list[dict], case: int, width: int = 80, office: str | None = None) -> list[dict]:
    """A row per entry: when, who, the command, and what changed, wrapped to fit width. An
    entry made in another office than `office` (this one) names it beside the actor."""
    room = max(width - 44, 30)  # what the other three columns and the gaps leave
    return [
        {
            "at (UTC)": _when(entry["at"]),
            "actor": entry["actor"]
            if entry.get("office") in (None, office)
            else f"{entry['actor']} ({entry['office']})",
            "command": entry["command"],
            "change": "\n".join(
                textwrap.fill(line, room, subsequent_indent="    ") for line in _changes(entry, case)
            ),
        }
        for entry in entries
    ]


def _when(at: str) -> str:
    try:
        return datetime.fromisoformat(at).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def _changes(entry: dict, case: int) -> list[str]:
    """What an entry changed, in lines: 'field: before -> after', or the row added or deleted."""
    entity, before, after = entry["entity"], entry["before"], entry["after"]
    if entity == "import":
        return [
            _("case {case} added by importing {value}").format(case=case, value=after.get("file", "a file"))
        ]
    if entity == "merge":
        return [
            _("case {case} added by merging {file} (office {office!r})").format(
                case=case, file=after.get("file"), office=after.get("office")
            )
        ]
    if before is None:
        return [
            _("added {what}: {summary}").format(what=_label(entity, after), summary=_summary(entity, after))
        ]
    if after is None:
        return [
            _("deleted {what}: {summary}").format(
                what=_label(entity, before), summary=_summary(entity, before)
            )
        ]
    lines = []
    for field in dict.fromkeys([*before, *after]):
        if field == "id" or (entity == "appeal" and field in _IDENTITY):
            continue
        if field == "appeals":
            lines.extend(_appeal_changes(before.get("appeals") or [], after.get("appeals") or []))
        elif field == "merged_from_case":  # dereg case merge: what came from the case it removed
            lines.insert(0, _("case {case} merged into this case").format(case=after[field]))
        elif before.get(field) != after.get(field):
            lines.append(
                f"{label(field)}: {_text(before.get(field), field)} -> {_text(after.get(field), field)}"
            )
    if entity == "appeal":
        lines = [f"{_label(entity, after)}:", *(f"  {line}" for line in lines)]
    return lines or [_("{entity}: no change").format(entity=_label(entity, after))]


def _appeal_changes(before: list[dict], after: list[dict]) -> list[str]:
    """Appeals inside a case's snapshot (imports), matched by instance."""
    old = {appeal["instance"]: appeal for appeal in before}
    new = {appeal["instance"]: appeal for appeal in after}
    lines = []
    for instance in dict.fromkeys([*old, *new]):
        was, now = old.get(instance), new.get(instance)
        if was is None:
            lines.append(
                _("added {what}: {summary}").format(
                    what=_label("appeal", now), summary=_summary("appeal", now)
                )
            )
        elif now is None:
            lines.append(
                _("deleted {what}: {summary}").format(
                    what=_label("appeal", was), summary=_summary("appeal", was)
                )
            )
        else:
            lines.extend(
                f"{_label('appeal', now)} {label(field)}: {_text(was.get(field), field)} -> {_text(now.get(field), field)}"
                for field in dict.fromkeys([*was, *now])
                if field not in _IDENTITY and was.get(field) != now.get(field)
            )
    return lines


def _label(entity: str, row: dict) -> str:
    if entity == "appeal":
        instance = value_label("instance", row.get("instance"))
        return _("appeal {id} ({instance} instance)").format(id=row.get("id"), instance=instance)
    return _("case {id}").format(id=row.get("id"))


def _summary(entity: str, row: dict) -> str:
    """A row in one line: who, where, what was decided."""
    if entity == "appeal":
        parts = [str(row.get("court"))]
        if row.get("filed_on"):
            parts.append(_("filed {date}").format(date=row["filed_on"]))
        outcome = str(value_label("outcome", row.get("outcome")))
        parts.append(outcome + (f" {row['decided_on']}" if row.get("decided_on") else ""))
        return "; ".join(parts)
    parts = [
        str(row.get("candidate")),
        f"{row.get('election')}, {row.get('region')}, {row.get('district')}",
        f"{value_label('decision', row.get('decision'))} {row.get('decided_on')}",
    ]
    if row.get("discrepancy_amount") is not None:
        parts.append(f"{row['discrepancy_amount']} {row.get('currency')}")
    if row.get("appeals"):
        count = len(row["appeals"])
        parts.append(ngettext("{count} appeal", "{count} appeals", count).format(count=count))
    return "; ".join(parts)


def _text(value, field: str = "") -> str:
    if value is None or value == "":
        return _("(empty)")
    value = value_label(field, value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
