"""The observer's feedback: the form tied to the focus, its delivery to the teacher alone, and sharing
it on with their mentor when the teacher chooses to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.kernel.context import Ctx, own
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import N_, _, number
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
    said,
    text_message,
)
from bot.kernel.replies import confirm
from bot.observations.model import (
    FOCUS_AREAS,
    SEEN_WORDS,
    Feedback,
    ObservationRequest,
    RequestStatus,
    Seen,
)
from bot.observations.render import focus_words, status_words, when
from bot.observations.request import request_behind
from bot.observations.thanks import thank_button

FEEDBACK_FORM = "observe.feedback"
GIVE_FEEDBACK = "observe.feedback"
SHARE = "observe.share"
REFLECT = "observe.reflect"
SEEN_CHOICES = {seen.name.lower(): seen for seen in Seen}
"""Form option value -> answer; plain ASCII keys, since platforms echo option values back."""
NOT_YOUR_FORM = N_("That feedback form isn't for you, or the observation no longer exists.")
NOT_YOUR_FEEDBACK = N_("That feedback isn't yours, or it no longer exists.")


def feedback_prompt(
    request: ObservationRequest,
    requester: Member,
    reminder: bool,
    debrief: Context | None = None,
) -> Message:
    """The observer's form prompt; the first one also carries the debrief time (``debrief``).

    Build it in the observer's language (``speaking_to(observer)``): a job sends it."""
    name, focus = said(requester.display_name), focus_words(request.focus)
    if reminder:
        text = _(
            "A gentle nudge (the only one): How did *{name}*'s lesson go? A short form tied to the "
            "focus (*{focus}*): strengths you saw and one or two next steps. Only {name} will see it."
        )
        summary = _(
            "A gentle nudge (the only one): How did {name}'s lesson go? Two minutes of feedback."
        )
    else:
        text = _(
            "Thanks for observing! How did *{name}*'s lesson go? A short form tied to the focus "
            "(*{focus}*): strengths you saw and one or two next steps. Only {name} will see it."
        )
        summary = _("Thanks for observing! How did {name}'s lesson go? Two minutes of feedback.")
    prompt = confirm(
        text.format(name=name, focus=focus),
        _("Give feedback"),
        GIVE_FEEDBACK,
        value=str(request.id),
        summary=summary.format(name=name),
        ephemeral=False,
    )
    if debrief is None:
        return prompt
    return replace(prompt, blocks=(*prompt.blocks, debrief))


def observed_by(ctx: Ctx, member: Member, value: str) -> ObservationRequest:
    """The observation behind a feedback button or form, if the person observed it and it is due."""
    found = request_behind(ctx, value, lock=True)
    request = own(found, lambda r: r.observer_id, member, _(NOT_YOUR_FORM))
    if request.status is RequestStatus.DONE:
        raise UserError(_("You've already given feedback on this one. Thank you!"))
    if request.status is not RequestStatus.CONFIRMED:
        raise UserError(
            _("Observation #{number} is {status}.").format(
                number=request.id, status=status_words(request.status)
            )
        )
    if request.starts_at > ctx.now:
        raise UserError(_("The feedback form opens once the lesson has started."))
    return request


def feedback_form(ctx: Ctx, request: ObservationRequest) -> Form:
    requester = ctx.repos.members.get(request.requester_id)
    name = requester.display_name if requester else _("your colleague")
    look_fors = request.look_for_list() or [_look_for_words(request.focus)]
    seen = tuple(
        Input(
            f"seen_{i}",
            _("“{item}”: how often did you see it?").format(item=item),
            kind=InputKind.SELECT,
            required=False,
            options=tuple(Option(key, _(SEEN_WORDS[value])) for key, value in SEEN_CHOICES.items()),
        )
        for i, item in enumerate(look_fors)
    )
    return Form(
        form_id=FEEDBACK_FORM,
        title=_("Feedback for {name}").format(name=name)[:60],
        submit_label=_("Send to {name}").format(name=name.split()[0]),
        state=str(request.id),
        inputs=(
            Input(
                "strengths",
                _("Strengths you saw ({focus})").format(focus=_look_for_words(request.focus)),
                kind=InputKind.MULTILINE,
                max_length=1500,
                hint=_("be specific: what did you see that worked?"),
            ),
            Input("suggestion_1", _("One next step to try"), max_length=400),
            Input("suggestion_2", _("Another next step"), required=False, max_length=400),
            *seen,
        ),
    )


def _look_for_words(focus: str) -> str:
    """A focus inside a form's label, which shows text as typed (no said marks)."""
    return _(focus) if focus in FOCUS_AREAS else focus


def read_feedback_form(
    request: ObservationRequest, observer: Member, values: Mapping[str, FormValue]
) -> Feedback:
    errors: dict[str, str] = {}
    strengths = form_text(values, "strengths")
    if len(strengths) < 3:
        errors["strengths"] = _("Please name at least one strength you saw.")
    elif len(strengths) > 1500:
        errors["strengths"] = _("Please keep this under {n} characters.").format(n=number(1500))
    suggestions = [form_text(values, "suggestion_1"), form_text(values, "suggestion_2")]
    if not suggestions[0]:
        errors["suggestion_1"] = _("Please suggest one next step; a small one is perfect.")
    for i, s in enumerate(suggestions, 1):
        if len(s) > 400:
            errors[f"suggestion_{i}"] = _(
                "Please keep each next step under {n} characters."
            ).format(n=number(400))
    look_fors = request.look_for_list() or [request.focus]
    seen: dict[str, Seen] = {}
    for i, item in enumerate(look_fors):
        answer = _seen_answer(form_text(values, f"seen_{i}"))
        if answer is None:
            errors[f"seen_{i}"] = _("Pick seen often, seen sometimes, not seen yet or didn't look.")
        elif isinstance(answer, Seen):
            seen[item] = answer
    if errors:
        raise FormInvalid(errors)
    assert observer.id is not None and request.id is not None
    return Feedback(
        request_id=request.id,
        observer_id=observer.id,
        strengths=strengths,
        suggestions=[s for s in suggestions if s],
        seen=seen,
    )


def _seen_answer(raw: str) -> Seen | str | None:
    """The answer chosen (by its option value or its words), "" when none, None when unreadable."""
    text = raw.strip().lower().replace("’", "'")
    if not text:
        return ""
    if text in SEEN_CHOICES:
        return SEEN_CHOICES[text]
    return next(
        (s for s in Seen if text in (s.value, _(SEEN_WORDS[s]).lower().replace("’", "'"))), None
    )


def deliver(ctx: Ctx, observer: Member, request: ObservationRequest, feedback: Feedback) -> Message:
    """Kept, sent to the observed teacher only, and the observation is done."""
    feedback = ctx.repos.observations.add_feedback(feedback)
    request.status = RequestStatus.DONE
    ctx.repos.observations.save_request(request)
    requester = ctx.repos.members.get(request.requester_id)
    assert requester is not None
    mentor = mentor_of(ctx, requester.id or 0)
    # A mentor who observed wrote this feedback: sharing it would only send it back to its author.
    may_share = mentor is not None and mentor.id != request.observer_id
    ctx.send_built(
        requester,
        lambda: _feedback_message(request, feedback, observer, may_share=may_share),
        f"obs:{request.id}:feedback",
    )
    first = said(requester.display_name.split()[0])
    return text_message(
        _(
            "Thank you, {name}! Your feedback went to {teacher} only. Observing a colleague counts "
            "as a contribution in this term's digest. 🙌"
        ).format(name=said(observer.display_name.split()[0]), teacher=first)
    )


def _feedback_message(
    request: ObservationRequest, feedback: Feedback, observer: Member, *, may_share: bool
) -> Message:
    """The feedback as the observed teacher reads it, with what they can do with it."""
    buttons = [Button(_("Write a reflection"), REFLECT, str(request.id), "primary")]
    if may_share:
        buttons.append(Button(_("Share with my mentor"), SHARE, str(request.id)))
    thank = thank_button(request, observer)
    if thank is not None:
        buttons.append(thank)
    name = said(observer.display_name)
    return Message(
        text=_("{name} sent feedback on your lesson ({focus}).").format(
            name=name, focus=focus_words(request.focus)
        ),
        blocks=(
            Section(
                _(
                    "🌱 *{name}* observed your lesson on {lesson} and sent this feedback. Thank you "
                    "for opening your classroom!"
                ).format(name=name, lesson=when(request))
            ),
            *feedback_blocks(request, feedback),
            Context(
                _(
                    "Only you can see this. It is peer feedback for growth, never an evaluation: "
                    "your coordinator sees only that an observation happened."
                )
            ),
            Actions(tuple(buttons)),
        ),
        ephemeral=False,
    )


def feedback_blocks(request: ObservationRequest, feedback: Feedback) -> tuple[Section, ...]:
    """Strengths, next steps and how often each look-for was seen: in words, never a number."""
    fields: list[tuple[str, str]] = [(_("Strengths"), said(feedback.strengths))]
    labels = (_("Next step"), _("Another next step"))
    for label, step in zip(labels, feedback.suggestions, strict=False):
        fields.append((label, said(step)))
    for item, seen in feedback.seen.items():
        shown = _(item) if item in FOCUS_AREAS else said(item[:40])
        fields.append((shown, _(SEEN_WORDS[seen])))
    focus = _("Focus: *{focus}*").format(focus=focus_words(request.focus))
    return (Section(focus, fields=tuple(fields)),)


def received_by(ctx: Ctx, value: str) -> tuple[Member, ObservationRequest, Feedback]:
    """The feedback behind a button on it, if the person pressing it is the teacher it was for."""
    member = ctx.require_member()
    request = own(
        request_behind(ctx, value), lambda r: r.requester_id, member, _(NOT_YOUR_FEEDBACK)
    )
    feedback = ctx.repos.observations.feedback_for(request.id or 0)
    if feedback is None:
        raise UserError(_(NOT_YOUR_FEEDBACK))
    return member, request, feedback


def mentor_of(ctx: Ctx, member_id: int) -> Member | None:
    for partner_id, role in ctx.repos.observations.partners_of(member_id):
        if role == "mentor":
            return ctx.repos.members.get(partner_id)
    return None


def share_with_mentor(ctx: Ctx, value: str) -> Message:
    member, request, feedback = received_by(ctx, value)
    mentor = mentor_of(ctx, member.id or 0)
    if mentor is None:
        raise UserError(
            _("You don't have a mentor in Staffroom right now, so there is nobody to share with.")
        )
    if mentor.id == request.observer_id:
        raise UserError(
            _(
                "{name} observed this lesson and wrote this feedback, so there is nobody to share "
                "it with; it stays yours."
            ).format(name=said(mentor.display_name))
        )
    if not feedback.shared_with_mentor:
        feedback.shared_with_mentor = True
        ctx.repos.observations.save_feedback(feedback)
        name = said(member.display_name)
        ctx.send_built(
            mentor,
            lambda: Message(
                text=_("{name} shared observation feedback with you.").format(name=name),
                blocks=(
                    Section(
                        _(
                            "*{name}* chose to share the feedback from an observation with you:"
                        ).format(name=name)
                    ),
                    *feedback_blocks(request, feedback),
                    Context(_("Shared with you only. Maybe talk it through at your next meeting?")),
                ),
                ephemeral=False,
            ),
            f"obs:{request.id}:shared:{mentor.id}",
        )
    return text_message(
        _("Shared with {name}, and only with them.").format(name=said(mentor.display_name))
    )
