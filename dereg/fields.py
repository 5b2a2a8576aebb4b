"""One field of a record as typed: checked, and named in any error it raises."""

from __future__ import annotations

from collections.abc import Callable

from dereg.errors import InvalidValue
from dereg.i18n import N_
from dereg.text import clean_name, clean_text


def with_field(field: str, parse: Callable, *args, **kwargs):
    """Run a parser, naming the field in any error it raises."""
    try:
        return parse(*args, **kwargs)
    except InvalidValue as exc:
        exc.field = exc.field or field
        raise


def required_text(value: str | None, what: str) -> str:
    return clean_name(value or "", what)


def optional_text(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    return clean_text(value, what, multiline=True) or None  # '' clears the field


# The names messages give a field ("{what} is empty"), translated where a message is shown.
FIELD_NAMES = (
    N_("election"),
    N_("region"),
    N_("region name"),
    N_("district"),
    N_("candidate"),
    N_("candidates"),
    N_("seats"),
    N_("decision"),
    N_("decided_on"),
    N_("amount"),
    N_("currency"),
    N_("court"),
    N_("notes"),
    N_("alias"),
    N_("rename"),
    N_("on"),
)
