"""The ``study`` verb: start a cycle, share its plan, book the research lesson, post notes on what
students did, propose a revision, and see where a cycle is."""

from __future__ import annotations

from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx
from bot.kernel.errors import UserError
from bot.kernel.messages import Message, said, text_message
from bot.study import notes, overview, plan, start
from bot.study.cycles import cycle_for, split_ref
from bot.study.model import Phase

VERB = Verb(
    "study",
    "study [list] | start NAME [with PEOPLE] | show [#N] | plan [#N] | book [#N] | "
    "note [#N] TEXT | revise [#N] TEXT | done [#N]",
    "Lesson study: plan a research lesson as a group, observe the students, debrief and revise.",
    examples=(
        "study start Fractions talk with Ben Okafor, Cora Diaz, Dan Wu",
        "study plan",
        "study book #2",
        "study note #2 Table 3 compared methods out loud before writing",
        "study revise Give pairs a minute to talk before they write",
    ),
)


def study(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    action, _, rest = cmd.rest.strip().partition(" ")
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
    raise usage_error("study", f"I don't know `study {said(action)}`.")


def _done(ctx: Ctx, ref: str | None) -> list[Message]:
    member = ctx.require_member()
    cycle = cycle_for(ctx, member, ref, lock=True)
    if cycle.phase is not Phase.RETEACH:
        raise UserError(
            f"*{said(cycle.name)}* is in its {cycle.phase.value} phase: a cycle ends after its "
            "revisions are in (the reteach is optional)."
        )
    cycle.phase = Phase.DONE
    ctx.repos.study.save_cycle(cycle)
    return [text_message(f"*{said(cycle.name)}* is finished. Thank you for studying it together.")]
