"""The report's figures: one election's summaries, headline, lead, and cell texts.

Every figure comes from dereg.summary (the views in schema.sql) or from case_overview, so a
report and `dereg summary` agree by construction. Nothing here prints or writes a file.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from dereg import summary
from dereg.cases import list_cases
from dereg.districts import scope
from dereg.money import format_amount, parse_amount

CUT_THRESHOLD = 25.0  # "in some districts such failures have reduced competition by 25-30%"
OUTCOME_LABELS = {
    "not_filed": "not appealed",
    "pending": "appeal pending",
    "upheld": "court upheld removal",
    "not_heard": "appeal not heard",
    "reinstated": "reinstated by a court",
}
# In tables, where room is short; the chart legend and the footer say them in full.
SHORT_OUTCOMES = {
    "not_filed": "none",
    "pending": "pending",
    "upheld": "upheld",
    "not_heard": "not heard",
    "reinstated": "reinstated",
}


@dataclass
class ElectionReport:
    """One election's figures: the rows of the three summaries and its cases."""

    election: str
    totals: dict  # the election_competition row
    regions: list[dict]
    region_total: dict
    districts: list[dict]
    district_total: dict
    cases: list[dict]
    appeals_won: int  # appeals (any instance) whose court restored the candidate
    outcomes: Counter = field(default_factory=Counter)

    @property
    def districts_cut(self) -> list[dict]:
        """Districts that lost CUT_THRESHOLD percent or more of their candidates."""
        return [d for d in self.districts if (d["reduction_pct"] or 0) >= CUT_THRESHOLD]

    @property
    def known_districts(self) -> int:
        return sum(1 for d in self.districts if d["candidates"] is not None)

    @property
    def appealed_cases(self) -> int:
        return sum(n for outcome, n in self.outcomes.items() if outcome != "not_filed")

    @property
    def made_uncontested(self) -> int:
        """Uncontested districts that had a contest before the removals."""
        return sum(
            1
            for d in self.districts
            if d["uncontested"] and d["seats"] is not None and d["candidates"] > d["seats"]
        )

    @property
    def kzt_amounts(self) -> list[int]:
        """The KZT discrepancies in tiyn, exact."""
        return [
            parse_amount(case["discrepancy_amount"], "KZT")
            for case in self.cases
            if case["currency"] == "KZT" and case["discrepancy_amount"] is not None
        ]


@dataclass(frozen=True)
class Figure:
    """A headline figure: key (a summary column where there is one), value, label, note."""

    key: str
    value: object
    shown: str
    label: str
    note: str


def gather(conn: sqlite3.Connection, election: str | None = None) -> list[ElectionReport]:
    """The figures of each election (or of the one named), read from the summary views."""
    conn.execute("BEGIN")  # one snapshot: every figure from the same state of the database
    try:
        return _gather(conn, election)
    finally:
        conn.execute("ROLLBACK")  # nothing was written


def _gather(conn: sqlite3.Connection, election: str | None) -> list[ElectionReport]:
    reports = []
    for totals in summary.summary(conn, "election", election):
        name = totals["election"]
        regions, region_total = summary.with_total(conn, "region", name)
        districts, district_total = summary.with_total(conn, "district", name)
        cases = list(list_cases(conn, election=name))
        election_id = scope(conn, name, None)[0]
        won = conn.execute(
            "SELECT count(*) FROM appeals a JOIN cases c ON c.id = a.case_id "
            "JOIN districts d ON d.id = c.district_id "
            "WHERE d.election_id = ? AND a.outcome = 'reinstated'",
            (election_id,),
        ).fetchone()[0]
        reports.append(
            ElectionReport(
                election=name,
                totals=totals,
                regions=regions,
                region_total=region_total,
                districts=districts,
                district_total=district_total,
                cases=cases,
                appeals_won=won,
                outcomes=Counter(case["appeal_outcome"] for case in cases),
            )
        )
    return reports


def headline(report: ElectionReport) -> list[Figure]:
    t = report.totals
    known = report.known_districts
    where = (
        f"of the {number(t['candidates'])} who stood"
        if known == t["districts"]
        else f"in the {known} of {t['districts']} districts whose candidate count is known"
    )
    amounts = len(report.kzt_amounts)
    cut = len(report.districts_cut) if known else None  # no count known: it cannot be told
    of_districts = (
        f"of {plural(t['districts'], 'district')}"
        if known == t["districts"]
        else f"of the {known} of {t['districts']} districts whose candidate count is known"
    )
    uncontested_note = "no more candidates left than seats" + (
        "" if known == t["districts"] else f", {of_districts}"
    )
    if report.made_uncontested != t["uncontested_districts"]:
        uncontested_note += f"; {report.made_uncontested} of them made so by removals"
    return [
        Figure(
            "deregistered",
            t["deregistered"],
            number(t["deregistered"]),
            "candidates removed",
            "registration refused or cancelled",
        ),
        Figure(
            "reduction_pct",
            t["reduction_pct"],
            percent(t["reduction_pct"]),
            "of candidates lost",
            f"net of reinstatements, {where}",
        ),
        Figure(
            "appeals",
            t["appeals"],
            number(t["appeals"]),
            "appeals filed",
            f"by {plural(report.appealed_cases, 'candidate')}",
        ),
        Figure(
            "appeals_won",
            report.appeals_won,
            number(report.appeals_won),
            "appeals won",
            "a court restored the candidate",
        ),
        Figure(
            "reinstated",
            t["reinstated"],
            number(t["reinstated"]),
            "candidates reinstated",
            "by the last ruling in their case",
        ),
        Figure(
            "median_discrepancy_kzt",
            t["median_discrepancy_kzt"],
            money(t["median_discrepancy_kzt"], "₸"),
            "median discrepancy",
            f"in tenge, over {plural(amounts, 'case')} with an amount",
        ),
        Figure(
            "uncontested_districts",
            t["uncontested_districts"],
            number(t["uncontested_districts"]),
            "districts uncontested",
            uncontested_note,
        ),
        Figure(
            "districts_cut_25",
            cut,
            number(cut),
            "districts lost 25% or more",
            f"of their candidates, {of_districts}",
        ),
    ]


def lead(report: ElectionReport) -> str:
    """The story in two sentences, for a reader who reads nothing else."""
    t = report.totals
    parts = [
        f"{plural(t['deregistered'], 'candidate')} {'was' if t['deregistered'] == 1 else 'were'} "
        "refused registration or struck off the ballot over discrepancies in their income "
        "and property declarations"
    ]
    if t["median_discrepancy_kzt"] is not None:
        parts[0] += f"; the median discrepancy was {money(t['median_discrepancy_kzt'], 'tenge')}"
    smallest = min(report.kzt_amounts, default=None)
    if smallest is not None:
        parts[0] += f", the smallest {money(format_amount(smallest, 'KZT'), 'tenge')}"
    parts[0] += "."
    reinstated = t["reinstated"]
    parts.append(
        f"{plural(t['appeals'], 'appeal')} went to court; "
        + (
            "no candidate was reinstated."
            if not reinstated
            else f"{plural(reinstated, 'candidate')} {'was' if reinstated == 1 else 'were'} reinstated."
        )
    )
    cut, uncontested = len(report.districts_cut), t["uncontested_districts"]
    if cut or uncontested:
        parts.append(
            f"Removals cut the field by a quarter or more in {plural(cut, 'district')}"
            + (
                f"; {plural(uncontested, 'district')} {'was' if uncontested == 1 else 'were'} "
                "left with no more candidates than seats."
                if uncontested
                else "."
            )
        )
    return " ".join(parts)


# --- columns shown in the tables, with their headings --------------------------------------

REGION_COLUMNS = (
    ("region", "Region"),
    ("districts", "Districts"),
    ("seats", "Seats"),
    ("candidates", "Candidates"),
    ("deregistered", "Removed"),
    ("reinstated", "Reinstated"),
    ("remaining", "Remaining"),
    ("reduction_pct", "Cut %"),
    ("uncontested_districts", "Uncontested"),
    ("appeals", "Appeals"),
    ("median_discrepancy_kzt", "Median ₸"),
)
DISTRICT_COLUMNS = (
    ("region", "Region"),
    ("district", "District"),
    ("seats", "Seats"),
    ("candidates", "Candidates"),
    ("deregistered", "Removed"),
    ("reinstated", "Reinstated"),
    ("remaining", "Remaining"),
    ("per_seat_before", "Per seat"),
    ("per_seat_after", "After"),
    ("reduction_pct", "Cut %"),
    ("uncontested", "Uncontested"),
)


def case_columns(redact: bool) -> tuple[tuple[str, str], ...]:
    columns = (
        ("id", "#"),
        ("region", "Region"),
        ("district", "District"),
        ("candidate", "Candidate"),
        ("nominated_by", "Nominated by"),
        ("decision", "Decision"),
        ("decided_on", "Date"),
        ("discrepancy_amount", "Discrepancy"),
        ("reason", "Reason given"),
        ("appeal_outcome", "Appeal"),
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
        return SHORT_OUTCOMES.get(value, value or "")
    if column in ("uncontested",) and isinstance(value, bool):
        return "yes" if value else "no"
    if column in summary.DECIMALS:
        return "" if value is None else str(summary.fixed_decimals(column, value))
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    return "" if value is None else str(value)


# --- numbers as text -------------------------------------------------------------------------


def number(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def money(amount: str | None, unit: str) -> str:
    """'1234.56' -> '1,234.56 ₸': thousands grouped, the exact decimals kept."""
    if amount is None:
        return "–"
    whole, _, fraction = amount.partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return f"{grouped} {unit}".strip()


def plural(count: int | None, noun: str) -> str:
    count = count or 0
    return f"{number(count)} {noun}{'' if count == 1 else 's'}"
