"""Words in a teacher's own language for the everyday verbs: ``ayuda`` is ``help``, ``pausa`` is ``pause``.

Verbs stay English (they are the API every platform, button and example shares); an alias only ever
resolves to one, in ``parse``, whatever language the person speaks, so a Spanish speaker on an English
client is understood too. Accents are optional ("reflexion" is "reflexión"), since phones and keyboards
drop them. Spanish help lists them beside the verb, and "did you mean" weighs them like verbs.

Only verbs that exist may have an alias (``Registry``'s verbs are checked in the tests), and an alias is
never a verb itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.kernel.i18n import folded

ALIASES: dict[str, dict[str, str]] = {
    "es": {
        "ayuda": "help",
        "unirme": "join",
        "perfil": "profile",
        "metas": "goals",
        "pausa": "pause",
        "pausar": "pause",
        "reanudar": "resume",
        "volver": "resume",
        "reflexión": "reflect",
        "reflexionar": "reflect",
        "reflexiones": "reflections",
        "calendario": "calendar",
        "observar": "observe",
        "compartir": "share",
        "recursos": "resources",
        "inicio": "home",
    },
}
"""By language, each alias as it is written (with its accents) and the verb it stands for."""


_BY_FOLDED: dict[str, str] = {
    folded(alias): verb for table in ALIASES.values() for alias, verb in table.items()
}


def resolve(word: str, verbs: Mapping[str, object]) -> str | None:
    """The verb ``word`` names: itself, or the verb it is an alias for in any language; None for
    neither (an alias whose verb this registry does not have counts as none)."""
    lowered = word.lower()
    if lowered in verbs:
        return lowered
    verb = _BY_FOLDED.get(folded(word))
    return verb if verb is not None and verb in verbs else None


def aliases_of(verb: str, language: str) -> list[str]:
    """The aliases ``verb`` has in ``language``, as written there, in the table's order."""
    return [alias for alias, target in ALIASES.get(language, {}).items() if target == verb]


def aliases_in(language: str) -> list[str]:
    """Every alias ``language`` has, as written there."""
    return list(ALIASES.get(language, {}))


def known_words(verbs: Mapping[str, object]) -> dict[str, str]:
    """Every word ``parse`` accepts, verb or alias, with the verb it means: what a typo is compared
    with. Aliases are given accented, as a suggestion shows them."""
    words = {verb: verb for verb in verbs}
    for table in ALIASES.values():
        for alias, verb in table.items():
            if verb in verbs:
                words.setdefault(alias, verb)
    return words
