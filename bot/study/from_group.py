"""A lesson study started from a peer group's introduction: the group is already there, so the button
asks only what the group will study, and the cycle holds the people of that pairing who are on
Staffroom and not on a break.

The button carries the pairing's id, which is only ever a key: the person pressing must be in that
pairing, in this workspace, or nothing is started.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from datetime import datetime

from bot.kernel.context import Ctx, record_id, speaking_to
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Actions, Block, Button, Form, Input, Message
from bot.kernel.ports import Scope
from bot.pairing.intro import Introduction
from bot.study.model import MAX_NAME
from bot.study.start import away, begin, sized

FROM_GROUP = "study.from_group"
START_FORM = "study.start"
NOT_YOURS = N_("That button belongs to a group you're not in, so nothing was started.")


def group_button(scope: Scope, intros: Sequence[Introduction], _now: datetime) -> list[list[Block]]:
    """On a peer group's introduction (three or more people), a button to start a lesson study, in
    the words of the introduction's recipient: one batch holds everyone's introductions."""
    groups = [intro for intro in intros if len(intro.others) >= 2]
    people = scope.members.get_many([i.recipient.member_id for i in groups]) if groups else {}
    added: list[list[Block]] = []
    for intro in intros:
        if len(intro.others) < 2:
            added.append([])
            continue
        recipient = people.get(intro.recipient.member_id)
        with speaking_to(recipient) if recipient is not None else nullcontext():
            added.append([Actions((_start_button(intro.pairing_id),))])
    return added


def _start_button(pairing_id: int) -> Button:
    return Button(
        _("Start a lesson study together"),
        FROM_GROUP,
        str(pairing_id),
        description=_("Plan, teach, observe and revise one research lesson as a group"),
    )


def start_form(state: str) -> Form:
    return Form(
        form_id=START_FORM,
        title=_("Start a lesson study"),
        inputs=(
            Input(
                "name",
                _("What will the group study?"),
                placeholder=_("Fractions talk"),
                max_length=MAX_NAME,
            ),
        ),
        submit_label=_("Start it and tell the group"),
        state=state,
    )


def open_start(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    _group(ctx, member, value)
    return [Message(text=_("Start a lesson study"), form=start_form(value))]


def rebuild_start(_ctx: Ctx, state: str) -> Form:
    return start_form(state)


def submit_start(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    member = ctx.require_member()
    others = _group(ctx, member, state)
    name = form_text(values, "name").strip('"“”')
    if not name:
        raise FormInvalid({"name": _("Give it a short name, such as the topic of the lesson.")})
    if len(name) > MAX_NAME:
        raise FormInvalid(
            {"name": _("Please keep the name under {n} characters.").format(n=MAX_NAME)}
        )
    return begin(ctx, member, name, others)


def _group(ctx: Ctx, member: Member, value: str) -> list[Member]:
    """The others in the pairing the button names, if the presser is one of them."""
    pairing_id = record_id(value)
    pairing = ctx.repos.pairing.pairing(pairing_id) if pairing_id is not None else None
    if pairing is None or member.id not in pairing.member_ids:
        raise UserError(_(NOT_YOURS))
    ids = [m for m in pairing.member_ids if m != member.id]
    people = ctx.repos.members.get_many(ids)
    today = ctx.local_today(member)
    return sized([people[i] for i in ids if i in people and away(people[i], today) is None])
