"""Taking a forgotten person's name and words out of messages already written for other people.

A message to Ana ("Ben Okafor asked you to observe: focus *questioning*") is Ana's, so it stays, but
after Ben's forget-me it must no longer say who asked or what he wrote. The words are matched
case-insensitively, longest first, so a full name goes before the first name inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.kernel.i18n import N_, SOURCE_LANGUAGE, _, speaking

if TYPE_CHECKING:
    from bot.kernel.domain import Member
    from bot.kernel.ports import Scope

FORMER = N_("a former colleague")
ERASED_WORDS = N_("(erased)")
MIN_LENGTH = 3
"""Shorter strings (initials, "Al") would rub out other people's words as well."""


def pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    wanted = sorted(
        {w.strip() for w in words if len(w.strip()) >= MIN_LENGTH}, key=len, reverse=True
    )
    if not wanted:
        return None
    return re.compile("|".join(re.escape(w) for w in wanted), re.IGNORECASE)


def redacted(value: Any, words: re.Pattern[str], replacement: str) -> Any:
    """``value`` (a message's JSON) with every match replaced, in every string however deep."""
    if isinstance(value, str):
        return words.sub(replacement, value)
    if isinstance(value, dict):
        return {k: redacted(v, words, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(v, words, replacement) for v in value]
    return value


def rewrite(
    payload: Any, identity: re.Pattern[str], names: re.Pattern[str], words: re.Pattern[str] | None
) -> Any:
    """The payload with the person's names and words taken out, if it mentions them at all; a
    goal or a focus like "questioning" is someone else's too, so it goes only where they are named."""
    if not _mentions(payload, identity):
        return payload
    # The message was written in its reader's language (``Message.language``), and so is what
    # replaces the name; one stored before languages were recorded is English.
    language = payload.get("language") if isinstance(payload, dict) else None
    with speaking(language if isinstance(language, str) else SOURCE_LANGUAGE):
        former, erased = _(FORMER), _(ERASED_WORDS)
    payload = redacted(payload, names, former)
    return redacted(payload, words, erased) if words is not None else payload


def _mentions(value: Any, found: re.Pattern[str]) -> bool:
    if isinstance(value, str):
        return found.search(value) is not None
    if isinstance(value, dict):
        return any(_mentions(v, found) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, found) for v in value)
    return False


def forget_in_messages(repos: Scope, member: Member, words: Sequence[str] = ()) -> int:
    """Every message of the workspace that names ``member``: names and ``words`` taken out."""
    identity = [member.display_name, member.email or "", member.platform_user_id]
    names = [*identity, *member.display_name.split()]
    return repos.privacy.redact_outbox(identity, names, words)
