"""A teacher's weekly free periods: when colleagues may ask them to observe, in their own time zone."""

from __future__ import annotations

from bot.kernel.commands import usage_error
from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.messages import Message, text_message
from bot.kernel.parsing import ParseError, whole_number
from bot.observations.model import FreePeriod
from bot.observations.parse import parse_free_periods

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def period_text(p: FreePeriod) -> str:
    return f"{WEEKDAYS[p.weekday]} {p.start:%H:%M}–{p.end:%H:%M}"


def _plural(n: int) -> str:
    return f"{n} free period{'s' if n != 1 else ''}"


def free_periods_of(ctx: Ctx, member: Member) -> Message:
    periods = ctx.repos.observations.free_periods(member.id or 0)
    if not periods:
        return text_message(
            "You haven't declared any free periods. Add the times you could observe a colleague: "
            "`free add mon 10:15-11:00, thu 13:00-14:00`."
        )
    lines = [f"{i}. {period_text(p)}" for i, p in enumerate(periods, 1)]
    return text_message(
        f"Your weekly free periods ({member.timezone}):\n"
        + "\n".join(lines)
        + "\nColleagues may ask you to observe then. `free remove N` to drop one."
    )


def add(ctx: Ctx, member: Member, text: str) -> list[Message]:
    assert member.id is not None
    try:
        parsed = parse_free_periods(text)
    except ParseError as exc:
        raise usage_error("free", f"Sorry, {exc}.") from None
    repo = ctx.repos.observations
    added = sum(repo.add_free_period(FreePeriod(member.id, wd, s, e)) for wd, s, e in parsed)
    note = f"Added {_plural(added)}."
    if added < len(parsed):
        note += " (The rest were already there.)"
    return [text_message(note), free_periods_of(ctx, member)]


def remove(ctx: Ctx, member: Member, number: str | None) -> list[Message]:
    """``number`` as listed by ``free``, from 1."""
    assert member.id is not None
    periods = ctx.repos.observations.free_periods(member.id)
    position = whole_number(number or "", 1, len(periods))
    if position is None:
        raise usage_error(
            "free",
            f"Which one? Give its number from `free` (1 to {len(periods)})."
            if periods
            else "You have no free periods to remove.",
        )
    period = periods[position - 1]
    ctx.repos.observations.remove_free_period(period.id or 0, member.id)
    return [text_message(f"Removed {period_text(period)}."), free_periods_of(ctx, member)]


def clear(ctx: Ctx, member: Member) -> Message:
    assert member.id is not None
    n = ctx.repos.observations.clear_free_periods(member.id)
    return text_message(f"Cleared {_plural(n)}.")
