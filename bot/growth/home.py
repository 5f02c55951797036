"""What a teacher's Home page shows of their growth: the last 12 months in one line, and a button."""

from __future__ import annotations

from bot.growth.chat import growth
from bot.growth.model import ObservationRole
from bot.growth.period import parse_period
from bot.growth.record import build_record, hours_text
from bot.kernel.commands import ParsedCommand
from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.i18n import _, ngettext
from bot.kernel.messages import Block, Button, Context, Message, Section

HOME_ACTION = "home.growth"


def growth_section(ctx: Ctx, member: Member) -> list[Block]:
    """Their own figures only; the same few statements ``growth`` runs."""
    period = parse_period("", ctx.local_today(member))
    record = build_record(ctx.repos, member, period, ctx.now)
    received = sum(1 for o in record.observations if o.role is ObservationRole.RECEIVED)
    given = len(record.observations) - received
    met = sum(m.met for m in record.meetings)
    reflections, cycles = record.activity.reflections, len(record.studies)
    parts = (
        ngettext(
            "{n} observation of your lessons, {given} of colleagues'",
            "{n} observations of your lessons, {given} of colleagues'",
            received,
        ).format(n=received, given=given),
        ngettext("{n} reflection", "{n} reflections", reflections).format(n=reflections),
        ngettext("{n} lesson-study cycle", "{n} lesson-study cycles", cycles).format(n=cycles),
        ngettext("{n} pairing met", "{n} pairings met", met).format(n=met),
        _("about {hours}").format(hours=hours_text(record.hours.total)),
    )
    heading = _("*Your growth ({period})*").format(period=period.label)
    return [
        Section(heading + "\n" + " · ".join(parts)),
        Context(_("`growth` shows your record and downloads it as PD evidence; only you can.")),
    ]


def growth_button(_ctx: Ctx, _member: Member) -> list[Button]:
    return [Button(_("My growth record"), HOME_ACTION)]


def open_record(ctx: Ctx, _value: str) -> list[Message]:
    return growth(ctx, ParsedCommand("growth", raw="growth"))
