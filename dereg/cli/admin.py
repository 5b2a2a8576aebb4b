"""Upkeep commands: `dereg check` and `dereg backup`. Registered in dereg/cli.py.

No postponed annotations: Typer reads these signatures at every start (see cli.py).
"""

from pathlib import Path
from typing import Annotated

import typer

from dereg.cli.kit import connect, handles_errors
from dereg.errors import DeregError, ExitStatus
from dereg.i18n import _, ngettext


@handles_errors
def check(ctx: typer.Context) -> None:
    """Check the database: integrity, foreign keys, the cases' consistency; exit 1 on problems."""
    from dereg.check import check_database

    problems = check_database(connect(ctx))
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(
            ngettext("{count} problem found", "{count} problems found", len(problems)).format(
                count=len(problems)
            ),
            err=True,
        )
        raise typer.Exit(ExitStatus.DATA)
    typer.echo(_("no problems found"))


@handles_errors
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The backup file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the database to FILE, consistent even while others write; readable by you alone."""
    from dereg.backup import backup as make_backup

    source = ctx.obj.db
    if not source.exists():
        raise DeregError(_("database '{source}' does not exist: nothing to back up").format(source=source))
    copy = make_backup(connect(ctx), source, file, force=force)
    typer.echo(
        _(
            "backed up '{source}' to '{path}': {cases} cases, {appeals} appeals, {size} bytes; integrity ok"
        ).format(source=source, path=copy.path, cases=copy.cases, appeals=copy.appeals, size=copy.size)
    )
