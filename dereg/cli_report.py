"""`dereg report`: the summary as a page to hand to a journalist, or Markdown to paste."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from dereg.clikit import ElectionFilter, connect, handles_errors


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
    from dereg.report import build

    text = build(connect(ctx), election, fmt.value, redact=redact)
    if output is None or str(output) == "-":
        typer.echo(text, nl=False)
        return
    write_private(output, text)
    typer.echo(f"report written to {output}", err=True)


def write_private(path: Path, text: str) -> None:
    """Write text to path as a whole, mode 0600 whatever the umask; a failure leaves no part."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
