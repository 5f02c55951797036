"""The calendar invite both people get when an observation is confirmed: a real iCalendar file
(the icalendar library), so Outlook, Google Calendar and Apple Calendar all accept it."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from bot.kernel.domain import Member
from bot.kernel.i18n import _
from bot.kernel.messages import Attachment
from bot.observations.model import FOCUS_AREAS, ObservationRequest

PRODID = "-//Staffroom//Peer observation//EN"  # not translated: the calendar product's identifier


def invite_uid(request: ObservationRequest, workspace_id: int) -> str:
    """Stable per request, so a re-sent or cancelled invite updates the same calendar entry."""
    return f"observation-{workspace_id}-{request.id}@staffroom"


def build_ics(
    request: ObservationRequest,
    requester: Member,
    observer: Member,
    now: datetime,
    *,
    cancelled: bool = False,
) -> str:
    """The event's words are in the language being spoken: build it inside ``speaking_to`` the
    person it is attached for."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", invite_uid(request, requester.workspace_id))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", request.starts_at.astimezone(UTC))
    event.add("dtend", request.ends_at.astimezone(UTC))
    teacher = requester.display_name
    summary = (
        _("Peer observation: {name}'s lesson ({class_name})").format(
            name=teacher, class_name=request.class_name
        )
        if request.class_name
        else _("Peer observation: {name}'s lesson").format(name=teacher)
    )
    event.add("summary", summary)
    focus = _(request.focus) if request.focus in FOCUS_AREAS else request.focus
    lines = [
        _("{observer} observes {name}'s lesson.").format(
            observer=observer.display_name, name=teacher
        ),
        _("Focus: {focus}").format(focus=focus),
    ]
    if request.subject:
        lines.append(_("Subject: {subject}").format(subject=request.subject))
    if request.look_fors:
        lines.append(_("Look for: {look_fors}").format(look_fors=request.look_fors))
    lines.append(
        _("This is peer feedback for growth, never an evaluation. Arranged with Staffroom.")
    )
    event.add("description", "\n".join(lines))
    if requester.school:
        event["location"] = vText(requester.school)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    for person, role in ((requester, "CHAIR"), (observer, "REQ-PARTICIPANT")):
        address = vCalAddress(
            f"mailto:{person.email}" if person.email else f"urn:staffroom:{person.platform_user_id}"
        )
        address.params["cn"] = vText(person.display_name)
        address.params["role"] = vText(role)
        if role == "CHAIR":
            event["organizer"] = address
        else:
            event.add("attendee", address)
    cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical.decode("utf-8")


def invite_attachment(
    request: ObservationRequest,
    requester: Member,
    observer: Member,
    now: datetime,
    *,
    cancelled: bool = False,
) -> Attachment:
    return Attachment(
        filename="observation-cancelled.ics" if cancelled else "observation.ics",
        mime_type="text/calendar",
        content=build_ics(request, requester, observer, now, cancelled=cancelled),
    )
