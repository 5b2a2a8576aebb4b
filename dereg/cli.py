"""The dereg command line: options in, one call to the core, output out."""

# No `from __future__ import annotations` here: Typer reads every command's signature at
# start-up, and string annotations cost it an eval each, three times the work.

import getpass
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from dereg import __version__
from dereg.cli_admin import backup, check
from dereg.cli_cases import appeal_app, case_app
from dereg.cli_io import export_app, import_app
from dereg.cli_report import report
from dereg.cli_summary import summary
from dereg.clikit import (
    ElectionFilter,
    Format,
    FormatOption,
    LimitOption,
    RegionFilter,
    Settings,
    connect,
    echo_rows,
    handles_errors,
)

app = typer.Typer(
    help="Track candidates removed from Kazakhstan's elections and what it cost competition.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
district_app = typer.Typer(help="Electoral districts: seats and candidates.", no_args_is_help=True)
region_app = typer.Typer(help="The regions and the spellings staff use.", no_args_is_help=True)
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dereg {__version__}")
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


# --- init and regions --------------------------------------------------------------------


@app.command()
@handles_errors
def init(ctx: typer.Context) -> None:
    """Create the database (or migrate it to this version); safe to run again."""
    from dereg.db import SCHEMA_VERSION

    connect(ctx).close()
    typer.echo(f"{ctx.obj.db}: ready (schema version {SCHEMA_VERSION})")


@region_app.command("list")
@handles_errors
def region_list(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List the regions and the aliases each is known by."""
    from dereg.regions import list_regions

    echo_rows(list_regions(connect(ctx)), ("region", "kind", "aliases"), fmt)


@region_app.command("add")
@handles_errors
def region_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The region's name.")],
    alias: Annotated[
        Optional[list[str]], typer.Option("--alias", help="Another spelling; repeat for more.")
    ] = None,
    kind: Annotated[str, typer.Option(help="oblast or city.")] = "oblast",
) -> None:
    """Add a region, or more aliases to an existing one."""
    from dereg.db import audit, transaction
    from dereg.regions import add_region

    conn = connect(ctx)
    with transaction(conn):
        region_id, added = add_region(conn, name, alias or [], kind)
        if added or not alias:
            audit(conn, ctx.obj.actor, "region add", "region", region_id, None,
                  {"name": name, "aliases": added, "kind": kind})  # fmt: skip
    typer.echo(f"region {name}: {len(added)} alias(es) added")


# --- districts ---------------------------------------------------------------------------


@district_app.command("add")
@handles_errors
def district_add(
    ctx: typer.Context,
    election: Annotated[str, typer.Option(help="The election, e.g. '2016 maslikhat'.")],
    region: Annotated[str, typer.Option(help="The region, any known spelling.")],
    district: Annotated[str, typer.Option(help="The district's name or number.")],
    seats: Annotated[str, typer.Option(help="Seats to fill (1 or more).")],
    candidates: Annotated[
        Optional[str], typer.Option(help="Candidates who stood before any removal.")
    ] = None,
    level: Annotated[Optional[str], typer.Option(help="mazhilis, oblast, city or district.")] = None,
) -> None:
    """Add a district, or update its seats, candidates and level."""
    from dereg.cases import set_district
    from dereg.db import transaction

    conn = connect(ctx)
    with transaction(conn):
        ident, changed = set_district(
            conn, ctx.obj.actor, "district add", election=election, region=region,
            district=district, seats=seats, candidates=candidates, level=level,
        )  # fmt: skip
    typer.echo(f"district {ident}: {'saved' if changed else 'unchanged'}")


@district_app.command("list")
@handles_errors
def district_list(
    ctx: typer.Context,
    election: ElectionFilter = None,
    region: RegionFilter = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = None,
) -> None:
    """List districts with their seats and candidates."""
    from dereg.cases import DISTRICT_COLUMNS, list_districts

    rows = list_districts(connect(ctx), election, region)
    echo_rows(rows[:limit], DISTRICT_COLUMNS, fmt)


def main() -> None:
    app(prog_name="dereg")
