"""The translation catalogs kept in step with the code: `python -m dereg.catalogs` extracts
every message (the `_`, `ngettext` and `N_` calls in dereg/, and every help text of the
command tree), updates dereg/locale/dereg.pot and the Russian and Kazakh .po files (new
messages empty, gone ones dropped), and compiles the .mo files dereg reads. Translators edit
the .po files; tests/test_catalogs.py fails while any message lacks a translation.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

from dereg.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).parent
TRANSLATED = tuple(language for language in LANGUAGES if language != "en")
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def code_messages() -> dict[str | tuple[str, str], list[tuple[str, int]]]:
    """msgid (or (singular, plural)) -> where the code names it."""
    found: dict = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = str(path.relative_to(PACKAGE.parent))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args = node.args
            strings = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id in ("_", "N_", "gettext") and len(strings) == 1 and len(args) == 1:
                found.setdefault(strings[0], []).append((where, node.lineno))
            elif node.func.id == "ngettext" and len(strings) == 2:
                found.setdefault((strings[0], strings[1]), []).append((where, node.lineno))
    return found


def all_messages() -> dict:
    from dereg.cli import help_texts

    found = code_messages()
    for text in help_texts():
        found.setdefault(text, []).append(("dereg/cli (help)", 0))
    for name in region_names():
        found.setdefault(name, []).append(("dereg/data/regions.csv", 0))
    return found


def region_names() -> list[str]:
    """The shipped regions' names (every dated one): shown in the reader's language."""
    import csv

    with (PACKAGE / "data" / "regions.csv").open(encoding="utf-8", newline="") as file:
        return list(dict.fromkeys(row["name"] for row in csv.DictReader(file)))


def template():
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="dereg", domain=DOMAIN, charset="utf-8")
    for msgid, locations in all_messages().items():
        catalog.add(msgid, locations=locations)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str):
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def compiled(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    pot = template()
    out = io.BytesIO()
    write_po(out, pot, width=100, omit_header=False, sort_output=False)
    _write_if_changed(LOCALE_DIR / f"{DOMAIN}.pot", out.getvalue())
    for language in TRANSLATED:
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = (
            read(language) if path.exists() else Catalog(locale=language, domain=DOMAIN, project="dereg")
        )
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        out = io.BytesIO()
        write_po(out, catalog, width=100, include_previous=False)
        _write_if_changed(path, out.getvalue())
        _write_if_changed(path.with_suffix(".mo"), compiled(catalog))


_DATES = re.compile(rb"(POT-Creation-Date|PO-Revision-Date): [^\n\\\"]*")


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write unless only the header's dates would change: a run that changes no message
    leaves the files as they were."""
    if path.exists() and _DATES.sub(b"", path.read_bytes()) == _DATES.sub(b"", data):
        return
    path.write_bytes(data)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


if __name__ == "__main__":
    update()
