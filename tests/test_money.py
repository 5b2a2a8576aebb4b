import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dereg.errors import InvalidValue
from dereg.money import (
    CURRENCY_EXPONENTS,
    MAX_MINOR,
    format_amount,
    parse_amount,
    parse_currency,
)

currencies = st.sampled_from(sorted(CURRENCY_EXPONENTS))
minors = st.integers(min_value=0, max_value=MAX_MINOR)
spaces = st.sampled_from([" ", "\u00a0", "\u202f"])


def group(whole: str, sep: str) -> str:
    """'1234567' -> '1<sep>234<sep>567'."""
    head = len(whole) % 3 or 3
    return sep.join([whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)])


def spell(minor: int, currency: str, thousands: str, decimal: str) -> str:
    whole, _, fraction = format_amount(minor, currency).partition(".")
    return group(whole, thousands) + (decimal + fraction if fraction else "")


# --- the currency table ------------------------------------------------------------------


def test_currency_table_shape():
    assert len(CURRENCY_EXPONENTS) > 150
    for code, exponent in CURRENCY_EXPONENTS.items():
        assert len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()
        assert exponent in (0, 2, 3, 4)  # what the currencies table's CHECK allows, and more
    for code in ("KZT", "USD", "EUR", "RUB", "KGS", "UZS", "CNY", "GBP", "TJS", "TMT", "TRY"):
        assert CURRENCY_EXPONENTS[code] == 2


def test_currency_table_exponents_other_than_two():
    def having(exponent):
        return {code for code, e in CURRENCY_EXPONENTS.items() if e == exponent}

    assert having(0) == set("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split())
    assert having(3) == set("BHD IQD JOD KWD LYD OMR TND".split())
    assert having(4) == {"CLF", "UYW"}


@pytest.mark.parametrize("code", ["XAU", "XDR", "XTS", "XXX", "HRK", "SLL", "ZWL", "BGN", "ANG"])
def test_currency_table_leaves_out_withdrawn_codes_and_units_without_minor_unit(code):
    assert code not in CURRENCY_EXPONENTS


@pytest.mark.parametrize(
    "text, code", [("KZT", "KZT"), (" usd ", "USD"), ("Eur", "EUR"), ("", "KZT"), (None, "KZT")]
)
def test_parse_currency(text, code):
    assert parse_currency(text) == code


def test_parse_currency_reads_the_words_for_tenge():
    assert {parse_currency(text) for text in ("тенге", "Теңге", "₸", " kzt ")} == {"KZT"}


@pytest.mark.parametrize("text", ["XYZ", "KZ", "KZTT", "тенгe", "$", "123"])
def test_parse_currency_rejects(text):
    with pytest.raises(InvalidValue, match=r"^currency '.*' is not an ISO 4217 code$"):
        parse_currency(text)


def test_parse_currency_message():
    with pytest.raises(InvalidValue) as e:
        parse_currency(" XYZ ")
    assert str(e.value) == "currency 'XYZ' is not an ISO 4217 code"


# --- accepted spellings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, minor",
    [
        ("500", 50000),
        ("0", 0),
        ("0.78", 78),
        ("0,78", 78),
        ("1.5", 150),
        ("1,5", 150),
        ("1 234,56", 123456),
        ("1\u00a0234,56", 123456),
        ("1\u202f234,56", 123456),
        ("1 234.56", 123456),
        ("1,234.56", 123456),
        ("1.234,56", 123456),
        ("1 234 567", 123456700),
        ("1 234\u00a0567", 123456700),  # spreadsheets mix the kinds of space; all are spaces
        ("1,234,567", 123456700),
        ("1.234.567", 123456700),
        ("12,345,678.90", 1234567890),
        ("  500\t\n", 50000),
        ("007", 700),
    ],
)
def test_parse_amount_accepts(text, minor):
    assert parse_amount(text) == minor
    assert parse_amount(text, "KZT", delimiter=";") == minor


@pytest.mark.parametrize(
    "text, currency, minor",
    [
        ("500", "JPY", 500),
        ("1 234 567", "JPY", 1234567),
        ("1,234,567", "JPY", 1234567),
        ("1.234", "KWD", 1234),
        ("1,234", "KWD", 1234),
        ("1.2", "KWD", 1200),
        ("0.0001", "CLF", 1),
        ("500", "usd", 50000),
        ("500", "", 50000),
    ],
)
def test_parse_amount_in_other_currencies(text, currency, minor):
    assert parse_amount(text, currency) == minor


def test_parse_amount_largest_storable():
    assert parse_amount("92 233 720 368 547 758.07") == MAX_MINOR == 2**63 - 1


# --- rejected spellings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "-5",
        "- 5",
        "\u22125",  # the minus sign
        "(5)",
        "-0",
        "+5",
        "abc",
        "500 KZT",
        "KZT 500",
        "500KZT",
        "₸500",
        "500 ₸",
        "$5",
        "1e3",
        "1E3",
        ".5",
        "5.",
        ",5",
        "5,",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "1.2,3.4",
        "1,2.3",
        "1.234,5.6",
        "1 23",
        "12 3456",
        "1234 567",
        "1,23,456",  # Indian grouping
        "1..5",
        "1,,5",
        "1  234",
        "1 ,5",
        "1.234 567",
        "1 234.567.890",
        "1,234 567",
        "1 234,56 7",
        "0.785",
        "0.780",  # trailing zeros beyond the currency's decimals: refused, never rounded
        "1.000",
        "1_000",
        "\u0661\u0662\u0663",  # Arabic-Indic digits, which int() would accept
        "\uff11\uff12",  # fullwidth digits
        "1\t234",
        "1\n234",
        "1'234",
        "0x10",
        "9" * 20,
        "9" * 5000,  # more digits than int() converts by default
        "92 233 720 368 547 758.08",  # one tiyn more than SQLite can store
    ],
)
def test_parse_amount_rejects(text):
    with pytest.raises(InvalidValue, match=r"^amount ['\"]"):
        parse_amount(text)


@pytest.mark.parametrize(
    "text, currency, message",
    [
        ("0.785", "KZT", "amount '0.785' has more decimals than KZT allows (2)"),
        ("0,780", "KZT", "amount '0,780' has more decimals than KZT allows (2)"),
        ("1.5", "JPY", "amount '1.5' has more decimals than JPY allows (0)"),
        ("1,2345", "KWD", "amount '1,2345' has more decimals than KWD allows (3)"),
        (
            "1.500",
            "KZT",
            "amount '1.500' has more decimals than KZT allows (2); if '.' groups thousands, write 1500",
        ),
        ("", "KZT", "amount '' is empty"),
        ("-5", "KZT", "amount '-5' is negative"),
        ("(5)", "KZT", "amount '(5)' is negative"),
        ("500 KZT", "KZT", "amount '500 KZT' is not a number like 1234.56 or 1 234,56"),
        ("1.2,3.4", "KZT", "amount '1.2,3.4' mixes thousands separators"),
        ("1,23,456", "KZT", "amount '1,23,456' has thousands groups that are not three digits"),
        ("1,234 567", "KZT", "amount '1,234 567' has digits grouped after its decimal separator"),
        ("1" * 20, "KZT", f"amount '{'1' * 20}' is too large"),
    ],
)
def test_parse_amount_messages(text, currency, message):
    with pytest.raises(InvalidValue) as e:
        parse_amount(text, currency)
    assert str(e.value) == message


def test_parse_amount_message_shows_invisible_spaces():
    with pytest.raises(InvalidValue) as e:
        parse_amount("1\u00a023")
    assert str(e.value) == "amount '1\\xa023' has thousands groups that are not three digits"


@pytest.mark.parametrize("value", [0.78, 500, None, b"500"])
def test_parse_amount_rejects_what_is_not_text(value):
    with pytest.raises(InvalidValue, match="must be text"):
        parse_amount(value)


def test_parse_amount_rejects_unknown_currency():
    with pytest.raises(InvalidValue, match=r"^currency 'XYZ' is not an ISO 4217 code$"):
        parse_amount("500", "XYZ")


# --- the 1,500 rule: a lone comma and three digits -----------------------------------------


def test_lone_comma_three_digits_is_ambiguous_in_a_comma_file():
    with pytest.raises(InvalidValue) as e:
        parse_amount("1,500", delimiter=",")
    assert str(e.value) == ("amount '1,500' is ambiguous in a comma-delimited file: write 1500 or 1.5")


@pytest.mark.parametrize("text", ["1,500", "1,000", "12,345", "1 234,567", "0,780"])
@pytest.mark.parametrize("currency", ["KZT", "JPY", "KWD"])
def test_lone_comma_three_digits_is_ambiguous_in_a_comma_file_in_any_currency(text, currency):
    with pytest.raises(InvalidValue, match="is ambiguous in a comma-delimited file"):
        parse_amount(text, currency, delimiter=",")


@pytest.mark.parametrize("delimiter", [";", "\t", None])
def test_lone_comma_three_digits_is_a_decimal_comma_elsewhere(delimiter):
    assert parse_amount("1,500", "KWD", delimiter=delimiter) == 1500
    with pytest.raises(InvalidValue) as e:  # KZT has two decimals: an error, but a helpful one
        parse_amount("1,500", "KZT", delimiter=delimiter)
    assert str(e.value) == (
        "amount '1,500' has more decimals than KZT allows (2); if ',' groups thousands, write 1500"
    )


@pytest.mark.parametrize(
    "text, minor",
    [
        ("0,78", 78),  # two digits: a decimal comma even in a comma file
        ("1,5", 150),
        ("1,50", 150),
        ("1,234,567", 123456700),  # several commas can only group
        ("1,234.56", 123456),  # a dot too: the comma groups
        ("1.500", None),  # the rule is about commas; a lone dot is a decimal point
    ],
)
def test_comma_file_unambiguous(text, minor):
    if minor is None:
        with pytest.raises(InvalidValue, match="more decimals"):
            parse_amount(text, delimiter=",")
    else:
        assert parse_amount(text, delimiter=",") == minor


# --- format_amount -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "minor, currency, text",
    [
        (78, "KZT", "0.78"),
        (50000, "KZT", "500.00"),
        (0, "KZT", "0.00"),
        (5, "KZT", "0.05"),
        (123456789, "KZT", "1234567.89"),
        (500, "JPY", "500"),
        (0, "JPY", "0"),
        (1234, "KWD", "1.234"),
        (1, "CLF", "0.0001"),
        (78, "kzt", "0.78"),
    ],
)
def test_format_amount(minor, currency, text):
    assert format_amount(minor, currency) == text


@pytest.mark.parametrize("minor", [-1, 0.78, 1.0, True, "78", None])
def test_format_amount_rejects(minor):
    with pytest.raises(InvalidValue, match="is not a non-negative whole number"):
        format_amount(minor, "KZT")


def test_format_amount_in_the_decimals_a_database_records():
    """What `dereg check` shows when a database records KZT with three decimals."""
    assert format_amount(785, "KZT", exponent=3) == "0.785"
    assert format_amount(12_345_000, "KZT", exponent=4) == "1234.5000"


def test_format_amount_rejects_unknown_currency():
    with pytest.raises(InvalidValue, match="currency 'XYZ'"):
        format_amount(1, "XYZ")


# --- properties ----------------------------------------------------------------------------


@given(minors, currencies)
def test_round_trip(minor, currency):
    text = format_amount(minor, currency)
    assert parse_amount(text, currency) == minor
    assert parse_amount(text, currency, delimiter=",") == minor


@given(minors, currencies, spaces, st.sampled_from([".", ","]), st.sampled_from([None, ";"]))
def test_round_trip_grouped_by_spaces(minor, currency, space, decimal, delimiter):
    text = spell(minor, currency, space, decimal)
    assert parse_amount(text, currency, delimiter=delimiter) == minor


@given(minors, currencies, spaces)
def test_round_trip_grouped_by_spaces_in_a_comma_file(minor, currency, space):
    assert parse_amount(spell(minor, currency, space, "."), currency, delimiter=",") == minor


@given(minors, currencies, st.sampled_from([(",", "."), (".", ",")]), st.sampled_from([None, ","]))
def test_round_trip_grouped_by_marks(minor, currency, separators, delimiter):
    thousands, decimal = separators
    units = minor // 10 ** CURRENCY_EXPONENTS[currency]
    # Without decimals, one grouping mark alone would read as a decimal separator (by design).
    exponent = CURRENCY_EXPONENTS[currency]
    assume(exponent > 0 or not 1000 <= units < 1_000_000)
    # A lone decimal comma and three decimals is the comma file's ambiguous case, tested above.
    assume(not (decimal == "," == delimiter and exponent == 3 and units < 1000))
    text = spell(minor, currency, thousands, decimal)
    assert parse_amount(text, currency, delimiter=delimiter) == minor


@given(st.one_of(st.text(), st.text(alphabet="0123456789 .,-+()e\u00a0\u202f")), currencies)
def test_parse_amount_returns_an_int_or_raises_invalid_value(text, currency):
    try:
        minor = parse_amount(text, currency, delimiter=",")
    except InvalidValue as e:
        assert "\n" not in str(e)
    else:
        assert type(minor) is int and 0 <= minor <= MAX_MINOR
