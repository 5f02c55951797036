"""A teacher's control over their own data: export it all, or erase it (every feature adds its part)."""

from __future__ import annotations

from bot.kernel.feature import Command, Feature
from bot.privacy import chat

export_verb, forget_verb = chat.VERBS
FEATURE = Feature(
    "privacy",
    commands=(Command(export_verb, chat.export_command), Command(forget_verb, chat.forget_command)),
    actions={"privacy.export": chat.export_button, "privacy.forget": chat.forget_button},
    export=chat.export_messages,
)
