"""Exact money: an amount is an int of its currency's minor unit (tiyn for KZT), never a float."""

import re

from dereg.errors import InvalidValue
from dereg.i18n import _
from dereg.values import word_key, words

# ISO 4217 list one, active codes with a minor unit, as of 2026: the 2024-06-25 list plus XCG,
# less ANG (replaced by XCG in 2025) and BGN (Bulgaria joined the euro in 2026).
# Funds and metals without a minor unit (XAU, XDR, XTS, XXX, ...) are not amounts anyone pays.
_BY_EXPONENT = {
    0: "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF",
    2: """AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN
          BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR
          FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR
          KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV
          MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR
          SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH
          USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG""",
    3: "BHD IQD JOD KWD LYD OMR TND",
    4: "CLF UYW",
}
CURRENCY_EXPONENTS: dict[str, int] = dict(
    sorted((code, exponent) for exponent, codes in _BY_EXPONENT.items() for code in codes.split())
)

MAX_MINOR = 2**63 - 1  # the largest INTEGER SQLite stores

_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space: all group thousands
_DIGITS = re.compile(r"[0-9]+")  # not \d, which also matches Arabic-Indic and other digits
_SHAPE = re.compile(r"[0-9]+(?:[ \u00a0\u202f.,][0-9]+)*")  # digits, single separators between
_SEPARATOR = re.compile(r"[ \u00a0\u202f.,]")


def parse_currency(text: str | None) -> str:
    """An ISO 4217 code in any case; empty or None means KZT."""
    code = (text or "").strip().upper()
    if not code:
        return "KZT"
    if code not in CURRENCY_EXPONENTS:
        # тенге, теңге, ₸: the words staff write for a currency
        code = words("currency").get(word_key(text), code)
    if code not in CURRENCY_EXPONENTS:
        raise InvalidValue(_("currency {value!r} is not an ISO 4217 code").format(value=text.strip()))
    return code


def parse_amount(text: str, currency: str = "KZT", *, delimiter: str | None = None) -> int:
    """Parse a non-negative amount written by a person into integer minor units of `currency`.

    Thousands may be grouped by spaces (also U+00A0, U+202F), commas or dots. Where both `,` and
    `.` appear, the last one is the decimal separator. A lone `,` or `.` is a decimal separator;
    several of one kind and nothing else are grouping. `delimiter` is the field delimiter of the
    file the value came from: in a comma-delimited file `1,500` is ambiguous and refused.
    More decimals than the currency has are refused, even trailing zeros: we never round.
    """
    code = parse_currency(currency)
    exponent = CURRENCY_EXPONENTS[code]
    if not isinstance(text, str):  # a float has already lost exactness; refuse, don't convert
        raise InvalidValue(
            _("amount {text!r} must be text, not {name}").format(text=text, name=type(text).__name__)
        )
    s = text.strip()
    if _DIGITS.fullmatch(s):  # the common case on imports: plain digits
        return _to_minor(s, s, "", exponent)
    if not s:
        raise InvalidValue(_("amount '' is empty"))
    unsigned = s[1:-1] if s[0] + s[-1] == "()" else s[1:] if s[0] in "-\u2212" else ""
    if _SHAPE.fullmatch(unsigned.strip()):  # -5, \u22125 (minus sign) and accounting's (5)
        raise InvalidValue(_("amount {s!r} is negative").format(s=s))
    if not _SHAPE.fullmatch(s):
        raise InvalidValue(_("amount {s!r} is not a number like 1234.56 or 1 234,56").format(s=s))

    groups = _SEPARATOR.split(s)
    kinds = [" " if c in _SPACES else c for c in _SEPARATOR.findall(s)]
    marks = [k for k in kinds if k != " "]
    if "," in marks and "." in marks:
        decimal = marks[-1]
    elif len(marks) == 1:
        decimal = marks[0]
    else:
        decimal = None  # no mark, or several of one kind: they can only group thousands
    if decimal and kinds[-1] != decimal:  # a fraction cannot itself be grouped
        raise InvalidValue(_("amount {s!r} has digits grouped after its decimal separator").format(s=s))
    if decimal:
        whole, fraction, grouping = groups[:-1], groups[-1], kinds[:-1]
    else:
        whole, fraction, grouping = groups, "", kinds
    if len(set(grouping)) > 1:
        raise InvalidValue(_("amount {s!r} mixes thousands separators").format(s=s))
    if len(whole) > 1 and not (len(whole[0]) <= 3 and all(len(g) == 3 for g in whole[1:])):
        raise InvalidValue(_("amount {s!r} has thousands groups that are not three digits").format(s=s))

    if decimal == "," and delimiter == "," and len(fraction) == 3 and "." not in marks:
        digits = "".join(whole)
        point = f"{digits}.{fraction}".rstrip("0").rstrip(".")
        raise InvalidValue(
            _(
                "amount {s!r} is ambiguous in a comma-delimited file: write {digits}{fraction} or {point}"
            ).format(s=s, digits=digits, fraction=fraction, point=point)
        )
    if len(fraction) > exponent:
        hint = ""
        if len(kinds) == 1 and len(fraction) == 3 and whole[0][0] != "0" and len(whole[0]) <= 3:
            # '1.500' or '1,500': one thousand five hundred was probably meant
            hint = _("; if {decimal!r} groups thousands, write {whole}{fraction}").format(
                decimal=decimal, whole=whole[0], fraction=fraction
            )
        raise InvalidValue(
            _("amount {s!r} has more decimals than {code} allows ({exponent}){hint}").format(
                s=s, code=code, exponent=exponent, hint=hint
            )
        )
    return _to_minor(s, "".join(whole), fraction, exponent)


def _to_minor(s: str, whole: str, fraction: str, exponent: int) -> int:
    digits = (whole + fraction.ljust(exponent, "0")).lstrip("0") or "0"
    if len(digits) > len(str(MAX_MINOR)) or int(digits) > MAX_MINOR:  # also spares int() huge text
        raise InvalidValue(_("amount {s!r} is too large").format(s=s))
    return int(digits)


def format_amount(minor: int, currency: str, *, exponent: int | None = None) -> str:
    """Minor units as text with the currency's decimals: 78 KZT -> '0.78', 500 JPY -> '500'.

    The one text form of an amount outside SQL. `exponent` overrides the currency's decimals,
    for `dereg check` to show an amount as a database that records other decimals reads it.
    """
    if exponent is None:
        exponent = CURRENCY_EXPONENTS[parse_currency(currency)]
    if type(minor) is not int or minor < 0:  # bool and float are refused too
        raise InvalidValue(
            _("amount {minor!r} is not a non-negative whole number of minor units").format(minor=minor)
        )
    if exponent == 0:
        return str(minor)
    units, rest = divmod(minor, 10**exponent)
    return f"{units}.{rest:0{exponent}d}"
