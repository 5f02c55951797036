"""The coordinator's weekly digest: participation and confidence in aggregate, and who needs a hand."""

from __future__ import annotations

from datetime import timedelta

from bot.digest import chat
from bot.digest.sending import send_digests
from bot.kernel.feature import Command, Feature, PeriodicJob

FEATURE = Feature(
    "digest",
    commands=(Command(chat.VERB, chat.digest),),
    actions={"digest.list": chat.open_list},
    jobs=(PeriodicJob("digest.send", send_digests, timedelta(minutes=15)),),
)
