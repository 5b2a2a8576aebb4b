"""The shipped map data: dereg/data/regions.csv (one row per name period of a region) and
dereg/data/elections.csv (the national elections). Read with the csv module alone, so the
data is checked whatever the code that loads it does."""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "dereg" / "data"
SHARED = ROOT.parent / "shared" / "regions.csv"

REGION_HEADER = ["region_id", "kind", "name", "valid_from", "valid_to", "iso_code", "aliases", "source"]
ELECTION_HEADER = ["key", "name", "kind", "voting_day", "aliases", "source"]
KINDS = {"oblast", "city"}
ELECTION_KINDS = {"mazhilis", "maslikhat", "president", "akim_rural", "akim_district", "by_election"}
FIRST, LAST = dt.date(2004, 1, 1), dt.date(2026, 12, 1)
RENUMBERED = dt.date(2022, 11, 1)  # ISO 3166-2:KZ numeric codes, November 2022


def fold(text: str) -> str:
    """The matching key of the contract: case folded, hyphens and runs of spaces as one space."""
    return re.sub(r"[\s-]+", " ", text.casefold()).strip()


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = []
        for line, cells in enumerate(reader, start=2):
            assert len(cells) == len(header), f"{path.name} line {line}: {len(cells)} fields"
            rows.append(dict(zip(header, cells, strict=True), _line=str(line)))
    return header, rows


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def spellings(row: dict[str, str]) -> list[str]:
    return [row["name"], *row["aliases"].split("|")] if row["aliases"] else [row["name"]]


@pytest.fixture(scope="module")
def regions() -> list[dict[str, str]]:
    return read(DATA / "regions.csv")[1]


@pytest.fixture(scope="module")
def elections() -> list[dict[str, str]]:
    return read(DATA / "elections.csv")[1]


def alive(rows: list[dict[str, str]], on: dt.date) -> dict[str, list[dict[str, str]]]:
    """The rows in force on a day, by region_id."""
    found = defaultdict(list)
    for row in rows:
        start, end = day(row["valid_from"]), day(row["valid_to"])
        if (start is None or start <= on) and (end is None or on <= end):
            found[row["region_id"]].append(row)
    return found


def resolver(rows: list[dict[str, str]]) -> dict[str, set[str]]:
    owners = defaultdict(set)
    for row in rows:
        for spelling in spellings(row):
            owners[fold(spelling)].add(row["region_id"])
    return owners


def named(rows: list[dict[str, str]], name: str, on: dt.date) -> str:
    [region] = [rid for rid, here in alive(rows, on).items() if here[0]["name"] == name]
    return region


# ---------------------------------------------------------------- regions


def test_region_header():
    assert read(DATA / "regions.csv")[0] == REGION_HEADER


def test_region_cells(regions):
    for row in regions:
        where = f"line {row['_line']}"
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", row["region_id"]), where
        assert row["kind"] in KINDS, where
        assert row["name"].strip() and row["source"].strip(), where
        assert re.fullmatch(r"KZ-([A-Z]{3}|\d{2})", row["iso_code"]), where
        start, end = day(row["valid_from"]), day(row["valid_to"])  # ValueError on a bad date
        assert start is None or end is None or start <= end, where
        for spelling in spellings(row):
            assert spelling and spelling == spelling.strip(), f"{where}: empty or padded alias {spelling!r}"
        for value in row.values():
            assert value == unicodedata.normalize("NFC", value), f"{where}: not NFC: {value!r}"


def scripts(word: str) -> set[str]:
    return {unicodedata.name(c).split()[0] for c in word if c.isalpha()} & {"LATIN", "CYRILLIC"}


def test_no_word_mixes_latin_and_cyrillic(regions):
    """Catches a Latin С typed in СКО or a Cyrillic о in NKO."""
    for row in regions:
        for spelling in spellings(row):
            for word in re.split(r"[\s-]+", spelling):
                assert len(scripts(word)) <= 1, f"line {row['_line']}: mixed scripts in {spelling!r}"


def test_no_spelling_twice_in_a_row(regions):
    """Exact repeats only: variants that fold alike ("East-Kazakhstan oblast") come from the 2016 file."""
    for row in regions:
        assert len(spellings(row)) == len(set(spellings(row))), f"line {row['_line']}: a spelling twice"


def test_periods_chain_without_gap_or_overlap(regions):
    by_region = defaultdict(list)
    for row in regions:
        by_region[row["region_id"]].append(row)
    for region, rows in by_region.items():
        assert len({r["kind"] for r in rows}) == 1, f"{region} changes kind"
        rows.sort(key=lambda r: day(r["valid_from"]) or dt.date.min)
        assert [r["valid_from"] == "" for r in rows].count(True) <= 1, f"{region}: two open starts"
        assert rows[-1]["valid_to"] == "", f"{region} has ended: every region of 2004 still exists"
        for before, after in zip(rows, rows[1:], strict=False):
            assert before["valid_to"], f"{region}: a period after an open-ended one"
            assert day(before["valid_to"]) + dt.timedelta(days=1) == day(after["valid_from"]), (
                f"{region}: {before['name']} ends {before['valid_to']}, {after['name']} starts {after['valid_from']}"
            )
            assert before["name"] != after["name"] or before["iso_code"] != after["iso_code"], (
                f"{region}: two periods with nothing changed"
            )


def check_days(regions):
    """Every change date and the day before it, and the ends of the range."""
    days = {FIRST, LAST}
    for row in regions:
        for text in (row["valid_from"], row["valid_to"]):
            if text:
                d = day(text)
                days |= {d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)}
    return sorted(d for d in days if FIRST <= d <= LAST)


def test_each_region_has_exactly_one_name_on_every_day(regions):
    for on in check_days(regions):
        for region, rows in alive(regions, on).items():
            assert len(rows) == 1, f"{region} has {len(rows)} names on {on}"


def test_no_region_ends_once_it_began(regions):
    """A region alive on some day of the range is alive on every later day (splits keep the old one)."""
    seen: set[str] = set()
    for on in check_days(regions):
        now = set(alive(regions, on))
        assert seen <= now, f"{sorted(seen - now)} gone on {on}"
        seen = now


@pytest.mark.parametrize(
    "on, count",
    [
        ("2004-01-01", 16),
        ("2016-03-20", 16),
        ("2018-06-18", 16),
        ("2018-06-19", 17),
        ("2021-01-10", 17),
        ("2022-06-07", 17),
        ("2022-06-08", 20),
        ("2023-03-19", 20),
        ("2026-12-01", 20),
    ],
)
def test_number_of_regions(regions, on, count):
    assert len(alive(regions, day(on))) == count


def test_names_shown_on_the_days_of_elections(regions):
    shown = {rid: rows[0]["name"] for rid, rows in alive(regions, dt.date(2016, 3, 20)).items()}
    assert shown["astana"] == "Astana" and shown["south-kazakhstan"] == "South Kazakhstan"
    assert "shymkent" not in shown and "abai" not in shown
    shown = {rid: rows[0]["name"] for rid, rows in alive(regions, dt.date(2021, 1, 10)).items()}
    assert (shown["astana"], shown["south-kazakhstan"], shown["shymkent"]) == (
        "Nur-Sultan",
        "Turkistan",
        "Shymkent",
    )
    assert "jetisu" not in shown
    shown = {rid: rows[0]["name"] for rid, rows in alive(regions, dt.date(2023, 3, 19)).items()}
    assert (shown["astana"], shown["east-kazakhstan"], shown["abai"]) == ("Astana", "East Kazakhstan", "Abai")
    assert (shown["jetisu"], shown["ulytau"], shown["almaty-oblast"], shown["karaganda"]) == (
        "Jetisu",
        "Ulytau",
        "Almaty oblast",
        "Karaganda",
    )


@pytest.mark.parametrize(
    "rid, begins",
    [("shymkent", "2018-06-19"), ("abai", "2022-06-08"), ("jetisu", "2022-06-08"), ("ulytau", "2022-06-08")],
)
def test_new_regions_begin_on_their_day(regions, rid, begins):
    assert min(r["valid_from"] for r in regions if r["region_id"] == rid) == begins


@pytest.mark.parametrize(
    "rid, name, start",
    [
        ("south-kazakhstan", "Turkistan", "2018-06-19"),
        ("astana", "Nur-Sultan", "2019-03-23"),
        ("astana", "Astana", "2022-09-19"),
    ],
)
def test_renames_take_effect_on_their_day(regions, rid, name, start):
    assert any(r["region_id"] == rid and r["name"] == name and r["valid_from"] == start for r in regions)


def test_iso_codes(regions):
    for on in check_days(regions):
        codes = [rows[0]["iso_code"] for rows in alive(regions, on).values()]
        assert len(codes) == len(set(codes)), f"two regions share an ISO code on {on}"
    for row in regions:
        end = day(row["valid_to"])
        numeric = row["iso_code"][3:].isdigit()
        assert numeric == (end is None or end >= RENUMBERED), f"line {row['_line']}: code of the wrong era"
    today = {rid: rows[0]["iso_code"] for rid, rows in alive(regions, LAST).items()}
    expected = {
        "abai": "KZ-10",
        "jetisu": "KZ-33",
        "ulytau": "KZ-62",
        "south-kazakhstan": "KZ-61",
        "astana": "KZ-71",
        "almaty-city": "KZ-75",
        "shymkent": "KZ-79",
    }
    assert {rid: today[rid] for rid in expected} == expected


def test_no_spelling_names_two_regions(regions):
    for spelling, owners in resolver(regions).items():
        assert len(owners) == 1, f"{spelling!r} names {sorted(owners)}"


@pytest.mark.parametrize(
    "spelling, rid",
    [
        ("Nur-Sultan", "astana"),
        ("nur sultan", "astana"),
        ("Нұр-Сұлтан", "astana"),
        ("ЮКО", "south-kazakhstan"),
        ("SKO", "south-kazakhstan"),
        ("СКО", "north-kazakhstan"),
        ("Южно-Казахстанская обл.", "south-kazakhstan"),
        ("Южно-Казахстанская обл", "south-kazakhstan"),
        ("Turkistan", "south-kazakhstan"),
        ("South Kazakhstan Region", "south-kazakhstan"),
        ("Shymkent", "shymkent"),
        ("Almaty", "almaty-city"),
        ("Almaty oblast", "almaty-oblast"),
        ("область Абай", "abai"),
        ("Абайская область", "abai"),
        ("область Жетісу", "jetisu"),
        ("Жетысуская область", "jetisu"),
        ("область Ұлытау", "ulytau"),
        ("ВКО", "east-kazakhstan"),
        ("ЗКО", "west-kazakhstan"),
        ("Qarağandy", "karaganda"),
        ("Qaraǵandy", "karaganda"),
        ("Türkıstan", "south-kazakhstan"),
        ("Túrkistan", "south-kazakhstan"),
        ("Şyğys Qazaqstan", "east-kazakhstan"),
        ("Maŋğystau", "mangistau"),
        ("Jetısu", "jetisu"),
        ("Ūlytau", "ulytau"),
        ("Abai", "abai"),
        ("Jetisu", "jetisu"),
        ("Ulytau", "ulytau"),
    ],
)
def test_spellings_of_the_issue(regions, spelling, rid):
    assert resolver(regions)[fold(spelling)] == {rid}


def test_every_alias_of_the_2016_file_keeps_its_region(regions):
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent")
    owners = resolver(regions)
    on = dt.date(2016, 3, 20)
    _, old = read(SHARED)
    assert len(old) == len(alive(regions, on))
    for row in old:
        rid = named(regions, row["region"], on)
        assert alive(regions, on)[rid][0]["kind"] == row["kind"], row["region"]
        for spelling in [row["region"], *row["aliases"].split("|")]:
            assert owners.get(fold(spelling)) == {rid}, f"{spelling!r} of {row['region']}"


# ---------------------------------------------------------------- elections


def test_election_header():
    assert read(DATA / "elections.csv")[0] == ELECTION_HEADER


def test_election_cells(elections):
    keys = [e["key"] for e in elections]
    assert len(keys) == len(set(keys)), "a key twice"
    for e in elections:
        where = f"line {e['_line']}"
        assert re.fullmatch(r"\d{4}(-[a-z]+)+", e["key"]), where
        assert e["kind"] in ELECTION_KINDS, where
        voted = day(e["voting_day"])
        assert dt.date(2003, 1, 1) <= voted <= LAST, where
        assert e["key"][:4] == e["name"][:4] == e["voting_day"][:4], where
        assert e["source"].strip(), where
        for spelling in spellings(e):
            assert spelling == spelling.strip() and spelling, where
            assert e["voting_day"][:4] in spelling, f"{where}: {spelling!r} lacks the year"
        for value in e.values():
            assert value == unicodedata.normalize("NFC", value), where


def test_every_election_spelling_names_one_election(elections):
    owners = defaultdict(set)
    for e in elections:
        for spelling in [e["key"], *spellings(e)]:
            owners[fold(spelling)].add(e["key"])
    for spelling, keys in owners.items():
        assert len(keys) == 1, f"{spelling!r} names {sorted(keys)}"


ISSUE_DATES = {
    "mazhilis": ["2004-09-19", "2007-08-18", "2012-01-15", "2016-03-20", "2021-01-10", "2023-03-19"],
    "maslikhat": ["2007-08-18", "2012-01-15", "2016-03-20", "2021-01-10", "2023-03-19"],
    "president": ["2005-12-04", "2011-04-03", "2015-04-26", "2019-06-09", "2022-11-20"],
    "akim_rural": ["2021-07-25"],
    "akim_district": ["2023-11-05"],
}


@pytest.mark.parametrize("kind", sorted(ISSUE_DATES))
def test_the_dates_of_the_issue(elections, kind):
    days = sorted(e["voting_day"] for e in elections if e["kind"] == kind and e["voting_day"] >= "2004")
    assert days == ISSUE_DATES[kind]


def test_one_election_of_a_kind_per_day(elections):
    pairs = [(e["kind"], e["voting_day"]) for e in elections]
    assert len(pairs) == len(set(pairs))


def test_the_2003_maslikhat_elections(elections):
    """Held on their own, not with the Mazhilis of 2004."""
    assert {e["voting_day"] for e in elections if e["kind"] == "maslikhat" and e["voting_day"] < "2004"} == {
        "2003-09-20"
    }


@pytest.mark.parametrize(
    "spelling, key",
    [
        ("2016 maslikhat", "2016-maslikhat"),
        ("maslikhat 2016", "2016-maslikhat"),
        ("маслихат 2016", "2016-maslikhat"),
        ("выборы в маслихаты 2016", "2016-maslikhat"),
        ("мәслихат 2016", "2016-maslikhat"),
        ("2016 мәслихат сайлауы", "2016-maslikhat"),
        ("Mazhilis 2016", "2016-mazhilis"),
        ("мажилис 2016", "2016-mazhilis"),
        ("мәжіліс 2016", "2016-mazhilis"),
        ("president 2019", "2019-president"),
        ("президент 2019", "2019-president"),
        ("2019 presidential", "2019-president"),
        ("2021 akim rural", "2021-akim-rural"),
        ("2023 akim district", "2023-akim-district"),
    ],
)
def test_election_spellings_of_the_issue(elections, spelling, key):
    matches = {e["key"] for e in elections if fold(spelling) in {fold(s) for s in spellings(e)}}
    assert matches == {key}
