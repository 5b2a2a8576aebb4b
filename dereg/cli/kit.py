"""What every dereg command shares: settings, error handling, the database, output."""

import functools
import os
import sqlite3
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from dereg.errors import DeregError, ExitStatus
from dereg.i18n import _


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class SummaryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class By(str, Enum):
    district = "district"
    region = "region"
    election = "election"


@dataclass
class Settings:
    db: Path
    actor: str


def handles_errors(command):
    """Turn the core's errors into one line on stderr and the contract's exit status."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from dereg import db

        written_before = db.commits
        try:
            if sys.stdout is None:  # started with stdout closed (`>&-`): no reader, as with a broken pipe
                raise BrokenPipeError
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except DeregError as exc:
            fail(exc)
        except sqlite3.Error as exc:
            fail(DeregError(db.describe(exc, _database(args, kwargs))))
        except BrokenPipeError:
            raise typer.Exit(quiet_broken_pipe()) from None
        except OSError as exc:
            fail(DeregError(f"{exc.filename or _('file')}: {exc.strerror or exc}"))
        except KeyboardInterrupt as exc:
            raise typer.Exit(interrupted(exc, written=db.commits > written_before)) from None
        except Exception as exc:
            raise typer.Exit(last_resort(exc)) from None

    return wrapper


def quiet_broken_pipe() -> int:
    """The reader (`| head`) has all it wanted: no message, and no second one at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass  # stdout was closed from the start
    return ExitStatus.BROKEN_PIPE


def interrupted(exc: KeyboardInterrupt, *, written: bool) -> int:
    """Ctrl-C: 130 means nothing was written; after a commit the change stands, so say that."""
    from dereg.db import InterruptedWrite

    if written:
        typer.echo(_("interrupted after the change was written: it is saved"), err=True)
        return ExitStatus.OK
    if isinstance(exc, InterruptedWrite):
        typer.echo(_("interrupted: the change was rolled back, nothing of it was written"), err=True)
    else:
        typer.echo(_("interrupted: nothing was written"), err=True)
    return ExitStatus.INTERRUPTED


def last_resort(exc: Exception) -> int:
    """A failure no check foresaw: one line, never a traceback, unless DEREG_DEBUG asks for it."""
    if os.environ.get("DEREG_DEBUG"):
        raise exc
    text = str(exc).splitlines()[0] if str(exc) else ""
    typer.echo(
        _("Error: unexpected {name}{value} (DEREG_DEBUG=1 shows where; please report it)").format(
            name=type(exc).__name__, value=": " + text if text else ""
        ),
        err=True,
    )
    return ExitStatus.DATA


def _database(args: tuple, kwargs: dict) -> Path | str:
    """The database a command works on, from its context argument, to name it in a message."""
    for value in (*args, *kwargs.values()):  # typer passes a plain click context, not typer.Context
        if isinstance(getattr(value, "obj", None), Settings):
            return value.obj.db
    return _("the database")


def fail(exc: DeregError) -> None:
    field = getattr(exc, "field", None)
    where = f"--{field.replace('_', '-')}: " if field else ""
    typer.echo(_("Error: {message}").format(message=f"{where}{exc}"), err=True)
    raise typer.Exit(exc.exit_status)


def connect(ctx: typer.Context, *, create: bool = False) -> sqlite3.Connection:
    """The database of --db; only commands that add (create=True) may make a new one, and say so."""
    from dereg.db import connect as open_database

    path = ctx.obj.db
    new = create and not path.exists()
    conn = open_database(path, create=create)
    if new:
        typer.echo(_("new database '{path}' created").format(path=path), err=True)
    # Closed when the command ends, not whenever the garbage collector gets to it (a connection
    # sits in a reference cycle with its statement cache): the last close checkpoints the WAL
    # into the file and removes -wal and -shm, so a copy of the file alone is complete.
    ctx.call_on_close(conn.close)
    return conn


def given_options(**options: str | None) -> dict[str, str]:
    """The options the user gave (an empty string is given: it clears a field in edit)."""
    return {field: value for field, value in options.items() if value is not None}


def terminal_width() -> int | None:
    """The width of the terminal stdout is, or None when it is a pipe or a file."""
    import shutil

    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size((80, 24)).columns


def echo_rows(rows, columns, fmt: Enum, *, screen=None, fit: bool = True, **options) -> None:
    """Print rows in the chosen format; csv and json stream (rows may be an iterator).

    A table on a terminal fits its width, showing the columns of screen (default: all);
    fit=False leaves a table that already fits (its cells wrapped) as it is."""
    from dereg.output import render, write

    headings = None
    if fmt.value in ("table", "markdown"):  # for a person: headings and enum values in words
        from dereg.labels import headings as labelled
        from dereg.labels import in_words

        rows, headings = in_words(rows, columns), labelled(columns)
    width = terminal_width() if fit and fmt.value == "table" and not options else None
    if width is not None:
        from dereg.screen import table

        for line in table(rows, screen or columns, width):
            sys.stdout.write(line + "\n")
        return
    if options:
        typer.echo(render(list(rows), columns, fmt.value, headings=headings, **options), nl=False)
    else:
        write(rows, columns, fmt.value, sys.stdout, headings)


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
LimitOption = Annotated[Optional[int], typer.Option(min=1, help="Print at most N rows (default: all).")]
ElectionFilter = Annotated[Optional[str], typer.Option(help="Only this election.")]
RegionFilter = Annotated[Optional[str], typer.Option(help="Only this region (any spelling).")]
NewElectionOption = Annotated[
    Optional[str],
    typer.Option(
        "--new-election",
        metavar="DATE",
        help="The election is a new one, held on DATE: record it even if its name is like a known one's.",
    ),
]
ConstituencyOption = Annotated[
    Optional[str], typer.Option(help="single_mandate, multi_mandate or party_list.")
]
