"""The catalogs kept honest: every message translated into Russian and Kazakh, with the same
placeholders, the shipped .mo files compiled from the .po files, and no message a person
reads left out of the catalog."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dereg import catalogs
from dereg.i18n import LOCALE_DIR

pytestmark = pytest.mark.no_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def messages():
    return catalogs.all_messages()


@pytest.fixture(scope="module", params=catalogs.TRANSLATED)
def catalog(request):
    return catalogs.read(request.param)


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_every_message_is_translated(messages, catalog):
    untranslated = []
    for msgid in messages:
        message = catalog.get(msgid)
        if message is None or message.fuzzy or not all(_forms(message)):
            untranslated.append(msgid)
        elif isinstance(msgid, tuple) and len(_forms(message)) != catalog.num_plurals:
            untranslated.append(msgid)
    assert not untranslated, f"{catalog.locale}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"


def test_translations_keep_the_placeholders(catalog):
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = catalogs.placeholders(ids[-1])
        for form in _forms(message):
            if form and catalogs.placeholders(form) != wanted:
                wrong.append((ids[-1], form))
    assert not wrong, wrong[:3]


def test_the_catalog_holds_no_message_the_code_lost(messages, catalog):
    """A .po entry nothing uses is dead weight a translator would still be asked to keep."""
    stale = [message.id for message in catalog if message.id and message.id not in messages]
    assert not stale, stale[:3]


@pytest.mark.parametrize("language", catalogs.TRANSLATED)
def test_the_shipped_mo_is_compiled_from_the_po(language):
    shipped = (LOCALE_DIR / language / "LC_MESSAGES" / "dereg.mo").read_bytes()
    assert shipped == catalogs.compiled(catalogs.read(language)), "run: python -m dereg.catalogs"


def test_the_template_lists_every_message(messages):
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / "dereg.pot").open("rb") as file:
        template = read_po(file)
    assert {message.id for message in template if message.id} == set(messages)


# Calls whose text argument a person reads: it must come through _() or ngettext(), never as a
# bare string or an f-string the catalog cannot hold.
_SHOWN = {"InvalidValue", "NotFound", "Conflict", "UsageError", "DeregError", "Problem", "InvalidRows"}
_SHOWN_ATTRIBUTES = {("typer", "echo"), ("typer", "confirm"), ("typer", "prompt"), ("self", "warn")}


def _words(node: ast.AST) -> bool:
    """A literal or f-string with words in it (not a bare value like f'{case_id}')."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    else:
        return False
    return sum(character.isalpha() for character in text) >= 2


def _name(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else ""


def unmarked(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        shown = (isinstance(func, ast.Name) and func.id in _SHOWN) or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id, func.attr) in _SHOWN_ATTRIBUTES
        )
        # The first argument is the message (Problem's first two: the subject, then the message).
        if shown and any(_words(arg) for arg in node.args[: 2 if _name(func) == "Problem" else 1]):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if isinstance(func, ast.Name) and func.id in ("_", "N_", "ngettext"):
            if any(isinstance(arg, ast.JoinedStr) for arg in node.args):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} (an f-string in the catalog)")
    return found


def test_no_message_a_person_reads_bypasses_the_catalog():
    found = [where for path in sorted((ROOT / "dereg").rglob("*.py")) for where in unmarked(path)]
    assert not found, found


def test_the_check_of_unmarked_messages_finds_one(tmp_path):
    (tmp_path / "x.py").write_text('raise InvalidValue(f"amount {s!r} is negative")\n')
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert unmarked(tmp_path / "x.py") == ["x.py:1"]
    finally:
        ROOT = saved
