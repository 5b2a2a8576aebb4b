"""The dereg case commands."""

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
    NewElectionOption,
    RegionFilter,
    connect,
    echo_rows,
    given_options,
    handles_errors,
    terminal_width,
)
from dereg.errors import DeregError, UsageError
from dereg.i18n import _, ngettext
from dereg.labels import label, value_label

case_app = typer.Typer(help="Cases: candidates refused or cancelled.", no_args_is_help=True)


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
    new_election: NewElectionOption = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: a missing option is an error.")
    ] = False,
) -> None:
    """Record a candidate's removal; asks for what is missing; prints the new case id."""
    from dereg.cases import REQUIRED_CASE_FIELDS, add_case, parse_case
    from dereg.cli.entry import Desk, at_terminal
    from dereg.db import transaction

    raw = given_options(
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
        new_election=new_election,
    )
    missing = [field for field in REQUIRED_CASE_FIELDS if field not in raw]
    conn = connect(ctx, create=True)
    asking = at_terminal(no_input)
    if missing and not asking:
        options = ", ".join(f"--{field.replace('_', '-')}" for field in missing)
        raise UsageError(
            ngettext(
                "missing option {options} (no terminal to ask in)",
                "missing options {options} (no terminal to ask in)",
                len(missing),
            ).format(options=options)
        )
    if missing:
        parse_case(conn, raw)  # a bad option fails now, not after the questions
    given = dict(raw)
    try:
        if missing:
            from dereg.cli.interview import case_answers

            desk = Desk()
            ctx.call_on_close(desk.close)
            raw = case_answers(conn, raw, desk)
        else:
            _confirm_new_district(conn, raw, ask=asking)
        with transaction(conn):
            case = add_case(conn, ctx.obj.actor, raw)
    except (DeregError, KeyboardInterrupt):
        if raw != given:  # never lose what was typed: show the command that would redo it
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


def _command_line(command: str, raw: dict) -> str:
    options = " ".join(
        f"--{field.replace('_', '-')} {shlex.quote(value)}" for field, value in raw.items() if value != ""
    )
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
    columns: Annotated[
        Optional[str],
        typer.Option(
            "--columns", metavar="A,B,...", help="Show these columns of a case, e.g. id,candidate,reason."
        ),
    ] = None,
    wide: Annotated[
        bool, typer.Option("--wide", help="On a terminal too, every column in full (for less -S).")
    ] = False,
) -> None:
    """List cases, filtered.

    On a terminal the table fits its width: id, candidate, region, district, decision,
    decided, amount and outcome, "…" where a text is cut; --columns or --wide show others.
    In a pipe or a file every column comes in full, as --format csv|json always do.
    """
    from dereg.cases import CASE_COLUMNS, list_cases
    from dereg.screen import CASE_SCREEN_COLUMNS, chosen_columns

    if columns is not None and wide:
        raise UsageError(_("--columns and --wide: give one of them"))
    chosen = CASE_COLUMNS if columns is None else chosen_columns(columns, CASE_COLUMNS)

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
    if wide:
        from dereg.output import write

        write(rows, CASE_COLUMNS, fmt.value, sys.stdout)
        return
    echo_rows(rows, chosen, fmt, screen=CASE_SCREEN_COLUMNS if columns is None else chosen)


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
    from dereg.offices import case_office

    case = {**get_case(conn, case_id), "office": case_office(conn, case_id)}
    appeals = list_appeals(conn, case_id)
    if fmt is Format.json:
        typer.echo(json.dumps({**case, "appeals": appeals}, ensure_ascii=False, indent=2))
    elif fmt is Format.csv:
        echo_rows([case], (*CASE_COLUMNS, "office"), fmt)
    elif (screen := terminal_width()) is not None:  # words, wrapped to the terminal's width
        from dereg.screen import amount_text, pairs

        amount = amount_text(case["discrepancy_amount"], case["currency"])
        columns = (*CASE_COLUMNS, "office")
        fields = [("amount", amount) if c == "discrepancy_amount" else (c, case[c]) for c in columns]
        typer.echo("\n".join(pairs([field for field in fields if field[0] != "currency"], screen)))
        if appeals:
            typer.echo("\n" + _("appeals:"))
            echo_rows(appeals, [c for c in APPEAL_COLUMNS if c not in ("case_id", "candidate")], fmt)
    else:
        width = max(len(label(column)) for column in (*CASE_COLUMNS, "office"))
        for column in (*CASE_COLUMNS, "office"):
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
    """Change fields of a case ('' clears an optional one); prints the case as it now stands.

    In a terminal with no --<field> given, asks each field with its value as the default.
    """
    from dereg.cases import edit_case
    from dereg.db import transaction

    raw = given_options(
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
    conn = connect(ctx)
    if not raw:
        from dereg.cli.entry import Desk, at_terminal

        if not at_terminal():
            raise UsageError(_("nothing to change: give at least one --<field> VALUE"))
        from dereg.cases import get_case
        from dereg.cli.interview import edit_answers

        desk = Desk()
        ctx.call_on_close(desk.close)
        raw = edit_answers(conn, get_case(conn, case_id), desk)
        if not raw:
            typer.echo(_("nothing changed"), err=True)
            return
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
    """Delete a case and its appeals (its history stays in the audit log).

    In a terminal it asks y/N; a script gives --yes.
    """
    from dereg.cases import delete_case, get_case, list_appeals
    from dereg.cli.entry import Cancelled, Desk, at_terminal
    from dereg.db import transaction

    if not yes and not at_terminal():
        raise UsageError(_("deleting case {case_id} needs --yes").format(case_id=case_id))
    conn = connect(ctx)
    if not yes:
        case = get_case(conn, case_id)
        count = len(list_appeals(conn, case_id))
        # English asks as it always has; Russian and Kazakh in their plural forms.
        question = ngettext(
            "Delete case {case_id} ({candidate}) and its {count} appeal(s)?",
            "Delete case {case_id} ({candidate}) and its {count} appeal(s)?",
            count,
        ).format(case_id=case_id, candidate=case["candidate"], count=count)
        if not Desk().confirm(question, default=False):
            raise Cancelled(_("cancelled, nothing written"))
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
    from dereg.offices import own_office

    conn = connect(ctx)
    entries = history.case_history(conn, case_id)
    if fmt is Format.table:  # what changed, in words; csv and json give the rows whole
        width = shutil.get_terminal_size((80, 24)).columns
        rows = history.change_rows(entries, case_id, width, own_office(conn)[1])
        if terminal_width() is not None:  # the change column is wrapped to what 10 leave the actor
            from dereg.screen import cut

            rows = [{**row, "actor": cut(row["actor"], 10)} for row in rows]
        echo_rows(rows, history.CHANGE_COLUMNS, fmt, fit=False)
    else:
        echo_rows(history.as_text(entries) if fmt is Format.csv else entries, history.HISTORY_COLUMNS, fmt)
