"""Asking colleagues to observe, one at a time, until one accepts or nobody is left.

Each gets the whole request and 24 hours to answer; a decline, a silence or a clash moves the ask on to
the next in the queue. Every message to someone else goes to the outbox with its own key, so a retried
press or a second copy of the job never asks anyone twice.
"""

from __future__ import annotations

from datetime import datetime

from bot.kernel.context import Ctx, own, record_id, speaking_to
from bot.kernel.domain import Member, MemberStatus
from bot.kernel.errors import UserError
from bot.kernel.i18n import N_, _, ngettext
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
from bot.observations.render import focus_words, lesson_fields, names, when
from bot.observations.suggest import Suggestion, suggest_observers

ACCEPT = "observe.accept"
DECLINE = "observe.decline"
NOT_ASKED = N_("That request wasn't for you, or it no longer exists.")


# --- the requester chooses who is asked first -------------------------------------------------------


def ask_picked_first(ctx: Ctx, member: Member, request: ObservationRequest, picked: str) -> Message:
    """The colleague the requester picked is asked first, the other suggestions after them."""
    suggestions = suggest_observers(
        ctx.repos.observations, member, request, ctx.now, MAX_SUGGESTIONS + 1
    )
    chosen = next((s for s in suggestions if str(s.member_id) == picked), None)
    if chosen is None:
        raise UserError(
            _("That colleague is no longer free then. Type `observe` again for fresh suggestions.")
        )
    order = [chosen, *[s for s in suggestions if s.member_id != chosen.member_id]][:MAX_SUGGESTIONS]
    return _start_asking(ctx, request, order)


def ask_in_turn(ctx: Ctx, member: Member, request: ObservationRequest) -> Message:
    suggestions = suggest_observers(ctx.repos.observations, member, request, ctx.now)
    if not suggestions:
        raise UserError(_("Nobody is free then any more. Type `observe` to try another lesson."))
    return _start_asking(ctx, request, suggestions)


def _start_asking(ctx: Ctx, request: ObservationRequest, order: list[Suggestion]) -> Message:
    assert request.id is not None
    ctx.repos.observations.add_asks(request.id, [s.member_id for s in order])
    request.status = RequestStatus.ASKING
    ctx.repos.observations.save_request(request)
    asked = ask_next(ctx.repos, request, ctx.now)
    if asked is None:
        return text_message(
            _("Nobody on the list can make it any more; your coordinator has been told.")
        )
    rest = [s.display_name for s in order if s.member_id != asked.id]
    name, lesson = said(asked.display_name), when(request)
    if rest:
        text = _(
            "I've asked {name} to observe your lesson on {lesson}. If they can't, I'll ask "
            "{others}, one at a time."
        ).format(name=name, lesson=lesson, others=names(rest))
        shown = _(
            "📨 I've asked *{name}* to observe your lesson on {lesson}. If they can't, I'll ask "
            "{others}, one at a time."
        ).format(name=name, lesson=lesson, others=names(rest))
    else:
        text = _("I've asked {name} to observe your lesson on {lesson}.").format(
            name=name, lesson=lesson
        )
        shown = _("📨 I've asked *{name}* to observe your lesson on {lesson}.").format(
            name=name, lesson=lesson
        )
    return Message(
        text=text,
        blocks=(Section(shown), Context(_("I'll tell you as soon as someone accepts."))),
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
        with speaking_to(colleague):
            message = ask_message(request, requester, colleague, ask)
        repos.outbox.enqueue(colleague, message, f"obs:{request.id}:ask:{colleague.id}", now)
        return colleague
    mark_unmatched(repos, request, requester, now)
    return None


def ask_message(
    request: ObservationRequest, requester: Member, colleague: Member, ask: Ask
) -> Message:
    """The ask as the colleague reads it: build it in their language (``speaking_to``)."""
    minutes = int((request.ends_at - request.starts_at).total_seconds() // 60)
    lesson = when(request, colleague.timezone)
    name = said(requester.display_name)
    intro = ngettext(
        "*{name}* would like a colleague to observe a lesson, and thought of you. It's about "
        "{n} minute plus a short feedback form afterwards: peer feedback for growth, never an "
        "evaluation.",
        "*{name}* would like a colleague to observe a lesson, and thought of you. It's about "
        "{n} minutes plus a short feedback form afterwards: peer feedback for growth, never an "
        "evaluation.",
        minutes,
    ).format(name=name, n=minutes)
    return choose(
        intro,
        (
            Button(
                _("Accept"),
                ACCEPT,
                str(ask.id),
                "primary",
                description=_("Accept: observe {name}'s lesson on {lesson}").format(
                    name=name, lesson=lesson
                ),
            ),
            Button(
                _("Decline"),
                DECLINE,
                str(ask.id),
                description=_("Decline observing {name}'s lesson on {lesson}").format(
                    name=name, lesson=lesson
                ),
            ),
        ),
        details=(Section(fields=lesson_fields(request, colleague.timezone)),),
        note=ngettext(
            "If I don't hear back within {n} hour I'll ask someone else; no hard feelings.",
            "If I don't hear back within {n} hours I'll ask someone else; no hard feelings.",
            ASK_TIMEOUT_HOURS,
        ).format(n=ASK_TIMEOUT_HOURS),
        summary=_("{name} asks: could you observe their lesson on {lesson}?").format(
            name=name, lesson=lesson
        ),
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
    with speaking_to(requester):
        message = _unmatched_message(request, asked)
    repos.outbox.enqueue(requester, message, f"obs:{request.id}:unmatched", now)
    for coordinator in repos.members.list((MemberStatus.ACTIVE,)):
        if not coordinator.is_coordinator or coordinator.id == requester.id:
            continue
        with speaking_to(coordinator):
            lesson = when(request, coordinator.timezone)
            name = said(requester.display_name)
            message = Message(
                text=_("Nobody could observe {name}'s lesson on {lesson}.").format(
                    name=name, lesson=lesson
                ),
                blocks=(
                    Section(
                        _(
                            "Nobody was able to observe *{name}*'s lesson on {lesson} (focus: "
                            "{focus}). Could you help them find an observer?"
                        ).format(name=name, lesson=lesson, focus=focus_words(request.focus))
                    ),
                ),
                ephemeral=False,
            )
        repos.outbox.enqueue(
            coordinator, message, f"obs:{request.id}:unmatched:{coordinator.id}", now
        )


def _unmatched_message(request: ObservationRequest, asked: int) -> Message:
    """The requester's news that nobody could come, saying how many colleagues were asked."""
    lesson = when(request)
    if asked:
        text = ngettext(
            "I asked {n} colleague and nobody could observe your lesson on {lesson}.",
            "I asked {n} colleagues and nobody could observe your lesson on {lesson}.",
            asked,
        ).format(n=asked, lesson=lesson)
        shown = ngettext(
            "Sorry: I asked {n} colleague and nobody could observe your lesson on *{lesson}*.",
            "Sorry: I asked {n} colleagues and nobody could observe your lesson on *{lesson}*.",
            asked,
        ).format(n=asked, lesson=lesson)
    else:
        text = _("Nobody could observe your lesson on {lesson}.").format(lesson=lesson)
        shown = _("Sorry: nobody could observe your lesson on *{lesson}*.").format(lesson=lesson)
    more = _(
        "Your coordinator has been told and may help find someone. You can also try another "
        "lesson with `observe`."
    )
    return Message(text=text, blocks=(Section(f"{shown} {more}"),), ephemeral=False)


# --- the colleague answers ---------------------------------------------------------------------------


def _ask_behind(ctx: Ctx, value: str) -> tuple[Member, ObservationRequest, Ask]:
    """The ask behind an Accept or Decline button, if it was sent to the person pressing it.

    The request is locked before the ask is read again, so the answer is checked against the
    request as it is now (the job may just have moved it on)."""
    member = ctx.require_member()
    ask_id = record_id(value)
    found = ctx.repos.observations.get_ask(ask_id) if ask_id is not None else None
    ask = own(found, lambda a: a.member_id, member, _(NOT_ASKED))
    request = ctx.repos.observations.lock_request(ask.request_id)
    fresh = ctx.repos.observations.get_ask(ask.id or 0)
    assert request is not None and fresh is not None
    return member, request, fresh


def accept(ctx: Ctx, value: str) -> Message:
    member, request, ask = _ask_behind(ctx, value)
    if ask.status is AskStatus.ACCEPTED:
        return text_message(_("You've already accepted this one. Thank you!"))
    if request.status is not RequestStatus.ASKING or ask.status is not AskStatus.ASKED:
        raise UserError(
            _(
                "Thank you! This request has already moved on (someone else is observing, it was "
                "cancelled, or the 24 hours passed), so there is nothing more to do."
            )
        )
    if ctx.repos.observations.is_observing(member.id or 0, request.starts_at, request.ends_at):
        raise UserError(
            _(
                "You're already observing another lesson at that time, so I can't book you twice. "
                "Press Decline and I'll ask someone else."
            )
        )
    return book(ctx.repos, request, ask, member, ctx.now)


def decline(ctx: Ctx, value: str) -> Message:
    _member, request, ask = _ask_behind(ctx, value)
    if ask.status is not AskStatus.ASKED or request.status is not RequestStatus.ASKING:
        return text_message(_("No problem; this request has already moved on."))
    ask.status = AskStatus.DECLINED
    ask.answered_at = ctx.now
    ctx.repos.observations.save_ask(ask)
    ask_next(ctx.repos, request, ctx.now)
    return text_message(_("No problem, thanks for answering quickly. I'll ask someone else."))


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
    with speaking_to(requester):
        name = said(observer.display_name)
        told = with_cancel_button(
            request,
            _("✅ *{name}* will observe your lesson. The invite is attached.").format(name=name),
            _("{name} will observe your lesson on {lesson}.").format(
                name=name, lesson=when(request)
            ),
            attachments=(invite_attachment(request, requester, observer, now),),
        )
    repos.outbox.enqueue(requester, told, f"obs:{request.id}:confirmed", now)
    name = said(requester.display_name)
    return with_cancel_button(
        request,
        _(
            "Thank you! You're observing *{name}*'s lesson. The invite is attached; after the "
            "lesson I'll send you a short feedback form."
        ).format(name=name),
        _("Thank you! You're observing {name}'s lesson on {lesson}.").format(
            name=name, lesson=when(request, observer.timezone)
        ),
        observer.timezone,
        ephemeral=True,
        attachments=(invite_attachment(request, requester, observer, now),),
    )
