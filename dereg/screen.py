"""Listings drawn for a person at a terminal: headers in words, amounts right-aligned with their
currency, every line within the terminal's width, "…" where a text does not fit.

Only a terminal gets these tables: a pipe, a file and `--format csv|json` get output.py's,
which never change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice

from dereg.i18n import _
from dereg.labels import label as heading
from dereg.labels import value_label

# What a case list shows on a terminal unless --columns or --wide says otherwise.
CASE_SCREEN_COLUMNS = (
    "id",
    "candidate",
    "region",
    "district",
    "decision",
    "decided_on",
    "amount",
    "appeal_outcome",
)
# Columns whose cells are short and fixed (ids, dates, codes): they keep their width while
# the free text (names, districts, reasons, notes) gives way.
FIXED = {"id", "case_id", "decision", "decided_on", "filed_on", "currency", "appeal_outcome", "outcome"}
FIXED |= {"instance", "kind", "seats", "candidates", "level", "amount", "discrepancy_amount", "voting_day"}
RIGHT = {"id", "case_id", "amount", "discrepancy_amount", "seats", "candidates", "cases", "districts"}
GAP = "  "
SAMPLE = 1000  # rows that size the columns; later rows are cut to the same widths
ELLIPSIS = "…"


def amount_text(amount: str | None, currency: str | None) -> str:
    """83.00 KZT, 1 234 567.89 KZT: thousands apart for the eye, the exact amount kept."""
    if amount in (None, ""):
        return ""
    whole, dot, minor = str(amount).partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = " ".join([whole, *groups]) + dot + minor
    return f"{text} {currency}" if currency else text


def cell_text(value) -> str:
    """A value on one line: line breaks and tabs become spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    if not text.isprintable():
        text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text


def cut(text: str, width: int) -> str:
    """text in at most width characters, "…" for what it loses."""
    if len(text) <= width:
        return text
    if width <= 0:
        return ""
    return text[: width - 1].rstrip() + ELLIPSIS


def widths_within(
    natural: Sequence[int], fixed: Sequence[bool], width: int, gap: int = len(GAP), least: Sequence[int] = ()
) -> list[int]:
    """Column widths whose sum, with the gaps, is at most width (when it can be): the fixed
    columns keep theirs, the others share what is left, the narrow ones keeping all they need,
    none narrower than least (its header) while there is room for that."""
    room = width - gap * (len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)
    shares = list(natural)
    flexible = [i for i, f in enumerate(fixed) if not f]
    room -= sum(w for i, w in enumerate(natural) if fixed[i])
    if not flexible or room < 4 * len(flexible):  # too many columns: everything gives way
        flexible = list(range(len(natural)))
        room = width - gap * (len(natural) - 1)
    least = [min(n, w) for n, w in zip(natural, least or [3] * len(natural), strict=True)]
    if sum(least[i] for i in flexible) > room:
        least = [3] * len(natural)
    order = sorted(flexible, key=lambda i: natural[i])
    for n, i in enumerate(order):
        share = max(room // (len(order) - n), least[i])
        share = min(share, room - sum(least[j] for j in order[n + 1 :]))  # the rest keep their least
        shares[i] = max(min(natural[i], share), 1)
        room -= shares[i]
    return shares


def table(rows: Iterable[dict], columns: Sequence[str], width: int) -> Iterator[str]:
    """The lines of a table of rows within width: header, rule, one line a row."""
    rows = iter(rows)
    sample = list(islice(rows, SAMPLE))
    if not sample:
        yield _("(none)")
        return
    labels = [heading(column, screen=True) for column in columns]
    cells = [[_cell(row, column) for column in columns] for row in sample]
    right = [column in RIGHT or _numbers(row[i] for row in cells) for i, column in enumerate(columns)]
    natural = [max(len(labels[i]), *(len(row[i]) for row in cells)) for i in range(len(columns))]
    # Two spaces between columns while everything fits; one, to give text more room, when not.
    gap = GAP if sum(natural) + len(GAP) * (len(columns) - 1) <= width else " "
    fixed = [c in FIXED for c in columns]
    widths = widths_within(natural, fixed, width, len(gap), [len(label) for label in labels])
    yield _line(labels, widths, right, gap)
    yield gap.join("-" * w for w in widths)
    later = ([_cell(row, column) for column in columns] for row in rows)
    for row in chain(cells, later):
        yield _line(row, widths, right, gap)


def pairs(fields: Sequence[tuple[str, object]], width: int) -> Iterator[str]:
    """One record as label, value lines (a stored value in words, as labels.value_label says it);
    a long value wraps under itself, between words."""
    import textwrap

    labels = [heading(key, screen=True) for key, _value in fields]
    indent = max(map(len, labels)) + len(GAP)
    room = max(width - indent, 20)
    for label, (key, value) in zip(labels, fields, strict=True):
        text = cell_text(value_label(key, value))
        lines = textwrap.wrap(text, room, break_long_words=True, break_on_hyphens=False) or [""]
        yield (label.ljust(indent) + lines[0]).rstrip()
        for line in lines[1:]:
            yield " " * indent + line


def _cell(row: dict, column: str) -> str:
    if column == "amount":
        return amount_text(row.get("discrepancy_amount"), row.get("currency"))
    if column == "discrepancy_amount":
        return amount_text(row[column], None)
    return cell_text(row[column])


def _numbers(cells: Iterable[str]) -> bool:
    """A column of whole numbers (and blanks) aligns right."""
    seen = False
    for cell in cells:
        if cell and not cell.isdigit():
            return False
        seen = seen or bool(cell)
    return seen


def _line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool], gap: str) -> str:
    parts = [
        cut(cell, w).rjust(w) if r else cut(cell, w).ljust(w)
        for cell, w, r in zip(cells, widths, right, strict=True)
    ]
    return gap.join(parts).rstrip()


def chosen_columns(text: str, allowed: Sequence[str], option: str = "--columns") -> tuple[str, ...]:
    """The columns a comma-separated list names, each one of allowed, in the order given."""
    from dereg.errors import UsageError

    names = tuple(name.strip().lower().replace("-", "_").replace(" ", "_") for name in text.split(","))
    unknown = [name for name in names if name not in allowed]
    if unknown or not any(names):
        raise UsageError(
            _("{option}: {names} is not a column; choose from {columns}").format(
                option=option, names=", ".join(map(repr, unknown)) or repr(text), columns=",".join(allowed)
            )
        )
    return names
