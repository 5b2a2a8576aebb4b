"""The enumerated values of the domain and their accepted spellings."""

from __future__ import annotations

from dereg.errors import InvalidValue

# Staff write a removal several ways; the contract maps them onto the two decisions.
DECISIONS = {
    "refused": "refused",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "withdrawn": "cancelled",
    "deregistered": "cancelled",
}
OUTCOMES = ("pending", "upheld", "reinstated", "not_heard")
CASE_OUTCOMES = (*OUTCOMES, "not_filed")
INSTANCES = ("first", "appeal", "cassation")
LEVELS = ("mazhilis", "oblast", "city", "district")
CONSTITUENCIES = ("single_mandate", "multi_mandate", "party_list")
ELECTION_KINDS = ("mazhilis", "maslikhat", "president", "akim_rural", "akim_district", "by_election")


def _word(text: str) -> str:
    return "_".join(text.strip().casefold().replace("-", " ").split())


def did_you_mean(text: str, choices) -> str:
    """'; did you mean X?' for a typo of one of choices (refsued, upheldd), else ''; choices
    that map spellings to values (DECISIONS) suggest the value."""
    import difflib

    near = difflib.get_close_matches(_word(text), list(choices), n=1, cutoff=0.75)
    if not near:
        return ""
    return f"; did you mean {choices[near[0]] if isinstance(choices, dict) else near[0]}?"


def parse_choice(text: str, what: str, choices: tuple[str, ...]) -> str:
    word = _word(text)
    if word in choices:
        return word
    raise InvalidValue(f"{what} {text!r} is not one of: {', '.join(choices)}{did_you_mean(text, choices)}")


def parse_decision(text: str) -> str:
    word = _word(text)
    if word in DECISIONS:
        return DECISIONS[word]
    raise InvalidValue(
        f"decision {text!r} is not refused or cancelled (withdrawn and deregistered count as cancelled)"
        + did_you_mean(text, DECISIONS)
    )


MAX_COUNT = 100_000  # seats or candidates of one district: more is a typo, never a figure


def parse_count(text: str | int, what: str, minimum: int) -> int:
    if isinstance(text, int):
        number = text
    else:
        digits = text.strip().replace("\u00a0", "").replace(" ", "")
        if not digits.isascii() or not digits.isdigit():
            raise InvalidValue(f"{what} {text!r} is not a whole number")
        number = int(digits)
    if number < minimum:
        raise InvalidValue(f"{what} {text!r} must be at least {minimum}")
    if number > MAX_COUNT:
        raise InvalidValue(f"{what} {text!r} is more than any district has (at most {MAX_COUNT})")
    return number
