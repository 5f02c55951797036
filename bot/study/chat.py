"""The ``study`` verb: start a cycle, share its plan, book the research lesson, post notes on what
students did, propose a revision, and see where a cycle is."""

from __future__ import annotations

from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx
from bot.kernel.errors import UserError
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Message, said, text_message
from bot.study import notes, overview, plan, start
from bot.study.cycles import cycle_for, split_ref
from bot.study.model import PHASE_NAMES, Phase

VERB = Verb(
    "study",
    N_(
        "study [list] | start NAME [with PEOPLE] | show [#N] | plan [#N] | book [#N] | "
        "note [#N] TEXT | revise [#N] TEXT | done [#N]"
    ),
    N_(
        "Lesson study: plan a research lesson as a group, observe the students, debrief and revise."
    ),
    examples=(
        N_("study start Fractions talk with Ben Okafor, Cora Diaz, Dan Wu"),
        "study plan",  # not translated: a command exactly as typed
        "study book #2",  # not translated: a command exactly as typed
        N_("study note #2 Table 3 compared methods out loud before writing"),
        N_("study revise Give pairs a minute to talk before they write"),
    ),
)


def study(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    action, _space, rest = cmd.rest.strip().partition(" ")
    action = action.lower() or "list"
    ref, text = split_ref(rest)
    if action == "list":
        return overview.list_cycles(ctx, member)
    if action == "start":
        return start.start(ctx, member, rest)
    if action == "show":
        return overview.show(ctx, member, ref or (text or None))
    if action == "plan":
        return [plan.plan_message(ctx, cycle_for(ctx, member, ref or (text or None)))]
    if action == "book":
        return plan.open_booking(ctx, ref or text)
    if action == "note":
        return notes.post_note(ctx, member, ref, text)
    if action == "revise":
        return notes.revise(ctx, member, ref, text)
    if action == "done":
        return _done(ctx, ref or (text or None))
    raise usage_error("study", _("I don't know `study {action}`.").format(action=said(action)))


def _done(ctx: Ctx, ref: str | None) -> list[Message]:
    member = ctx.require_member()
    cycle = cycle_for(ctx, member, ref, lock=True)
    if cycle.phase is not Phase.RETEACH:
        raise UserError(
            _(
                "*{name}* is in its {phase} phase: a cycle ends after its revisions are in "
                "(the reteach is optional)."
            ).format(name=said(cycle.name), phase=_(PHASE_NAMES[cycle.phase]))
        )
    cycle.phase = Phase.DONE
    ctx.repos.study.save_cycle(cycle)
    return [
        text_message(
            _("*{name}* is finished. Thank you for studying it together.").format(
                name=said(cycle.name)
            )
        )
    ]
