"""Offices' work together: `dereg merge OTHER.db` and `dereg case merge KEEP OTHER`.
Registered in dereg/cli/__init__.py.

No postponed annotations: Typer reads these signatures at every start (see cli/__init__.py).
"""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from dereg.cli.kit import connect, handles_errors
from dereg.i18n import _


class Prefer(str, Enum):
    ours = "ours"
    theirs = "theirs"
    newer = "newer"


PreferOption = Annotated[
    Prefer | None,
    typer.Option(
        "--prefer",
        help="Settle values known differently on both sides: keep ours, take theirs, or the newer "
        "(by each side's last audited change of that value). Without it a conflict merges nothing.",
    ),
]


def _echo_conflicts(exc) -> None:
    for line in exc.lines:
        typer.echo(line, err=True)
    if exc.count > len(exc.lines):
        typer.echo(_("... and {more} more").format(more=exc.count - len(exc.lines)), err=True)


@handles_errors
def merge(
    ctx: typer.Context,
    other: Annotated[Path, typer.Argument(metavar="OTHER.db", help="Another office's database (read only).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count; write nothing.")] = False,
    prefer: PreferOption = None,
) -> None:
    """Bring another office's database into this one: all or nothing, audited, never twice."""
    from dereg.merging import source
    from dereg.merging.database import merge_database
    from dereg.merging.settle import Conflicts

    conn = connect(ctx, create=True)
    with source.opened(other, ctx.obj.db) as opened:
        try:
            result = merge_database(
                conn, opened, ctx.obj.actor, prefer=prefer and prefer.value, dry_run=dry_run
            )
        except Conflicts as exc:
            _echo_conflicts(exc)
            raise
    for line in result.conflicts:
        typer.echo(_("settled ({prefer}): {line}").format(prefer=prefer.value, line=line), err=True)
    for warning in result.warnings:
        typer.echo(_("warning: {warning}").format(warning=warning), err=True)
    if result.warning_count > len(result.warnings):
        more = result.warning_count - len(result.warnings)
        typer.echo(_("warning: ... and {more} more").format(more=more), err=True)
    if dry_run:
        done = _("would merge {file} (office {office!r}): {counts}")
    else:
        done = _("merged {file} (office {office!r}): {counts}")
    typer.echo(done.format(file=other, office=result.office, counts=result.counts()))


@handles_errors
def case_merge(
    ctx: typer.Context,
    keep: Annotated[int, typer.Argument(metavar="KEEP", help="The case that stays.")],
    other: Annotated[int, typer.Argument(metavar="OTHER", help="The case united into KEEP, then removed.")],
    prefer: PreferOption = None,
) -> None:
    """Unite two cases of one person: OTHER's appeals and values go to KEEP; OTHER's id is retired."""
    from dereg.db import transaction
    from dereg.merging.cases import merge_cases
    from dereg.merging.settle import Conflicts

    conn = connect(ctx)
    try:
        with transaction(conn):
            merge_cases(conn, ctx.obj.actor, keep, other, prefer and prefer.value)
    except Conflicts as exc:
        _echo_conflicts(exc)
        raise
    typer.echo(_("case {other} merged into case {keep}").format(other=other, keep=keep))
