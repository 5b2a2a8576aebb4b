"""The dereg summary commands."""

# No `from __future__ import annotations`: Typer reads the signatures at every start-up.

import sys
from typing import Annotated

import typer

from dereg.cli.kit import (
    By,
    ElectionFilter,
    RegionFilter,
    SummaryFormat,
    connect,
    echo_rows,
    handles_errors,
)
from dereg.i18n import _


@handles_errors
def summary(
    ctx: typer.Context,
    by: Annotated[By, typer.Option(help="One row per district, region or election.")] = By.district,
    election: ElectionFilter = None,
    region: RegionFilter = None,
    fmt: Annotated[
        SummaryFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SummaryFormat.table,
) -> None:
    """How much removals cut competition: candidates per seat before and after."""
    from dereg import summary as competition

    columns = competition.COLUMNS[by.value]
    if fmt in (SummaryFormat.json, SummaryFormat.csv):
        rows = competition.streamed(connect(ctx), by.value, election, region)
        if fmt is SummaryFormat.csv:
            rows = (competition.with_fixed_decimals(row) for row in rows)
        echo_rows(rows, columns, fmt)
        return
    rows, total = competition.with_total(connect(ctx), by.value, election, region)
    total = competition.with_fixed_decimals(total)
    shown = [competition.with_fixed_decimals(row) for row in rows]
    if fmt is SummaryFormat.markdown:
        echo_rows(shown, columns, fmt, total=total)
    else:
        _print_table(shown, total, columns, competition)


def _print_table(rows, total, columns, competition) -> None:
    """A summary for the terminal: a block per election, wrapped to the screen's width."""
    import shutil

    from dereg.labels import in_words, label
    from dereg.output import narrow_table

    if not rows:
        typer.echo(_("(no districts)"))
        return
    rows = list(in_words(rows, columns))  # yes/no in the reader's language
    width = max(80, shutil.get_terminal_size((80, 24)).columns)
    if "region" not in columns:  # one row per election: nothing to group
        body = [[row.get(c) for c in columns] for row in [*rows, total]]
        headings = [
            _(competition.TABLE_HEADINGS[c]) if c in competition.TABLE_HEADINGS else label(c) for c in columns
        ]
        typer.echo(narrow_table(body, headings, width=width, text_columns=1, total=True))
        return
    shown = [c for c in columns if c != "election"]
    headings = [
        _(competition.TABLE_HEADINGS[c]) if c in competition.TABLE_HEADINGS else label(c) for c in shown
    ]
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
            block.append({**total, "region": _("total")})
        body = [[row.get(c) for c in shown] for row in block]
        typer.echo(election)
        typer.echo(narrow_table(body, headings, width=width, text_columns=keys, total=len(elections) == 1))
        typer.echo("")
    if len(elections) > 1:
        typer.echo(
            _("total: {deregistered} removed, {reinstated} reinstated").format(
                deregistered=total["deregistered"], reinstated=total["reinstated"]
            )
        )
    if "district" in columns:
        typer.echo(_(competition.LEGEND), nl=False)


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
