"""The check-in's buttons and verbs: one tap to answer, snooze or skip; a look back.

When the check-ins are sent is ``schedule.py``, what they say is ``message.py``, the scheduler's job
that sends them is ``planner.py``, and a coordinator's counts (``checkins``) are ``stats.py``.
"""

from __future__ import annotations

from bot.calendar.chat import for_program
from bot.checkins.answers import group_of, mentees_of, own_checkin
from bot.checkins.message import answer_button, checkin_message, goal_of, support_button
from bot.checkins.model import Checkin, CheckinStatus
from bot.checkins.ports import Suggester
from bot.checkins.schedule import iso_week, tomorrow_at_checkin_time, week_of, zone
from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, Program
from bot.kernel.errors import UserError
from bot.kernel.messages import Actions, Button, Message, Section, text_message
from bot.kernel.parsing import whole_number

VERBS = (
    Verb(
        "checkin",
        "checkin [history]",
        "Your weekly check-in: answer this week's again, or see your past answers.",
        examples=("checkin", "checkin history"),
    ),
    Verb(
        "checkins",
        "checkins [PROGRAM]",
        "Check-in participation and confidence for a program: counts and averages, never private text.",
        coordinator_only=True,
        examples=("checkins", 'checkins "New Teacher Mentoring"'),
    ),
)


# --- the buttons ------------------------------------------------------------------------------------


def _program_of(ctx: Ctx, checkin: Checkin) -> Program:
    program = ctx.repos.programs.get(checkin.program_id)
    if program is None:
        raise UserError("That program no longer exists.")
    return program


def rate(ctx: Ctx, value: str) -> list[Message]:
    member, checkin = own_checkin(ctx, value)
    rating = value.split(":", 1)[1] if ":" in value else ""
    confidence = whole_number(rating, 1, 5)
    if confidence is None:
        raise UserError("Please pick a number from 1 to 5.")
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
    text = f"{'Updated' if changed else 'Thanks'}: {rating}/5 on “{goal_of(member)}”.{trend}"
    return [
        Message(
            text=text,
            blocks=(
                Section(text),
                Actions(
                    (
                        answer_button(checkin),
                        Button("Write a reflection", "checkin.reflect", value=str(checkin.id)),
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
            else " That's your first answer on record; next time I'll show you how it compares."
        )
    if confidence > before:
        return f" That's up from {before}/5 last time. 🎉"
    if confidence == before:
        return " Same as last time."
    return f" Last time it was {before}/5; a harder week happens to everyone."


def snooze(ctx: Ctx, value: str) -> list[Message]:
    member, checkin = own_checkin(ctx, value)
    if checkin.status is CheckinStatus.ANSWERED:
        return [text_message("You've already answered this week's check-in. Thank you!")]
    if checkin.snoozed_at is not None or checkin.status is not CheckinStatus.SENT:
        return [
            text_message("This check-in was already snoozed once; answer or skip it when you can.")
        ]
    program = _program_of(ctx, checkin)
    calendar = for_program(ctx.repos.calendar.for_program(program.id), program)
    checkin.due_at = tomorrow_at_checkin_time(program, member, ctx.now, calendar)
    checkin.status = CheckinStatus.SNOOZED
    checkin.snoozed_at = ctx.now
    ctx.repos.checkins.save(checkin)
    when = checkin.due_at.astimezone(zone(member))
    return [text_message(f"Snoozed. I'll ask again {when:%A at %H:%M} your time.")]


def skip(ctx: Ctx, value: str) -> list[Message]:
    _member, checkin = own_checkin(ctx, value)
    if checkin.status is CheckinStatus.ANSWERED:
        return [text_message("You've already answered this week's check-in; nothing to skip.")]
    checkin.status = CheckinStatus.SKIPPED
    ctx.repos.checkins.save(checkin)
    return [text_message("No problem, this week is skipped. See you next week.")]


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
        raise usage_error("checkin", f"I don't know `checkin {cmd.args[0]}`.")
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
    when = current.due_at.astimezone(zone(member))
    note = (
        f"You snoozed this one: I'll bring it back {when:%A at %H:%M} your time. "
        "Answer now if you like."
    )
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
            "No check-in is waiting for you right now. `checkin history` shows your answers."
        )
    rated = f": {latest.confidence}/5 on “{latest.goal}”" if latest.confidence else ""
    text = f"You've answered this week's check-in{rated}. Thank you! You can change your answers."
    return Message(text=text, blocks=(Section(text), Actions((answer_button(latest),))))


def history_message(ctx: Ctx, member: Member, history: list[Checkin]) -> Message:
    """Your check-ins by date ("week of 30 Nov"), the confidence trend on each goal, your answers."""
    assert member.id is not None
    if not history:
        return text_message("No check-ins yet. Your first arrives on your program's check-in day.")
    names = {p.id: p.name for p in ctx.repos.programs.list()}
    answers: dict[int, list[str]] = {}
    for answer in ctx.repos.checkins.answers(member.id):
        answers.setdefault(answer.checkin_id, []).append(f"{answer.question} {answer.value}")
    lines = []
    for c in history:
        said = f"{c.confidence}/5" if c.confidence else _STATUS_WORDS.get(c.status, c.status.value)
        lines.append(f"{week_of(c.week)} · {names.get(c.program_id, '?')}: {said}")
        lines.extend(f"    {a}" for a in answers.get(c.id or 0, []))
    trends: dict[str, list[int]] = {}
    for c in reversed(history):
        if c.confidence:
            trends.setdefault(c.goal or goal_of(member), []).append(c.confidence)
    trend_lines = [
        f"“{goal}”: {' → '.join(str(n) for n in ratings)}" for goal, ratings in trends.items()
    ]
    text = "Your check-ins:\n" + "\n".join(lines)
    if trend_lines:
        text = "Confidence over the weeks:\n" + "\n".join(trend_lines) + "\n\n" + text
    return Message(text=text, blocks=(Section(text),))


_STATUS_WORDS = {
    CheckinStatus.SENT: "not answered",
    CheckinStatus.ANSWERED: "answered",
    CheckinStatus.SNOOZED: "snoozed",
    CheckinStatus.SKIPPED: "skipped",
    CheckinStatus.MISSED: "not sent (we were down)",
}
