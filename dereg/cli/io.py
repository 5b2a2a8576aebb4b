"""The import and export commands: options in, one call to the core, counts out."""

# No `from __future__ import annotations`: Typer reads these signatures at every start-up,
# and string annotations cost it an eval each (see cli.py).

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from dereg.cli.kit import connect, fail, handles_errors
from dereg.errors import UsageError
from dereg.i18n import _, ngettext

import_app = typer.Typer(help="Load cases or districts from CSV files.", no_args_is_help=True)
export_app = typer.Typer(help="Write cases out as CSV or JSON.", no_args_is_help=True)


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


FileArgument = Annotated[
    str, typer.Argument(metavar="FILE|-", help="The CSV file to load; '-' reads standard input.")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Check every row and report the counts; write nothing.")
]
SkipInvalidOption = Annotated[
    bool,
    typer.Option("--skip-invalid", help="Load the valid rows; write the invalid ones to --rejects."),
]
RejectsOption = Annotated[
    Optional[Path],
    typer.Option(help="With --skip-invalid: the CSV that gets the invalid rows and why."),
]
EncodingOption = Annotated[
    Optional[str],
    typer.Option(help="The file's encoding, e.g. windows-1251 (default: found from the bytes)."),
]
DelimiterOption = Annotated[
    Optional[str], typer.Option(help="',', ';' or TAB (default: found from the header).")
]


@import_app.command("cases")
@handles_errors
def import_cases(
    ctx: typer.Context,
    file: FileArgument,
    dry_run: DryRunOption = False,
    skip_invalid: SkipInvalidOption = False,
    rejects: RejectsOption = None,
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
) -> None:
    """Load cases (and their appeals) from CSV: all rows or, if one is invalid, none.

    Columns: election, region, district, candidate, decision, decided_on; optionally
    nominated_by, reason, discrepancy_amount, currency, notes, appeal_court,
    appeal_instance, appeal_filed_on, appeal_decided_on, appeal_outcome, district_seats,
    district_candidates. A case already recorded (same election, region, district and
    candidate) is updated; importing the same file twice adds nothing. Counts are of rows.
    """
    from dereg.csvio.pipeline import import_cases as load

    _import(ctx, load, file, dry_run, skip_invalid, rejects, encoding, delimiter)


@import_app.command("districts")
@handles_errors
def import_districts(
    ctx: typer.Context,
    file: FileArgument,
    dry_run: DryRunOption = False,
    skip_invalid: SkipInvalidOption = False,
    rejects: RejectsOption = None,
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
) -> None:
    """Load districts (seats, candidates, level) from CSV: all rows or none.

    Columns: election, region, district, seats; optionally candidates, level.
    """
    from dereg.csvio.pipeline import import_districts as load

    _import(ctx, load, file, dry_run, skip_invalid, rejects, encoding, delimiter)


def _import(ctx, load, file, dry_run, skip_invalid, rejects, encoding, delimiter) -> None:
    from dereg.csvio.pipeline import InvalidRows, open_source

    if skip_invalid != (rejects is not None):
        raise UsageError(_("--skip-invalid and --rejects FILE go together"))
    if dry_run and not ctx.obj.db.exists():  # checked against no recorded data; no file made
        from dereg.db import scratch

        conn = scratch()
    else:
        conn = connect(ctx, create=True)
    try:
        with open_source(file, encoding=encoding, delimiter=delimiter) as source:
            typer.echo(_("encoding: {label}").format(label=source.label), err=True)
            with _progress(source) as progress:
                try:
                    result = load(
                        conn,
                        source,
                        actor=ctx.obj.actor,
                        dry_run=dry_run,
                        rejects=rejects,
                        database=ctx.obj.db,
                        progress=progress,
                    )
                except InvalidRows as exc:
                    _report(exc.result)
                    fail(exc)
    finally:
        conn.close()
    _report(result)
    if result.rejected:
        typer.echo(
            ngettext(
                "{rejected} invalid row written to {rejects}",
                "{rejected} invalid rows written to {rejects}",
                result.rejected,
            ).format(rejected=result.rejected, rejects=rejects),
            err=True,
        )
    prefix = _("dry run, nothing written: ") if dry_run else ""
    typer.echo(f"{prefix}{result.counts()}")


def _report(result) -> None:
    """Problems and warnings on stderr: the first of them, then how many more."""
    for message in result.problems:
        typer.echo(message, err=True)
    if result.problem_count > len(result.problems):
        more = result.problem_count - len(result.problems)
        typer.echo(_("... and {more} more").format(more=more), err=True)
    for warning in result.warnings:
        typer.echo(_("warning: {warning}").format(warning=warning), err=True)
    if result.warning_count > len(result.warnings):
        more = result.warning_count - len(result.warnings)
        typer.echo(_("warning: ... and {more} more").format(more=more), err=True)
    if result.question_count:
        lines = ", ".join(map(str, result.question_lines))
        more = result.question_count - len(result.question_lines)
        typer.echo(
            ngettext(
                "warning: '?' inside a Cyrillic word, a letter the file's code page lacked? line {lines}{more}",
                "warning: '?' inside a Cyrillic word, a letter the file's code page lacked? lines {lines}{more}",
                result.question_count,
            ).format(lines=lines, more=_(" and {more} more").format(more=more) if more else ""),
            err=True,
        )


class _progress:
    """A progress bar with rows/s on a terminal; nothing in a pipe, a file or CI."""

    def __init__(self, source):
        self.source = source
        self.bar = None

    def __enter__(self):
        if not sys.stderr.isatty() or os.environ.get("CI"):
            return None
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn(_("{task.fields[rows]:,} rows, {task.fields[rate]:,.0f} rows/s")),
            TimeElapsedColumn(),
            transient=True,
            console=None,
        )
        self.bar.start()
        self.task = self.bar.add_task(self.source.name, total=self.source.size, rows=0, rate=0)
        return self.update

    def update(self, rows: int, bytes_read: int) -> None:
        elapsed = self.bar.tasks[0].elapsed or 0
        self.bar.update(self.task, completed=bytes_read, rows=rows, rate=rows / elapsed if elapsed else 0)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@export_app.command("cases")
@handles_errors
def export_cases(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv or json.")] = ExportFormat.csv,
    redact: Annotated[
        bool, typer.Option("--redact", help="Pseudonyms for candidates' names; no notes.")
    ] = False,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to FILE (mode 0600), not stdout.")
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="CSV that Excel opens by double-click: UTF-8 with a BOM; in Russian or Kazakh, ';' and 0,78.",
        ),
    ] = False,
) -> None:
    """Write every case: the columns of `case list`, safe to open in a spreadsheet.

    A cell starting with = + - @ TAB CR or ' gets a leading ', which `import cases` removes,
    so an export imports back into an empty database as the same cases.
    """
    import io

    from dereg.csvio.export import export_cases as write
    from dereg.files import private_output

    if excel and fmt is not ExportFormat.csv:
        raise UsageError(_("--excel writes CSV: leave out --format json"))
    # The interface language (--lang, $DEREG_LANG, the locale) chooses Excel's delimiter and decimal mark.
    from dereg.i18n import current

    language = current() if excel else None
    encoding = "utf-8-sig" if excel else "utf-8"  # the BOM by which Excel knows UTF-8
    conn = connect(ctx)
    try:
        if output is not None:
            with private_output(output, database=ctx.obj.db, encoding=encoding) as out:
                count = write(conn, out, fmt.value, redact, excel=language)
            typer.echo(
                ngettext(
                    "{count} case written to {output}", "{count} cases written to {output}", count
                ).format(count=count, output=output),
                err=True,
            )
            return
        out = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
        try:
            write(conn, out, fmt.value, redact, excel=language)
        finally:
            out.flush()
            out.detach()
    finally:
        conn.close()
