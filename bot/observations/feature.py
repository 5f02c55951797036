"""Peer observation: ask a colleague to observe a lesson, through to structured feedback."""

from __future__ import annotations

from datetime import timedelta

from bot.kernel.feature import Command, Feature, FormRoute, PeriodicJob
from bot.observations import chat, privacy
from bot.observations.jobs import advance_observation_requests

observe_verb, free_verb = chat.VERBS
FEATURE = Feature(
    "observations",
    commands=(Command(observe_verb, chat.observe), Command(free_verb, chat.free)),
    actions={
        chat.PICK: chat.pick,
        chat.IN_TURN: chat.in_turn,
        chat.TELL_COORDINATOR: chat.tell_coordinator,
        chat.ACCEPT: chat.accept,
        chat.DECLINE: chat.decline,
        chat.CANCEL: chat.cancel_button,
        chat.GIVE_FEEDBACK: chat.feedback_button,
        chat.SHARE: chat.share,
        chat.REFLECT: chat.reflect,
    },
    forms={
        chat.REQUEST_FORM: FormRoute(chat.submit_request, chat.rebuild_request),
        chat.FEEDBACK_FORM: FormRoute(chat.submit_feedback, chat.rebuild_feedback),
        chat.REFLECTION_FORM: FormRoute(chat.submit_reflection, chat.rebuild_reflection),
    },
    jobs=(
        PeriodicJob("observations.advance", advance_observation_requests, timedelta(minutes=15)),
    ),
    export=privacy.export_observations,
    forget=privacy.forget_observations,
)
