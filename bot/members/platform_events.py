"""What the core does when a platform tells it something (installs, uninstalls, unreachable people).

Slack and Teams adapters translate their own events into ``InboundKind.PLATFORM`` with one of
``PlatformEvent`` as the text, so the rules live here once.
"""

from __future__ import annotations

from bot.kernel.context import Ctx
from bot.kernel.events import PlatformEvent
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Actions, Button, Context, Message, Section

WELCOME = N_(
    "Hi! I'm Staffroom: I pair teachers for peer mentoring, send a one-minute weekly check-in at a "
    "good time for you, and help you find a colleague to observe a lesson. Your reflections stay "
    "yours: coordinators only ever see totals."
)


def welcome(head: str = "", *, ephemeral: bool = True) -> Message:
    """What Staffroom is, and the one button to join: for a newcomer, and for someone who left.

    ``head`` is a sentence before it, already in the reader's language, ending with a space."""
    text = head + _(WELCOME)
    return Message(
        text=text,
        blocks=(
            Section(text),
            Actions((Button(_("Join Staffroom"), "member.join", style="primary"),)),
            Context(_("It takes about a minute. You can pause or leave any time.")),
        ),
        ephemeral=ephemeral,
    )


def welcome_message(invite: bool = False) -> Message:
    head = _("A colleague has invited you to Staffroom.") + " " if invite else ""
    return welcome(head, ephemeral=False)


def handle(ctx: Ctx, event: str) -> list[Message]:
    try:
        kind = PlatformEvent(event)
    except ValueError:
        return []
    if kind is PlatformEvent.UNINSTALLED:
        ctx.uow.workspaces.set_active(ctx.workspace.id, False)
        return []
    if kind in (PlatformEvent.USER_UNREACHABLE, PlatformEvent.USER_REACHABLE):
        if ctx.member is not None:
            ctx.member.reachable = kind is PlatformEvent.USER_REACHABLE
            ctx.repos.members.save(ctx.member)
        return []
    if kind is PlatformEvent.INSTALLED and not ctx.workspace.active:
        ctx.uow.workspaces.set_active(ctx.workspace.id, True)
    if ctx.member is not None and ctx.member.consented_at is not None:
        if not ctx.member.reachable:
            ctx.member.reachable = True
            ctx.repos.members.save(ctx.member)
        return []  # already one of us: no welcome again
    return [welcome_message(invite=kind is PlatformEvent.MEMBER_ADDED)]
