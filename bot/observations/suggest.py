"""Who could observe: free then, in the same workspace, and ranked so the right people are asked first.

Ranking, in order of weight: people whose declared free period covers the lesson before people who
declared none (whose timetable is unknown: they may well be teaching), then within each the
requester's own mentor or group (they know the teacher and the goals), then fit (same subject, same grades, a strength in the focus), with fairness
pulling down people who observed often lately, so the same generous few are not asked every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.domain import Member
from bot.kernel.i18n import _, ngettext
from bot.observations.model import (
    DECLARED_FREE_WEIGHT,
    FAIRNESS_WEIGHT,
    FAIRNESS_WINDOW_DAYS,
    GRADE_WEIGHT,
    MAX_SUGGESTIONS,
    STRENGTH_WEIGHT,
    SUBJECT_WEIGHT,
    CandidateFacts,
    ObservationRequest,
    Preference,
)
from bot.observations.ports import ObservationRepository, Slot
from bot.observations.render import focus_words

PRESELECT = 25
"""How many the database returns for the final ranking: far more than the three shown."""


@dataclass(frozen=True)
class Suggestion:
    member_id: int
    display_name: str
    reasons: tuple[str, ...]
    score: float
    partner_role: str | None = None
    declared_free: bool = True
    """False for someone who declared no free periods: suggested, but never as "free then"."""

    def why(self) -> str:
        if self.reasons:
            return "; ".join(self.reasons)
        return _("free then") if self.declared_free else _("hasn't said when they're free")


def local_slots(timezones: list[str], starts_at: datetime, ends_at: datetime) -> dict[str, Slot]:
    """The lesson in each member time zone, since free periods are declared in each one's own time.

    A lesson that crosses midnight somewhere cannot fit a free period there, so that zone is left out.
    """
    slots: dict[str, Slot] = {}
    for name in timezones:
        zone = ZoneInfo(name)
        start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
        if start.date() == end.date():
            slots[name] = (start.weekday(), start.time().replace(tzinfo=None), end.time())
    return slots


def _fold(values: list[str] | tuple[str, ...]) -> set[str]:
    return {v.strip().lower() for v in values if v.strip()}


def preference(
    requester: Member,
    request: ObservationRequest,
    partners: dict[int, str],
    limit: int = PRESELECT,
) -> Preference:
    """The request's wishes: its subject (or the requester's), their grades, the focus, their people."""
    focus = request.focus.strip().lower()
    words = focus.split()
    terms = (focus,) if not words or words[0] == focus else (focus, words[0])
    return Preference(
        subjects=frozenset(
            _fold([request.subject]) if request.subject else _fold(requester.subjects)
        ),
        grades=frozenset(_fold(requester.grade_bands)),
        focus_terms=terms,
        partner_ids=frozenset(partners),
        limit=limit,
    )


def _focus_matches(terms: tuple[str, ...], strengths: tuple[str, ...]) -> bool:
    return any(term in s for s in _fold(strengths) for term in terms)


def rank(
    facts: list[CandidateFacts],
    requester: Member,
    request: ObservationRequest,
    partners: dict[int, str],
    limit: int = MAX_SUGGESTIONS,
) -> list[Suggestion]:
    """Best first; the reasons are in the language being spoken (the requester's)."""
    wish = preference(requester, request, partners)
    scored: list[tuple[tuple[int, int, float, int, int], Suggestion]] = []
    for fact in facts:
        reasons: list[str] = []
        score = 0.0
        role = partners.get(fact.member_id)
        if role:
            reasons.append(_("your mentor") if role == "mentor" else _("in your group"))
        shared = wish.subjects & _fold(fact.subjects)
        if shared:
            score += SUBJECT_WEIGHT
            subjects = ", ".join(sorted(s.title() for s in shared))
            reasons.append(_("teaches {subjects}").format(subjects=subjects))
        grades = wish.grades & _fold(fact.grade_bands)
        if grades:
            score += GRADE_WEIGHT
            reasons.append(_("same grades"))
        if _focus_matches(wish.focus_terms, fact.strengths):
            score += STRENGTH_WEIGHT
            reasons.append(_("strong in {focus}").format(focus=focus_words(request.focus)))
        if fact.declared_free:
            score += DECLARED_FREE_WEIGHT
            reasons.append(_("free period then"))
        score -= FAIRNESS_WEIGHT * fact.observed_lately
        reasons.append(
            _("hasn't observed lately")
            if fact.observed_lately == 0
            else ngettext(
                "observed {n}x lately", "observed {n}x lately", fact.observed_lately
            ).format(n=fact.observed_lately)
        )
        # Known to be free beats any fit: a perfect match who is teaching then cannot come.
        # Ties go to whoever joined first (lowest id): the same on every database, unlike names,
        # whose order depends on the database's collation.
        key = (
            0 if fact.declared_free else 1,
            0 if role else 1,
            -score,
            fact.observed_lately,
            fact.member_id,
        )
        suggestion = Suggestion(
            fact.member_id,
            fact.display_name,
            tuple(reasons),
            score,
            role,
            declared_free=fact.declared_free,
        )
        scored.append((key, suggestion))
    scored.sort(key=lambda pair: pair[0])
    return [s for _key, s in scored[:limit]]


def suggest_observers(
    repo: ObservationRepository,
    requester: Member,
    request: ObservationRequest,
    now: datetime,
    limit: int = MAX_SUGGESTIONS,
) -> list[Suggestion]:
    """Up to ``limit`` colleagues to ask, best first.

    People who declared a free period covering the lesson come first; only when fewer than ``limit``
    of them exist are people who declared no free periods at all considered (their timetable is
    unknown, so they are a second choice). People whose periods show they teach then never are.
    """
    assert requester.id is not None
    slots = local_slots(repo.member_timezones(), request.starts_at, request.ends_at)
    partners = dict(repo.partners_of(requester.id))
    wish = preference(requester, request, partners, max(PRESELECT, limit))

    def find(include_undeclared: bool) -> list[CandidateFacts]:
        assert requester.id is not None
        return repo.candidates(
            exclude_member_id=requester.id,
            slots=slots,
            starts_at=request.starts_at,
            ends_at=request.ends_at,
            fairness_since=now - timedelta(days=FAIRNESS_WINDOW_DAYS),
            include_undeclared=include_undeclared,
            preference=wish,
        )

    facts = find(False)
    if len(facts) < limit:
        facts = find(True)
    return rank(facts, requester, request, partners, limit)
