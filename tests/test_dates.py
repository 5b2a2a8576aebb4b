import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dereg.dates import FIRST_YEAR, LAST_YEAR, parse_date
from dereg.errors import InvalidValue

dates = st.dates(datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31))


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2016-02-01", "2016-02-01"),
        ("01.02.2016", "2016-02-01"),
        ("1.2.2016", "2016-02-01"),
        ("01.2.2016", "2016-02-01"),
        ("1.02.2016", "2016-02-01"),
        ("29.02.2016", "2016-02-29"),
        ("2000-02-29", "2000-02-29"),
        ("  20.03.2016\n", "2016-03-20"),
        ("1900-01-01", "1900-01-01"),
        ("31.12.2999", "2999-12-31"),
    ],
)
def test_parse_date_accepts(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "31.02.2016",
        "2016-13-01",
        "2016-02-30",
        "2015-02-29",
        "29.02.1900",  # 1900 was not a leap year
        "00.01.2016",
        "32.01.2016",
        "2016-00-10",
        "2016-01-00",
        "31.04.2016",
    ],
)
def test_parse_date_rejects_impossible_dates(text):
    with pytest.raises(InvalidValue) as e:
        parse_date(text)
    assert str(e.value) == f"date '{text}' is not a real date"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2016/02/01",
        "16.02.16",
        "1.2.16",
        "2016-2-1",
        "2016-02-1",
        "20160201",
        "01-02-2016",
        "01/02/2016",
        "2016.02.01",
        "001.02.2016",
        "2016-02-01T00:00",
        "2016-02-01 12:00",
        "2016-W05-1",  # date.fromisoformat would take this
        "01.02.2016г.",
        "1 февраля 2016",
        "yesterday",
        "\u0661\u0662.\u0660\u0662.\u0662\u0660\u0661\u0666",  # Arabic-Indic digits
        "01. 02. 2016",
        "+2016-02-01",
    ],
)
def test_parse_date_rejects_other_spellings(text):
    with pytest.raises(InvalidValue) as e:
        parse_date(text)
    assert str(e.value) == f"date {text.strip()!r} is not YYYY-MM-DD or DD.MM.YYYY"


@pytest.mark.parametrize("text", ["1899-12-31", "31.12.1899", "0216-02-01", "3000-01-01"])
def test_parse_date_rejects_years_out_of_range(text):
    with pytest.raises(InvalidValue) as e:
        parse_date(text)
    assert str(e.value) == f"date '{text}' is outside the years 1900-2999"


@pytest.mark.parametrize("value", [None, 20160201, datetime.date(2016, 2, 1)])
def test_parse_date_rejects_what_is_not_text(value):
    with pytest.raises(InvalidValue, match="must be text"):
        parse_date(value)


@given(dates)
def test_round_trip_both_spellings(date):
    iso = date.isoformat()
    assert parse_date(iso) == iso
    assert parse_date(f"{date.day:02d}.{date.month:02d}.{date.year}") == iso
    assert parse_date(f"{date.day}.{date.month}.{date.year}") == iso


@given(st.integers(FIRST_YEAR, LAST_YEAR), st.integers(0, 99), st.integers(0, 99))
def test_impossible_dates_rejected_with_their_text(year, month, day):
    try:
        datetime.date(year, month, day)
    except ValueError:
        for text in (f"{year}-{month:02d}-{day:02d}", f"{day:02d}.{month:02d}.{year}"):
            with pytest.raises(InvalidValue) as e:
                parse_date(text)
            assert str(e.value) == f"date '{text}' is not a real date"
    else:
        assert parse_date(f"{day}.{month}.{year}") == f"{year}-{month:02d}-{day:02d}"


@given(st.text())
def test_parse_date_returns_iso_or_raises_invalid_value(text):
    try:
        iso = parse_date(text)
    except InvalidValue:
        pass
    else:
        assert datetime.date.fromisoformat(iso).isoformat() == iso
