"""What a teacher's Home page shows of their observations, and its Ask button."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.i18n import N_, _, clock, when
from bot.kernel.messages import Block, Button, Context, Message, Section
from bot.observations.model import OPEN_STATUSES, RequestStatus
from bot.observations.render import focus_words, status_words
from bot.observations.request import request_form

SHORT_STATUS = {
    RequestStatus.DRAFT: N_("draft"),
    RequestStatus.ASKING: N_("asking"),
    RequestStatus.CONFIRMED: N_("confirmed"),
}
"""A word for each open status, to fit a line of the Home page."""


def observations_section(ctx: Ctx, member: Member) -> list[Block]:
    """Observations still to happen, asked for or agreed to, in the member's own time."""
    assert member.id is not None
    requests = ctx.repos.observations.requests_of(member.id, OPEN_STATUSES)[:5]
    if not requests:
        return []
    try:
        zone = ZoneInfo(member.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    lines = []
    for r in requests:
        role = _("you asked") if r.requester_id == member.id else _("you observe")
        starts = r.starts_at.astimezone(zone)
        lines.append(
            _("• #{number} {day} {time}: {focus} ({role}; {status})").format(
                number=r.id,
                day=when(starts, "short"),
                time=clock(starts),
                focus=focus_words(r.focus),
                role=role,
                status=_(SHORT_STATUS[r.status])
                if r.status in SHORT_STATUS
                else status_words(r.status),
            )
        )
    return [
        Section(_("*Observations*") + "\n" + "\n".join(lines)),
        Context(_("`observe show N` for the details, `observe cancel N` to call one off.")),
    ]


def observe_button(_ctx: Ctx, _member: Member) -> list[Button]:
    return [Button(_("Ask for an observation"), "home.observe")]


def open_observation_request(ctx: Ctx, _value: str) -> list[Message]:
    return [Message(text=_("Which lesson would you like observed?"), form=request_form(ctx))]
