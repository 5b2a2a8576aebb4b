"""The language a person reads: chosen once per run, its catalog loaded only when a message
is translated. English is the text in the code; Russian and Kazakh come from the gettext
catalogs in dereg/locale (the .po files are the source, the .mo files what is read).

Machine formats never pass through here: a CSV or JSON key, an enum value, an ISO date or a
dot-decimal amount is the same under every language.
"""

from __future__ import annotations

import os
from pathlib import Path

from dereg.errors import UsageError

LANGUAGES = ("ru", "kk", "en")
DOMAIN = "dereg"
LOCALE_DIR = Path(__file__).parent / "locale"
# Names people give a language beyond its ISO 639-1 code: "kz" is the country, often typed for Kazakh.
_ALIASES = {"kz": "kk", "kaz": "kk", "rus": "ru", "eng": "en", "c": "en", "posix": "en"}

_language = "en"
_catalogs: dict[str, object] = {}


def language_of(value: str) -> str | None:
    """'ru', 'ru_KZ.UTF-8', 'RU', 'kk-KZ' -> the language; None for one dereg does not speak."""
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].casefold()
    code = _ALIASES.get(code, code)
    return code if code in LANGUAGES else None


def choose(option: str | None = None, environ=os.environ) -> str:
    """--lang, else $DEREG_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG: the first set),
    else English. An unknown --lang or $DEREG_LANG is a usage error; an unknown locale is English
    (it names the machine's setting, not a choice made for dereg)."""
    for value, where in ((option, "--lang"), (environ.get("DEREG_LANG"), "DEREG_LANG")):
        if value:
            language = language_of(value)
            if language is None:
                raise UsageError(
                    _("{where}: unknown language {value!r}: use one of {languages}").format(
                        where=where, value=value, languages=", ".join(LANGUAGES)
                    )
                )
            return language
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(variable):
            return language_of(environ[variable]) or "en"
    return "en"


def use(language: str) -> None:
    """Speak this language from now on (the CLI calls it once per run)."""
    global _language
    _language = language


def current() -> str:
    return _language


def _catalog():
    catalog = _catalogs.get(_language)
    if catalog is None:
        import gettext

        catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)
        _catalogs[_language] = catalog
    return catalog


def _(message: str) -> str:
    """The message in the chosen language (English: as written)."""
    if _language == "en" or not message:
        return message
    return _catalog().gettext(message)


gettext = _


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for count under the language's plural rule (Russian has three)."""
    if _language == "en":
        return singular if count == 1 else plural
    return _catalog().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; translated where it is shown."""
    return message
