"""Programs: what coordinators run (who is in, cadence, questions) and the roster that fills them."""

from __future__ import annotations

from bot.kernel.commands import ParsedCommand
from bot.kernel.context import Ctx
from bot.kernel.feature import Command, Feature, FormRoute
from bot.kernel.messages import Form
from bot.programs import chat, roster


def _rebuild_roster(ctx: Ctx, _state: str) -> Form:
    form = roster.roster(ctx, ParsedCommand(verb="roster", args=("import",)))[0].form
    assert form is not None
    return form


FEATURE = Feature(
    "programs",
    commands=(Command(chat.VERB, chat.program), Command(roster.VERB, roster.roster)),
    forms={roster.ROSTER_FORM: FormRoute(roster.submit_roster, _rebuild_roster)},
)
