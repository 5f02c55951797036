"""What a teacher's Home page shows of their observations, and its Ask button."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.messages import Block, Button, Context, Message, Section
from bot.observations.model import OPEN_STATUSES
from bot.observations.request import request_form


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
        role = "you asked" if r.requester_id == member.id else "you observe"
        when = r.starts_at.astimezone(zone)
        lines.append(f"• #{r.id} {when:%a %d %b %H:%M}: {r.focus} ({role}; {r.status.value})")
    return [
        Section("*Observations*\n" + "\n".join(lines)),
        Context("`observe show N` for the details, `observe cancel N` to call one off."),
    ]


def observe_button(_ctx: Ctx, _member: Member) -> list[Button]:
    return [Button("Ask for an observation", "home.observe")]


def open_observation_request(ctx: Ctx, _value: str) -> list[Message]:
    return [Message(text="Which lesson would you like observed?", form=request_form(ctx))]
