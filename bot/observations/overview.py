"""What each person may see of observations: their own list, one observation, a coordinator's counts.

Feedback is private to the teacher observed (and their mentor, when shared); a coordinator sees only
how many observations happened, never what was said.
"""

from __future__ import annotations

from datetime import timedelta

from bot.kernel.aggregates import WITHHELD, may_show
from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.errors import PermissionDenied, UserError
from bot.kernel.i18n import _, ngettext, number
from bot.kernel.messages import (
    Actions,
    Block,
    Button,
    Context,
    Message,
    Section,
    said,
    text_message,
)
from bot.observations.asking import ACCEPT, DECLINE
from bot.observations.feedback import GIVE_FEEDBACK, feedback_blocks, mentor_of
from bot.observations.model import Ask, AskStatus, ObservationRequest, RequestStatus
from bot.observations.reflection import reflection_of
from bot.observations.render import focus_words, lesson_fields, status_words, when

LIST_WINDOW = timedelta(days=60)
STATS_WINDOW = timedelta(days=90)
MAX_LIST_BUTTONS = 10
"""Enough for a few asks and feedback forms; every row beyond them still has `observe show N`."""


def numbered(ctx: Ctx, request_id: int) -> ObservationRequest:
    request = ctx.repos.observations.get_request(request_id)
    if request is None:
        raise UserError(
            _("There is no observation #{number}. Type `observe list` to see yours.").format(
                number=request_id
            )
        )
    return request


def pending_asks(ctx: Ctx, member: Member) -> list[tuple[ObservationRequest, Ask]]:
    """Requests the member is being asked to observe right now, with the ask to answer.

    Only requests still asking are walked, which are few at any time, so this stays cheap.
    """
    repo = ctx.repos.observations
    found = []
    for request in repo.requests_with_status((RequestStatus.ASKING,)):
        ask = asked_of(ctx, request, member)
        if ask is not None:
            found.append((request, ask))
    return sorted(found, key=lambda pair: pair[0].starts_at)


def asked_of(ctx: Ctx, request: ObservationRequest, member: Member) -> Ask | None:
    """The member's ask on this request while it waits for their answer, else None."""
    if request.status is not RequestStatus.ASKING or request.id is None:
        return None
    return next(
        (
            a
            for a in ctx.repos.observations.asks_for(request.id)
            if a.member_id == member.id and a.status is AskStatus.ASKED
        ),
        None,
    )


def answer_buttons(request: ObservationRequest, ask: Ask) -> tuple[Button, Button]:
    return (
        Button(_("Accept #{number}").format(number=request.id), ACCEPT, str(ask.id), "primary"),
        Button(_("Decline #{number}").format(number=request.id), DECLINE, str(ask.id)),
    )


def _name(ctx: Ctx, member_id: int) -> str:
    found = ctx.repos.members.get(member_id)
    return said(found.display_name) if found else _("a colleague")


def observations_of(ctx: Ctx, member: Member) -> Message:
    """Their own requests, the lessons they observe, and the asks waiting for their answer.

    The asks come first, each with its Accept and Decline buttons, so an ask whose message was lost
    can still be answered from here.
    """
    assert member.id is not None
    asks = pending_asks(ctx, member)
    requests = [
        r
        for r in ctx.repos.observations.requests_of(member.id)
        if r.status is not RequestStatus.DRAFT and (r.ends_at > ctx.now - LIST_WINDOW)
    ]
    if not requests and not asks:
        return text_message(
            _(
                "You have no observations yet. Ask for one with "
                '`observe thu 10:15-11:00 focus: questioning "Year 9 algebra"`.'
            )
        )
    blocks: list[Block] = []
    buttons: list[Button] = []
    text = ""
    if asks:
        asked_lines = [
            _("#{number} {lesson}: {name}'s lesson, {focus}").format(
                number=r.id,
                lesson=when(r, member.timezone),
                name=_name(ctx, r.requester_id),
                focus=focus_words(r.focus),
            )
            for r, _ask in asks
        ]
        text = _("Asked of you, waiting for your answer:") + "\n" + "\n".join(asked_lines)
        blocks.append(Section(text))
        for r, ask in asks:
            buttons += answer_buttons(r, ask)
    if requests:
        lines = []
        for r in requests:
            if r.requester_id == member.id:
                observer = ctx.repos.members.get(r.observer_id) if r.observer_id else None
                who = (
                    _("observed by {name}").format(name=said(observer.display_name))
                    if observer
                    else _("your lesson")
                )
            else:
                who = _("you observe {name}").format(name=_name(ctx, r.requester_id))
                if feedback_due(ctx, r):
                    label = _("Give feedback #{number}").format(number=r.id)
                    buttons.append(Button(label, GIVE_FEEDBACK, str(r.id)))
            lines.append(
                _("#{number} {lesson}: {who}, {focus} ({status})").format(
                    number=r.id,
                    lesson=when(r, member.timezone),
                    who=who,
                    focus=focus_words(r.focus),
                    status=status_words(r.status),
                )
            )
        mine = _("Your observations:") + "\n" + "\n".join(lines)
        blocks.append(Section(mine))
        text = f"{text}\n{mine}" if text else mine
    if buttons:
        blocks.append(Actions(tuple(buttons[:MAX_LIST_BUTTONS])))
    note = _("Type `observe show N` for one.")
    blocks.append(Context(note))
    return Message(text=f"{text}\n{note}", blocks=tuple(blocks))


def feedback_due(ctx: Ctx, request: ObservationRequest) -> bool:
    """The lesson has started and the observer has not given feedback yet."""
    return request.status is RequestStatus.CONFIRMED and request.starts_at <= ctx.now


def show(ctx: Ctx, member: Member, request: ObservationRequest) -> Message:
    """The people in the observation see it; a mentor sees feedback only when shared; nobody else does."""
    feedback = ctx.repos.observations.feedback_for(request.id or 0)
    mentor = mentor_of(ctx, request.requester_id)
    shared_mentor = (
        feedback is not None
        and feedback.shared_with_mentor
        and mentor is not None
        and mentor.id == member.id
    )
    ask = asked_of(ctx, request, member)
    if ask is not None:
        return _asked_view(ctx, member, request, ask)
    if member.id not in (request.requester_id, request.observer_id) and not shared_mentor:
        raise PermissionDenied(
            _(
                "Observations are private to the teacher and their observer. Coordinators see only "
                "how many happened (`observe stats`)."
            )
        )
    requester = ctx.repos.members.get(request.requester_id)
    observer = ctx.repos.members.get(request.observer_id) if request.observer_id else None
    teacher = said(requester.display_name if requester else "?")
    status = status_words(request.status)
    heading = (
        _("*Observation #{number}*: {name}'s lesson, observed by {observer} ({status})").format(
            number=request.id, name=teacher, observer=said(observer.display_name), status=status
        )
        if observer
        else _("*Observation #{number}*: {name}'s lesson ({status})").format(
            number=request.id, name=teacher, status=status
        )
    )
    blocks: list[Section | Context] = [
        Section(heading),
        Section(fields=lesson_fields(request, member.timezone)),
    ]
    if feedback is not None:
        if member.id == request.requester_id or shared_mentor:
            blocks += list(feedback_blocks(request, feedback))
            reflection = reflection_of(ctx, feedback)
            if member.id == request.requester_id and reflection is not None:
                blocks.append(
                    Section(
                        fields=(
                            (_("Your reflection"), reflection.went_well),
                            (_("You'll try"), reflection.try_next or "—"),
                        )
                    )
                )
        else:
            blocks.append(
                Context(_("You gave feedback; only the teacher you observed can read it."))
            )
    return Message(text=_("Observation #{number}").format(number=request.id), blocks=tuple(blocks))


def _asked_view(ctx: Ctx, member: Member, request: ObservationRequest, ask: Ask) -> Message:
    """What the colleague asked was sent: the lesson and the answer buttons, nothing more."""
    name = _name(ctx, request.requester_id)
    return Message(
        text=_("Observation #{number}: {name} asked you to observe their lesson").format(
            number=request.id, name=name
        ),
        blocks=(
            Section(
                _(
                    "*Observation #{number}*: *{name}* would like you to observe a lesson (peer "
                    "feedback for growth, never an evaluation)."
                ).format(number=request.id, name=name)
            ),
            Section(fields=lesson_fields(request, member.timezone)),
            Actions(answer_buttons(request, ask)),
        ),
    )


def stats(ctx: Ctx) -> Message:
    """What a coordinator may know: how many observations happened, never what was said."""
    ctx.require_coordinator()
    since = ctx.now - STATS_WINDOW
    days = STATS_WINDOW.days
    counts = ctx.repos.observations.status_counts(since)
    total = sum(counts.values()) - counts.get(RequestStatus.DRAFT, 0)
    if total and not may_show(ctx.repos.observations.people_since(since)):
        # With two teachers involved, "1 completed, 1 cancelled" says who did what.
        return Message(
            text=ngettext(
                "Peer observations in the last {n} day: {withheld}",
                "Peer observations in the last {n} days: {withheld}",
                days,
            ).format(n=days, withheld=_(WITHHELD)),
            blocks=(
                Section(
                    ngettext(
                        "*Peer observations in the last {n} day:* {withheld}",
                        "*Peer observations in the last {n} days:* {withheld}",
                        days,
                    ).format(n=days, withheld=_(WITHHELD))
                ),
            ),
        )
    rows = (
        (_("Requested"), number(total)),
        (_("Completed (feedback given)"), number(counts.get(RequestStatus.DONE, 0))),
        (_("Booked, still to come"), number(counts.get(RequestStatus.CONFIRMED, 0))),
        (_("Looking for an observer"), number(counts.get(RequestStatus.ASKING, 0))),
        (_("No observer found"), number(counts.get(RequestStatus.UNMATCHED, 0))),
        (_("Cancelled"), number(counts.get(RequestStatus.CANCELLED, 0))),
    )
    title = ngettext(
        "Peer observations in the last {n} day", "Peer observations in the last {n} days", days
    ).format(n=days)
    return Message(
        text=title,
        blocks=(
            Section(f"*{title}*"),
            Section(fields=rows),
            Context(
                _(
                    "Feedback and reflections stay private to each teacher; only these counts are "
                    "shown."
                )
            ),
        ),
    )
