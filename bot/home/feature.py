"""Home: a person's own page (the Slack App Home tab, ``home`` everywhere else)."""

from __future__ import annotations

from bot.home import chat
from bot.kernel.feature import Command, Feature

FEATURE = Feature(
    "home",
    commands=(Command(chat.HOME_VERB, chat.home, before_joining=True),),
)
