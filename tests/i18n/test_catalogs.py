"""The catalogs are complete and safe: every user-facing string is marked, every marked string has a
Spanish translation that is not fuzzy, each translation keeps its placeholders (a missing ``{name}``
would crash the message in Spanish only), and the committed .mo is the .po compiled."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from bot.kernel.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE
from tests.support.bare_strings import ROOT, bare_strings

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
TRANSLATED = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def extracted() -> dict[tuple[str, str | None], str | tuple[str, ...]]:
    found: dict[tuple[str, str | None], str | tuple[str, ...]] = {}
    for folder in ("bot", "adapters"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, [("**.py", "python")], keywords=KEYWORDS
        ):
            first = message if isinstance(message, str) else message[0]
            found[(first, context)] = message
    return found


def catalog(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        return read_po(po, locale=language)


def test_every_user_facing_string_is_marked_for_translation() -> None:
    left = [str(bare) for bare in bare_strings()]
    assert not left, f"{len(left)} user-facing strings are not marked:\n" + "\n".join(left[:60])


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalog_translates_every_marked_string_and_none_is_fuzzy(language: str) -> None:
    translations = catalog(language)
    missing, fuzzy = [], []
    for (msgid, context), _message in extracted().items():
        entry = translations.get(msgid, context=context)
        strings = () if entry is None else entry.string
        strings = (strings,) if isinstance(strings, str) else strings
        if entry is None or not all(strings):
            missing.append(msgid)
        elif entry.fuzzy:
            fuzzy.append(msgid)
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:20]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:20]}"


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_translation_keeps_the_placeholders_of_its_original(language: str) -> None:
    wrong = []
    for entry in catalog(language):
        if not entry.id or not entry.string:
            continue
        originals = (entry.id,) if isinstance(entry.id, str) else entry.id
        strings = (entry.string,) if isinstance(entry.string, str) else entry.string
        wanted = set().union(*(_placeholders(o) for o in originals))
        for string in strings:
            if string and not _placeholders(string) <= wanted:
                wrong.append((originals[0], string))
            if string and "`" in originals[0] and string.count("`") != originals[0].count("`"):
                wrong.append((originals[0], string))
    assert not wrong, f"placeholders or `commands` changed in translation: {wrong[:10]}"


def _key(*parts: object) -> tuple[object, ...]:
    """Plural entries read back as lists: hashable, and equal however they were read."""
    return tuple(tuple(p) if isinstance(p, list | tuple) else p for p in parts)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_is_the_po_compiled(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog(language), use_fuzzy=False)
    compiled.seek(0)
    shipped_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with Path(shipped_path).open("rb") as shipped:
        ours = {_key(m.id, m.context): _key(m.string) for m in read_mo(compiled) if m.id}
        theirs = {_key(m.id, m.context): _key(m.string) for m in read_mo(shipped) if m.id}
    assert ours == theirs, "run `make catalogs`: the .mo is out of date with the .po"
