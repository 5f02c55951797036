"""The observation's state changes, shared by the chat handlers and the periodic job.

Every function takes the workspace's repositories and the time it is told, changes state, and writes
the messages for other people to the outbox in the same unit of work, each with an idempotency key, so
a retried button press or two copies of the job never send anything twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.domain import Member, MemberStatus
from bot.kernel.messages import Actions, Button, Context, Message, Section
from bot.kernel.ports import Scope
from bot.observations.invite import invite_attachment
from bot.observations.model import (
    ASK_TIMEOUT_HOURS,
    Ask,
    AskStatus,
    ObservationRequest,
    RequestStatus,
)

ACCEPT = "observe.accept"
DECLINE = "observe.decline"
CANCEL = "observe.cancel"
GIVE_FEEDBACK = "observe.feedback"
REMINDER_BEFORE = timedelta(hours=24)
FEEDBACK_REMINDER_AFTER = timedelta(days=2)


def when(request: ObservationRequest, timezone: str | None = None) -> str:
    """ "Thursday 26 November, 10:15–11:00", in the given zone (the requester's by default)."""
    zone = ZoneInfo(timezone or request.timezone)
    start, end = request.starts_at.astimezone(zone), request.ends_at.astimezone(zone)
    text = f"{start:%A %d %B}, {start:%H:%M}–{end:%H:%M}"
    if timezone and timezone != request.timezone:
        text += f" your time ({timezone})"
    return text


def lesson_fields(
    request: ObservationRequest, timezone: str | None = None
) -> tuple[tuple[str, str], ...]:
    fields = [("When", when(request, timezone))]
    if request.class_name:
        fields.append(("Class", request.class_name))
    if request.subject:
        fields.append(("Subject", request.subject))
    fields.append(("Focus", request.focus))
    if request.look_fors:
        fields.append(("Look for", request.look_fors))
    return tuple(fields)


def _member(repos: Scope, member_id: int | None) -> Member | None:
    return repos.members.get(member_id) if member_id is not None else None


def _send(repos: Scope, to: Member, message: Message, key: str, now: datetime) -> None:
    repos.outbox.enqueue(to, message, key, now)


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
    requester = _member(repos, request.requester_id)
    assert requester is not None
    for ask in repos.observations.asks_for(request.id):
        if ask.status is not AskStatus.WAITING:
            continue
        colleague = _member(repos, ask.member_id)
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
        _send(
            repos,
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
    intro = (
        f"*{requester.display_name}* would like a colleague to observe a lesson, and thought of you. "
        f"It's about {minutes} minutes plus a short feedback form afterwards: peer feedback for growth, "
        "never an evaluation."
    )
    return Message(
        text=f"{requester.display_name} asks: could you observe their lesson on {when(request, colleague.timezone)}?",
        blocks=(
            Section(intro),
            Section(fields=lesson_fields(request, colleague.timezone)),
            Actions(
                (
                    Button("Accept", ACCEPT, str(ask.id), "primary"),
                    Button("Decline", DECLINE, str(ask.id)),
                )
            ),
            Context(
                f"If I don't hear back within {ASK_TIMEOUT_HOURS} hours I'll ask someone else; no hard feelings."
            ),
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
    tried = f"I asked {asked} colleague{'s' if asked != 1 else ''} and " if asked else ""
    _send(
        repos,
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
        _send(
            repos,
            coordinator,
            Message(
                text=f"Nobody could observe {requester.display_name}'s lesson on {when(request, coordinator.timezone)}.",
                blocks=(
                    Section(
                        f"Nobody was able to observe *{requester.display_name}*'s lesson on "
                        f"{when(request, coordinator.timezone)} (focus: {request.focus}). "
                        "Could you help them find an observer?"
                    ),
                ),
                ephemeral=False,
            ),
            f"obs:{request.id}:unmatched:{coordinator.id}",
            now,
        )


def confirm(
    repos: Scope, request: ObservationRequest, ask: Ask, observer: Member, now: datetime
) -> Message:
    """The colleague said yes: both get the details and the invite; the rest of the queue stands down.

    Returns the observer's own reply (they pressed the button); the requester's goes to the outbox.
    """
    assert request.id is not None
    requester = _member(repos, request.requester_id)
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
    invite = invite_attachment(request, requester, observer, now)
    cancel = Actions((Button("Cancel observation", CANCEL, str(request.id), "danger"),))
    _send(
        repos,
        requester,
        Message(
            text=f"{observer.display_name} will observe your lesson on {when(request)}.",
            blocks=(
                Section(
                    f"✅ *{observer.display_name}* will observe your lesson. The invite is attached."
                ),
                Section(fields=lesson_fields(request)),
                cancel,
            ),
            attachments=(invite,),
            ephemeral=False,
        ),
        f"obs:{request.id}:confirmed",
        now,
    )
    return Message(
        text=f"Thank you! You're observing {requester.display_name}'s lesson on {when(request, observer.timezone)}.",
        blocks=(
            Section(
                f"Thank you! You're observing *{requester.display_name}*'s lesson. The invite is attached; "
                "after the lesson I'll send you a short feedback form."
            ),
            Section(fields=lesson_fields(request, observer.timezone)),
            cancel,
        ),
        attachments=(invite,),
    )


def cancel(repos: Scope, request: ObservationRequest, by: Member, now: datetime) -> str:
    """Either side calls it off; the other side (or whoever is being asked) is told. Returns who was told."""
    assert request.id is not None
    requester = _member(repos, request.requester_id)
    assert requester is not None
    was = request.status
    request.status = RequestStatus.CANCELLED
    request.cancelled_by_id = by.id
    repos.observations.save_request(request)
    told = ""
    for ask in repos.observations.asks_for(request.id):
        if ask.status in (AskStatus.WAITING, AskStatus.ASKED):
            if ask.status is AskStatus.ASKED:
                asked = _member(repos, ask.member_id)
                if asked is not None:
                    _send(
                        repos,
                        asked,
                        Message(
                            text=f"{requester.display_name} no longer needs an observer for {when(request, asked.timezone)}. Thanks anyway!",
                            ephemeral=False,
                        ),
                        f"obs:{request.id}:withdrawn:{asked.id}",
                        now,
                    )
                    told = asked.display_name
            ask.status = AskStatus.WITHDRAWN
            repos.observations.save_ask(ask)
    if was is RequestStatus.CONFIRMED:
        observer = _member(repos, request.observer_id)
        other = requester if by.id != requester.id else observer
        if other is not None and observer is not None:
            who = by.display_name
            _send(
                repos,
                other,
                Message(
                    text=f"{who} cancelled the observation on {when(request, other.timezone)}.",
                    blocks=(
                        Section(
                            f"{who} had to cancel the observation of "
                            f"{'your' if other.id == requester.id else requester.display_name + chr(39) + 's'} "
                            f"lesson on {when(request, other.timezone)}. The attached file removes it from your calendar."
                            + (
                                " You can ask for another observer with `observe`."
                                if other.id == requester.id
                                else ""
                            )
                        ),
                    ),
                    attachments=(
                        invite_attachment(request, requester, observer, now, cancelled=True),
                    ),
                    ephemeral=False,
                ),
                f"obs:{request.id}:cancelled:{other.id}",
                now,
            )
            told = other.display_name
    return told


def feedback_prompt(request: ObservationRequest, requester: Member, reminder: bool) -> Message:
    lead = "A gentle nudge (the only one): " if reminder else "Thanks for observing! "
    return Message(
        text=f"{lead}How did {requester.display_name}'s lesson go? Two minutes of feedback.",
        blocks=(
            Section(
                f"{lead}How did *{requester.display_name}*'s lesson go? A short form tied to the focus "
                f"(*{request.focus}*): strengths you saw and one or two next steps. Only "
                f"{requester.display_name} will see it."
            ),
            Actions((Button("Give feedback", GIVE_FEEDBACK, str(request.id), "primary"),)),
        ),
        ephemeral=False,
    )


def _due_hand_over(repos: Scope, request: ObservationRequest, now: datetime) -> bool:
    if request.starts_at <= now:
        return True
    ask = current_ask(repos, request)
    timeout = timedelta(hours=ASK_TIMEOUT_HOURS)
    return ask is None or (ask.asked_at is not None and ask.asked_at + timeout <= now)


def _due_reminder(request: ObservationRequest, now: datetime) -> bool:
    return request.reminder_sent_at is None and request.starts_at - REMINDER_BEFORE <= now


def _due_feedback(request: ObservationRequest, now: datetime) -> bool:
    if request.ends_at > now:
        return False
    if request.feedback_requested_at is None:
        return True
    return (
        request.feedback_reminded_at is None
        and request.feedback_requested_at + FEEDBACK_REMINDER_AFTER <= now
    )


def advance(repos: Scope, now: datetime) -> dict[str, int]:
    """One pass over a workspace's open requests: hand-overs, reminders and feedback prompts.

    A request that needs something is locked and read again first, so a button pressed at the same
    moment (or another copy of this job) is either seen as done or waits for this pass to commit.
    """
    done = {
        "expired": 0,
        "unmatched": 0,
        "reminded": 0,
        "feedback_prompts": 0,
        "feedback_reminders": 0,
    }
    timeout = timedelta(hours=ASK_TIMEOUT_HOURS)
    for seen in repos.observations.requests_with_status((RequestStatus.ASKING,)):
        if not _due_hand_over(repos, seen, now):
            continue
        request = repos.observations.lock_request(seen.id or 0)
        requester = _member(repos, seen.requester_id)
        if request is None or request.status is not RequestStatus.ASKING or requester is None:
            continue
        if request.starts_at <= now:
            for pending in repos.observations.asks_for(request.id or 0):
                if pending.status in (AskStatus.ASKED, AskStatus.WAITING):
                    pending.status = (
                        AskStatus.EXPIRED
                        if pending.status is AskStatus.ASKED
                        else AskStatus.WITHDRAWN
                    )
                    repos.observations.save_ask(pending)
            mark_unmatched(repos, request, requester, now)
            done["unmatched"] += 1
            continue
        ask = current_ask(repos, request)
        if ask is None:
            if ask_next(repos, request, now) is None:
                done["unmatched"] += 1
            continue
        if ask.asked_at is not None and ask.asked_at + timeout <= now:
            ask.status = AskStatus.EXPIRED
            ask.answered_at = now
            repos.observations.save_ask(ask)
            done["expired"] += 1
            if ask_next(repos, request, now) is None:
                done["unmatched"] += 1
    for seen in repos.observations.requests_with_status((RequestStatus.CONFIRMED,)):
        if not (_due_reminder(seen, now) or _due_feedback(seen, now)):
            continue
        request = repos.observations.lock_request(seen.id or 0)
        if request is None or request.status is not RequestStatus.CONFIRMED:
            continue
        requester = _member(repos, request.requester_id)
        observer = _member(repos, request.observer_id)
        if requester is None or observer is None:
            continue
        if _due_reminder(request, now):
            if now < request.starts_at and not _confirmed_within_a_day(repos, request):
                _send_reminders(repos, request, requester, observer, now)
                done["reminded"] += 1
            request.reminder_sent_at = now  # also when skipped: it would come too late or too soon
            repos.observations.save_request(request)
        if request.ends_at <= now and request.feedback_requested_at is None:
            _send(
                repos,
                observer,
                feedback_prompt(request, requester, False),
                f"obs:{request.id}:feedback-prompt",
                now,
            )
            request.feedback_requested_at = now
            repos.observations.save_request(request)
            done["feedback_prompts"] += 1
        elif _due_feedback(request, now) and request.feedback_requested_at is not None:
            _send(
                repos,
                observer,
                feedback_prompt(request, requester, True),
                f"obs:{request.id}:feedback-reminder",
                now,
            )
            request.feedback_reminded_at = now
            repos.observations.save_request(request)
            done["feedback_reminders"] += 1
    return done


def _confirmed_within_a_day(repos: Scope, request: ObservationRequest) -> bool:
    """Agreed less than a day ahead: they have just seen the details, a reminder would be noise."""
    accepted = next(
        (a for a in repos.observations.asks_for(request.id or 0) if a.status is AskStatus.ACCEPTED),
        None,
    )
    return (
        accepted is not None
        and accepted.answered_at is not None
        and accepted.answered_at > request.starts_at - REMINDER_BEFORE
    )


def _send_reminders(
    repos: Scope, request: ObservationRequest, requester: Member, observer: Member, now: datetime
) -> None:
    for person in (requester, observer):
        subject = (
            f"{observer.display_name} observes your lesson"
            if person is requester
            else f"You observe {requester.display_name}'s lesson"
        )
        _send(
            repos,
            person,
            Message(
                text=f"Reminder: {subject} on {when(request, person.timezone)}.",
                blocks=(
                    Section(f"⏰ Reminder: {subject} tomorrow."),
                    Section(fields=lesson_fields(request, person.timezone)),
                    Actions((Button("Cancel observation", CANCEL, str(request.id), "danger"),)),
                ),
                ephemeral=False,
            ),
            f"obs:{request.id}:reminder:{person.id}",
            now,
        )
