"""Reading a request (one typed line or the form) and showing it back as a draft to confirm.

Nobody hears of a request until the requester presses a button under the draft: a forgiving reading
of "next thu" costs nothing if it guessed wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.kernel.commands import usage_error
from bot.kernel.context import Ctx, own, record_id
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Button, Form, Input, InputKind, Message, Option, Section, said
from bot.kernel.parsing import ParseError, parse_clock_time
from bot.kernel.replies import choose
from bot.observations.cancel import CANCEL
from bot.observations.model import (
    ASK_TIMEOUT_HOURS,
    FOCUS_AREAS,
    MAX_QUESTION,
    ObservationRequest,
    RequestStatus,
)
from bot.observations.parse import (
    MAX_FOCUS,
    LessonRequest,
    lesson_window,
    normalise_focus,
    parse_lesson_date,
    parse_request_line,
)
from bot.observations.render import lesson_fields, status_words, when
from bot.observations.school_days import not_a_school_day
from bot.observations.suggest import Suggestion, suggest_observers

REQUEST_FORM = "observe.request"
PICK = "observe.pick"
IN_TURN = "observe.in_turn"
TELL_COORDINATOR = "observe.coordinator"
NOT_YOUR_REQUEST = N_(
    "That request isn't yours, or it no longer exists. Type `observe list` to see yours."
)

Lesson = tuple[LessonRequest, datetime, datetime]
"""What was asked for, and when the lesson starts and ends."""

GOAL_CHOICE = "goal:"
"""Focus choices ``goal:1``, ``goal:2`` ... stand for the teacher's goals by position; goal 1 is the
focus goal (``goals focus N`` puts a goal there), the one check-ins ask about."""


def request_behind(ctx: Ctx, value: str, *, lock: bool = False) -> ObservationRequest | None:
    """The request a button, a form or a typed number names; locked when its state is to change."""
    request_id = record_id(value)
    if request_id is None:
        return None
    repo = ctx.repos.observations
    return repo.lock_request(request_id) if lock else repo.get_request(request_id)


# --- reading it ------------------------------------------------------------------------------------


def read_request_line(ctx: Ctx, member: Member, line: str) -> Lesson:
    try:
        lesson = parse_request_line(line, ctx.local_today(member))
        starts_at, ends_at = lesson_window(
            lesson.day, lesson.start, lesson.end, member.timezone, ctx.now
        )
    except ParseError as exc:
        raise usage_error("observe", _("Sorry, {problem}.").format(problem=exc)) from None
    closed = not_a_school_day(ctx, member, lesson.day)
    if closed:
        raise UserError(_("Sorry, {why}").format(why=closed))
    return lesson, starts_at, ends_at


def request_form(ctx: Ctx) -> Form:
    member = ctx.require_member()
    return Form(
        form_id=REQUEST_FORM,
        title=_("Ask for an observer"),
        submit_label=_("Check and find observers"),
        inputs=(
            Input(
                "date",
                _("Day of the lesson"),
                kind=InputKind.DATE,
                hint=_("e.g. thu, next tuesday, 3 dec"),
            ),
            Input(
                "start",
                _("Starts ({zone})").format(zone=member.timezone),
                kind=InputKind.TIME,
                hint=_("e.g. {time}").format(time="10:15"),
            ),
            Input(
                "end", _("Ends"), kind=InputKind.TIME, hint=_("e.g. {time}").format(time="11:00")
            ),
            Input(
                "class_name",
                _("Class"),
                required=False,
                max_length=200,
                placeholder=_("Year 9 algebra"),
            ),
            Input(
                "subject",
                _("Subject"),
                required=False,
                max_length=80,
                initial=member.subjects[0] if member.subjects else None,
            ),
            Input(
                "focus",
                _("Focus"),
                kind=InputKind.SELECT,
                options=focus_options(member),
                initial=f"{GOAL_CHOICE}1" if member.goals else None,
            ),
            Input(
                "focus_other",
                _("Your own focus"),
                required=False,
                max_length=120,
                hint=_("if you chose something else"),
            ),
            Input(
                "look_fors",
                _("What should the observer look for?"),
                kind=InputKind.MULTILINE,
                required=False,
                max_length=600,
                hint=_("one per line, e.g. wait time after questions"),
            ),
            Input(
                "question",
                _("One question you'd like your observer to answer"),
                required=False,
                max_length=MAX_QUESTION,
                hint=_("optional, e.g. do the quiet students get a turn to talk?"),
            ),
        ),
    )


def focus_options(member: Member) -> tuple[Option, ...]:
    """The teacher's own goals first (the focus goal on top), then the program's focus areas, then
    their own words: an observation is most useful on what the teacher is already working on."""
    goals = tuple(
        Option(
            f"{GOAL_CHOICE}{i}",
            (_("My focus goal: {goal}") if i == 1 else _("My goal: {goal}")).format(goal=goal),
        )
        for i, goal in enumerate(member.goals, 1)
    )
    areas = tuple(Option(f, _(f).capitalize()) for f in FOCUS_AREAS)
    return (*goals, *areas, Option("other", _("Something else")))


def goal_focus(member: Member, choice: str) -> str:
    """The goal a ``goal:N`` choice names, in the teacher's words (cut to fit a focus), or raises
    when it is no longer on their list (removed since the form was opened)."""
    index = record_id(choice.removeprefix(GOAL_CHOICE))
    if index is None or not 1 <= index <= len(member.goals):
        raise ParseError(_("that goal is no longer on your list; please choose again"))
    goal = " ".join(member.goals[index - 1].split())
    if len(goal) <= MAX_FOCUS:
        return goal
    return goal[: MAX_FOCUS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def read_request_form(ctx: Ctx, member: Member, values: Mapping[str, FormValue]) -> Lesson:
    """Every field checked at once, so one refusal names everything there is to fix."""
    errors: dict[str, str] = {}
    day = start = end = None
    try:
        day = parse_lesson_date(form_text(values, "date"), ctx.local_today(member))
    except ParseError as exc:
        errors["date"] = str(exc)
    for name in ("start", "end"):
        try:
            parsed = parse_clock_time(form_text(values, name)) if form_text(values, name) else None
            if parsed is None:
                errors[name] = _("Please give a time, e.g. {time}.").format(time="10:15")
            elif name == "start":
                start = parsed
            else:
                end = parsed
        except ParseError as exc:
            errors[name] = str(exc)
    choice = form_text(values, "focus")
    typed = form_text(values, "focus_other")
    focus = ""
    try:
        if choice.startswith(GOAL_CHOICE):
            # The teacher's goal in their own words: not folded into a focus area it resembles.
            focus = goal_focus(member, choice)
        else:
            focus = normalise_focus(
                typed
                if (choice in ("", "other") and typed) or (typed and not choice)
                else choice or typed
            )
    except ParseError as exc:
        errors["focus_other" if choice == "other" else "focus"] = str(exc)
    look_fors = "; ".join(
        line.strip() for line in form_text(values, "look_fors").splitlines() if line.strip()
    )
    question = " ".join(form_text(values, "question").split())
    if len(question) > MAX_QUESTION:
        errors["question"] = _("Please keep your question under {n} characters.").format(
            n=MAX_QUESTION
        )
    starts_at = ends_at = None
    if day is not None and start is not None and end is not None:
        try:
            starts_at, ends_at = lesson_window(day, start, end, member.timezone, ctx.now)
        except ParseError as exc:
            errors["end" if end <= start else "date"] = str(exc)
    if day is not None and "date" not in errors:
        closed = not_a_school_day(ctx, member, day)
        if closed:
            errors["date"] = closed
    if (
        errors
        or starts_at is None
        or ends_at is None
        or day is None
        or start is None
        or end is None
    ):
        raise FormInvalid(errors)
    lesson = LessonRequest(
        day=day,
        start=start,
        end=end,
        focus=focus,
        class_name=form_text(values, "class_name")[:200],
        subject=form_text(values, "subject")[:80] or None,
        look_fors=look_fors[:600],
        question=question,
    )
    return lesson, starts_at, ends_at


# --- the draft -------------------------------------------------------------------------------------


def draft(ctx: Ctx, member: Member, lesson: Lesson) -> Message:
    """Store the request as a draft and show it back; nobody hears of it until a button is pressed."""
    assert member.id is not None
    wanted, starts_at, ends_at = lesson
    repo = ctx.repos.observations
    for old in repo.requests_of(member.id, (RequestStatus.DRAFT,)):
        if old.requester_id == member.id:
            old.status = RequestStatus.CANCELLED
            repo.save_request(old)
    request = repo.add_request(
        ObservationRequest(
            workspace_id=ctx.workspace.id,
            requester_id=member.id,
            starts_at=starts_at,
            ends_at=ends_at,
            timezone=member.timezone,
            focus=wanted.focus,
            class_name=wanted.class_name,
            subject=wanted.subject,
            look_fors=wanted.look_fors,
            question=wanted.question,
        )
    )
    suggestions = suggest_observers(repo, member, request, ctx.now)
    return _draft_message(request, suggestions)


def _draft_message(request: ObservationRequest, suggestions: list[Suggestion]) -> Message:
    assert request.id is not None
    buttons: list[Button] = []
    if suggestions:
        who = Section(suggestion_text(suggestions))
        buttons += [
            Button(
                _("Ask {name}").format(name=said(s.display_name)),
                PICK,
                f"{request.id}:{s.member_id}",
            )
            for s in suggestions
        ]
        if len(suggestions) > 1:
            buttons.append(Button(_("Ask them in turn"), IN_TURN, str(request.id), "primary"))
        note = (
            _(
                "If you pick someone, I ask them first and the others after, one at a time. "
                "Each has {n} hours to answer."
            ).format(n=ASK_TIMEOUT_HOURS)
            + " "
        )
    else:
        who = Section(
            _(
                "I couldn't find a colleague who is free then. Colleagues declare free periods "
                "with `free`; you can try another lesson, or ask your coordinator to help."
            )
        )
        buttons.append(
            Button(_("Ask the coordinator"), TELL_COORDINATOR, str(request.id), "primary")
        )
        note = ""
    note += _("Wrong day or time? Just type `observe` again; this draft is replaced.")
    buttons.append(Button(_("Cancel"), CANCEL, str(request.id), "danger"))
    return choose(
        _("Here is what I understood. Please check it before I ask anyone:"),
        buttons,
        details=(Section(fields=lesson_fields(request)), who),
        note=note,
        summary=_(
            "Observation of your lesson on {lesson}: please check and choose an observer."
        ).format(lesson=when(request)),
    )


def suggestion_text(suggestions: list[Suggestion]) -> str:
    """The suggestions under honest headers: only people whose free period covers the lesson are
    "free then"; people who never declared free periods are listed apart, as a second choice."""
    numbered = list(enumerate(suggestions, 1))
    groups = (
        (_("Colleagues free then:"), [(i, s) for i, s in numbered if s.declared_free]),
        (
            _("Colleagues who haven't said when they're free (they may be teaching then):"),
            [(i, s) for i, s in numbered if not s.declared_free],
        ),
    )
    return "\n".join(
        header + "\n" + "\n".join(f"{i}. *{said(s.display_name)}*: {s.why()}" for i, s in members)
        for header, members in groups
        if members
    )


def own_draft(ctx: Ctx, value: str) -> tuple[Member, ObservationRequest]:
    """The draft behind a button under it, if it is the presser's and still to be sent."""
    member = ctx.require_member()
    found = request_behind(ctx, value, lock=True)
    request = own(found, lambda r: r.requester_id, member, _(NOT_YOUR_REQUEST))
    if request.status is not RequestStatus.DRAFT:
        raise UserError(
            _("That request is already {status}. Type `observe list` to see it.").format(
                status=status_words(request.status)
            )
        )
    if request.starts_at <= ctx.now:
        raise UserError(
            _("That lesson has already started. Type `observe` to ask for another one.")
        )
    return member, request
