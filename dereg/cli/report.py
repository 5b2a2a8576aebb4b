"""`dereg report`: the summary as a page to hand to a journalist, or Markdown to paste."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from dereg.cli.kit import ElectionFilter, connect, handles_errors
from dereg.i18n import _


class ReportFormat(str, Enum):
    html = "html"
    markdown = "markdown"


@handles_errors
def report(
    ctx: typer.Context,
    election: ElectionFilter = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="html (one self-contained page) or markdown.")
    ] = ReportFormat.html,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write to this file (readable by you alone), not stdout."),
    ] = None,
    redact: Annotated[bool, typer.Option("--redact", help="Leave candidates' names out.")] = False,
) -> None:
    """A report of removals and lost competition: figures, charts, tables, cases."""
    import sys

    from dereg.cli.kit import terminal_width
    from dereg.errors import UsageError
    from dereg.report import build

    to_stdout = output is None or str(output) == "-"
    if to_stdout and fmt is ReportFormat.html and terminal_width() is not None:
        raise UsageError(_("the HTML report is not for a terminal: give -o report.html, or > report.html"))
    text = build(connect(ctx), election, fmt.value, redact=redact)
    if to_stdout:
        # In pieces, so that a reader who stops early (`| head`) stops the writing: a broken
        # pipe ends it quietly (141) after at most one piece more.
        for start in range(0, len(text), 1 << 16):
            sys.stdout.write(text[start : start + (1 << 16)])
            sys.stdout.flush()
        return
    from dereg.files import private_output

    with private_output(output, database=ctx.obj.db) as out:
        out.write(text)
    typer.echo(_("report written to {output}").format(output=output), err=True)
