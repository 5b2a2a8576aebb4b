"""The summary equals a computation written here, independently, from the raw data."""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from dereg import cases, db, summary
from dereg.districts import set_district
from dereg.summary import COLUMNS

REGIONS = [
    "Akmola",
    "Aktobe",
    "Almaty oblast",
    "Atyrau",
    "East Kazakhstan",
    "Zhambyl",
    "West Kazakhstan",
    "Karaganda",
    "Kostanai",
    "Kyzylorda",
    "Mangistau",
    "Pavlodar",
    "North Kazakhstan",
    "South Kazakhstan",
    "Almaty",
    "Astana",
]
INSTANCE_RANK = {"first": 1, "appeal": 2, "cassation": 3}


def half_up(value: Fraction, decimals: int) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def generate(conn: sqlite3.Connection, seed: int = 2016) -> tuple[dict, list]:
    """Districts and cases written through the core; returns what was written, as plain data."""
    rng = random.Random(seed)
    districts: dict[tuple, dict] = {}
    written_cases = []
    with db.transaction(conn):
        for election in ("2016 maslikhat", "2012 maslikhat", "2016 mazhilis"):
            for number in range(rng.randint(50, 60)):
                region = rng.choice(REGIONS)
                name = f"okrug {number}"
                seats = rng.choice([None, 1, 1, 1, 2, 3])
                candidates = rng.choice([None, 1, 1, 2, 3, 4, 5, 6, 9]) if seats else rng.choice([None, 3])
                key = (election, region, name)
                if key in districts:
                    continue
                districts[key] = {"seats": seats, "candidates": candidates}
                set_district(
                    conn, "test", "district add", election=election, region=region, district=name, seats=seats
                )
        for index in range(400):
            election, region, name = rng.choice(list(districts))
            amount = rng.choice([None, "0.78", "83", "500", "1 234,56", "0,01", "18.73", "7"])
            currency = rng.choice(["KZT"] * 6 + ["USD"])
            case_id = cases.add_case(
                conn,
                "test",
                {
                    "election": election,
                    "region": region,
                    "district": name,
                    "candidate": f"Кандидат {index}",
                    "decision": rng.choice(["refused", "cancelled"]),
                    "decided_on": f"2016-0{rng.randint(1, 3)}-1{rng.randint(0, 9)}",
                    "amount": amount,
                    "currency": currency,
                },
            )
            appeals = []
            for instance in rng.sample(list(INSTANCE_RANK), rng.choice([0, 0, 1, 1, 2, 3])):
                outcome = rng.choice(["pending", "upheld", "reinstated", "not_heard"])
                cases.add_appeal(
                    conn, "test", case_id, {"court": "c", "instance": instance, "outcome": outcome}
                )
                appeals.append((instance, outcome))
            outcome = max(appeals, key=lambda a: INSTANCE_RANK[a[0]])[1] if appeals else "not_filed"
            minor = None if amount is None else _minor(amount)
            written_cases.append(
                {
                    "key": (election, region, name),
                    "outcome": outcome,
                    "appeals": len(appeals),
                    "kzt": minor if currency == "KZT" else None,
                }
            )
        # Candidates are given once the removals are known: dereg refuses fewer than were removed.
        for (election, region, name), figures in districts.items():
            if figures["candidates"] is not None:
                removed = sum(
                    case["outcome"] != "reinstated"
                    for case in written_cases
                    if case["key"] == (election, region, name)
                )
                figures["candidates"] = max(figures["candidates"], removed, 1)
                set_district(
                    conn,
                    "test",
                    "district add",
                    election=election,
                    region=region,
                    district=name,
                    candidates=figures["candidates"],
                )
    return districts, written_cases


def _minor(amount: str) -> int:
    return int(Decimal(amount.replace(" ", "").replace(",", ".")) * 100)


def expected_districts(districts: dict, written: list) -> list[dict]:
    rows = []
    for (election, region, name), figures in districts.items():
        mine = [case for case in written if case["key"] == (election, region, name)]
        seats, candidates = figures["seats"], figures["candidates"]
        removed = len(mine)
        back = sum(case["outcome"] == "reinstated" for case in mine)
        remaining = None if candidates is None else candidates - (removed - back)
        rows.append(
            {
                "election": election,
                "region": region,
                "district": name,
                "seats": seats,
                "candidates": candidates,
                "deregistered": removed,
                "reinstated": back,
                "remaining": remaining,
                "per_seat_before": None
                if None in (seats, candidates)
                else half_up(Fraction(candidates, seats), 2),
                "per_seat_after": None
                if seats is None or remaining is None or remaining < 0
                else half_up(Fraction(remaining, seats), 2),
                "reduction_pct": half_up(Fraction(100 * (removed - back), candidates), 1)
                if candidates
                else None,
                "uncontested": None if None in (seats, remaining) else remaining <= seats,
            }
        )
    return sorted(rows, key=lambda r: (r["election"], r["region"], r["district"]))


def expected_rollup(districts: dict, written: list, keys: tuple[str, ...]) -> list[dict]:
    by_district = expected_districts(districts, written)
    groups: dict[tuple, list] = {}
    for row in by_district:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    out = []
    for group, rows in sorted(groups.items()):
        known = [r for r in rows if r["candidates"] is not None]
        mine = [
            c for c in written if tuple(dict(zip(("election", "region"), c["key"]))[k] for k in keys) == group
        ]
        amounts = sorted(c["kzt"] for c in mine if c["kzt"] is not None)
        candidates = sum(r["candidates"] for r in known) if known else None
        removed = sum(r["deregistered"] - r["reinstated"] for r in known)
        median = None
        if amounts:
            middle = Fraction(statistics.median(amounts)) / 100  # exact: ints or a half
            median = str(
                (Decimal(middle.numerator) / Decimal(middle.denominator)).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
            )
        seats = [r["seats"] for r in rows if r["seats"] is not None]
        out.append(
            {
                **dict(zip(keys, group)),
                "districts": len(rows),
                "seats": sum(seats) if seats else None,
                "candidates": candidates,
                "deregistered": sum(r["deregistered"] for r in rows),
                "reinstated": sum(r["reinstated"] for r in rows),
                "remaining": sum(r["remaining"] for r in known) if known else None,
                "reduction_pct": half_up(Fraction(100 * removed, candidates), 1) if candidates else None,
                "uncontested_districts": sum(1 for r in known if r["uncontested"]),
                "appeals": sum(c["appeals"] for c in mine),
                "median_discrepancy_kzt": median,
            }
        )
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("summary") / "cases.db"
    conn = db.connect(path)
    districts, written = generate(conn)
    assert len(districts) >= 150 and len(written) >= 100
    return conn, path, districts, written


def test_district_summary_and_view_equal_the_independent_computation(data):
    conn, _, districts, written = data
    expected = expected_districts(districts, written)
    assert summary.summary(conn, "district") == expected
    view = conn.execute(
        f"SELECT {', '.join(COLUMNS['district'])} FROM district_competition "
        "ORDER BY election, region, district"
    ).fetchall()
    as_view = [tuple(int(v) if isinstance(v, bool) else v for v in row.values()) for row in expected]
    assert view == as_view


@pytest.mark.parametrize("by", ["region", "election"])
def test_rollups_equal_the_independent_computation(data, by):
    conn, _, districts, written = data
    keys = ("election", "region") if by == "region" else ("election",)
    assert summary.summary(conn, by) == expected_rollup(districts, written, keys)


def test_the_cli_json_is_the_summary_and_filters_by_any_region_spelling(data, run):
    conn, path, districts, written = data
    result = run("--db", str(path), "summary", "--by", "region", "--region", "СКО", "-f", "json")
    assert result.exit_code == 0, result.stderr
    expected = [
        row
        for row in expected_rollup(districts, written, ("election", "region"))
        if row["region"] == "North Kazakhstan"
    ]
    assert json.loads(result.stdout) == expected
    result = run("--db", str(path), "summary", "--election", "2012 MASLIKHAT", "-f", "csv")
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(COLUMNS["district"])
    assert len(lines) - 1 == sum(1 for key in districts if key[0] == "2012 maslikhat")


def test_the_table_fits_80_columns_shows_blanks_and_ends_with_a_total(data, run):
    _, path, _, _ = data
    for by in ("district", "region", "election"):
        result = run("--db", str(path), "summary", "--by", by, "--election", "2016 maslikhat")
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= 80, by
        assert "None" not in result.stdout
        assert any(line.startswith("total") for line in lines)


def test_markdown_has_every_column(data, run):
    _, path, _, _ = data
    result = run("--db", str(path), "summary", "--by", "region", "--format", "markdown")
    header = result.stdout.splitlines()[0]
    assert [cell.strip() for cell in header.strip("|").split("|")] == list(COLUMNS["region"])


def test_unknown_candidates_give_nulls_never_guesses(run):
    run(
        "case",
        "add",
        "--election",
        "e",
        "--region",
        "NKO",
        "--district",
        "d",
        "--candidate",
        "c",
        "--decision",
        "refused",
        "--decided-on",
        "2016-01-01",
    )
    [row] = json.loads(run("summary", "-f", "json").stdout)
    assert row == {
        "election": "e",
        "region": "North Kazakhstan",
        "district": "d",
        "seats": None,
        "candidates": None,
        "deregistered": 1,
        "reinstated": 0,
        "remaining": None,
        "per_seat_before": None,
        "per_seat_after": None,
        "reduction_pct": None,
        "uncontested": None,
    }
    assert run("summary", "--by", "election", "--region", "NKO").exit_code == 1


def test_the_total_of_unknown_seats_is_blank_not_zero(run, db_path):
    run(
        "case",
        "add",
        "--election",
        "e",
        "--region",
        "NKO",
        "--district",
        "d",
        "--candidate",
        "c",
        "--decision",
        "refused",
        "--decided-on",
        "2016-01-01",
    )
    _, total = summary.with_total(db.connect(db_path), "district")
    assert total["seats"] is None


# --- rounding ties: half up, never half even ------------------------------------------------
# Every figure marked "tie" lies exactly halfway, with an even digit before the 5, so that
# rounding half even (banker's rounding, Python's round()) gives another answer.
TIE_DISTRICTS = {  # (election, region, district): seats, candidates
    ("2016 maslikhat", "Astana", "okrug 1"): (8, 17),  # per seat before 2.125: tie
    ("2016 maslikhat", "Astana", "okrug 2"): (8, 15),  # per seat after 13/8 = 1.625: tie
    ("2016 maslikhat", "Almaty", "okrug 3"): (40, 16),  # cut 1/16 = 6.25%: tie
    ("2016 maslikhat", "Almaty", "okrug 4"): (40, 64),  # Almaty: cut 1/80 = 1.25%: tie
    ("2021 maslikhat", "Nur-Sultan", "okrug 5"): (
        64,
        9,
    ),  # Astana, as it was called in 2021  # per seat after 8/64 = 0.125: tie
    ("2021 maslikhat", "Nur-Sultan", "okrug 6"): (64, 7),  # 2021: 16/128 = 0.125: tie
}
TIE_CASES = [  # district, amount (KZT), reinstated
    ("okrug 1", "0.02", False),
    ("okrug 2", "0.03", False),
    ("okrug 2", None, False),
    ("okrug 3", "0.01", False),
    ("okrug 5", "0.02", False),
    ("okrug 6", "0.03", True),
]
# Astana in 2016 and in 2021 has a median of 0.02 and 0.03 KZT, 0.025: a tie too.


@pytest.fixture
def ties(db_path):
    conn = db.connect(db_path)
    written = []
    with db.transaction(conn):
        for (election, region, name), (seats, candidates) in TIE_DISTRICTS.items():
            set_district(
                conn,
                "test",
                "district add",
                election=election,
                region=region,
                district=name,
                seats=seats,
                candidates=candidates,
            )
        for index, (name, amount, reinstated) in enumerate(TIE_CASES):
            key = next(key for key in TIE_DISTRICTS if key[2] == name)
            case_id = cases.add_case(
                conn,
                "test",
                {
                    "election": key[0],
                    "region": key[1],
                    "district": name,
                    "candidate": f"Кандидат {index}",
                    "decision": "refused",
                    "decided_on": "2016-03-01",
                    "amount": amount,
                },
            )
            if reinstated:
                cases.add_appeal(conn, "test", case_id, {"court": "c", "outcome": "reinstated"})
            written.append(
                {
                    "key": key,
                    "outcome": "reinstated" if reinstated else "not_filed",
                    "appeals": int(reinstated),
                    "kzt": None if amount is None else _minor(amount),
                }
            )
    districts = {key: {"seats": s, "candidates": c} for key, (s, c) in TIE_DISTRICTS.items()}
    return conn, districts, written


def half_even(value: Fraction, decimals: int) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN))


def test_the_tie_data_has_ties_that_half_even_rounds_otherwise():
    """Guards the data above: without its ties, half even would pass the tests unseen."""
    ties = [
        (Fraction(17, 8), 2),
        (Fraction(13, 8), 2),
        (Fraction(100, 16), 1),  # districts
        (Fraction(100, 80), 1),
        (Fraction(8, 64), 2),  # Almaty 2016; okrug 5
        (Fraction(108, 96), 2),
        (Fraction(16, 128), 2),  # the totals of 2016 and 2021
        (Fraction(5, 2), 0),
    ]  # a median of 2 and 3 tiyn
    for value, decimals in ties:
        assert half_up(value, decimals) != half_even(value, decimals), value


def test_rounding_ties_round_half_up_in_every_view(ties):
    conn, districts, written = ties
    assert summary.summary(conn, "district") == expected_districts(districts, written)
    assert summary.summary(conn, "region") == expected_rollup(districts, written, ("election", "region"))
    assert summary.summary(conn, "election") == expected_rollup(districts, written, ("election",))
    assert [row["reduction_pct"] for row in summary.summary(conn, "region")] == [1.3, 9.4, 6.3]
    assert [row["median_discrepancy_kzt"] for row in summary.summary(conn, "region")] == [
        "0.01",
        "0.03",
        "0.03",
    ]


def test_rounding_ties_in_the_cli_csv_and_json(ties, run):
    result = run("summary", "--format", "csv")
    assert (result.exit_code, result.stdout) == (
        0,
        (
            "election,region,district,seats,candidates,deregistered,reinstated,remaining,"
            "per_seat_before,per_seat_after,reduction_pct,uncontested\n"
            "2016 maslikhat,Almaty,okrug 3,40,16,1,0,15,0.40,0.38,6.3,true\n"
            "2016 maslikhat,Almaty,okrug 4,40,64,0,0,64,1.60,1.60,0.0,false\n"
            "2016 maslikhat,Astana,okrug 1,8,17,1,0,16,2.13,2.00,5.9,false\n"
            "2016 maslikhat,Astana,okrug 2,8,15,2,0,13,1.88,1.63,13.3,false\n"
            "2021 maslikhat,Nur-Sultan,okrug 5,64,9,1,0,8,0.14,0.13,11.1,true\n"
            "2021 maslikhat,Nur-Sultan,okrug 6,64,7,1,1,7,0.11,0.11,0.0,true\n"
        ),
    )
    result = run("summary", "--by", "election", "--format", "json")
    assert json.loads(result.stdout) == [
        {
            "election": "2016 maslikhat",
            "districts": 4,
            "seats": 96,
            "candidates": 112,
            "deregistered": 4,
            "reinstated": 0,
            "remaining": 108,
            "reduction_pct": 3.6,
            "uncontested_districts": 1,
            "appeals": 0,
            "median_discrepancy_kzt": "0.02",
        },
        {
            "election": "2021 maslikhat",
            "districts": 2,
            "seats": 128,
            "candidates": 16,
            "deregistered": 2,
            "reinstated": 1,
            "remaining": 15,
            "reduction_pct": 6.3,
            "uncontested_districts": 2,
            "appeals": 1,
            "median_discrepancy_kzt": "0.03",
        },
    ]


def test_rounding_ties_in_the_total_rows(ties, run):
    def total_row(*args: str) -> list[str]:
        result = run("summary", *args, "--format", "markdown")
        assert result.exit_code == 0, result.stderr
        return [cell.strip() for cell in result.stdout.splitlines()[-1].strip("|").split("|")]

    assert total_row("--election", "2016 maslikhat") == [
        "total",
        "",
        "4 districts",
        "96",
        "112",
        "4",
        "0",
        "108",
        "1.17",
        "1.13",
        "3.6",
        "1",
    ]
    assert total_row("--election", "2021 maslikhat") == [
        "total",
        "",
        "2 districts",
        "128",
        "16",
        "2",
        "1",
        "15",
        "0.13",
        "0.12",
        "6.3",
        "2",
    ]
    assert total_row("--by", "region", "--region", "Almaty") == [
        "total",
        "",
        "2",
        "80",
        "80",
        "1",
        "0",
        "79",
        "1.3",
        "1",
        "0",
        "",
    ]
    assert total_row("--by", "election", "--election", "2021 maslikhat") == [
        "total",
        "2",
        "128",
        "16",
        "2",
        "1",
        "15",
        "6.3",
        "2",
        "1",
        "",
    ]


def test_every_appeal_history_gives_its_case_the_outcome_of_its_highest_instance(db_path):
    """deciding_appeals is the one place of the rule: case_outcome and district_removals (the
    summaries' reinstated) read it, and agree with rules.INSTANCE_RANK for every history."""
    import itertools

    from dereg.rules import INSTANCE_RANK

    outcomes = ("pending", "upheld", "reinstated", "not_heard")
    histories = [
        dict(zip(instances, chosen, strict=True))
        for size in range(4)
        for instances in itertools.combinations(INSTANCE_RANK, size)
        for chosen in itertools.product(outcomes, repeat=size)
    ]
    conn = db.connect(db_path)
    with db.transaction(conn):
        for n, history in enumerate(histories):
            case = cases.add_case(
                conn,
                "tester",
                {
                    "election": "2016 maslikhat",
                    "region": "Almaty",
                    "district": f"okrug {n % 5}",
                    "candidate": f"C{n}",
                    "decision": "refused",
                    "decided_on": "2016-03-01",
                },
            )
            # Recorded highest instance first, so that no id or date order hides the rule.
            for instance, outcome in sorted(history.items(), key=lambda item: -INSTANCE_RANK[item[0]]):
                conn.execute(
                    "INSERT INTO appeals (case_id, court, instance, outcome) VALUES (?, 'c', ?, ?)",
                    (case, instance, outcome),
                )
    expected = {
        n + 1: history[max(history, key=INSTANCE_RANK.__getitem__)] if history else "not_filed"
        for n, history in enumerate(histories)
    }
    assert dict(conn.execute("SELECT case_id, outcome FROM case_outcome")) == expected
    reinstated = conn.execute(
        "SELECT d.name, count(*) FROM case_outcome o JOIN cases c ON c.id = o.case_id "
        "JOIN districts d ON d.id = c.district_id WHERE o.outcome = 'reinstated' GROUP BY d.name"
    ).fetchall()
    assert sorted(reinstated) == sorted(
        conn.execute(
            "SELECT d.name, r.reinstated FROM district_removals r JOIN districts d ON d.id = r.district_id"
        ).fetchall()
    )
    # A quarter of the histories with an appeal end in a reinstatement.
    assert sum(count for _name, count in reinstated) == (len(histories) - 1) // 4 == 31
