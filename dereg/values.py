"""The enumerated values of the domain and their accepted spellings."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from dereg.errors import InvalidValue
from dereg.i18n import N_, _

OUTCOMES = ("pending", "upheld", "reinstated", "not_heard")
CASE_OUTCOMES = (*OUTCOMES, "not_filed")
INSTANCES = ("first", "appeal", "cassation")
LEVELS = ("mazhilis", "oblast", "city", "district")
CONSTITUENCIES = ("single_mandate", "multi_mandate", "party_list")
ELECTION_KINDS = ("mazhilis", "maslikhat", "president", "akim_rural", "akim_district", "by_election")
DECISIONS = ("refused", "cancelled")
# The words staff write for each value, in English, Russian and Kazakh: data the package
# ships (one row a word), read on first use. Its kinds: decision, outcome, instance, level,
# currency and column (the header names of import files).
WORDS_FILE = Path(__file__).parent / "data" / "words.csv"


def word_key(text: str) -> str:
    """How a word is compared: case and ё folded, spaces and hyphens as one underscore."""
    return "_".join(text.strip().casefold().replace("ё", "е").replace("-", " ").split())


@functools.cache
def words(kind: str) -> dict[str, str]:
    """word_key(word) -> the value it means, for one kind of value."""
    with WORDS_FILE.open(encoding="utf-8", newline="") as file:
        return {word_key(row["word"]): row["value"] for row in csv.DictReader(file) if row["kind"] == kind}


def meaning(text: str, kind: str, choices: tuple[str, ...]) -> str | None:
    """The value among choices that text names (the value itself or one of its words), or None."""
    word = word_key(text)
    if word in choices:
        return word
    value = words(kind).get(word)
    return value if value in choices else None


# Which kind of word each parse_choice caller's `what` reads.
_KINDS = {"outcome": "outcome", "instance": "instance", "level": "level"}


def did_you_mean(text: str, choices) -> str:
    """'; did you mean X?' for a typo of one of choices (refsued, upheldd), else ''; choices
    that map spellings to values (DECISIONS) suggest the value."""
    import difflib

    near = difflib.get_close_matches(word_key(text), list(choices), n=1, cutoff=0.75)
    if not near:
        return ""
    return _("; did you mean {value}?").format(
        value=choices[near[0]] if isinstance(choices, dict) else near[0]
    )


def parse_choice(text: str, what: str, choices: tuple[str, ...]) -> str:
    value = meaning(text, _KINDS.get(what, what), choices)
    if value is not None:
        return value
    raise InvalidValue(
        _("{what} {value!r} is not one of: {choices}").format(
            what=_(what), value=text, choices=", ".join(choices)
        )
        + did_you_mean(text, choices)
    )


def parse_decision(text: str) -> str:
    value = meaning(text, "decision", DECISIONS)
    if value is not None:
        return value
    raise InvalidValue(
        _(
            "decision {value!r} is not refused or cancelled (withdrawn and deregistered count as cancelled)"
        ).format(value=text)
        + did_you_mean(text, DECISIONS)
    )


# The names parse_choice's callers give their values, for the catalog.
_WHATS = (N_("outcome"), N_("instance"), N_("level"))


MAX_COUNT = 100_000  # seats or candidates of one district: more is a typo, never a figure


def parse_count(text: str | int, what: str, minimum: int) -> int:
    if isinstance(text, int):
        number = text
    else:
        digits = text.strip().replace("\u00a0", "").replace(" ", "")
        if not digits.isascii() or not digits.isdigit():
            raise InvalidValue(_("{what} {text!r} is not a whole number").format(what=_(what), text=text))
        number = int(digits)
    if number < minimum:
        raise InvalidValue(
            _("{what} {text!r} must be at least {minimum}").format(what=_(what), text=text, minimum=minimum)
        )
    if number > MAX_COUNT:
        raise InvalidValue(
            _("{what} {text!r} is more than any district has (at most {MAX_COUNT})").format(
                what=_(what), text=text, MAX_COUNT=MAX_COUNT
            )
        )
    return number
