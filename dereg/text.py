"""How names are compared and checked: casefolded, spaces (for regions, hyphens) collapsed."""

import functools
import re
import unicodedata

from dereg.errors import InvalidValue
from dereg.i18n import _

_SPACES_AND_HYPHENS = re.compile(r"[\s\-\u2010-\u2015]+")
# C0 and C1 control characters, for a regex class; TAB, LF and CR are judged by the caller.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
_TAB_OR_LINE_BREAK = re.compile(r"[\t\r\n]")


# Characters that show nothing (zero-width spaces and joiners, bidi marks and controls, the
# BOM, the soft hyphen): pasted in from web pages, they would split one person into two.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def visible(text: str) -> str:
    """text without its invisible characters (a regex finds them faster than translate)."""
    return text if text.isascii() or not _INVISIBLE.search(text) else _INVISIBLE.sub("", text)


def fold(text: str) -> str:
    """The key two spellings share when they name the same thing: 'Ақмола ' == 'АҚМОЛА'."""
    # split() breaks on exactly the characters \s matches, at a third of a regex's cost: an
    # import folds two values a row.
    return " ".join(unicodedata.normalize("NFC", visible(text)).casefold().split())


# Latin Kazakh's dotless ı has no capital of its own: 'Soltüstık' typed in capitals is
# 'SOLTÜSTIK', which casefolds to an i; and İ casefolds to i with a combining dot.
_DOTLESS = str.maketrans({"ı": "i", "\u0307": None})


def fold_region(text: str) -> str:
    """Region names also read hyphens as spaces: 'North-Kazakhstan' == 'north kazakhstan';
    'SOLTÜSTIK' == 'Soltüstık'."""
    folded = unicodedata.normalize("NFC", visible(text)).casefold().translate(_DOTLESS)
    return _SPACES_AND_HYPHENS.sub(" ", folded).strip()


def clean_name(value: str, what: str) -> str:
    """A name (candidate, election, district, court): one line, invisible characters removed,
    and at least one letter or digit a reader can see."""
    name = clean_text(visible(value), what)
    if not name:
        raise InvalidValue(_("{what} is empty").format(what=_(what)))
    if not readable(name):
        raise InvalidValue(_("{what} {value!r} has no letter or digit").format(what=_(what), value=value))
    return name


def readable(name: str) -> bool:
    """A name a reader can see: at least one letter or digit."""
    return any(c.isalnum() for c in name)


def clean_text(value: str, what: str, *, multiline: bool = False) -> str:
    """Strip a free-text value and refuse NUL and other control characters in it. Line breaks
    are stored as LF, so a spreadsheet that saves them as CRLF changes nothing."""
    bad = _CONTROL.search(value) or (None if multiline else _TAB_OR_LINE_BREAK.search(value))
    if bad:
        raise InvalidValue(
            _("{what} {value!r} holds a control character ({group!r})").format(
                what=_(what), value=value, group=bad.group()
            )
        )
    return unix_lines(value).strip()


def unix_lines(text: str) -> str:
    """CRLF and lone CR as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# Spellings of one name across alphabets: Kazakh Latin (2018 and 2021 alphabets) and the
# Kazakh Cyrillic letters are first mapped to what a Russian keyboard or an English form would
# write, so that 'Қасымова', 'касымова' and 'Qasymova', or 'Шығыс', 'Şyğys' and 'Shygys', meet.
_BEFORE_ASCII = str.maketrans(
    {
        "ё": "е", "ь": "", "ъ": "",
        "қ": "к", "ғ": "г", "ң": "н", "һ": "х", "ұ": "у", "ү": "у", "ө": "о", "ә": "а", "і": "и",
        "ş": "sh", "ç": "ch", "ğ": "g", "ǵ": "g", "ñ": "n", "ŋ": "n", "ı": "i", "ń": "n",
    }
)  # fmt: skip
# Then the letters the Latin schemes write differently for one sound, each folded to one:
# kh/h (Мұхтар), gh/g (Ғалым), q/k (Қасымова), zh/j (Жанар), ye/e first or after a vowel
# (Ерсын: Yersyn; Жумабаев: Zhumabayev), y/i (Асья: Asya, Asia; Ы: Kasymova, Qasımova), and the ii that y/i leaves (Юлия:
# Yuliya, Iulia). The soft sign went above (ь) or with the apostrophes (As'ya).
_AFTER_ASCII = (("kh", "h"), ("gh", "g"), ("q", "k"), ("zh", "j"))
_FIRST_YE = re.compile(r"(?:\b|(?<=[aeiou]))ye")
_Y_AND_II = re.compile(r"i*y+i*|ii+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


@functools.cache
def _common_to_ascii() -> dict[int, str]:
    """anyascii's own spelling of the letters names are written in (Latin, Greek, Cyrillic),
    as one table: str.translate reads a name at C speed, where anyascii loops in Python; a
    letter outside the table still goes through anyascii, so the key is the same."""
    from anyascii import anyascii

    table = {code: anyascii(chr(code)) for code in range(0x80, 0x530)}
    for code, spelled in _BEFORE_ASCII.items():  # the Kazakh letters as a Russian keyboard types them
        table[code] = anyascii(spelled.translate(_BEFORE_ASCII))
    return table


def latin_key(text: str) -> str:
    """The key one name shares in every alphabet staff type it in: 'Тулесова Асья',
    'tulesova asya' and 'TULESOVA  Asya' give 'tulesova asya'; 'Счёт' and 'счет' meet too.
    It finds (search, likely duplicates); it never decides that two records are one."""
    return _latin(_letters(text))


def _letters(text: str) -> str:
    """latin_key's first step: the text's visible letters, composed and casefolded."""
    return unicodedata.normalize("NFC", visible(text)).casefold()


def _latin(key: str) -> str:
    """latin_key's other steps, on what _letters gave."""
    if not key.isascii():
        key = key.translate(_common_to_ascii())
        if not key.isascii():
            from anyascii import anyascii

            key = anyascii(key)
        key = key.lower()
    for before, after in _AFTER_ASCII:
        key = key.replace(before, after)
    key = _Y_AND_II.sub("i", _FIRST_YE.sub("e", key))
    return " ".join(_NOT_WORD.sub(" ", _APOSTROPHES.sub("", key)).split())


def nearest(key: str, spellings: dict[str, str], cutoff: float = 0.5, n: int = 3) -> list[str]:
    """The names (spellings maps each spelling's key to the name it spells) whose spellings
    come closest to key, nearest first, each once."""
    import difflib

    close = difflib.get_close_matches(key, spellings, n=4 * n, cutoff=cutoff)
    return list(dict.fromkeys(spellings[found] for found in close))[:n]


def election_key(name: str) -> str:
    """The key every spelling of an election shares: its words' latin_key in sorted order, so
    '2016 maslikhat', 'Maslikhat 2016' and 'маслихат 2016' meet."""
    return " ".join(sorted(latin_key(name).split())) or fold(name)


def person_key(name: str, key: str | None = None) -> str:
    """The key of a person's name in any alphabet, surname and given name in either order: the
    first two words of latin_key, sorted (a patronymic one office writes and another leaves out
    does not part them). 'Тулесова Асья Маратовна' and 'Asya Tulesova' share it. A name with a
    digit is no person's ('Worker 12 case 1'): it has none. It only finds likely duplicates;
    people decide ('dereg case merge'). key: latin_key(name), when the caller has it."""
    if any(character.isdigit() for character in name):
        return ""
    return " ".join(sorted((key if key is not None else latin_key(name)).split()[:2]))


def candidate_keys(candidate: str) -> tuple[str, str, str]:
    """What a case keeps of its candidate's name: fold(candidate) (its candidate_key), the
    latin_key of that (the name's part of the search text) and person_key(candidate). The two
    latin keys are one transliteration when both read the same letters, as nearly every name's do."""
    folded = fold(candidate)
    letters, folded_letters = _letters(candidate), _letters(folded)
    latin = _latin(folded_letters) if folded else ""
    return folded, latin, person_key(candidate, latin if letters == folded_letters else _latin(letters))


def search_text(
    candidate: str | None,
    nominated_by: str | None = None,
    reason: str | None = None,
    notes: str | None = None,
    district: str | None = None,
) -> str:
    """What --search looks in: the case's words casefolded (Cyrillic matches too), then on a
    line of its own the latin_key of its names (candidate, nominator, district), so a name is
    found in any alphabet and from any keyboard ('касымова' and 'qasymova' find 'Қасымова';
    'tulesova' finds 'Тулесова Асья'). Free text (reason, notes) is matched as written: a key
    of every note would cost an import a quarter of its time."""
    words = fold(" ".join(value for value in (candidate, nominated_by, reason, notes, district) if value))
    names = fold(" ".join(value for value in (candidate, nominated_by, district) if value))
    return joined_search_text(words, latin_key(names))


def joined_search_text(words: str, key: str) -> str:
    """search_text() from its two parts, as an import joins them from the folds and keys of
    each value (the same text: neither folding nor the key crosses a space)."""
    return words if key in ("", words) else f"{words}\n{key}"


def search_terms(query: str) -> tuple[str, ...]:
    """What a --search query looks for in search_text(): its folded text, or its latin_key."""
    terms = [fold(query), latin_key(query)]
    return tuple(dict.fromkeys(term for term in terms if term))


class SearchTexts:
    """search_text() for many cases, whose parties, reasons and districts repeat: each such
    value folded and keyed once (the same text: neither folding nor the key crosses a space)."""

    def __init__(self, size: int = 1 << 13):
        self.fold = functools.lru_cache(size)(fold)
        self.key = functools.lru_cache(size)(latin_key)

    def __call__(
        self,
        candidate: str | None,
        nominated_by: str | None = None,
        reason: str | None = None,
        notes: str | None = None,
        district: str | None = None,
        *,
        folded: str | None = None,
        key: str | None = None,
    ) -> str:
        """search_text() of these values; folded and key: fold(candidate) and its latin_key,
        when the caller has them."""
        return self.joined(self.own(candidate, nominated_by, reason, notes, folded=folded, key=key), district)

    def own(
        self,
        candidate: str | None,
        nominated_by: str | None = None,
        reason: str | None = None,
        notes: str | None = None,
        *,
        folded: str | None = None,
        key: str | None = None,
    ) -> tuple[str, str]:
        """The case's own part of its search text, (words, keys): all but its district's name,
        which an import knows only once it has found the district (joined() adds it)."""
        cached = self.fold
        words = (
            folded if folded is not None else fold(candidate) if candidate else "",
            cached(nominated_by) if nominated_by else "",
            cached(reason) if reason else "",
            fold(notes) if notes else "",
        )
        keys = (
            key if key is not None else latin_key(words[0]) if words[0] else "",
            self.key(words[1]) if words[1] else "",
        )
        return " ".join(w for w in words if w), " ".join(k for k in keys if k)

    def joined(self, own: tuple[str, str], district: str | None) -> str:
        """search_text() from own()'s part and the district's name (folded and keyed once)."""
        words, keys = own
        folded = self.fold(district) if district else ""
        if folded:
            words = f"{words} {folded}" if words else folded
            district_key = self.key(folded)
            if district_key:
                keys = f"{keys} {district_key}" if keys else district_key
        return joined_search_text(words, keys)
