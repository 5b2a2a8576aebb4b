"""The dereg command line: options in, one call to the core, output out."""

# No `from __future__ import annotations` here: Typer reads every command's signature at
# start-up, and string annotations cost it an eval each, three times the work.

import getpass
import os
import shlex
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from dereg import __version__
from dereg.clikit import (
    By,
    ElectionFilter,
    Format,
    FormatOption,
    LimitOption,
    RegionFilter,
    Settings,
    SummaryFormat,
    connect,
    echo_rows,
    handles_errors,
)
from dereg.errors import DeregError, UsageError

app = typer.Typer(
    help="Track candidates removed from Kazakhstan's elections and what it cost competition.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
district_app = typer.Typer(help="Electoral districts: seats and candidates.", no_args_is_help=True)
case_app = typer.Typer(help="Cases: candidates refused or cancelled.", no_args_is_help=True)
appeal_app = typer.Typer(help="Court appeals against a decision.", no_args_is_help=True)
region_app = typer.Typer(help="The regions and the spellings staff use.", no_args_is_help=True)
app.add_typer(district_app, name="district")
app.add_typer(case_app, name="case")
app.add_typer(appeal_app, name="appeal")
app.add_typer(region_app, name="region")
from dereg.cli_io import export_app, import_app  # noqa: E402
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
from dereg.cli_admin import backup, check  # noqa: E402
app.command()(check)
app.command()(backup)
from dereg.cli_report import report  # noqa: E402
app.command()(report)


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


# --- cases -------------------------------------------------------------------------------

PROMPTS = {
    "election": "Election (e.g. 2016 maslikhat)",
    "region": "Region",
    "district": "District",
    "candidate": "Candidate",
    "decision": "Decision (refused/cancelled)",
    "decided_on": "Decided on (YYYY-MM-DD or DD.MM.YYYY)",
    "amount": "Discrepancy amount (blank if unknown)",
}


# The case fields, as options of both `case add` and `case edit`.
ElectionOption = Annotated[Optional[str], typer.Option(help="The election, e.g. '2016 maslikhat'.")]
RegionOption = Annotated[Optional[str], typer.Option(help="The region, any known spelling.")]
DistrictOption = Annotated[Optional[str], typer.Option(help="The district's name or number.")]
CandidateOption = Annotated[Optional[str], typer.Option(help="The candidate's full name.")]
DecisionOption = Annotated[Optional[str], typer.Option(help="refused or cancelled.")]
DateOption = Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")]
AmountOption = Annotated[
    Optional[str], typer.Option(help="The discrepancy, e.g. 0.78, 83, '1 234,56'.")
]
CurrencyOption = Annotated[Optional[str], typer.Option(help="ISO 4217 code (default KZT).")]
NominatedOption = Annotated[Optional[str], typer.Option(help="self, a party or an NGO.")]
ReasonOption = Annotated[Optional[str], typer.Option(help="What the commission gave as reason.")]
NotesOption = Annotated[Optional[str], typer.Option(help="Anything else worth keeping.")]


def _given(**options: str | None) -> dict[str, str]:
    """The options the user gave (an empty string is given: it clears a field in edit)."""
    return {field: value for field, value in options.items() if value is not None}


@case_app.command("add")
@handles_errors
def case_add(
    ctx: typer.Context,
    election: ElectionOption = None,
    region: RegionOption = None,
    district: DistrictOption = None,
    candidate: CandidateOption = None,
    decision: DecisionOption = None,
    decided_on: DateOption = None,
    amount: AmountOption = None,
    currency: CurrencyOption = None,
    nominated_by: NominatedOption = None,
    reason: ReasonOption = None,
    notes: NotesOption = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: a missing option is an error.")
    ] = False,
) -> None:
    """Record a candidate's removal; asks for what is missing; prints the new case id."""
    from dereg.cases import REQUIRED_CASE_FIELDS, add_case
    from dereg.db import transaction

    raw = _given(
        election=election, region=region, district=district, candidate=candidate,
        decision=decision, decided_on=decided_on, amount=amount, currency=currency,
        nominated_by=nominated_by, reason=reason, notes=notes,
    )  # fmt: skip
    missing = [field for field in REQUIRED_CASE_FIELDS if field not in raw]
    conn = connect(ctx)
    if missing and (no_input or not sys.stdin.isatty()):
        options = ", ".join(f"--{field.replace('_', '-')}" for field in missing)
        raise UsageError(f"missing option(s) {options} (no terminal to ask in)")
    prompted = bool(missing)
    if prompted and amount is None:
        missing.append("amount")
    try:
        for field in missing:
            raw[field] = _ask(conn, field, raw)
        with transaction(conn):
            case = add_case(conn, ctx.obj.actor, raw)
    except (DeregError, typer.Abort, KeyboardInterrupt):
        if prompted:  # never lose what was typed: show the command that would redo it
            typer.echo("Your answers, to run again: " + _command_line("dereg case add", raw), err=True)
        raise
    typer.echo(case)


def _ask(conn: sqlite3.Connection, field: str, raw: dict) -> str:
    """Ask for one value until it checks out (region names are shown normalised)."""
    from dereg.cases import parse_case

    while True:
        # The question goes to stderr (click's prompt leaks a space to stdout), so that
        # `id=$(dereg case add)` captures the id alone.
        typer.echo(f"{PROMPTS[field]}: ", nl=False, err=True)
        try:
            answer = input()
        except EOFError:
            raise typer.Abort() from None
        try:
            parsed = parse_case(conn, {field: answer, "currency": raw.get("currency")})
        except DeregError as exc:
            typer.echo(f"  {exc}", err=True)
            continue
        if field == "region" and parsed["region"] != answer.strip():
            typer.echo(f"  = {parsed['region']}", err=True)
        return answer


def _command_line(command: str, raw: dict) -> str:
    options = " ".join(f"--{field.replace('_', '-')} {shlex.quote(value)}" for field, value in raw.items())
    return f"{command} {options}"


@case_app.command("list")
@handles_errors
def case_list(
    ctx: typer.Context,
    election: ElectionFilter = None,
    region: RegionFilter = None,
    district: Annotated[Optional[str], typer.Option(help="Only this district.")] = None,
    outcome: Annotated[
        Optional[str],
        typer.Option(help="pending, upheld, reinstated, not_heard or not_filed."),
    ] = None,
    min_amount: Annotated[Optional[str], typer.Option(help="KZT cases of at least this amount.")] = None,
    max_amount: Annotated[Optional[str], typer.Option(help="KZT cases of at most this amount.")] = None,
    search: Annotated[
        Optional[str], typer.Option(help="Text in the name, reason, notes or party (any case).")
    ] = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = None,
) -> None:
    """List cases, filtered."""
    from dereg.cases import CASE_COLUMNS, list_cases

    rows = list_cases(
        connect(ctx), election=election, region=region, district=district, outcome=outcome,
        min_amount=min_amount, max_amount=max_amount, search=search, limit=limit,
    )  # fmt: skip
    echo_rows(rows, CASE_COLUMNS, fmt)


@case_app.command("show")
@handles_errors
def case_show(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case's id.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Show one case and its appeals."""
    _print_case(connect(ctx), case_id, fmt)


def _print_case(conn: sqlite3.Connection, case_id: int, fmt: Format) -> None:
    import json

    from dereg.cases import APPEAL_COLUMNS, CASE_COLUMNS, get_case, list_appeals

    case = get_case(conn, case_id)
    appeals = list_appeals(conn, case_id)
    if fmt is Format.json:
        typer.echo(json.dumps({**case, "appeals": appeals}, ensure_ascii=False, indent=2))
    elif fmt is Format.csv:
        echo_rows([case], CASE_COLUMNS, fmt)
    else:
        width = max(len(column) for column in CASE_COLUMNS)
        for column in CASE_COLUMNS:
            value = "" if case[column] is None else case[column]
            typer.echo(f"{column:<{width}}  {value}")
        if appeals:
            typer.echo("\nappeals:")
            echo_rows(appeals, [c for c in APPEAL_COLUMNS if c not in ("case_id", "candidate")], fmt)


@case_app.command("edit")
@handles_errors
def case_edit(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case's id.")],
    election: ElectionOption = None,
    region: RegionOption = None,
    district: DistrictOption = None,
    candidate: CandidateOption = None,
    decision: DecisionOption = None,
    decided_on: DateOption = None,
    amount: AmountOption = None,
    currency: CurrencyOption = None,
    nominated_by: NominatedOption = None,
    reason: ReasonOption = None,
    notes: NotesOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Change fields of a case ('' clears an optional one); prints the case as it now stands."""
    from dereg.cases import edit_case
    from dereg.db import transaction

    raw = _given(
        election=election, region=region, district=district, candidate=candidate,
        decision=decision, decided_on=decided_on, amount=amount, currency=currency,
        nominated_by=nominated_by, reason=reason, notes=notes,
    )  # fmt: skip
    if not raw:
        raise UsageError("nothing to change: give at least one --<field> VALUE")
    conn = connect(ctx)
    with transaction(conn):
        edit_case(conn, ctx.obj.actor, case_id, raw)
    _print_case(conn, case_id, fmt)


@case_app.command("delete")
@handles_errors
def case_delete(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case's id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: the case and its appeals go.")] = False,
) -> None:
    """Delete a case and its appeals (its history stays in the audit log)."""
    from dereg.cases import delete_case
    from dereg.db import transaction

    if not yes:
        raise UsageError(f"deleting case {case_id} needs --yes")
    conn = connect(ctx)
    with transaction(conn):
        case = delete_case(conn, ctx.obj.actor, case_id)
    typer.echo(f"deleted case {case_id} ({case['candidate']})")


@case_app.command("history")
@handles_errors
def case_history(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="ID", help="The case's id.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Every change to a case and its appeals, newest first: when, who, before, after."""
    import shutil

    from dereg import history

    entries = history.case_history(connect(ctx), case_id)
    if fmt is Format.table:  # what changed, in words; csv and json give the rows whole
        width = shutil.get_terminal_size((80, 24)).columns
        echo_rows(history.change_rows(entries, case_id, width), history.CHANGE_COLUMNS, fmt)
    else:
        echo_rows(history.as_text(entries) if fmt is Format.csv else entries, history.HISTORY_COLUMNS, fmt)


# --- appeals -----------------------------------------------------------------------------


@appeal_app.command("add")
@handles_errors
def appeal_add(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(metavar="CASE_ID", help="The case appealed.")],
    court: Annotated[str, typer.Option(help="The court that hears it.")],
    instance: Annotated[str, typer.Option(help="first, appeal or cassation.")] = "first",
    filed_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    outcome: Annotated[
        str, typer.Option(help="pending, upheld, reinstated or not_heard.")
    ] = "pending",
    decided_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    notes: Annotated[Optional[str], typer.Option(help="Anything else worth keeping.")] = None,
) -> None:
    """Record a court appeal against a case's decision; prints the new appeal id."""
    from dereg.cases import add_appeal
    from dereg.db import transaction

    conn = connect(ctx)
    with transaction(conn):
        appeal = add_appeal(conn, ctx.obj.actor, case_id, {
            "court": court, "instance": instance, "filed_on": filed_on, "outcome": outcome,
            "decided_on": decided_on, "notes": notes,
        })  # fmt: skip
    typer.echo(appeal)


@appeal_app.command("edit")
@handles_errors
def appeal_edit(
    ctx: typer.Context,
    appeal_id: Annotated[int, typer.Argument(metavar="ID", help="The appeal's id.")],
    court: Annotated[Optional[str], typer.Option(help="The court that hears it.")] = None,
    instance: Annotated[Optional[str], typer.Option(help="first, appeal or cassation.")] = None,
    filed_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    outcome: Annotated[
        Optional[str], typer.Option(help="pending, upheld, reinstated or not_heard.")
    ] = None,
    decided_on: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or DD.MM.YYYY.")] = None,
    notes: Annotated[Optional[str], typer.Option(help="'' clears it.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Change an appeal, e.g. record the court's outcome."""
    from dereg.cases import APPEAL_COLUMNS, edit_appeal
    from dereg.db import transaction

    raw = _given(court=court, instance=instance, filed_on=filed_on, outcome=outcome,
                 decided_on=decided_on, notes=notes)  # fmt: skip
    if not raw:
        raise UsageError("nothing to change: give at least one --<field> VALUE")
    conn = connect(ctx)
    with transaction(conn):
        appeal = edit_appeal(conn, ctx.obj.actor, appeal_id, raw)
    echo_rows([appeal], APPEAL_COLUMNS, fmt)


@appeal_app.command("list")
@handles_errors
def appeal_list(
    ctx: typer.Context,
    case_id: Annotated[
        Optional[int], typer.Argument(metavar="[CASE_ID]", help="Only this case's appeals.")
    ] = None,
    fmt: FormatOption = Format.table,
    limit: LimitOption = None,
) -> None:
    """List appeals, of one case or of all."""
    from dereg.cases import APPEAL_COLUMNS, list_appeals

    echo_rows(list_appeals(connect(ctx), case_id)[:limit], APPEAL_COLUMNS, fmt)


# --- summary -----------------------------------------------------------------------------


@app.command()
@handles_errors
def summary(
    ctx: typer.Context,
    by: Annotated[By, typer.Option(help="One row per district, region or election.")] = By.district,
    election: ElectionFilter = None,
    region: RegionFilter = None,
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f", help="Output format.")] = SummaryFormat.table,
) -> None:
    """How much removals cut competition: candidates per seat before and after."""
    from dereg import summary as figures

    rows = figures.summary(connect(ctx), by.value, election, region)
    columns = figures.COLUMNS[by.value]
    if fmt in (SummaryFormat.json, SummaryFormat.csv):
        if fmt is SummaryFormat.csv:
            rows = [_fixed_decimals(row, figures.DECIMALS) for row in rows]
        echo_rows(rows, columns, fmt)
        return
    total = _fixed_decimals(figures.total(rows, by.value), figures.DECIMALS)
    shown = [_fixed_decimals(row, figures.DECIMALS) for row in rows]
    if fmt is SummaryFormat.markdown:
        echo_rows(shown, columns, fmt, total=total)
    else:
        _print_table(shown, total, columns, figures)


def _fixed_decimals(row: dict, decimals: dict[str, int]) -> dict:
    """Ratios as text with their fixed decimals (2.50, not 2.5), for csv and tables."""
    return {
        column: f"{value:.{decimals[column]}f}" if column in decimals and isinstance(value, float) else value
        for column, value in row.items()
    }


def _print_table(rows, total, columns, figures) -> None:
    """A summary for the terminal: a block per election, wrapped to the screen's width."""
    import shutil

    from dereg.output import narrow_table

    if not rows:
        typer.echo("(no districts)")
        return
    width = max(80, shutil.get_terminal_size((80, 24)).columns)
    if "region" not in columns:  # one row per election: nothing to group
        body = [[row.get(c) for c in columns] for row in [*rows, total]]
        headings = [figures.TABLE_HEADINGS.get(c, c) for c in columns]
        typer.echo(narrow_table(body, headings, width=width, text_columns=1, total=True))
        return
    shown = [c for c in columns if c != "election"]
    headings = [figures.TABLE_HEADINGS.get(c, c) for c in shown]
    # A bar beside the cut on a screen, when it has room for it beyond the 80 columns the
    # table is made for (in 80 the region and district names would lose the room).
    if "district" in columns and sys.stdout.isatty() and width >= 80 + CUT_BAR_WIDTH + 1:
        at = shown.index("reduction_pct") + 1
        shown.insert(at, "cut_bar")
        headings.insert(at, "")
        rows = [{**row, "cut_bar": _cut_bar(row["reduction_pct"])} for row in rows]
        total = {**total, "cut_bar": _cut_bar(total["reduction_pct"])}
    keys = 2 if "district" in columns else 1
    elections = list(dict.fromkeys(row["election"] for row in rows))
    for election in elections:
        block = [row for row in rows if row["election"] == election]
        if len(elections) == 1:
            block.append({**total, "region": "total"})
        body = [[row.get(c) for c in shown] for row in block]
        typer.echo(election)
        typer.echo(narrow_table(body, headings, width=width, text_columns=keys, total=len(elections) == 1))
        typer.echo("")
    if len(elections) > 1:
        typer.echo(f"total: {total['deregistered']} removed, {total['reinstated']} reinstated")
    if "district" in columns:
        typer.echo(figures.LEGEND, nl=False)


CUT_BAR_WIDTH = 6


def _cut_bar(pct: str | None, width: int = CUT_BAR_WIDTH) -> str:
    """The cut drawn in text, 0 to 100% across width characters, in eighths of a character."""
    if pct is None:
        return ""
    full, track = "\u2588", "\u00b7"
    try:
        (full + track + "\u258f").encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):  # a terminal that cannot show blocks gets ASCII
        cells = round(min(float(pct), 100.0) * width / 100)
        return "#" * cells + "." * (width - cells)
    eighths = round(min(float(pct), 100.0) * width * 8 / 100)  # a cut over 100% is bad data
    partial = " \u258f\u258e\u258d\u258c\u258b\u258a\u2589"[eighths % 8].strip()
    bar = full * (eighths // 8) + partial
    return bar + track * (width - len(bar))


def main() -> None:
    app(prog_name="dereg")
