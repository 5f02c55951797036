"""A teacher's control over their own data: export it all, or erase it (every feature adds its part)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.feature import Command, Feature
from bot.privacy import chat

export_verb, forget_verb = chat.VERBS


def build(*, member_forgotten: Callable[[Ctx, Member], None] | None = None) -> Feature:
    """``member_forgotten``: what another feature does before someone is erased (pairing ends their
    pairings; the partner's message is then scrubbed of their name like every other pending one)."""
    return Feature(
        "privacy",
        commands=(
            Command(export_verb, chat.export_command),
            Command(forget_verb, chat.forget_command),
        ),
        actions={
            "privacy.export": chat.export_button,
            "privacy.forget": partial(chat.forget_button, member_forgotten=member_forgotten),
        },
        export=chat.export_messages,
    )


FEATURE = build()
