"""Telling people apart by name: display names are typed, so two can read the same.

A name decides nothing on its own. Where a command takes a person by name and two people read the
same, it is refused with a list that tells them apart (and a way to say which: their user id or
their platform's address); and nobody may take a name that reads the same as a colleague's, so
wherever Staffroom names someone to another person, the name itself says who. "Reads the same"
ignores case, spacing, invisible characters and the Cyrillic and Greek letters that look Latin.
"""

from __future__ import annotations

import re
import unicodedata

from bot.kernel.domain import Member
from bot.kernel.errors import UserError
from bot.kernel.i18n import _, ngettext
from bot.kernel.messages import said
from bot.kernel.ports import Scope

_LOOKS_LATIN = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
        # Greek
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        # Latin look-alikes
        "ı": "i", "ℓ": "l",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")
MAX_LISTED = 10
FORGOTTEN_NAME = "Former member"  # not translated: stored as their name, read by everyone
"""The name a forgotten member keeps: nobody's, so it never clashes and is never looked up."""


def name_key(name: str) -> str:
    """What a name reads as: two names with the same key cannot be told apart by eye."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc", "Mn"))
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")  # accents look optional
    return _SPACE.sub(" ", text.translate(_LOOKS_LATIN)).strip()


def named_alike(repos: Scope, name: str, *, besides: int | None = None) -> list[Member]:
    """Everyone (else) here whose name reads the same as ``name``."""
    key = name_key(name)
    return [m for m in repos.members.named(key) if m.id != besides]


def name_taken(name: str) -> str:
    return _(
        "Someone here is already called {name}. Please add something that tells you apart, "
        "like an initial or your school (“Ana Lopez, Science”)."
    ).format(name=name)


def refuse_a_colleagues_name(repos: Scope, name: str, member_id: int | None) -> None:
    """Taking a name that reads the same as a colleague's would let one be taken for the other."""
    if named_alike(repos, name, besides=member_id):
        raise UserError(name_taken(said(name)))


def person_named(repos: Scope, text: str) -> Member | None:
    """The one person ``text`` names: a platform user id, an address their platform gave, or a name
    that only one person here has. None when it names nobody; refused, with the choice, when a name
    fits several."""
    needle = text.strip().lstrip("@").strip()
    if not needle:
        return None
    found = repos.members.by_platform_user(needle)
    if found is not None:
        return found
    if "@" in needle:
        vouched = [m for m in repos.members.by_email(needle) if m.email_vouched]
        if len(vouched) == 1:
            return vouched[0]
    alike = named_alike(repos, needle)
    if len(alike) <= 1:
        return alike[0] if alike else None
    lines = "\n".join(f"• {told_apart(m)}" for m in alike[:MAX_LISTED])
    raise UserError(
        ngettext(
            "{n} person here is called {name}:\n{people}\nSay which one with their user id (or "
            "the e-mail shown) instead of the name.",
            "{n} people here are called {name}:\n{people}\nSay which one with their user id (or "
            "the e-mail shown) instead of the name.",
            len(alike),
        ).format(n=len(alike), name=said(needle), people=lines)
    )


def told_apart(member: Member) -> str:
    """A name with what tells its holder apart from anyone else so called."""
    details = [", ".join(member.subjects)] if member.subjects else []
    if member.school:
        details.append(member.school)
    if member.email_vouched and member.email:
        details.append(member.email)
    details.append(_("user id {id}").format(id=member.platform_user_id))
    return f"{said(member.display_name)} ({said(' · '.join(details))})"
