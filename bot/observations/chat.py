"""The chat side of peer observation: the ``observe`` and ``free`` verbs, their buttons and forms.

A request is parsed, shown back in full with suggested observers, and only sent when the requester
presses a button: a forgiving reading of "next thu" costs nothing if it guessed wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta

from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid, PermissionDenied, UserError
from bot.kernel.events import FormValue, form_text
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
    text_message,
)
from bot.kernel.parsing import ParseError, parse_clock_time
from bot.observations import lifecycle as flow
from bot.observations.model import (
    FOCUS_AREAS,
    MAX_SUGGESTIONS,
    Ask,
    AskStatus,
    Feedback,
    FreePeriod,
    ObservationRequest,
    RequestStatus,
)
from bot.observations.parse import (
    LessonRequest,
    lesson_window,
    normalise_focus,
    parse_free_periods,
    parse_lesson_date,
    parse_request_line,
)
from bot.observations.suggest import Suggestion, suggest_observers
from bot.reflections.model import Reflection, Visibility

ACCEPT = flow.ACCEPT
DECLINE = flow.DECLINE
CANCEL = flow.CANCEL
GIVE_FEEDBACK = flow.GIVE_FEEDBACK
REQUEST_FORM = "observe.request"
FEEDBACK_FORM = "observe.feedback"
REFLECTION_FORM = "observe.reflection"
REFLECTION_TAG = "observation"
PICK = "observe.pick"
IN_TURN = "observe.in_turn"
TELL_COORDINATOR = "observe.coordinator"
SHARE = "observe.share"
REFLECT = "observe.reflect"
RATING_LABELS = ("not seen yet", "emerging", "developing well", "a real strength")
STATS_WINDOW = timedelta(days=90)

VERBS = (
    Verb(
        "observe",
        'observe [DAY START-END focus: FOCUS "class"] | observe list | observe show N | '
        "observe cancel N | observe stats",
        "Ask a colleague to observe a lesson and give you feedback on a focus you choose.",
        examples=(
            'observe thu 10:15-11:00 focus: questioning "Year 9 algebra, group work"',
            "observe next tue 13:00-13:50 focus: behaviour class: 8C look for: wait time, praise",
            "observe",
            "observe list",
        ),
    ),
    Verb(
        "free",
        "free [add DAY START-END, ... | remove N | clear]",
        "Your weekly free periods, so colleagues know when you could observe them.",
        examples=("free add mon 10:15-11:00, thu 13:00-14:00", "free", "free remove 2"),
    ),
)


# --- observe: the request ---------------------------------------------------------------------------


def observe(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    sub = cmd.args[0].lower() if cmd.args else ""
    if not cmd.rest.strip():
        return [Message(text="Which lesson would you like observed?", form=request_form(ctx))]
    if sub == "list":
        return [_list(ctx, member)]
    if sub in ("show", "cancel"):
        if len(cmd.args) != 2 or not cmd.args[1].lstrip("#").isdigit():
            raise usage_error(
                "observe", f"Which observation? Give its number, e.g. `observe {sub} 3`."
            )
        request = _request_for(ctx, int(cmd.args[1].lstrip("#")))
        return [_show(ctx, member, request)] if sub == "show" else [_cancel(ctx, member, request)]
    if sub == "stats":
        return [_stats(ctx)]
    try:
        lesson = parse_request_line(cmd.rest, ctx.local_today(member))
        starts_at, ends_at = lesson_window(
            lesson.day, lesson.start, lesson.end, member.timezone, ctx.now
        )
    except ParseError as exc:
        raise usage_error("observe", f"Sorry, {exc}.") from None
    return [_draft(ctx, member, lesson, starts_at, ends_at)]


def request_form(ctx: Ctx) -> Form:
    member = ctx.require_member()
    return Form(
        form_id=REQUEST_FORM,
        title="Ask for an observer",
        submit_label="Check and find observers",
        inputs=(
            Input(
                "date",
                "Day of the lesson",
                kind=InputKind.DATE,
                hint="e.g. thu, next tuesday, 3 dec",
            ),
            Input("start", f"Starts ({member.timezone})", kind=InputKind.TIME, hint="e.g. 10:15"),
            Input("end", "Ends", kind=InputKind.TIME, hint="e.g. 11:00"),
            Input(
                "class_name", "Class", required=False, max_length=200, placeholder="Year 9 algebra"
            ),
            Input(
                "subject",
                "Subject",
                required=False,
                max_length=80,
                initial=member.subjects[0] if member.subjects else None,
            ),
            Input(
                "focus",
                "Focus",
                kind=InputKind.SELECT,
                options=(
                    *(Option(f, f.capitalize()) for f in FOCUS_AREAS),
                    Option("other", "Something else"),
                ),
            ),
            Input(
                "focus_other",
                "Your own focus",
                required=False,
                max_length=120,
                hint="if you chose something else",
            ),
            Input(
                "look_fors",
                "What should the observer look for?",
                kind=InputKind.MULTILINE,
                required=False,
                max_length=600,
                hint="one per line, e.g. wait time after questions",
            ),
        ),
    )


def submit_request(ctx: Ctx, values: Mapping[str, FormValue], _state: str) -> list[Message]:
    member = ctx.require_member()
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
                errors[name] = "Please give a time, e.g. 10:15."
            elif name == "start":
                start = parsed
            else:
                end = parsed
        except ParseError as exc:
            errors[name] = str(exc)
    choice = form_text(values, "focus")
    own = form_text(values, "focus_other")
    focus = ""
    try:
        focus = normalise_focus(
            own if (choice in ("", "other") and own) or (own and not choice) else choice or own
        )
    except ParseError as exc:
        errors["focus_other" if choice == "other" else "focus"] = str(exc)
    look_fors = "; ".join(
        line.strip() for line in form_text(values, "look_fors").splitlines() if line.strip()
    )
    starts_at = ends_at = None
    if day is not None and start is not None and end is not None:
        try:
            starts_at, ends_at = lesson_window(day, start, end, member.timezone, ctx.now)
        except ParseError as exc:
            errors["end" if end <= start else "date"] = str(exc)
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
    )
    return [_draft(ctx, member, lesson, starts_at, ends_at)]


def _draft(
    ctx: Ctx, member: Member, lesson: LessonRequest, starts_at: datetime, ends_at: datetime
) -> Message:
    """Store the request as a draft and show it back; nobody hears of it until a button is pressed."""
    assert member.id is not None
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
            focus=lesson.focus,
            class_name=lesson.class_name,
            subject=lesson.subject,
            look_fors=lesson.look_fors,
        )
    )
    suggestions = suggest_observers(repo, member, request, ctx.now)
    return _draft_message(request, suggestions)


def _draft_message(request: ObservationRequest, suggestions: list[Suggestion]) -> Message:
    assert request.id is not None
    blocks: list[Section | Actions | Context] = [
        Section("Here is what I understood. Please check it before I ask anyone:"),
        Section(fields=flow.lesson_fields(request)),
    ]
    buttons: list[Button] = []
    if suggestions:
        lines = [f"{i}. *{s.display_name}*: {s.why()}" for i, s in enumerate(suggestions, 1)]
        blocks.append(Section("Colleagues free then:\n" + "\n".join(lines)))
        buttons += [
            Button(f"Ask {s.display_name}", PICK, f"{request.id}:{s.member_id}")
            for s in suggestions
        ]
        if len(suggestions) > 1:
            buttons.append(Button("Ask them in turn", IN_TURN, str(request.id), "primary"))
        note = (
            "If you pick someone, I ask them first and the others after, one at a time. "
            "Each has 24 hours to answer. "
        )
    else:
        blocks.append(
            Section(
                "I couldn't find a colleague who is free then. Colleagues declare free periods with "
                "`free`; you can try another lesson, or ask your coordinator to help."
            )
        )
        buttons.append(Button("Ask the coordinator", TELL_COORDINATOR, str(request.id), "primary"))
        note = ""
    note += "Wrong day or time? Just type `observe` again; this draft is replaced."
    buttons.append(Button("Cancel", flow.CANCEL, str(request.id), "danger"))
    blocks.append(Actions(tuple(buttons)))
    blocks.append(Context(note))
    return Message(
        text=f"Observation of your lesson on {flow.when(request)}: please check and choose an observer.",
        blocks=tuple(blocks),
    )


def _own_draft(ctx: Ctx, value: str) -> tuple[Member, ObservationRequest]:
    member = ctx.require_member()
    request_id = value.split(":", 1)[0]
    request = ctx.repos.observations.lock_request(int(request_id)) if request_id.isdigit() else None
    if request is None or request.requester_id != member.id:
        raise UserError(
            "That request isn't yours, or it no longer exists. Type `observe list` to see yours."
        )
    if request.status is not RequestStatus.DRAFT:
        raise UserError(
            f"That request is already {_status_words(request.status)}. Type `observe list` to see it."
        )
    if request.starts_at <= ctx.now:
        raise UserError("That lesson has already started. Type `observe` to ask for another one.")
    return member, request


def pick(ctx: Ctx, value: str) -> list[Message]:
    member, request = _own_draft(ctx, value)
    picked = value.split(":", 1)[1] if ":" in value else ""
    suggestions = suggest_observers(
        ctx.repos.observations, member, request, ctx.now, MAX_SUGGESTIONS + 1
    )
    chosen = next((s for s in suggestions if str(s.member_id) == picked), None)
    if chosen is None:
        raise UserError(
            "That colleague is no longer free then. Type `observe` again for fresh suggestions."
        )
    order = [chosen, *[s for s in suggestions if s.member_id != chosen.member_id]][:MAX_SUGGESTIONS]
    return [_start_asking(ctx, request, order)]


def in_turn(ctx: Ctx, value: str) -> list[Message]:
    member, request = _own_draft(ctx, value)
    suggestions = suggest_observers(ctx.repos.observations, member, request, ctx.now)
    if not suggestions:
        raise UserError("Nobody is free then any more. Type `observe` to try another lesson.")
    return [_start_asking(ctx, request, suggestions)]


def _start_asking(ctx: Ctx, request: ObservationRequest, order: list[Suggestion]) -> Message:
    assert request.id is not None
    ctx.repos.observations.add_asks(request.id, [s.member_id for s in order])
    request.status = RequestStatus.ASKING
    ctx.repos.observations.save_request(request)
    asked = flow.ask_next(ctx.repos, request, ctx.now)
    if asked is None:
        return text_message(
            "Nobody on the list can make it any more; your coordinator has been told."
        )
    rest = [s.display_name for s in order if s.member_id != asked.id]
    then = f" If they can't, I'll ask {_names(rest)}, one at a time." if rest else ""
    return Message(
        text=f"I've asked {asked.display_name} to observe your lesson on {flow.when(request)}.{then}",
        blocks=(
            Section(
                f"📨 I've asked *{asked.display_name}* to observe your lesson on {flow.when(request)}.{then}"
            ),
            Context("I'll tell you as soon as someone accepts."),
        ),
    )


def tell_coordinator(ctx: Ctx, value: str) -> list[Message]:
    member, request = _own_draft(ctx, value)
    flow.mark_unmatched(ctx.repos, request, member, ctx.now)
    return [text_message("I've told your coordinator; they may help find an observer.")]


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- answering an ask ---------------------------------------------------------------------------


def _my_ask(ctx: Ctx, value: str) -> tuple[Member, ObservationRequest, Ask]:
    member = ctx.require_member()
    ask = ctx.repos.observations.get_ask(int(value)) if value.isdigit() else None
    if ask is None or ask.member_id != member.id:
        raise UserError("That request wasn't for you, or it no longer exists.")
    request = ctx.repos.observations.lock_request(ask.request_id)
    fresh = ctx.repos.observations.get_ask(ask.id or 0)  # as it is now that we hold the request
    assert request is not None and fresh is not None
    return member, request, fresh


def accept(ctx: Ctx, value: str) -> list[Message]:
    member, request, ask = _my_ask(ctx, value)
    if ask.status is AskStatus.ACCEPTED:
        return [text_message("You've already accepted this one. Thank you!")]
    if request.status is not RequestStatus.ASKING or ask.status is not AskStatus.ASKED:
        raise UserError(
            "Thank you! This request has already moved on (someone else is observing, it was cancelled, "
            "or the 24 hours passed), so there is nothing more to do."
        )
    if ctx.repos.observations.is_observing(member.id or 0, request.starts_at, request.ends_at):
        raise UserError(
            "You're already observing another lesson at that time, so I can't book you twice. "
            "Press Decline and I'll ask someone else."
        )
    return [flow.confirm(ctx.repos, request, ask, member, ctx.now)]


def decline(ctx: Ctx, value: str) -> list[Message]:
    _member, request, ask = _my_ask(ctx, value)
    if ask.status is not AskStatus.ASKED or request.status is not RequestStatus.ASKING:
        return [text_message("No problem; this request has already moved on.")]
    ask.status = AskStatus.DECLINED
    ask.answered_at = ctx.now
    ctx.repos.observations.save_ask(ask)
    flow.ask_next(ctx.repos, request, ctx.now)
    return [text_message("No problem, thanks for answering quickly. I'll ask someone else.")]


# --- cancel, list, show, stats ----------------------------------------------------------------------


def _request_for(ctx: Ctx, request_id: int) -> ObservationRequest:
    request = ctx.repos.observations.get_request(request_id)
    if request is None:
        raise UserError(f"There is no observation #{request_id}. Type `observe list` to see yours.")
    return request


def cancel_button(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    if not value.isdigit():
        raise UserError("That button has expired. Type `observe list` to see your observations.")
    return [_cancel(ctx, member, _request_for(ctx, int(value)))]


def _cancel(ctx: Ctx, member: Member, request: ObservationRequest) -> Message:
    request = ctx.repos.observations.lock_request(request.id or 0) or request
    if member.id not in (request.requester_id, request.observer_id):
        raise PermissionDenied("Only the teacher and their observer can cancel an observation.")
    if request.status not in (RequestStatus.DRAFT, RequestStatus.ASKING, RequestStatus.CONFIRMED):
        raise UserError(f"Observation #{request.id} is already {_status_words(request.status)}.")
    if request.status is RequestStatus.CONFIRMED and request.starts_at <= ctx.now:
        raise UserError("That lesson has already started, so it can't be cancelled now.")
    told = flow.cancel(ctx.repos, request, member, ctx.now)
    tail = f" I've let {told} know." if told else ""
    return text_message(
        f"Cancelled the observation on {flow.when(request, member.timezone)}.{tail}"
    )


def _status_words(status: RequestStatus) -> str:
    return {
        RequestStatus.DRAFT: "waiting for you to choose an observer",
        RequestStatus.ASKING: "asking colleagues",
        RequestStatus.CONFIRMED: "confirmed",
        RequestStatus.UNMATCHED: "closed without an observer",
        RequestStatus.CANCELLED: "cancelled",
        RequestStatus.DONE: "done, with feedback",
    }[status]


def _list(ctx: Ctx, member: Member) -> Message:
    assert member.id is not None
    requests = [
        r
        for r in ctx.repos.observations.requests_of(member.id)
        if r.status is not RequestStatus.DRAFT and (r.ends_at > ctx.now - timedelta(days=60))
    ]
    if not requests:
        return text_message(
            "You have no observations yet. Ask for one with "
            '`observe thu 10:15-11:00 focus: questioning "Year 9 algebra"`.'
        )
    lines = []
    for r in requests:
        if r.requester_id == member.id:
            observer = ctx.repos.members.get(r.observer_id) if r.observer_id else None
            who = f"observed by {observer.display_name}" if observer else "your lesson"
        else:
            requester = ctx.repos.members.get(r.requester_id)
            who = f"you observe {requester.display_name if requester else 'a colleague'}"
        lines.append(
            f"#{r.id} {flow.when(r, member.timezone)}: {who}, {r.focus} ({_status_words(r.status)})"
        )
    return text_message(
        "Your observations:\n" + "\n".join(lines) + "\nType `observe show N` for one."
    )


def _mentor_of(ctx: Ctx, member_id: int) -> Member | None:
    for partner_id, role in ctx.repos.observations.partners_of(member_id):
        if role == "mentor":
            return ctx.repos.members.get(partner_id)
    return None


def _show(ctx: Ctx, member: Member, request: ObservationRequest) -> Message:
    """The people in the observation see it; a mentor sees feedback only when shared; nobody else does."""
    feedback = ctx.repos.observations.feedback_for(request.id or 0)
    mentor = _mentor_of(ctx, request.requester_id)
    shared_mentor = (
        feedback is not None
        and feedback.shared_with_mentor
        and mentor is not None
        and mentor.id == member.id
    )
    if member.id not in (request.requester_id, request.observer_id) and not shared_mentor:
        raise PermissionDenied(
            "Observations are private to the teacher and their observer. Coordinators see only how many "
            "happened (`observe stats`)."
        )
    requester = ctx.repos.members.get(request.requester_id)
    observer = ctx.repos.members.get(request.observer_id) if request.observer_id else None
    blocks: list[Section | Context] = [
        Section(
            f"*Observation #{request.id}*: {requester.display_name if requester else '?'}'s lesson"
            + (f", observed by {observer.display_name}" if observer else "")
            + f" ({_status_words(request.status)})"
        ),
        Section(fields=flow.lesson_fields(request, member.timezone)),
    ]
    if feedback is not None:
        if member.id == request.requester_id or shared_mentor:
            blocks += list(feedback_blocks(request, feedback))
            reflection = _reflection(ctx, feedback)
            if member.id == request.requester_id and reflection is not None:
                blocks.append(
                    Section(
                        fields=(
                            ("Your reflection", reflection.went_well),
                            ("You'll try", reflection.try_next or "—"),
                        )
                    )
                )
        else:
            blocks.append(Context("You gave feedback; only the teacher you observed can read it."))
    return Message(text=f"Observation #{request.id}", blocks=tuple(blocks))


def _stats(ctx: Ctx) -> Message:
    """What a coordinator may know: how many observations happened, never what was said."""
    ctx.require_coordinator()
    counts = ctx.repos.observations.status_counts(ctx.now - STATS_WINDOW)
    total = sum(counts.values()) - counts.get(RequestStatus.DRAFT, 0)
    rows = (
        ("Requested", str(total)),
        ("Completed (feedback given)", str(counts.get(RequestStatus.DONE, 0))),
        ("Booked, still to come", str(counts.get(RequestStatus.CONFIRMED, 0))),
        ("Looking for an observer", str(counts.get(RequestStatus.ASKING, 0))),
        ("No observer found", str(counts.get(RequestStatus.UNMATCHED, 0))),
        ("Cancelled", str(counts.get(RequestStatus.CANCELLED, 0))),
    )
    return Message(
        text="Peer observations in the last 90 days",
        blocks=(
            Section("*Peer observations in the last 90 days*"),
            Section(fields=rows),
            Context(
                "Feedback and reflections stay private to each teacher; only these counts are shown."
            ),
        ),
    )


# --- feedback and reflection --------------------------------------------------------------------


def feedback_button(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    request = _feedback_request(ctx, member, value)
    return [Message(text="Feedback for your colleague", form=feedback_form(ctx, request))]


def _feedback_request(ctx: Ctx, member: Member, value: str) -> ObservationRequest:
    request = ctx.repos.observations.lock_request(int(value)) if value.isdigit() else None
    if request is None or request.observer_id != member.id:
        raise UserError("That feedback form isn't for you, or the observation no longer exists.")
    if request.status is RequestStatus.DONE:
        raise UserError("You've already given feedback on this one. Thank you!")
    if request.status is not RequestStatus.CONFIRMED:
        raise UserError(f"Observation #{request.id} is {_status_words(request.status)}.")
    if request.starts_at > ctx.now:
        raise UserError("The feedback form opens once the lesson has started.")
    return request


def feedback_form(ctx: Ctx, request: ObservationRequest) -> Form:
    requester = ctx.repos.members.get(request.requester_id)
    name = requester.display_name if requester else "your colleague"
    look_fors = request.look_for_list() or [request.focus]
    ratings = tuple(
        Input(
            f"rating_{i}",
            f"“{item}” (1-4)",
            kind=InputKind.SELECT,
            required=False,
            options=tuple(
                Option(str(n), f"{n}: {label}") for n, label in enumerate(RATING_LABELS, 1)
            ),
        )
        for i, item in enumerate(look_fors)
    )
    return Form(
        form_id=FEEDBACK_FORM,
        title=f"Feedback for {name}"[:60],
        submit_label="Send to " + name.split()[0],
        state=str(request.id),
        inputs=(
            Input(
                "strengths",
                f"Strengths you saw ({request.focus})",
                kind=InputKind.MULTILINE,
                max_length=1500,
                hint="be specific: what did you see that worked?",
            ),
            Input("suggestion_1", "One next step to try", max_length=400),
            Input("suggestion_2", "Another next step", required=False, max_length=400),
            *ratings,
        ),
    )


def submit_feedback(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    member = ctx.require_member()
    request = _feedback_request(ctx, member, state)
    errors: dict[str, str] = {}
    strengths = form_text(values, "strengths")
    if len(strengths) < 3:
        errors["strengths"] = "Please name at least one strength you saw."
    elif len(strengths) > 1500:
        errors["strengths"] = "Please keep this under 1,500 characters."
    suggestions = [form_text(values, "suggestion_1"), form_text(values, "suggestion_2")]
    if not suggestions[0]:
        errors["suggestion_1"] = "Please suggest one next step; a small one is perfect."
    for i, s in enumerate(suggestions, 1):
        if len(s) > 400:
            errors[f"suggestion_{i}"] = "Please keep each next step under 400 characters."
    look_fors = request.look_for_list() or [request.focus]
    ratings: dict[str, int] = {}
    for i, item in enumerate(look_fors):
        raw = form_text(values, f"rating_{i}").split(":")[0].strip()
        if not raw:
            continue
        if raw not in ("1", "2", "3", "4"):
            errors[f"rating_{i}"] = "Pick 1 to 4, or leave it empty."
        else:
            ratings[item] = int(raw)
    if errors:
        raise FormInvalid(errors)
    assert member.id is not None and request.id is not None
    feedback = ctx.repos.observations.add_feedback(
        Feedback(
            request_id=request.id,
            observer_id=member.id,
            strengths=strengths,
            suggestions=[s for s in suggestions if s],
            ratings=ratings,
        )
    )
    request.status = RequestStatus.DONE
    ctx.repos.observations.save_request(request)
    requester = ctx.repos.members.get(request.requester_id)
    assert requester is not None
    buttons = [Button("Write a reflection", REFLECT, str(request.id), "primary")]
    if _mentor_of(ctx, requester.id or 0) is not None:
        buttons.append(Button("Share with my mentor", SHARE, str(request.id)))
    ctx.send(
        requester,
        Message(
            text=f"{member.display_name} sent feedback on your lesson ({request.focus}).",
            blocks=(
                Section(
                    f"🌱 *{member.display_name}* observed your lesson on {flow.when(request)} and sent this "
                    "feedback. Thank you for opening your classroom!"
                ),
                *feedback_blocks(request, feedback),
                Context(
                    "Only you can see this. It is peer feedback for growth, never an evaluation: your "
                    "coordinator sees only that an observation happened."
                ),
                Actions(tuple(buttons)),
            ),
            ephemeral=False,
        ),
        f"obs:{request.id}:feedback",
    )
    first = requester.display_name.split()[0]
    return [
        text_message(
            f"Thank you, {member.display_name.split()[0]}! Your feedback went to {first} only. "
            "Observing a colleague counts as a contribution in this term's digest. 🙌"
        )
    ]


def feedback_blocks(request: ObservationRequest, feedback: Feedback) -> tuple[Section, ...]:
    fields: list[tuple[str, str]] = [("Strengths", feedback.strengths)]
    for i, s in enumerate(feedback.suggestions, 1):
        fields.append((f"Next step {i}" if len(feedback.suggestions) > 1 else "Next step", s))
    for item, n in feedback.ratings.items():
        fields.append((item[:40], f"{n}/4 ({RATING_LABELS[n - 1]})"))
    return (Section(f"Focus: *{request.focus}*", fields=tuple(fields)),)


def _requesters_feedback(ctx: Ctx, value: str) -> tuple[Member, ObservationRequest, Feedback]:
    member = ctx.require_member()
    request = ctx.repos.observations.get_request(int(value)) if value.isdigit() else None
    feedback = ctx.repos.observations.feedback_for(request.id or 0) if request else None
    if request is None or feedback is None or request.requester_id != member.id:
        raise UserError("That feedback isn't yours, or it no longer exists.")
    return member, request, feedback


def share(ctx: Ctx, value: str) -> list[Message]:
    member, request, feedback = _requesters_feedback(ctx, value)
    mentor = _mentor_of(ctx, member.id or 0)
    if mentor is None:
        raise UserError(
            "You don't have a mentor in Staffroom right now, so there is nobody to share with."
        )
    if not feedback.shared_with_mentor:
        feedback.shared_with_mentor = True
        ctx.repos.observations.save_feedback(feedback)
        ctx.send(
            mentor,
            Message(
                text=f"{member.display_name} shared observation feedback with you.",
                blocks=(
                    Section(
                        f"*{member.display_name}* chose to share the feedback from an observation with you:"
                    ),
                    *feedback_blocks(request, feedback),
                    Context("Shared with you only. Maybe talk it through at your next meeting?"),
                ),
                ephemeral=False,
            ),
            f"obs:{request.id}:shared:{mentor.id}",
        )
    return [text_message(f"Shared with {mentor.display_name}, and only with them.")]


def _reflection(ctx: Ctx, feedback: Feedback) -> Reflection | None:
    if feedback.reflection_id is None:
        return None
    return ctx.repos.reflections.get(feedback.reflection_id)


def reflect(ctx: Ctx, value: str) -> list[Message]:
    _member, request, feedback = _requesters_feedback(ctx, value)
    form = reflection_form(request, _reflection(ctx, feedback))
    return [Message(text="A quick reflection", form=form)]


def reflection_form(request: ObservationRequest, reflection: Reflection | None) -> Form:
    return Form(
        form_id=REFLECTION_FORM,
        title="Reflect on the feedback",
        state=str(request.id),
        inputs=(
            Input(
                "reflection",
                "What stands out for you?",
                kind=InputKind.MULTILINE,
                max_length=1500,
                initial=reflection.went_well if reflection else None,
            ),
            Input(
                "next",
                "What will you try next?",
                required=False,
                max_length=400,
                initial=(reflection.try_next or None) if reflection else None,
            ),
        ),
    )


def submit_reflection(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    """Kept as one of the teacher's own reflections, private, tagged "observation": it is
    listed with their others, exported with them and erased by forget-me like them."""
    member, _request, feedback = _requesters_feedback(ctx, state)
    text = form_text(values, "reflection")
    if not text:
        raise FormInvalid({"reflection": "A sentence is enough."})
    if len(text) > 1500:
        raise FormInvalid({"reflection": "Please keep this under 1,500 characters."})
    next_step = form_text(values, "next")[:400]
    existing = _reflection(ctx, feedback)
    if existing is not None and existing.member_id == member.id:
        existing.went_well, existing.try_next = text, next_step
        ctx.repos.reflections.save(existing)
    else:
        assert member.id is not None
        saved = ctx.repos.reflections.add(
            Reflection(
                member_id=member.id,
                went_well=text,
                try_next=next_step,
                tag=REFLECTION_TAG,
                visibility=Visibility.PRIVATE,
            )
        )
        feedback.reflection_id = saved.id
        ctx.repos.observations.save_feedback(feedback)
    return [
        text_message(
            "Saved with your reflections (`reflections` lists them); it is private to you. "
            "Thanks for taking a minute on it. 🌱"
        )
    ]


def rebuild_request(ctx: Ctx, _state: str) -> Form:
    return request_form(ctx)


def rebuild_feedback(ctx: Ctx, state: str) -> Form:
    request = ctx.repos.observations.get_request(int(state)) if state.isdigit() else None
    if request is None:
        raise UserError("That form has expired.")
    return feedback_form(ctx, request)


def rebuild_reflection(ctx: Ctx, state: str) -> Form:
    request = ctx.repos.observations.get_request(int(state)) if state.isdigit() else None
    feedback = ctx.repos.observations.feedback_for(request.id or 0) if request else None
    if request is None or feedback is None:
        raise UserError("That form has expired.")
    return reflection_form(request, _reflection(ctx, feedback))


# --- free periods -------------------------------------------------------------------------------


def free(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    assert member.id is not None
    repo = ctx.repos.observations
    sub = cmd.args[0].lower() if cmd.args else ""
    if not sub or sub == "list":
        return [_free_list(ctx, member)]
    if sub == "clear":
        n = repo.clear_free_periods(member.id)
        return [text_message(f"Cleared {n} free period{'s' if n != 1 else ''}.")]
    if sub == "remove":
        periods = repo.free_periods(member.id)
        if (
            len(cmd.args) != 2
            or not cmd.args[1].isdigit()
            or not 1 <= int(cmd.args[1]) <= len(periods)
        ):
            raise usage_error(
                "free",
                f"Which one? Give its number from `free` (1 to {len(periods)})."
                if periods
                else "You have no free periods to remove.",
            )
        period = periods[int(cmd.args[1]) - 1]
        repo.remove_free_period(period.id or 0, member.id)
        return [text_message(f"Removed {_period(period)}."), _free_list(ctx, member)]
    text = cmd.rest.strip()
    if sub == "add":
        text = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
    try:
        parsed = parse_free_periods(text)
    except ParseError as exc:
        raise usage_error("free", f"Sorry, {exc}.") from None
    added = sum(repo.add_free_period(FreePeriod(member.id, wd, s, e)) for wd, s, e in parsed)
    note = f"Added {added} free period{'s' if added != 1 else ''}."
    if added < len(parsed):
        note += " (The rest were already there.)"
    return [text_message(note), _free_list(ctx, member)]


def _period(p: FreePeriod) -> str:
    return f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[p.weekday]} {_hm(p.start)}–{_hm(p.end)}"


def _hm(t: time) -> str:
    return f"{t:%H:%M}"


def _free_list(ctx: Ctx, member: Member) -> Message:
    periods = ctx.repos.observations.free_periods(member.id or 0)
    if not periods:
        return text_message(
            "You haven't declared any free periods. Add the times you could observe a colleague: "
            "`free add mon 10:15-11:00, thu 13:00-14:00`."
        )
    lines = [f"{i}. {_period(p)}" for i, p in enumerate(periods, 1)]
    return text_message(
        f"Your weekly free periods ({member.timezone}):\n"
        + "\n".join(lines)
        + "\nColleagues may ask you to observe then. `free remove N` to drop one."
    )
