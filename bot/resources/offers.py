"""The library's part in other features: resources offered in check-ins, reflections, introductions and
after a new goal; and the library's part of export-my-data and forget-me.

``bot/features.py`` passes these to the features they help, as ports; none of those features imports this.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.kernel.context import Ctx, speaking_to
from bot.kernel.domain import Member
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Actions, Block, Button, Message, Section
from bot.kernel.ports import Scope
from bot.resources.model import ShownIn
from bot.resources.render import HELPFUL, names, shortened
from bot.resources.surfacing import (
    SHARED_ON_THIS,
    suggest_for_many,
    suggest_resources,
    suggestion_blocks,
    suggestions_for,
)

if TYPE_CHECKING:
    from bot.pairing.intro import Introduction


TO_START = N_("📚 Something colleagues shared that may help you start:")


def checkin_suggestions(repos: Scope, member: Member, topic: str) -> Sequence[Block]:
    """At most two resources in exactly two blocks (the check-in feature keeps two blocks at most):
    one section listing them, one row of Helpful buttons."""
    chosen = suggest_resources(repos, member, topic, shown_in=ShownIn.SUGGESTED)
    if not chosen:
        return ()
    lines = [_(SHARED_ON_THIS)]
    for resource in chosen:
        link = f" {resource.url}" if resource.url else ""
        lines.append(
            _("• *{title}*{link} (shared by {names})").format(
                title=resource.title, link=link, names=names(resource.sharers)
            )
        )
    buttons = tuple(
        Button(
            _("Helpful: {title}").format(title=shortened(r.title, 30)),
            HELPFUL,
            str(r.id),
            description=_("Mark “{title}” as helpful").format(title=r.title),
        )
        for r in chosen
    )
    return (Section("\n".join(lines)), Actions(buttons))


def introduction_suggestions(
    repos: Scope, intros: Sequence[Introduction], now: datetime
) -> list[Sequence[Block]]:
    """Up to two resources for what each new pair or group will talk about (the mentee's or the
    group's goals): a whole round's introductions in one batch."""
    asks = [(i, " ".join(i.focus_goals)) for i in intros if i.focus_goals]
    if not asks:
        return [() for _intro in intros]
    members = repos.members.get_many([i.recipient.member_id for i, _words in asks])
    known = [
        (members[i.recipient.member_id], w, i) for i, w in asks if i.recipient.member_id in members
    ]
    if not known:
        return [() for _intro in intros]
    found = suggest_for_many(
        repos, [(m, w) for m, w, _intro in known], now=now, shown_in=ShownIn.PAIRING
    )
    by_intro = {id(i): chosen for (_m, _w, i), chosen in zip(known, found, strict=True)}
    blocks: list[Sequence[Block]] = []
    # A round offers a few hundred distinct pairs of resources to thousands of people: the blocks
    # for one pair in one language are drawn once.
    drawn: dict[tuple[str, tuple[int | None, ...]], Sequence[Block]] = {}
    for intro in intros:
        chosen = by_intro.get(id(intro), [])
        reader = members.get(intro.recipient.member_id)
        if not chosen or reader is None:
            blocks.append(())
            continue
        with speaking_to(reader) as language:  # read in its recipient's language
            key = (language, tuple(r.id for r in chosen))
            if key not in drawn:
                drawn[key] = suggestion_blocks(chosen, intro=_(TO_START))
            blocks.append(drawn[key])
    return blocks


def export(repos: Scope, member: Member) -> dict[str, Any]:
    assert member.id is not None
    return {
        "resources_shared": [
            {"title": r.title, "url": r.url, "note": r.note, "tags": r.tags}
            for r in repos.resources.shared_by(member.id)
        ],
        "resource_marks": [
            {"title": r.title, "mark": mark.value}
            for r, mark in repos.resources.marks_by(member.id)
        ],
    }


def forget(repos: Scope, member: Member) -> None:
    """What they were shown goes; what they shared stays in the library under the anonymised name."""
    assert member.id is not None
    repos.resources.forget_views(member.id)


def goal_suggestions(ctx: Ctx, goal: str) -> list[Message]:
    """After ``goals add``: at most two resources that fit the new goal."""
    if ctx.member is None:
        return []
    blocks = suggestions_for(
        ctx.repos,
        ctx.member,
        goal,
        now=ctx.now,
        shown_in=ShownIn.PROFILE,
        intro=_("📚 For your new goal, colleagues shared:"),
    )
    if not blocks:
        return []
    return [Message(text=_("Colleagues shared something for your new goal."), blocks=blocks)]
