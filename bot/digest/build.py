"""From raw figures to a finished digest, with the privacy floor applied here and only here.

Whether a figure may be shown is not decided here but by the rule every feature shares
(``bot.kernel.aggregates``); this module only applies it to each figure and to the counts behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.digest.frozen import question_figures, week_figures
from bot.digest.model import (
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
from bot.digest.ports import DigestQueries, ReadsAlongside
from bot.digest.questions import question_lines
from bot.digest.weeks import Week
from bot.kernel.aggregates import PRIVACY_FLOOR, may_show, withheld_groups
from bot.kernel.domain import Program
from bot.kernel.i18n import N_, _, ngettext

ROLE_LABELS = {"mentor": N_("Mentors"), "mentee": N_("Mentees"), "peer": N_("Peers")}
"""Kept in English in the digest (the CSV's data); each renderer shows ``_(group)``."""


def build_digest(
    queries: DigestQueries,
    program: Program,
    week: Week,
    *,
    now: datetime,
    alongside: ReadsAlongside | None = None,
) -> Digest:
    """The digest of ``week`` as read at ``now``: closed weeks' check-in figures are frozen
    (``bot.digest.frozen``), so every read of a past week shows the same figures. With
    ``alongside``, who needs a hand is read on a connection of its own while this one reads the rest."""
    assert program.id is not None
    pid = program.id
    start, end = week.bounds(program.timezone)
    needs_later = (
        alongside.submit(
            program.workspace_id, lambda q: _needs_hand(q, program, week, start, end, now)
        )
        if alongside is not None
        else None
    )
    weeks = week.previous(TREND_WEEKS)
    per_week = week_figures(queries, program, weeks, now)
    trend = tuple(_point(w.label, per_week[w.label].total) for w in weeks)
    by_role = breakdowns(list(per_week[week.label].groups))
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
        themes=tuple(
            t for t in queries.themes(pid, start, end, PRIVACY_FLOOR) if may_show(t.members)
        ),
        pairs=queries.pairs(pid, end),
        observations=queries.observations(pid, start, end),
        resources=queries.resources(pid, start, end, top=3),
        recognition=recognition,
        needs_hand=(
            needs_later.result()
            if needs_later is not None
            else _needs_hand(queries, program, week, start, end, now)
        ),
        support_requests=queries.support_requests(pid, start, end),
        questions=question_lines([question_figures(queries, program, [week], now)[week.label]]),
    )


def breakdowns(groups: list[GroupCheckins]) -> tuple[Breakdown, ...]:
    """Response rate and confidence per role, with the privacy floor and its complement.

    The program's total is shown too, so a group is withheld when it is small or when it is what would
    let a small one be worked out (``withheld_groups``). A withheld response rate takes the group's size
    with it: "Mentors (4)" next to the total tells how many mentees there are.
    """
    responses = withheld_groups([g.figures.people for g in groups])
    confidences = withheld_groups([g.figures.confidence_count for g in groups])
    return tuple(
        Breakdown(
            group=ROLE_LABELS.get(g.group, g.group.capitalize()),
            people=None if hide_r else g.figures.people,
            response_rate=Rate(None, withheld=True) if hide_r else _response(g.figures),
            confidence=Rate(None, withheld=True) if hide_c else _confidence(g.figures),
        )
        for g, hide_r, hide_c in zip(groups, responses, confidences, strict=True)
    )


def _point(label: str, f: CheckinFigures) -> TrendPoint:
    """One week of the trend; when its response rate is withheld, so are the counts it is made of."""
    response = _response(f)
    return TrendPoint(
        week=label,
        response_rate=response,
        confidence=_confidence(f),
        answered=None if response.withheld else f.answered,
        sent=None if response.withheld else f.sent,
    )


def _response(f: CheckinFigures) -> Rate:
    """A response rate is participation, not an answer, but with fewer than five people sent a check-in
    it still tells who did not answer, so it is withheld like the rest."""
    if f.sent == 0:
        return Rate(None)
    if not may_show(f.people):
        return Rate(None, withheld=True)
    return Rate(100.0 * f.answered / f.sent)


def _confidence(f: CheckinFigures) -> Rate:
    """An average of fewer than five answers could give one person's answer away."""
    if f.confidence_count == 0:
        return Rate(None)
    if not may_show(f.confidence_count):
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


@dataclass(frozen=True)
class Need:
    """One kind of need: why it is listed, the one thing to try that works, and a few words to head
    a list of them."""

    reason: str
    action: str
    heading: str


NEEDS: dict[str, Need] = {
    "not_started": Need(
        "",  # worded by _invited, whose words follow the number of days
        N_("Press Nudge for them in `program show {program}` (one friendly reminder)"),
        N_("Invited, not started"),
    ),
    "unreachable": Need(
        N_("Staffroom can't reach them on the platform"),
        N_("Check the app is still installed for them, or update their account"),
        N_("Can't be reached"),
    ),
    "undelivered": Need(
        N_("A message to them could not be delivered this week"),
        N_("Check their chat account and contact details"),
        N_("A message didn't arrive"),
    ),
    "quiet": Need(
        N_("No check-in answer for 2+ weeks"),
        N_("Send a friendly note, or offer a pause if it's a busy spell"),
        N_("Quiet for two weeks or more"),
    ),
    "falling_confidence": Need(
        N_("Confidence has fallen over their last three check-ins"),
        N_("Ask how things are going, or suggest a colleague to observe"),
        N_("Confidence falling"),
    ),
    "couldnt_meet": Need(
        N_("Their pairing couldn't go ahead this round and they have no new partner yet"),
        N_("`pair pin {program} {name} with PERSON` puts them with someone in the next round"),
        N_("Pairing couldn't go ahead"),
    ),
    "left_without_mentor": Need(
        N_("Their mentor or partner left, and they have no new one yet"),
        N_("`pair pin {program} {name} with PERSON` puts them with someone in the next round"),
        N_("Mentor or partner left"),
    ),
    "unmatched": Need(
        N_("Not in a pair or group this round"),
        N_("`pair pin {program} {name} with PERSON` puts them with someone in the next round"),
        N_("Not in a pair or group"),
    ),
    "no_observer": Need(
        N_("Asked for a lesson observation; nobody could observe"),
        N_("Suggest a colleague who could observe"),
        N_("Nobody could observe"),
    ),
}
"""Every kind of need, in the order the list shows them. Adding a kind is one entry here and one
``add`` call in ``_needs_hand``."""


def _days(since: datetime, now: datetime) -> str:
    return str(max((now - since).days, 0))


def _invited(days: int) -> str:
    """The not-started reason, whose words follow the number of days (and "today" has none)."""
    if days == 0:
        return _("Invited today and hasn't started yet")
    return ngettext(
        "Invited {days} day ago and hasn't started yet",
        "Invited {days} days ago and hasn't started yet",
        days,
    ).format(days=days)


def _needs_hand(
    queries: DigestQueries,
    program: Program,
    week: Week,
    start: datetime,
    end: datetime,
    now: datetime,
) -> tuple[NeedsHand, ...]:
    assert program.id is not None
    pid = program.id
    found: dict[str, list[tuple[Person, dict[str, str]]]] = {kind: [] for kind in NEEDS}

    def add(kind: str, people: list[Person], **words: str) -> None:
        found[kind].extend((p, words) for p in people)

    for person, since in queries.not_started(pid):
        add("not_started", [person], days=_days(since, min(now, end)))
    add("unreachable", queries.unreachable(pid))
    add("undelivered", queries.undelivered(pid, start, end))
    add("quiet", queries.quiet(pid, [week.shifted(-1).label, week.label]))
    recent = [w.label for w in week.previous(6)]
    add("falling_confidence", queries.falling_confidence(pid, recent))
    for person, kind in queries.pairing_needs(pid, end):
        add(kind if kind in NEEDS else "unmatched", [person])
    add("no_observer", queries.waiting_for_observer(pid, start, end))
    needs: list[NeedsHand] = []
    for kind, entries in found.items():
        need = NEEDS[kind]
        once: dict[int, tuple[Person, dict[str, str]]] = {}
        for person, words in entries:
            once.setdefault(person.member_id, (person, words))
        # A district program lists hundreds: each template is translated once a kind, and filled
        # only where it has blanks.
        reason, action = _(need.reason), _(need.action)
        reason_blanks, action_blanks = "{" in reason, "{" in action
        for person, words in sorted(once.values(), key=lambda e: (e[0].name, e[0].member_id)):
            fill = {"program": program.name, "name": person.name, **words}
            if kind == "not_started":
                shown_reason = _invited(int(words["days"]))
            else:
                shown_reason = reason.format(**fill) if reason_blanks else reason
            needs.append(
                NeedsHand(
                    person=person,
                    reason=shown_reason,
                    action=action.format(**fill) if action_blanks else action,
                    kind=kind,
                )
            )
    return tuple(needs)
