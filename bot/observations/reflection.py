"""The observed teacher's reflection on their feedback, kept as one of their own reflections."""

from __future__ import annotations

from collections.abc import Mapping

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import _, number
from bot.kernel.messages import Form, Input, InputKind, Message, text_message
from bot.observations.model import Feedback, ObservationRequest
from bot.reflections.model import Reflection, Visibility

REFLECTION_FORM = "observe.reflection"
REFLECTION_TAG = "observation"


def reflection_of(ctx: Ctx, feedback: Feedback) -> Reflection | None:
    if feedback.reflection_id is None:
        return None
    return ctx.repos.reflections.get(feedback.reflection_id)


def reflection_form(request: ObservationRequest, reflection: Reflection | None) -> Form:
    return Form(
        form_id=REFLECTION_FORM,
        title=_("Reflect on the feedback"),
        state=str(request.id),
        inputs=(
            Input(
                "reflection",
                _("What stands out for you?"),
                kind=InputKind.MULTILINE,
                max_length=1500,
                initial=reflection.went_well if reflection else None,
            ),
            Input(
                "next",
                _("What will you try next?"),
                required=False,
                max_length=400,
                initial=(reflection.try_next or None) if reflection else None,
            ),
        ),
    )


def save_reflection(
    ctx: Ctx, member: Member, feedback: Feedback, values: Mapping[str, FormValue]
) -> Message:
    """Kept as one of the teacher's own reflections, private, tagged "observation": it is
    listed with their others, exported with them and erased by forget-me like them."""
    text = form_text(values, "reflection")
    if not text:
        raise FormInvalid({"reflection": _("A sentence is enough.")})
    if len(text) > 1500:
        raise FormInvalid(
            {"reflection": _("Please keep this under {n} characters.").format(n=number(1500))}
        )
    next_step = form_text(values, "next")[:400]
    existing = reflection_of(ctx, feedback)
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
    return text_message(
        _(
            "Saved with your reflections (`reflections` lists them); it is private to you. "
            "Thanks for taking a minute on it. 🌱"
        )
    )
