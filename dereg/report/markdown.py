"""The report as Markdown: the HTML page's figures and tables, for pasting into a document."""

from __future__ import annotations

import re
from datetime import date

from dereg import __version__
from dereg.i18n import _, ngettext
from dereg.report.charts import amount_bins
from dereg.report.figures import (
    CUT_THRESHOLD,
    DISTRICT_COLUMNS,
    REGION_COLUMNS,
    ElectionReport,
    case_columns,
    cases_smallest_first,
    cell_text,
    headline,
    hidden_worst,
    lead,
    listed_note,
    natural_order,
    percent,
)
from dereg.report.numbers import day, number

# CommonMark lets any ASCII punctuation be escaped; these are the ones that could turn a name
# into markup, a link, raw HTML or a new table cell.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~&])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render(reports: list[ElectionReport], *, redact: bool, today: date) -> str:
    out = [_("# Candidates removed over declaration discrepancies"), ""]
    if not reports:
        out += [_("No election is recorded yet: add districts and cases first."), ""]
    for report in reports:
        out += _election(report, redact)
    out.append(
        _(
            "_Made with dereg {version} on {date}. Figures are those of `dereg summary` for the same database._"
        ).format(version=__version__, date=day(today))
    )
    return "\n".join(out) + "\n"


def _election(report: ElectionReport, redact: bool) -> list[str]:
    out = [f"## {escape(report.election)}", "", escape(lead(report)), ""]
    out += [_("| Figure | Value | Note |"), "|---|--:|---|"]
    for figure in headline(report):
        out.append(f"| {escape(figure.label)} | {escape(figure.shown)} | {escape(figure.note)} |")
    out.append("")

    worst, hidden = report.worst, hidden_worst(report)
    out += [_("### Districts where removals cut competition most"), ""]
    if worst:
        out += [
            _("| Region | District | Cut % | Removed | Candidates | Uncontested |"),
            "|---|---|--:|--:|--:|---|",
        ]
        for d in worst:
            out.append(
                f"| {escape(d['region'])} | {escape(d['district'])} | {percent(d['reduction_pct'])} "
                f"| {number(d['deregistered'] - d['reinstated'])} | {number(d['candidates'])} "
                f"| {_('yes') if d['uncontested'] else _('no')} |"
            )
        if hidden:
            out.append(
                ngettext(
                    "\n{count} more district lost candidates; all are in the district table.",
                    "\n{count} more districts lost candidates; all are in the district table.",
                    hidden,
                ).format(count=number(hidden))
            )
    else:
        unknown = report.counts["unknown_with_cases"]
        out.append(
            _("No district with a known number of candidates lost any.")
            + (
                ngettext(
                    " {count} district with cases has no number of candidates recorded, so its cut cannot be told.",
                    " {count} districts with cases have no number of candidates recorded, so their cut cannot be told.",
                    unknown,
                ).format(count=number(unknown))
                if unknown
                else ""
            )
        )
    out.append(
        _("\nDistricts that lost {threshold:.0f}% or more: {count}.\n").format(
            threshold=CUT_THRESHOLD, count=number(report.districts_cut)
        )
    )

    out += [_("### Discrepancy amounts"), ""]
    bins = amount_bins(report.kzt_amounts)
    if bins:
        out += [_("| Amount in tenge | Cases |"), "|---|--:|"]
        out += [f"| {escape(label)} | {number(count)} |" for label, count in bins]
    else:
        out.append(_("No case has a discrepancy amount in tenge."))
    out.append("")

    out += [_("### By region"), ""] + _table(report.regions, REGION_COLUMNS, report.region_total)
    districts = natural_order(report.districts)
    out += [_("### By district"), ""] + _table(districts, DISTRICT_COLUMNS, report.district_total)
    if note := listed_note(report):
        out += [note, ""]
    out += [_("### Cases ({count}), smallest discrepancy first").format(count=number(report.case_count)), ""]
    out += [
        _(
            "Decision: registration refused or cancelled. Appeal: the outcome of the latest appeal: upheld (the court kept the removal), not heard (no trial), pending, reinstated, or none filed."
        ),
        "",
    ]
    if redact:
        out += [_("Candidates' names are left out of this copy."), ""]
    out += _table(cases_smallest_first(report.cases), case_columns(redact), None)
    return out


def _table(rows: list[dict], columns, total: dict | None) -> list[str]:
    if not rows:
        return [_("(none)"), ""]
    keys = [key for key, __ in columns]
    out = [
        "| " + " | ".join(escape(_(heading)) for __, heading in columns) + " |",
        "|" + "|".join("---" if _is_text(key) else "--:" for key in keys) + "|",
    ]
    for row in rows:
        out.append("| " + " | ".join(escape(cell_text(key, row)) for key in keys) + " |")
    if total is not None:
        cells = [f"**{_('total')}**"] + [escape(cell_text(key, total)) for key in keys[1:]]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def _is_text(key: str) -> bool:
    return key in (
        "region",
        "district",
        "candidate",
        "nominated_by",
        "decision",
        "decided_on",
        "reason",
        "appeal_outcome",
        "uncontested",
    )
