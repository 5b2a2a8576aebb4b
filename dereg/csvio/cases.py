"""The rows of a cases file: each names a case (and maybe one of its appeals) by natural key.

A row's story, in the order of CaseLoader.load(): its cells by column (columns.CASES), read
into the case's values, the appeal it describes and its district's figures (case_rows, which
the import's reading process does on its own); the district they name (places.Places); then
the case, which is new, or seen earlier in this file, or
recorded before the import (seen.SeenCases). New cases take the next ids and go to the
database in batches of plain executemany; the others are compared with what is recorded and
updated one by one, each change audited."""

from __future__ import annotations

import sqlite3

from dereg import rules
from dereg.cases import get_case, list_appeals
from dereg.csvio.case_rows import Appeal, CaseRows, Parsed
from dereg.csvio.cells import KEEP, RowInvalid, column_problems
from dereg.csvio.places import District, Places, check_figures, recorded_like, set_figures
from dereg.csvio.seen import Case, CaseValues, SeenCases, case_values
from dereg.errors import InvalidValue
from dereg.history import audit
from dereg.i18n import _
from dereg.text import fold, latin_key, person_key, search_text

BATCH = 5000  # rows between writes of the new cases (each an executemany)
# New cases after which an import sets the indexes aside, if they outnumber those recorded.
SET_ASIDE_AFTER = 50_000
REBUILD_CACHE = -8192  # KiB: the page cache (and so the sorter's memory) while they are made again
MAX_WARNINGS = 50
COURT_NOT_NAMED = "court not named"  # an appeal whose outcome is known but not its court

INSERT_CASE = (
    "INSERT INTO cases (id, district_id, candidate, candidate_key, nominated_by, decision, "
    "decided_on, reason, amount_minor, currency, notes, search, person_key) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
UPDATE_CASE = (
    "UPDATE cases SET candidate = ?, candidate_key = ?, nominated_by = ?, decision = ?, "
    "decided_on = ?, reason = ?, amount_minor = ?, currency = ?, notes = ?, search = ? "
    "WHERE id = ?"
)
INSERT_APPEAL = (
    "INSERT INTO appeals (case_id, instance, court, filed_on, outcome, decided_on, notes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
UPDATE_APPEAL = (
    "UPDATE appeals SET court = ?, filed_on = ?, outcome = ?, decided_on = ?, notes = ? WHERE id = ?"
)
# The appeal that gives a case its outcome: the deciding_appeals view's rule, not a second one.
LATEST_APPEAL = "SELECT id, outcome FROM deciding_appeals WHERE case_id = ?"


class CaseLoader(CaseRows):
    """Loads the rows of one cases file; finish() before the transaction ends."""

    # What the import touched, for the rules no single row can break (pipeline._check_rules).
    touched_cases = "SELECT case_id FROM temp.import_lines"
    updated_cases = "SELECT case_id FROM temp.import_updated"  # recorded before, changed now

    def __init__(
        self,
        conn: sqlite3.Connection,
        index: dict[str, int],
        *,
        delimiter: str,
        actor: str,
        command: str = "import cases",
    ):
        self.conn, self.actor, self.command = conn, actor, command
        self.places = Places(conn)
        super().__init__(index, delimiter=delimiter, places=self.places.readers())
        self.seen = SeenCases(conn, self.places.first_case_id)
        self.new_cases: list[tuple] = []
        self.new_appeals: list[tuple] = []
        self.first_id = self.next_id = self.places.first_case_id
        self.recorded = self.first_id - 1  # at most the cases recorded (ids are never given again)
        self.indexes: list[str] | None = None  # set aside (set_indexes_aside): made again by finish()
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_updated (case_id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.import_updated")
        self.warnings: list[str] = []  # the first MAX_WARNINGS
        self.warning_count = 0

    @staticmethod
    def district_column(field: str | None) -> str | None:
        return field and f"district_{field}"

    @property
    def new_case_ids(self) -> dict | None:
        """The ids the new cases took: consecutive, as the import holds the write lock."""
        if self.next_id == self.first_id:
            return None
        return {"first": self.first_id, "last": self.next_id - 1}

    def load(self, line: int, cells: list) -> str:
        """Check one row and write what it says: 'inserted', 'updated' or 'unchanged'."""
        row = self.row(cells)
        try:
            parsed = self._parse(row)
        except InvalidValue as exc:
            raise RowInvalid(self.problems(row) or [(exc.field, str(exc))]) from None
        return self.write(line, parsed)

    def write(self, line: int, parsed: Parsed) -> str:
        """Write what a parsed row says; its district is found (or made) here."""
        try:
            place = self.places.get(parsed.election, parsed.region, parsed.district)
        except InvalidValue as exc:
            # Every other column passed parse(): the place's are the row's problems.
            problems = column_problems(self.place_checks, parsed)
            raise RowInvalid(problems or [(exc.field, str(exc))]) from None
        if self.places.matched:
            self.warn(line, self.places.matched)
        figures = parsed.figures
        if not figures or figures == place.given:  # none, or what earlier rows gave
            return self._case(line, place, parsed)
        check_figures(place, line, figures)
        status = self._case(line, place, parsed)
        changed = set_figures(self.conn, self.actor, self.command, place, line, figures)
        return "updated" if status == "unchanged" and changed != "unchanged" else status

    # -- what a row does to its case ------------------------------------------------------

    def _case(self, line: int, place: District, parsed: Parsed) -> str:
        values, appeal = parsed.values, parsed.appeal
        key = (place.id, parsed.key)
        case = self.seen.find(key, place.had_cases)
        if case is None and "?" in key[1] and place.had_cases:
            recorded = recorded_like(self.conn, place.id, key[1])
            if recorded is not None:  # the recorded spelling stays: the file lost a letter
                taken = _("candidate {candidate!r} taken as the recorded {recorded!r}")
                self.warn(line, taken.format(candidate=values.candidate, recorded=recorded[1]))
                key, values = (place.id, recorded[0]), values._replace(candidate=recorded[1])
                parsed = parsed._replace(values=values, key=recorded[0], person=None, search=None)
                case = self.seen.find(key, True)
        slot = "" if appeal is None else appeal.instance or "first"
        if case is None:
            self._insert(line, place, key, parsed, slot)
            return "inserted"
        if slot in case.slots:
            what = _("appeal instance {slot!r}").format(slot=slot) if slot else _("case (and no appeal)")
            same = _("the same {what} as line {line}").format(what=what, line=case.slots[slot])
            raise RowInvalid([("appeal_instance" if slot else None, same)])
        if case.slots:  # seen earlier in this file: the rows must agree on the case
            differ = [
                name
                for name, value, known in zip(CaseValues._fields, values, case.values)
                if value is not KEEP and value != known
            ]
            if differ:
                first = min(case.slots.values())
                message = _("the same case as line {first}, with other {differ}")
                message = message.format(first=first, differ=", ".join(differ))
                raise RowInvalid([(None, message)])
        if case.new:
            if appeal is not None:
                self.new_appeals.append(_new_appeal(case.id, appeal))
            status = "inserted"
        else:
            status = self._update(case, place, values, appeal)
        self.seen.named(case, slot, line)
        if len(self.seen.lines) >= BATCH:
            self.flush()
        return status

    def warn(self, line: int, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(_("line {line}: ").format(line=line) + message)

    def _insert(self, line, place: District, key: tuple, parsed: Parsed, slot) -> None:
        ident = self.next_id
        self.next_id += 1
        values, appeal = parsed.values, parsed.appeal
        if KEEP in values:  # a column the file lacks: a new case has no value there
            values = case_values(None if value is KEEP else value for value in values)
            values = values._replace(currency=values.currency or "KZT")
        if parsed.search is None:  # the candidate is a recorded spelling, not the row's
            latin = latin_key(key[1])
            person = person_key(values.candidate, latin)
            own = self.search_texts.own(
                values.candidate, values.nominated_by, values.reason, values.notes, folded=key[1], key=latin
            )
        else:
            person, own = parsed.person, parsed.search
        self.new_cases.append(
            (
                ident,
                place.id,
                values.candidate,
                key[1],
                values.nominated_by,
                values.decision,
                values.decided_on,
                values.reason,
                values.discrepancy_amount,
                values.currency,
                values.notes,
                self.search_texts.joined(own, place.name),
                person,
            )
        )
        if appeal is not None:
            self.new_appeals.append(_new_appeal(ident, appeal))
        case = Case(ident, values, {}, new=True)
        self.seen.add(key, case)
        self.seen.named(case, slot, line)
        if len(self.seen.lines) >= BATCH:
            self.flush()

    def _update(self, case: Case, place: District, values: CaseValues, appeal: Appeal | None) -> str:
        """Bring a case recorded before this import in step with a row; audit what changed."""
        conn = self.conn
        merged = case_values(known if value is KEEP else value for value, known in zip(values, case.values))
        writes = []
        if merged != case.values:
            search = search_text(
                merged.candidate, merged.nominated_by, merged.reason, merged.notes, place.name
            )
            writes.append(
                (
                    UPDATE_CASE,
                    (
                        merged.candidate,
                        fold(merged.candidate),
                        merged.nominated_by,
                        merged.decision,
                        merged.decided_on,
                        merged.reason,
                        merged.discrepancy_amount,
                        merged.currency or "KZT",
                        merged.notes,
                        search,
                        case.id,
                    ),
                )
            )
        if appeal is not None:
            writes.extend(self._appeal_writes(case.id, appeal, merged.decided_on))
        if not writes:
            return "unchanged"
        before = self._snapshot(case.id)
        for sql, params in writes:
            conn.execute(sql, params)
        conn.execute("INSERT OR IGNORE INTO temp.import_updated VALUES (?)", (case.id,))
        audit(conn, self.actor, self.command, "case", case.id, before, self._snapshot(case.id))
        case.values = merged
        return "updated"

    def _appeal_writes(self, case_id: int, appeal: Appeal, commission: str) -> list[tuple[str, tuple]]:
        """The statements that give a recorded case the appeal a row describes (checked first)."""
        conn = self.conn
        if appeal.instance is None:  # only the case's outcome: its latest appeal's, or a first one
            latest = conn.execute(LATEST_APPEAL, (case_id,)).fetchone()
            if latest is None:
                return [(INSERT_APPEAL, _new_appeal(case_id, appeal))]
            if latest[1] == appeal.outcome:
                return []
            return [("UPDATE appeals SET outcome = ? WHERE id = ?", (appeal.outcome, latest[0]))]
        row = conn.execute(
            "SELECT id, court, filed_on, outcome, decided_on, notes FROM appeals WHERE case_id = ? AND instance = ?",
            (case_id, appeal.instance),
        ).fetchone()
        if row is None:
            return [(INSERT_APPEAL, _new_appeal(case_id, appeal))]
        # Empty appeal cells keep what is recorded: no export writes them, so empty means unsaid.
        new = (
            appeal.court or row[1],
            appeal.filed_on or row[2],
            appeal.outcome or row[3],
            appeal.decided_on or row[4],
            appeal.notes or row[5],
        )
        broken = rules.appeal_date_problems(new[1], new[3], new[2], commission, self.today)
        if broken:
            raise RowInvalid([(f"appeal_{field}", message) for field, message in broken])
        if new == row[1:]:
            return []
        return [(UPDATE_APPEAL, (*new, row[0]))]

    def _snapshot(self, case_id: int) -> dict:
        return {**get_case(self.conn, case_id), "appeals": list_appeals(self.conn, case_id)}

    def flush(self) -> None:
        """Write the batched new cases, their appeals, and the lines that named them."""
        conn = self.conn
        if self.indexes is None and self.next_id - self.first_id >= max(SET_ASIDE_AFTER, self.recorded):
            self.indexes = set_indexes_aside(conn)
        if self.new_cases:
            conn.executemany(INSERT_CASE, self.new_cases)
            self.new_cases.clear()
        if self.new_appeals:
            conn.executemany(INSERT_APPEAL, self.new_appeals)
            self.new_appeals.clear()
        self.seen.flush()

    def finish(self) -> None:
        """The last writes, and the indexes set aside made again: the rules and warnings that
        follow an import read them."""
        self.flush()
        if self.indexes:
            # SQLite's sorter, which builds each index, takes as much memory as the page cache
            # again: a smaller cache meanwhile keeps the import's peak where the rows kept it.
            # (The pipeline puts the cache back as it was.)
            self.conn.execute(f"PRAGMA cache_size = {REBUILD_CACHE}")
            for sql in self.indexes:
                self.conn.execute(sql)
        self.indexes = ()


def set_indexes_aside(conn: sqlite3.Connection) -> list[str]:
    """Drop the indexes on cases and appeals that no constraint needs (not UNIQUE), within the
    import's transaction; what makes each again. An import many times larger than what is
    recorded writes its rows faster without them, and building each again at the end (one
    sort) costs less than keeping it in step row by row: 0.3 s against 1.1 s at 200k rows in
    no order. Rolled back with the import, they are back as they were."""
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'appeals') "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name"
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes]


def _new_appeal(case_id: int, appeal: Appeal) -> tuple:
    """An appeals row for the appeal a row describes: first instance, pending, unless it says."""
    return (
        case_id,
        appeal.instance or "first",
        appeal.court or COURT_NOT_NAMED,
        appeal.filed_on,
        appeal.outcome or "pending",
        appeal.decided_on,
        appeal.notes,
    )
