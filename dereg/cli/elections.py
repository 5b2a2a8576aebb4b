"""The election commands: list, rename, delete."""

# No `from __future__ import annotations`: Typer reads these signatures at every start.

from typing import Annotated

import typer

from dereg.cli.kit import Format, FormatOption, connect, echo_rows, handles_errors
from dereg.i18n import _

election_app = typer.Typer(help="Elections: list, rename a typo, delete an empty one.", no_args_is_help=True)

ElectionArgument = Annotated[str, typer.Argument(metavar="ELECTION", help="The election's name, any case.")]


@election_app.command("list")
@handles_errors
def election_list(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List the elections with how many districts and cases each has."""
    from dereg.elections import ELECTION_COLUMNS, list_elections

    echo_rows(list_elections(connect(ctx)), ELECTION_COLUMNS, fmt)


@election_app.command("rename")
@handles_errors
def election_rename(
    ctx: typer.Context,
    election: ElectionArgument,
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new name.")],
) -> None:
    """Rename an election (its districts and cases follow)."""
    from dereg.db import transaction
    from dereg.elections import rename_election

    conn = connect(ctx)
    with transaction(conn):
        old = rename_election(conn, ctx.obj.actor, election, new)
    typer.echo(_("election {old!r} is now {new!r}").format(old=old, new=new.strip()))


@election_app.command("delete")
@handles_errors
def election_delete(ctx: typer.Context, election: ElectionArgument) -> None:
    """Delete an election no district names (a typo, say)."""
    from dereg.db import transaction
    from dereg.elections import delete_election

    conn = connect(ctx)
    with transaction(conn):
        old = delete_election(conn, ctx.obj.actor, election)
    typer.echo(_("deleted election {old!r}").format(old=old))
