"""Numbers, percentages, amounts and dates as the reader's language writes them, from CLDR
(Babel): '1,234.56' in English, '1 234,56' in Russian and Kazakh; '20.03.2016'. Babel is
imported here only, when a report is drawn: the other commands never pay for it.

English keeps ISO dates (2016-03-20): CLDR's English short date is the American 3/20/2016.
"""

from __future__ import annotations

import copy
import functools
from datetime import date
from decimal import Decimal

from dereg.i18n import current

DASH = "–"  # an unknown figure


@functools.cache
def _locale(language: str):
    from babel import Locale

    return Locale.parse(language)


def _pattern(kind: str, decimals: int):
    locale = _locale(current())
    pattern = copy.copy((locale.percent_formats if kind == "percent" else locale.decimal_formats)[None])
    pattern.frac_prec = (decimals, decimals)
    return pattern


def number(value: int | None) -> str:
    if value is None:
        return DASH
    return _pattern("decimal", 0).apply(value, _locale(current()))


def percent(value: float | None, decimals: int = 1) -> str:
    """33.3 -> '33.3%', '33,3 %': one decimal (the figure already rounded half up)."""
    if value is None:
        return DASH
    return _pattern("percent", decimals).apply(Decimal(str(value)) / 100, _locale(current()))


def money(amount: str | None, unit: str) -> str:
    """'1234.56' -> '1,234.56 ₸' / '1 234,56 ₸': thousands grouped, the exact decimals kept."""
    if amount is None:
        return DASH
    decimals = len(amount.partition(".")[2])
    text = _pattern("decimal", decimals).apply(Decimal(amount), _locale(current()))
    space = " " if current() == "en" else "\u00a0"  # a number and its unit stay on one line
    return f"{text}{space}{unit}" if unit else text


def day(value: str | date | None) -> str:
    """An ISO date as the reader writes it: 2016-03-20, 20.03.2016."""
    if not value:
        return ""
    if current() == "en":
        return str(value)
    from babel.dates import format_skeleton

    parsed = value if isinstance(value, date) else date.fromisoformat(value)
    return format_skeleton("yMd", parsed, locale=_locale(current()))
