"""The periodic hand-over: asks move on after 24 hours, both people get the brief a school day
before, and after the lesson the observer is prompted for feedback (and nudged once) while both are
offered ten minutes to debrief.

Idempotent: a state change and its messages commit together, message keys are unique, so a second
copy of the job running at the same minute finds nothing left to do or sends nothing new.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.kernel.context import speaking_to
from bot.kernel.ports import Scope, UnitOfWorkFactory
from bot.observations.asking import ask_next, current_ask, mark_unmatched
from bot.observations.brief import TOO_LATE, brief_due, send_briefs
from bot.observations.debrief import debrief_context, debrief_message, debrief_slot
from bot.observations.feedback import feedback_prompt
from bot.observations.model import ASK_TIMEOUT_HOURS, AskStatus, ObservationRequest, RequestStatus
from bot.observations.thanks import thank_button

BRIEF_LOOKAHEAD = timedelta(days=15)
"""No brief is due earlier than this before a lesson (a school day before, past a long weekend or a
holiday), so requests further off are not even looked at."""
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
        "briefed": 0,
        "feedback_prompts": 0,
        "debriefs": 0,
        "feedback_reminders": 0,
    }
    for seen in repos.observations.requests_with_status((RequestStatus.ASKING,)):
        if _due_hand_over(repos, seen, now):
            _hand_over(repos, seen, now, done)
    for seen in repos.observations.requests_with_status((RequestStatus.CONFIRMED,)):
        if _due_brief(repos, seen, now) or _due_feedback(seen, now):
            _remind(repos, seen, now, done)
    return done


def _due_hand_over(repos: Scope, request: ObservationRequest, now: datetime) -> bool:
    if request.starts_at <= now:
        return True
    ask = current_ask(repos, request)
    timeout = timedelta(hours=ASK_TIMEOUT_HOURS)
    return ask is None or (ask.asked_at is not None and ask.asked_at + timeout <= now)


def _due_brief(repos: Scope, request: ObservationRequest, now: datetime) -> bool:
    """The brief not sent yet and its moment come (the calendar is read only for lessons near)."""
    if request.brief_sent_at is not None or request.starts_at - BRIEF_LOOKAHEAD > now:
        return False
    requester = repos.members.get(request.requester_id)
    return requester is not None and brief_due(repos, request, requester) <= now


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
    if _due_brief(repos, request, now):
        if now < request.starts_at - TOO_LATE:
            send_briefs(repos, request, requester, observer, now)
            done["briefed"] += 1
        request.brief_sent_at = now  # also when let go: it would come too late
        repos.observations.save_request(request)
    first_prompt = request.ends_at <= now and request.feedback_requested_at is None
    if first_prompt or (_due_feedback(request, now) and request.feedback_requested_at is not None):
        kind = "feedback-prompt" if first_prompt else "feedback-reminder"
        slot = debrief_slot(repos, request, requester, observer, now) if first_prompt else None
        with speaking_to(observer):
            message = feedback_prompt(
                request,
                requester,
                reminder=not first_prompt,
                debrief=debrief_context(slot, requester, observer) if first_prompt else None,
            )
        repos.outbox.enqueue(observer, message, f"obs:{request.id}:{kind}", now)
        if first_prompt:
            with speaking_to(requester):
                debrief = debrief_message(
                    request, requester, observer, slot, thank_button(request, observer)
                )
            repos.outbox.enqueue(requester, debrief, f"obs:{request.id}:debrief", now)
            request.feedback_requested_at = now
            done["feedback_prompts"] += 1
            done["debriefs"] += 1
        else:
            request.feedback_reminded_at = now
            done["feedback_reminders"] += 1
        repos.observations.save_request(request)
