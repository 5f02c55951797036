"""How an observation reads in every message: its day and time in the reader's zone, its details, its status."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.kernel.messages import said
from bot.observations.model import ObservationRequest, RequestStatus

STATUS_WORDS = {
    RequestStatus.DRAFT: "waiting for you to choose an observer",
    RequestStatus.ASKING: "asking colleagues",
    RequestStatus.CONFIRMED: "confirmed",
    RequestStatus.UNMATCHED: "closed without an observer",
    RequestStatus.CANCELLED: "cancelled",
    RequestStatus.DONE: "done, with feedback",
}


def when(request: ObservationRequest, timezone: str | None = None) -> str:
    """ "Thursday 26 November, 10:15–11:00", in the given zone (the requester's by default)."""
    zone = ZoneInfo(timezone or request.timezone)
    start, end = request.starts_at.astimezone(zone), request.ends_at.astimezone(zone)
    text = f"{start:%A %d %B}, {start:%H:%M}–{end:%H:%M}"
    if timezone and timezone != request.timezone:
        text += f" your time ({timezone})"
    return text


def lesson_fields(
    request: ObservationRequest, timezone: str | None = None
) -> tuple[tuple[str, str], ...]:
    fields = [("When", when(request, timezone))]
    if request.class_name:
        fields.append(("Class", said(request.class_name)))
    if request.subject:
        fields.append(("Subject", said(request.subject)))
    fields.append(("Focus", said(request.focus)))
    if request.look_fors:
        fields.append(("Look for", said(request.look_fors)))
    if request.question:
        fields.append(("Question to answer", said(request.question)))
    return tuple(fields)


def status_words(status: RequestStatus) -> str:
    return STATUS_WORDS[status]


def names(people: list[str]) -> str:
    """ "Ben", "Ben and Eve", "Ben, Eve and Sam"."""
    people = [said(p) for p in people]
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]
