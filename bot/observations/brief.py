"""The brief: a school day before an agreed observation, both people get the same short page (the
focus, the look-fors, the class, the one question the teacher wants answered), so the observer
watches for what the teacher cares about and the two can agree it in five minutes.

It is the one message before the lesson (it took the place of a plain reminder): a school day
ahead at the lesson's own time of day, so a Monday lesson is briefed on Friday, in school hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.context import speaking_to
from bot.kernel.domain import Member
from bot.kernel.i18n import _
from bot.kernel.messages import Message, Section, said
from bot.kernel.ports import Scope
from bot.kernel.replies import confirm
from bot.observations.cancel import CANCEL
from bot.observations.model import ObservationRequest
from bot.observations.render import lesson_fields, when
from bot.observations.school_days import calendars_in, school_day_before

TOO_LATE = timedelta(hours=1)
"""A brief that could only arrive less than this before the lesson is let go: the confirmation
just said it all, and nobody reads a brief on the way to the classroom."""


def brief_due(repos: Scope, request: ObservationRequest, requester: Member) -> datetime:
    """The lesson's time of day on the school day before it, in the teacher's calendar.

    With no school day in the fortnight before (a calendar of holidays), a day ahead."""
    zone = ZoneInfo(request.timezone)
    start = request.starts_at.astimezone(zone)
    day = school_day_before(calendars_in(repos, requester), start.date())
    if day is None:
        return request.starts_at - timedelta(days=1)
    return datetime.combine(day, start.time(), tzinfo=zone)


def brief_message(
    request: ObservationRequest, requester: Member, observer: Member, reader: Member
) -> Message:
    """The brief as ``reader`` (the teacher or the observer) sees it, in their own time zone (build
    it in their language: ``speaking_to(reader)``)."""
    lesson = when(request, reader.timezone)
    teacher, watcher = said(requester.display_name), said(observer.display_name)
    fields = lesson_fields(request, reader.timezone)
    if reader.id == requester.id:
        lead = _("📝 Your observation brief: *{name}* observes your lesson on {lesson}.").format(
            name=watcher, lesson=lesson
        )
        ask = (
            _(
                "Five minutes before is enough to agree with {name} what to look for; they have "
                "your question too."
            )
            if request.question
            else _(
                "Five minutes before is enough to agree with {name} what to look for. Is there one "
                "thing you'd like them to tell you? Say it when you meet."
            )
        ).format(name=watcher)
        note = _("Peer feedback for growth, never an evaluation. Only you will see the feedback.")
    else:
        lead = _("📝 Your observation brief: you observe *{name}*'s lesson on {lesson}.").format(
            name=teacher, lesson=lesson
        )
        ask = (
            _("{name}'s question is the one thing they most want you to answer afterwards.")
            if request.question
            else _(
                "{name} hasn't asked a question of their own: the focus and the look-fors are "
                "what matter to them."
            )
        ).format(name=teacher)
        note = _(
            "Notice what students do and say, tied to the focus: peer feedback for growth, never an "
            "evaluation. After the lesson I'll send you a short form."
        )
    return confirm(
        lead,
        _("Cancel observation"),
        CANCEL,
        value=str(request.id),
        danger=True,
        note=note,
        details=(Section(fields=fields), Section(ask)),
        summary=_("Observation brief: {lesson}").format(lesson=lesson),
        ephemeral=False,
    )


def send_briefs(
    repos: Scope, request: ObservationRequest, requester: Member, observer: Member, now: datetime
) -> None:
    """Both people's brief, each under its own key: a second pass of the job sends neither again."""
    for person in (requester, observer):
        with speaking_to(person):
            message = brief_message(request, requester, observer, person)
        repos.outbox.enqueue(person, message, f"obs:{request.id}:brief:{person.id}", now)
