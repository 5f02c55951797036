"""Peer observation: ask a colleague to observe a lesson, through to structured feedback."""

from __future__ import annotations

from datetime import timedelta

from bot.kernel.feature import Command, Feature, FormRoute, PeriodicJob
from bot.observations import (
    asking,
    cancel,
    chat,
    feedback,
    home,
    privacy,
    reflection,
    request,
    thanks,
)
from bot.observations.lifecycle import advance_observation_requests

observe_verb, free_verb = chat.VERBS
FEATURE = Feature(
    "observations",
    commands=(Command(observe_verb, chat.observe), Command(free_verb, chat.free)),
    actions={
        "home.observe": home.open_observation_request,
        request.PICK: chat.pick,
        request.IN_TURN: chat.in_turn,
        request.TELL_COORDINATOR: chat.tell_coordinator,
        asking.ACCEPT: chat.accept,
        asking.DECLINE: chat.decline,
        cancel.CANCEL: chat.cancel_button,
        feedback.GIVE_FEEDBACK: chat.feedback_button,
        feedback.SHARE: chat.share,
        feedback.REFLECT: chat.reflect,
        thanks.THANK: chat.thank,
    },
    forms={
        request.REQUEST_FORM: FormRoute(chat.submit_request, chat.rebuild_request),
        feedback.FEEDBACK_FORM: FormRoute(chat.submit_feedback, chat.rebuild_feedback),
        reflection.REFLECTION_FORM: FormRoute(chat.submit_reflection, chat.rebuild_reflection),
        thanks.THANKS_FORM: FormRoute(chat.submit_thanks, chat.rebuild_thanks),
    },
    jobs=(
        PeriodicJob("observations.advance", advance_observation_requests, timedelta(minutes=15)),
    ),
    export=privacy.export_observations,
    home_sections=(home.observations_section,),
    home_buttons=(home.observe_button,),
    forget=privacy.forget_observations,
)
