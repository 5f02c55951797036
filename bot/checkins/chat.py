"""The check-in's buttons and verbs: one tap to answer, snooze or skip; a look back.

When the check-ins are sent is ``schedule.py``, what they say is ``message.py``, the scheduler's job
that sends them is ``planner.py``, and a coordinator's counts (``checkins``) are ``stats.py``.
"""

from __future__ import annotations

from bot.calendar.chat import for_program
from bot.checkins.answers import group_of, mentees_of, own_checkin
from bot.checkins.message import (
    answer_button,
    checkin_message,
    goal_label,
    goal_of,
    support_button,
)
from bot.checkins.model import Checkin, CheckinStatus
from bot.checkins.ports import Suggester
from bot.checkins.questions import choice_label, shown
from bot.checkins.schedule import iso_week, tomorrow_at_checkin_time, week_of, zone
from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, Program
from bot.kernel.errors import UserError
from bot.kernel.i18n import N_, _, clock, when
from bot.kernel.messages import Actions, Button, Message, Section, text_message
from bot.kernel.parsing import whole_number

VERBS = (
    Verb(
        "checkin",
        "checkin [history]",
        N_("Your weekly check-in: answer this week's again, or see your past answers."),
        examples=("checkin", "checkin history"),  # not translated: commands, typed as they are
    ),
    Verb(
        "checkins",
        "checkins [PROGRAM]",
        N_(
            "Check-in participation and confidence for a program: counts and averages, "
            "never private text."
        ),
        coordinator_only=True,
        # Translators: only the program's name may change; the command word stays `checkins`.
        examples=("checkins", N_('checkins "New Teacher Mentoring"')),
    ),
)


# --- the buttons ------------------------------------------------------------------------------------


def _program_of(ctx: Ctx, checkin: Checkin) -> Program:
    program = ctx.repos.programs.get(checkin.program_id)
    if program is None:
        raise UserError(_("That program no longer exists."))
    return program


def rate(ctx: Ctx, value: str) -> list[Message]:
    member, checkin = own_checkin(ctx, value)
    rating = value.split(":", 1)[1] if ":" in value else ""
    confidence = whole_number(rating, 1, 5)
    if confidence is None:
        raise UserError(_("Please pick a number from 1 to 5."))
    changed = checkin.confidence is not None
    checkin.confidence = confidence
    checkin.goal = goal_of(member)
    checkin.status = CheckinStatus.ANSWERED
    checkin.answered_at = ctx.now
    ctx.repos.checkins.save(checkin)
    earlier = [
        c
        for c in ctx.repos.checkins.for_member(checkin.member_id)
        if c.week < checkin.week and c.confidence and c.goal in (None, checkin.goal)
    ]
    trend = _compared(confidence, earlier[0].confidence if earlier else None, changed)
    goal = goal_label(goal_of(member))
    text = (
        _("Updated: {rating}/5 on “{goal}”.") if changed else _("Thanks: {rating}/5 on “{goal}”.")
    ).format(rating=confidence, goal=goal)
    if trend:
        text += " " + trend
    return [
        Message(
            text=text,
            blocks=(
                Section(text),
                Actions(
                    (
                        answer_button(checkin),
                        Button(_("Write a reflection"), "checkin.reflect", value=str(checkin.id)),
                        support_button(checkin),
                    )
                ),
            ),
        )
    ]


def _compared(confidence: int, before: int | None, changed: bool) -> str:
    """How this answer sits beside the last one; a first answer is called the first once it is given,
    never promised in the check-in before it (a change of mind on the same week is no news)."""
    if before is None:
        return (
            ""
            if changed
            else _("That's your first answer on record; next time I'll show you how it compares.")
        )
    if confidence > before:
        return _("That's up from {rating}/5 last time. 🎉").format(rating=before)
    if confidence == before:
        return _("Same as last time.")
    return _("Last time it was {rating}/5; a harder week happens to everyone.").format(
        rating=before
    )


def snooze(ctx: Ctx, value: str) -> list[Message]:
    member, checkin = own_checkin(ctx, value)
    if checkin.status is CheckinStatus.ANSWERED:
        return [text_message(_("You've already answered this week's check-in. Thank you!"))]
    if checkin.snoozed_at is not None or checkin.status is not CheckinStatus.SENT:
        return [
            text_message(
                _("This check-in was already snoozed once; answer or skip it when you can.")
            )
        ]
    program = _program_of(ctx, checkin)
    calendar = for_program(ctx.repos.calendar.for_program(program.id), program)
    checkin.due_at = tomorrow_at_checkin_time(program, member, ctx.now, calendar)
    checkin.status = CheckinStatus.SNOOZED
    checkin.snoozed_at = ctx.now
    ctx.repos.checkins.save(checkin)
    due = checkin.due_at.astimezone(zone(member))
    return [
        text_message(
            _("Snoozed. I'll ask again {weekday} at {time} your time.").format(
                weekday=when(due, "weekday"), time=clock(due)
            )
        )
    ]


def skip(ctx: Ctx, value: str) -> list[Message]:
    _member, checkin = own_checkin(ctx, value)
    if checkin.status is CheckinStatus.ANSWERED:
        return [text_message(_("You've already answered this week's check-in; nothing to skip."))]
    checkin.status = CheckinStatus.SKIPPED
    ctx.repos.checkins.save(checkin)
    return [text_message(_("No problem, this week is skipped. See you next week."))]


def reflect_button(ctx: Ctx, value: str) -> list[Message]:
    from bot.reflections import chat as reflections

    _member, checkin = own_checkin(ctx, value)
    return reflections.open_form(ctx, checkin_id=checkin.id, program_id=checkin.program_id)


# --- the verbs -----------------------------------------------------------------------------------------


def checkin(ctx: Ctx, cmd: ParsedCommand, *, suggest: Suggester | None = None) -> list[Message]:
    member = ctx.require_member()
    assert member.id is not None
    history = ctx.repos.checkins.for_member(member.id, limit=12)
    if cmd.args and cmd.args[0].lower() == "history":
        return [history_message(ctx, member, history)]
    if cmd.args:
        raise usage_error("checkin", _("I don't know `checkin {what}`.").format(what=cmd.args[0]))
    open_ones = [c for c in history if c.status in (CheckinStatus.SENT, CheckinStatus.SNOOZED)]
    if not open_ones:
        return [_nothing_waiting(ctx, member, history)]
    current = open_ones[0]
    program = _program_of(ctx, current)
    existing = {(c.member_id, c.week): c for c in history if c.program_id == current.program_id}
    message = checkin_message(
        ctx.repos,
        program,
        member,
        current,
        existing,
        suggest=suggest,
        mentees=mentees_of(ctx, member, current),
        group=group_of(ctx, member, current),
    )
    if current.status is not CheckinStatus.SNOOZED:
        return [Message(text=message.text, blocks=message.blocks, ephemeral=True)]
    due = current.due_at.astimezone(zone(member))
    note = _(
        "You snoozed this one: I'll bring it back {weekday} at {time} your time. "
        "Answer now if you like."
    ).format(weekday=when(due, "weekday"), time=clock(due))
    return [
        Message(
            text=f"{note}\n{message.text}", blocks=(Section(note), *message.blocks), ephemeral=True
        )
    ]


def _nothing_waiting(ctx: Ctx, member: Member, history: list[Checkin]) -> Message:
    """This week's answered: say so, with the button that changes the answers; else nothing waits."""
    latest = history[0] if history else None
    this_week = iso_week(ctx.now.astimezone(zone(member)).date())
    if latest is None or latest.status is not CheckinStatus.ANSWERED or latest.week != this_week:
        return text_message(
            _("No check-in is waiting for you right now. `checkin history` shows your answers.")
        )
    text = (
        _(
            "You've answered this week's check-in: {rating}/5 on “{goal}”. Thank you! "
            "You can change your answers."
        ).format(rating=latest.confidence, goal=goal_label(latest.goal))
        if latest.confidence
        else _("You've answered this week's check-in. Thank you! You can change your answers.")
    )
    return Message(text=text, blocks=(Section(text), Actions((answer_button(latest),))))


def history_message(ctx: Ctx, member: Member, history: list[Checkin]) -> Message:
    """Your check-ins by date ("week of 30 Nov"), the confidence trend on each goal, your answers."""
    assert member.id is not None
    if not history:
        return text_message(
            _("No check-ins yet. Your first arrives on your program's check-in day.")
        )
    names = {p.id: p.name for p in ctx.repos.programs.list()}
    answers: dict[int, list[str]] = {}
    for answer in ctx.repos.checkins.answers(member.id):
        answers.setdefault(answer.checkin_id, []).append(
            f"{shown(answer.question)} {choice_label(answer.value)}"
        )
    lines = []
    for c in history:
        status = _STATUS_WORDS.get(c.status)
        said = f"{c.confidence}/5" if c.confidence else _(status) if status else c.status.value
        lines.append(f"{week_of(c.week)} · {names.get(c.program_id, '?')}: {said}")
        lines.extend(f"    {a}" for a in answers.get(c.id or 0, []))
    trends: dict[str, list[int]] = {}
    for c in reversed(history):
        if c.confidence:
            trends.setdefault(goal_label(c.goal or goal_of(member)), []).append(c.confidence)
    trend_lines = [
        f"“{goal}”: {' → '.join(str(n) for n in ratings)}" for goal, ratings in trends.items()
    ]
    text = _("Your check-ins:") + "\n" + "\n".join(lines)
    if trend_lines:
        text = _("Confidence over the weeks:") + "\n" + "\n".join(trend_lines) + "\n\n" + text
    return Message(text=text, blocks=(Section(text),))


_STATUS_WORDS = {
    CheckinStatus.SENT: N_("not answered"),
    CheckinStatus.ANSWERED: N_("answered"),
    CheckinStatus.SNOOZED: N_("snoozed"),
    CheckinStatus.SKIPPED: N_("skipped"),
    CheckinStatus.MISSED: N_("not sent (we were down)"),
}
