"""One sentence on why people were matched, built from the attributes they really share.

The same facts give two wordings: a neutral one for the coordinator's preview ("Ana and Ben both
teach Maths to 9-10; ...") and a personal one for each introduction ("You both teach Maths to 9-10;
Ana has 12 years' experience and you want help with classroom management").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.pairing.model import Candidate, Group, Proposal
from bot.pairing.scoring import overlap_hours, utc_offset_hours
from bot.pairing.topics import label, topics_of


@dataclass(frozen=True)
class Facts:
    subjects: tuple[str, ...]
    grades: tuple[str, ...]
    same_school: str | None
    different_schools: bool
    overlap: float
    shared_goal_topics: tuple[str, ...]


def _common(values: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Items every person lists (case-insensitive), in the first person's spelling and order."""
    if not values:
        return ()
    rest = [{v.lower() for v in other} for other in values[1:]]
    return tuple(v for v in values[0] if all(v.lower() in r for r in rest))


def facts(people: Sequence[Candidate], now: datetime) -> Facts:
    offsets = [utc_offset_hours(p.timezone, now) for p in people]
    schools = {p.school.strip().lower() for p in people if p.school}
    goal_sets = [topics_of(p.goals) for p in people]
    shared_goals = frozenset.intersection(*goal_sets) if goal_sets else frozenset()
    return Facts(
        subjects=_common([p.subjects for p in people]),
        grades=_common([p.grades for p in people]),
        same_school=people[0].school
        if len(schools) == 1 and all(p.school for p in people)
        else None,
        different_schools=len(schools) == len(people) and len(people) > 1,
        overlap=min(overlap_hours(a, b) for a in offsets for b in offsets),
        shared_goal_topics=tuple(sorted(shared_goals)),
    )


def _teach(f: Facts) -> str:
    subject = " and ".join(f.subjects[:2])
    grade = " and ".join(f.grades[:2])
    if subject and grade:
        return f"teach {subject} to {grade}"
    if subject:
        return f"teach {subject}"
    if grade:
        return f"teach {grade}"
    return ""


def _years(years: int | None) -> str:
    if years is None:
        return "experience"
    return f"{years} year{'s' if years != 1 else ''}' experience"


def _help_with(mentor: Candidate, mentee: Candidate) -> tuple[str, str] | None:
    """(mentee's goal as written, the topic the mentor's strengths cover), if any."""
    strengths = topics_of(mentor.strengths)
    for goal in mentee.goals:
        covered = topics_of([goal]) & strengths
        if covered:
            return goal, label(sorted(covered)[0])
    return None


def _time_and_place(f: Facts) -> str:
    bits = []
    if f.same_school:
        bits.append(f"you're both at {f.same_school}")
    elif f.different_schools:
        bits.append("you're at different schools, so you'll bring fresh perspectives")
    if f.overlap >= 9:
        bits.append("you share a time zone")
    elif f.overlap > 0:
        bits.append(f"your working days overlap by {f.overlap:g} hours")
    return " and ".join(bits)


def mentoring_sentence(
    mentor: Candidate, mentee: Candidate, now: datetime, *, to: Candidate | None
) -> str:
    """Why a mentor and a mentee were matched, for the coordinator (``to=None``) or one of them."""
    f = facts([mentor, mentee], now)
    parts = []
    teach = _teach(f)
    help_with = _help_with(mentor, mentee)
    if to is None:
        if teach:
            parts.append(f"{mentor.name} and {mentee.name} both {teach}")
        wants = (
            f"{mentee.name} wants help with {help_with[1]}, one of {mentor.name}'s strengths"
            if help_with
            else f"{mentee.name} is newer to teaching"
        )
        parts.append(f"{mentor.name} has {_years(mentor.years)} and {wants}")
    elif to.member_id == mentee.member_id:
        if teach:
            parts.append(f"You both {teach}")
        wants = f"you want help with {help_with[1]}" if help_with else "you're newer to teaching"
        parts.append(f"{mentor.name} has {_years(mentor.years)} and {wants}")
    else:
        if teach:
            parts.append(f"You both {teach}")
        if help_with:
            parts.append(
                f"{mentee.name} wants help with {help_with[1]}, which is one of your strengths"
            )
        else:
            parts.append(
                f"{mentee.name} is newer to teaching and will value your {_years(to.years)}"
            )
    place = _time_and_place(f)
    if place and to is not None:
        parts.append(place)
    return _sentence(parts)


def peer_sentence(people: Sequence[Candidate], now: datetime, *, to: Candidate | None) -> str:
    """Why peers were grouped: what they share, whose strengths meet whose goals."""
    f = facts(people, now)
    others = [p for p in people if to is None or p.member_id != to.member_id]
    names = _names([p.name for p in others])
    everyone = "You all" if to is not None and len(people) > 2 else "You both"
    if to is None:
        everyone = f"{_names([p.name for p in people])} {'both' if len(people) == 2 else 'all'}"
    parts = []
    teach = _teach(f)
    if teach:
        parts.append(f"{everyone} {teach}")
    else:
        subjects = sorted({s for p in people for s in p.subjects[:1]})
        if len(subjects) > 1:
            parts.append(f"a deliberate mix of subjects ({', '.join(subjects)})")
    if f.shared_goal_topics:
        topics = " and ".join(label(t) for t in f.shared_goal_topics[:2])
        both = "both" if len(people) == 2 else "all"
        parts.append(f"{'you' if to is not None else 'they'} {both} want to work on {topics}")
    else:
        for giver in people:
            for taker in people:
                if giver is taker:
                    continue
                covered = topics_of(taker.goals) & topics_of(giver.strengths)
                if covered:
                    topic = label(sorted(covered)[0])
                    who = "your" if to is not None and giver.member_id == to.member_id else None
                    if to is not None and taker.member_id == to.member_id:
                        parts.append(
                            f"{giver.name} is strong in {topic}, which you want to work on"
                        )
                    elif who:
                        parts.append(
                            f"{taker.name} wants to work on {topic}, one of your strengths"
                        )
                    else:
                        parts.append(
                            f"{giver.name}'s strength in {topic} meets {taker.name}'s goal"
                        )
                    break
            else:
                continue
            break
    place = _time_and_place(f)
    if place and to is not None:
        parts.append(place)
    if not parts:
        parts.append(f"{'You' if to is not None else names} were the best fit available this round")
    return _sentence(parts)


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _sentence(parts: Sequence[str]) -> str:
    text = "; ".join(p for p in parts if p)
    return text[:1].upper() + text[1:] + "."


def group_sentence(
    group: Group, people: dict[int, Candidate], now: datetime, *, to: Candidate | None = None
) -> str:
    members = [people[m] for m in group.member_ids]
    if group.mentor_id is not None:
        mentor = people[group.mentor_id]
        mentee = next(p for p in members if p.member_id != group.mentor_id)
        text = mentoring_sentence(mentor, mentee, now, to=to)
    else:
        text = peer_sentence(members, now, to=to)
    if group.repeat:
        text = text[:-1] + " (you met recently, but nobody else was free this round)."
    return text


def explained(
    proposal: Proposal, candidates: Sequence[Candidate], now: datetime, *, limit: int | None = None
) -> Proposal:
    """The proposal with its groups' coordinator-facing reasons filled in: every group's, or with
    ``limit`` the first ones only (a preview shows forty of a district's thousands)."""
    people = {c.member_id: c for c in candidates}
    count = len(proposal.groups) if limit is None else limit
    proposal.groups = [
        replace(g, reason=group_sentence(g, people, now)) if k < count else g
        for k, g in enumerate(proposal.groups)
    ]
    return proposal
