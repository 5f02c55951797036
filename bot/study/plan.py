"""The plan the group shares (a short form) and the booking of the research lesson (who teaches it,
when, which class, and what each observer watches).

Both are forms so the same fields reach Slack's modals, Teams' cards and the console's prompts; a
refused submission comes back with the errors beside the fields and everything typed kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import _, ngettext, when
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
from bot.study.model import (
    MAX_FIELD,
    MAX_FOCUS,
    MAX_LINK,
    PHASE_NAMES,
    Cycle,
    Phase,
    Plan,
    StudyMember,
)
from bot.study.schedule import day_text, dues_after_lesson
from bot.study.start import dates_text

PLAN_FORM = "study.plan"
BOOK_FORM = "study.book"
BOOK = "study.book"
BOOKABLE = (Phase.PLAN, Phase.TEACH, Phase.RETEACH)


def plan_text(plan: Plan) -> list[tuple[str, str]]:
    fields = [
        (_("Research question"), plan.question),
        (_("Lesson goal"), plan.goal),
        (_("What students do"), plan.students_do),
        (_("Observers watch for"), plan.watch_for),
        (_("Plan document"), plan.link),
    ]
    return [(label, said(value)) for label, value in fields if value]


def plan_form(cycle: Cycle) -> Form:
    plan = cycle.plan
    return Form(
        form_id=PLAN_FORM,
        title=_("Lesson study plan"),
        state=str(cycle.id),
        submit_label=_("Share with the group"),
        inputs=(
            Input(
                "question",
                _("Research question"),
                InputKind.MULTILINE,
                initial=plan.question or None,
                placeholder=_("What do we want to learn about how students learn?"),
                max_length=MAX_FIELD,
            ),
            Input(
                "goal",
                _("The lesson's goal"),
                InputKind.MULTILINE,
                initial=plan.goal or None,
                max_length=MAX_FIELD,
            ),
            Input(
                "students_do",
                _("What students should do"),
                InputKind.MULTILINE,
                required=False,
                initial=plan.students_do or None,
                max_length=MAX_FIELD,
            ),
            Input(
                "watch_for",
                _("What observers watch for"),
                InputKind.MULTILINE,
                required=False,
                initial=plan.watch_for or None,
                hint=_("What students say and do, never names"),
                max_length=MAX_FIELD,
            ),
            Input(
                "link",
                _("Link to the plan document"),
                required=False,
                initial=plan.link or None,
                placeholder="https://...",  # not translated: the shape of an address
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
    return Message(text=_("The plan for {name}").format(name=cycle.name), form=plan_form(cycle))


def show_plan(cycle: Cycle) -> Message:
    text = _("The plan for *{name}* (#{number})").format(name=said(cycle.name), number=cycle.id)
    return Message(
        text=_("The plan for {name}").format(name=cycle.name),
        blocks=(Section(text, tuple(plan_text(cycle.plan))),),
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
            _(
                "The research lesson has been taught; the plan stays as it was taught. Revisions "
                "come after the debrief."
            )
        )
    typed = {
        name: form_text(values, name)
        for name in ("question", "goal", "students_do", "watch_for", "link")
    }
    errors: dict[str, str] = {}
    for name in ("question", "goal"):
        if not typed[name]:
            errors[name] = _("Please write a sentence or two.")
    for name, value in typed.items():
        limit = MAX_LINK if name == "link" else MAX_FIELD
        if len(value) > limit:
            errors[name] = _("Please keep this under {n} characters.").format(n=limit)
    link = typed["link"]
    if link and (not link.lower().startswith(("https://", "http://")) or " " in link):
        errors["link"] = _("A link starts with https:// (paste the document's address).")
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
            _("Shared the plan for *{name}* with the group.").format(name=said(cycle.name)),
            tuple(plan_text(cycle.plan)),
        )
    ]
    if not cycle.booked:
        blocks += [
            Actions((book_button(cycle),)),
            Context(_("Whoever teaches the research lesson books it; the others observe.")),
        ]
    return [
        Message(
            text=_("Shared the plan for {name} with the group.").format(name=cycle.name),
            blocks=tuple(blocks),
        )
    ]


def _tell_group(ctx: Ctx, cycle: Cycle, author: Member, first: bool) -> None:
    people = ctx.repos.members.get_many([m.member_id for m in members_of(ctx, cycle)])
    for person in people.values():
        if person.id == author.id:
            continue
        ctx.send_built(
            person,
            lambda: _plan_news(cycle, author, first),
            f"study:{cycle.id}:plan:{person.id}:{ctx.now.isoformat()}",
        )


def _plan_news(cycle: Cycle, author: Member, first: bool) -> Message:
    """A colleague's news that the plan is shared or changed, in the language being spoken."""
    names = {"author": said(author.display_name), "name": said(cycle.name), "number": cycle.id}
    plain = {"author": author.display_name, "name": cycle.name}
    if first:
        text = _("*{author}* shared the plan for *{name}* (#{number}).").format(**names)
        summary = _("{author} shared the plan for {name}").format(**plain)
    else:
        text = _("*{author}* changed the plan for *{name}* (#{number}).").format(**names)
        summary = _("{author} changed the plan for {name}").format(**plain)
    buttons = () if cycle.booked else (book_button(cycle),)
    return Message(
        text=summary,
        blocks=(
            Section(text, tuple(plan_text(cycle.plan))),
            *((Actions(buttons),) if buttons else ()),
        ),
        ephemeral=False,
    )


def book_button(cycle: Cycle) -> Button:
    return Button(
        _("I'll teach it: book the lesson"),
        BOOK,
        str(cycle.id),
        description=_("Book the research lesson for {name}, which you teach").format(
            name=cycle.name
        ),
    )


# --- booking the research lesson ----------------------------------------------------------------


def book_form(ctx: Ctx, cycle: Cycle, teacher: Member) -> Form:
    others = [m for m in members_of(ctx, cycle) if m.member_id != teacher.id]
    names = names_of(ctx, [m.member_id for m in others])
    reteach = cycle.phase is Phase.RETEACH
    inputs = [
        Input(
            "date",
            _("Day of the lesson"),
            InputKind.DATE,
            initial=cycle.lesson_on.isoformat() if cycle.lesson_on and not reteach else None,
        ),
        Input(
            "period",
            _("Period or time"),
            placeholder=_("P3, or 10:15-11:00"),
            max_length=60,
            initial=cycle.period or None,
        ),
        Input(
            "class_name",
            _("Class"),
            placeholder="8C",  # not translated: a class name, the same in any language
            max_length=120,
            initial=cycle.class_name or None,
        ),
    ]
    inputs += [
        Input(
            f"focus_{m.member_id}",
            _("What {name} watches").format(name=names[m.member_id]),
            placeholder=_("A student group (table 3) or a look-for (who explains their thinking)"),
            max_length=MAX_FOCUS,
            initial=m.focus or None,
        )
        for m in others
    ]
    return Form(
        form_id=BOOK_FORM,
        title=_("Book the reteach") if reteach else _("Book the research lesson"),
        inputs=tuple(inputs),
        submit_label=_("Book it and invite the observers"),
        state=str(cycle.id),
    )


def open_booking(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    cycle = cycle_for(ctx, member, value or None)
    _check_bookable(cycle)
    return [
        Message(
            text=_("Book the lesson for {name}").format(name=cycle.name),
            form=book_form(ctx, cycle, member),
        )
    ]


def _check_bookable(cycle: Cycle) -> None:
    if not cycle.plan.is_shared:
        raise UserError(
            _(
                "Share the plan first (its research question and goal): `study plan #{number}`. "
                "Observers need to know what they are watching for."
            ).format(number=cycle.id)
        )
    if cycle.phase not in BOOKABLE:
        raise UserError(
            _(
                "*{name}* is in its {phase} phase: the research lesson has been taught. "
                "Once revisions are in you can book the reteach."
            ).format(name=said(cycle.name), phase=_(PHASE_NAMES[cycle.phase]))
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
        errors["period"] = _("Which period or time? (P3, or 10:15-11:00)")
    if not class_name:
        errors["class_name"] = _("Which class?")
    focus = {m.member_id: form_text(values, f"focus_{m.member_id}") for m in others}
    for member_id, text in focus.items():
        if not text:
            errors[f"focus_{member_id}"] = _("Give each observer a student group or a look-for.")
        elif len(text) > MAX_FOCUS:
            errors[f"focus_{member_id}"] = _("Please keep this under {n} characters.").format(
                n=MAX_FOCUS
            )
    if len(period) > 60 or len(class_name) > 120:
        errors.setdefault("period", _("Please keep the period and the class short."))
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
    booked = {
        "name": said(cycle.name),
        "day": when(day, "day"),
        "period": said(period),
        "class_name": said(class_name),
    }
    if reteach:
        text = _("Booked the reteach for *{name}*: {day}, {period}, class {class_name}.")
        summary = _("Booked the reteach for {name}.")
    else:
        text = _("Booked the research lesson for *{name}*: {day}, {period}, class {class_name}.")
        summary = _("Booked the research lesson for {name}.")
    invited = ngettext(
        "{n} observer is invited.", "{n} observers are invited.", len(others)
    ).format(n=len(others))
    return [
        Message(
            text=summary.format(name=cycle.name),
            blocks=(
                Section(f"{text.format(**booked)} {invited}"),
                Section(_("When each part is due:\n{dates}").format(dates=dates_text(cycle))),
            ),
        )
    ]


def _day(ctx: Ctx, member: Member, text: str, errors: dict[str, str]) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors["date"] = _("Pick the day of the lesson.")
        return None
    if day < ctx.local_today(member):
        errors["date"] = _("That day has passed: pick the day the lesson will be taught.")
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
        ctx.send_built(
            person,
            partial(_invitation, cycle, teacher, m, reteach),
            f"study:{cycle.id}:observe:{m.member_id}:{cycle.lesson_on.isoformat()}",
        )


def _invitation(cycle: Cycle, teacher: Member, m: StudyMember, reteach: bool) -> Message:
    """An observer's invitation to the lesson, in the language being spoken."""
    assert cycle.lesson_on is not None
    facts = {
        "teacher": said(teacher.display_name),
        "name": said(cycle.name),
        "day": when(cycle.lesson_on, "day"),
        "period": said(cycle.period),
        "class_name": said(cycle.class_name),
        "focus": said(m.focus),
    }
    if reteach:
        text = _(
            "*{teacher}* reteaches *{name}* on *{day}*, {period}, class {class_name}. "
            "You observe, watching: *{focus}*."
        ).format(**facts)
    else:
        text = _(
            "*{teacher}* teaches the research lesson for *{name}* on *{day}*, {period}, "
            "class {class_name}. You observe, watching: *{focus}*."
        ).format(**facts)
    how = _(
        "Watch what the *students* do and say, not the teacher, and write no student's name. "
        "After the lesson, post your notes: `study note #{number} what you saw`."
    ).format(number=cycle.id)
    return Message(
        text=_("You observe {teacher}'s lesson for {name} on {day}").format(
            teacher=teacher.display_name, name=cycle.name, day=day_text(cycle.lesson_on)
        ),
        blocks=(Section(text, tuple(plan_text(cycle.plan))), Context(how)),
        ephemeral=False,
    )
