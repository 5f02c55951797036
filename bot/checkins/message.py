"""What a check-in says: the weekly question, the one reminder, and the keys that make each go once.

The keys are per (program, member, ISO week): a second run of the planner, in another process or after
a crash, writes the same key and the outbox keeps one message.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.checkins.model import Checkin
from bot.checkins.ports import Suggester
from bot.checkins.schedule import iso_week, week_monday, week_of
from bot.kernel.domain import Member, Program
from bot.kernel.messages import Actions, Block, Button, Context, Message, Section
from bot.kernel.ports import Scope

log = logging.getLogger(__name__)

SCALE = ("1 · not yet", "2", "3", "4", "5 · very")

MAX_SUGGESTION_BLOCKS = 2


def suggestions(
    repos: Scope, member: Member, topic: str, suggest: Suggester | None
) -> tuple[Block, ...]:
    """What the suggester offers for the topic, capped; a failing suggester never blocks a check-in."""
    if suggest is None:
        return ()
    try:
        return tuple(suggest(repos, member, topic))[:MAX_SUGGESTION_BLOCKS]
    except Exception:
        log.exception("resource suggester %r failed; check-in sent without it", suggest)
        return ()


def checkin_key(checkin: Checkin) -> str:
    return f"checkin:{checkin.program_id}:{checkin.member_id}:{checkin.week}"


def reminder_key(checkin: Checkin) -> str:
    return f"checkin-reminder:{checkin.program_id}:{checkin.member_id}:{checkin.week}"


def resend_key(checkin: Checkin) -> str:
    """The one re-send after a snooze: its own key, so it goes even though the first one went."""
    return checkin_key(checkin) + ":snoozed"


def goal_of(member: Member) -> str:
    return member.goals[0] if member.goals else "your teaching"


def first_name(member: Member) -> str:
    return member.display_name.split()[0] if member.display_name.strip() else "there"


def _previous_answer(checkin: Checkin, existing: dict[tuple[int, str], Checkin]) -> Checkin | None:
    monday = week_monday(checkin.week)
    for back in (7, 14):
        found = existing.get((checkin.member_id, iso_week(monday - timedelta(days=back))))
        if found is not None and found.confidence is not None:
            return found
    return None


def _rating_buttons(checkin: Checkin) -> Actions:
    return Actions(
        tuple(
            Button(
                label,
                "checkin.rate",
                value=f"{checkin.id}:{n}",
                description=f"My confidence this week: {n} out of 5",
            )
            for n, label in enumerate(SCALE, 1)
        )
    )


def checkin_message(
    repos: Scope,
    program: Program,
    member: Member,
    checkin: Checkin,
    existing: dict[tuple[int, str], Checkin] | None = None,
    *,
    again: bool = False,
    suggest: Suggester | None = None,
) -> Message:
    """The check-in DM: goal, last week's answer, 1-5 buttons, the program's questions, one-tap options."""
    assert checkin.id is not None
    goal = goal_of(member)
    previous = _previous_answer(checkin, existing or {})
    opener = (
        f"Hi {first_name(member)}, here is your check-in again, as you asked."
        if again
        else f"Hi {first_name(member)}! Your weekly {program.name} check-in (under a minute)."
    )
    goal_line = (
        f"Your goal: “{goal}”." if member.goals else "You haven't set a goal yet (`goals add ...`)."
    )
    # Before a first answer there is nothing to look back on, and nothing is said about it: the
    # reply to that first answer is where it is called the first.
    last_line = f"Last week you said {previous.confidence}/5." if previous is not None else ""
    question = f"How confident do you feel about “{goal}” this week?"
    text = f"{opener}\n{goal_line}{' ' + last_line if last_line else ''}\n{question} (1-5)"
    blocks: list[Block] = [
        Section(f"{opener}\n{goal_line}" + (f"\n_{last_line}_" if last_line else "")),
        Section(f"*{question}*"),
        _rating_buttons(checkin),
    ]
    if program.questions:
        asks = "\n".join(f"• {q}" for q in program.questions)
        blocks.append(Section(f"This week's questions (answer in a reflection):\n{asks}"))
        text += "\n" + asks
    options = [
        Button("Write a reflection", "checkin.reflect", value=str(checkin.id), style="primary")
    ]
    if checkin.snoozed_at is None and not again:
        options.append(Button("Snooze to tomorrow", "checkin.snooze", value=str(checkin.id)))
    options.append(Button("Skip this week", "checkin.skip", value=str(checkin.id)))
    blocks.append(Actions(tuple(options)))
    blocks.extend(suggestions(repos, member, goal, suggest))
    blocks.append(
        Context("Only you see your answers' text; coordinators see counts. `pause` any time.")
    )
    return Message(text=text, blocks=tuple(blocks), ephemeral=False)


def reminder_message(program: Program, member: Member, checkin: Checkin) -> Message:
    """The one reminder: short, friendly, and the last word on this week's check-in."""
    assert checkin.id is not None
    goal = goal_of(member)
    text = (
        f"A gentle nudge, {first_name(member)}: how confident do you feel about “{goal}” this week? "
        "One tap is enough; this is the only reminder."
    )
    return Message(
        text=text,
        blocks=(
            Section(text),
            _rating_buttons(checkin),
            Actions(
                (
                    Button("Write a reflection", "checkin.reflect", value=str(checkin.id)),
                    Button("Skip this week", "checkin.skip", value=str(checkin.id)),
                )
            ),
            Context(f"{program.name} · {week_of(checkin.week)}"),
        ),
        ephemeral=False,
    )
