"""The debrief after the lesson: ten minutes to talk it through, at a time both people said they
are free, so neither has to negotiate a meeting in chat.

The slot is the first ten minutes, from when the prompt goes, inside a free period of each (each
declared in their own time zone) on a school day of each, within a week of the lesson. When they
share none, the prompt says so and leaves the time to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.domain import Member
from bot.kernel.i18n import _, clock
from bot.kernel.i18n import when as date_words
from bot.kernel.messages import Actions, Block, Button, Context, Message, Section, said
from bot.kernel.ports import Scope
from bot.observations.model import DEBRIEF_MINUTES, ObservationRequest
from bot.observations.render import when
from bot.observations.school_days import calendars_in, teaches

SEARCH_DAYS = 7
ROUND_TO = timedelta(minutes=5)

Slot = tuple[datetime, datetime]


def _free_intervals(repos: Scope, member: Member, start: datetime, days: int) -> list[Slot]:
    """The member's free periods as moments, on their school days, from ``start``'s day on."""
    assert member.id is not None
    zone = ZoneInfo(member.timezone)
    calendars = calendars_in(repos, member)
    periods = repos.observations.free_periods(member.id)
    first: date = start.astimezone(zone).date()
    found: list[Slot] = []
    for offset in range(days + 1):
        day = first + timedelta(days=offset)
        if not teaches(calendars, day):
            continue
        for period in periods:
            if period.weekday == day.weekday():
                found.append(
                    (
                        datetime.combine(day, period.start, tzinfo=zone),
                        datetime.combine(day, period.end, tzinfo=zone),
                    )
                )
    return sorted(found)


def _round_up(moment: datetime) -> datetime:
    """To the next five minutes, so a suggested time reads like one a person would pick."""
    epoch = datetime(2000, 1, 1, tzinfo=moment.tzinfo)
    steps = -(-(moment - epoch) // ROUND_TO)
    return epoch + steps * ROUND_TO


def first_shared(a: Iterable[Slot], b: Iterable[Slot], earliest: datetime) -> Slot | None:
    """The first ``DEBRIEF_MINUTES`` from ``earliest`` on that lie inside an interval of each."""
    length = timedelta(minutes=DEBRIEF_MINUTES)
    best: datetime | None = None
    listed = list(b)
    for a_start, a_end in a:
        for b_start, b_end in listed:
            start = _round_up(max(a_start, b_start, earliest))
            if start + length <= min(a_end, b_end) and (best is None or start < best):
                best = start
    return (best, best + length) if best is not None else None


def debrief_slot(
    repos: Scope, request: ObservationRequest, requester: Member, observer: Member, now: datetime
) -> Slot | None:
    earliest = max(now, request.ends_at)
    return first_shared(
        _free_intervals(repos, requester, earliest, SEARCH_DAYS),
        _free_intervals(repos, observer, earliest, SEARCH_DAYS),
        earliest,
    )


def slot_words(slot: Slot, timezone: str) -> str:
    zone = ZoneInfo(timezone)
    start, end = slot[0].astimezone(zone), slot[1].astimezone(zone)
    return _("{day}, {start}–{end}").format(
        day=date_words(start, "day"), start=clock(start), end=clock(end)
    )


def debrief_line(slot: Slot | None, other: Member, reader: Member) -> str:
    """The suggestion, for ``reader`` in their own time, to meet ``other``."""
    name = said(other.display_name)
    if slot is None:
        return _(
            "🗣️ Ten minutes with {name} to talk it through helps most. Your free periods don't "
            "overlap this week, so pick a time together."
        ).format(name=name)
    return _("🗣️ Ten minutes with {name} to talk it through: you're both free *{slot}*.").format(
        name=name, slot=slot_words(slot, reader.timezone)
    )


def debrief_message(
    request: ObservationRequest,
    requester: Member,
    observer: Member,
    slot: Slot | None,
    thank_button: Button | None,
) -> Message:
    """The observed teacher's prompt after the lesson: the debrief time and a way to say thanks
    (build it in their language: ``speaking_to(requester)``)."""
    first = said(observer.display_name.split()[0])
    blocks: list[Block] = [
        Section(
            _("Your lesson on {lesson} has been observed.").format(lesson=when(request))
            + " "
            + debrief_line(slot, observer, requester)
        ),
        Section(
            _(
                "A debrief works best as a conversation: what did {name} notice about your focus, "
                "and what will you try next? Their written feedback comes to you alone."
            ).format(name=first)
        ),
    ]
    if thank_button is not None:
        blocks.append(Actions((thank_button,)))
    blocks.append(
        Context(
            _("Nothing to book: just meet then, or agree another time together.")
            if slot is not None
            else _("Nothing to book: a corridor chat counts.")
        )
    )
    return Message(
        text=_("Debrief with {name}: ten minutes to talk it through.").format(
            name=said(observer.display_name)
        ),
        blocks=tuple(blocks),
        ephemeral=False,
    )


def debrief_context(slot: Slot | None, requester: Member, observer: Member) -> Context:
    """The same suggestion for the observer, under their feedback prompt."""
    return Context(debrief_line(slot, requester, observer))
