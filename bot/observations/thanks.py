"""The observed teacher thanks their observer in their own words: a button after the lesson opens a
short form, and the words go to the observer once.

Observing costs a colleague a free period; a line from the teacher is the recognition that keeps
people offering. Only the observed teacher can send it, only once the lesson has started, and only
once (a second press says it was sent).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.kernel.context import Ctx, own
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
from bot.kernel.messages import (
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
from bot.observations.model import MAX_THANKS, ObservationRequest, RequestStatus
from bot.observations.render import when
from bot.observations.request import request_behind

THANK = "observe.thank"
THANKS_FORM = "observe.thanks"
NOT_YOURS = "Only the teacher whose lesson was observed can send thanks for it."


def thank_button(request: ObservationRequest, observer: Member) -> Button | None:
    """Offered until the thanks has gone; None once it has."""
    if request.thanked_at is not None:
        return None
    return Button(
        f"Thank {said(observer.display_name.split()[0])}",
        THANK,
        str(request.id),
        description=f"Send {said(observer.display_name)} a thank-you for observing",
    )


def thanked_observation(ctx: Ctx, value: str) -> tuple[Member, ObservationRequest, Member]:
    """The observation behind a Thank button or form, if the presser is its teacher and may thank."""
    member = ctx.require_member()
    request = own(
        request_behind(ctx, value, lock=True), lambda r: r.requester_id, member, NOT_YOURS
    )
    if request.status not in (RequestStatus.CONFIRMED, RequestStatus.DONE):
        raise UserError(
            f"There is nobody to thank for observation #{request.id}: nobody observed it."
        )
    if request.starts_at > ctx.now:
        raise UserError("The lesson hasn't happened yet; you can say thank you once it has.")
    observer = ctx.repos.members.get(request.observer_id) if request.observer_id else None
    if observer is None:
        raise UserError("Your observer has left Staffroom, so I can't pass on your thanks.")
    if request.thanked_at is not None:
        raise UserError(f"You've already thanked {said(observer.display_name)} for this one. 💐")
    return member, request, observer


def thanks_form(request: ObservationRequest, observer: Member) -> Form:
    return Form(
        form_id=THANKS_FORM,
        title=f"Thank {observer.display_name}"[:60],
        submit_label="Send",
        state=str(request.id),
        inputs=(
            Input(
                "thanks",
                f"A line for {observer.display_name.split()[0]}",
                kind=InputKind.MULTILINE,
                max_length=MAX_THANKS,
                hint="e.g. Thank you for giving up your free period, the wait-time notes helped",
            ),
        ),
    )


def send_thanks(ctx: Ctx, value: str, values: Mapping[str, FormValue]) -> Message:
    """Kept on the observation and delivered to the observer, in the same transaction."""
    member, request, observer = thanked_observation(ctx, value)
    text = form_text(values, "thanks")
    if len(text) < 2:
        raise FormInvalid({"thanks": "A few words are plenty."})
    if len(text) > MAX_THANKS:
        raise FormInvalid({"thanks": f"Please keep it under {MAX_THANKS} characters."})
    request.thanks, request.thanked_at = text, ctx.now
    ctx.repos.observations.save_request(request)
    ctx.send(
        observer,
        Message(
            text=f"💐 {said(member.display_name)} says thank you for observing their lesson.",
            blocks=(
                Section(
                    f"💐 *{said(member.display_name)}* says thank you for observing their lesson on "
                    f"{when(request, observer.timezone)}:"
                ),
                Section(f"“{said(text)}”"),
                Context("Observing a colleague counts as a contribution in this term's digest."),
            ),
            ephemeral=False,
        ),
        f"obs:{request.id}:thanks",
    )
    return text_message(f"Sent to {said(observer.display_name)}. Thank you for saying so. 🌱")
