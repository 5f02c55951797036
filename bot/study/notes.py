"""Observers' notes on what students did, the debrief that gathers them for the group, and the one
revision each member proposes.

Notes go to the cycle's members and nobody else: the debrief is sent to each of them, never to a
channel or a coordinator. The debrief goes once, when the last observer's notes are in or on the
debrief's due date, whichever comes first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
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
from bot.study.model import MAX_FIELD, MAX_NOTE, Cycle, Note, Phase, StudyMember
from bot.study.schedule import day_text

REVISE = "study.revise"
REVISE_FORM = "study.revise"


def observers(repos: Scope, cycle: Cycle) -> list[StudyMember]:
    return [m for m in repos.study.members(cycle.id or 0) if m.member_id != cycle.teacher_id]


def post_note(ctx: Ctx, member: Member, ref: str | None, text: str) -> list[Message]:
    cycle = cycle_for(ctx, member, ref, lock=True)
    if not text:
        raise UserError(
            f"What did the students do? `study note #{cycle.id} The group at table 3 "
            "compared methods before anyone wrote`."
        )
    if len(text) > MAX_NOTE:
        raise UserError(
            f"That note is {len(text):,} characters; please keep one under {MAX_NOTE:,} (post two if you need)."
        )
    if member.id == cycle.teacher_id:
        raise UserError(
            "You teach the research lesson, so the notes are your colleagues' to write: they reach "
            "you at the debrief. Your own thoughts belong in your revision (`study revise`)."
        )
    if cycle.phase is not Phase.TEACH or cycle.lesson_on is None:
        when = (
            "the lesson isn't booked yet"
            if cycle.lesson_on is None
            else "the debrief has gathered the notes already"
        )
        raise UserError(f"Notes are for the research lesson, and {when}.")
    if ctx.local_today(member) < cycle.lesson_on:
        raise UserError(
            f"The lesson is on {cycle.lesson_on:%A %d %B}: notes are what students did in it, so "
            "post them once you have watched it."
        )
    assert member.id is not None and cycle.id is not None
    ctx.repos.study.add_note(Note(cycle.id, member.id, text))
    mine = [n for n in ctx.repos.study.notes(cycle.id) if n.member_id == member.id]
    waiting = [m for m in observers(ctx.repos, cycle) if not _has_notes(ctx.repos, cycle, m)]
    if not waiting:
        gather_debrief(ctx.repos, cycle, ctx.now)
        return [
            text_message(
                f"Noted. Every observer's notes are in, so the debrief has gone to the group of *{said(cycle.name)}*."
            )
        ]
    return [
        text_message(
            f"Noted ({len(mine)} note{'s' if len(mine) != 1 else ''} from you). Only the group sees them, "
            f"at the debrief on {day_text(cycle.due[Phase.DEBRIEF])} at the latest."
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
    blocks: list[Section | Context | Actions] = [
        Section(
            f"The notes from the research lesson of *{said(cycle.name)}* are in. They are for the "
            "group only. Talk them through together, then each of you proposes one revision to the lesson."
        )
    ]
    for m in members:
        if m.member_id == cycle.teacher_id:
            continue
        theirs = [n.text for n in notes if n.member_id == m.member_id]
        who = people[m.member_id].display_name if m.member_id in people else "An observer"
        heading = f"*{said(who)}* watched {said(m.focus) if m.focus else 'the class'}"
        body = "\n".join(f"• {said(t)}" for t in theirs) or "_No notes posted._"
        blocks.append(Section(f"{heading}:\n{body}"))
    blocks.append(Actions((revise_button(cycle),)))
    blocks.append(
        Context(
            f"Debrief by {day_text(cycle.due[Phase.DEBRIEF])}; revisions by "
            f"{day_text(cycle.due[Phase.REVISE])}. Or type `study revise #{cycle.id} your revision`."
        )
    )
    sent = 0
    for m in members:
        person = people.get(m.member_id)
        if person is not None:
            sent += repos.outbox.enqueue(
                person,
                Message(
                    text=f"The debrief notes for {cycle.name}",
                    blocks=tuple(blocks),
                    ephemeral=False,
                ),
                f"study:{cycle.id}:debrief:{m.member_id}",
                now,
            )
    cycle.phase = Phase.DEBRIEF
    cycle.debriefed_at = now
    repos.study.save_cycle(cycle)
    return sent


def revise_button(cycle: Cycle) -> Button:
    return Button(
        "Propose a revision",
        REVISE,
        str(cycle.id),
        "primary",
        description=f"Propose one revision to the lesson of {cycle.name}",
    )


def revise_form(cycle: Cycle, current: str = "") -> Form:
    return Form(
        form_id=REVISE_FORM,
        title="One revision",
        state=str(cycle.id),
        submit_label="Send to the group",
        inputs=(
            Input(
                "revision",
                "One change to the lesson, from what students did",
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
            text=f"One revision for {cycle.name}",
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
        raise FormInvalid({"revision": "Write the one change you would make."})
    if len(text) > MAX_FIELD:
        raise FormInvalid({"revision": f"Please keep it under {MAX_FIELD} characters."})
    return revise(ctx, member, state, text)


def _check_revisable(cycle: Cycle) -> None:
    if cycle.phase not in (Phase.DEBRIEF, Phase.REVISE):
        raise UserError(
            f"Revisions come after the debrief; *{said(cycle.name)}* is in its "
            f"{cycle.phase.value} phase."
        )


def _own(ctx: Ctx, cycle: Cycle, member: Member) -> StudyMember:
    return next(m for m in ctx.repos.study.members(cycle.id or 0) if m.member_id == member.id)


def revise(ctx: Ctx, member: Member, ref: str | None, text: str) -> list[Message]:
    cycle = cycle_for(ctx, member, ref, lock=True)
    if not text:
        raise UserError(
            f"What one change would you make? `study revise #{cycle.id} Give pairs a minute to talk before writing`."
        )
    if len(text) > MAX_FIELD:
        raise UserError(
            f"Please keep a revision under {MAX_FIELD} characters: one change, in a sentence or two."
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
                f"Thank you. Every revision for *{said(cycle.name)}* is in; the group has them all."
            )
        ]
    return [
        text_message(
            f"Thank you: your revision is saved ({len(missing)} still to come). Send another to replace it."
        )
    ]


def close_revisions(repos: Scope, cycle: Cycle, now: datetime) -> None:
    """Everyone gets the group's revisions; the reteach, optional, is next."""
    assert cycle.id is not None
    members = repos.study.members(cycle.id)
    people = repos.members.get_many([m.member_id for m in members])
    lines = [
        f"• *{said(people[m.member_id].display_name)}*: {said(m.revision)}"
        for m in members
        if m.revision and m.member_id in people
    ]
    text = f"The revised lesson for *{said(cycle.name)}*, one change from each of you:\n" + (
        "\n".join(lines) or "_No revisions were proposed._"
    )
    then = (
        f"Teaching it again is optional: whoever reteaches books it with `study book #{cycle.id}` "
        f"by {day_text(cycle.due[Phase.RETEACH])}, or `study done #{cycle.id}` ends the cycle."
    )
    for m in members:
        person = people.get(m.member_id)
        if person is not None:
            repos.outbox.enqueue(
                person,
                Message(
                    text=f"The revised lesson for {cycle.name}",
                    blocks=(Section(text), Context(then)),
                    ephemeral=False,
                ),
                f"study:{cycle.id}:revised:{m.member_id}",
                now,
            )
    cycle.phase = Phase.RETEACH
    repos.study.save_cycle(cycle)
