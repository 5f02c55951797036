"""Peer observation's part of ``export-my-data`` and ``forget-me`` (the Feature's export and forget parts).

Export: every observation the member was in, the feedback they received, their free periods.
Forget: open observations are cancelled (the other person is told), free periods and the feedback they
received are deleted, and their requests keep only what counts need (when, focus, status), so what is
left cannot describe them. Feedback they gave as an observer belongs to the teacher they observed.
"""

from __future__ import annotations

from typing import Any

from bot.kernel.domain import Member
from bot.kernel.ports import Scope
from bot.observations.cancel import cancel_observation
from bot.observations.free_periods import WEEKDAYS
from bot.observations.model import OPEN_STATUSES


def export_observations(repos: Scope, member: Member) -> dict[str, Any]:
    assert member.id is not None
    repo = repos.observations
    observations = []
    for request in repo.requests_of(member.id):
        entry: dict[str, Any] = {
            "role": "observed" if request.requester_id == member.id else "observer",
            "starts_at": request.starts_at.isoformat(),
            "ends_at": request.ends_at.isoformat(),
            "timezone": request.timezone,
            "class": request.class_name,
            "subject": request.subject,
            "focus": request.focus,
            "look_for": request.look_fors,
            "status": request.status.value,
        }
        if request.requester_id == member.id:
            entry["question"] = request.question
            if request.thanked_at is not None:
                entry["thanks_sent"] = {
                    "text": request.thanks,
                    "at": request.thanked_at.isoformat(),
                }
        feedback = repo.feedback_for(request.id or 0)
        if feedback is not None and request.requester_id == member.id:
            entry["feedback_received"] = {
                "strengths": feedback.strengths,
                "next_steps": feedback.suggestions,
                "look_fors_seen": {item: seen.value for item, seen in feedback.seen.items()},
                "shared_with_mentor": feedback.shared_with_mentor,
            }
        elif feedback is not None and feedback.observer_id == member.id:
            entry["feedback_given"] = {  # what they wrote; the teacher observed keeps it too
                "strengths": feedback.strengths,
                "next_steps": feedback.suggestions,
                "look_fors_seen": {item: seen.value for item, seen in feedback.seen.items()},
            }
        observations.append(entry)
    free = [
        f"{WEEKDAYS[p.weekday]} {p.start:%H:%M}-{p.end:%H:%M}" for p in repo.free_periods(member.id)
    ]
    return {"observations": observations, "free_periods": free}


def forget_observations(repos: Scope, member: Member) -> list[str]:
    assert member.id is not None
    now = repos.observations.now()
    for request in repos.observations.requests_of(member.id, OPEN_STATUSES):
        cancel_observation(repos, request, member, now)
    own = [r for r in repos.observations.requests_of(member.id) if r.requester_id == member.id]
    repos.observations.forget_member(member.id)
    # Their asks and reminders went to colleagues, quoting these.
    return [
        t
        for r in own
        for t in (r.focus, r.class_name, r.look_fors, r.question, r.thanks, *r.look_for_list())
        if t
    ]
