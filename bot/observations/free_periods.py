"""A teacher's weekly free periods: when colleagues may ask them to observe, in their own time zone."""

from __future__ import annotations

from bot.kernel.commands import usage_error
from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.i18n import _, clock, ngettext, weekday_name
from bot.kernel.messages import Message, text_message
from bot.kernel.parsing import ParseError, whole_number
from bot.observations.model import FreePeriod
from bot.observations.parse import parse_free_periods

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""The days as an export writes them (data, in English); people read ``weekday_name``."""


def period_text(p: FreePeriod) -> str:
    return f"{weekday_name(p.weekday, short=True)} {clock(p.start)}–{clock(p.end)}"


def free_periods_of(ctx: Ctx, member: Member) -> Message:
    periods = ctx.repos.observations.free_periods(member.id or 0)
    if not periods:
        return text_message(
            _(
                "You haven't declared any free periods. Add the times you could observe a "
                "colleague: `free add mon 10:15-11:00, thu 13:00-14:00`."
            )
        )
    lines = [f"{i}. {period_text(p)}" for i, p in enumerate(periods, 1)]
    return text_message(
        _("Your weekly free periods ({zone}):").format(zone=member.timezone)
        + "\n"
        + "\n".join(lines)
        + "\n"
        + _("Colleagues may ask you to observe then. `free remove N` to drop one.")
    )


def add(ctx: Ctx, member: Member, text: str) -> list[Message]:
    assert member.id is not None
    try:
        parsed = parse_free_periods(text)
    except ParseError as exc:
        raise usage_error("free", _("Sorry, {problem}.").format(problem=exc)) from None
    repo = ctx.repos.observations
    added = sum(repo.add_free_period(FreePeriod(member.id, wd, s, e)) for wd, s, e in parsed)
    if added < len(parsed):
        note = ngettext(
            "Added {n} free period. (The rest were already there.)",
            "Added {n} free periods. (The rest were already there.)",
            added,
        )
    else:
        note = ngettext("Added {n} free period.", "Added {n} free periods.", added)
    return [text_message(note.format(n=added)), free_periods_of(ctx, member)]


def remove(ctx: Ctx, member: Member, number: str | None) -> list[Message]:
    """``number`` as listed by ``free``, from 1."""
    assert member.id is not None
    periods = ctx.repos.observations.free_periods(member.id)
    position = whole_number(number or "", 1, len(periods))
    if position is None:
        raise usage_error(
            "free",
            _("Which one? Give its number from `free` (1 to {n}).").format(n=len(periods))
            if periods
            else _("You have no free periods to remove."),
        )
    period = periods[position - 1]
    ctx.repos.observations.remove_free_period(period.id or 0, member.id)
    removed = _("Removed {period}.").format(period=period_text(period))
    return [text_message(removed), free_periods_of(ctx, member)]


def clear(ctx: Ctx, member: Member) -> Message:
    assert member.id is not None
    n = ctx.repos.observations.clear_free_periods(member.id)
    return text_message(
        ngettext("Cleared {n} free period.", "Cleared {n} free periods.", n).format(n=n)
    )
