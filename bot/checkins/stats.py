"""``checkins [PROGRAM]``: what a coordinator may know of a program's check-ins and reflections.

Counts and an average, never text, and only what the shared privacy rule (``bot.kernel.aggregates``)
lets through: in a program of three, "average confidence 3.7/5" is one teacher's rating for anyone who
knows the other two's, and "1 on the wall" names the author of an anonymous post. Each figure is
measured against the distinct people behind it, and a withheld one takes its counts with it.

The figures are the last four *closed* weeks, read from the same frozen weeks as the digest
(``bot.digest.frozen``): asking twice, before and after one teacher answers, tells nothing.
"""

from __future__ import annotations

from bot.digest.frozen import question_figures, week_figures
from bot.digest.model import CheckinFigures
from bot.digest.questions import describe, question_lines
from bot.digest.weeks import week_just_ended
from bot.kernel.aggregates import WITHHELD, may_show
from bot.kernel.commands import ParsedCommand
from bot.kernel.context import Ctx, program_named
from bot.kernel.domain import Program
from bot.kernel.i18n import _, ngettext, number, percent
from bot.kernel.messages import Context, Message, Section

WEEKS = 4


def checkins_stats(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    """One line a program: check-ins sent and answered, average confidence, reflection counts."""
    ctx.require_coordinator()
    name = " ".join(cmd.args).strip()
    programs = [program_named(ctx, name)] if name else ctx.repos.programs.list()
    text = "\n".join(
        _program_line(ctx, program) + _question_lines(ctx, program) for program in programs
    ) or _("No programs yet.")
    return [
        Message(
            text=text,
            blocks=(
                Section(text),
                Context(
                    _(
                        "Counts only: reflections and written answers stay with the people who "
                        "wrote them, and a figure that rests on fewer than 5 people is withheld."
                    )
                ),
            ),
        )
    ]


def _program_line(ctx: Ctx, program: Program) -> str:
    assert program.id is not None
    weeks = week_just_ended(ctx.now, program.timezone).previous(WEEKS)
    figures = [f.total for f in week_figures(ctx.repos.digest, program, weeks, ctx.now).values()]
    members = len(ctx.repos.memberships.for_program(program.id))
    return ngettext(
        "*{program}* (last week): {checkins}; reflections: {reflections}.",
        "*{program}* (last {n} weeks): {checkins}; reflections: {reflections}.",
        WEEKS,
    ).format(
        program=program.name,
        n=WEEKS,
        checkins=_checkin_figures(figures),
        reflections=_reflection_figures(ctx, program.id, members),
    )


def _checkin_figures(weeks: list[CheckinFigures]) -> str:
    """Sent and answered (a response rate: participation) count the weeks in which five or more
    people were sent a check-in; the average, the weeks with five or more answers (one a person)."""
    counted = [w for w in weeks if w.sent and may_show(w.people)]
    if not any(w.sent for w in weeks):
        return _("no check-ins sent")
    if not counted:
        return _("check-ins {withheld}").format(withheld=_(WITHHELD))
    sent = sum(w.sent for w in counted)
    answered = sum(w.answered for w in counted)
    rated = [w for w in counted if may_show(w.confidence_count)]
    average = (
        number(
            sum(w.confidence_sum for w in rated) / sum(w.confidence_count for w in rated), digits=1
        )
        + "/5"
        if rated
        else _(WITHHELD)
    )
    return ngettext(
        "{sent} check-in sent, {answered} answered ({rate}), average confidence {average}",
        "{sent} check-ins sent, {answered} answered ({rate}), average confidence {average}",
        sent,
    ).format(
        sent=sent, answered=answered, rate=percent(answered * 100 // sent / 100), average=average
    )


def _reflection_figures(ctx: Ctx, program_id: int, members: int) -> str:
    """How many reflections were kept private, shared or posted: in a small program, which teacher
    wrote the anonymous wall post."""
    if not may_show(members):
        return _(WITHHELD)
    shared = ctx.repos.reflections.counts(program_id)
    return _(
        "{private} private, {shared} shared with mentors or groups, {wall} on the wall"
    ).format(private=shared["private"], shared=shared["mentor"], wall=shared["wall"])


def _question_lines(ctx: Ctx, program: Program) -> str:
    """Each of the program's questions over the last closed weeks: how many answered it, and for a
    choice or a scale how the answers spread; never a word of a text answer, nothing under the
    floor, and from the same frozen weeks as the digest."""
    weeks = week_just_ended(ctx.now, program.timezone).previous(WEEKS)
    figures = question_figures(ctx.repos.digest, program, weeks, ctx.now)
    lines = [f"• {describe(line)}" for line in question_lines(figures.values())]
    return "\n" + "\n".join(lines) if lines else ""
