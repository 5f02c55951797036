"""What a cycle looks like to whoever asks: its members see everything the group shares (plan, lesson,
who watches what, the notes once gathered); a coordinator sees every cycle's phase and dates and
nothing the group wrote, not its plan, notes or revisions."""

from __future__ import annotations

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.errors import UserError
from bot.kernel.i18n import _, ngettext, when
from bot.kernel.messages import Context, Message, Section, said, text_message
from bot.study.cycles import cycle_for, members_of, names_of
from bot.study.model import OPEN_PHASES, PHASE_WORDS, PHASES, Cycle, Phase
from bot.study.plan import plan_text
from bot.study.schedule import day_text


def dates_line(cycle: Cycle) -> str:
    return "; ".join(
        (
            _("{phase} on {day}") if p is Phase.TEACH and cycle.booked else _("{phase} by {day}")
        ).format(phase=_(PHASE_WORDS[p]), day=day_text(cycle.due[p]))
        for p in PHASES
    )


def list_cycles(ctx: Ctx, member: Member) -> list[Message]:
    assert member.id is not None
    if member.is_coordinator:
        return [_coordinator_list(ctx)]
    mine = ctx.repos.study.cycles_of(member.id)
    if not mine:
        return [
            text_message(
                _(
                    "You're in no lesson study yet. Start one: "
                    "`study start Fractions talk with Ben Okafor, Cora Diaz`."
                )
            )
        ]
    lines = [f"#{c.id} *{said(c.name)}*: {_(PHASE_WORDS[c.phase])}" for c in mine]
    return [
        text_message(
            _("Your lesson studies:\n{cycles}\n`study show #N` for one.").format(
                cycles="\n".join(lines)
            )
        )
    ]


def _coordinator_list(ctx: Ctx) -> Message:
    cycles = ctx.repos.study.cycles((*OPEN_PHASES, Phase.DONE))
    if not cycles:
        return text_message(_("No lesson studies yet. Teachers start one with `study start`."))
    lines = []
    for c in cycles:
        people = len(members_of(ctx, c))
        lines.append(
            ngettext(
                "#{number} *{name}*, {n} teacher: now *{phase}*. {dates}.",
                "#{number} *{name}*, {n} teachers: now *{phase}*. {dates}.",
                people,
            ).format(
                number=c.id,
                name=said(c.name),
                n=people,
                phase=_(PHASE_WORDS[c.phase]),
                dates=dates_line(c),
            )
        )
    text = _("Lesson studies in this workspace:\n{cycles}").format(cycles="\n".join(lines))
    return Message(
        text=text,
        blocks=(
            Section(text),
            Context(
                _(
                    "You see each cycle's phase and dates; the plan, notes and revisions stay "
                    "with the group."
                )
            ),
        ),
    )


def show(ctx: Ctx, member: Member, ref: str | None) -> list[Message]:
    if member.is_coordinator and ref:
        try:
            cycle = cycle_for(ctx, member, ref)
        except UserError:
            return [_coordinator_view(ctx, ref)]
    else:
        cycle = cycle_for(ctx, member, ref)
    return [_member_view(ctx, cycle)]


def _coordinator_view(ctx: Ctx, ref: str) -> Message:
    from bot.kernel.context import record_id

    cycle = ctx.repos.study.get_cycle(record_id(ref) or 0)
    if cycle is None:
        raise UserError(
            _("There is no lesson study with that number. Type `study list` to see them.")
        )
    text = _("Lesson study #{number} *{name}*: now *{phase}*.").format(
        number=cycle.id, name=said(cycle.name), phase=_(PHASE_WORDS[cycle.phase])
    )
    teachers = len(members_of(ctx, cycle))
    return Message(
        text=text,
        blocks=(
            Section(text, _due_fields(cycle)),
            Context(
                ngettext(
                    "{n} teacher. The plan, notes and revisions stay with the group.",
                    "{n} teachers. The plan, notes and revisions stay with the group.",
                    teachers,
                ).format(n=teachers)
            ),
        ),
    )


def _due_fields(cycle: Cycle) -> tuple[tuple[str, str], ...]:
    return tuple((_(PHASE_WORDS[p]), day_text(cycle.due[p])) for p in PHASES)


def _member_view(ctx: Ctx, cycle: Cycle) -> Message:
    members = members_of(ctx, cycle)
    names = names_of(ctx, [m.member_id for m in members])
    head = _("Lesson study #{number} *{name}*: now *{phase}*.").format(
        number=cycle.id, name=said(cycle.name), phase=_(PHASE_WORDS[cycle.phase])
    )
    blocks: list[Section | Context] = [Section(head, _due_fields(cycle))]
    if cycle.plan.is_shared:
        blocks.append(Section(_("The plan"), tuple(plan_text(cycle.plan))))
    if cycle.booked and cycle.lesson_on is not None and cycle.teacher_id is not None:
        watching = "\n".join(
            "• "
            + _("*{name}* watches {focus}").format(
                name=said(names[m.member_id]), focus=said(m.focus)
            )
            for m in members
            if m.member_id != cycle.teacher_id and m.focus
        )
        blocks.append(
            Section(
                _("*{name}* teaches on {day}, {period}, class {class_name}.\n{watching}").format(
                    name=said(names.get(cycle.teacher_id, _("A colleague"))),
                    day=when(cycle.lesson_on, "day"),
                    period=said(cycle.period),
                    class_name=said(cycle.class_name),
                    watching=watching,
                )
            )
        )
    else:
        blocks.append(
            Section(
                _("Group: {names}").format(
                    names=", ".join(said(names[m.member_id]) for m in members)
                )
            )
        )
    if cycle.phase is not Phase.PLAN and cycle.phase is not Phase.TEACH:
        notes = ctx.repos.study.notes(cycle.id or 0)
        if notes:
            observer = _("An observer")
            blocks.append(
                Section(
                    _("Notes:\n{notes}").format(
                        notes="\n".join(
                            f"• {said(names.get(n.member_id, observer))}: {said(n.text)}"
                            for n in notes
                        )
                    )
                )
            )
    return Message(text=unsaid_head(cycle), blocks=tuple(blocks))


def unsaid_head(cycle: Cycle) -> str:
    return _("Lesson study #{number} {name}: now {phase}.").format(
        number=cycle.id, name=cycle.name, phase=_(PHASE_WORDS[cycle.phase])
    )
