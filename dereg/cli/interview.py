"""The questions of `case add`, `appeal add` and `district add` at a terminal: each field in
turn, what is recorded offered by Tab and as defaults, a duplicate caught as soon as it can be,
the case shown whole before it is saved."""

from __future__ import annotations

import sqlite3

import typer

from dereg.cli.entry import Cancelled, Desk
from dereg.errors import DeregError
from dereg.i18n import N_, _
from dereg.labels import value_label

# The question for each field of a case (the catalog's words; _() at the asking).
LABELS = {
    "election": N_("Election"),
    "region": N_("Region"),
    "district": N_("District"),
    "candidate": N_("Candidate"),
    "decision": N_("Decision (refused/cancelled)"),
    "decided_on": N_("Decided on (YYYY-MM-DD or DD.MM.YYYY)"),
    "amount": N_("Discrepancy amount"),
    "currency": N_("Currency"),
    "nominated_by": N_("Nominated by (self, a party, an NGO)"),
    "reason": N_("Reason the commission gave"),
    "notes": N_("Notes"),
}


def case_answers(conn: sqlite3.Connection, raw: dict[str, str], desk: Desk) -> dict[str, str]:
    """raw (filled in as answers come, so a caller can show them after a cancel) and the answers
    to every field of a case not given, each checked as it is typed; then
    the case shown and 'Save?' asked. Cancelled on Ctrl-D or a no."""
    from dereg import known
    from dereg.cases import parse_case
    from dereg.regions import resolve

    last_election, last_region = known.last_place(conn)

    def check(field: str, **extra):
        return lambda answer: parse_case(conn, {field: answer, **extra})

    if "election" not in raw:
        raw["election"] = desk.checked(
            _(LABELS["election"]), _election_check(conn), default=last_election, choices=known.elections(conn)
        )
    if "region" not in raw:
        raw["region"] = desk.checked(
            _(LABELS["region"]),
            _region_check(conn, raw["election"]),
            default=last_region,
            choices=known.regions(conn),
        )
        shown = value_label("region", resolve(conn, raw["region"])[1])
        if shown != raw["region"].strip():
            typer.echo(f"  = {shown}", err=True)
    region_id = resolve(conn, raw["region"])[0]
    if "district" not in raw:
        while True:
            raw["district"] = desk.checked(
                _(LABELS["district"]),
                check("district"),
                choices=known.districts(conn, raw["election"], region_id),
            )
            if _new_district_ok(conn, raw, desk):
                break
    if "candidate" not in raw:
        while True:
            raw["candidate"] = desk.checked(_(LABELS["candidate"]), check("candidate"), private=True)
            case = known.existing_case(conn, raw["election"], region_id, raw["district"], raw["candidate"])
            if case is None:
                break
            typer.echo(
                "  "
                + _(
                    "{candidate!r} already has case {case} in this district "
                    "(dereg case show {case}; dereg case edit {case} to change it)"
                ).format(candidate=raw["candidate"], case=case),
                err=True,
            )
    if "decision" not in raw:
        raw["decision"] = desk.checked(
            _(LABELS["decision"]), check("decision"), choices=("refused", "cancelled")
        )
    if "decided_on" not in raw:
        raw["decided_on"] = desk.checked(_(LABELS["decided_on"]), check("decided_on"))
    _amount(conn, raw, desk)
    if "nominated_by" not in raw:
        raw["nominated_by"] = desk.ask(_(LABELS["nominated_by"]), optional=True, choices=("self",))
    for field in ("reason", "notes"):
        if field not in raw:
            raw[field] = desk.ask(_(LABELS[field]), optional=True, private=True)
    _summary(conn, raw)
    if not desk.confirm(_("Save this case?"), default=True):
        raise Cancelled(_("cancelled, nothing written"))
    return {field: value for field, value in raw.items() if value != ""}


def _new_district_ok(conn: sqlite3.Connection, raw: dict, desk: Desk) -> bool:
    """A district not recorded but like recorded ones (a typo?) needs a yes."""
    from dereg.districts import unknown_district

    try:
        near = unknown_district(conn, raw["election"], raw["region"], raw["district"])
    except DeregError:
        return True  # the add itself names what is wrong
    if not near:
        return True
    typer.echo(
        "  "
        + _("new district {district!r}; recorded names like it: {names}").format(
            district=raw["district"], names=", ".join(map(repr, near))
        ),
        err=True,
    )
    return desk.confirm(_("Record it as a new district?"), default=False)


def _amount(conn: sqlite3.Connection, raw: dict, desk: Desk) -> None:
    """The amount (Enter: unknown), then its currency if it was not given: KZT unless told."""
    from dereg.cases import parse_case

    while "amount" not in raw:
        currency = raw.get("currency") or "KZT"
        amount = desk.checked(
            _(LABELS["amount"]),
            lambda a, c=currency: parse_case(conn, {"amount": a}, currency=c),
            optional=True,
        )
        if amount and "currency" not in raw:
            codes = [code for (code,) in conn.execute("SELECT code FROM currencies ORDER BY code")]
            chosen = desk.checked(
                _(LABELS["currency"]),
                lambda c: parse_case(conn, {"currency": c}),
                default="KZT",
                choices=codes,
            )
            if chosen.strip().upper() != "KZT":
                raw["currency"] = chosen
            try:
                parse_case(conn, {"amount": amount, "currency": chosen})
            except DeregError as exc:  # asked again, in the currency now chosen
                typer.echo(f"  {exc}", err=True)
                continue
        raw["amount"] = amount


def _summary(conn: sqlite3.Connection, raw: dict) -> None:
    from dereg.cases import parse_case
    from dereg.cli.kit import terminal_width
    from dereg.screen import amount_text, pairs

    values = parse_case(conn, raw)
    shown = [
        (field, values.get(field))
        for field in ("election", "region", "district", "candidate", "decision", "decided_on")
    ]
    if raw.get("amount"):
        from dereg.money import format_amount

        currency = values.get("currency") or "KZT"
        shown.append(("amount", amount_text(format_amount(values["amount"], currency), currency)))
    shown += [
        (field, values.get(field)) for field in ("nominated_by", "reason", "notes") if values.get(field)
    ]
    typer.echo("", err=True)
    typer.echo("\n".join(pairs(shown, terminal_width() or 80)), err=True)


def appeal_answers(conn: sqlite3.Connection, raw: dict[str, str | None], desk: Desk) -> dict[str, str | None]:
    """The fields of an appeal not given, asked for and checked; None where skipped."""
    from dereg.cases import parse_appeal
    from dereg.values import INSTANCES, OUTCOMES

    def check(field: str):
        return lambda answer: parse_appeal({"court": "x", field: answer})

    questions = (
        ("court", N_("Court"), {}),
        ("instance", N_("Instance"), {"default": "first", "choices": INSTANCES}),
        ("filed_on", N_("Filed on (YYYY-MM-DD or DD.MM.YYYY)"), {"optional": True}),
        ("outcome", N_("Outcome"), {"default": "pending", "choices": OUTCOMES}),
        ("decided_on", N_("Decided on (YYYY-MM-DD or DD.MM.YYYY)"), {"optional": True}),
        ("notes", N_("Notes"), {"optional": True, "private": True}),
    )
    for field, label, options in questions:
        if raw.get(field) is None:
            raw[field] = desk.checked(_(label), check(field), **options) or None
    return raw


def _election_check(conn: sqlite3.Connection):
    """An answer for the election: a name (a typo of a dated election is asked again)."""
    from dereg.elections import refuse_typo
    from dereg.fields import required_text

    def check(answer: str) -> str:
        name = required_text(answer, "election")
        refuse_typo(conn, name)
        return name

    return check


def _region_check(conn: sqlite3.Connection, election: str):
    """An answer for the region: any spelling of one that existed on the election's day."""
    from dereg.elections import region_problem
    from dereg.errors import InvalidValue
    from dereg.regions import resolve

    def check(answer: str) -> int:
        region_id = resolve(conn, answer)[0]
        problem = region_problem(conn, election, region_id)
        if problem:
            raise InvalidValue(problem, "region")
        return region_id

    return check


def district_answers(
    conn: sqlite3.Connection, raw: dict[str, str | None], desk: Desk
) -> dict[str, str | None]:
    """The fields of a district not given, asked for and checked; None where skipped."""
    from dereg import known
    from dereg.regions import resolve
    from dereg.values import LEVELS, parse_count

    last_election, last_region = known.last_place(conn)
    if raw.get("election") is None:
        raw["election"] = desk.checked(
            _("Election"), _election_check(conn), default=last_election, choices=known.elections(conn)
        )
    if raw.get("region") is None:
        raw["region"] = desk.checked(
            _("Region"),
            _region_check(conn, raw["election"]),
            default=last_region,
            choices=known.regions(conn),
        )
    if raw.get("district") is None:
        region_id = resolve(conn, raw["region"])[0]
        raw["district"] = desk.ask(_("District"), choices=known.districts(conn, raw["election"], region_id))
    if raw.get("seats") is None:
        raw["seats"] = desk.checked(_("Seats"), lambda answer: parse_count(answer, "seats", 1))
    if raw.get("candidates") is None:
        raw["candidates"] = (
            desk.checked(
                _("Candidates who stood"), lambda answer: parse_count(answer, "candidates", 0), optional=True
            )
            or None
        )
    if raw.get("level") is None:
        raw["level"] = (
            desk.ask(_("Level (mazhilis, oblast, city, district)"), optional=True, choices=LEVELS) or None
        )
    return raw


EDITABLE = ("election", "region", "district", "candidate", "decision", "decided_on", "amount", "currency")
EDITABLE += ("nominated_by", "reason", "notes")
CLEAR = "-"  # typed at an optional field: empty it


def edit_answers(conn: sqlite3.Connection, case: dict, desk: Desk) -> dict[str, str]:
    """Each field of a case asked with its value in brackets: Enter keeps it, '-' empties an
    optional one. The changes only, once confirmed (empty: nothing changed)."""
    from dereg import known
    from dereg.cases import REQUIRED_CASE_FIELDS, parse_case

    current = {field: case.get(field) for field in EDITABLE}
    current["amount"] = case.get("discrepancy_amount")
    typer.echo(
        _("Case {case}: Enter keeps a value; '{clear}' empties an optional one.").format(
            case=case["id"], clear=CLEAR
        ),
        err=True,
    )
    choices = {
        "election": known.elections(conn),
        "region": known.regions(conn),
        "decision": ("refused", "cancelled"),
    }
    changes: dict[str, str] = {}
    for field in EDITABLE:
        old = "" if current[field] is None else str(current[field])
        optional = field not in REQUIRED_CASE_FIELDS

        def check(answer: str, field=field) -> None:
            if answer != CLEAR:
                currency = changes.get("currency") or current["currency"] or "KZT"
                parse_case(conn, {field: answer}, currency=currency)

        answer = desk.checked(
            _(LABELS[field]),
            check,
            default=old or None,
            optional=optional,
            choices=choices.get(field, ()),
            private=field in ("candidate", "reason", "notes"),
        )
        value = "" if answer == CLEAR and optional else answer
        if value != old:
            changes[field] = value
    if changes:
        from dereg.screen import pairs

        typer.echo("", err=True)
        shown = [(field, f"{current[field] or ''} → {value}") for field, value in changes.items()]
        typer.echo("\n".join(pairs(shown, 80)), err=True)
        if not desk.confirm(_("Save these changes?"), default=True):
            raise Cancelled(_("cancelled, nothing written"))
    return changes
