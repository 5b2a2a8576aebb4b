"""The audit entries of another office's database, brought into this one's log by a merge.

Each keeps the office that made it (audit_log.office_id; NULL is this office) and its id in
that office's log (origin_id), so an entry comes once however often a file is merged, and an
entry this office made long ago, back from another office's copy, is known as ours. The ids
inside an entry are turned into this database's (temp.merge_* tables map them), so that `case
history` shows a case's changes in every office; an entry about a row OTHER has deleted keeps
its own ids, and no entity_id.
"""

from __future__ import annotations

import sqlite3

# An entry from OTHER's log, its office (NULL: ours) and its id there, the row it is about in
# our ids, and (for an appeal) its case in our ids.
_CARRIED = """
WITH src AS (
    SELECT a.*, nullif(coalesce(a.office_id, :theirs), :ours) AS office,
           coalesce(a.origin_id, a.id) AS origin,
           CASE a.entity
               WHEN 'case' THEN (SELECT our_id FROM temp.merge_cases WHERE other_id = a.entity_id)
               WHEN 'appeal' THEN (SELECT our_id FROM temp.merge_appeals WHERE other_id = a.entity_id)
               WHEN 'district' THEN (SELECT our_id FROM temp.merge_districts WHERE other_id = a.entity_id)
               WHEN 'election' THEN (SELECT our_id FROM temp.merge_elections WHERE other_id = a.entity_id)
               WHEN 'region' THEN (SELECT our_id FROM temp.merge_regions WHERE other_id = a.entity_id)
           END AS mapped,
           CASE a.entity WHEN 'appeal' THEN (SELECT our_id FROM temp.merge_cases WHERE other_id =
               coalesce(json_extract(a.after, '$.case_id'), json_extract(a.before, '$.case_id'))) END
               AS mapped_case
    FROM other.audit_log a
)
INSERT INTO main.audit_log (at, actor, command, entity, entity_id, before, after, office_id, origin_id)
SELECT at, actor, command, entity, mapped, {before}, {after}, office, origin FROM src
WHERE NOT CASE WHEN office IS NULL
               THEN EXISTS (SELECT 1 FROM main.audit_log m WHERE m.id = origin AND m.origin_id IS NULL
                                                             AND m.office_id IS NULL)
                    OR EXISTS (SELECT 1 FROM main.audit_log m WHERE m.office_id IS NULL AND m.origin_id = origin)
               ELSE EXISTS (SELECT 1 FROM main.audit_log m WHERE m.office_id = office AND m.origin_id = origin)
          END
ORDER BY id
"""


def _in_our_ids(side: str) -> str:
    """A snapshot with the ids of the row it is about turned into ours (kept where unknown)."""
    return (
        f"CASE WHEN {side} IS NULL OR mapped IS NULL THEN {side} "
        f"WHEN entity = 'case' THEN json_set({side}, '$.id', mapped) "
        f"WHEN entity = 'appeal' THEN json_set({side}, '$.id', mapped, '$.case_id', mapped_case) "
        f"ELSE {side} END"
    )


def carry_audit(conn: sqlite3.Connection, params: dict) -> int:
    """OTHER's audit entries this log lacks, each marked with the office that made it; returns how many."""
    sql = _CARRIED.format(before=_in_our_ids("before"), after=_in_our_ids("after"))
    return conn.execute(sql, params).rowcount
