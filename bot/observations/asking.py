"""Asking colleagues to observe, one at a time, until one accepts or nobody is left.

Each gets the whole request and 24 hours to answer; a decline, a silence or a clash moves the ask on to
the next in the queue. Every message to someone else goes to the outbox with its own key, so a retried
press or a second copy of the job never asks anyone twice.
"""

from __future__ import annotations

from datetime import datetime

from bot.kernel.context import Ctx, own, record_id
from bot.kernel.domain import Member, MemberStatus
from bot.kernel.errors import UserError
from bot.kernel.messages import Button, Context, Message, Section, said, text_message
from bot.kernel.ports import Scope
from bot.kernel.replies import choose
from bot.observations.cancel import with_cancel_button
from bot.observations.invite import invite_attachment
from bot.observations.model import (
    ASK_TIMEOUT_HOURS,
    MAX_SUGGESTIONS,
    Ask,
    AskStatus,
    ObservationRequest,
    RequestStatus,
)
from bot.observations.render import lesson_fields, names, when
from bot.observations.suggest import Suggestion, suggest_observers

ACCEPT = "observe.accept"
DECLINE = "observe.decline"
NOT_ASKED = "That request wasn't for you, or it no longer exists."


# --- the requester chooses who is asked first -------------------------------------------------------


def ask_picked_first(ctx: Ctx, member: Member, request: ObservationRequest, picked: str) -> Message:
    """The colleague the requester picked is asked first, the other suggestions after them."""
    suggestions = suggest_observers(
        ctx.repos.observations, member, request, ctx.now, MAX_SUGGESTIONS + 1
    )
    chosen = next((s for s in suggestions if str(s.member_id) == picked), None)
    if chosen is None:
        raise UserError(
            "That colleague is no longer free then. Type `observe` again for fresh suggestions."
        )
    order = [chosen, *[s for s in suggestions if s.member_id != chosen.member_id]][:MAX_SUGGESTIONS]
    return _start_asking(ctx, request, order)


def ask_in_turn(ctx: Ctx, member: Member, request: ObservationRequest) -> Message:
    suggestions = suggest_observers(ctx.repos.observations, member, request, ctx.now)
    if not suggestions:
        raise UserError("Nobody is free then any more. Type `observe` to try another lesson.")
    return _start_asking(ctx, request, suggestions)


def _start_asking(ctx: Ctx, request: ObservationRequest, order: list[Suggestion]) -> Message:
    assert request.id is not None
    ctx.repos.observations.add_asks(request.id, [s.member_id for s in order])
    request.status = RequestStatus.ASKING
    ctx.repos.observations.save_request(request)
    asked = ask_next(ctx.repos, request, ctx.now)
    if asked is None:
        return text_message(
            "Nobody on the list can make it any more; your coordinator has been told."
        )
    rest = [s.display_name for s in order if s.member_id != asked.id]
    then = f" If they can't, I'll ask {names(rest)}, one at a time." if rest else ""
    return Message(
        text=f"I've asked {said(asked.display_name)} to observe your lesson on {when(request)}.{then}",
        blocks=(
            Section(
                f"📨 I've asked *{said(asked.display_name)}* to observe your lesson on {when(request)}.{then}"
            ),
            Context("I'll tell you as soon as someone accepts."),
        ),
    )


# --- the queue ---------------------------------------------------------------------------------------


def current_ask(repos: Scope, request: ObservationRequest) -> Ask | None:
    assert request.id is not None
    return next(
        (a for a in repos.observations.asks_for(request.id) if a.status is AskStatus.ASKED), None
    )


def ask_next(repos: Scope, request: ObservationRequest, now: datetime) -> Member | None:
    """Ask the next colleague in the queue, or, with nobody left, tell the requester and coordinator.

    Skips anyone who has since become unavailable (left, or agreed to observe something else then).
    Returns who was asked, or None when the request ended unmatched.
    """
    assert request.id is not None
    requester = repos.members.get(request.requester_id)
    assert requester is not None
    for ask in repos.observations.asks_for(request.id):
        if ask.status is not AskStatus.WAITING:
            continue
        colleague = repos.members.get(ask.member_id)
        unavailable = (
            colleague is None
            or colleague.status is MemberStatus.OPTED_OUT
            or not colleague.reachable
            or repos.observations.is_observing(ask.member_id, request.starts_at, request.ends_at)
        )
        if unavailable or colleague is None:
            ask.status = AskStatus.WITHDRAWN
            repos.observations.save_ask(ask)
            continue
        ask.status = AskStatus.ASKED
        ask.asked_at = now
        repos.observations.save_ask(ask)
        repos.outbox.enqueue(
            colleague,
            ask_message(request, requester, colleague, ask),
            f"obs:{request.id}:ask:{colleague.id}",
            now,
        )
        return colleague
    mark_unmatched(repos, request, requester, now)
    return None


def ask_message(
    request: ObservationRequest, requester: Member, colleague: Member, ask: Ask
) -> Message:
    minutes = int((request.ends_at - request.starts_at).total_seconds() // 60)
    lesson = when(request, colleague.timezone)
    intro = (
        f"*{said(requester.display_name)}* would like a colleague to observe a lesson, and thought of you. "
        f"It's about {minutes} minutes plus a short feedback form afterwards: peer feedback for growth, "
        "never an evaluation."
    )
    return choose(
        intro,
        (
            Button(
                "Accept",
                ACCEPT,
                str(ask.id),
                "primary",
                description=f"Accept: observe {said(requester.display_name)}'s lesson on {lesson}",
            ),
            Button(
                "Decline",
                DECLINE,
                str(ask.id),
                description=f"Decline observing {said(requester.display_name)}'s lesson on {lesson}",
            ),
        ),
        details=(Section(fields=lesson_fields(request, colleague.timezone)),),
        note=f"If I don't hear back within {ASK_TIMEOUT_HOURS} hours I'll ask someone else; no hard feelings.",
        summary=f"{said(requester.display_name)} asks: could you observe their lesson on {when(request, colleague.timezone)}?",
        ephemeral=False,
    )


def mark_unmatched(
    repos: Scope, request: ObservationRequest, requester: Member, now: datetime
) -> None:
    assert request.id is not None
    asked = sum(
        1
        for a in repos.observations.asks_for(request.id)
        if a.status in (AskStatus.DECLINED, AskStatus.EXPIRED)
    )
    request.status = RequestStatus.UNMATCHED
    repos.observations.save_request(request)
    tried = f"I asked {asked} colleague{'s' if asked != 1 else ''} and " if asked else ""
    repos.outbox.enqueue(
        requester,
        Message(
            text=f"{tried}nobody could observe your lesson on {when(request)}.",
            blocks=(
                Section(
                    f"Sorry: {tried}nobody could observe your lesson on *{when(request)}*. "
                    "Your coordinator has been told and may help find someone. You can also try another "
                    "lesson with `observe`."
                ),
            ),
            ephemeral=False,
        ),
        f"obs:{request.id}:unmatched",
        now,
    )
    for coordinator in repos.members.list((MemberStatus.ACTIVE,)):
        if not coordinator.is_coordinator or coordinator.id == requester.id:
            continue
        repos.outbox.enqueue(
            coordinator,
            Message(
                text=f"Nobody could observe {said(requester.display_name)}'s lesson on {when(request, coordinator.timezone)}.",
                blocks=(
                    Section(
                        f"Nobody was able to observe *{said(requester.display_name)}*'s lesson on "
                        f"{when(request, coordinator.timezone)} (focus: {said(request.focus)}). "
                        "Could you help them find an observer?"
                    ),
                ),
                ephemeral=False,
            ),
            f"obs:{request.id}:unmatched:{coordinator.id}",
            now,
        )


# --- the colleague answers ---------------------------------------------------------------------------


def _ask_behind(ctx: Ctx, value: str) -> tuple[Member, ObservationRequest, Ask]:
    """The ask behind an Accept or Decline button, if it was sent to the person pressing it.

    The request is locked before the ask is read again, so the answer is checked against the
    request as it is now (the job may just have moved it on)."""
    member = ctx.require_member()
    ask_id = record_id(value)
    found = ctx.repos.observations.get_ask(ask_id) if ask_id is not None else None
    ask = own(found, lambda a: a.member_id, member, NOT_ASKED)
    request = ctx.repos.observations.lock_request(ask.request_id)
    fresh = ctx.repos.observations.get_ask(ask.id or 0)
    assert request is not None and fresh is not None
    return member, request, fresh


def accept(ctx: Ctx, value: str) -> Message:
    member, request, ask = _ask_behind(ctx, value)
    if ask.status is AskStatus.ACCEPTED:
        return text_message("You've already accepted this one. Thank you!")
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
    return book(ctx.repos, request, ask, member, ctx.now)


def decline(ctx: Ctx, value: str) -> Message:
    _member, request, ask = _ask_behind(ctx, value)
    if ask.status is not AskStatus.ASKED or request.status is not RequestStatus.ASKING:
        return text_message("No problem; this request has already moved on.")
    ask.status = AskStatus.DECLINED
    ask.answered_at = ctx.now
    ctx.repos.observations.save_ask(ask)
    ask_next(ctx.repos, request, ctx.now)
    return text_message("No problem, thanks for answering quickly. I'll ask someone else.")


def book(
    repos: Scope, request: ObservationRequest, ask: Ask, observer: Member, now: datetime
) -> Message:
    """The colleague said yes: both get the details and the invite; the rest of the queue stands down.

    Returns the observer's own reply (they pressed the button); the requester's goes to the outbox.
    """
    assert request.id is not None
    requester = repos.members.get(request.requester_id)
    assert requester is not None
    ask.status = AskStatus.ACCEPTED
    ask.answered_at = now
    repos.observations.save_ask(ask)
    for other in repos.observations.asks_for(request.id):
        if other.status is AskStatus.WAITING:
            other.status = AskStatus.WITHDRAWN
            repos.observations.save_ask(other)
    request.status = RequestStatus.CONFIRMED
    request.observer_id = observer.id
    repos.observations.save_request(request)
    invite = (invite_attachment(request, requester, observer, now),)
    repos.outbox.enqueue(
        requester,
        with_cancel_button(
            request,
            f"✅ *{said(observer.display_name)}* will observe your lesson. The invite is attached.",
            f"{said(observer.display_name)} will observe your lesson on {when(request)}.",
            attachments=invite,
        ),
        f"obs:{request.id}:confirmed",
        now,
    )
    return with_cancel_button(
        request,
        f"Thank you! You're observing *{said(requester.display_name)}*'s lesson. The invite is attached; "
        "after the lesson I'll send you a short feedback form.",
        f"Thank you! You're observing {said(requester.display_name)}'s lesson on {when(request, observer.timezone)}.",
        observer.timezone,
        ephemeral=True,
        attachments=invite,
    )
