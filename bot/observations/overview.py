"""What each person may see of observations: their own list, one observation, a coordinator's counts.

Feedback is private to the teacher observed (and their mentor, when shared); a coordinator sees only
how many observations happened, never what was said.
"""

from __future__ import annotations

from datetime import timedelta

from bot.kernel.context import Ctx
from bot.kernel.domain import Member
from bot.kernel.errors import PermissionDenied, UserError
from bot.kernel.messages import Context, Message, Section, text_message
from bot.observations.feedback import feedback_blocks, mentor_of
from bot.observations.model import ObservationRequest, RequestStatus
from bot.observations.reflection import reflection_of
from bot.observations.render import lesson_fields, status_words, when

LIST_WINDOW = timedelta(days=60)
STATS_WINDOW = timedelta(days=90)


def numbered(ctx: Ctx, request_id: int) -> ObservationRequest:
    request = ctx.repos.observations.get_request(request_id)
    if request is None:
        raise UserError(f"There is no observation #{request_id}. Type `observe list` to see yours.")
    return request


def observations_of(ctx: Ctx, member: Member) -> Message:
    assert member.id is not None
    requests = [
        r
        for r in ctx.repos.observations.requests_of(member.id)
        if r.status is not RequestStatus.DRAFT and (r.ends_at > ctx.now - LIST_WINDOW)
    ]
    if not requests:
        return text_message(
            "You have no observations yet. Ask for one with "
            '`observe thu 10:15-11:00 focus: questioning "Year 9 algebra"`.'
        )
    lines = []
    for r in requests:
        if r.requester_id == member.id:
            observer = ctx.repos.members.get(r.observer_id) if r.observer_id else None
            who = f"observed by {observer.display_name}" if observer else "your lesson"
        else:
            requester = ctx.repos.members.get(r.requester_id)
            who = f"you observe {requester.display_name if requester else 'a colleague'}"
        lines.append(
            f"#{r.id} {when(r, member.timezone)}: {who}, {r.focus} ({status_words(r.status)})"
        )
    return text_message(
        "Your observations:\n" + "\n".join(lines) + "\nType `observe show N` for one."
    )


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
    if member.id not in (request.requester_id, request.observer_id) and not shared_mentor:
        raise PermissionDenied(
            "Observations are private to the teacher and their observer. Coordinators see only how many "
            "happened (`observe stats`)."
        )
    requester = ctx.repos.members.get(request.requester_id)
    observer = ctx.repos.members.get(request.observer_id) if request.observer_id else None
    blocks: list[Section | Context] = [
        Section(
            f"*Observation #{request.id}*: {requester.display_name if requester else '?'}'s lesson"
            + (f", observed by {observer.display_name}" if observer else "")
            + f" ({status_words(request.status)})"
        ),
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
                            ("Your reflection", reflection.went_well),
                            ("You'll try", reflection.try_next or "—"),
                        )
                    )
                )
        else:
            blocks.append(Context("You gave feedback; only the teacher you observed can read it."))
    return Message(text=f"Observation #{request.id}", blocks=tuple(blocks))


def stats(ctx: Ctx) -> Message:
    """What a coordinator may know: how many observations happened, never what was said."""
    ctx.require_coordinator()
    counts = ctx.repos.observations.status_counts(ctx.now - STATS_WINDOW)
    total = sum(counts.values()) - counts.get(RequestStatus.DRAFT, 0)
    rows = (
        ("Requested", str(total)),
        ("Completed (feedback given)", str(counts.get(RequestStatus.DONE, 0))),
        ("Booked, still to come", str(counts.get(RequestStatus.CONFIRMED, 0))),
        ("Looking for an observer", str(counts.get(RequestStatus.ASKING, 0))),
        ("No observer found", str(counts.get(RequestStatus.UNMATCHED, 0))),
        ("Cancelled", str(counts.get(RequestStatus.CANCELLED, 0))),
    )
    return Message(
        text="Peer observations in the last 90 days",
        blocks=(
            Section("*Peer observations in the last 90 days*"),
            Section(fields=rows),
            Context(
                "Feedback and reflections stay private to each teacher; only these counts are shown."
            ),
        ),
    )
