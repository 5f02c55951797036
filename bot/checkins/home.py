"""What a teacher's Home page shows of their check-ins: when the next comes, and one waiting."""

from __future__ import annotations

from bot.checkins.model import CheckinStatus
from bot.checkins.schedule import week_of
from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.messages import Block, Section

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def checkins_section(ctx: Ctx, member: Member) -> list[Block]:
    """When their check-in comes (in their own time), whether one is waiting, how the last went."""
    assert member.id is not None
    lines: list[str] = []
    history = ctx.repos.checkins.for_member(member.id, limit=6)
    if any(c.status in (CheckinStatus.SENT, CheckinStatus.SNOOZED) for c in history):
        lines.append("📬 A check-in is waiting for you: `checkin` shows it (one tap to answer).")
    for membership in ctx.repos.memberships.for_member(member.id):
        program = ctx.repos.programs.get(membership.program_id)
        if program is not None and program.active:
            day = DAY_NAMES[program.checkin_weekday % 7]
            lines.append(f"• {program.name}: {day}s at {program.checkin_time:%H:%M}, your time")
    answered = next((c for c in history if c.confidence is not None), None)
    if answered is not None:
        lines.append(f"Your last answer: {answered.confidence}/5 ({week_of(answered.week)})")
    if not lines:
        return []
    return [Section("*Check-ins*\n" + "\n".join(lines))]
