"""The report as one self-contained HTML page: inline CSS and SVG, printable on A4.

Every value from the database is escaped with html.escape. Each figure also sits, exact, in a
data-value attribute (JSON) beside its data-key, so a program can read the page back.
"""

from __future__ import annotations

import json
from datetime import date
from html import escape

from dereg import __version__
from dereg.i18n import N_, _, current, ngettext
from dereg.report.charts import (
    amounts_as_dots,
    amounts_chart,
    outcomes_chart,
    reduction_chart,
)
from dereg.report.figures import (
    CUT_THRESHOLD,
    DISTRICT_COLUMNS,
    MAX_BARS,
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
)
from dereg.report.numbers import day, number

TITLE = N_("Candidates removed over declaration discrepancies")
NUMERIC = {
    "id",
    "districts",
    "seats",
    "candidates",
    "deregistered",
    "reinstated",
    "remaining",
    "per_seat_before",
    "per_seat_after",
    "reduction_pct",
    "uncontested_districts",
    "appeals",
    "median_discrepancy_kzt",
    "discrepancy_amount",
}

CSS = """
:root { --ink:#1d2433; --muted:#5b6475; --rule:#d5d9e0; --red:#b3261e; --orange:#e8833a;
        --paper:#fff; --tint:#f4f6f9; --accent:#1f3a5f; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e9ecf1; color: var(--ink);
       font: 15px/1.5 "Liberation Sans", "DejaVu Sans", Arial, "Helvetica Neue", sans-serif; }
main { max-width: 980px; margin: 24px auto; background: var(--paper); padding: 40px 48px 32px;
       box-shadow: 0 1px 3px rgba(0,0,0,.08); }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px;
          color: var(--red); font-weight: bold; }
h1 { font-size: 30px; line-height: 1.15; margin: 6px 0 6px; letter-spacing: -.01em; }
.meta { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
nav { font-size: 13px; margin: 8px 0 0; }
nav a { color: var(--accent); margin-right: 14px; }
section.election { border-top: 3px solid var(--ink); margin-top: 22px; padding-top: 6px; }
h2 { font-size: 22px; margin: 8px 0 4px; }
h3 { font-size: 16px; margin: 30px 0 4px; padding-bottom: 3px; border-bottom: 1px solid var(--rule); }
.lead { font-size: 17px; line-height: 1.5; margin: 6px 0 18px; max-width: 52em; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 0 0 8px; }
.figure { background: var(--tint); border-top: 3px solid var(--accent); padding: 8px 12px 10px; }
.figure.alarm { border-top-color: var(--red); }
.figure .value { display: block; font-size: 28px; font-weight: bold; line-height: 1.2;
                 font-variant-numeric: tabular-nums; }
.figure.alarm .value { color: var(--red); }
.figure .label { display: block; font-weight: bold; font-size: 13.5px; }
.figure .note { display: block; color: var(--muted); font-size: 12px; line-height: 1.35; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figure .explain, p.note { color: var(--muted); font-size: 13px; margin: 0 0 8px; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 4px 0 6px; }
svg.chart text { font-family: inherit; }
table.data { width: 100%; border-collapse: collapse; font-size: 12.5px; margin: 6px 0 4px;
             font-variant-numeric: tabular-nums; }
table.data th { text-align: left; font-size: 11.5px; color: var(--muted); font-weight: bold;
                border-bottom: 1.5px solid var(--ink); padding: 4px 6px; vertical-align: bottom; }
table.data td { padding: 3px 6px; border-bottom: 1px solid #eceef2; vertical-align: top; }
table.data tr:nth-child(even) td { background: #fafbfc; }
table.data .num { text-align: right; white-space: nowrap; }
table.data tr.total td { font-weight: bold; border-top: 1.5px solid var(--ink); background: var(--paper); }
td.cut .track { display: inline-block; width: 44px; height: 8px; margin-left: 6px;
                background: #eceef2; vertical-align: 0; }
td.cut .bar { display: block; height: 100%; background: var(--orange); }
td.cut.severe .bar { background: var(--red); }
td.flag { color: var(--red); font-weight: bold; }
td.amount { font-weight: bold; }
td.date { white-space: nowrap; }
footer { margin-top: 34px; border-top: 1px solid var(--rule); padding-top: 10px;
         color: var(--muted); font-size: 12px; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; }
footer dt { font-weight: bold; color: var(--ink); }
footer dd { margin: 0; }
@page { size: A4; margin: 14mm 12mm 16mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #5b6475; } }
@media print {
  body { background: none; font-size: 10pt; }
  main { margin: 0; padding: 0; max-width: none; box-shadow: none; }
  h1 { font-size: 22pt; }
  .lead { font-size: 12pt; }
  .figure .value { font-size: 19pt; }
  nav { display: none; }
  section.election + section.election { break-before: page; page-break-before: always; }
  h3 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  table.data { font-size: 8pt; }
}
"""


def render(reports: list[ElectionReport], *, redact: bool, today: date) -> str:
    title = _(TITLE) if len(reports) != 1 else f"{_(TITLE)}: {reports[0].election}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{current()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="dereg {escape(__version__)}">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head>",
        "<body><main>",
        "<header>",
        _('<p class="kicker">Election observation · tax-declaration removals</p>'),
        f"<h1>{escape(_(TITLE))}</h1>",
        _(
            '<p class="meta">Made on {date} with dereg {version}. Every figure is that of <code>dereg summary</code> on the same records.'
        ).format(date=day(today), version=escape(__version__))
        + (_(" Candidates' names are left out of this copy.") if redact else "")
        + "</p>",
    ]
    if len(reports) > 1:
        links = "".join(f'<a href="#election-{i}">{escape(r.election)}</a>' for i, r in enumerate(reports, 1))
        parts.append(_("<nav>Elections: {links}</nav>").format(links=links))
    parts.append("</header>")
    if not reports:
        parts.append(_('<p class="lead">No election is recorded yet: add districts and cases first.</p>'))
    for i, report in enumerate(reports, 1):
        parts.append(_election(report, i, redact))
    parts.append(_footer())
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def _election(report: ElectionReport, index: int, redact: bool) -> str:
    name = escape(report.election)
    out = [
        f'<section class="election" id="election-{index}" data-election="{name}">',
        f"<h2>{name}</h2>",
        f'<p class="lead">{escape(lead(report))}</p>',
        '<div class="figures">',
    ]
    alarming = {
        "deregistered",
        "reduction_pct",
        "uncontested_districts",
        "districts_cut_25",
        "median_discrepancy_kzt",
    }
    for figure in headline(report):
        css = "figure alarm" if figure.key in alarming and figure.value not in (0, None) else "figure"
        out.append(
            f'<div class="{css}" data-key="{figure.key}" data-value="{_json(figure.value)}">'
            f'<span class="value">{escape(figure.shown)}</span>'
            f'<span class="label">{escape(figure.label)}</span>'
            f'<span class="note">{escape(figure.note)}</span></div>'
        )
    out.append("</div>")
    out += _charts(report)
    out += [
        _("<h3>By region</h3>"),
        _table("region", report.regions, REGION_COLUMNS, report.region_total, report.election),
        _("<h3>By district</h3>"),
        _(
            '<p class="note">Candidates: who stood before any removal. Per seat: candidates per seat before removals; after: after them. Cut: share of candidates removed and not reinstated. Uncontested: no more candidates left than seats.</p>'
        ),
        _table(
            "district",
            natural_order(report.districts),
            DISTRICT_COLUMNS,
            report.district_total,
            report.election,
        ),
        (f'<p class="note">{escape(note)}</p>' if (note := listed_note(report)) else ""),
        _("<h3>Cases ({count})</h3>").format(count=number(report.case_count)),
        _(
            '<p class="note">Smallest discrepancy first. Decision: registration refused, or registration cancelled. Appeal: the outcome of the latest appeal (the highest court that ruled): upheld (the court kept the removal), not heard (no trial: fee unpaid, deadline missed), pending, reinstated, or none filed.'
        )
        + (_(" Candidates' names are left out of this copy.") if redact else "")
        + "</p>",
        _case_table(report, redact),
        "</section>",
    ]
    return "\n".join(out)


def _charts(report: ElectionReport) -> list[str]:
    out = []
    amounts = report.kzt_amounts
    out.append(_("<figure><h3>How small the discrepancies were</h3>"))
    if amounts:
        out.append(
            _(
                '<p class="explain">{value}, by the discrepancy the tax authorities found between the candidate\'s declaration and their records. The scale is logarithmic, so that amounts of a few tenge are not lost beside large ones; the smallest are named.</p>'
            ).format(value=_("Each dot is a case") if amounts_as_dots(amounts) else _("Cases counted"))
        )
        out.append(amounts_chart(amounts, title=_("Discrepancy amounts in tenge, log scale")))
        others = report.case_count - len(amounts)
        if others:
            out.append(
                ngettext(
                    '<p class="note">{count} case with no amount in tenge (unknown, or in another currency) is not shown.</p>',
                    '<p class="note">{count} cases with no amount in tenge (unknown, or in another currency) are not shown.</p>',
                    others,
                ).format(count=number(others))
            )
    else:
        out.append(_('<p class="note">No case has a discrepancy amount in tenge.</p>'))
    out.append("</figure>")

    worst, hidden = report.worst, hidden_worst(report)
    out.append(_("<figure><h3>Where removals cut competition most</h3>"))
    if worst:
        out.append(
            _(
                '<p class="explain">Each bar is a district: the share of its candidates removed and not reinstated, worst first. Red: {CUT_THRESHOLD:.0f}% or more (the dashed line), where a quarter of the field or more was lost.</p>'
            ).format(CUT_THRESHOLD=CUT_THRESHOLD)
        )
        out.append(
            reduction_chart(
                worst,
                label_keys=("district", "region"),
                chart="district-reduction",
                title=_("Reduction of competition per district, worst first"),
            )
        )
        if hidden:
            out.append(
                ngettext(
                    '<p class="note">The {shown} hardest-hit districts are shown; {count} more district lost candidates (all are in the district table).</p>',
                    '<p class="note">The {shown} hardest-hit districts are shown; {count} more districts lost candidates (all are in the district table).</p>',
                    hidden,
                ).format(shown=MAX_BARS, count=number(hidden))
            )
    else:
        unknown = report.counts["unknown_with_cases"]
        out.append(
            _('<p class="note">No district whose number of candidates is known lost any.')
            + (
                ngettext(
                    " {count} district with cases has no number of candidates recorded (<code>dereg district add ... --candidates N</code>), so its cut cannot be told.",
                    " {count} districts with cases have no number of candidates recorded (<code>dereg district add ... --candidates N</code>), so their cut cannot be told.",
                    unknown,
                ).format(count=number(unknown))
                if unknown
                else ""
            )
            + "</p>"
        )
    out.append("</figure>")

    regions = sorted(
        (r for r in report.regions if r["reduction_pct"] is not None),
        key=lambda r: (-r["reduction_pct"], r["region"]),
    )
    if regions:
        out.append(_("<figure><h3>Competition lost, by region</h3>"))
        out.append(
            _(
                '<p class="explain">Share of each region\'s candidates removed and not reinstated, in districts whose candidate count is known.</p>'
            )
        )
        out.append(
            reduction_chart(
                regions,
                label_keys=("region",),
                chart="region-reduction",
                title=_("Reduction of competition per region"),
            )
        )
        out.append("</figure>")

    if report.case_count:
        out.append(_("<figure><h3>What the courts did</h3>"))
        out.append(outcomes_chart(report.outcomes, title=_("Cases by outcome of their appeal")))
        out.append("</figure>")
    return out


def _json(value) -> str:
    return escape(json.dumps(value, ensure_ascii=False))


def _cell(key: str, row: dict) -> str:
    value = row.get(key)
    text = escape(cell_text(key, row))
    classes = ["num"] if key in NUMERIC else []
    inner = text
    if key == "reduction_pct" and isinstance(value, float):
        classes.append("cut" + (" severe" if value >= CUT_THRESHOLD else ""))
        inner = (
            f'<span class="v">{text}</span><span class="track">'
            f'<span class="bar" style="width:{min(value, 100):.1f}%"></span></span>'
        )
    if value is True or (key == "uncontested_districts" and type(value) is int and value > 0):
        classes.append("flag")
    if key == "discrepancy_amount":
        classes.append("amount")
    if key == "decided_on":
        classes.append("date")
    css = f' class="{" ".join(classes)}"' if classes else ""
    return f'<td data-key="{key}" data-value="{_json(value)}"{css}>{inner}</td>'


def _table(kind: str, rows: list[dict], columns, total: dict, election: str) -> str:
    if not rows:
        return f'<p class="note">{_("(none)")}</p>'
    head = "".join(
        f"<th{' class=num' if key in NUMERIC else ''}>{escape(_(heading))}</th>" for key, heading in columns
    )
    body = []
    for row in rows:
        keys = f' data-region="{escape(row["region"])}"'
        if kind == "district":
            keys += f' data-district="{escape(row["district"])}"'
        cells = "".join(_cell(key, row) for key, _ in columns)
        body.append(f'<tr data-election="{escape(election)}"{keys}>{cells}</tr>')
    total_cells = f"<td>{_('total')}</td>" + "".join(_cell(key, total) for key, _ in columns[1:])
    body.append(f'<tr class="total" data-total="{kind}">{total_cells}</tr>')
    return (
        f'<table class="data" data-table="{kind}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _case_table(report: ElectionReport, redact: bool) -> str:
    if not report.cases:
        return f'<p class="note">{_("(none)")}</p>'
    columns = case_columns(redact)
    head = "".join(
        f"<th{' class=num' if key in NUMERIC else ''}>{escape(_(heading))}</th>" for key, heading in columns
    )
    rows = "".join(
        f'<tr data-case-id="{case["id"]}">' + "".join(_cell(key, case) for key, _ in columns) + "</tr>"
        for case in cases_smallest_first(report.cases)
    )
    return (
        f'<table class="data" data-table="cases"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def _footer() -> str:
    terms = [
        (
            _("Removed"),
            _(
                "registration refused (never registered) or cancelled (struck off after registration) by the district election commission."
            ),
        ),
        (_("Reinstated"), _("a court restored the candidate: the outcome of the latest appeal.")),
        (_("Cut"), _("candidates removed and not reinstated, as a share of those who stood.")),
        (_("Uncontested"), _("no more candidates left than seats.")),
        (
            _("Discrepancy"),
            _(
                "the difference the tax authorities found between the candidate's declaration of income and property and their own records."
            ),
        ),
    ]
    items = "".join(f"<dt>{escape(t)}</dt><dd>{escape(d)}</dd>" for t, d in terms)
    return (
        "<footer><dl>"
        + items
        + _(
            "</dl><p>Where a district's number of candidates is not known, its ratios are left blank and it is left out of the shares, never guessed.</p></footer>"
        )
    )
