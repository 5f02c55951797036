"""The chat side of peer observation: the ``observe`` and ``free`` verbs, their buttons and forms.

Each handler finds who is acting and what they pointed at, and hands over to the service that does
it: ``request`` (reading and drafting), ``asking`` (colleagues in turn), ``cancel``, ``feedback``,
``reflection``, ``overview`` (list, show, stats) and ``free_periods``.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx, record_id
from bot.kernel.errors import UserError
from bot.kernel.events import FormValue
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Form, Message, text_message
from bot.observations import (
    asking,
    feedback,
    free_periods,
    overview,
    reflection,
    request,
    thanks,
)
from bot.observations.asking import mark_unmatched
from bot.observations.cancel import cancel_for

VERBS = (
    Verb(
        "observe",
        N_(
            'observe [DAY START-END focus: FOCUS "class"] | observe list | observe show N | '
            "observe cancel N | observe stats"
        ),
        N_("Ask a colleague to observe a lesson and give you feedback on a focus you choose."),
        examples=(
            N_('observe thu 10:15-11:00 focus: questioning "Year 9 algebra, group work"'),
            N_(
                "observe next tue 13:00-13:50 focus: behaviour class: 8C look for: wait time, praise"
            ),
            N_("observe fri 9:00-9:50 focus: engagement question: do the quiet ones get a turn?"),
            "observe",
            "observe list",  # not translated: a command as typed
        ),
    ),
    Verb(
        "free",
        N_("free [add DAY START-END, ... | remove N | clear]"),
        N_("Your weekly free periods, so colleagues know when you could observe them."),
        examples=(
            "free add mon 10:15-11:00, thu 13:00-14:00",  # not translated: a command as typed
            "free",
            "free remove 2",  # not translated: a command as typed
        ),
    ),
)
FORM_EXPIRED = N_("That form has expired.")


def observe(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    sub = cmd.args[0].lower() if cmd.args else ""
    if not cmd.rest.strip():
        return [open_request_form(ctx)]
    if sub == "list":
        return [overview.observations_of(ctx, member)]
    if sub in ("show", "cancel"):
        number = record_id(cmd.args[1]) if len(cmd.args) == 2 else None
        if number is None:
            raise usage_error(
                "observe",
                _("Which observation? Give its number, e.g. `observe {verb} 3`.").format(verb=sub),
            )
        found = overview.numbered(ctx, number)
        if sub == "show":
            return [overview.show(ctx, member, found)]
        return [cancel_for(ctx, member, found)]
    if sub == "stats":
        return [overview.stats(ctx)]
    lesson = request.read_request_line(ctx, member, cmd.rest)
    return [request.draft(ctx, member, lesson)]


def open_request_form(ctx: Ctx) -> Message:
    return Message(text=_("Which lesson would you like observed?"), form=request.request_form(ctx))


def submit_request(ctx: Ctx, values: Mapping[str, FormValue], _state: str) -> list[Message]:
    member = ctx.require_member()
    return [request.draft(ctx, member, request.read_request_form(ctx, member, values))]


def rebuild_request(ctx: Ctx, _state: str) -> Form:
    return request.request_form(ctx)


# --- the requester's buttons under the draft ----------------------------------------------------------


def pick(ctx: Ctx, value: str) -> list[Message]:
    member, draft = request.own_draft(ctx, value)
    picked = value.split(":", 1)[1] if ":" in value else ""
    return [asking.ask_picked_first(ctx, member, draft, picked)]


def in_turn(ctx: Ctx, value: str) -> list[Message]:
    member, draft = request.own_draft(ctx, value)
    return [asking.ask_in_turn(ctx, member, draft)]


def tell_coordinator(ctx: Ctx, value: str) -> list[Message]:
    member, draft = request.own_draft(ctx, value)
    mark_unmatched(ctx.repos, draft, member, ctx.now)
    return [text_message(_("I've told your coordinator; they may help find an observer."))]


# --- the colleague asked, and either side calling it off -------------------------------------------


def accept(ctx: Ctx, value: str) -> list[Message]:
    return [asking.accept(ctx, value)]


def decline(ctx: Ctx, value: str) -> list[Message]:
    return [asking.decline(ctx, value)]


def cancel_button(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    number = record_id(value)
    if number is None:
        raise UserError(_("That button has expired. Type `observe list` to see your observations."))
    return [cancel_for(ctx, member, overview.numbered(ctx, number))]


# --- feedback and reflection ------------------------------------------------------------------------


def feedback_button(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    observed = feedback.observed_by(ctx, member, value)
    form = feedback.feedback_form(ctx, observed)
    return [Message(text=_("Feedback for your colleague"), form=form)]


def submit_feedback(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    member = ctx.require_member()
    observed = feedback.observed_by(ctx, member, state)
    given = feedback.read_feedback_form(observed, member, values)
    return [feedback.deliver(ctx, member, observed, given)]


def rebuild_feedback(ctx: Ctx, state: str) -> Form:
    observed = request.request_behind(ctx, state)
    if observed is None:
        raise UserError(_(FORM_EXPIRED))
    return feedback.feedback_form(ctx, observed)


def share(ctx: Ctx, value: str) -> list[Message]:
    return [feedback.share_with_mentor(ctx, value)]


def reflect(ctx: Ctx, value: str) -> list[Message]:
    _member, observed, received = feedback.received_by(ctx, value)
    form = reflection.reflection_form(observed, reflection.reflection_of(ctx, received))
    return [Message(text=_("A quick reflection"), form=form)]


def submit_reflection(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    member, _observed, received = feedback.received_by(ctx, state)
    return [reflection.save_reflection(ctx, member, received, values)]


def rebuild_reflection(ctx: Ctx, state: str) -> Form:
    observed = request.request_behind(ctx, state)
    received = ctx.repos.observations.feedback_for(observed.id or 0) if observed else None
    if observed is None or received is None:
        raise UserError(_(FORM_EXPIRED))
    return reflection.reflection_form(observed, reflection.reflection_of(ctx, received))


# --- thanks to the observer ------------------------------------------------------------------------


def thank(ctx: Ctx, value: str) -> list[Message]:
    _member, observed, observer = thanks.thanked_observation(ctx, value)
    return [Message(text=_("Thank your observer"), form=thanks.thanks_form(observed, observer))]


def submit_thanks(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    return [thanks.send_thanks(ctx, state, values)]


def rebuild_thanks(ctx: Ctx, state: str) -> Form:
    _member, observed, observer = thanks.thanked_observation(ctx, state)
    return thanks.thanks_form(observed, observer)


# --- free periods -----------------------------------------------------------------------------------


def free(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    sub = cmd.args[0].lower() if cmd.args else ""
    if not sub or sub == "list":
        return [free_periods.free_periods_of(ctx, member)]
    if sub == "clear":
        return [free_periods.clear(ctx, member)]
    if sub == "remove":
        return free_periods.remove(ctx, member, cmd.args[1] if len(cmd.args) == 2 else None)
    text = cmd.rest.strip()
    if sub == "add":
        text = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
    return free_periods.add(ctx, member, text)
