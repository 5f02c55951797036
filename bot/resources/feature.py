"""Shared teaching resources: share, find and mark what helps; offered where it helps (see ``offers``)."""

from __future__ import annotations

from bot.kernel.feature import Command, Feature, FormRoute
from bot.resources import chat, offers, render

share_verb, resources_verb = chat.VERBS
FEATURE = Feature(
    "resources",
    commands=(Command(share_verb, chat.share), Command(resources_verb, chat.resources)),
    actions={
        render.HELPFUL: chat.helpful_button,
        render.UNHELPFUL: chat.unhelpful_button,
        render.REMOVE: chat.remove_button,
    },
    forms={chat.SHARE_FORM: FormRoute(chat.submit_share, chat.share_form)},
    export=offers.export,
    forget=offers.forget,
)
