"""Who may see what, and a teacher's control over their own data (export, forget).

The rules, in one place so every feature asks the same question the same way:

* a reflection is its author's; they always see it, drafts included;
* "my mentor or group" shares it with the people the author is paired or grouped with, nobody else;
* "the shared wall" shows it to the program without the author's name;
* a coordinator has no extra power over text: they see counts and ratings (``checkins`` verb), never
  a private reflection; there is no query in the core that gives them one.

``export-my-data`` hands the member a JSON file of everything stored about them; ``forget-me`` erases
their personal data and reflections and keeps only anonymous counts. Both ask for a button press first.
Every other feature adds what it stores through its ``export`` and ``forget`` parts (``Feature``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from bot.kernel.commands import ParsedCommand, Verb
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, MemberStatus
from bot.kernel.feature import ExportPart, ForgetPart
from bot.kernel.i18n import N_, _, ngettext, number
from bot.kernel.messages import Attachment, Message, Section, text_message
from bot.kernel.names import FORGOTTEN_NAME
from bot.kernel.ports import Scope
from bot.kernel.replies import confirm
from bot.privacy.redaction import forget_in_messages
from bot.reflections.model import Reflection, Visibility

VERBS = (
    Verb(
        "export-my-data",
        "export-my-data",
        N_("A JSON file of everything Staffroom stores about you."),
    ),
    Verb(
        "forget-me",
        "forget-me",
        N_("Erase your profile and reflections for good (anonymous counts stay)."),
    ),
)


def can_see(viewer: Member, reflection: Reflection, author_partners: set[int]) -> bool:
    """The one rule for reading a reflection's text."""
    if viewer.id is not None and viewer.id == reflection.member_id:
        return True
    if reflection.is_draft:
        return False
    if reflection.visibility is Visibility.WALL:
        return True  # shown anonymously
    if reflection.visibility is Visibility.MENTOR:
        return viewer.id in author_partners
    return False


# --- export-my-data ------------------------------------------------------------------------------


def export_command(ctx: Ctx, _cmd: ParsedCommand) -> list[Message]:
    ctx.require_member()
    text = _("I'll put everything Staffroom stores about you in one JSON file. Go ahead?")
    return [confirm(text, _("Yes, export my data"), "privacy.export")]


def export_messages(repos: Scope, member: Member) -> dict[str, Any]:
    """Privacy's own part: the messages Staffroom sent or will send the member."""
    assert member.id is not None
    return {
        "messages_to_you": repos.privacy.messages_for(member.id),
        "platform_records": repos.privacy.platform_records(member.platform_user_id),
    }


def export_data(
    repos: Scope, member: Member, parts: Sequence[tuple[str, ExportPart]]
) -> dict[str, Any]:
    """Every feature's part, in the order the features are listed."""
    data: dict[str, Any] = {}
    for _feature, part in parts:
        data.update(part(repos, member))
    return data


def export_button(ctx: Ctx, _value: str) -> list[Message]:
    member = ctx.require_member()
    data = {
        "exported_at": ctx.now.isoformat(),
        **export_data(ctx.repos, member, ctx.registry.export_parts()),
    }
    content = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    reflections, checkins = len(data.get("reflections", [])), len(data.get("checkins", []))
    text = _("Here is everything Staffroom stores about you ({reflections}, {checkins}).").format(
        reflections=ngettext("{n} reflection", "{n} reflections", reflections).format(
            n=number(reflections)
        ),
        checkins=ngettext("{n} check-in", "{n} check-ins", checkins).format(n=number(checkins)),
    )
    return [
        Message(
            text=text,
            blocks=(Section(text),),
            attachments=(Attachment("staffroom-my-data.json", "application/json", content),),
        )
    ]


# --- forget-me ------------------------------------------------------------------------------------


def forget_command(ctx: Ctx, _cmd: ParsedCommand) -> list[Message]:
    ctx.require_member()
    text = _(
        "This erases your profile, goals and every reflection you wrote, and stops all messages. "
        "Anonymous counts stay (how many check-ins were answered), with no name on them. "
        "It cannot be undone. Are you sure?"
    )
    return [confirm(text, _("Yes, erase my data"), "privacy.forget", danger=True)]


def forget(
    repos: Scope, member: Member, parts: Sequence[tuple[str, ForgetPart]] = ()
) -> dict[str, int]:
    """Erase the member's personal data in this unit of work; what is left cannot name them."""
    assert member.id is not None
    words = [*member.goals, *member.strengths]
    for _feature, part in parts:
        words += part(repos, member) or ()
    erased = {
        "reflections": repos.privacy.delete_reflections(member.id),
        "messages": repos.privacy.cancel_pending_for(member.id),
        "mentions": forget_in_messages(repos, member, words),
    }
    member.display_name = FORGOTTEN_NAME
    repos.privacy.forget_platform_user(member.platform_user_id)
    member.platform_user_id = f"forgotten-{member.id}"
    repos.privacy.readdress(member.id, member.platform_user_id)
    member.email = None
    member.subjects = []
    member.grade_bands = []
    member.school = None
    member.years_experience = None
    member.goals = []
    member.strengths = []
    member.timezone = "UTC"
    member.status = MemberStatus.OPTED_OUT
    member.paused_until = None
    member.consented_at = None
    member.reachable = False
    repos.members.save(member)
    return erased


def forget_button(
    ctx: Ctx, _value: str, *, member_forgotten: Callable[[Ctx, Member], None] | None = None
) -> list[Message]:
    member = ctx.require_member()
    if member_forgotten is not None:
        member_forgotten(ctx, member)
    erased = forget(ctx.repos, member, ctx.registry.forget_parts())
    count = erased["reflections"]
    return [
        text_message(
            ngettext(
                "Done: your profile and your {n} reflection are erased and no more messages will "
                "come. Thank you for taking part. Type `join` if you ever want to come back.",
                "Done: your profile and {n} reflections are erased and no more messages will "
                "come. Thank you for taking part. Type `join` if you ever want to come back.",
                count,
            ).format(n=number(count))
        )
    ]
