"""What a person reads in place of a machine name: a column's heading, an enum value in words.

One mapping for every listing (case, appeal, district, region, election, history, summary),
so that a table drawn for a person says "Кандидат" and "отказ в регистрации" under --lang ru,
while CSV and JSON keep the contract's keys and values under every language. In English the
listings keep the contract's keys as headings and the values as stored: scripts that read a
table in English see what they always saw.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from dereg.i18n import N_, _, current

COLUMN_LABELS = {
    "id": N_("ID"),
    "case_id": N_("Case"),
    "election": N_("Election"),
    "region": N_("Region"),
    "district": N_("District"),
    "candidate": N_("Candidate"),
    "nominated_by": N_("Nominated by"),
    "decision": N_("Decision"),
    "decided_on": N_("Decided on"),
    "reason": N_("Reason"),
    "discrepancy_amount": N_("Discrepancy"),
    "currency": N_("Currency"),
    "appeal_outcome": N_("Appeal outcome"),
    "notes": N_("Notes"),
    "court": N_("Court"),
    "instance": N_("Instance"),
    "filed_on": N_("Filed on"),
    "outcome": N_("Outcome"),
    "seats": N_("Seats"),
    "candidates": N_("Candidates"),
    "level": N_("Level"),
    "kind": N_("Kind"),
    "aliases": N_("Other names"),
    "cases": N_("Cases"),
    "districts": N_("Districts"),
    "voting_day": N_("Voting day"),
    "at": N_("When"),
    "at (UTC)": N_("When (UTC)"),
    "actor": N_("Who"),
    "command": N_("Command"),
    "change": N_("Change"),
    "entity": N_("Record"),
    "entity_id": N_("Record ID"),
    "before": N_("Before"),
    "after": N_("After"),
    "deregistered": N_("Removed"),
    "reinstated": N_("Reinstated"),
    "remaining": N_("Remaining"),
    "per_seat_before": N_("Per seat before"),
    "per_seat_after": N_("Per seat after"),
    "reduction_pct": N_("Cut, %"),
    "uncontested": N_("Uncontested"),
    "uncontested_districts": N_("Uncontested districts"),
    "appeals": N_("Appeals"),
    "median_discrepancy_kzt": N_("Median discrepancy, KZT"),
    "amount": N_("Amount"),
    "name": N_("Name"),
    "aliases_count": N_("Spellings"),
    "office": N_("Office"),
    "source": N_("Source"),
}
# A terminal's table in English heads a column with its heading in lower case, or with the
# shorter word said here (a table for a pipe keeps the contract's keys).
SCREEN_WORDS = {
    "decided_on": "decided",
    "discrepancy_amount": "amount",
    "appeal_outcome": "outcome",
    "filed_on": "filed",
    "aliases": "also written",
    "aliases_count": "aliases",
}

# Stored values a person reads in words. The English words are what the catalog translates;
# English itself shows the stored value.
VALUE_LABELS = {
    "decision": {"refused": N_("registration refused"), "cancelled": N_("registration cancelled")},
    "outcome": {
        "pending": N_("pending"),
        "upheld": N_("decision upheld"),
        "reinstated": N_("reinstated"),
        "not_heard": N_("not heard"),
        "not_filed": N_("not appealed"),
    },
    "instance": {"first": N_("first instance"), "appeal": N_("appeal"), "cassation": N_("cassation")},
    "level": {
        "mazhilis": N_("Mazhilis"),
        "oblast": N_("oblast maslikhat"),
        "city": N_("city maslikhat"),
        "district": N_("district maslikhat"),
    },
    "kind": {"oblast": N_("oblast"), "city": N_("city of republican significance")},
    "boolean": {"1": N_("yes"), "0": N_("no"), "True": N_("yes"), "False": N_("no")},
}
VALUE_COLUMNS = {
    "decision": "decision",
    "appeal_outcome": "outcome",
    "outcome": "outcome",
    "instance": "instance",
    "level": "level",
    "kind": "kind",
    "uncontested": "boolean",
    "region": "region",
}


def label(column: str, *, screen: bool = False) -> str:
    """A column's heading in the chosen language (its key in English; on a terminal, screen,
    English words too). One heading a column, for tables, markdown and the terminal alike."""
    if current() == "en":
        if not screen:
            return column
        if column in SCREEN_WORDS:
            return SCREEN_WORDS[column]
        return COLUMN_LABELS[column].lower() if column in COLUMN_LABELS else column.replace("_", " ")
    if column not in COLUMN_LABELS:
        return column.replace("_", " ") if screen else column
    return _(COLUMN_LABELS[column])


def headings(columns: Sequence[str]) -> list[str]:
    return [label(column) for column in columns]


def value_label(column: str, value):
    """A stored value in words (as stored in English, and where no words are known). A region
    is named as the language names it (the shipped regions' names are in the catalog)."""
    if column == "region" and isinstance(value, str) and current() != "en":
        return _(value)
    words = VALUE_LABELS.get(VALUE_COLUMNS.get(column, ""), {})
    if current() == "en" or value is None or str(value) not in words:
        return value
    return _(words[str(value)])


def in_words(rows: Iterable[dict], columns: Sequence[str]) -> Iterator[dict]:
    """Rows for a person: enum values in words (nothing changes in English)."""
    worded = [column for column in columns if column in VALUE_COLUMNS]
    if current() == "en" or not worded:
        yield from rows
        return
    for row in rows:
        yield {**row, **{column: value_label(column, row.get(column)) for column in worded}}
