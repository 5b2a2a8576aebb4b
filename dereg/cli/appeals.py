"""The dereg appeal commands: a court's hearing of a case."""

# No `from __future__ import annotations`: Typer reads the signatures at every start-up.

from typing import Annotated

import typer

from dereg.cli.kit import Format, FormatOption, LimitOption, connect, echo_rows, given_options, handles_errors
from dereg.errors import UsageError

appeal_app = typer.Typer(help="Court appeals against a decision.", no_args_is_help=True)


@appeal_app.command("add")
@handles_errors
def appeal_add(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="CASE_ID", help="The case appealed.")],
    court: Annotated[str, typer.Option(help="The court that hears it.")],
    instance: Annotated[str, typer.Option(help="first, appeal or cassation.")] = "first",
    filed_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    outcome: Annotated[str, typer.Option(help="pending, upheld, reinstated or not_heard.")] = "pending",
    decided_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    notes: Annotated[str | None, typer.Option(help="Anything else worth keeping.")] = None,
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
    court: Annotated[str | None, typer.Option(help="The court that hears it.")] = None,
    instance: Annotated[str | None, typer.Option(help="first, appeal or cassation.")] = None,
    filed_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    outcome: Annotated[str | None, typer.Option(help="pending, upheld, reinstated or not_heard.")] = None,
    decided_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    notes: Annotated[str | None, typer.Option(help="'' clears it.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Change an appeal, e.g. record the court's outcome."""
    from dereg.cases import APPEAL_COLUMNS, edit_appeal
    from dereg.db import transaction

    raw = given_options(
        court=court, instance=instance, filed_on=filed_on, outcome=outcome, decided_on=decided_on, notes=notes
    )
    if not raw:
        raise UsageError("nothing to change: give at least one --<field> VALUE")
    conn = connect(ctx)
    with transaction(conn):
        appeal = edit_appeal(conn, ctx.obj.actor, appeal_id, raw)
    echo_rows([appeal], APPEAL_COLUMNS, fmt)


@appeal_app.command("list")
@handles_errors
def appeal_list(
    ctx: typer.Context,
    case_id: Annotated[
        int | None, typer.Argument(metavar="[CASE_ID]", help="Only this case's appeals.")
    ] = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = None,
) -> None:
    """List appeals, of one case or of all."""
    from dereg.cases import APPEAL_COLUMNS, list_appeals

    echo_rows(list_appeals(connect(ctx), case_id)[:limit], APPEAL_COLUMNS, fmt)
