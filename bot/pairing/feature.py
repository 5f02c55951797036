"""Pairing: mentors with newer teachers and small peer groups, in rounds on each program's cadence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from bot.kernel.feature import Command, Feature, PeriodicJob
from bot.pairing import chat, home, privacy
from bot.pairing.intro import IntroductionExtra
from bot.pairing.meeting import TIME_ACTION, time_pressed
from bot.pairing.rematch import REMATCH_ACTION


def build(*, introduction_extras: Sequence[IntroductionExtra] = ()) -> Feature:
    """``introduction_extras``: blocks other features add to every introduction (resources)."""
    from bot.pairing.scheduled import run_due_pairing_rounds

    extras = tuple(introduction_extras)
    return Feature(
        "pairing",
        commands=(Command(chat.VERB, partial(chat.pair, extras=extras)),),
        actions={
            "pairing.met": partial(chat.met_button, extras=extras),
            chat.CANT_WHY_ACTION: chat.cant_why_button,
            REMATCH_ACTION: partial(chat.rematch_pressed, extras=extras),
            TIME_ACTION: time_pressed,
        },
        jobs=(
            PeriodicJob(
                "pairing.rounds",
                partial(run_due_pairing_rounds, extras=extras),
                timedelta(minutes=15),
            ),
        ),
        home_sections=(home.pairing_section,),
        export=privacy.export_pairings,
        forget=privacy.forget_pairings,
    )
