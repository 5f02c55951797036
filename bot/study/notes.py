"""Observers' notes on what students did, the debrief that gathers them for the group, and the one
revision each member proposes.

Notes go to the cycle's members and nobody else: the debrief is sent to each of them, never to a
channel or a coordinator. The debrief goes once, when the last observer's notes are in or on the
debrief's due date, whichever comes first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.kernel.context import Ctx, speaking_to
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import _, ngettext, number, when
from bot.kernel.messages import (
    Actions,
    Button,
    Context,
    Form,
    Input,
    InputKind,
    Message,
    Section,
    said,
    text_message,
)
from bot.kernel.ports import Scope
from bot.study.cycles import cycle_for
from bot.study.model import MAX_FIELD, MAX_NOTE, PHASE_NAMES, Cycle, Note, Phase, StudyMember
from bot.study.schedule import day_text

REVISE = "study.revise"
REVISE_FORM = "study.revise"


def observers(repos: Scope, cycle: Cycle) -> list[StudyMember]:
    return [m for m in repos.study.members(cycle.id or 0) if m.member_id != cycle.teacher_id]


def post_note(ctx: Ctx, member: Member, ref: str | None, text: str) -> list[Message]:
    cycle = cycle_for(ctx, member, ref, lock=True)
    if not text:
        raise UserError(
            _(
                "What did the students do? `study note #{number} The group at table 3 "
                "compared methods before anyone wrote`."
            ).format(number=cycle.id)
        )
    if len(text) > MAX_NOTE:
        raise UserError(
            _(
                "That note is {length} characters; please keep one under {limit} "
                "(post two if you need)."
            ).format(length=number(len(text)), limit=number(MAX_NOTE))
        )
    if member.id == cycle.teacher_id:
        raise UserError(
            _(
                "You teach the research lesson, so the notes are your colleagues' to write: they "
                "reach you at the debrief. Your own thoughts belong in your revision (`study revise`)."
            )
        )
    if cycle.phase is not Phase.TEACH or cycle.lesson_on is None:
        raise UserError(
            _("Notes are for the research lesson, and the lesson isn't booked yet.")
            if cycle.lesson_on is None
            else _(
                "Notes are for the research lesson, and the debrief has gathered the notes already."
            )
        )
    if ctx.local_today(member) < cycle.lesson_on:
        raise UserError(
            _(
                "The lesson is on {day}: notes are what students did in it, so post them once you "
                "have watched it."
            ).format(day=when(cycle.lesson_on, "day"))
        )
    assert member.id is not None and cycle.id is not None
    ctx.repos.study.add_note(Note(cycle.id, member.id, text))
    mine = [n for n in ctx.repos.study.notes(cycle.id) if n.member_id == member.id]
    waiting = [m for m in observers(ctx.repos, cycle) if not _has_notes(ctx.repos, cycle, m)]
    if not waiting:
        gather_debrief(ctx.repos, cycle, ctx.now)
        return [
            text_message(
                _(
                    "Noted. Every observer's notes are in, so the debrief has gone to the group "
                    "of *{name}*."
                ).format(name=said(cycle.name))
            )
        ]
    return [
        text_message(
            ngettext(
                "Noted ({n} note from you). Only the group sees them, at the debrief on {day} "
                "at the latest.",
                "Noted ({n} notes from you). Only the group sees them, at the debrief on {day} "
                "at the latest.",
                len(mine),
            ).format(n=len(mine), day=day_text(cycle.due[Phase.DEBRIEF]))
        )
    ]


def _has_notes(repos: Scope, cycle: Cycle, m: StudyMember) -> bool:
    return any(n.member_id == m.member_id for n in repos.study.notes(cycle.id or 0))


def gather_debrief(repos: Scope, cycle: Cycle, now: datetime) -> int:
    """Send each member the notes, observer by observer, and ask for one revision; the phase moves on."""
    assert cycle.id is not None
    members = repos.study.members(cycle.id)
    people = repos.members.get_many([m.member_id for m in members])
    notes = repos.study.notes(cycle.id)
    sent = 0
    for m in members:
        person = people.get(m.member_id)
        if person is not None:
            with speaking_to(person):
                message = _debrief_message(cycle, members, people, notes)
            sent += repos.outbox.enqueue(
                person, message, f"study:{cycle.id}:debrief:{m.member_id}", now
            )
    cycle.phase = Phase.DEBRIEF
    cycle.debriefed_at = now
    repos.study.save_cycle(cycle)
    return sent


def _debrief_message(
    cycle: Cycle, members: list[StudyMember], people: Mapping[int, Member], notes: list[Note]
) -> Message:
    """The notes for the group, in the language being spoken."""
    blocks: list[Section | Context | Actions] = [
        Section(
            _(
                "The notes from the research lesson of *{name}* are in. They are for the group "
                "only. Talk them through together, then each of you proposes one revision to the "
                "lesson."
            ).format(name=said(cycle.name))
        )
    ]
    for m in members:
        if m.member_id == cycle.teacher_id:
            continue
        theirs = [n.text for n in notes if n.member_id == m.member_id]
        who = people[m.member_id].display_name if m.member_id in people else _("An observer")
        heading = (
            _("*{name}* watched {focus}").format(name=said(who), focus=said(m.focus))
            if m.focus
            else _("*{name}* watched the class").format(name=said(who))
        )
        body = "\n".join(f"• {said(t)}" for t in theirs) or _("_No notes posted._")
        blocks.append(Section(f"{heading}:\n{body}"))
    blocks.append(Actions((revise_button(cycle),)))
    blocks.append(
        Context(
            _(
                "Debrief by {debrief}; revisions by {revise}. Or type "
                "`study revise #{number} your revision`."
            ).format(
                debrief=day_text(cycle.due[Phase.DEBRIEF]),
                revise=day_text(cycle.due[Phase.REVISE]),
                number=cycle.id,
            )
        )
    )
    return Message(
        text=_("The debrief notes for {name}").format(name=cycle.name),
        blocks=tuple(blocks),
        ephemeral=False,
    )


def revise_button(cycle: Cycle) -> Button:
    return Button(
        _("Propose a revision"),
        REVISE,
        str(cycle.id),
        "primary",
        description=_("Propose one revision to the lesson of {name}").format(name=cycle.name),
    )


def revise_form(cycle: Cycle, current: str = "") -> Form:
    return Form(
        form_id=REVISE_FORM,
        title=_("One revision"),
        state=str(cycle.id),
        submit_label=_("Send to the group"),
        inputs=(
            Input(
                "revision",
                _("One change to the lesson, from what students did"),
                InputKind.MULTILINE,
                initial=current or None,
                max_length=MAX_FIELD,
            ),
        ),
    )


def open_revision(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    cycle = cycle_for(ctx, member, value or None)
    _check_revisable(cycle)
    return [
        Message(
            text=_("One revision for {name}").format(name=cycle.name),
            form=revise_form(cycle, _own(ctx, cycle, member).revision),
        )
    ]


def rebuild_revision(ctx: Ctx, state: str) -> Form:
    member = ctx.require_member()
    return revise_form(cycle_for(ctx, member, state))


def submit_revision(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    member = ctx.require_member()
    text = form_text(values, "revision")
    if not text:
        raise FormInvalid({"revision": _("Write the one change you would make.")})
    if len(text) > MAX_FIELD:
        raise FormInvalid(
            {"revision": _("Please keep it under {n} characters.").format(n=MAX_FIELD)}
        )
    return revise(ctx, member, state, text)


def _check_revisable(cycle: Cycle) -> None:
    if cycle.phase not in (Phase.DEBRIEF, Phase.REVISE):
        raise UserError(
            _("Revisions come after the debrief; *{name}* is in its {phase} phase.").format(
                name=said(cycle.name), phase=_(PHASE_NAMES[cycle.phase])
            )
        )


def _own(ctx: Ctx, cycle: Cycle, member: Member) -> StudyMember:
    return next(m for m in ctx.repos.study.members(cycle.id or 0) if m.member_id == member.id)


def revise(ctx: Ctx, member: Member, ref: str | None, text: str) -> list[Message]:
    cycle = cycle_for(ctx, member, ref, lock=True)
    if not text:
        raise UserError(
            _(
                "What one change would you make? "
                "`study revise #{number} Give pairs a minute to talk before writing`."
            ).format(number=cycle.id)
        )
    if len(text) > MAX_FIELD:
        raise UserError(
            _(
                "Please keep a revision under {n} characters: one change, in a sentence or two."
            ).format(n=MAX_FIELD)
        )
    _check_revisable(cycle)
    mine = _own(ctx, cycle, member)
    mine.revision, mine.revised_at = text, ctx.now
    ctx.repos.study.save_member(mine)
    missing = [m for m in ctx.repos.study.members(cycle.id or 0) if not m.revision]
    if not missing:
        close_revisions(ctx.repos, cycle, ctx.now)
        return [
            text_message(
                _("Thank you. Every revision for *{name}* is in; the group has them all.").format(
                    name=said(cycle.name)
                )
            )
        ]
    return [
        text_message(
            ngettext(
                "Thank you: your revision is saved ({n} still to come). Send another to replace it.",
                "Thank you: your revision is saved ({n} still to come). Send another to replace it.",
                len(missing),
            ).format(n=len(missing))
        )
    ]


def close_revisions(repos: Scope, cycle: Cycle, now: datetime) -> None:
    """Everyone gets the group's revisions; the reteach, optional, is next."""
    assert cycle.id is not None
    members = repos.study.members(cycle.id)
    people = repos.members.get_many([m.member_id for m in members])
    for m in members:
        person = people.get(m.member_id)
        if person is not None:
            with speaking_to(person):
                message = _revised_message(cycle, members, people)
            repos.outbox.enqueue(person, message, f"study:{cycle.id}:revised:{m.member_id}", now)
    cycle.phase = Phase.RETEACH
    repos.study.save_cycle(cycle)


def _revised_message(
    cycle: Cycle, members: list[StudyMember], people: Mapping[int, Member]
) -> Message:
    """The group's revisions and what comes next, in the language being spoken."""
    lines = [
        f"• *{said(people[m.member_id].display_name)}*: {said(m.revision)}"
        for m in members
        if m.revision and m.member_id in people
    ]
    text = _("The revised lesson for *{name}*, one change from each of you:\n{revisions}").format(
        name=said(cycle.name),
        revisions="\n".join(lines) or _("_No revisions were proposed._"),
    )
    then = _(
        "Teaching it again is optional: whoever reteaches books it with `study book #{number}` "
        "by {day}, or `study done #{number}` ends the cycle."
    ).format(number=cycle.id, day=day_text(cycle.due[Phase.RETEACH]))
    return Message(
        text=_("The revised lesson for {name}").format(name=cycle.name),
        blocks=(Section(text), Context(then)),
        ephemeral=False,
    )
