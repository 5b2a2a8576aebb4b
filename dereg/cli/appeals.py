"""The dereg appeal commands: a court's hearing of a case."""

# No `from __future__ import annotations`: Typer reads the signatures at every start-up.

from typing import Annotated, Optional

import typer

from dereg.cli.kit import Format, FormatOption, LimitOption, connect, echo_rows, given_options, handles_errors
from dereg.errors import UsageError
from dereg.i18n import _

appeal_app = typer.Typer(help="Court appeals against a decision.", no_args_is_help=True)


@appeal_app.command("add")
@handles_errors
def appeal_add(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="CASE_ID", help="The case appealed.")],
    court: Annotated[
        Optional[str], typer.Option(help="The court that hears it (asked in a terminal).")
    ] = None,
    instance: Annotated[Optional[str], typer.Option(help="first (default), appeal or cassation.")] = None,
    filed_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    outcome: Annotated[
        Optional[str], typer.Option(help="pending (default), upheld, reinstated or not_heard.")
    ] = None,
    decided_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    notes: Annotated[Optional[str], typer.Option(help="Anything else worth keeping.")] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: a missing --court is an error.")
    ] = False,
) -> None:
    """Record a court appeal against a case's decision; prints the new appeal id.

    In a terminal without --court, asks for each field not given (Enter skips the optional ones).
    """
    from dereg.cases import add_appeal, get_case, parse_appeal
    from dereg.cli.entry import Desk, at_terminal
    from dereg.db import transaction

    raw = {
        "court": court,
        "instance": instance,
        "filed_on": filed_on,
        "outcome": outcome,
        "decided_on": decided_on,
        "notes": notes,
    }
    conn = connect(ctx)
    if court is None:
        if not at_terminal(no_input):
            raise UsageError(_("missing option --court (no terminal to ask in)"))
        parse_appeal({k: v for k, v in raw.items() if v is not None})  # a bad option fails first
        get_case(conn, case_id)  # and an unknown case
        from dereg.cli.interview import appeal_answers

        desk = Desk()
        ctx.call_on_close(desk.close)
        raw = appeal_answers(conn, raw, desk)
    raw["instance"] = raw["instance"] or "first"
    raw["outcome"] = raw["outcome"] or "pending"
    with transaction(conn):
        appeal = add_appeal(conn, ctx.obj.actor, case_id, raw)
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

    raw = given_options(
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
