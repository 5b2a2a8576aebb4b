"""Write a realistic cases CSV for the benchmarks: `python benchmarks/gen.py N OUT [--seed S] [--cases]`.

N rows (not counting the header; with --cases, the rows of N cases) in the contract's cases columns, comma-delimited UTF-8,
written as they are made, so a million rows need no more memory than ten. Every value is one
the contract accepts, spelled the many ways staff write it:

- names in Cyrillic with the Kazakh letters (Қасымова, Әбенов, Нұрланұлы) and in Latin;
- every amount spelling: 500, 0.78, "0,78", "1 234,56" (space, no-break and narrow no-break
  space), "1,234.56", "1.234,56", "1,500,000"; never a lone comma before three digits,
  which a comma-delimited file makes ambiguous; KZT by default, sometimes USD, RUB, EUR;
- every region alias of the shipped table, in any case, hyphens and doubled spaces;
- decisions as refused / cancelled / withdrawn / deregistered in any case;
- dates as YYYY-MM-DD, DD.MM.YYYY and D.M.YYYY;
- appeals: a case's first appeal on its row, its later instances on rows of their own that
  repeat the case's fields;
- quoted notes and reasons holding commas, quotes and line breaks;
- district_seats and district_candidates, the same on every row of a district.

Rows come district by district (as commissions report them), shuffled within a window of a
few thousand rows; with --scatter, in no order at all (as a merged or re-sorted spreadsheet
has them), the rows of one district and the appeals of one case far apart. The same N and
seed always give the same file.
`--check` parses every value with dereg's own parsers and fails on the first it refuses.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from pathlib import Path

COLUMNS = (
    "election",
    "region",
    "district",
    "candidate",
    "nominated_by",
    "decision",
    "decided_on",
    "reason",
    "discrepancy_amount",
    "currency",
    "notes",
    "appeal_court",
    "appeal_instance",
    "appeal_filed_on",
    "appeal_decided_on",
    "appeal_outcome",
    "district_seats",
    "district_candidates",
)

REGIONS_CSV = Path(__file__).resolve().parent.parent / "dereg" / "data" / "regions.csv"

# (name, year, first month of decisions): names spelled as staff type them.
ELECTIONS = [
    ("2012 maslikhat", 2012, 1),
    ("2016 maslikhat", 2016, 2),
    ("2016 mazhilis", 2016, 2),
    ("2021 maslikhat", 2021, 1),
    ("2021 mazhilis", 2021, 1),
    ("2023 maslikhat", 2023, 2),
    ("2023 mazhilis", 2023, 2),
    ("2025 akim", 2025, 6),
]
DISTRICT_NAMES = [
    "Округ №{n}",
    "okrug {n}",
    "сайлау округі №{n}",
    "избирательный округ № {n}",
    "oblast maslikhat district {n}",
    "city maslikhat, district {n}",
    "Қалалық округ {n}",
]

SURNAMES_CYRILLIC = [
    "Қасымова",
    "Қасымов",
    "Әбенов",
    "Әбенова",
    "Нұрланова",
    "Өтеулиев",
    "Үсенов",
    "Ғабитов",
    "Бекмұхамедов",
    "Жұмабаев",
    "Жұмабаева",
    "Ысқақов",
    "Ұлықбеков",
    "Сәрсенбаев",
    "Тулесова",
    "Тоқаев",
    "Мұхтарова",
    "Серікбаев",
    "Құдайбергенов",
    "Әлімжанова",
    "Иванов",
    "Петрова",
    "Ким",
    "Шәріпова",
    "Оспанов",
    "Төлеуова",
    "Байғабылов",
    "Есенғалиева",
    "Нұрпейісов",
    "Садуақасова",
    "Рахимжанов",
    "Көшербаев",
    "Сұлтанбекова",
    "Ертаев",
    "Смагулова",
]
GIVEN_CYRILLIC = [
    "Әлия",
    "Асья",
    "Айгүл",
    "Нұрсұлтан",
    "Бауыржан",
    "Ерлан",
    "Гүлнар",
    "Дәурен",
    "Жанар",
    "Марат",
    "Сәуле",
    "Қанат",
    "Ұлан",
    "Өмірзақ",
    "Айжан",
    "Ғалым",
    "Мәдина",
    "Тимур",
    "Ольга",
    "Сергей",
    "Динара",
    "Нұржан",
    "Ләззат",
    "Арман",
    "Зәуре",
]
PATRONYMICS_CYRILLIC = ["Серікқызы", "Нұрланұлы", "Маратовна", "Ерланович", "Қайратұлы", "", "", ""]
SURNAMES_LATIN = [
    "Nistoly",
    "Kassymova",
    "Abenov",
    "Zhumabayev",
    "Nurlanova",
    "Utegaliyev",
    "Sarsenbayeva",
    "Tulesova",
    "Iskakov",
    "Mukhtarova",
    "Serikbayev",
    "Kudaibergenov",
    "Ospanov",
    "Kim",
    "Akhmetova",
    "Baigabylov",
    "Yessengaliyeva",
    "Rakhimzhanov",
    "Smagulova",
    "Ertayev",
]
GIVEN_LATIN = [
    "Marina",
    "Aliya",
    "Aigul",
    "Nursultan",
    "Baurzhan",
    "Yerlan",
    "Gulnar",
    "Dauren",
    "Zhanar",
    "Marat",
    "Saule",
    "Kanat",
    "Aizhan",
    "Galym",
    "Madina",
    "Timur",
    "Olga",
    "Sergey",
    "Dinara",
    "Arman",
]
NOMINATED_BY = [
    "self",
    "self",
    "самовыдвижение",
    "өзін-өзі ұсыну",
    "Nur Otan",
    "«Нұр Отан»",
    "Ak Zhol",
    "ОСДП",
    "KNPK",
    "Auyl",
    "trade union of teachers",
    "",
]
REASONS = [
    "child-benefit accounts not declared",
    "недостоверные сведения о доходах",
    "кірістер туралы мәліметтер дұрыс емес",
    "a bank deposit of 0,78 tenge left out of the declaration",
    "rounding, not disclosure",
    "спутник: не указан счёт, открытый в 2009 году",
    "property of a spouse, not declared",
    'signature sheets: 3 signatures "not confirmed"',
    "",
]
NOTE_PARTS = [
    "the commission met without the candidate",
    "комиссия отказала, не выслушав кандидата",
    "банк выдал справку с опозданием, 3 дня",
    "observer present; minutes, page 4",
    'сот шешімі: "шағым қанағаттандырылмасын"',
    "USD 18.73 in a card account, dismissed",
    "Қасымова says the account was closed in 2014",
    "see the Echo report, p. 17",
]
COURTS = [
    "Petropavlovsk city court",
    "Петропавловский городской суд",
    "СКО областной суд",
    "Алматы қалалық соты",
    "Specialised inter-district administrative court of Astana",
    "Қарағанды облыстық соты",
    "Supreme Court",
]
DECISIONS = {
    "refused": ["refused", "refused", "Refused", "REFUSED"],
    "cancelled": ["cancelled", "Cancelled", "withdrawn", "deregistered", "canceled"],
}
OUTCOMES = ["pending", "upheld", "upheld", "upheld", "reinstated", "not_heard", "Not heard"]
SPACES = [" ", "\u00a0", "\u202f"]  # space, no-break space, narrow no-break space


def region_spellings() -> list[list[str]]:
    """Every spelling (of any of its names) of every region that existed from 2004 on, one list
    per region: the elections generated span 2012 to 2025, and none of them predates a region."""
    spellings: dict[str, list[str]] = {}
    with open(REGIONS_CSV, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    since_2004 = {row["region_id"] for row in rows if not row["valid_from"]}
    for row in rows:
        if row["region_id"] in since_2004:
            spellings.setdefault(row["region_id"], []).extend([row["name"], *row["aliases"].split("|")])
    return list(spellings.values())


def respell_region(rng: random.Random, name: str) -> str:
    """The same region as someone else types it: case, hyphens for spaces, doubled spaces."""
    roll = rng.random()
    if roll < 0.6:
        return name
    if roll < 0.75:
        return name.upper()
    if roll < 0.85:
        return name.lower()
    if roll < 0.93:
        return name.replace(" ", "-")
    return name.replace(" ", "  ") + " "


def amount_text(rng: random.Random, minor: int) -> str:
    """One of the spellings the contract accepts for minor units of a two-decimal currency."""
    units, cents = divmod(minor, 100)
    grouped = f"{units:,}"  # 1,234,567
    space = rng.choice(SPACES)
    spellings = [f"{units}.{cents:02d}", f"{units},{cents:02d}"]
    if cents == 0:
        spellings += [str(units), str(units)]
        if units >= 1000:
            spellings.append(grouped.replace(",", space))  # 1 500
            if units >= 1_000_000:
                spellings.append(grouped)  # 1,500,000: several commas can only group
    elif cents % 10 == 0:
        spellings.append(f"{units},{cents // 10}")  # 12,5
    if units >= 1000:
        spellings += [
            grouped + f".{cents:02d}",  # 1,234.56
            grouped.replace(",", ".") + f",{cents:02d}",  # 1.234,56
            grouped.replace(",", space) + f",{cents:02d}",  # 1 234,56
            grouped.replace(",", space) + f".{cents:02d}",  # 1 234.56
        ]
    return rng.choice(spellings)


def random_minor(rng: random.Random) -> int:
    """Discrepancies as the 2016 report shows them: mostly tiny, some large."""
    roll = rng.random()
    if roll < 0.25:
        return rng.randint(1, 99)  # 0.78 tenge
    if roll < 0.55:
        return rng.randint(1, 999) * 100  # 83 or 500 tenge
    if roll < 0.85:
        return rng.randint(100, 99_999_99)
    return rng.randint(1_000_000, 500_000_000) * 100 + rng.choice([0, rng.randint(0, 99)])


def date_text(rng: random.Random, year: int, month: int, day: int) -> str:
    roll = rng.random()
    if roll < 0.5:
        return f"{year}-{month:02d}-{day:02d}"
    if roll < 0.85:
        return f"{day:02d}.{month:02d}.{year}"
    return f"{day}.{month}.{year}"


def candidate_name(rng: random.Random) -> str:
    if rng.random() < 0.65:
        parts = [rng.choice(SURNAMES_CYRILLIC), rng.choice(GIVEN_CYRILLIC), rng.choice(PATRONYMICS_CYRILLIC)]
    else:
        parts = [rng.choice(SURNAMES_LATIN), rng.choice(GIVEN_LATIN)]
    return " ".join(part for part in parts if part)


def notes_text(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return ""
    parts = rng.sample(NOTE_PARTS, rng.randint(1, 3))
    joiner = rng.choice([", ", "; ", "\n", "\r\n- "])
    return joiner.join(parts)


def district_cases(
    rng: random.Random, number: int, spellings: list[list[str]], size: int
) -> list[list[dict]]:
    """The `size` cases of one district, each as its rows: one, or one per appeal instance."""
    name, year, month = rng.choice(ELECTIONS)
    election = name if rng.random() < 0.9 else name.title()
    region = rng.choice(spellings)
    district = rng.choice(DISTRICT_NAMES).format(n=number)
    seats = rng.choice([1, 1, 1, 1, 2, 3, 5])
    stood = seats + size + rng.randint(0, 6) if rng.random() < 0.9 else None
    cases, seen = [], set()
    for _ in range(size):
        candidate = candidate_name(rng)
        while candidate.casefold() in seen:  # one case per candidate and district
            candidate = f"{candidate} {rng.choice(['А.', 'Б.', 'K.', 'M.', 'Ж.'])}"
        seen.add(candidate.casefold())
        decision = rng.choice(["refused"] * 3 + ["cancelled"])
        day = rng.randint(1, 28)
        minor = random_minor(rng) if rng.random() < 0.85 else None
        currency = rng.choice(["", "", "", "", "KZT", "kzt", "USD", "RUB", "EUR"])
        case = {
            "election": election,
            "region": respell_region(rng, rng.choice(region)),
            "district": district,
            "candidate": candidate,
            "nominated_by": rng.choice(NOMINATED_BY),
            "decision": rng.choice(DECISIONS[decision]),
            "decided_on": date_text(rng, year, month, day),
            "reason": rng.choice(REASONS),
            "discrepancy_amount": "" if minor is None else amount_text(rng, minor),
            "currency": currency if minor is not None else rng.choice(["", "", "KZT"]),
            "notes": notes_text(rng),
            "district_seats": str(seats) if rng.random() < 0.97 else f" {seats}",
            "district_candidates": "" if stood is None else str(stood),
        }
        instances = ["first", "appeal", "cassation"][: rng.choice([0, 0, 0, 1, 1, 2, 3])]
        rows = [] if instances else [case | dict.fromkeys(COLUMNS[11:16], "")]
        cases.append(rows)
        filed_day = day
        for level_number, instance in enumerate(instances):
            # Each instance filed the month after the lower one decided: dereg refuses less.
            filed_day = min(filed_day + rng.randint(1, 10), 28)
            filed_month = month + 1 + 2 * level_number
            outcome = rng.choice(OUTCOMES if instance == instances[-1] else ["upheld"])
            decided = (
                "" if outcome == "pending" else date_text(rng, year, filed_month + 1, rng.randint(1, 28))
            )
            rows.append(
                case
                | {
                    "appeal_court": rng.choice(COURTS),
                    "appeal_instance": rng.choice(["", "first", "First"])
                    if instance == "first"
                    else instance,
                    "appeal_filed_on": date_text(rng, year, filed_month, filed_day)
                    if rng.random() < 0.9
                    else "",
                    "appeal_decided_on": decided,
                    # An outcome left empty is pending, which only an undecided appeal may be.
                    "appeal_outcome": outcome if decided or rng.random() < 0.95 else "",
                }
            )
    return cases


def generate(count: int, seed: int = 2016, window: int = 4096, *, unit: str = "rows") -> Iterator[dict]:
    """count rows (or the rows of count cases), district by district, shuffled within `window`."""
    rng = random.Random(seed)
    spellings = region_spellings()
    pending: list[dict] = []
    produced, number = 0, 0
    while produced < count:
        number += 1
        size = min(max(1, int(rng.expovariate(1 / 12))), 200)
        cases = district_cases(rng, number, spellings, size)
        if unit == "cases":
            cases = cases[: count - produced]
            rows = [row for case in cases for row in case]
            produced += len(cases)
        else:
            rows = [row for case in cases for row in case][: count - produced]
            produced += len(rows)
        pending.extend(rows)
        if len(pending) >= window:
            rng.shuffle(pending)
            yield from pending[: window // 2]
            del pending[: window // 2]
    rng.shuffle(pending)
    yield from pending


def scattered(rows: Iterator[dict], seed: int, bucket: int = 20_000) -> Iterator[dict]:
    """The rows in no order at all (as a merged or re-sorted spreadsheet has them), in memory
    that does not grow with the file: each row goes to a random one of many temporary files,
    and each file, shuffled, is written out in turn."""
    import pickle
    import tempfile

    rng = random.Random(seed + 1)
    with tempfile.TemporaryDirectory() as tmp:
        files: list = []
        for row in rows:
            if not files or rng.random() < 1 / bucket and len(files) < 4096:
                files.append(open(Path(tmp) / f"{len(files)}.pickle", "w+b"))  # noqa: SIM115
            pickle.dump(row, rng.choice(files))
        for file in files:
            file.seek(0)
            held = []
            while True:
                try:
                    held.append(pickle.load(file))
                except EOFError:
                    break
            file.close()
            rng.shuffle(held)
            yield from held


def write(count: int, out, seed: int = 2016, unit: str = "rows", *, scatter: bool = False) -> None:
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")  # as Excel writes it
    writer.writeheader()
    rows = generate(count, seed, unit=unit)
    for row in scattered(rows, seed) if scatter else rows:
        writer.writerow(row)


def check(count: int, seed: int = 2016, unit: str = "rows") -> int:
    """Parse every generated value with dereg's parsers; return the rows checked."""
    import tempfile

    from dereg import db, regions
    from dereg.dates import parse_date
    from dereg.money import parse_amount, parse_currency
    from dereg.text import clean_text
    from dereg.values import INSTANCES, parse_choice, parse_count, parse_decision
    from dereg.values import OUTCOMES as OUTCOME_VALUES

    with tempfile.TemporaryDirectory() as tmp:
        conn = db.connect(Path(tmp) / "check.db")
        rows = 0
        for rows, row in enumerate(generate(count, seed, unit=unit), 1):
            regions.resolve(conn, row["region"])
            parse_decision(row["decision"])
            parse_date(row["decided_on"])
            if row["discrepancy_amount"]:
                parse_amount(row["discrepancy_amount"], parse_currency(row["currency"]), delimiter=",")
            for field in ("election", "district", "candidate"):
                clean_text(row[field], field)
            for field in ("appeal_filed_on", "appeal_decided_on"):
                if row[field]:
                    parse_date(row[field])
            if row["appeal_instance"]:
                parse_choice(row["appeal_instance"], "instance", INSTANCES)
            if row["appeal_outcome"]:
                parse_choice(row["appeal_outcome"], "outcome", OUTCOME_VALUES)
            parse_count(row["district_seats"], "seats", 1)
        conn.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="rows to write (the header aside)")
    parser.add_argument("out", help="the CSV file to write, or - for stdout")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--cases", action="store_true", help="N counts cases, not rows")
    parser.add_argument("--check", action="store_true", help="check every value with dereg's parsers")
    parser.add_argument(
        "--scatter", action="store_true", help="rows in no order at all, not district by district"
    )
    args = parser.parse_args()
    unit = "cases" if args.cases else "rows"
    if args.check:
        print(f"{check(args.count, args.seed, unit)} rows: every value parses", file=sys.stderr)
        return
    if args.out == "-":
        sys.stdout.reconfigure(newline="")
        write(args.count, sys.stdout, args.seed, unit, scatter=args.scatter)
        return
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        write(args.count, out, args.seed, unit, scatter=args.scatter)


if __name__ == "__main__":
    main()
