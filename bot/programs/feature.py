"""Programs: what coordinators run (who is in, cadence, questions), the roster that fills them, and
the invitations (with their one reminder, and the coordinator's Nudge) that bring its people in."""

from __future__ import annotations

from datetime import timedelta

from bot.kernel.commands import ParsedCommand
from bot.kernel.context import Ctx
from bot.kernel.feature import Command, Feature, FormRoute, PeriodicJob
from bot.kernel.messages import Form
from bot.programs import chat, reminders, roster


def _rebuild_roster(ctx: Ctx, _state: str) -> Form:
    form = roster.roster(ctx, ParsedCommand(verb="roster", args=("import",)))[0].form
    assert form is not None
    return form


FEATURE = Feature(
    "programs",
    commands=(Command(chat.VERB, chat.program), Command(roster.VERB, roster.roster)),
    actions={reminders.NUDGE_ACTION: reminders.nudge_pressed},
    forms={roster.ROSTER_FORM: FormRoute(roster.submit_roster, _rebuild_roster)},
    jobs=(PeriodicJob("invitations.remind", reminders.send_due_reminders, timedelta(minutes=15)),),
)
