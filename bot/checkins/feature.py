"""Check-ins: the weekly one-tap question, in each teacher's own time zone."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from bot.checkins import answers, chat, home, planner, privacy, stats, support
from bot.checkins.ports import Suggester
from bot.kernel.feature import Command, Feature, FormRoute, PeriodicJob


def build(*, suggest: Suggester | None = None) -> Feature:
    """``suggest``: what colleagues shared on the teacher's goal, offered in the check-in."""
    checkin, checkins = chat.VERBS
    return Feature(
        "checkins",
        commands=(
            Command(checkin, partial(chat.checkin, suggest=suggest)),
            Command(checkins, stats.checkins_stats),
            Command(support.VERB, support.support_command),
        ),
        actions={
            "checkin.rate": chat.rate,
            "checkin.snooze": chat.snooze,
            "checkin.skip": chat.skip,
            "checkin.reflect": chat.reflect_button,
            "checkin.answer": answers.open_answers,
            "checkin.talked": answers.talked,
            "checkin.support": support.support_button,
            "support.send": support.send,
        },
        forms={answers.FORM_ID: FormRoute(answers.submit_answers, answers.rebuild)},
        home_sections=(home.checkins_section,),
        jobs=(
            PeriodicJob(
                "checkins.plan",
                partial(planner.send_due_checkins, suggest=suggest),
                timedelta(minutes=1),
            ),
        ),
        export=privacy.export_checkins,
        forget=privacy.forget_answers,
    )
