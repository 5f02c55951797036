"""What a check-in says: the weekly question, the one reminder, and the keys that make each go once.

The keys are per (program, member, ISO week): a second run of the planner, in another process or after
a crash, writes the same key and the outbox keeps one message.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.checkins.model import Checkin
from bot.checkins.ports import Suggester
from bot.checkins.questions import names_of
from bot.checkins.schedule import iso_week, week_monday, week_of
from bot.kernel.domain import Member, Program
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Actions, Block, Button, Context, Message, Section, said
from bot.kernel.ports import Scope

log = logging.getLogger(__name__)

SCALE = (N_("1 · not yet"), "2", "3", "4", N_("5 · very"))

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


NO_GOAL = N_("your teaching")
"""What a check-in asks confidence about, and stores as its goal, for someone with no goal yet: stored
in English, shown by ``goal_label`` in the reader's language."""


def goal_of(member: Member) -> str:
    return member.goals[0] if member.goals else NO_GOAL


def goal_label(goal: str | None) -> str:
    """A stored goal as the teacher reads it: their own words, or "your teaching" in their language."""
    return _(NO_GOAL) if goal in (None, NO_GOAL) else str(goal)


def first_name(member: Member) -> str:
    # Translators: how "Hi {name}!" greets someone whose name we do not know.
    return member.display_name.split()[0] if member.display_name.strip() else _("there")


def _previous_answer(checkin: Checkin, existing: dict[tuple[int, str], Checkin]) -> Checkin | None:
    monday = week_monday(checkin.week)
    for back in (7, 14):
        found = existing.get((checkin.member_id, iso_week(monday - timedelta(days=back))))
        if found is not None and found.confidence is not None:
            return found
    return None


def answer_button(checkin: Checkin) -> Button:
    """Opens the week's questions: on the check-in and on every reply that follows a tap."""
    return Button(
        _("Answer this week's questions"),
        "checkin.answer",
        value=str(checkin.id),
        style="primary",
        description=_("Open this week's check-in questions to answer them here"),
    )


def support_button(checkin: Checkin) -> Button:
    return Button(_("I'd like some support"), "checkin.support", value=str(checkin.id))


def _rating_buttons(checkin: Checkin) -> Actions:
    return Actions(
        tuple(
            Button(
                _(label),
                "checkin.rate",
                value=f"{checkin.id}:{n}",
                description=_("My confidence this week: {n} out of 5").format(n=n),
            )
            for n, label in enumerate(SCALE, 1)
        )
    )


def talked_question(mentees: list[str]) -> str:
    names = names_of(mentees) if mentees else _("your mentee")
    return _("Did you and {names} talk this week?").format(names=said(names))


def checkin_message(
    repos: Scope,
    program: Program,
    member: Member,
    checkin: Checkin,
    existing: dict[tuple[int, str], Checkin] | None = None,
    *,
    again: bool = False,
    suggest: Suggester | None = None,
    mentees: list[str] | None = None,
    group: list[str] | None = None,
) -> Message:
    """The check-in DM, a few lines: the confidence on the focus goal (a mentor's: did you talk?),
    then one button that opens the program's questions where they are answered, and the one-tap
    options. ``mentees`` is given for a mentor (empty before any pairing), ``group`` for a peer in
    a group (the others' first names): their questions start with whether the group met."""
    assert checkin.id is not None
    opener = (
        _("Hi {name}, here is your check-in again, as you asked.").format(name=first_name(member))
        if again
        else _("Hi {name}! Your weekly {program} check-in (under a minute).").format(
            name=first_name(member), program=program.name
        )
    )
    if mentees is not None:
        question = talked_question(mentees)
        text = f"{opener}\n{question}"
        blocks: list[Block] = [
            Section(f"{opener}\n*{question}*"),
            Actions(
                (
                    Button(_("Yes, we talked"), "checkin.talked", value=f"{checkin.id}:yes"),
                    Button(_("Not yet"), "checkin.talked", value=f"{checkin.id}:no"),
                )
            ),
        ]
        goal = ""
    else:
        goal = goal_of(member)
        previous = _previous_answer(checkin, existing or {})
        # Before a first answer there is nothing to look back on, and nothing is said about it: the
        # reply to that first answer is where it is called the first.
        last = (
            " " + _("_Last week: {rating}/5._").format(rating=previous.confidence)
            if previous is not None
            else ""
        )
        question = _("How confident do you feel about “{goal}” this week?").format(
            goal=said(goal_label(goal))
        )
        if not member.goals:
            last += " " + _("_(`goals add ...` sets a goal.)_")
        if group:
            last += " " + _("_Your group: {names}._").format(names=names_of(group))
        text = f"{opener}\n{question} (1-5){last.replace('_', '')}"
        blocks = [Section(f"{opener}\n*{question}*{last}"), _rating_buttons(checkin)]
    options = [answer_button(checkin), support_button(checkin)]
    if checkin.snoozed_at is None and not again:
        options.append(Button(_("Snooze to tomorrow"), "checkin.snooze", value=str(checkin.id)))
    options.append(Button(_("Skip this week"), "checkin.skip", value=str(checkin.id)))
    blocks.append(Actions(tuple(options)))
    if goal:
        blocks.extend(suggestions(repos, member, goal, suggest))
    blocks.append(
        Context(_("Only you see your answers; coordinators see counts. `pause` any time."))
    )
    return Message(text=text, blocks=tuple(blocks), ephemeral=False)


def reminder_message(program: Program, member: Member, checkin: Checkin) -> Message:
    """The one reminder: short, friendly, and the last word on this week's check-in."""
    assert checkin.id is not None
    goal = goal_of(member)
    text = _(
        "A gentle nudge, {name}: how confident do you feel about “{goal}” this week? "
        "One tap is enough; this is the only reminder."
    ).format(name=first_name(member), goal=goal_label(goal))
    return Message(
        text=text,
        blocks=(
            Section(text),
            _rating_buttons(checkin),
            Actions(
                (
                    Button(_("Write a reflection"), "checkin.reflect", value=str(checkin.id)),
                    Button(_("Skip this week"), "checkin.skip", value=str(checkin.id)),
                )
            ),
            Context(f"{program.name} · {week_of(checkin.week)}"),
        ),
        ephemeral=False,
    )
