"""Upkeep commands: `dereg check`, `dereg backup` and `dereg publish`. Registered in dereg/cli/__init__.py.

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
    """Check the database: integrity, foreign keys, the cases' consistency; exit 1 on problems.
    Then likely duplicates: cases of one election whose candidates may be one person."""
    from dereg.check import check_with_likely_persons, notes

    conn = connect(ctx)
    for note in notes(conn):  # not problems: the exit status does not count them
        typer.echo(_("note: {note}").format(note=note), err=True)
    problems, likely = check_with_likely_persons(conn)
    for problem in problems:
        typer.echo(str(problem))
    for pair in likely:  # worth a look, not a problem: two people may share a name
        typer.echo(pair)
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


@handles_errors
def publish(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="OUT.db", help="The copy to write (replaced if there).")],
) -> None:
    """Write a redacted copy for publishing (Datasette): pseudonyms, no notes, no secret, no audit log.

    The views stay, and the summaries are also tables (summary_by_district, _region,
    _election). Serve it read-only: datasette -i OUT.db -m examples/datasette.json
    """
    from dereg.publish import publish as write_copy

    cases = write_copy(connect(ctx), file, database=ctx.obj.db)
    # English keeps the words scripts and tests have always read; Russian and Kazakh have their plural forms.
    typer.echo(
        ngettext(
            "published {cases} case(s) to '{file}': names pseudonymous, no notes, no audit log",
            "published {cases} case(s) to '{file}': names pseudonymous, no notes, no audit log",
            cases,
        ).format(cases=cases, file=file)
    )
