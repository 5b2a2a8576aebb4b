"""dereg report: its figures are the summary's, it escapes what it shows, it renders in Chromium."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import stat
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dereg import cases, db, parallel
from dereg.cli import app
from dereg.districts import set_district
from dereg.report import sources

ELECTION = "2016 maslikhat"
TOWNS = {
    "Akmola": "Көкшетау",
    "Aktobe": "Ақтөбе",
    "Almaty oblast": "Талдықорған",
    "Atyrau": "Атырау",
    "East Kazakhstan": "Семей",
    "Zhambyl": "Тараз",
    "West Kazakhstan": "Орал",
    "Karaganda": "Қарағанды",
    "Kostanai": "Қостанай",
    "Kyzylorda": "Қызылорда",
    "Mangistau": "Ақтау",
    "Pavlodar": "Павлодар",
    "North Kazakhstan": "Петропавл",
    "South Kazakhstan": "Шымкент",
    "Almaty": "Алматы",
    "Astana": "Астана",
}
SURNAMES = [
    "Қасымова",
    "Нұрланов",
    "Әбдірахманов",
    "Жұмабаева",
    "Серікбаев",
    "Оспанова",
    "Төлеуов",
    "Ғабитов",
    "Құрманғалиева",
    "Байжанов",
    "Исмаилова",
    "Иванов",
    "Петрова",
    "Ким",
    "Шевченко",
    "Үсенов",
    "Омарова",
    "Сәрсенбаев",
]
GIVEN = [
    "Әлия",
    "Асылан",
    "Нұржан",
    "Гүлнар",
    "Айгерім",
    "Ерлан",
    "Марина",
    "Сергей",
    "Ольга",
    "Дәулет",
    "Жанар",
    "Ғалым",
    "Өмірзақ",
    "Ұлжан",
]
REASONS = [
    "остатки на счетах детских пособий не указаны",
    "комиссия банка уплачена после подачи",
    "округление суммы дохода",
    "депозит супруга не указан",
    "доход от продажи авто",
    "расхождение по налогу на имущество",
]
HOSTILE = '<script>alert("x")</script> Қасымова & "Әлия" | *bold*'
HOSTILE_DISTRICT = "<i>Ақсу</i> & №1"


@pytest.fixture(autouse=True, params=["alone", "with helpers"])
def helpers(request, monkeypatch):
    """Every test here runs twice: the report's figures read by this process alone, and with
    helper processes as on a large database (dereg.parallel): the same report either way."""
    if request.param == "with helpers":
        monkeypatch.setattr(sources, "PARALLEL_FROM", 0)
        monkeypatch.setattr(parallel, "helpers_wanted", lambda: 2)
    return request.param


@pytest.fixture(autouse=True)
def report_database(tmp_path, monkeypatch):
    """Each test gets its own database; none can touch ./cases.db."""
    path = tmp_path / "report.db"
    monkeypatch.setenv("DEREG_DB", str(path))
    monkeypatch.setenv("DEREG_ACTOR", "report-test")
    db.connect(path).close()
    return path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def generate(
    path: Path, seed: int = 2016, districts_per_region: tuple[int, int] = (9, 13), election: str = ELECTION
) -> None:
    """A plausible election: 150+ districts in 16 regions, removals, appeals, trivial amounts."""
    rng = random.Random(seed)
    conn = db.connect(path)
    with db.transaction(conn):
        for region, town in TOWNS.items():
            for number in range(1, rng.randint(*districts_per_region) + 1):
                district = f"{town}, округ №{number}"
                seats = rng.choices([1, 2, 3], [85, 10, 5])[0]
                candidates = None if rng.random() < 0.04 else seats * rng.randint(2, 5) + rng.randint(0, 2)
                set_district(
                    conn,
                    "gen",
                    "district add",
                    election=election,
                    region=region,
                    district=district,
                    seats=seats,
                    candidates=candidates,
                )
                removed = rng.choices([0, 1, 2, 3], [56, 31, 10, 3])[0]
                if candidates is not None:
                    removed = min(removed, candidates)
                for _ in range(removed):
                    _add_case(conn, rng, election, region, district)
        set_district(
            conn,
            "gen",
            "district add",
            election=election,
            region="Akmola",
            district=HOSTILE_DISTRICT,
            seats=1,
            candidates=2,
        )
        # The three cases of the 2016 report, with their real amounts.
        for region, district, name, amount, outcome in (
            ("North Kazakhstan", "Петропавл, округ №1", "Nistoly Marina", "83", "upheld"),
            ("East Kazakhstan", "Семей, округ №1", "Yersyn Kidiyarov", "500", "not_heard"),
            ("Almaty", "Алматы, округ №1", "Tulesova Asya", "0.78", "upheld"),
        ):
            case = cases.add_case(
                conn,
                "gen",
                {
                    "election": election,
                    "region": region,
                    "district": district,
                    "candidate": name,
                    "decision": "cancelled",
                    "decided_on": "2016-03-05",
                    "amount": amount,
                    "nominated_by": "self",
                },
            )
            cases.add_appeal(conn, "gen", case, {"court": "city court", "outcome": outcome})
        case = _add_case(conn, rng, election, "Astana", "Астана, округ №2", candidate=HOSTILE, appeal=False)
        # Won at first instance, lost on appeal: an appeal won, the candidate not reinstated.
        cases.add_appeal(conn, "gen", case, {"court": "district court", "outcome": "reinstated"})
        cases.add_appeal(
            conn, "gen", case, {"court": "city court", "instance": "appeal", "outcome": "upheld"}
        )
    conn.close()


def _add_case(conn, rng, election, region, district, candidate=None, appeal=True) -> int:
    taken = {
        row[0] for row in conn.execute("SELECT candidate FROM case_overview WHERE district = ?", (district,))
    }
    while candidate is None or candidate in taken:
        candidate = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
    kind = rng.random()
    if kind < 0.06:
        amount, currency = None, None
    elif kind < 0.09:
        amount, currency = f"{rng.randint(1, 400)}.{rng.randint(0, 99):02d}", "USD"
    else:  # mostly trivial: log-uniform from a tiyn to a few million tenge, weighted low
        tenge = (
            10
            ** rng.choices(
                [rng.uniform(-2, -0.5), rng.uniform(-0.5, 3.3), rng.uniform(3.3, 6.7)], [6, 74, 20]
            )[0]
        )
        amount, currency = f"{max(round(tenge * 100), 1) / 100:.2f}", None
    case = cases.add_case(
        conn,
        "gen",
        {
            "election": election,
            "region": region,
            "district": district,
            "candidate": candidate,
            "decision": rng.choice(["refused", "cancelled"]),
            "decided_on": f"2016-02-{rng.randint(10, 28)}",
            "amount": amount,
            "currency": currency,
            "nominated_by": rng.choice(["self", "Nur Otan", "Ak Zhol", "OSDP", "CPPK"]),
            "reason": rng.choice(REASONS),
        },
    )
    if appeal and rng.random() < 0.2:
        outcome = rng.choices(["upheld", "not_heard", "pending", "reinstated"], [60, 15, 15, 10])[0]
        cases.add_appeal(conn, "gen", case, {"court": "суд", "outcome": outcome})
    return case


# --- reading a report back ---------------------------------------------------------------


class ReportFigures(HTMLParser):
    """Every data-key/data-value in a report page, by election, table and row."""

    def __init__(self, html: str):
        super().__init__()
        self.election = None
        self.table = None
        self.row = None
        self.headline: dict[tuple, object] = {}
        self.rows: dict[tuple, dict] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "data-election" in a:
            self.election = a["data-election"]
        elif tag == "table":
            self.table = a.get("data-table")
        elif tag == "tr" and self.table:
            if "data-total" in a:
                key = (self.election, "total")
            elif "data-case-id" in a:
                key = (int(a["data-case-id"]),)
            elif "data-election" in a:
                key = (a["data-election"], a["data-region"], a.get("data-district"))
            else:
                return
            assert (self.table, key) not in self.rows, f"two rows for {key}"
            self.row = self.rows[(self.table, key)] = {}
        elif "data-key" in a:
            value = json.loads(a["data-value"])
            if tag == "td":
                self.row[a["data-key"]] = value
            else:
                self.headline[(self.election, a["data-key"])] = value

    def table_rows(self, table: str) -> dict[tuple, dict]:
        return {key: row for (kind, key), row in self.rows.items() if kind == table and key[-1] != "total"}


def summary_json(*args: str) -> list[dict]:
    return json.loads(ok("summary", *args, "--format", "json"))


def write_report(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    ok("report", *args, "-o", str(out))
    return out.read_text(encoding="utf-8")


# --- the figures are the summary's ---------------------------------------------------------


def test_html_figures_are_those_of_summary_json(report_database, tmp_path):
    generate(report_database)
    page = ReportFigures(write_report(tmp_path))

    districts = summary_json("--by", "district")
    assert len(districts) >= 150
    shown = page.table_rows("district")
    assert set(shown) == {(d["election"], d["region"], d["district"]) for d in districts}
    for row in districts:
        expected = {k: v for k, v in row.items() if k != "election"}
        assert shown[(row["election"], row["region"], row["district"])] == expected

    regions = summary_json("--by", "region")
    shown = page.table_rows("region")
    assert len(shown) == len(regions) == 16
    for row in regions:
        expected = {k: v for k, v in row.items() if k != "election"}
        assert shown[(row["election"], row["region"], None)] == expected

    (election,) = summary_json("--by", "election")
    name = election["election"]
    for key in (
        "deregistered",
        "reduction_pct",
        "appeals",
        "reinstated",
        "median_discrepancy_kzt",
        "uncontested_districts",
    ):
        assert page.headline[(name, key)] == election[key], key
    cut = [d for d in districts if d["reduction_pct"] is not None and d["reduction_pct"] >= 25]
    assert page.headline[(name, "districts_cut_25")] == len(cut) > 0
    appeals = json.loads(ok("appeal", "list", "--format", "json"))
    won = [a for a in appeals if a["outcome"] == "reinstated"]
    assert page.headline[(name, "appeals_won")] == len(won) > election["reinstated"]

    listed = json.loads(ok("case", "list", "--format", "json"))
    shown = page.table_rows("cases")
    assert set(shown) == {(case["id"],) for case in listed}
    for case in listed:
        row = shown[(case["id"],)]
        assert row == {k: case[k] for k in row}, case["id"]
        assert row["candidate"] == case["candidate"]


def test_html_total_rows_are_those_of_the_summary_table(report_database, tmp_path):
    generate(report_database)
    page = ReportFigures(write_report(tmp_path))
    table = ok("summary", "--by", "region")  # the total line of the printed summary
    total_line = next(line for line in table.splitlines() if line.startswith("total"))
    region_total = page.rows[("region", (ELECTION, "total"))]
    numbers = total_line.split()[1:]
    assert numbers[:8] == [
        str(region_total[k])
        for k in (
            "districts",
            "seats",
            "candidates",
            "deregistered",
            "reinstated",
            "remaining",
            "reduction_pct",
            "uncontested_districts",
        )
    ]


def test_markdown_tables_carry_the_summary_figures(report_database):
    generate(report_database, districts_per_region=(2, 3))
    text = ok("report", "--format", "markdown")
    districts = summary_json()
    table = _markdown_table(text, "### By district")
    assert len(table) == len(districts) + 1  # and the total
    by_name = {(cells[0], cells[1]): cells for cells in table[:-1]}
    for row in districts:
        cells = by_name[(row["region"], row["district"])]
        expected = [row["region"], row["district"]] + [
            _plain(k, row[k])
            for k in (
                "seats",
                "candidates",
                "deregistered",
                "reinstated",
                "remaining",
                "per_seat_before",
                "per_seat_after",
                "reduction_pct",
                "uncontested",
            )
        ]
        assert cells == expected
    (election,) = summary_json("--by", "election")
    figures = {cells[0]: cells[1] for cells in _markdown_table(text, "| Figure | Value | Note |")}
    assert figures["candidates removed"] == str(election["deregistered"])
    assert figures["of candidates lost"] == f"{election['reduction_pct']:.1f}%"
    assert figures["median discrepancy"] == f"{float(election['median_discrepancy_kzt']):,.2f} ₸"
    assert figures["appeals filed"] == str(election["appeals"])
    assert figures["districts uncontested"] == str(election["uncontested_districts"])
    regions = _markdown_table(text, "### By region")
    assert [cells[0] for cells in regions[:-1]] == [r["region"] for r in summary_json("--by", "region")]


def _plain(key: str, value) -> str:
    """A summary value as the report writes it: fixed decimals, yes/no, blank for null."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{1 if key == 'reduction_pct' else 2}f}"
    return f"{value:,}"


def _markdown_table(text: str, heading: str) -> list[list[str]]:
    """The body cells of the first table from heading on (header and rule left out), unescaped."""
    rows = []
    for line in text[text.index(heading) :].splitlines():
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = re.split(r"(?<!\\)\|", line)[1:-1]
        rows.append([re.sub(r"\\(.)", r"\1", cell.strip()) for cell in cells])
    return rows[2:]


# --- what the page holds -------------------------------------------------------------------


def test_user_data_is_escaped_everywhere(report_database, tmp_path):
    generate(report_database, districts_per_region=(1, 2))
    html = write_report(tmp_path)
    assert "<script" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Қасымова &amp; &quot;Әлия&quot;" in html
    assert "&lt;i&gt;Ақсу&lt;/i&gt; &amp; №1" in html
    page = ReportFigures(html)
    assert HOSTILE in [row.get("candidate") for row in page.table_rows("cases").values()]
    markdown = ok("report", "--format", "markdown")
    assert re.search(r"(?<!\\)[<>*]", markdown.replace("**total**", "")) is None
    assert "\\<script\\>" in markdown and "\\*bold\\*" in markdown
    row = next(line for line in markdown.splitlines() if "alert" in line)
    assert len(re.split(r"(?<!\\)\|", row)) == len(re.split(r"(?<!\\)\|", markdown.splitlines()[-3]))


def test_the_page_is_self_contained(report_database, tmp_path):
    generate(report_database, districts_per_region=(1, 2))
    html = write_report(tmp_path)
    for forbidden in ("<script", "<link", "@import", "url(", "@font-face", "<img", "<iframe"):
        assert forbidden not in html.lower(), forbidden
    # The only address is the SVG namespace, which is a name, never fetched.
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}
    assert "@page { size: A4" in html and "@media print" in html
    assert html.count('<svg class="chart"') == 4


def test_redact_leaves_every_name_out(report_database, tmp_path):
    generate(report_database, districts_per_region=(1, 2))
    names = [case["candidate"] for case in json.loads(ok("case", "list", "--format", "json"))]
    html, markdown = write_report(tmp_path), ok("report", "--format", "markdown")
    assert "Nistoly Marina" in html and "Nistoly Marina" in markdown
    redacted = write_report(tmp_path, "--redact") + ok("report", "--format", "markdown", "--redact")
    for name in names:
        for spelling in {name, name.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")}:
            assert spelling not in redacted, name
    assert "names are left out" in redacted
    page = ReportFigures(write_report(tmp_path, "--redact"))
    assert all("candidate" not in row for row in page.table_rows("cases").values())


def test_district_chart_shows_the_worst_forty_worst_first(report_database, tmp_path):
    generate(report_database)
    html = write_report(tmp_path)
    chart = re.search(r'<svg class="chart" data-chart="district-reduction".*?</svg>', html, re.S).group()
    shown = [float(pct) for pct in re.findall(r": (\d+\.\d)%</title>", chart)]
    hit = sorted((d["reduction_pct"] for d in summary_json() if d["reduction_pct"]), reverse=True)
    assert len(hit) > 40
    assert shown == hit[:40]
    assert f"{len(hit) - 40} more districts lost candidates" in html


def test_log_chart_names_the_trivial_amounts(report_database, tmp_path):
    generate(report_database, districts_per_region=(1, 2))
    conn = db.connect(report_database)
    amounts = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT amount_minor FROM cases WHERE currency = 'KZT' AND amount_minor > 0 "
            "ORDER BY amount_minor"
        )
    ]
    named = [amounts[0]]  # the smallest, then each next one at least three times the last
    for amount in amounts:
        if len(named) < 3 and amount >= 3 * named[-1]:
            named.append(amount)
    if 78 in amounts and 78 not in named:  # and 0.78 tenge, the report's own example, always
        named = sorted([*named, 78])
    html = write_report(tmp_path)
    chart = re.search(r'data-chart="discrepancies".*?</svg>', html, re.S).group()
    callouts = re.findall(r'class="callout">([^<]+)</text>', chart)
    assert callouts == [f"{a // 100:,}{'' if a % 100 == 0 else f'.{a % 100:02d}'} ₸" for a in named]
    trivial = sum(
        1
        for row in conn.execute(
            "SELECT amount_minor FROM cases WHERE currency = 'KZT' AND amount_minor BETWEEN 1 AND 99999"
        )
    )
    assert f"under 1,000 tenge: {trivial} of " in chart


def test_documented_cases_stand_out(report_database, tmp_path):
    """The shipped data set: the three cases of the 2016 report, entered through the CLI."""
    for region, district, name, amount, appeal in (
        ("North-Kazakhstan oblast", "oblast maslikhat", "Nistoly Marina", "83", "upheld"),
        ("EKO", "Semei city maslikhat", "Yersyn Kidiyarov", "500", "not_heard"),
        ("Almaty", "Almaty city maslikhat", "Tulesova Asya", "0,78", "upheld"),
    ):
        case = ok(
            "case",
            "add",
            "--election",
            ELECTION,
            "--region",
            region,
            "--district",
            district,
            "--candidate",
            name,
            "--decision",
            "cancelled",
            "--decided-on",
            "01.03.2016",
            "--amount",
            amount,
            "--nominated-by",
            "self",
        ).strip()
        ok("appeal", "add", case, "--court", "city court", "--outcome", appeal)
    ok(
        "district",
        "add",
        "--election",
        ELECTION,
        "--region",
        "СКО",
        "--district",
        "oblast maslikhat",
        "--seats",
        "1",
        "--candidates",
        "4",
    )
    html = write_report(tmp_path)
    chart = re.search(r'data-chart="discrepancies".*?</svg>', html, re.S).group()
    assert re.findall(r'class="callout">([^<]+)</text>', chart) == ["0.78 ₸", "83 ₸", "500 ₸"]
    assert "under 1,000 tenge: 3 of 3 cases" in chart
    page = ReportFigures(html)
    assert page.headline[(ELECTION, "median_discrepancy_kzt")] == "83.00"
    assert page.headline[(ELECTION, "appeals")] == 3
    assert page.headline[(ELECTION, "reinstated")] == 0
    markdown = ok("report", "--format", "markdown")
    assert "the smallest 0.78 tenge" in markdown and "| median discrepancy | 83.00 ₸ |" in markdown


def test_one_section_per_election_each_with_its_own_figures(report_database, tmp_path):
    generate(report_database, districts_per_region=(1, 2))
    generate(report_database, seed=2012, districts_per_region=(1, 1), election="2012 maslikhat")
    page = ReportFigures(write_report(tmp_path))
    for election in summary_json("--by", "election"):
        assert page.headline[(election["election"], "deregistered")] == election["deregistered"]
    only = ReportFigures(write_report(tmp_path, "--election", "2012 maslikhat"))
    assert {key[0] for key in only.headline} == {"2012 maslikhat"}


def test_the_figures_read_with_helpers_are_those_read_alone(report_database):
    generate(report_database)
    generate(report_database, seed=2012, districts_per_region=(1, 1), election="2012 maslikhat")
    conn = db.connect(report_database)
    for election in (None, "2012 maslikhat"):
        alone = sources.gather(conn, election, helpers=0)
        assert sources.gather(conn, election, helpers=2) == alone
        assert [report.election for report in alone] == (
            ["2012 maslikhat", ELECTION] if election is None else [election]
        )
    assert not conn.in_transaction


# --- the command ---------------------------------------------------------------------------


def test_output_file_is_private_whatever_the_umask(report_database, tmp_path):
    generate(report_database, districts_per_region=(1, 1))
    out = tmp_path / "report.html"
    out.write_text("old")
    out.chmod(0o644)
    old = os.umask(0)
    try:
        result = run("report", "-o", str(out))
        assert result.exit_code == 0 and result.stdout == ""
        assert result.stderr == f"report written to {out}\n"
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        run("report", "--format", "markdown", "-o", str(tmp_path / "new.md"))
        assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o600
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_errors_are_one_line_and_write_nothing(report_database, tmp_path):
    generate(report_database, districts_per_region=(1, 1))
    out = tmp_path / "report.html"
    result = run("report", "--election", "1999 nothing", "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr.startswith("Error: --election: unknown election '1999 nothing'")
    assert result.stderr.count("\n") == 1
    result = run("report", "-o", str(tmp_path / "no such folder" / "r.html"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'no such folder' / 'r.html'}: No such file or directory\n"
    assert run("report", "--format", "pdf").exit_code == 2


def test_an_empty_database_gives_a_page_that_says_so(tmp_path):
    html = write_report(tmp_path)
    assert "No election is recorded yet" in html and html.rstrip().endswith("</html>")
    assert "No election is recorded yet" in ok("report", "--format", "markdown")


def test_a_district_without_candidates_known_is_left_out_of_the_shares(report_database, tmp_path):
    ok(
        "case",
        "add",
        "--election",
        ELECTION,
        "--region",
        "Astana",
        "--district",
        "okrug 1",
        "--candidate",
        "Ким Ольга",
        "--decision",
        "refused",
        "--decided-on",
        "2016-03-01",
    )
    page = ReportFigures(write_report(tmp_path))
    assert page.headline[(ELECTION, "reduction_pct")] is None
    assert page.headline[(ELECTION, "median_discrepancy_kzt")] is None
    assert page.headline[(ELECTION, "districts_cut_25")] is None  # cannot be told, so not 0
    assert "no number of candidates recorded" in ok("report", "--format", "markdown")
    assert page.table_rows("district")[(ELECTION, "Astana", "okrug 1")]["reduction_pct"] is None


# --- the summary's bar, on a terminal only -------------------------------------------------


def test_summary_table_draws_the_cut_as_a_bar_on_a_wide_terminal_only(report_database):
    generate(report_database, districts_per_region=(1, 2))
    piped = subprocess.run(
        [sys.executable, "-m", "dereg", "summary"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "120"},
        check=True,
    ).stdout
    assert "█" not in piped and "·" not in piped
    wide = _in_terminal([sys.executable, "-m", "dereg", "summary"], columns=120)
    line = next(line for line in wide.splitlines() if line.startswith("Almaty "))
    assert re.search(r" \d+\.\d [█▏▎▍▌▋▊▉]*·* ", line), line
    narrow = _in_terminal([sys.executable, "-m", "dereg", "summary"], columns=80)
    assert "█" not in narrow and max(len(line) for line in narrow.splitlines()) <= 80


def _in_terminal(command: list[str], columns: int) -> str:
    import fcntl
    import pty
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env |= {"PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8"}
    process = subprocess.Popen(command, stdout=follower, stderr=follower, stdin=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


# --- in a real browser -------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, timeout=180)


def png_facts(path: Path) -> tuple[int, int, int]:
    """Width, height and how many different byte values the image data holds (blank: few)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, at = b"", 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_chromium_renders_the_report_with_its_charts(report_database, tmp_path, language):
    generate(report_database)
    page = tmp_path / "report.html"
    ok("--lang", language, "report", "-o", str(page))
    png = tmp_path / "report.png"
    shot = chromium(tmp_path, f"--screenshot={png}", "--window-size=1200,2400", page.as_uri())
    assert png.exists(), shot.stderr.decode(errors="replace")[-2000:]
    width, height, values = png_facts(png)
    assert (width, height) == (1200, 2400)
    assert values > 100, "the screenshot is blank"
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    chromium(tmp_path, f"--screenshot={tmp_path / 'blank.png'}", "--window-size=1200,2400", blank.as_uri())
    assert png_facts(tmp_path / "blank.png")[2] < 10  # the measure tells blank from not

    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout.decode("utf-8")
    charts = re.findall(r'<svg class="chart" data-chart="([a-z-]+)"', dom)
    assert charts == ["discrepancies", "district-reduction", "region-reduction", "outcomes"]
    drawn = {name: svg for name, svg in re.findall(r'data-chart="([a-z-]+)".*?>(.*?)</svg>', dom, re.S)}
    assert drawn["district-reduction"].count("<rect") == 40
    assert drawn["region-reduction"].count("<rect") == 16
    assert drawn["discrepancies"].count("<rect") + drawn["discrepancies"].count("<circle") > 10
    assert 'data-key="reduction_pct"' in dom and "Петропавл" in dom
    assert f'<html lang="{language}">' in dom

    if os.environ.get(
        "DEREG_REPORT_PNG"
    ):  # docs/make_screenshot.py keeps these: report.png, report-ru.png ...
        target = Path(os.environ["DEREG_REPORT_PNG"])
        shutil.copyfile(
            png, target if language == "en" else target.with_name(f"{target.stem}-{language}.png")
        )


def test_a_zero_amount_beside_others_is_its_own_row_in_markdown():
    for amount in ("0", "83", "500"):
        ok("case", "add", "--election", ELECTION, "--region", "Astana", "--district", "okrug 1",
           "--candidate", f"C {amount}", "--decision", "refused", "--decided-on", "2016-03-01", "--amount", amount)  # fmt: skip
    text = ok("report", "--format", "markdown")
    assert text.index("0 (no difference in tenge)") < text.index("10 to under 100")
