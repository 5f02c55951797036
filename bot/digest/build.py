"""From raw figures to a finished digest, with the privacy floor applied here and only here."""

from __future__ import annotations

from datetime import datetime

from bot.digest.model import (
    PRIVACY_FLOOR,
    TREND_WEEKS,
    Breakdown,
    CheckinFigures,
    Contribution,
    Digest,
    GroupCheckins,
    NeedsHand,
    Person,
    Rate,
    TrendPoint,
)
from bot.digest.ports import DigestQueries
from bot.digest.weeks import Week
from bot.kernel.domain import Program

ROLE_LABELS = {"mentor": "Mentors", "mentee": "Mentees", "peer": "Peers"}


def build_digest(queries: DigestQueries, program: Program, week: Week) -> Digest:
    assert program.id is not None
    pid = program.id
    start, end = week.bounds(program.timezone)
    weeks = week.previous(TREND_WEEKS)
    per_week = queries.checkin_weeks(pid, [w.label for w in weeks])
    trend = tuple(_point(w.label, per_week.get(w.label, CheckinFigures())) for w in weeks)
    by_role = breakdowns(queries.checkins_by_role(pid, week.label))
    recognition = _recognition(
        queries.observers(pid, start, end),
        queries.sharers(pid, start, end),
        queries.mentors_who_met(pid, end),
    )
    return Digest(
        program_id=pid,
        program_name=program.name,
        week=week.label,
        week_description=week.describe(),
        timezone=program.timezone,
        people=queries.program_people(pid),
        trend=trend,
        by_role=by_role,
        reflections=queries.reflections(pid, start, end),
        themes=tuple(queries.themes(pid, start, end, PRIVACY_FLOOR)),
        pairs=queries.pairs(pid, end),
        observations=queries.observations(pid, start, end),
        resources=queries.resources(pid, start, end, top=3),
        recognition=recognition,
        needs_hand=_needs_hand(queries, pid, week, start, end),
    )


def breakdowns(groups: list[GroupCheckins]) -> tuple[Breakdown, ...]:
    """Response rate and confidence per role, with the privacy floor and its complement.

    A group under the floor is withheld; but the program's total is shown, so if the withheld groups
    together still number fewer than ``PRIVACY_FLOOR`` their figures could be worked out as the total
    minus the shown groups. The next smallest groups are then withheld too, until the hidden part is
    big enough or nothing is shown (with 7 mentees and 4 mentors, neither is shown).
    """
    responses = _suppress([g.figures.people for g in groups])
    confidences = _suppress([g.figures.confidence_count for g in groups])
    return tuple(
        Breakdown(
            group=ROLE_LABELS.get(g.group, g.group.capitalize()),
            people=g.figures.people,
            response_rate=Rate(None, withheld=True) if hide_r else _response(g.figures),
            confidence=Rate(None, withheld=True) if hide_c else _confidence(g.figures),
        )
        for g, hide_r, hide_c in zip(groups, responses, confidences, strict=True)
    )


def _suppress(weights: list[int]) -> list[bool]:
    """Which groups to withhold, given how many people (or answers) each figure rests on."""
    hidden = [0 < w < PRIVACY_FLOOR for w in weights]
    while 0 < sum(w for w, h in zip(weights, hidden, strict=True) if h) < PRIVACY_FLOOR:
        shown = [i for i, h in enumerate(hidden) if not h and weights[i] > 0]
        if not shown:
            break
        hidden[min(shown, key=lambda i: weights[i])] = True
    return hidden


def _point(label: str, f: CheckinFigures) -> TrendPoint:
    return TrendPoint(
        week=label,
        response_rate=_response(f),
        confidence=_confidence(f),
        answered=f.answered,
        sent=f.sent,
    )


def _response(f: CheckinFigures) -> Rate:
    """A response rate is participation, not an answer, but with fewer than five people sent a check-in
    it still tells who did not answer, so it is withheld like the rest."""
    if f.sent == 0:
        return Rate(None)
    if f.people < PRIVACY_FLOOR:
        return Rate(None, withheld=True)
    return Rate(100.0 * f.answered / f.sent)


def _confidence(f: CheckinFigures) -> Rate:
    """An average of fewer than five answers could give one person's answer away."""
    if f.confidence_count == 0:
        return Rate(None)
    if f.confidence_count < PRIVACY_FLOOR:
        return Rate(None, withheld=True)
    return Rate(f.confidence_sum / f.confidence_count)


def _recognition(
    observers: dict[Person, int], sharers: dict[Person, int], mentors: dict[Person, int]
) -> tuple[Contribution, ...]:
    people = set(observers) | set(sharers) | set(mentors)
    found = [
        Contribution(
            person=p,
            observed=observers.get(p, 0),
            shared=sharers.get(p, 0),
            mentored=mentors.get(p, 0),
        )
        for p in people
    ]
    found.sort(key=lambda c: (-(c.observed + c.shared + c.mentored), c.person.name))
    return tuple(found)


def _needs_hand(
    queries: DigestQueries, pid: int, week: Week, start: datetime, end: datetime
) -> tuple[NeedsHand, ...]:
    found: list[NeedsHand] = []
    seen: set[tuple[int, str]] = set()

    def add(people: list[Person], kind: str, reason: str, action: str) -> None:
        for p in sorted(people, key=lambda p: p.name):
            if (p.member_id, kind) not in seen:
                seen.add((p.member_id, kind))
                found.append(NeedsHand(person=p, reason=reason, action=action, kind=kind))

    add(
        queries.unreachable(pid),
        "unreachable",
        "Staffroom can't reach them on the platform",
        "Check the app is still installed for them, or update their account",
    )
    add(
        queries.undelivered(pid, start, end),
        "undelivered",
        "A message to them could not be delivered this week",
        "Check their chat account and contact details",
    )
    add(
        queries.quiet(pid, [week.shifted(-1).label, week.label]),
        "quiet",
        "No check-in answer for 2+ weeks",
        "Send a friendly note, or offer a pause if it's a busy spell",
    )
    add(
        queries.unmatched(pid, end),
        "unmatched",
        "Not in a pair or group this round",
        "Pair them by hand, or check their profile and goals",
    )
    add(
        queries.waiting_for_observer(pid, start, end),
        "no_observer",
        "Asked for a lesson observation; nobody could observe",
        "Suggest a colleague who could observe",
    )
    return tuple(found)
