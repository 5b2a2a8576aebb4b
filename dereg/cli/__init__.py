"""The dereg command line: options in, one call to the core, output out."""

# No `from __future__ import annotations` here: Typer reads every command's signature at
# start-up, and string annotations cost it an eval each, three times the work.

import getpass
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from dereg import __version__
from dereg.cli.admin import backup, check, publish
from dereg.cli.appeals import appeal_app
from dereg.cli.cases import case_app
from dereg.cli.elections import election_app
from dereg.cli.io import export_app, import_app
from dereg.cli.kit import Settings, connect, handles_errors
from dereg.cli.lang import Group, install
from dereg.cli.merge import case_merge, merge
from dereg.cli.places import district_app, region_app
from dereg.cli.report import report
from dereg.cli.summary import summary
from dereg.i18n import _

install()
app = typer.Typer(
    cls=Group,
    help="Track candidates removed from Kazakhstan's elections and what it cost competition.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(election_app, name="election")
app.add_typer(district_app, name="district")
app.add_typer(case_app, name="case")
app.add_typer(appeal_app, name="appeal")
app.add_typer(region_app, name="region")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.command()(summary)
app.command()(report)
app.command()(check)
app.command()(backup)
app.command()(publish)
app.command()(merge)
case_app.command("merge")(case_merge)


def _version(value: bool) -> None:
    if value:
        typer.echo(_("dereg {version}").format(version=__version__))
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Path,
        typer.Option(envvar="DEREG_DB", help="The database file (else $DEREG_DB, else ./cases.db)."),
    ] = Path("cases.db"),
    actor: Annotated[
        Optional[str],
        typer.Option(envvar="DEREG_ACTOR", help="Who makes the change, for the audit log."),
    ] = None,
    lang: Annotated[
        Optional[str],
        typer.Option(
            "--lang",
            metavar="ru|kk|en",
            help="The language to read: ru, kk or en (else $DEREG_LANG, else the locale, else en).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    ctx.obj = Settings(db=db, actor=actor or _login_name())


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


# --- init --------------------------------------------------------------------


@app.command()
@handles_errors
def init(
    ctx: typer.Context,
    office: Annotated[
        Optional[str],
        typer.Option(help="Name this database's office (e.g. 'Pavlodar legal aid'); run again to rename."),
    ] = None,
) -> None:
    """Create the database (or migrate it to this version); safe to run again."""
    from dereg.db import transaction
    from dereg.migrations import SCHEMA_VERSION
    from dereg.offices import name_office, own_office

    conn = connect(ctx, create=True)
    if office is not None:
        with transaction(conn):
            name_office(conn, ctx.obj.actor, office)
    typer.echo(
        _("{db}: ready (schema version {SCHEMA_VERSION})").format(
            db=ctx.obj.db, SCHEMA_VERSION=SCHEMA_VERSION
        )
    )
    if office is not None:
        typer.echo(_("office: {name}").format(name=own_office(conn)[1]))


def help_texts() -> list[str]:
    """Every help text of the command tree, as the catalog needs them (English)."""
    from typer.main import get_command

    root = get_command(app)
    ctx = typer.Context(root, info_name="dereg", help_option_names=["-h", "--help"])
    found: list[str] = []

    def walk(command) -> None:
        for attribute in ("help", "short_help", "epilog"):
            if getattr(command, attribute, None):
                found.append(getattr(command, attribute))
        command.get_help_option(ctx)
        for param in (*command.params, command._help_option):
            if param is not None and getattr(param, "help", None):
                found.append(param.help)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(root)
    return list(dict.fromkeys(found))


def main() -> None:
    """The `dereg` command: Typer's own failures too end as one line, never a traceback."""
    from dereg.cli.kit import interrupted, last_resort, quiet_broken_pipe

    try:
        app(prog_name="dereg")
    except BrokenPipeError:
        sys.exit(quiet_broken_pipe())
    except KeyboardInterrupt as exc:
        sys.exit(interrupted(exc, written=False))
    except Exception as exc:
        sys.exit(last_resort(exc))
