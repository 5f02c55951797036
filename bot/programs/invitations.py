"""The message someone a coordinator imports receives: who added them, to what, what Staffroom keeps and
who sees it, and one button to join. Nothing else is sent to them until they press it (or write).

An invitation is a message from the school, so it keeps school hours: it reaches each person at the
first moment that is a school day outside quiet hours *in their own time zone*, and the one gentle
reminder (``reminders``) is planned a few school days after that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.calendar.chat import SchoolCalendar, for_program
from bot.checkins.schedule import local_at, next_allowed, quiet_hours, zone
from bot.kernel.context import speaking_to
from bot.kernel.domain import Member, Program
from bot.kernel.i18n import _
from bot.kernel.identity import is_pending
from bot.kernel.messages import Actions, Button, Context, Message, Section, said
from bot.kernel.ports import Scope

INVITE_KEY = "invite:"
REMIND_AFTER_SCHOOL_DAYS = 3
"""How many school days an invitation is left alone before its one gentle reminder."""


def first_name(member: Member) -> str:
    words = member.display_name.split()
    # Translators: how to greet someone whose name we don't have: "Hi there!"
    return words[0] if words else _("there")


def join_button() -> Actions:
    # They are in the program already: the press is their consent (``member.join``).
    return Actions((Button(_("Join"), "member.join", "invited", style="primary"),))


def invitation(program: Program, member: Member, added_by: str | None) -> Message:
    """Written in the language of the person invited: build it inside ``speaking_to(member)``.
    ``added_by`` is the coordinator's name; None for a roster the school's operator imported."""
    head = _("Hi {name}! {added_by} added you to *{program}* on Staffroom.").format(
        name=said(first_name(member)),
        added_by=said(added_by or _("Your school")),
        program=said(program.name),
    )
    what = _(
        "Staffroom pairs you with colleagues for peer support, asks a one-minute check-in once a "
        "week at a time that suits you, and helps you find someone to observe a lesson."
    )
    kept = _(
        "It keeps the profile your school gave (subjects, grades, goals; you can change any of it) "
        "and your check-in answers. Your reflections are yours alone unless you share them; "
        "coordinators only ever see totals."
    )
    return Message(
        text=f"{head} {what}",
        blocks=(
            Section(head),
            Section(what),
            Context(kept),
            join_button(),
            Context(
                _("Nothing more is sent to you until you join. You can pause or leave any time.")
            ),
        ),
        ephemeral=False,
    )


class SchoolHours:
    """When a message from the program may reach someone: its calendar and quiet hours, their zone.

    Read once per program and reused for everyone in it (a roster is thousands of people).
    """

    def __init__(self, repos: Scope, program: Program) -> None:
        assert program.id is not None
        self.program = program
        self.calendar: SchoolCalendar = for_program(repos.calendar.for_program(program.id), program)
        self.quiet = quiet_hours(program)

    def next_open(self, moment: datetime, member: Member) -> datetime:
        """The first moment at or after ``moment`` that is a school day outside quiet hours for them."""
        return next_allowed(
            moment, zone(member), self.calendar, self.quiet, self.program.checkin_time
        )

    def school_days_after(self, moment: datetime, days: int, member: Member) -> datetime:
        """``days`` school days after ``moment``, at the same local time (or the next open moment)."""
        tz: ZoneInfo = zone(member)
        local = moment.astimezone(tz)
        day, counted = local.date(), 0
        for _attempt in range(400):
            if counted >= days:
                break
            day += timedelta(days=1)
            counted += self.calendar.is_teaching_day(day)
        return self.next_open(local_at(day, local.time().replace(tzinfo=None), tz), member)


def invite(
    repos: Scope, program: Program, members: Sequence[Member], added_by: str | None, now: datetime
) -> tuple[int, int]:
    """Queue one invitation a person who has not joined yet, once per program: (invited, not
    reachable yet). Someone known only by e-mail cannot be messaged until they write to Staffroom,
    which is when their platform says who they are (and that first message is their consent).

    Each invitation is written in its recipient's language; ``added_by`` None says "Your school"
    in it."""
    assert program.id is not None
    reachable = [m for m in members if m.consented_at is None and not is_pending(m)]
    waiting = sum(1 for m in members if m.consented_at is None and is_pending(m))
    if not reachable:
        return 0, waiting
    hours = SchoolHours(repos, program)
    by_time: dict[datetime, list[tuple[Member, Message, str]]] = {}
    invited = []
    for m in reachable:
        assert m.id is not None
        at = hours.next_open(now, m)
        with speaking_to(m):
            message = invitation(program, m, added_by)
        by_time.setdefault(at, []).append((m, message, f"{INVITE_KEY}{program.id}:{m.id}"))
        invited.append((m.id, at, hours.school_days_after(at, REMIND_AFTER_SCHOOL_DAYS, m)))
    # One statement per moment: the people of a time zone share their school time.
    for at, messages in by_time.items():
        repos.outbox.enqueue_many(messages, at)
    repos.memberships.mark_invited(program.id, invited)
    return len(reachable), waiting
