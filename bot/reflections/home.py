"""What a teacher's Home page shows of their reflections (their own only), and its Write button."""

from __future__ import annotations

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.i18n import _
from bot.kernel.messages import Block, Button, Context, Message, Section
from bot.reflections.chat import created_day, open_form, visibility_word

RECENT_REFLECTIONS = 3


def reflections_section(ctx: Ctx, member: Member) -> list[Block]:
    """Their own latest reflections: nobody else's, whatever was shared with them."""
    assert member.id is not None
    mine = ctx.repos.reflections.for_member(member.id)[:RECENT_REFLECTIONS]
    if not mine:
        return [
            Section(
                _("*Your reflections*") + "\n" + _("None yet: a minute after a lesson is enough.")
            )
        ]
    lines = []
    for r in mine:
        text = " ".join((r.went_well or r.try_next).split())
        preview = text if len(text) <= 70 else text[:69] + "…"
        lines.append(
            _("• {date} · {visibility}: {preview}").format(
                date=created_day(r), visibility=visibility_word(r.visibility), preview=preview
            )
        )
    return [
        Section(_("*Your reflections*") + "\n" + "\n".join(lines)),
        Context(_("`reflections` lists them all; only you see the private ones.")),
    ]


def reflect_button(_ctx: Ctx, _member: Member) -> list[Button]:
    return [Button(_("Write a reflection"), "home.reflect", style="primary")]


def open_reflection(ctx: Ctx, _value: str) -> list[Message]:
    return open_form(ctx)
