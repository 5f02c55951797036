"""A member's own page: what is going on for them now, and the buttons they use most.

Slack shows it in the App Home tab; ``home`` shows it anywhere else. The page is built here, in the
core, so every platform shows the same thing: their current pairing, programs and goals, when their
check-ins come and whether one is waiting, observations they asked for or agreed to, and their own
recent reflections.
Every feature adds its part through its ``home_sections`` and ``home_buttons`` (``Feature``), shown in
the order of ``FEATURES``; a section sees only the person's own data, through the workspace-bound
repositories of ``ctx``."""

from __future__ import annotations

import logging

from bot.kernel.commands import ParsedCommand, Verb
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, MemberStatus, ProgramRole
from bot.kernel.i18n import N_, _, when
from bot.kernel.messages import Actions, Block, Button, Context, Divider, Message, Section, said
from bot.members.platform_events import welcome
from bot.members.profile import pause_or_resume

log = logging.getLogger(__name__)


HOME_VERB = Verb(
    "home",
    "home",
    N_("Your own page: your programs, goals, what is coming up, and the common buttons."),
)
ROLES = {
    ProgramRole.MENTOR: N_("mentor"),
    ProgramRole.MENTEE: N_("mentee"),
    ProgramRole.PEER: N_("peer"),
    ProgramRole.COORDINATOR: N_("coordinator"),
}
"""A role as the list of one's programs names it (``Year 9 PLC (mentor)``)."""


def home(ctx: Ctx, _cmd: ParsedCommand) -> list[Message]:
    return [home_page(ctx)]


def home_page(ctx: Ctx) -> Message:
    member = ctx.member
    if member is None or member.status is MemberStatus.OPTED_OUT:
        return _visitor_page(member)
    blocks: list[Block] = [
        Section(_("*Hi {name}!* Here is your Staffroom.").format(name=said(member.display_name))),
        Context(_status_line(member)),
        Divider(),
        Section(text=_("*Your programs*") + "\n" + _programs(ctx, member)),
        Section(text=_("*Your goals*") + "\n" + _goals(member)),
    ]
    for section in ctx.registry.home_sections():
        try:
            part = section(ctx, member)
        except Exception:  # one feature's bug must not blank the whole page
            log.exception("home section %s failed", getattr(section, "__name__", section))
            continue
        if part:
            blocks += [Divider(), *part]
    buttons = [Button(_("Edit profile"), "member.edit")]
    for extra in ctx.registry.home_buttons():
        try:
            buttons += extra(ctx, member)
        except Exception:
            log.exception("home buttons %s failed", getattr(extra, "__name__", extra))
    buttons.append(pause_or_resume(member))
    blocks += [Divider(), Actions(tuple(buttons))]
    blocks.append(Context(_("Type `/staffroom help` to see everything you can do.")))
    return Message(
        text=_("Staffroom: {name}'s page").format(name=said(member.display_name)),
        blocks=tuple(blocks),
    )


def _visitor_page(member: Member | None) -> Message:
    return welcome(_("Welcome back!") + " " if member is not None else "")


def _status_line(member: Member) -> str:
    if member.status is MemberStatus.PAUSED:
        if member.paused_until:
            return _("⏸️ Paused until {day}: no check-ins or pairings meanwhile.").format(
                day=when(member.paused_until, "short")
            )
        return _("⏸️ Paused: no check-ins or pairings meanwhile.")
    return _("✅ Active · time zone {timezone}").format(timezone=member.timezone)


def _programs(ctx: Ctx, member: Member) -> str:
    assert member.id is not None
    lines = []
    for membership in ctx.repos.memberships.for_member(member.id):
        program = ctx.repos.programs.get(membership.program_id)
        if program is not None:
            role = ROLES.get(membership.role, membership.role.value)
            lines.append(f"• {program.name} ({_(role)})")
    return "\n".join(lines) or _("None yet: ask your coordinator, or type `join PROGRAM`.")


def _goals(member: Member) -> str:
    if not member.goals:
        return _("None yet: `goals add …` sets one; check-ins and pairings follow them.")
    return "\n".join(f"{i}. {goal}" for i, goal in enumerate(member.goals, 1))


# --- parts of the page from features that have landed --------------------------------------------
