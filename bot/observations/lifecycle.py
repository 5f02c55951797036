"""The periodic hand-over: asks move on after 24 hours, both people are reminded the day before, and
the observer is prompted for feedback after the lesson (and nudged once).

Idempotent: a state change and its messages commit together, message keys are unique, so a second
copy of the job running at the same minute finds nothing left to do or sends nothing new.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.kernel.domain import Member
from bot.kernel.messages import said
from bot.kernel.ports import Scope, UnitOfWorkFactory
from bot.observations.asking import ask_next, current_ask, mark_unmatched
from bot.observations.cancel import with_cancel_button
from bot.observations.feedback import feedback_prompt
from bot.observations.model import ASK_TIMEOUT_HOURS, AskStatus, ObservationRequest, RequestStatus
from bot.observations.render import when

REMINDER_BEFORE = timedelta(hours=24)
FEEDBACK_REMINDER_AFTER = timedelta(days=2)


def advance_observation_requests(uow_factory: UnitOfWorkFactory, now: datetime) -> dict[str, int]:
    """One pass over every active workspace, each in its own unit of work."""
    totals: dict[str, int] = {}
    with uow_factory() as uow:
        workspace_ids = uow.workspaces.active_ids()
    for workspace_id in workspace_ids:
        with uow_factory() as uow:
            for key, n in advance(uow.scope(workspace_id), now).items():
                totals[key] = totals.get(key, 0) + n
            uow.commit()
    return totals


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
    for seen in repos.observations.requests_with_status((RequestStatus.ASKING,)):
        if _due_hand_over(repos, seen, now):
            _hand_over(repos, seen, now, done)
    for seen in repos.observations.requests_with_status((RequestStatus.CONFIRMED,)):
        if _due_reminder(seen, now) or _due_feedback(seen, now):
            _remind(repos, seen, now, done)
    return done


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


def _hand_over(repos: Scope, seen: ObservationRequest, now: datetime, done: dict[str, int]) -> None:
    """The lesson has started with nobody found, or the colleague asked let 24 hours pass."""
    request = repos.observations.lock_request(seen.id or 0)
    requester = repos.members.get(seen.requester_id)
    if request is None or request.status is not RequestStatus.ASKING or requester is None:
        return
    if request.starts_at <= now:
        for pending in repos.observations.asks_for(request.id or 0):
            if pending.status in (AskStatus.ASKED, AskStatus.WAITING):
                pending.status = (
                    AskStatus.EXPIRED if pending.status is AskStatus.ASKED else AskStatus.WITHDRAWN
                )
                repos.observations.save_ask(pending)
        mark_unmatched(repos, request, requester, now)
        done["unmatched"] += 1
        return
    ask = current_ask(repos, request)
    if ask is not None:
        if ask.asked_at is None or ask.asked_at + timedelta(hours=ASK_TIMEOUT_HOURS) > now:
            return
        ask.status = AskStatus.EXPIRED
        ask.answered_at = now
        repos.observations.save_ask(ask)
        done["expired"] += 1
    if ask_next(repos, request, now) is None:
        done["unmatched"] += 1


def _remind(repos: Scope, seen: ObservationRequest, now: datetime, done: dict[str, int]) -> None:
    request = repos.observations.lock_request(seen.id or 0)
    if request is None or request.status is not RequestStatus.CONFIRMED:
        return
    requester = repos.members.get(request.requester_id)
    observer = repos.members.get(request.observer_id) if request.observer_id else None
    if requester is None or observer is None:
        return
    if _due_reminder(request, now):
        if now < request.starts_at and not _confirmed_within_a_day(repos, request):
            _send_reminders(repos, request, requester, observer, now)
            done["reminded"] += 1
        request.reminder_sent_at = now  # also when skipped: it would come too late or too soon
        repos.observations.save_request(request)
    first_prompt = request.ends_at <= now and request.feedback_requested_at is None
    if first_prompt or (_due_feedback(request, now) and request.feedback_requested_at is not None):
        kind = "feedback-prompt" if first_prompt else "feedback-reminder"
        message = feedback_prompt(request, requester, reminder=not first_prompt)
        repos.outbox.enqueue(observer, message, f"obs:{request.id}:{kind}", now)
        if first_prompt:
            request.feedback_requested_at = now
            done["feedback_prompts"] += 1
        else:
            request.feedback_reminded_at = now
            done["feedback_reminders"] += 1
        repos.observations.save_request(request)


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
            f"{said(observer.display_name)} observes your lesson"
            if person is requester
            else f"You observe {said(requester.display_name)}'s lesson"
        )
        repos.outbox.enqueue(
            person,
            with_cancel_button(
                request,
                f"⏰ Reminder: {subject} tomorrow.",
                f"Reminder: {subject} on {when(request, person.timezone)}.",
                person.timezone,
            ),
            f"obs:{request.id}:reminder:{person.id}",
            now,
        )
