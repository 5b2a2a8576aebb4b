"""The dereg case and appeal commands."""

# No `from __future__ import annotations`: Typer reads the signatures at every start-up.

import shlex
import sqlite3
import sys
from typing import Annotated, Optional

import typer

from dereg.cli.kit import (
    ElectionFilter,
    Format,
    FormatOption,
    LimitOption,
    RegionFilter,
    connect,
    echo_rows,
    handles_errors,
)
from dereg.errors import DeregError, UsageError
from dereg.i18n import _, ngettext
from dereg.labels import PROMPTS, label, value_label

case_app = typer.Typer(help="Cases: candidates refused or cancelled.", no_args_is_help=True)
appeal_app = typer.Typer(help="Court appeals against a decision.", no_args_is_help=True)


# --- cases -------------------------------------------------------------------------------


# The case fields, as options of both `case add` and `case edit`.
ElectionOption = Annotated[Optional[str], typer.Option(help="The election, e.g. '2016 maslikhat'.")]
RegionOption = Annotated[Optional[str], typer.Option(help="The region, any known spelling.")]
DistrictOption = Annotated[Optional[str], typer.Option(help="The district's name or number.")]
CandidateOption = Annotated[Optional[str], typer.Option(help="The candidate's full name.")]
DecisionOption = Annotated[Optional[str], typer.Option(help="refused or cancelled.")]
DateOption = Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")]
AmountOption = Annotated[Optional[str], typer.Option(help="The discrepancy, e.g. 0.78, 83, '1 234,56'.")]
CurrencyOption = Annotated[Optional[str], typer.Option(help="ISO 4217 code (default KZT).")]
NominatedOption = Annotated[Optional[str], typer.Option(help="self, a party or an NGO.")]
ReasonOption = Annotated[Optional[str], typer.Option(help="What the commission gave as reason.")]
NotesOption = Annotated[Optional[str], typer.Option(help="Anything else worth keeping.")]


def _given(**options: str | None) -> dict[str, str]:
    """The options the user gave (an empty string is given: it clears a field in edit)."""
    return {field: value for field, value in options.items() if value is not None}


@case_app.command("add")
@handles_errors
def case_add(
    ctx: typer.Context,
    election: ElectionOption = None,
    region: RegionOption = None,
    district: DistrictOption = None,
    candidate: CandidateOption = None,
    decision: DecisionOption = None,
    decided_on: DateOption = None,
    amount: AmountOption = None,
    currency: CurrencyOption = None,
    nominated_by: NominatedOption = None,
    reason: ReasonOption = None,
    notes: NotesOption = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: a missing option is an error.")
    ] = False,
) -> None:
    """Record a candidate's removal; asks for what is missing; prints the new case id."""
    from dereg.cases import REQUIRED_CASE_FIELDS, add_case, parse_case
    from dereg.db import transaction

    raw = _given(
        election=election,
        region=region,
        district=district,
        candidate=candidate,
        decision=decision,
        decided_on=decided_on,
        amount=amount,
        currency=currency,
        nominated_by=nominated_by,
        reason=reason,
        notes=notes,
    )
    missing = [field for field in REQUIRED_CASE_FIELDS if field not in raw]
    conn = connect(ctx, create=True)
    if missing and (no_input or not sys.stdin.isatty()):
        options = ", ".join(f"--{field.replace('_', '-')}" for field in missing)
        raise UsageError(
            ngettext(
                "missing option {options} (no terminal to ask in)",
                "missing options {options} (no terminal to ask in)",
                len(missing),
            ).format(options=options)
        )
    prompted = bool(missing)
    if prompted:
        given = parse_case(conn, raw)  # a bad option fails now, not after the questions
        if amount is None:
            missing.append("amount")
    try:
        for field in missing:
            raw[field] = _ask(conn, field, given.get("currency", "KZT"))
        _confirm_new_district(conn, raw, ask=not no_input and sys.stdin.isatty())
        with transaction(conn):
            case = add_case(conn, ctx.obj.actor, raw)
    except (DeregError, typer.Abort, KeyboardInterrupt):
        if prompted:  # never lose what was typed: show the command that would redo it
            typer.echo(_("Your answers, to run again: ") + _command_line("dereg case add", raw), err=True)
        raise
    typer.echo(case)


def _confirm_new_district(conn: sqlite3.Connection, raw: dict, *, ask: bool) -> None:
    """A district not recorded yet but like a recorded one (a typo?) is said on stderr with
    those names; in a terminal it needs a yes. A district like none is simply made."""
    from dereg.districts import unknown_district

    try:
        near = unknown_district(conn, raw["election"], raw["region"], raw["district"])
    except DeregError:
        return  # the add itself names what is wrong
    if not near:
        return
    typer.echo(
        _("new district {district!r} in {election}; recorded names like it: {names}").format(
            district=raw["district"].strip(),
            election=raw["election"].strip(),
            names=", ".join(map(repr, near)),
        ),
        err=True,
    )
    if ask and not typer.confirm(_("Record it as a new district?"), default=False, err=True):
        raise DeregError(_("cancelled, nothing written"))


def _ask(conn: sqlite3.Connection, field: str, currency: str) -> str:
    """Ask for one value until it checks out (region names are shown normalised)."""
    from dereg.cases import parse_case

    while True:
        # The question goes to stderr (click's prompt leaks a space to stdout), so that
        # `id=$(dereg case add)` captures the id alone.
        typer.echo(f"{_(PROMPTS[field])}: ", nl=False, err=True)
        try:
            answer = input()
        except EOFError:
            raise typer.Abort() from None
        try:
            parsed = parse_case(conn, {field: answer}, currency=currency)
        except DeregError as exc:
            typer.echo(f"  {exc}", err=True)
            continue
        if field == "region" and parsed["region"] != answer.strip():
            typer.echo(f"  = {parsed['region']}", err=True)
        return answer


def _command_line(command: str, raw: dict) -> str:
    options = " ".join(f"--{field.replace('_', '-')} {shlex.quote(value)}" for field, value in raw.items())
    return f"{command} {options}"


@case_app.command("list")
@handles_errors
def case_list(
    ctx: typer.Context,
    election: ElectionFilter = None,
    region: RegionFilter = None,
    district: Annotated[Optional[str], typer.Option(help="Only this district.")] = None,
    outcome: Annotated[
        Optional[str],
        typer.Option(help="pending, upheld, reinstated, not_heard or not_filed."),
    ] = None,
    min_amount: Annotated[Optional[str], typer.Option(help="KZT cases of at least this amount.")] = None,
    max_amount: Annotated[Optional[str], typer.Option(help="KZT cases of at most this amount.")] = None,
    search: Annotated[
        Optional[str], typer.Option(help="Text in the name, reason, notes or party (any case).")
    ] = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = None,
) -> None:
    """List cases, filtered."""
    from dereg.cases import CASE_COLUMNS, list_cases

    rows = list_cases(
        connect(ctx),
        election=election,
        region=region,
        district=district,
        outcome=outcome,
        min_amount=min_amount,
        max_amount=max_amount,
        search=search,
        limit=limit,
    )
    echo_rows(rows, CASE_COLUMNS, fmt)


@case_app.command("show")
@handles_errors
def case_show(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case's id.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Show one case and its appeals."""
    _print_case(connect(ctx), case_id, fmt)


def _print_case(conn: sqlite3.Connection, case_id: int, fmt: Format) -> None:
    import json

    from dereg.cases import APPEAL_COLUMNS, CASE_COLUMNS, get_case, list_appeals

    case = get_case(conn, case_id)
    appeals = list_appeals(conn, case_id)
    if fmt is Format.json:
        typer.echo(json.dumps({**case, "appeals": appeals}, ensure_ascii=False, indent=2))
    elif fmt is Format.csv:
        echo_rows([case], CASE_COLUMNS, fmt)
    else:
        width = max(len(label(column)) for column in CASE_COLUMNS)
        for column in CASE_COLUMNS:
            value = "" if case[column] is None else value_label(column, case[column])
            typer.echo(f"{label(column):<{width}}  {value}")
        if appeals:
            typer.echo("\n" + _("appeals:"))
            echo_rows(appeals, [c for c in APPEAL_COLUMNS if c not in ("case_id", "candidate")], fmt)


@case_app.command("edit")
@handles_errors
def case_edit(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case's id.")],
    election: ElectionOption = None,
    region: RegionOption = None,
    district: DistrictOption = None,
    candidate: CandidateOption = None,
    decision: DecisionOption = None,
    decided_on: DateOption = None,
    amount: AmountOption = None,
    currency: CurrencyOption = None,
    nominated_by: NominatedOption = None,
    reason: ReasonOption = None,
    notes: NotesOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Change fields of a case ('' clears an optional one); prints the case as it now stands."""
    from dereg.cases import edit_case
    from dereg.db import transaction

    raw = _given(
        election=election,
        region=region,
        district=district,
        candidate=candidate,
        decision=decision,
        decided_on=decided_on,
        amount=amount,
        currency=currency,
        nominated_by=nominated_by,
        reason=reason,
        notes=notes,
    )
    if not raw:
        raise UsageError(_("nothing to change: give at least one --<field> VALUE"))
    conn = connect(ctx)
    with transaction(conn):
        edit_case(conn, ctx.obj.actor, case_id, raw)
    _print_case(conn, case_id, fmt)


@case_app.command("delete")
@handles_errors
def case_delete(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case's id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: the case and its appeals go.")] = False,
) -> None:
    """Delete a case and its appeals (its history stays in the audit log)."""
    from dereg.cases import delete_case
    from dereg.db import transaction

    if not yes:
        raise UsageError(_("deleting case {case_id} needs --yes").format(case_id=case_id))
    conn = connect(ctx)
    with transaction(conn):
        case = delete_case(conn, ctx.obj.actor, case_id)
    typer.echo(_("deleted case {case_id} ({candidate})").format(case_id=case_id, candidate=case["candidate"]))


@case_app.command("history")
@handles_errors
def case_history(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case's id.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Every change to a case and its appeals, newest first: when, who, before, after."""
    import shutil

    from dereg import history

    entries = history.case_history(connect(ctx), case_id)
    if fmt is Format.table:  # what changed, in words; csv and json give the rows whole
        width = shutil.get_terminal_size((80, 24)).columns
        echo_rows(history.change_rows(entries, case_id, width), history.CHANGE_COLUMNS, fmt)
    else:
        echo_rows(history.as_text(entries) if fmt is Format.csv else entries, history.HISTORY_COLUMNS, fmt)


# --- appeals -----------------------------------------------------------------------------


@appeal_app.command("add")
@handles_errors
def appeal_add(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="CASE_ID", help="The case appealed.")],
    court: Annotated[str, typer.Option(help="The court that hears it.")],
    instance: Annotated[str, typer.Option(help="first, appeal or cassation.")] = "first",
    filed_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    outcome: Annotated[str, typer.Option(help="pending, upheld, reinstated or not_heard.")] = "pending",
    decided_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    notes: Annotated[Optional[str], typer.Option(help="Anything else worth keeping.")] = None,
) -> None:
    """Record a court appeal against a case's decision; prints the new appeal id."""
    from dereg.cases import add_appeal
    from dereg.db import transaction

    conn = connect(ctx)
    with transaction(conn):
        appeal = add_appeal(
            conn,
            ctx.obj.actor,
            case_id,
            {
                "court": court,
                "instance": instance,
                "filed_on": filed_on,
                "outcome": outcome,
                "decided_on": decided_on,
                "notes": notes,
            },
        )
    typer.echo(appeal)


@appeal_app.command("edit")
@handles_errors
def appeal_edit(
    ctx: typer.Context,
    appeal_id: Annotated[int, typer.Argument(metavar="ID", help="The appeal's id.")],
    court: Annotated[Optional[str], typer.Option(help="The court that hears it.")] = None,
    instance: Annotated[Optional[str], typer.Option(help="first, appeal or cassation.")] = None,
    filed_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    outcome: Annotated[Optional[str], typer.Option(help="pending, upheld, reinstated or not_heard.")] = None,
    decided_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    notes: Annotated[Optional[str], typer.Option(help="'' clears it.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Change an appeal, e.g. record the court's outcome."""
    from dereg.cases import APPEAL_COLUMNS, edit_appeal
    from dereg.db import transaction

    raw = _given(
        court=court, instance=instance, filed_on=filed_on, outcome=outcome, decided_on=decided_on, notes=notes
    )
    if not raw:
        raise UsageError(_("nothing to change: give at least one --<field> VALUE"))
    conn = connect(ctx)
    with transaction(conn):
        appeal = edit_appeal(conn, ctx.obj.actor, appeal_id, raw)
    echo_rows([appeal], APPEAL_COLUMNS, fmt)


@appeal_app.command("list")
@handles_errors
def appeal_list(
    ctx: typer.Context,
    case_id: Annotated[
        Optional[int], typer.Argument(metavar="[CASE_ID]", help="Only this case's appeals.")
    ] = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = None,
) -> None:
    """List appeals, of one case or of all."""
    from dereg.cases import APPEAL_COLUMNS, list_appeals

    echo_rows(list_appeals(connect(ctx), case_id)[:limit], APPEAL_COLUMNS, fmt)
