"""What a teacher's Home page shows of their check-ins: when the next comes, and one waiting."""

from __future__ import annotations

from bot.checkins.model import CheckinStatus
from bot.checkins.schedule import week_of
from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.i18n import _, clock, weekday_name
from bot.kernel.messages import Block, Section


def checkins_section(ctx: Ctx, member: Member) -> list[Block]:
    """When their check-in comes (in their own time), whether one is waiting, how the last went."""
    assert member.id is not None
    lines: list[str] = []
    history = ctx.repos.checkins.for_member(member.id, limit=6)
    if any(c.status in (CheckinStatus.SENT, CheckinStatus.SNOOZED) for c in history):
        lines.append(_("📬 A check-in is waiting for you: `checkin` shows it (one tap to answer)."))
    for membership in ctx.repos.memberships.for_member(member.id):
        program = ctx.repos.programs.get(membership.program_id)
        if program is not None and program.active:
            # Translators: "{weekday}s" is "Tuesdays": word it as every week's day ("cada martes").
            line = _("• {program}: {weekday}s at {time}, your time").format(
                program=program.name,
                weekday=weekday_name(program.checkin_weekday % 7),
                time=clock(program.checkin_time),
            )
            lines.append(line)
    answered = next((c for c in history if c.confidence is not None), None)
    if answered is not None:
        lines.append(
            _("Your last answer: {rating}/5 ({week})").format(
                rating=answered.confidence, week=week_of(answered.week)
            )
        )
    if not lines:
        return []
    return [Section("*" + _("Check-ins") + "*\n" + "\n".join(lines))]
