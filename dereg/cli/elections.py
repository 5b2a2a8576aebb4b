"""The election commands: add, list, show, edit, rename, delete."""

# No `from __future__ import annotations`: Typer reads these signatures at every start.

from typing import Annotated, Optional

import typer

from dereg.cli.kit import Format, FormatOption, connect, echo_rows, handles_errors
from dereg.i18n import _

election_app = typer.Typer(
    help="Elections: the national ones ship with dereg; add others, set a day, rename a typo.",
    no_args_is_help=True,
)

ElectionArgument = Annotated[
    str, typer.Argument(metavar="ELECTION", help="The election: its name or any spelling of it.")
]
KindOption = Annotated[
    Optional[str],
    typer.Option(help="mazhilis, maslikhat, president, akim_rural, akim_district or by_election."),
]
AliasOption = Annotated[
    Optional[list[str]], typer.Option("--alias", help="Another spelling of its name (repeatable).")
]
DayHelp = "The voting day (YYYY-MM-DD or DD.MM.YYYY)."


@election_app.command("add")
@handles_errors
def election_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The election's name.")],
    on: Annotated[str, typer.Option("--on", metavar="DATE", help=DayHelp)],
    kind: KindOption = None,
    alias: AliasOption = None,
) -> None:
    """Record an election dereg does not ship (a by-election, a local one), with its day."""
    from dereg.db import transaction
    from dereg.elections import add_election

    conn = connect(ctx, create=True)
    with transaction(conn):
        ident = add_election(conn, ctx.obj.actor, name, on, kind, alias or [])
    typer.echo(_("election {ident}: {name!r}").format(ident=ident, name=name.strip()))


@election_app.command("list")
@handles_errors
def election_list(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List the elections by voting day, with how many districts and cases each has."""
    from dereg.elections import ELECTION_COLUMNS, list_elections

    echo_rows(list_elections(connect(ctx)), ELECTION_COLUMNS, fmt)


@election_app.command("show")
@handles_errors
def election_show(ctx: typer.Context, election: ElectionArgument, fmt: FormatOption = Format.table) -> None:
    """Show an election: its day, kind, spellings, source and how many cases it has."""
    from dereg.elections import show_election

    shown = show_election(connect(ctx), election)
    if fmt is Format.table:
        from dereg.labels import label

        width = max(12, *(len(label(key)) + 2 for key in shown))
        for key, value in shown.items():
            value = " | ".join(value) if isinstance(value, list) else value
            typer.echo(f"{label(key) + ':':<{width}}{'' if value is None else value}")
        return
    if fmt is Format.json:
        import json

        typer.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    echo_rows([{**shown, "aliases": "|".join(shown["aliases"])}], tuple(shown), fmt)


@election_app.command("edit")
@handles_errors
def election_edit(
    ctx: typer.Context,
    election: ElectionArgument,
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", help=DayHelp)] = None,
    kind: KindOption = None,
    alias: AliasOption = None,
) -> None:
    """Set an election's voting day or kind, or add spellings of its name."""
    from dereg.db import transaction
    from dereg.elections import edit_election

    conn = connect(ctx)
    with transaction(conn):
        shown = edit_election(conn, ctx.obj.actor, election, voting_day=on, kind=kind, aliases=alias or [])
    typer.echo(
        _("election {ident}: {name!r}, {day}").format(
            ident=shown["id"], name=shown["election"], day=shown["voting_day"] or _("day unknown")
        )
    )


@election_app.command("rename")
@handles_errors
def election_rename(
    ctx: typer.Context,
    election: ElectionArgument,
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new name.")],
) -> None:
    """Rename an election (its districts and cases follow; the old name stays a spelling)."""
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
