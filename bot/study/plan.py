"""The plan the group shares (a short form) and the booking of the research lesson (who teaches it,
when, which class, and what each observer watches).

Both are forms so the same fields reach Slack's modals, Teams' cards and the console's prompts; a
refused submission comes back with the errors beside the fields and everything typed kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

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
)
from bot.observations.school_days import not_a_school_day
from bot.study.cycles import cycle_for, members_of, names_of
from bot.study.model import MAX_FIELD, MAX_FOCUS, MAX_LINK, Cycle, Phase, Plan
from bot.study.schedule import day_text, dues_after_lesson
from bot.study.start import dates_text

PLAN_FORM = "study.plan"
BOOK_FORM = "study.book"
BOOK = "study.book"
BOOKABLE = (Phase.PLAN, Phase.TEACH, Phase.RETEACH)


def plan_text(plan: Plan) -> list[tuple[str, str]]:
    fields = [
        ("Research question", plan.question),
        ("Lesson goal", plan.goal),
        ("What students do", plan.students_do),
        ("Observers watch for", plan.watch_for),
        ("Plan document", plan.link),
    ]
    return [(label, said(value)) for label, value in fields if value]


def plan_form(cycle: Cycle) -> Form:
    plan = cycle.plan
    return Form(
        form_id=PLAN_FORM,
        title="Lesson study plan",
        state=str(cycle.id),
        submit_label="Share with the group",
        inputs=(
            Input(
                "question",
                "Research question",
                InputKind.MULTILINE,
                initial=plan.question or None,
                placeholder="What do we want to learn about how students learn?",
                max_length=MAX_FIELD,
            ),
            Input(
                "goal",
                "The lesson's goal",
                InputKind.MULTILINE,
                initial=plan.goal or None,
                max_length=MAX_FIELD,
            ),
            Input(
                "students_do",
                "What students should do",
                InputKind.MULTILINE,
                required=False,
                initial=plan.students_do or None,
                max_length=MAX_FIELD,
            ),
            Input(
                "watch_for",
                "What observers watch for",
                InputKind.MULTILINE,
                required=False,
                initial=plan.watch_for or None,
                hint="What students say and do, never names",
                max_length=MAX_FIELD,
            ),
            Input(
                "link",
                "Link to the plan document",
                required=False,
                initial=plan.link or None,
                placeholder="https://...",
                max_length=MAX_LINK,
            ),
        ),
    )


def open_plan(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    cycle = cycle_for(ctx, member, value or None)
    return [plan_message(ctx, cycle)]


def plan_message(ctx: Ctx, cycle: Cycle) -> Message:
    if cycle.phase is not Phase.PLAN and cycle.plan.is_shared:
        return show_plan(cycle)
    return Message(text=f"The plan for {cycle.name}", form=plan_form(cycle))


def show_plan(cycle: Cycle) -> Message:
    text = f"The plan for *{said(cycle.name)}* (#{cycle.id})"
    return Message(
        text=f"The plan for {cycle.name}", blocks=(Section(text, tuple(plan_text(cycle.plan))),)
    )


def rebuild_plan(ctx: Ctx, state: str) -> Form:
    member = ctx.require_member()
    return plan_form(cycle_for(ctx, member, state))


def submit_plan(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    member = ctx.require_member()
    cycle = cycle_for(ctx, member, state, lock=True)
    if cycle.phase not in (Phase.PLAN, Phase.TEACH) or (
        cycle.lesson_on and cycle.lesson_on <= ctx.local_today(member)
    ):
        raise UserError(
            "The research lesson has been taught; the plan stays as it was taught. Revisions come after the debrief."
        )
    typed = {
        name: form_text(values, name)
        for name in ("question", "goal", "students_do", "watch_for", "link")
    }
    errors: dict[str, str] = {}
    for name in ("question", "goal"):
        if not typed[name]:
            errors[name] = "Please write a sentence or two."
    for name, value in typed.items():
        limit = MAX_LINK if name == "link" else MAX_FIELD
        if len(value) > limit:
            errors[name] = f"Please keep this under {limit} characters."
    link = typed["link"]
    if link and (not link.lower().startswith(("https://", "http://")) or " " in link):
        errors["link"] = "A link starts with https:// (paste the document's address)."
    if errors:
        raise FormInvalid(errors)
    first = not cycle.plan.is_shared
    cycle.plan = Plan(
        typed["question"], typed["goal"], typed["students_do"], typed["watch_for"], link
    )
    cycle.plan_by = member.id
    ctx.repos.study.save_cycle(cycle)
    _tell_group(ctx, cycle, member, first)
    blocks: list[Any] = [
        Section(
            f"Shared the plan for *{said(cycle.name)}* with the group.",
            tuple(plan_text(cycle.plan)),
        )
    ]
    if not cycle.booked:
        blocks += [
            Actions((book_button(cycle),)),
            Context("Whoever teaches the research lesson books it; the others observe."),
        ]
    return [Message(text=f"Shared the plan for {cycle.name} with the group.", blocks=tuple(blocks))]


def _tell_group(ctx: Ctx, cycle: Cycle, author: Member, first: bool) -> None:
    did = "shared the plan" if first else "changed the plan"
    people = ctx.repos.members.get_many([m.member_id for m in members_of(ctx, cycle)])
    for person in people.values():
        if person.id == author.id:
            continue
        text = f"*{said(author.display_name)}* {did} for *{said(cycle.name)}* (#{cycle.id})."
        buttons = () if cycle.booked else (book_button(cycle),)
        ctx.send(
            person,
            Message(
                text=f"{author.display_name} {did} for {cycle.name}",
                blocks=(
                    Section(text, tuple(plan_text(cycle.plan))),
                    *((Actions(buttons),) if buttons else ()),
                ),
                ephemeral=False,
            ),
            f"study:{cycle.id}:plan:{person.id}:{ctx.now.isoformat()}",
        )


def book_button(cycle: Cycle) -> Button:
    return Button(
        "I'll teach it: book the lesson",
        BOOK,
        str(cycle.id),
        description=f"Book the research lesson for {cycle.name}, which you teach",
    )


# --- booking the research lesson ----------------------------------------------------------------


def book_form(ctx: Ctx, cycle: Cycle, teacher: Member) -> Form:
    others = [m for m in members_of(ctx, cycle) if m.member_id != teacher.id]
    names = names_of(ctx, [m.member_id for m in others])
    reteach = cycle.phase is Phase.RETEACH
    inputs = [
        Input(
            "date",
            "Day of the lesson",
            InputKind.DATE,
            initial=cycle.lesson_on.isoformat() if cycle.lesson_on and not reteach else None,
        ),
        Input(
            "period",
            "Period or time",
            placeholder="P3, or 10:15-11:00",
            max_length=60,
            initial=cycle.period or None,
        ),
        Input(
            "class_name",
            "Class",
            placeholder="8C",
            max_length=120,
            initial=cycle.class_name or None,
        ),
    ]
    inputs += [
        Input(
            f"focus_{m.member_id}",
            f"What {names[m.member_id]} watches",
            placeholder="A student group (table 3) or a look-for (who explains their thinking)",
            max_length=MAX_FOCUS,
            initial=m.focus or None,
        )
        for m in others
    ]
    return Form(
        form_id=BOOK_FORM,
        title="Book the reteach" if reteach else "Book the research lesson",
        inputs=tuple(inputs),
        submit_label="Book it and invite the observers",
        state=str(cycle.id),
    )


def open_booking(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    cycle = cycle_for(ctx, member, value or None)
    _check_bookable(cycle)
    return [Message(text=f"Book the lesson for {cycle.name}", form=book_form(ctx, cycle, member))]


def _check_bookable(cycle: Cycle) -> None:
    if not cycle.plan.is_shared:
        raise UserError(
            f"Share the plan first (its research question and goal): `study plan #{cycle.id}`. "
            "Observers need to know what they are watching for."
        )
    if cycle.phase not in BOOKABLE:
        raise UserError(
            f"*{said(cycle.name)}* is in its {cycle.phase.value} phase: the research lesson has been taught. "
            "Once revisions are in you can book the reteach."
        )


def rebuild_booking(ctx: Ctx, state: str) -> Form:
    member = ctx.require_member()
    return book_form(ctx, cycle_for(ctx, member, state), member)


def submit_booking(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    member = ctx.require_member()
    cycle = cycle_for(ctx, member, state, lock=True)
    _check_bookable(cycle)
    others = [m for m in members_of(ctx, cycle) if m.member_id != member.id]
    errors: dict[str, str] = {}
    day = _day(ctx, member, form_text(values, "date"), errors)
    period, class_name = form_text(values, "period"), form_text(values, "class_name")
    if not period:
        errors["period"] = "Which period or time? (P3, or 10:15-11:00)"
    if not class_name:
        errors["class_name"] = "Which class?"
    focus = {m.member_id: form_text(values, f"focus_{m.member_id}") for m in others}
    for member_id, text in focus.items():
        if not text:
            errors[f"focus_{member_id}"] = "Give each observer a student group or a look-for."
        elif len(text) > MAX_FOCUS:
            errors[f"focus_{member_id}"] = f"Please keep this under {MAX_FOCUS} characters."
    if len(period) > 60 or len(class_name) > 120:
        errors.setdefault("period", "Please keep the period and the class short.")
    if errors or day is None:
        raise FormInvalid(errors)
    reteach = cycle.phase is Phase.RETEACH
    cycle.teacher_id, cycle.lesson_on, cycle.period, cycle.class_name = (
        member.id,
        day,
        period,
        class_name,
    )
    if not reteach:
        cycle.phase = Phase.TEACH
        cycle.due = dues_after_lesson(ctx.repos, member, cycle.due, day)
    else:
        cycle.due = {**cycle.due, Phase.RETEACH: day}
    ctx.repos.study.save_cycle(cycle)
    for m in others:
        m.focus = focus[m.member_id]
        ctx.repos.study.save_member(m)
    _invite_observers(ctx, cycle, member, others, reteach)
    what = "the reteach" if reteach else "the research lesson"
    text = (
        f"Booked {what} for *{said(cycle.name)}*: {day:%A %d %B}, {said(period)}, class {said(class_name)}. "
        f"{len(others)} observer{'s are' if len(others) != 1 else ' is'} invited."
    )
    return [
        Message(
            text=f"Booked {what} for {cycle.name}.",
            blocks=(Section(text), Section(f"When each part is due:\n{dates_text(cycle)}")),
        )
    ]


def _day(ctx: Ctx, member: Member, text: str, errors: dict[str, str]) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors["date"] = "Pick the day of the lesson."
        return None
    if day < ctx.local_today(member):
        errors["date"] = "That day has passed: pick the day the lesson will be taught."
        return None
    why = not_a_school_day(ctx, member, day)
    if why is not None:
        errors["date"] = why
        return None
    return day


def _invite_observers(
    ctx: Ctx, cycle: Cycle, teacher: Member, others: list[Any], reteach: bool
) -> None:
    people = ctx.repos.members.get_many([m.member_id for m in others])
    assert cycle.lesson_on is not None
    for m in others:
        person = people.get(m.member_id)
        if person is None:
            continue
        lesson = "reteaches" if reteach else "teaches the research lesson for"
        text = (
            f"*{said(teacher.display_name)}* {lesson} *{said(cycle.name)}* on "
            f"*{cycle.lesson_on:%A %d %B}*, {said(cycle.period)}, class {said(cycle.class_name)}. "
            f"You observe, watching: *{said(m.focus)}*."
        )
        how = (
            "Watch what the *students* do and say, not the teacher, and write no student's name. "
            f"After the lesson, post your notes: `study note #{cycle.id} what you saw`."
        )
        ctx.send(
            person,
            Message(
                text=f"You observe {teacher.display_name}'s lesson for {cycle.name} on {day_text(cycle.lesson_on)}",
                blocks=(Section(text, tuple(plan_text(cycle.plan))), Context(how)),
                ephemeral=False,
            ),
            f"study:{cycle.id}:observe:{m.member_id}:{cycle.lesson_on.isoformat()}",
        )
