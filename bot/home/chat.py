"""A member's own page: what is going on for them now, and the buttons they use most.

Slack shows it in the App Home tab; ``home`` shows it anywhere else. The page is built here, in the
core, so every platform shows the same thing: their current pairing, programs and goals, when their
check-ins come and whether one is waiting, observations they asked for or agreed to, and their own
recent reflections.
A feature adds its part through its ``home_sections`` and ``home_buttons`` (``Feature``); a section sees only the person's own data, through the workspace-bound repositories
of ``ctx``."""

from __future__ import annotations

import logging

from bot.kernel.commands import ParsedCommand, Verb
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, MemberStatus
from bot.kernel.messages import Actions, Block, Button, Context, Divider, Message, Section
from bot.members.platform_events import welcome
from bot.members.profile import pause_or_resume

log = logging.getLogger(__name__)


HOME_VERB = Verb(
    "home",
    "home",
    "Your own page: your programs, goals, what is coming up, and the common buttons.",
)


def home(ctx: Ctx, _cmd: ParsedCommand) -> list[Message]:
    return [home_page(ctx)]


def home_page(ctx: Ctx) -> Message:
    member = ctx.member
    if member is None or member.status is MemberStatus.OPTED_OUT:
        return _visitor_page(member)
    blocks: list[Block] = [
        Section(f"*Hi {member.display_name}!* Here is your Staffroom."),
        Context(_status_line(member)),
        Divider(),
        Section(text="*Your programs*\n" + _programs(ctx, member)),
        Section(text="*Your goals*\n" + _goals(member)),
    ]
    for section in ctx.registry.home_sections():
        try:
            part = section(ctx, member)
        except Exception:  # one feature's bug must not blank the whole page
            log.exception("home section %s failed", getattr(section, "__name__", section))
            continue
        if part:
            blocks += [Divider(), *part]
    buttons = [Button("Edit profile", "member.edit")]
    for extra in ctx.registry.home_buttons():
        try:
            buttons += extra(ctx, member)
        except Exception:
            log.exception("home buttons %s failed", getattr(extra, "__name__", extra))
    buttons.append(pause_or_resume(member))
    blocks += [Divider(), Actions(tuple(buttons))]
    blocks.append(Context("Type `/staffroom help` to see everything you can do."))
    return Message(text=f"Staffroom: {member.display_name}'s page", blocks=tuple(blocks))


def _visitor_page(member: Member | None) -> Message:
    return welcome("Welcome back! " if member is not None else "")


def _status_line(member: Member) -> str:
    if member.status is MemberStatus.PAUSED:
        until = f" until {member.paused_until:%a %d %b}" if member.paused_until else ""
        return f"⏸️ Paused{until}: no check-ins or pairings meanwhile."
    return f"✅ Active · time zone {member.timezone}"


def _programs(ctx: Ctx, member: Member) -> str:
    assert member.id is not None
    lines = []
    for membership in ctx.repos.memberships.for_member(member.id):
        program = ctx.repos.programs.get(membership.program_id)
        if program is not None:
            lines.append(f"• {program.name} ({membership.role.value})")
    return "\n".join(lines) or "None yet: ask your coordinator, or type `join PROGRAM`."


def _goals(member: Member) -> str:
    if not member.goals:
        return "None yet: `goals add …` sets one; check-ins and pairings follow them."
    return "\n".join(f"{i}. {goal}" for i, goal in enumerate(member.goals, 1))


# --- parts of the page from features that have landed --------------------------------------------

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RECENT_REFLECTIONS = 3


def checkins_section(ctx: Ctx, member: Member) -> list[Block]:
    """When their check-in comes (in their own time), whether one is waiting, how the last went."""
    from bot.checkins.model import CheckinStatus

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
        lines.append(f"Your last answer: {answered.confidence}/5 (week {answered.week})")
    if not lines:
        return []
    return [Section("*Check-ins*\n" + "\n".join(lines))]


def reflections_section(ctx: Ctx, member: Member) -> list[Block]:
    """Their own latest reflections: nobody else's, whatever was shared with them."""
    from bot.reflections.chat import VISIBILITY_LABELS

    assert member.id is not None
    mine = ctx.repos.reflections.for_member(member.id)[:RECENT_REFLECTIONS]
    if not mine:
        return [Section("*Your reflections*\nNone yet: a minute after a lesson is enough.")]
    lines = []
    for r in mine:
        when = f"{r.created_at:%d %b}" if r.created_at else ""
        text = " ".join((r.went_well or r.try_next).split())
        preview = text if len(text) <= 70 else text[:69] + "…"
        lines.append(f"• {when} · {VISIBILITY_LABELS[r.visibility].lower()}: {preview}")
    return [
        Section("*Your reflections*\n" + "\n".join(lines)),
        Context("`reflections` lists them all; only you see the private ones."),
    ]


def reflect_button(_ctx: Ctx, _member: Member) -> list[Button]:
    return [Button("Write a reflection", "home.reflect", style="primary")]


def open_reflection(ctx: Ctx, _value: str) -> list[Message]:
    from bot.reflections.chat import open_form

    return open_form(ctx)


def observations_section(ctx: Ctx, member: Member) -> list[Block]:
    """Observations still to happen, asked for or agreed to, in the member's own time."""
    from zoneinfo import ZoneInfo

    from bot.observations.model import OPEN_STATUSES

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
    from bot.observations.request import request_form

    return [Message(text="Which lesson would you like observed?", form=request_form(ctx))]


def pairing_section(ctx: Ctx, member: Member) -> list[Block]:
    """Who they are paired with in each program's latest round, and why."""
    assert member.id is not None
    lines = []
    for membership in ctx.repos.memberships.for_member(member.id):
        program = ctx.repos.programs.get(membership.program_id)
        if program is None or program.id is None:
            continue
        last = ctx.repos.pairing.last_round(program.id)
        if last is None:
            continue
        mine = next(
            (p for p in ctx.repos.pairing.pairings(last.id) if member.id in p.member_ids), None
        )
        if mine is None:
            continue
        others = [ctx.repos.members.get(i) for i in mine.member_ids if i != member.id]
        names = ", ".join(o.display_name for o in others if o is not None) or "—"
        why = f" ({mine.reason})" if mine.reason else ""
        lines.append(f"• {program.name}, round {last.number}: *{names}*{why}")
    if not lines:
        return []
    return [Section("*Your pairing*\n" + "\n".join(lines))]


SECTIONS = (pairing_section, checkins_section, observations_section, reflections_section)
"""The page's parts, in the order they are shown; each reads only the person's own data."""
BUTTONS = (reflect_button, observe_button)
"""The common actions (write a reflection, ask for an observation)."""
