""" "I'd like some support": a teacher's own signal, sent to exactly whom they choose.

A check-in button and the ``support`` command both ask who should hear it (their mentor, their
program's coordinator, or both) and tell only them. It is never automatic and never read into a
reflection or an answer; the digest's "who needs a hand" counts the requests of its week.
"""

from __future__ import annotations

from bot.checkins.model import SupportRequest
from bot.checkins.questions import names_of
from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, ProgramRole
from bot.kernel.errors import UserError
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Actions, Button, Context, Message, Section, said, text_message

VERB = Verb(
    "support",
    "support",
    N_("Ask for some support: you choose who hears (your mentor, the coordinator, or both)."),
)

CHOICES = {"mentor": (True, False), "coordinator": (False, True), "both": (True, True)}


def mentor_of(ctx: Ctx, member: Member) -> Member | None:
    """The member's mentor in their latest published pairing, if they have one."""
    assert member.id is not None
    for round_, pairing in reversed(ctx.repos.pairing.for_member(member.id)):  # newest first
        if round_.published_at is None:
            continue
        roles = dict(pairing.members)
        if roles.get(member.id) == ProgramRole.MENTOR.value:
            continue
        for member_id, role in pairing.members:
            if role == ProgramRole.MENTOR.value and member_id != member.id:
                mentor = ctx.repos.members.get(member_id)
                if mentor is not None and mentor.reachable:
                    return mentor
        return None
    return None


def coordinators_of(ctx: Ctx, member: Member) -> tuple[list[Member], int | None]:
    """The coordinators of the member's programs (and the first program, for the digest's count)."""
    assert member.id is not None
    found: dict[int, Member] = {}
    first_program: int | None = None
    for membership in ctx.repos.memberships.for_member(member.id):
        if membership.role is ProgramRole.COORDINATOR:
            continue
        first_program = first_program or membership.program_id
        for other in ctx.repos.memberships.for_program(membership.program_id):
            if other.role is ProgramRole.COORDINATOR and other.member_id != member.id:
                person = ctx.repos.members.get(other.member_id)
                if person is not None and person.id is not None:
                    found[person.id] = person
    return sorted(found.values(), key=lambda m: m.display_name), first_program


def ask_whom(ctx: Ctx, member: Member) -> list[Message]:
    mentor = mentor_of(ctx, member)
    coordinators, _program = coordinators_of(ctx, member)
    buttons: list[Button] = []
    if mentor is not None:
        buttons.append(
            Button(
                _("My mentor, {name}").format(name=said(mentor.display_name.split()[0])),
                "support.send",
                value="mentor",
                description=_("Tell only my mentor that I'd like some support"),
            )
        )
    if coordinators:
        buttons.append(
            Button(
                _("The coordinator"),
                "support.send",
                value="coordinator",
                description=_("Tell only my program's coordinator that I'd like some support"),
            )
        )
    if mentor is not None and coordinators:
        buttons.append(
            Button(
                _("Both"),
                "support.send",
                value="both",
                description=_("Tell my mentor and my program's coordinator"),
            )
        )
    if not buttons:
        return [
            text_message(
                _(
                    "There's nobody to tell yet: you have no mentor and your programs have no "
                    "coordinator. Nothing was sent."
                )
            )
        ]
    text = _("Who would you like to hear that you'd like some support? Only they are told.")
    return [
        Message(
            text=text,
            blocks=(
                Section(text),
                Actions(tuple(buttons)),
                Context(_("Nothing you've written is passed on: just that you asked.")),
            ),
        )
    ]


def support_command(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    if cmd.args:
        raise usage_error("support", _("Just type `support`, then choose who hears."))
    return ask_whom(ctx, member)


def support_button(ctx: Ctx, value: str) -> list[Message]:
    return ask_whom(ctx, ctx.require_member())


def send(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    assert member.id is not None
    if value not in CHOICES:
        raise UserError(_("Please choose your mentor, the coordinator, or both."))
    to_mentor, to_coordinator = CHOICES[value]
    mentor = mentor_of(ctx, member) if to_mentor else None
    coordinators, program_id = coordinators_of(ctx, member)
    recipients = ([mentor] if mentor is not None else []) + (coordinators if to_coordinator else [])
    if not recipients:
        raise UserError(_("I can't find anyone for that choice now; nothing was sent."))
    ctx.repos.checkins.add_support(
        SupportRequest(
            member_id=member.id,
            program_id=program_id,
            to_mentor=mentor is not None,
            to_coordinator=to_coordinator and bool(coordinators),
            created_at=ctx.now,
        )
    )
    stamp = f"{ctx.now:%Y%m%dT%H%M%S}"
    for person in recipients:
        assert person.id is not None
        ctx.send_built(
            person, lambda: _asked_for_support(member), f"support:{member.id}:{stamp}:{person.id}"
        )
    names = names_of(
        (
            [_("your mentor {name}").format(name=said(mentor.display_name))]
            if mentor is not None
            else []
        )
        + (
            [_("the coordinator {name}").format(name=said(c.display_name)) for c in coordinators]
            if to_coordinator
            else []
        )
    )
    return [
        text_message(
            _("Sent. Only {names} will hear that you'd like some support.").format(names=names)
        )
    ]


def _asked_for_support(member: Member) -> Message:
    """What the mentor or coordinator reads, written in their language."""
    note = _(
        "{name} would like some support. They chose to tell you; "
        "a message from you this week would mean a lot."
    ).format(name=said(member.display_name))
    return Message(text=note, blocks=(Section(note),), ephemeral=False)
