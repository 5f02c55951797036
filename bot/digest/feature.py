"""The coordinator's weekly digest: participation and confidence in aggregate, and who needs a hand."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.digest import chat
from bot.digest.links import chat_link_maker
from bot.digest.sending import send_digests
from bot.kernel.feature import Command, Feature, JobFunction, PeriodicJob
from bot.kernel.ports import UnitOfWorkFactory
from bot.kernel.settings import Settings


def _sending_with_links(settings: Settings) -> JobFunction:
    """The job as a server runs it: each coordinator's digest links to their own web page."""
    links = chat_link_maker(settings)
    if links is None:
        return send_digests

    def run(uow_factory: UnitOfWorkFactory, now: datetime) -> object:
        return send_digests(uow_factory, now, links)

    return run


FEATURE = Feature(
    "digest",
    commands=(Command(chat.VERB, chat.digest),),
    actions={"digest.list": chat.open_list},
    jobs=(
        PeriodicJob(
            "digest.send", send_digests, timedelta(minutes=15), configure=_sending_with_links
        ),
    ),
)
