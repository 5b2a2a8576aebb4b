"""The domain's rules, written once. Every write path (case, appeal and district commands, the
import) runs them on what it touched before it commits, and refuses to commit a problem;
`dereg check` runs them on the whole database. So dereg never writes what its check calls a
problem.

- A district's removals, net of reinstatements, never exceed its candidates; seats are at
  least 1 and candidates, when known, at least 1.
- An appeal is filed on or after the commission's decision and decided on or after it was
  filed; a higher instance is filed and decided on or after the lower one's decision.
- A pending appeal has no decision date. No date is in the future.
- Instances rank first < appeal < cassation: the highest instance decides a case.
- A district's region exists on its election's day (Abai oblast from 2022-06-08 on); a
  single-mandate district has one seat, a multi-mandate one more.

(Amounts within their currency's decimals and SQLite's range: money.py; names with a visible
letter: text.py; dates that exist: dates.py. They are checked where a value is read.)
"""

from __future__ import annotations

import dataclasses
import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from dereg.errors import InvalidValue
from dereg.i18n import _, current, ngettext

INSTANCE_RANK = {"first": 1, "appeal": 2, "cassation": 3}


def instance_rank_sql(alias: str) -> str:
    """INSTANCE_RANK as SQL over the appeals table named alias (schema.sql spells it the same)."""
    ranks = " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in INSTANCE_RANK.items())
    return f"CASE {alias}.instance {ranks} END"


@dataclass(frozen=True)
class Problem:
    subject: str  # what is wrong, by name: "case 12 (Nistoly Marina)", "district ..."
    message: str
    # The option or column a write path names in its error; not part of what the problem is.
    field: str | None = dataclasses.field(default=None, compare=False)
    # A write names a district in its error; a case or appeal it is making has no id to name yet.
    named: bool = dataclasses.field(default=False, compare=False)
    at: tuple[str, int] | None = dataclasses.field(default=None, compare=False)  # (case|appeal|district, id)

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"

    def as_error(self) -> str:
        """What a refused write says: a district by name; a case or appeal it was making has
        no id yet, and the command's own values say which it is."""
        return str(self) if self.named else self.message


def refuse(problems: Iterable[Problem]) -> None:
    """Raise the first problem as the error of the write that made it (rolled back)."""
    for problem in problems:
        raise InvalidValue(problem.as_error(), problem.field)


def touched(
    conn: sqlite3.Connection, *, cases: Iterable[int] = (), districts: Iterable[int] = ()
) -> Iterator[Problem]:
    """The problems of these cases (their appeals) and districts (their removals), as a write
    that just changed them leaves them; a case's district is checked with it. (An import
    checks what it touched by queries: csvio.pipeline._check_rules.)"""
    today = date.today()
    case_ids, district_ids = sorted(set(cases)), set(districts)
    if case_ids:
        scope = ", ".join("?" * len(case_ids))
        yield from case_dates(conn, today, f"c.id IN ({scope})", case_ids)
        yield from appeal_dates(conn, today, f"a.case_id IN ({scope})", case_ids)
        yield from appeal_order(conn, today, f"a.case_id IN ({scope})", case_ids)
        found = conn.execute(f"SELECT DISTINCT district_id FROM cases WHERE id IN ({scope})", case_ids)
        district_ids.update(district for (district,) in found)
    if district_ids:
        ids = sorted(district_ids)
        scope = ", ".join("?" * len(ids))
        yield from removals(conn, today, f"district_id IN ({scope})", ids)
        yield from places(conn, today, f"d.id IN ({scope})", ids)


# --- names for what a problem is about -------------------------------------------------------


def case_subject(conn: sqlite3.Connection, case_id: int) -> str:
    row = conn.execute("SELECT candidate FROM cases WHERE id = ?", (case_id,)).fetchone()
    return (
        _("case {case_id} ({candidate})").format(case_id=case_id, candidate=row[0])
        if row
        else _("case {case_id}").format(case_id=case_id)
    )


def appeal_subject(instance: str, appeal_id: int) -> str:
    return _("{instance}-instance appeal {appeal_id}").format(instance=instance, appeal_id=appeal_id)


def district_subject(conn: sqlite3.Connection, district_id: int) -> str:
    row = conn.execute(
        "SELECT d.name, er.election, er.region FROM districts d LEFT JOIN election_regions er "
        "ON er.election_id = d.election_id AND er.region_id = d.region_id WHERE d.id = ?",
        (district_id,),
    ).fetchone()
    if not row:
        return _("district {district}").format(district=district_id)
    place = ", ".join(part for part in row[1:] if part)
    named = _("district {name!r}").format(name=row[0])
    return f"{named} ({place})" if place else named


# --- the rules, each over the rows `where` selects (all of them for `check`) -------------------


def removals(conn: sqlite3.Connection, today: date, where: str = "1", params=()) -> Iterator[Problem]:
    """Seats at least 1, candidates at least 1, and no more removed (net) than stood."""
    for district_id, seats, candidates, deregistered, reinstated in conn.execute(
        "SELECT district_id, seats, candidates, deregistered, reinstated FROM district_removals "
        f"WHERE ({where}) AND (seats < 1 OR candidates < 1 OR deregistered - reinstated > candidates) "
        "ORDER BY district_id",
        params,
    ).fetchall():
        subject, at = district_subject(conn, district_id), ("district", district_id)
        if seats is not None and seats < 1:
            yield Problem(
                subject, _("seats {seats} must be at least 1").format(seats=seats), "seats", named=True, at=at
            )
        if candidates is not None and candidates < 1:
            yield Problem(
                subject,
                _("candidates {candidates} must be at least 1").format(candidates=candidates),
                "candidates",
                named=True,
                at=at,
            )
        removed = deregistered - reinstated
        if candidates is not None and removed > candidates >= 1:
            message = _(
                "{removed} candidates removed ({deregistered} deregistered, {reinstated} reinstated) but only {candidates} stood"
            ).format(removed=removed, deregistered=deregistered, reinstated=reinstated, candidates=candidates)
            yield Problem(subject, message, named=True, at=at)


def decision_date_problem(decided: str, today: date) -> str | None:
    """What is wrong with a commission's decision date, if anything."""
    return (
        _("decided on {decided}, which is in the future").format(decided=decided)
        if decided > today.isoformat()
        else None
    )


def case_dates(conn: sqlite3.Connection, today: date, where: str = "1", params=()) -> Iterator[Problem]:
    for case_id, decided in conn.execute(
        f"SELECT c.id, c.decided_on FROM cases c WHERE ({where}) AND c.decided_on > ? ORDER BY c.id",
        (*params, today.isoformat()),
    ).fetchall():
        message = decision_date_problem(decided, today)
        yield Problem(case_subject(conn, case_id), message, "decided_on", at=("case", case_id))


def appeal_date_problems(
    filed: str | None, decided: str | None, outcome: str | None, commission: str, today: date
) -> list[tuple[str, str]]:
    """(field, message) for each rule one appeal's dates break, against its case's decision
    (commission) and today. An outcome of None is one not given, which is recorded as pending."""
    problems = []
    if filed and decided and decided < filed:
        problems.append(
            (
                "decided_on",
                _("decided on {decided}, before it was filed on {filed}").format(
                    decided=decided, filed=filed
                ),
            )
        )
    if filed and filed < commission:
        problems.append(
            (
                "filed_on",
                _("filed on {filed}, before the commission's decision of {commission}").format(
                    filed=filed, commission=commission
                ),
            )
        )
    elif not filed and decided and decided < commission:
        problems.append(
            (
                "decided_on",
                _("decided on {decided}, before the commission's decision of {commission}").format(
                    decided=decided, commission=commission
                ),
            )
        )
    if outcome in (None, "pending") and decided:
        problems.append(
            ("outcome", _("is pending, yet has a decision date ({decided})").format(decided=decided))
        )
    now = today.isoformat()
    for column, value in (("filed", filed), ("decided", decided)):
        if value and value > now:
            problems.append(
                (
                    f"{column}_on",
                    _("{column} on {value}, which is in the future").format(column=column, value=value),
                )
            )
    return problems


def appeal_dates(conn: sqlite3.Connection, today: date, where: str = "1", params=()) -> Iterator[Problem]:
    """Each appeal's own dates, against its case's decision and today."""
    for appeal_id, case_id, instance, filed, decided, outcome, commission in conn.execute(
        "SELECT a.id, a.case_id, a.instance, a.filed_on, a.decided_on, a.outcome, c.decided_on "
        f"FROM appeals a JOIN cases c ON c.id = a.case_id WHERE {where} "
        f"ORDER BY a.case_id, {instance_rank_sql('a')}",
        params,
    ):
        broken = appeal_date_problems(filed, decided, outcome, commission, today)
        if broken:
            subject = f"{case_subject(conn, case_id)}, {appeal_subject(instance, appeal_id)}"
            for field, message in broken:
                yield Problem(subject, message, field, at=("appeal", case_id))


def appeal_order(conn: sqlite3.Connection, today: date, where: str = "1", params=()) -> Iterator[Problem]:
    """A higher instance hears a case after the lower one decided it. (That a higher court
    upholds what a lower one reversed is no problem: the highest instance decides.) Read case
    by case, in memory that does not grow with the cases; only cases with several appeals."""
    rows = conn.execute(
        "SELECT a.case_id, a.id, a.instance, a.filed_on, a.decided_on FROM appeals a "
        f"WHERE ({where}) AND EXISTS (SELECT 1 FROM appeals b WHERE b.case_id = a.case_id AND b.id <> a.id) "
        f"ORDER BY a.case_id, {instance_rank_sql('a')}, a.id",
        params,
    )
    for case_id, chain in itertools.groupby(rows, key=lambda row: row[0]):
        yield from _chain_problems(conn, case_id, [row[1:] for row in chain])


def _chain_problems(conn: sqlite3.Connection, case_id: int, chain: list[tuple]) -> Iterator[Problem]:
    for i, (_id, lower, _filed, lower_decided) in enumerate(chain):
        for higher_id, higher, higher_filed, higher_decided in chain[i + 1 :]:
            if not lower_decided:
                continue
            if higher_filed and higher_filed < lower_decided:
                message = _(
                    "filed on {higher_filed}, before the {lower}-instance decision of {lower_decided}"
                ).format(higher_filed=higher_filed, lower=lower, lower_decided=lower_decided)
                field = "filed_on"
            elif higher_decided and higher_decided < lower_decided:
                message = _(
                    "decided on {higher_decided}, before the {lower}-instance decision of {lower_decided}"
                ).format(higher_decided=higher_decided, lower=lower, lower_decided=lower_decided)
                field = "decided_on"
            else:
                continue  # in order: no need to read the case's name
            subject = f"{case_subject(conn, case_id)}, {appeal_subject(higher, higher_id)}"
            yield Problem(subject, message, field, at=("appeal", case_id))


def region_label(name: str, kind: str) -> str:
    """A region as a sentence names it: 'Abai oblast', 'Almaty oblast', 'Shymkent'; in Russian
    or Kazakh as the language names it (the shipped regions' names are in the catalog)."""
    if current() != "en":
        return _(name)
    return f"{name} oblast" if kind == "oblast" and "oblast" not in name.casefold() else name


def region_on_day_problem(
    region: str, valid_from: str | None, valid_to: str | None, day: str | None
) -> str | None:
    """What is wrong with an election on `day` in a region that exists from valid_from to
    valid_to (both included; None: open), if anything. region as region_label gives it."""
    if day is None:
        return None
    if valid_from is not None and day < valid_from:
        return _("{region} exists from {valid_from}; this election is on {day}").format(
            region=region, valid_from=valid_from, day=day
        )
    if valid_to is not None and day > valid_to:
        return _("{region} existed until {valid_to}; this election is on {day}").format(
            region=region, valid_to=valid_to, day=day
        )
    return None


CONSTITUENCY_SEATS = {"single_mandate": (1, 1), "multi_mandate": (2, None)}


def constituency_problem(constituency: str | None, seats: int | None) -> str | None:
    """A single-mandate district has one seat; a multi-mandate one at least two."""
    low, high = CONSTITUENCY_SEATS.get(constituency, (None, None))
    if seats is None or low is None or low <= seats <= (high or seats):
        return None
    if high == 1:
        return _("a single-mandate district has 1 seat, not {seats}").format(seats=seats)
    return ngettext(
        "a multi-mandate district has at least {low} seats, not {seats}",
        "a multi-mandate district has at least {low} seats, not {seats}",
        low,
    ).format(low=low, seats=seats)


def places(conn: sqlite3.Connection, today: date, where: str = "1", params=()) -> Iterator[Problem]:
    """Each district's region on its election's day, and its seats against its constituency."""
    for ident, region, kind, valid_from, valid_to, day, constituency, seats in conn.execute(
        "SELECT d.id, r.name, r.kind, r.valid_from, r.valid_to, e.voting_day, d.constituency, d.seats "
        "FROM districts d JOIN elections e ON e.id = d.election_id JOIN regions r ON r.id = d.region_id "
        f"WHERE ({where}) ORDER BY d.id",
        params,
    ):  # read as a stream: a national database has tens of thousands of districts
        absent = region_on_day_problem(region_label(region, kind), valid_from, valid_to, day)
        if absent:
            yield Problem(district_subject(conn, ident), absent, "region", named=True, at=("district", ident))
        wrong = constituency_problem(constituency, seats)
        if wrong:
            yield Problem(district_subject(conn, ident), wrong, "seats", named=True, at=("district", ident))
