"""Cases and their appeals: add, edit, list, delete. Plain values in, rows out."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from dereg import regions, rules
from dereg.dates import parse_date
from dereg.districts import district_id, scope_clause
from dereg.errors import Conflict, InvalidValue, NotFound
from dereg.fields import optional_text, required_text, with_field
from dereg.history import audit
from dereg.i18n import _
from dereg.money import parse_amount, parse_currency
from dereg.text import fold, person_key, search_terms, search_text
from dereg.values import CASE_OUTCOMES, INSTANCES, OUTCOMES, parse_choice, parse_decision

CASE_COLUMNS = (
    "id",
    "election",
    "region",
    "district",
    "candidate",
    "nominated_by",
    "decision",
    "decided_on",
    "reason",
    "discrepancy_amount",
    "currency",
    "appeal_outcome",
    "notes",
)
APPEAL_COLUMNS = (
    "id",
    "case_id",
    "candidate",
    "court",
    "instance",
    "filed_on",
    "outcome",
    "decided_on",
    "notes",
)
REQUIRED_CASE_FIELDS = ("election", "region", "district", "candidate", "decision", "decided_on")


# --- cases -------------------------------------------------------------------------------


def parse_case(conn: sqlite3.Connection, raw: dict[str, str | None], *, currency: str = "KZT") -> dict:
    """Check and normalise the case fields present in raw (strings as typed).

    An amount is read in raw's currency if it has one, else in `currency`.
    """
    values: dict = {}
    for field in ("candidate", "election", "district"):
        if field in raw:
            values[field] = with_field(field, required_text, raw[field], field)
    if "region" in raw:
        values["region"] = with_field("region", regions.resolve, conn, raw["region"] or "")[1]
    if "decision" in raw:
        values["decision"] = with_field("decision", parse_decision, raw["decision"] or "")
    if "decided_on" in raw:
        values["decided_on"] = with_field("decided_on", parse_date, raw["decided_on"] or "")
    if raw.get("currency") is not None:
        values["currency"] = with_field("currency", parse_currency, raw["currency"])
    if "amount" in raw:
        amount = (raw["amount"] or "").strip()
        in_currency = values.get("currency") or currency
        values["amount"] = with_field("amount", parse_amount, amount, in_currency) if amount else None
    for field in ("nominated_by", "reason", "notes"):
        if field in raw:
            values[field] = with_field(field, optional_text, raw[field], field)
    return values


def add_case(conn: sqlite3.Connection, actor: str, raw: dict[str, str | None]) -> int:
    missing = [field for field in REQUIRED_CASE_FIELDS if not (raw.get(field) or "").strip()]
    if missing:
        raise InvalidValue(_("{missing} is required").format(missing=missing[0]), missing[0])
    values = parse_case(conn, raw)
    district = district_id(
        conn,
        values["election"],
        values["region"],
        values["district"],
        create=True,
        new_election=raw.get("new_election"),
    )
    _refuse_duplicate(conn, district, values["candidate"])
    case = conn.execute(
        "INSERT INTO cases (district_id, candidate, candidate_key, nominated_by, decision, "
        "decided_on, reason, amount_minor, currency, notes, search, person_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            district,
            values["candidate"],
            fold(values["candidate"]),
            values.get("nominated_by"),
            values["decision"],
            values["decided_on"],
            values.get("reason"),
            values.get("amount"),
            values.get("currency") or "KZT",
            values.get("notes"),
            search_text(
                values["candidate"],
                values.get("nominated_by"),
                values.get("reason"),
                values.get("notes"),
                values["district"],
            ),
            person_key(values["candidate"]),
        ),
    ).lastrowid
    rules.refuse(rules.touched(conn, cases=[case]))
    audit(conn, actor, "case add", "case", case, None, get_case(conn, case))
    return case


def _refuse_duplicate(
    conn: sqlite3.Connection, district: int, candidate: str, case: int | None = None
) -> None:
    row = conn.execute(
        "SELECT id FROM cases WHERE district_id = ? AND candidate_key = ? AND id IS NOT ?",
        (district, fold(candidate), case),
    ).fetchone()
    if row:
        raise Conflict(
            _("candidate {candidate!r} already has case {row} in this district").format(
                candidate=candidate, row=row[0]
            )
        )


def get_case(conn: sqlite3.Connection, case: int) -> dict:
    row = conn.execute(
        f"SELECT {', '.join(CASE_COLUMNS)} FROM case_overview WHERE id = ?", (case,)
    ).fetchone()
    if row is None:
        raise NotFound(_("no case with id {case}").format(case=case))
    return dict(zip(CASE_COLUMNS, row, strict=True))


def edit_case(conn: sqlite3.Connection, actor: str, case: int, raw: dict[str, str | None]) -> dict:
    """Change the given fields of a case; returns the case as it now stands."""
    before = get_case(conn, case)
    current = conn.execute("SELECT currency, amount_minor FROM cases WHERE id = ?", (case,)).fetchone()
    if "currency" in raw and "amount" not in raw and current[1] is not None:
        # The stored minor units mean something else in another currency: re-read the amount.
        raw = {**raw, "amount": before["discrepancy_amount"]}
    values = parse_case(conn, raw, currency=current[0])
    place = {field: values.get(field, before[field]) for field in ("election", "region", "district")}
    district = district_id(conn, place["election"], place["region"], place["district"], create=True)
    candidate = values.get("candidate", before["candidate"])
    _refuse_duplicate(conn, district, candidate, case)
    columns = {"district_id": district, "candidate": candidate, "candidate_key": fold(candidate)}
    columns["person_key"] = person_key(candidate)
    for field in ("nominated_by", "decision", "decided_on", "reason", "currency", "notes"):
        if field in values:
            columns[field] = values[field]
    if "amount" in values:
        columns["amount_minor"] = values["amount"]
    merged = {**before, **values}
    columns["search"] = search_text(
        candidate, merged["nominated_by"], merged["reason"], merged["notes"], place["district"]
    )
    assignments = ", ".join(f"{column} = ?" for column in columns)
    conn.execute(f"UPDATE cases SET {assignments} WHERE id = ?", (*columns.values(), case))
    rules.refuse(rules.touched(conn, cases=[case]))
    after = get_case(conn, case)
    if after != before:
        audit(conn, actor, "case edit", "case", case, before, after)
    return after


def delete_case(conn: sqlite3.Connection, actor: str, case: int) -> dict:
    before = get_case(conn, case)
    appeals = list_appeals(conn, case)
    conn.execute("DELETE FROM cases WHERE id = ?", (case,))  # its appeals go with it
    audit(conn, actor, "case delete", "case", case, {**before, "appeals": appeals}, None)
    return before


def list_cases(
    conn: sqlite3.Connection,
    *,
    election: str | None = None,
    region: str | None = None,
    district: str | None = None,
    outcome: str | None = None,
    min_amount: str | None = None,
    max_amount: str | None = None,
    search: str | None = None,
    limit: int | None = None,
    ids: list[int] | None = None,
) -> Iterator[dict]:
    """The matching cases, read as they are needed: a million need not fit in memory.

    The filters are checked before the first row is asked for.
    """
    where, params = scope_clause(conn, election, region)
    if ids is not None:
        where += f" AND c.id IN ({', '.join('?' * len(ids)) or 'NULL'})"
        params.extend(ids)
    if district is not None:
        where += " AND d.key = ?"
        params.append(fold(district))
    if outcome is not None:
        where += " AND o.appeal_outcome = ?"
        params.append(with_field("outcome", parse_choice, outcome, "outcome", CASE_OUTCOMES))
    # Amount bounds are in tenge: comparing minor units across currencies would mean nothing.
    for bound, operator, field in ((min_amount, ">=", "min_amount"), (max_amount, "<=", "max_amount")):
        if bound is not None:
            where += f" AND c.currency = 'KZT' AND c.amount_minor {operator} ?"
            params.append(with_field(field, parse_amount, bound, "KZT"))
    terms = search_terms(search) if search is not None else ()
    if terms:
        where += f" AND ({' OR '.join('instr(c.search, ?) > 0' for _ in terms)})"
        params.extend(terms)
    sql = (
        f"SELECT {', '.join(f'o.{column}' for column in CASE_COLUMNS)} FROM cases c JOIN districts d ON d.id = c.district_id "
        f"JOIN case_overview o ON o.id = c.id WHERE {where} ORDER BY c.id"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    cursor = conn.execute(sql, params)
    return (dict(zip(CASE_COLUMNS, row, strict=True)) for row in cursor)


# --- appeals -----------------------------------------------------------------------------


def parse_appeal(raw: dict[str, str | None]) -> dict:
    values: dict = {}
    if "court" in raw:
        values["court"] = with_field("court", required_text, raw["court"], "court")
    if raw.get("instance") is not None:
        values["instance"] = with_field("instance", parse_choice, raw["instance"], "instance", INSTANCES)
    if raw.get("outcome") is not None:
        values["outcome"] = with_field("outcome", parse_choice, raw["outcome"], "outcome", OUTCOMES)
    for field in ("filed_on", "decided_on"):
        if raw.get(field) is not None:
            values[field] = with_field(field, parse_date, raw[field])
    if "notes" in raw:
        values["notes"] = with_field("notes", optional_text, raw["notes"], "notes")
    return values


def add_appeal(conn: sqlite3.Connection, actor: str, case: int, raw: dict[str, str | None]) -> int:
    get_case(conn, case)
    values = {"instance": "first", "outcome": "pending", **parse_appeal(raw)}
    existing = conn.execute(
        "SELECT id FROM appeals WHERE case_id = ? AND instance = ?", (case, values["instance"])
    ).fetchone()
    if existing:
        raise Conflict(
            _(
                "case {case} already has a {instance}-instance appeal (appeal {existing}); change it with 'dereg appeal edit {existing}'"
            ).format(case=case, instance=values["instance"], existing=existing[0])
        )
    columns = ", ".join(values)
    appeal = conn.execute(
        f"INSERT INTO appeals (case_id, {columns}) VALUES (?{', ?' * len(values)})",
        (case, *values.values()),
    ).lastrowid
    rules.refuse(rules.touched(conn, cases=[case]))
    audit(conn, actor, "appeal add", "appeal", appeal, None, get_appeal(conn, appeal))
    return appeal


def get_appeal(conn: sqlite3.Connection, appeal: int) -> dict:
    rows = _appeal_rows(conn, "a.id = ?", (appeal,))
    if not rows:
        raise NotFound(_("no appeal with id {appeal}").format(appeal=appeal))
    return rows[0]


def edit_appeal(conn: sqlite3.Connection, actor: str, appeal: int, raw: dict[str, str | None]) -> dict:
    before = get_appeal(conn, appeal)
    values = parse_appeal(raw)
    if values.get("instance", before["instance"]) != before["instance"]:
        clash = conn.execute(
            "SELECT id FROM appeals WHERE case_id = ? AND instance = ?",
            (before["case_id"], values["instance"]),
        ).fetchone()
        if clash:
            raise Conflict(
                _("case {case_id} already has a {instance}-instance appeal (appeal {clash})").format(
                    case_id=before["case_id"], instance=values["instance"], clash=clash[0]
                )
            )
    if values:
        assignments = ", ".join(f"{column} = ?" for column in values)
        conn.execute(f"UPDATE appeals SET {assignments} WHERE id = ?", (*values.values(), appeal))
    rules.refuse(rules.touched(conn, cases=[before["case_id"]]))
    after = get_appeal(conn, appeal)
    if after != before:
        audit(conn, actor, "appeal edit", "appeal", appeal, before, after)
    return after


def list_appeals(conn: sqlite3.Connection, case: int | None = None) -> list[dict]:
    if case is not None:
        get_case(conn, case)
        return _appeal_rows(conn, "a.case_id = ?", (case,))
    return _appeal_rows(conn, "1", ())


def _appeal_rows(conn: sqlite3.Connection, where: str, params: tuple) -> list[dict]:
    rows = conn.execute(
        "SELECT a.id, a.case_id, c.candidate, a.court, a.instance, a.filed_on, a.outcome, "
        "a.decided_on, a.notes FROM appeals a JOIN cases c ON c.id = a.case_id "
        f"WHERE {where} ORDER BY a.case_id, "
        f"{rules.instance_rank_sql('a')}, a.id",
        params,
    ).fetchall()
    return [dict(zip(APPEAL_COLUMNS, row, strict=True)) for row in rows]
