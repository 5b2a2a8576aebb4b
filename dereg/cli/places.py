"""The commands for places: regions and their spellings, districts and their figures."""

# No `from __future__ import annotations`: Typer reads these signatures at every start.

from typing import Annotated, Optional

import typer

from dereg.cli.kit import (
    ConstituencyOption,
    ElectionFilter,
    Format,
    FormatOption,
    LimitOption,
    NewElectionOption,
    RegionFilter,
    connect,
    echo_rows,
    handles_errors,
)
from dereg.i18n import _, ngettext

district_app = typer.Typer(help="Electoral districts: seats and candidates.", no_args_is_help=True)
region_app = typer.Typer(help="The regions and the spellings staff use.", no_args_is_help=True)


@region_app.command("list")
@handles_errors
def region_list(
    ctx: typer.Context,
    on: Annotated[
        Optional[str],
        typer.Option("--on", help="The map of this day (YYYY-MM-DD or DD.MM.YYYY), names as then."),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the regions and the aliases each is known by."""
    from dereg.dates import parse_date
    from dereg.fields import with_field
    from dereg.regions import list_regions

    day = None if on is None else with_field("on", parse_date, on)
    echo_rows(list_regions(connect(ctx), day), ("region", "kind", "aliases"), fmt)


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
    from dereg.db import transaction
    from dereg.history import audit
    from dereg.regions import add_region

    conn = connect(ctx, create=True)
    with transaction(conn):
        region_id, added = add_region(conn, name, alias or [], kind)
        if added or not alias:
            audit(
                conn,
                ctx.obj.actor,
                "region add",
                "region",
                region_id,
                None,
                {"name": name, "aliases": added, "kind": kind},
            )
    typer.echo(
        ngettext(
            "region {name}: {count} alias added", "region {name}: {count} aliases added", len(added)
        ).format(name=name, count=len(added))
    )


# --- districts ---------------------------------------------------------------------------


@district_app.command("add")
@handles_errors
def district_add(
    ctx: typer.Context,
    election: Annotated[Optional[str], typer.Option(help="The election, e.g. '2016 maslikhat'.")] = None,
    region: Annotated[Optional[str], typer.Option(help="The region, any known spelling.")] = None,
    district: Annotated[Optional[str], typer.Option(help="The district's name or number.")] = None,
    seats: Annotated[Optional[str], typer.Option(help="Seats to fill (1 or more).")] = None,
    candidates: Annotated[
        Optional[str], typer.Option(help="Candidates who stood before any removal.")
    ] = None,
    level: Annotated[Optional[str], typer.Option(help="mazhilis, oblast, city or district.")] = None,
    constituency: ConstituencyOption = None,
    new_election: NewElectionOption = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: a missing option is an error.")
    ] = False,
) -> None:
    """Add a district, or update its seats, candidates, level and constituency; in a terminal,
    asks for what is missing."""
    from dereg.cli.entry import Desk, at_terminal
    from dereg.db import transaction
    from dereg.districts import set_district
    from dereg.errors import UsageError

    raw = {"election": election, "region": region, "district": district, "seats": seats}
    missing = [field for field, value in raw.items() if value is None]
    if missing and not at_terminal(no_input):
        raise UsageError(
            ngettext(
                "missing option {options} (no terminal to ask in)",
                "missing options {options} (no terminal to ask in)",
                len(missing),
            ).format(options=", ".join("--" + f for f in missing))
        )
    conn = connect(ctx, create=True)
    if missing:
        from dereg.cli.interview import district_answers

        desk = Desk()
        ctx.call_on_close(desk.close)
        raw = district_answers(conn, {**raw, "candidates": candidates, "level": level}, desk)
        election, region, district, seats = raw["election"], raw["region"], raw["district"], raw["seats"]
        candidates, level = raw["candidates"], raw["level"]
    with transaction(conn):
        ident, changed = set_district(
            conn,
            ctx.obj.actor,
            "district add",
            election=election,
            region=region,
            district=district,
            seats=seats,
            candidates=candidates,
            level=level,
            constituency=constituency,
            new_election=new_election,
        )
    typer.echo(_("district {ident}: {value}").format(ident=ident, value="saved" if changed else "unchanged"))


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
    from dereg.districts import LISTED_COLUMNS, list_districts

    rows = list_districts(connect(ctx), election, region)
    echo_rows(rows[:limit], LISTED_COLUMNS, fmt)


DistrictId = Annotated[
    Optional[int], typer.Argument(metavar="[ID]", help="The district's id (district list).")
]
ElectionName = Annotated[
    Optional[str], typer.Option("--election", help="With --region and --district, instead of ID.")
]
RegionName = Annotated[Optional[str], typer.Option("--region", help="The region, any known spelling.")]
DistrictName = Annotated[Optional[str], typer.Option("--district", help="The district's name.")]


@district_app.command("edit")
@handles_errors
def district_edit(
    ctx: typer.Context,
    ident: DistrictId = None,
    election: ElectionName = None,
    region: RegionName = None,
    district: DistrictName = None,
    rename: Annotated[Optional[str], typer.Option(help="Its new name.")] = None,
    seats: Annotated[Optional[str], typer.Option(help="Seats to fill (1 or more).")] = None,
    candidates: Annotated[Optional[str], typer.Option(help="Candidates who stood (1 or more).")] = None,
    level: Annotated[Optional[str], typer.Option(help="mazhilis, oblast, city or district.")] = None,
    constituency: ConstituencyOption = None,
) -> None:
    """Rename a district or change its seats, candidates, level and constituency."""
    from dereg.db import transaction
    from dereg.districts import edit_district, find_district

    conn = connect(ctx)
    with transaction(conn):
        found = find_district(conn, ident, election, region, district)
        after = edit_district(
            conn,
            ctx.obj.actor,
            found,
            rename=rename,
            seats=seats,
            candidates=candidates,
            level=level,
            constituency=constituency,
        )
    typer.echo(
        _("district {found}: {district} ({election}, {region})").format(
            found=found, district=after["district"], election=after["election"], region=after["region"]
        )
    )


@district_app.command("delete")
@handles_errors
def district_delete(
    ctx: typer.Context,
    ident: DistrictId = None,
    election: ElectionName = None,
    region: RegionName = None,
    district: DistrictName = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask, even in a terminal.")] = False,
) -> None:
    """Delete a district no case names (refused while cases name it); asks y/N in a terminal."""
    from dereg.cli.entry import Cancelled, Desk, at_terminal
    from dereg.db import transaction
    from dereg.districts import delete_district, find_district

    conn = connect(ctx)
    if not yes and at_terminal():
        found = find_district(conn, ident, election, region, district)
        name = conn.execute("SELECT name FROM districts WHERE id = ?", (found,)).fetchone()[0]
        if not Desk().confirm(
            _("Delete district {found} ({name})?").format(found=found, name=name), default=False
        ):
            raise Cancelled(_("cancelled, nothing written"))
    with transaction(conn):
        found = find_district(conn, ident, election, region, district)
        before = delete_district(conn, ctx.obj.actor, found)
    typer.echo(_("deleted district {found} ({district})").format(found=found, district=before["district"]))


@district_app.command("merge")
@handles_errors
def district_merge(
    ctx: typer.Context,
    source: Annotated[int, typer.Argument(metavar="FROM", help="The district to empty and remove (a typo).")],
    target: Annotated[int, typer.Argument(metavar="INTO", help="The district its cases move to.")],
) -> None:
    """Move FROM's cases into INTO (audited), then remove FROM."""
    from dereg.db import transaction
    from dereg.districts import find_district, merge_districts

    conn = connect(ctx)
    with transaction(conn):
        moved = merge_districts(
            conn,
            ctx.obj.actor,
            find_district(conn, source, None, None, None),
            find_district(conn, target, None, None, None),
        )
    typer.echo(
        ngettext(
            "district {source} merged into district {target}: {moved} case moved",
            "district {source} merged into district {target}: {moved} cases moved",
            moved,
        ).format(source=source, target=target, moved=moved)
    )
