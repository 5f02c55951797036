"""One sentence on why people were matched, built from the attributes they really share.

The same facts give two wordings: a neutral one for the coordinator's preview ("Ana and Ben both
teach Maths to 9-10; ...") and a personal one for each introduction ("You both teach Maths to 9-10;
Ana has 12 years' experience and you want help with classroom management").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.kernel.i18n import _, and_list, ngettext, number
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


Who = str
"""Whom a "teach" clause is about: ``named_both``, ``named_all`` (the coordinator's wording, with
``names``), ``you_both`` or ``you_all`` (an introduction's)."""


def _teach(f: Facts, who: Who, names: str = "") -> str:
    """What everyone teaches, as one whole clause (Spanish orders it differently)."""
    subject = and_list(f.subjects[:2])
    grade = and_list(f.grades[:2])
    if subject and grade:
        forms = {
            "named_both": _("{names} both teach {subjects} to {grades}"),
            "named_all": _("{names} all teach {subjects} to {grades}"),
            "you_both": _("You both teach {subjects} to {grades}"),
            "you_all": _("You all teach {subjects} to {grades}"),
        }
    elif subject:
        forms = {
            "named_both": _("{names} both teach {subjects}"),
            "named_all": _("{names} all teach {subjects}"),
            "you_both": _("You both teach {subjects}"),
            "you_all": _("You all teach {subjects}"),
        }
    elif grade:
        forms = {
            "named_both": _("{names} both teach {grades}"),
            "named_all": _("{names} all teach {grades}"),
            "you_both": _("You both teach {grades}"),
            "you_all": _("You all teach {grades}"),
        }
    else:
        return ""
    return forms[who].format(names=names, subjects=subject, grades=grade)


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
        bits.append(_("you're both at {school}").format(school=f.same_school))
    elif f.different_schools:
        bits.append(_("you're at different schools, so you'll bring fresh perspectives"))
    if f.overlap >= 9:
        bits.append(_("you share a time zone"))
    elif f.overlap > 0:
        bits.append(
            ngettext(
                "your working days overlap by {hours} hour",
                "your working days overlap by {hours} hours",
                math.ceil(f.overlap),
            ).format(hours=number(f.overlap))
        )
    return and_list(bits)


def _mentor_side(mentor: Candidate, mentee: Candidate, help_with: str | None) -> str:
    """The coordinator's clause: the mentor's experience and what the mentee wants from it."""
    names = {"mentor": mentor.name, "mentee": mentee.name}
    if mentor.years is None:
        if help_with:
            return _(
                "{mentor} has experience and {mentee} wants help with {topic}, one of "
                "{mentor}'s strengths"
            ).format(topic=help_with, **names)
        return _("{mentor} has experience and {mentee} is newer to teaching").format(**names)
    if help_with:
        return ngettext(
            "{mentor} has {years} year's experience and {mentee} wants help with {topic}, one "
            "of {mentor}'s strengths",
            "{mentor} has {years} years' experience and {mentee} wants help with {topic}, one "
            "of {mentor}'s strengths",
            mentor.years,
        ).format(years=mentor.years, topic=help_with, **names)
    return ngettext(
        "{mentor} has {years} year's experience and {mentee} is newer to teaching",
        "{mentor} has {years} years' experience and {mentee} is newer to teaching",
        mentor.years,
    ).format(years=mentor.years, **names)


def _to_mentee(mentor: Candidate, help_with: str | None) -> str:
    """The mentee's clause: their mentor's experience and what they want from it."""
    if mentor.years is None:
        if help_with:
            return _("{mentor} has experience and you want help with {topic}").format(
                mentor=mentor.name, topic=help_with
            )
        return _("{mentor} has experience and you're newer to teaching").format(mentor=mentor.name)
    if help_with:
        return ngettext(
            "{mentor} has {years} year's experience and you want help with {topic}",
            "{mentor} has {years} years' experience and you want help with {topic}",
            mentor.years,
        ).format(mentor=mentor.name, years=mentor.years, topic=help_with)
    return ngettext(
        "{mentor} has {years} year's experience and you're newer to teaching",
        "{mentor} has {years} years' experience and you're newer to teaching",
        mentor.years,
    ).format(mentor=mentor.name, years=mentor.years)


def _to_mentor(mentee: Candidate, mentor: Candidate, help_with: str | None) -> str:
    """The mentor's clause: what the mentee wants, and what the mentor brings to it."""
    if help_with:
        return _("{mentee} wants help with {topic}, which is one of your strengths").format(
            mentee=mentee.name, topic=help_with
        )
    if mentor.years is None:
        return _("{mentee} is newer to teaching and will value your experience").format(
            mentee=mentee.name
        )
    return ngettext(
        "{mentee} is newer to teaching and will value your {years} year's experience",
        "{mentee} is newer to teaching and will value your {years} years' experience",
        mentor.years,
    ).format(mentee=mentee.name, years=mentor.years)


def mentoring_sentence(
    mentor: Candidate, mentee: Candidate, now: datetime, *, to: Candidate | None
) -> str:
    """Why a mentor and a mentee were matched, for the coordinator (``to=None``) or one of them."""
    f = facts([mentor, mentee], now)
    parts = []
    found = _help_with(mentor, mentee)
    topic = found[1] if found else None
    if to is None:
        parts.append(_teach(f, "named_both", and_list([mentor.name, mentee.name])))
        parts.append(_mentor_side(mentor, mentee, topic))
    elif to.member_id == mentee.member_id:
        parts.append(_teach(f, "you_both"))
        parts.append(_to_mentee(mentor, topic))
    else:
        parts.append(_teach(f, "you_both"))
        parts.append(_to_mentor(mentee, to, topic))
    place = _time_and_place(f)
    if place and to is not None:
        parts.append(place)
    return _sentence(parts)


def _shared_goals(topics: str, *, to_someone: bool, pair: bool) -> str:
    if to_someone:
        if pair:
            return _("you both want to work on {topics}").format(topics=topics)
        return _("you all want to work on {topics}").format(topics=topics)
    if pair:
        return _("they both want to work on {topics}").format(topics=topics)
    return _("they all want to work on {topics}").format(topics=topics)


def peer_sentence(people: Sequence[Candidate], now: datetime, *, to: Candidate | None) -> str:
    """Why peers were grouped: what they share, whose strengths meet whose goals."""
    f = facts(people, now)
    others = [p for p in people if to is None or p.member_id != to.member_id]
    pair = len(people) == 2
    if to is None:
        who = "named_both" if pair else "named_all"
    else:
        who = "you_all" if len(people) > 2 else "you_both"
    parts = []
    teach = _teach(f, who, and_list([p.name for p in people]))
    if teach:
        parts.append(teach)
    else:
        subjects = sorted({s for p in people for s in p.subjects[:1]})
        if len(subjects) > 1:
            parts.append(
                _("a deliberate mix of subjects ({subjects})").format(subjects=", ".join(subjects))
            )
    if f.shared_goal_topics:
        topics = and_list([label(t) for t in f.shared_goal_topics[:2]])
        parts.append(_shared_goals(topics, to_someone=to is not None, pair=pair))
    else:
        for giver in people:
            for taker in people:
                if giver is taker:
                    continue
                covered = topics_of(taker.goals) & topics_of(giver.strengths)
                if covered:
                    topic = label(sorted(covered)[0])
                    if to is not None and taker.member_id == to.member_id:
                        parts.append(
                            _("{giver} is strong in {topic}, which you want to work on").format(
                                giver=giver.name, topic=topic
                            )
                        )
                    elif to is not None and giver.member_id == to.member_id:
                        parts.append(
                            _("{taker} wants to work on {topic}, one of your strengths").format(
                                taker=taker.name, topic=topic
                            )
                        )
                    else:
                        parts.append(
                            _("{giver}'s strength in {topic} meets {taker}'s goal").format(
                                giver=giver.name, topic=topic, taker=taker.name
                            )
                        )
                    break
            else:
                continue
            break
    place = _time_and_place(f)
    if place and to is not None:
        parts.append(place)
    if not parts:
        if to is not None:
            parts.append(_("You were the best fit available this round"))
        else:
            parts.append(
                _("{names} were the best fit available this round").format(
                    names=and_list([p.name for p in others])
                )
            )
    return _sentence(parts)


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
        text = _("{reason} (you met recently, but nobody else was free this round).").format(
            reason=text[:-1]
        )
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
