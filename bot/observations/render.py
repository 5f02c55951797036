"""How an observation reads in every message: its day and time in the reader's zone, its details, its status."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.kernel.i18n import N_, _, and_list, clock
from bot.kernel.i18n import when as date_words
from bot.kernel.messages import said
from bot.observations.model import FOCUS_AREAS, ObservationRequest, RequestStatus

STATUS_WORDS = {
    RequestStatus.DRAFT: N_("waiting for you to choose an observer"),
    RequestStatus.ASKING: N_("asking colleagues"),
    RequestStatus.CONFIRMED: N_("confirmed"),
    RequestStatus.UNMATCHED: N_("closed without an observer"),
    RequestStatus.CANCELLED: N_("cancelled"),
    RequestStatus.DONE: N_("done, with feedback"),
}


def when(request: ObservationRequest, timezone: str | None = None) -> str:
    """ "Thursday 26 November, 10:15–11:00", in the given zone (the requester's by default)."""
    zone = ZoneInfo(timezone or request.timezone)
    start, end = request.starts_at.astimezone(zone), request.ends_at.astimezone(zone)
    if timezone and timezone != request.timezone:
        return _("{day}, {start}–{end} your time ({zone})").format(
            day=date_words(start, "day"), start=clock(start), end=clock(end), zone=timezone
        )
    return _("{day}, {start}–{end}").format(
        day=date_words(start, "day"), start=clock(start), end=clock(end)
    )


def focus_words(focus: str) -> str:
    """A focus as the reader says it: one of the program's focus areas in their language, or the
    teacher's own words as they wrote them."""
    return _(focus) if focus in FOCUS_AREAS else said(focus)


def lesson_fields(
    request: ObservationRequest, timezone: str | None = None
) -> tuple[tuple[str, str], ...]:
    fields = [(_("When"), when(request, timezone))]
    if request.class_name:
        fields.append((_("Class"), said(request.class_name)))
    if request.subject:
        fields.append((_("Subject"), said(request.subject)))
    fields.append((_("Focus"), focus_words(request.focus)))
    if request.look_fors:
        fields.append((_("Look for"), said(request.look_fors)))
    if request.question:
        fields.append((_("Question to answer"), said(request.question)))
    return tuple(fields)


def status_words(status: RequestStatus) -> str:
    return _(STATUS_WORDS[status])


def names(people: list[str]) -> str:
    """ "Ben", "Ben and Eve", "Ben, Eve and Sam"."""
    return and_list([said(p) for p in people])
