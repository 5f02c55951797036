"""``checkins [PROGRAM]``: what a coordinator may know of a program's check-ins and reflections.

Counts and an average, never text, and only what the shared privacy rule (``bot.kernel.aggregates``)
lets through: in a program of three, "average confidence 3.7/5" is one teacher's rating for anyone who
knows the other two's, and "1 on the wall" names the author of an anonymous post. Each figure is
measured against the distinct people behind it, and a withheld one takes its counts with it.
"""

from __future__ import annotations

from datetime import timedelta

from bot.checkins.model import Checkin, CheckinStatus
from bot.kernel.aggregates import WITHHELD, may_show
from bot.kernel.commands import ParsedCommand
from bot.kernel.context import Ctx, program_named
from bot.kernel.domain import Program
from bot.kernel.messages import Context, Message, Section

WINDOW = timedelta(weeks=4)


def checkins_stats(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    """One line a program: check-ins sent and answered, average confidence, reflection counts."""
    ctx.require_coordinator()
    name = " ".join(cmd.args).strip()
    programs = [program_named(ctx, name)] if name else ctx.repos.programs.list()
    text = "\n".join(_program_line(ctx, program) for program in programs) or "No programs yet."
    return [
        Message(
            text=text,
            blocks=(
                Section(text),
                Context(
                    "Counts only: reflections stay with the people who wrote them, and a figure "
                    "that rests on fewer than 5 people is withheld."
                ),
            ),
        )
    ]


def _program_line(ctx: Ctx, program: Program) -> str:
    assert program.id is not None
    rows = [
        c
        for c in ctx.repos.checkins.for_program(program.id, ctx.now - WINDOW)
        if c.status is not CheckinStatus.MISSED
    ]
    members = len(ctx.repos.memberships.for_program(program.id))
    return (
        f"*{program.name}* (last 4 weeks): {_checkin_figures(rows)}; "
        f"reflections: {_reflection_figures(ctx, program.id, members)}."
    )


def _checkin_figures(rows: list[Checkin]) -> str:
    """Sent and answered (a response rate: participation) need five people sent a check-in; the
    average needs five people who answered, however many answers each gave."""
    if not rows:
        return "no check-ins sent"
    if not may_show(len({c.member_id for c in rows})):
        return f"check-ins {WITHHELD}"
    answered = [c for c in rows if c.confidence is not None]
    average = (
        f"{sum(c.confidence or 0 for c in answered) / len(answered):.1f}/5"
        if may_show(len({c.member_id for c in answered}))
        else WITHHELD
    )
    return (
        f"{len(rows)} check-ins sent, {len(answered)} answered "
        f"({len(answered) * 100 // len(rows)}%), average confidence {average}"
    )


def _reflection_figures(ctx: Ctx, program_id: int, members: int) -> str:
    """How many reflections were kept private, shared or posted: in a small program, which teacher
    wrote the anonymous wall post."""
    if not may_show(members):
        return WITHHELD
    shared = ctx.repos.reflections.counts(program_id)
    return (
        f"{shared['private']} private, {shared['mentor']} shared with mentors or groups, "
        f"{shared['wall']} on the wall"
    )
