"""Dates: YYYY-MM-DD or DD.MM.YYYY in, ISO 8601 YYYY-MM-DD out."""

import datetime
import re

from dereg.errors import InvalidValue
from dereg.i18n import _

FIRST_YEAR, LAST_YEAR = 1900, 2999

# [0-9], not \d: \d also matches Arabic-Indic and other digits, which int() would accept.
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DOTTED = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


def parse_date(text: str) -> str:
    """Parse `YYYY-MM-DD`, `DD.MM.YYYY` or `D.M.YYYY` (surrounding whitespace ignored) to ISO.

    Only four-digit years from 1900 to 2999 are accepted, so a two-digit year (`16.02.16`) or a
    typo like `02.01.0216` is refused rather than guessed. Called once per row on large imports:
    a precompiled regex and one `datetime.date` check, nothing more.
    """
    if not isinstance(text, str):
        raise InvalidValue(
            _("date {text!r} must be text, not {name}").format(text=text, name=type(text).__name__)
        )
    s = text.strip()
    if m := _ISO.fullmatch(s):
        year, month, day = m.groups()
    elif m := _DOTTED.fullmatch(s):
        day, month, year = m.groups()
    else:
        raise InvalidValue(_("date {s!r} is not YYYY-MM-DD or DD.MM.YYYY").format(s=s))
    y, mo, d = int(year), int(month), int(day)
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise InvalidValue(
            _("date {s!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}").format(
                s=s, FIRST_YEAR=FIRST_YEAR, LAST_YEAR=LAST_YEAR
            )
        )
    try:
        datetime.date(y, mo, d)
    except ValueError:
        raise InvalidValue(_("date {s!r} is not a real date").format(s=s)) from None
    return f"{year}-{mo:02d}-{d:02d}"
