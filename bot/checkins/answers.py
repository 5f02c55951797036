"""A check-in's questions answered in place: one form, opened from the check-in, that asks the 1-5
confidence on the focus goal and every question of every program the teacher is in, by their role.

A tap on the check-in's button opens it (a Slack modal, a Teams card with inputs, prompts one after
another in the console) and one submission keeps every answer: a rating and a whole check-in in two
interactions. Answers are the teacher's own, like reflections: coordinators get counts and, at the
privacy floor, the spread of choice and scale answers (``stats.py``), never a word of text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.checkins.message import (
    answer_button,
    goal_label,
    goal_of,
    support_button,
    talked_question,
)
from bot.checkins.model import Answer, Checkin, CheckinStatus
from bot.checkins.questions import (
    GROUP_MET,
    MAX_ANSWER_LENGTH,
    NOT_YET,
    SCALE_LABELS,
    TALKED_QUESTION,
    YES,
    Question,
    QuestionKind,
    choice_label,
    for_role,
    group_met,
    names_of,
    worded,
)
from bot.kernel.context import Ctx, own, record_id
from bot.kernel.domain import Member, ProgramRole
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import N_, _, ngettext, number
from bot.kernel.messages import (
    Actions,
    Button,
    Context,
    Form,
    Input,
    InputKind,
    Message,
    Option,
    Section,
)
from bot.kernel.parsing import whole_number

FORM_ID = "checkin.answers"
TALKED = 0
"""The position of a mentor's "did you talk?" answer; the program's questions follow from 1."""
NOT_YOURS = N_("That check-in isn't one of yours any more. Type `checkin` to see this week's.")


@dataclass(frozen=True)
class Asked:
    position: int
    program_id: int
    question: Question
    """As the teacher reads it, names filled in."""
    template: str
    """As the coordinator wrote it: what figures count by."""


def own_checkin(ctx: Ctx, value: str) -> tuple[Member, Checkin]:
    member = ctx.require_member()
    checkin_id = record_id(value.split(":", 1)[0])
    checkin = ctx.repos.checkins.get(checkin_id) if checkin_id is not None else None
    return member, own(checkin, checkin.member_id if checkin else None, member, _(NOT_YOURS))


def role_in(ctx: Ctx, member: Member, program_id: int) -> ProgramRole | None:
    assert member.id is not None
    return next(
        (m.role for m in ctx.repos.memberships.for_member(member.id) if m.program_id == program_id),
        None,
    )


def asked(ctx: Ctx, member: Member, checkin: Checkin) -> list[Asked]:
    """Every question this check-in asks: the check-in's own program first, then each other active
    program the teacher is in (one check-in a week covers them all), by the role they have there."""
    assert member.id is not None
    memberships = sorted(
        ctx.repos.memberships.for_member(member.id),
        key=lambda m: (m.program_id != checkin.program_id, m.program_id),
    )
    found: list[Asked] = []
    seen: set[str] = set()
    for membership in memberships:
        program = ctx.repos.programs.get(membership.program_id)
        if program is None or not program.active or program.id is None:
            continue
        mentees = (
            ctx.repos.checkins.mentors(program.id).get(member.id, [])
            if membership.role is ProgramRole.MENTOR
            else []
        )
        group = (
            ctx.repos.checkins.groups(program.id).get(member.id, [])
            if membership.role is ProgramRole.PEER
            else []
        )
        # A peer in a group is asked about the group first: (as read, as counted).
        questions = [(group_met(group), GROUP_MET)] if group else []
        questions += [
            (worded(t, mentees, group), t.text) for t in for_role(program, membership.role)
        ]
        for question, template in questions:
            if question.text.lower() not in seen:
                seen.add(question.text.lower())
                found.append(Asked(len(found) + 1, program.id, question, template))
    return found


def group_of(ctx: Ctx, member: Member, checkin: Checkin) -> list[str] | None:
    """The others' first names when this check-in is a peer's in a group, else None."""
    if role_in(ctx, member, checkin.program_id) is not ProgramRole.PEER:
        return None
    assert member.id is not None
    return ctx.repos.checkins.groups(checkin.program_id).get(member.id)


def mentees_of(ctx: Ctx, member: Member, checkin: Checkin) -> list[str] | None:
    """The mentees' first names when this check-in is a mentor's, else None."""
    if role_in(ctx, member, checkin.program_id) is not ProgramRole.MENTOR:
        return None
    assert member.id is not None
    return ctx.repos.checkins.mentors(checkin.program_id).get(member.id, [])


def _input(item: Asked, earlier: str | None) -> Input:
    q, name = item.question, f"q{item.position}"
    if q.kind is QuestionKind.CHOICE:
        return Input(
            name,
            q.text,
            InputKind.SELECT,
            required=False,
            options=tuple(Option(c, choice_label(c)) for c in q.choices),
            initial=earlier if earlier in q.choices else None,
        )
    if q.kind is QuestionKind.SCALE:
        return Input(
            name,
            q.text,
            InputKind.SELECT,
            required=False,
            options=tuple(Option(str(n), _(label)) for n, label in enumerate(SCALE_LABELS, 1)),
            initial=earlier,
        )
    return Input(
        name,
        q.text,
        InputKind.TEXT,
        required=False,
        initial=earlier,
        max_length=MAX_ANSWER_LENGTH,
        placeholder=_("a line is plenty"),
    )


def answer_form(ctx: Ctx, state: str) -> Form:
    member, checkin = own_checkin(ctx, state)
    assert member.id is not None and checkin.id is not None
    earlier = {a.position: a.value for a in ctx.repos.checkins.answers(member.id, checkin.id)}
    inputs: list[Input] = []
    if mentees_of(ctx, member, checkin) is None:
        inputs.append(
            Input(
                "confidence",
                _("How confident do you feel about “{goal}” this week?").format(
                    goal=goal_label(goal_of(member))
                ),
                InputKind.SELECT,
                required=False,
                options=tuple(Option(str(n), _(label)) for n, label in enumerate(SCALE_LABELS, 1)),
                initial=str(checkin.confidence) if checkin.confidence else None,
            )
        )
    inputs.extend(_input(item, earlier.get(item.position)) for item in asked(ctx, member, checkin))
    if not inputs:
        raise UserError(_("This check-in has no questions to answer; one tap on it is enough."))
    return Form(
        form_id=FORM_ID,
        title=_("Your weekly check-in"),
        inputs=tuple(inputs),
        submit_label=_("Save"),
        state=str(checkin.id),
    )


def open_answers(ctx: Ctx, value: str) -> list[Message]:
    form = answer_form(ctx, value)
    return [
        Message(text=_("This week's check-in: answer what you like, skip the rest."), form=form)
    ]


def _read(item: Asked, raw: str) -> str | None:
    """The answer as kept, or ValueError saying what to fix."""
    q = item.question
    if q.kind is QuestionKind.CHOICE:
        match = next(
            (c for c in q.choices if raw.lower() in (c.lower(), choice_label(c).lower())), None
        )
        if match is None:
            raise ValueError(
                _("pick one of: {choices}").format(
                    choices=", ".join(choice_label(c) for c in q.choices)
                )
            )
        return match
    if q.kind is QuestionKind.SCALE:
        if whole_number(raw, 1, 5) is None:
            raise ValueError(_("pick a number from 1 to 5"))
        return str(int(raw))
    if len(raw) > MAX_ANSWER_LENGTH:
        raise ValueError(
            _(
                "that's {count} characters; please keep it under {limit} "
                "(a reflection has room for more)"
            ).format(count=number(len(raw)), limit=MAX_ANSWER_LENGTH)
        )
    return raw


def submit_answers(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    member, checkin = own_checkin(ctx, state)
    assert member.id is not None and checkin.id is not None
    errors: dict[str, str] = {}
    confidence = None
    raw_confidence = form_text(values, "confidence")
    if raw_confidence:
        confidence = whole_number(raw_confidence, 1, 5)
        if confidence is None:
            errors["confidence"] = _("pick a number from 1 to 5")
    kept: list[Answer] = []
    for item in asked(ctx, member, checkin):
        raw = " ".join(form_text(values, f"q{item.position}").split())
        if not raw:
            continue
        try:
            value = _read(item, raw)
        except ValueError as exc:
            errors[f"q{item.position}"] = str(exc)
            continue
        assert value is not None
        kept.append(
            Answer(
                checkin_id=checkin.id,
                member_id=member.id,
                program_id=item.program_id,
                position=item.position,
                question=item.question.text,
                kind=item.question.kind.value,
                value=value,
                answered_at=ctx.now,
                template=item.template,
            )
        )
    if errors:
        raise FormInvalid(errors)
    if confidence is None and not kept:
        raise FormInvalid({"confidence": _("answer at least one question, or skip this week")})
    if kept:
        ctx.repos.checkins.save_answers(checkin.id, kept)
    parts = []
    if confidence is not None:
        checkin.confidence, checkin.goal = confidence, goal_of(member)
        parts.append(
            _("{rating}/5 on “{goal}”").format(rating=confidence, goal=goal_label(goal_of(member)))
        )
    if kept:
        parts.append(ngettext("{n} answer", "{n} answers", len(kept)).format(n=len(kept)))
    _answered(ctx, checkin)
    text = _("Saved: {what}. Only you can see your answers. Thank you!").format(
        what=names_of(parts)
    )
    return [
        Message(
            text=text,
            blocks=(
                Section(text),
                Actions(
                    (
                        Button(_("Write a reflection"), "checkin.reflect", value=str(checkin.id)),
                        support_button(checkin),
                    )
                ),
                Context(_("`checkin history` shows your answers over the weeks.")),
            ),
        )
    ]


def _answered(ctx: Ctx, checkin: Checkin) -> None:
    checkin.status = CheckinStatus.ANSWERED
    checkin.answered_at = checkin.answered_at or ctx.now
    ctx.repos.checkins.save(checkin)


def talked(ctx: Ctx, value: str) -> list[Message]:
    """A mentor's one tap: did you and your mentee talk this week?"""
    member, checkin = own_checkin(ctx, value)
    assert member.id is not None and checkin.id is not None
    answer = value.split(":", 1)[1] if ":" in value else ""
    if answer not in ("yes", "no"):
        raise UserError(_("Please tap Yes or Not yet."))
    mentees = mentees_of(ctx, member, checkin) or []
    ctx.repos.checkins.save_answers(
        checkin.id,
        [
            Answer(
                checkin_id=checkin.id,
                member_id=member.id,
                program_id=checkin.program_id,
                position=TALKED,
                question=TALKED_QUESTION,
                kind=QuestionKind.CHOICE.value,
                value=YES if answer == "yes" else NOT_YET,
                answered_at=ctx.now,
            )
        ],
    )
    _answered(ctx, checkin)
    names = names_of(mentees) if mentees else _("your mentee")
    text = (
        _("Thanks: you and {names} talked this week. 🙌")
        if answer == "yes"
        else _("Thanks for saying. A short chat with {names} this week still counts.")
    ).format(names=names)
    return [
        Message(
            text=text,
            blocks=(
                Section(f"{text}\n_{talked_question(mentees)}_"),
                Actions(
                    (
                        answer_button(checkin),
                        support_button(checkin),
                    )
                ),
            ),
        )
    ]


def rebuild(ctx: Ctx, state: str) -> Form:
    return answer_form(ctx, state)
