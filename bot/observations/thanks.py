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
from bot.kernel.i18n import N_, _, ngettext
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
NOT_YOURS = N_("Only the teacher whose lesson was observed can send thanks for it.")


def thank_button(request: ObservationRequest, observer: Member) -> Button | None:
    """Offered until the thanks has gone; None once it has."""
    if request.thanked_at is not None:
        return None
    return Button(
        _("Thank {name}").format(name=said(observer.display_name.split()[0])),
        THANK,
        str(request.id),
        description=_("Send {name} a thank-you for observing").format(
            name=said(observer.display_name)
        ),
    )


def thanked_observation(ctx: Ctx, value: str) -> tuple[Member, ObservationRequest, Member]:
    """The observation behind a Thank button or form, if the presser is its teacher and may thank."""
    member = ctx.require_member()
    request = own(
        request_behind(ctx, value, lock=True), lambda r: r.requester_id, member, _(NOT_YOURS)
    )
    if request.status not in (RequestStatus.CONFIRMED, RequestStatus.DONE):
        raise UserError(
            _("There is nobody to thank for observation #{number}: nobody observed it.").format(
                number=request.id
            )
        )
    if request.starts_at > ctx.now:
        raise UserError(_("The lesson hasn't happened yet; you can say thank you once it has."))
    observer = ctx.repos.members.get(request.observer_id) if request.observer_id else None
    if observer is None:
        raise UserError(_("Your observer has left Staffroom, so I can't pass on your thanks."))
    if request.thanked_at is not None:
        raise UserError(
            _("You've already thanked {name} for this one. 💐").format(
                name=said(observer.display_name)
            )
        )
    return member, request, observer


def thanks_form(request: ObservationRequest, observer: Member) -> Form:
    return Form(
        form_id=THANKS_FORM,
        title=_("Thank {name}").format(name=observer.display_name)[:60],
        submit_label=_("Send"),
        state=str(request.id),
        inputs=(
            Input(
                "thanks",
                _("A line for {name}").format(name=observer.display_name.split()[0]),
                kind=InputKind.MULTILINE,
                max_length=MAX_THANKS,
                hint=_("e.g. Thank you for giving up your free period, the wait-time notes helped"),
            ),
        ),
    )


def send_thanks(ctx: Ctx, value: str, values: Mapping[str, FormValue]) -> Message:
    """Kept on the observation and delivered to the observer, in the same transaction."""
    member, request, observer = thanked_observation(ctx, value)
    text = form_text(values, "thanks")
    if len(text) < 2:
        raise FormInvalid({"thanks": _("A few words are plenty.")})
    if len(text) > MAX_THANKS:
        raise FormInvalid(
            {
                "thanks": ngettext(
                    "Please keep it under {n} character.",
                    "Please keep it under {n} characters.",
                    MAX_THANKS,
                ).format(n=MAX_THANKS)
            }
        )
    request.thanks, request.thanked_at = text, ctx.now
    ctx.repos.observations.save_request(request)
    name = said(member.display_name)
    ctx.send_built(
        observer,
        lambda: Message(
            text=_("💐 {name} says thank you for observing their lesson.").format(name=name),
            blocks=(
                Section(
                    _("💐 *{name}* says thank you for observing their lesson on {lesson}:").format(
                        name=name, lesson=when(request, observer.timezone)
                    )
                ),
                Section(f"“{said(text)}”"),
                Context(_("Observing a colleague counts as a contribution in this term's digest.")),
            ),
            ephemeral=False,
        ),
        f"obs:{request.id}:thanks",
    )
    return text_message(
        _("Sent to {name}. Thank you for saying so. 🌱").format(name=said(observer.display_name))
    )
