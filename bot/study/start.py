"""``study start NAME with PEOPLE``: a cycle for the starter and the colleagues they name, or, with no
names, for the peer group they were last grouped with; everyone else is told and offered the plan."""

from __future__ import annotations

import re
from datetime import date

from bot.kernel.commands import usage_error
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, MemberStatus
from bot.kernel.errors import UserError
from bot.kernel.i18n import _, ngettext, when
from bot.kernel.messages import Actions, Button, Context, Message, Section, said
from bot.kernel.names import person_named
from bot.study.model import MAX_MEMBERS, MAX_NAME, PHASE_WORDS, PHASES, Cycle
from bot.study.schedule import day_text, first_dues

PLAN = "study.plan"
WITH = re.compile(r"\s+with\s+", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*(?:,|;|\band\b)\s*", re.IGNORECASE)


def dates_text(cycle: Cycle) -> str:
    return "\n".join(
        "• " + _("{phase}: by {day}").format(phase=_(PHASE_WORDS[p]), day=day_text(cycle.due[p]))
        for p in PHASES
    )


def plan_button(cycle: Cycle, label: str | None = None) -> Button:
    return Button(
        label or _("Share the plan"),
        PLAN,
        str(cycle.id),
        "primary",
        description=_("Open the plan for {name}").format(name=cycle.name),
    )


def start(ctx: Ctx, member: Member, rest: str) -> list[Message]:
    assert member.id is not None
    name, _with, people = _split(rest)
    if not name:
        raise usage_error("study", _("What will the group study? Give it a short name."))
    if len(name) > MAX_NAME:
        raise usage_error(
            "study", _("Please keep the name under {n} characters.").format(n=MAX_NAME)
        )
    others = _named(ctx, member, people) if people else _peer_group(ctx, member)
    return begin(ctx, member, name, others)


def begin(ctx: Ctx, member: Member, name: str, others: list[Member]) -> list[Message]:
    """The cycle for ``member`` and ``others``, everyone told: typed or from a group's introduction."""
    assert member.id is not None
    cycle = ctx.repos.study.add_cycle(
        Cycle(
            name=name,
            starter_id=member.id,
            timezone=member.timezone,
            due=first_dues(ctx.repos, member, ctx.local_today(member)),
        ),
        [member.id, *(o.id for o in others if o.id is not None)],
    )
    together = ", ".join(said(o.display_name) for o in others)
    for other in others:
        ctx.send_built(
            other,
            lambda: _invitation(cycle, member),
            f"study:{cycle.id}:invite:{other.id}",
        )
    text = _("Lesson study #{number} *{name}* has started with {people}.").format(
        number=cycle.id, name=said(name), people=together
    )
    return [
        Message(
            text=_("Lesson study #{number} {name} has started.").format(number=cycle.id, name=name),
            blocks=(
                Section(text),
                Section(
                    _("When each part is due (school days only):\n{dates}").format(
                        dates=dates_text(cycle)
                    )
                ),
                Actions((plan_button(cycle),)),
                Context(
                    _(
                        "Next: share the plan, then whoever teaches the research lesson books it "
                        "with `study book #{number}`."
                    ).format(number=cycle.id)
                ),
            ),
        )
    ]


def _invitation(cycle: Cycle, starter: Member) -> Message:
    """A colleague's invitation to the cycle, in the language being spoken."""
    text = _(
        "*{starter}* started a lesson study with you: *{name}* (#{number}). The group plans one "
        "research lesson together, one of you teaches it while the others watch what the "
        "students do, then you debrief and revise it."
    ).format(starter=said(starter.display_name), name=said(cycle.name), number=cycle.id)
    return Message(
        text=_("{starter} started a lesson study with you: {name}").format(
            starter=starter.display_name, name=cycle.name
        ),
        blocks=(
            Section(text),
            Section(_("When each part is due:\n{dates}").format(dates=dates_text(cycle))),
            Actions((plan_button(cycle, _("See the plan")),)),
        ),
        ephemeral=False,
    )


def _split(rest: str) -> tuple[str, str, str]:
    parts = WITH.split(rest.strip(), maxsplit=1)
    name = parts[0].strip().strip('"“”')
    return name, "", parts[1] if len(parts) > 1 else ""


def _named(ctx: Ctx, member: Member, people: str) -> list[Member]:
    """The colleagues named, each one person (a name two people share is refused with who is who),
    and each here to take part: someone who has left or is on a break is not signed up for weeks of
    work while away."""
    found: dict[int, Member] = {}
    missing: list[str] = []
    absent: list[str] = []
    today = ctx.local_today(member)
    for name in [n.strip() for n in SEPARATORS.split(people) if n.strip()]:
        person = person_named(ctx.repos, name)
        if person is None or person.id is None:
            missing.append(name)
        elif person.id == member.id:
            continue
        elif (why := away(person, today)) is not None:
            absent.append(why)
        else:
            found[person.id] = person
    if missing:
        raise UserError(
            _(
                "I couldn't find {names} here. Use the names colleagues have on Staffroom; "
                "nothing was started."
            ).format(names=", ".join(_("“{name}”").format(name=said(n)) for n in missing))
        )
    if absent:
        raise UserError(
            _(
                "{away}. Start the study with the others, or once they are back; nothing was started."
            ).format(away="; ".join(absent))
        )
    return sized(list(found.values()))


def away(person: Member, today: date) -> str | None:
    """Why ``person`` can't join a cycle now, as a sentence naming them, or None if they can."""
    name = said(person.display_name)
    if person.status is MemberStatus.OPTED_OUT:
        return _("{name} has left Staffroom").format(name=name)
    if not person.is_active_on(today):
        if person.paused_until:
            return _("{name} is taking a break until {day}").format(
                name=name, day=when(person.paused_until, "short")
            )
        return _("{name} is taking a break").format(name=name)
    return None


def _peer_group(ctx: Ctx, member: Member) -> list[Member]:
    """The people of the member's latest peer group (any program), when they have one."""
    assert member.id is not None
    pairings = [p for _round, p in ctx.repos.pairing.for_member(member.id) if len(p.members) > 2]
    if not pairings:
        raise usage_error(
            "study",
            _(
                "Who is in the group? Name them: "
                "`study start Fractions talk with Ben Okafor, Cora Diaz`."
            ),
        )
    ids = [m for m in pairings[-1].member_ids if m != member.id]
    people = ctx.repos.members.get_many(ids)
    today = ctx.local_today(member)
    return sized([people[i] for i in ids if i in people and away(people[i], today) is None])


def sized(others: list[Member]) -> list[Member]:
    if not others:
        raise usage_error(
            "study",
            _("A lesson study needs at least one colleague to observe: name them after `with`."),
        )
    if len(others) + 1 > MAX_MEMBERS:
        raise UserError(
            ngettext(
                "A lesson-study group works best small: at most {n} person, you included.",
                "A lesson-study group works best small: at most {n} people, you included.",
                MAX_MEMBERS,
            ).format(n=MAX_MEMBERS)
        )
    return others
