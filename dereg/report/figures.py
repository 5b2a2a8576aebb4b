"""The report's figures: one election's summaries, headline, lead, and cell texts.

Every figure comes from dereg.summary (the views in schema.sql) or from case_overview, so a
report and `dereg summary` agree by construction. Nothing here prints or writes a file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from dereg import summary
from dereg.i18n import N_, _, ngettext
from dereg.labels import value_label
from dereg.money import format_amount, parse_amount
from dereg.report.numbers import day, money, number, percent

MAX_BARS = 40  # a chart longer than this is a table; the table follows anyway

CUT_THRESHOLD = 25.0  # "in some districts such failures have reduced competition by 25-30%"
OUTCOME_LABELS = {
    "not_filed": N_("not appealed"),
    "pending": N_("appeal pending"),
    "upheld": N_("court upheld removal"),
    "not_heard": N_("appeal not heard"),
    "reinstated": N_("reinstated by a court"),
}
# In tables, where room is short; the chart legend and the footer say them in full.
SHORT_OUTCOMES = {
    "not_filed": N_("none"),
    "pending": N_("pending"),
    "upheld": N_("upheld"),
    "not_heard": N_("not heard"),
    "reinstated": N_("reinstated"),
}


# A report is a page a person reads, at any size: it lists at most this many districts (those
# where removals cut competition most) and cases (the smallest discrepancies, and those that
# went to court), counts the rest and says where they all are (dereg summary, dereg export).
DISTRICT_LIMIT = 500
CASE_LIMIT = 250  # the smallest discrepancies; as many again of the cases with an appeal


@dataclass
class ElectionReport:
    """One election's figures: the summaries, the districts and cases listed, and counts."""

    election: str
    totals: dict  # the election_competition row
    regions: list[dict]
    region_total: dict
    districts: list[dict]  # every district, or the DISTRICT_LIMIT hit hardest
    district_total: dict
    cases: list[dict]  # every case, or those CASE_LIMIT and the appeals' bring
    appeals_won: int  # appeals (any instance) whose court restored the candidate
    outcomes: Counter = field(default_factory=Counter)  # of every case
    counts: dict = field(default_factory=dict)  # summary.district_counts
    kzt_amounts: Sequence[int] = ()  # every KZT discrepancy in tiyn, exact, smallest first
    worst: list[dict] = field(default_factory=list)  # the districts the chart shows
    case_count: int = 0
    appealed_listed: int = 0  # of the cases listed, those listed for their appeal

    @property
    def districts_cut(self) -> int:
        """Districts that lost CUT_THRESHOLD percent or more of their candidates."""
        return self.counts["cut"]

    @property
    def known_districts(self) -> int:
        return self.counts["known"]

    @property
    def appealed_cases(self) -> int:
        return sum(n for outcome, n in self.outcomes.items() if outcome != "not_filed")

    @property
    def made_uncontested(self) -> int:
        """Uncontested districts that had a contest before the removals."""
        return self.counts["made_uncontested"]


@dataclass(frozen=True)
class Figure:
    """A headline figure: key (a summary column where there is one), value, label, note."""

    key: str
    value: object
    shown: str
    label: str
    note: str


def hidden_worst(report: ElectionReport) -> int:
    """Districts that lost candidates beyond those the chart of the worst hit shows."""
    return max(0, report.counts["hit"] - len(report.worst))


def listed_note(report: ElectionReport) -> str:
    """What the district and case tables leave out, and where it all is; '' when they list all."""
    notes = []
    if len(report.districts) < report.counts["all"]:
        notes.append(
            _(
                "The {listed} districts where removals cut competition most are listed of {count}; "
                "'dereg summary --election \"{election}\"' lists them all."
            ).format(
                listed=number(len(report.districts)),
                count=number(report.counts["all"]),
                election=report.election,
            )
        )
    if len(report.cases) < report.case_count:
        notes.append(
            _(
                "The {listed} cases listed of {count} are the {smallest} smallest discrepancies and {appealed} "
                "more that went to court; 'dereg export cases' writes them all."
            ).format(
                listed=number(len(report.cases)),
                count=number(report.case_count),
                smallest=number(len(report.cases) - report.appealed_listed),
                appealed=number(report.appealed_listed),
            )
        )
    return " ".join(notes)


def headline(report: ElectionReport) -> list[Figure]:
    t = report.totals
    known = report.known_districts
    where = (
        _("of the {candidates} who stood").format(candidates=number(t["candidates"]))
        if known == t["districts"]
        else _("in the {known} of {districts} districts whose candidate count is known").format(
            known=known, districts=t["districts"]
        )
    )
    amounts = len(report.kzt_amounts)
    cut = report.districts_cut if known else None  # no count known: it cannot be told
    of_districts = (
        ngettext("of {count} district", "of {count} districts", t["districts"]).format(
            count=number(t["districts"])
        )
        if known == t["districts"]
        else _("of the {known} of {districts} districts whose candidate count is known").format(
            known=known, districts=t["districts"]
        )
    )
    uncontested_note = _("no more candidates left than seats") + (
        "" if known == t["districts"] else f", {of_districts}"
    )
    if report.made_uncontested != t["uncontested_districts"]:
        uncontested_note += _("; {made_uncontested} of them made so by removals").format(
            made_uncontested=report.made_uncontested
        )
    return [
        Figure(
            "deregistered",
            t["deregistered"],
            number(t["deregistered"]),
            _("candidates removed"),
            _("registration refused or cancelled"),
        ),
        Figure(
            "reduction_pct",
            t["reduction_pct"],
            percent(t["reduction_pct"]),
            _("of candidates lost"),
            _("net of reinstatements, {where}").format(where=where),
        ),
        Figure(
            "appeals",
            t["appeals"],
            number(t["appeals"]),
            _("appeals filed"),
            ngettext("by {count} candidate", "by {count} candidates", report.appealed_cases).format(
                count=number(report.appealed_cases)
            ),
        ),
        Figure(
            "appeals_won",
            report.appeals_won,
            number(report.appeals_won),
            _("appeals won"),
            _("a court restored the candidate"),
        ),
        Figure(
            "reinstated",
            t["reinstated"],
            number(t["reinstated"]),
            _("candidates reinstated"),
            _("by the last ruling in their case"),
        ),
        Figure(
            "median_discrepancy_kzt",
            t["median_discrepancy_kzt"],
            money(t["median_discrepancy_kzt"], "₸"),
            _("median discrepancy"),
            ngettext(
                "in tenge, over {count} case with an amount",
                "in tenge, over {count} cases with an amount",
                amounts,
            ).format(count=number(amounts)),
        ),
        Figure(
            "uncontested_districts",
            t["uncontested_districts"],
            number(t["uncontested_districts"]),
            _("districts uncontested"),
            uncontested_note,
        ),
        Figure(
            "districts_cut_25",
            cut,
            number(cut),
            _("districts lost 25% or more"),
            _("of their candidates, {of_districts}").format(of_districts=of_districts),
        ),
    ]


def lead(report: ElectionReport) -> str:
    """The story in two sentences, for a reader who reads nothing else."""
    t = report.totals
    removed = t["deregistered"]
    parts = [
        ngettext(
            "{count} candidate was refused registration or struck off the ballot over discrepancies in "
            "their income and property declarations",
            "{count} candidates were refused registration or struck off the ballot over discrepancies in "
            "their income and property declarations",
            removed,
        ).format(count=number(removed))
    ]
    if t["median_discrepancy_kzt"] is not None:
        median = money(t["median_discrepancy_kzt"], _("tenge"))
        parts[0] += _("; the median discrepancy was {median}").format(median=median)
    smallest = report.kzt_amounts[0] if report.kzt_amounts else None
    if smallest is not None:
        parts[0] += _(", the smallest {smallest}").format(
            smallest=money(format_amount(smallest, "KZT"), _("tenge"))
        )
    parts[0] += "."
    reinstated, appeals = t["reinstated"], t["appeals"]
    parts.append(
        ngettext("{count} appeal went to court; ", "{count} appeals went to court; ", appeals).format(
            count=number(appeals)
        )
        + (
            _("no candidate was reinstated.")
            if not reinstated
            else ngettext(
                "{count} candidate was reinstated.", "{count} candidates were reinstated.", reinstated
            ).format(count=number(reinstated))
        )
    )
    cut, uncontested = report.districts_cut, t["uncontested_districts"]
    if cut or uncontested:
        parts.append(
            ngettext(
                "Removals cut the field by a quarter or more in {count} district",
                "Removals cut the field by a quarter or more in {count} districts",
                cut,
            ).format(count=number(cut))
            + (
                ngettext(
                    "; {count} district was left with no more candidates than seats.",
                    "; {count} districts were left with no more candidates than seats.",
                    uncontested,
                ).format(count=number(uncontested))
                if uncontested
                else "."
            )
        )
    return " ".join(parts)


# --- columns shown in the tables, with their headings --------------------------------------

REGION_COLUMNS = (
    ("region", N_("Region")),
    ("districts", N_("Districts")),
    ("seats", N_("Seats")),
    ("candidates", N_("Candidates")),
    ("deregistered", N_("Removed")),
    ("reinstated", N_("Reinstated")),
    ("remaining", N_("Remaining")),
    ("reduction_pct", N_("Cut %")),
    ("uncontested_districts", N_("Uncontested")),
    ("appeals", N_("Appeals")),
    ("median_discrepancy_kzt", N_("Median ₸")),
)
DISTRICT_COLUMNS = (
    ("region", N_("Region")),
    ("district", N_("District")),
    ("seats", N_("Seats")),
    ("candidates", N_("Candidates")),
    ("deregistered", N_("Removed")),
    ("reinstated", N_("Reinstated")),
    ("remaining", N_("Remaining")),
    ("per_seat_before", N_("Per seat")),
    ("per_seat_after", N_("After")),
    ("reduction_pct", N_("Cut %")),
    ("uncontested", N_("Uncontested")),
)


def case_columns(redact: bool) -> tuple[tuple[str, str], ...]:
    columns = (
        ("id", N_("#")),
        ("region", N_("Region")),
        ("district", N_("District")),
        ("candidate", N_("Candidate")),
        ("nominated_by", N_("Nominated by")),
        ("decision", N_("Decision")),
        ("decided_on", N_("Date")),
        ("discrepancy_amount", N_("Discrepancy")),
        ("reason", N_("Reason given")),
        ("appeal_outcome", N_("Appeal")),
    )
    return tuple(c for c in columns if not (redact and c[0] == "candidate"))


def natural_order(rows: list[dict]) -> list[dict]:
    """Districts by region, then name with its numbers read as numbers: №2 before №10."""

    def key(text: str) -> tuple:
        return tuple(int(part) if part.isdecimal() else part.casefold() for part in re.split(r"(\d+)", text))

    return sorted(rows, key=lambda row: (key(row["region"]), key(row["district"])))


def cases_smallest_first(cases: list[dict]) -> list[dict]:
    """KZT amounts smallest first (the story is how small), then other currencies, then none."""

    def key(case):
        amount = case["discrepancy_amount"]
        if amount is None:
            return (2, 0, case["id"])
        if case["currency"] != "KZT":
            return (1, 0, case["id"])
        return (0, parse_amount(amount, "KZT"), case["id"])

    return sorted(cases, key=key)


def cell_text(column: str, row: dict) -> str:
    """A value as a reader sees it (the exact value goes in data attributes or JSON)."""
    value = row.get(column)
    if column == "discrepancy_amount":
        return "" if value is None else money(value, "₸" if row["currency"] == "KZT" else row["currency"])
    if column == "median_discrepancy_kzt":
        return money(value, "")
    if column == "appeal_outcome":
        return _(SHORT_OUTCOMES[value]) if value in SHORT_OUTCOMES else value or ""
    if column in ("decision", "region"):
        return value_label(column, value) or ""
    if column == "decided_on":
        return day(value)
    if column in ("uncontested",) and isinstance(value, bool):
        return _("yes") if value else _("no")
    if column in summary.DECIMALS:
        return "" if value is None else money(str(summary.fixed_decimals(column, value)), "")
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    return "" if value is None else str(value)
