"""How names are compared and checked: casefolded, spaces (for regions, hyphens) collapsed."""

import re
import unicodedata

from dereg.errors import InvalidValue

_SPACES_AND_HYPHENS = re.compile(r"[\s\-\u2010-\u2015]+")
# C0 and C1 control characters, for a regex class; TAB, LF and CR are judged by the caller.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
_TAB_OR_LINE_BREAK = re.compile(r"[\t\r\n]")


def fold(text: str) -> str:
    """The key two spellings share when they name the same thing: 'Ақмола ' == 'АҚМОЛА'."""
    # split() breaks on exactly the characters \s matches, at a third of a regex's cost: an
    # import folds two values a row.
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def fold_region(text: str) -> str:
    """Region names also read hyphens as spaces: 'North-Kazakhstan' == 'north kazakhstan'."""
    return _SPACES_AND_HYPHENS.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()


def clean_text(value: str, what: str, *, multiline: bool = False) -> str:
    """Strip a free-text value and refuse NUL and other control characters in it."""
    bad = _CONTROL.search(value) or (None if multiline else _TAB_OR_LINE_BREAK.search(value))
    if bad:
        raise InvalidValue(f"{what} {value!r} holds a control character ({bad.group()!r})")
    return value.strip()


def search_text(*values: str | None) -> str:
    """What --search looks in: the case's words, casefolded, so Cyrillic matches too."""
    return fold(" ".join(value for value in values if value))
