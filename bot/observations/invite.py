"""The calendar invite both people get when an observation is confirmed: a real iCalendar file
(the icalendar library), so Outlook, Google Calendar and Apple Calendar all accept it."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from bot.kernel.domain import Member
from bot.kernel.messages import Attachment
from bot.observations.model import ObservationRequest

PRODID = "-//Staffroom//Peer observation//EN"


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
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", invite_uid(request, requester.workspace_id))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", request.starts_at.astimezone(UTC))
    event.add("dtend", request.ends_at.astimezone(UTC))
    what = f" ({request.class_name})" if request.class_name else ""
    event.add("summary", f"Peer observation: {requester.display_name}'s lesson{what}")
    lines = [
        f"{observer.display_name} observes {requester.display_name}'s lesson.",
        f"Focus: {request.focus}",
    ]
    if request.subject:
        lines.append(f"Subject: {request.subject}")
    if request.look_fors:
        lines.append(f"Look for: {request.look_fors}")
    lines.append("This is peer feedback for growth, never an evaluation. Arranged with Staffroom.")
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
