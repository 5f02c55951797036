"""Who is in a program, by where they are: active, invited and not started, paused, left.

``program show`` ends with these lists so a coordinator sees at a glance who hasn't started, since
when, and can *Nudge* them (one friendly reminder, see ``reminders``). Long lists are cut short: a
district's program is thousands of people, and the digest lists every one who needs a hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.checkins.schedule import zone
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, Membership, MemberStatus, Program, ProgramRole
from bot.kernel.i18n import _, ngettext, when
from bot.kernel.identity import is_pending
from bot.kernel.messages import Actions, Block, Button, Context, Section, said
from bot.programs.reminders import NUDGE_ACTION

NAMES_SHOWN = 30
NUDGES_SHOWN = 10
"""Not-started people shown each with their own Nudge button; Slack allows 50 blocks a message."""
TEACHING_ROLES = (ProgramRole.MENTOR, ProgramRole.MENTEE, ProgramRole.PEER)


@dataclass
class ProgramPeople:
    active: list[Member] = field(default_factory=list)
    not_started: list[tuple[Member, Membership]] = field(default_factory=list)
    paused: list[Member] = field(default_factory=list)
    left: list[Member] = field(default_factory=list)


def program_people(ctx: Ctx, program: Program) -> ProgramPeople:
    """The program's teachers sorted by state, read in two queries however many there are."""
    assert program.id is not None
    places = {
        m.member_id: m
        for m in ctx.repos.memberships.for_program(program.id)
        if m.role is not ProgramRole.COORDINATOR
    }
    members = ctx.repos.members.in_program(
        program.id,
        TEACHING_ROLES,
        (MemberStatus.ACTIVE, MemberStatus.PAUSED, MemberStatus.OPTED_OUT),
    )
    people = ProgramPeople()
    for member in sorted(members, key=lambda m: (m.display_name.lower(), m.id or 0)):
        place = places.get(member.id or 0)
        if place is None:
            continue
        if member.status is MemberStatus.OPTED_OUT:
            people.left.append(member)
        elif member.consented_at is None:
            people.not_started.append((member, place))
        elif not member.is_active_on(ctx.now.astimezone(zone(member)).date()):
            people.paused.append(member)
        else:
            people.active.append(member)
    people.not_started.sort(key=lambda e: (_since(e[1]) or ctx.now, e[0].display_name.lower()))
    return people


def _since(place: Membership) -> datetime | None:
    return place.invited_at or place.joined_at


def _days(since: datetime | None, now: datetime) -> str:
    if since is None:
        return ""
    if since > now:
        return _("invitation queued for school hours")
    days = (now - since).days
    if days == 0:
        return _("invited today")
    return ngettext("invited {n} day ago", "invited {n} days ago", days).format(n=days)


def _names(members: list[Member]) -> str:
    names = ", ".join(said(m.display_name) for m in members[:NAMES_SHOWN])
    more = len(members) - NAMES_SHOWN
    if more <= 0:
        return names
    return ngettext("{names} and {n} more", "{names} and {n} more", more).format(
        names=names, n=more
    )


def people_blocks(ctx: Ctx, program: Program) -> list[Block]:
    """The lists as blocks: a heading a state, names, and a Nudge beside each not-started person."""
    assert program.id is not None
    people = program_people(ctx, program)
    blocks: list[Block] = []
    blocks.append(
        Section(
            _("*Active* ({n}): {names}").format(
                n=len(people.active), names=_names(people.active) or _("nobody yet")
            )
        )
    )
    blocks.append(Section(_("*Invited, not started* ({n})").format(n=len(people.not_started))))
    for member, place in people.not_started[:NUDGES_SHOWN]:
        line = f"{said(member.display_name)}: {_days(_since(place), ctx.now)}"
        if place.reminded_at is not None:
            line += "; " + _("reminded {day}").format(day=when(place.reminded_at, "short"))
        if is_pending(member):
            blocks.append(
                Context(
                    _(
                        "{line}; known only by e-mail, reachable once they write to Staffroom"
                    ).format(line=line)
                )
            )
            continue
        blocks.append(Section(line))
        blocks.append(
            Actions(
                (
                    Button(
                        _("Nudge"),
                        NUDGE_ACTION,
                        f"{program.id}:{member.id}",
                        description=_("Send {name} one friendly reminder to join").format(
                            name=member.display_name
                        ),
                    ),
                )
            )
        )
    rest = len(people.not_started) - NUDGES_SHOWN
    if rest > 0:
        blocks.append(
            Context(
                ngettext(
                    "…and {n} more; the weekly digest lists everyone waiting.",
                    "…and {n} more; the weekly digest lists everyone waiting.",
                    rest,
                ).format(n=rest)
            )
        )
    if people.paused:
        blocks.append(
            Section(
                _("*Paused* ({n}): {names}").format(
                    n=len(people.paused), names=_names(people.paused)
                )
            )
        )
    if people.left:
        blocks.append(
            Section(
                _("*Left* ({n}): {names}").format(n=len(people.left), names=_names(people.left))
            )
        )
    return blocks
