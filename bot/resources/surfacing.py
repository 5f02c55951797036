"""Offering a resource at the right moment: after a reflection, with a check-in, in a pair's intro.

Other features call ``suggest_resources`` (or ``suggestion_blocks``) with the words of the moment; this
module adds the member's goals, leaves out what they already saw, shared or marked, and records what it
offers so the same resource is never offered twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.kernel.domain import Member
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Block, Section
from bot.kernel.ports import Scope
from bot.resources.model import Resource, ResourceQuery, ShownIn
from bot.resources.render import resource_list_blocks
from bot.resources.terms import query_terms, stem

MIN_SUGGESTION_SCORE = 10_000_000
"""About one term, not in most of the library, in a resource's notes (idf 1.0 x saturation 1.0 x
neutral feedback 10, each scaled by 1000 in ``storage.repositories.resources_search``): weaker matches
are not worth a nudge."""

GENERIC = frozenset(
    stem(w)
    for w in [
        "lesson",
        "lessons",
        "class",
        "classes",
        "student",
        "students",
        "pupil",
        "pupils",
        "kid",
        "kids",
        "today",
        "week",
        "yesterday",
        "tomorrow",
        "went",
        "well",
        "try",
        "next",
        "time",
        "thing",
        "things",
        "good",
        "bad",
        "better",
        "lot",
        "bit",
        "feel",
        "felt",
        "think",
        "thought",
        "want",
        "wanted",
        "need",
        "needed",
        "make",
        "made",
        "use",
        "used",
        "work",
        "worked",
        "day",
        "teach",
        "teaching",
        "teacher",
        "teachers",
        "school",
        "year",
        "more",
        "less",
        "one",
        "two",
        "three",
    ]
)
"""Words every reflection has: they would match everything and so say nothing about the moment."""

MAX_MOMENT_TERMS = 8
MAX_GOAL_TERMS = 6


MOMENT_WEIGHT = 3
"""The moment's words count three times a goal's: a reflection about behaviour should bring behaviour
resources even when the member also has a goal about differentiation."""


def suggestion_terms(member: Member, words: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The moment's words (weighted up: they are why we speak now), then the member's goals."""
    moment = [t for t in query_terms(words, limit=40) if t not in GENERIC][:MAX_MOMENT_TERMS]
    goals = [
        t
        for t in query_terms(" ".join(member.goals), limit=40)
        if t not in GENERIC and t not in moment
    ][:MAX_GOAL_TERMS]
    return (*moment, *goals), (MOMENT_WEIGHT,) * len(moment) + (1,) * len(goals)


def suggest_resources(
    repos: Scope,
    member: Member,
    words: str,
    limit: int = 2,
    *,
    now: datetime | None = None,
    shown_in: ShownIn = ShownIn.REFLECTION,
) -> list[Resource]:
    """At most ``limit`` (never more than two) fresh, relevant resources for this member now.

    Never one they shared, were shown before (in search or a suggestion), or marked; resources pinned for
    their programs come first. What is returned is recorded as shown, in the caller's unit of work, at
    ``now`` (default: the unit of work's clock).
    """
    if member.id is None or repos.resources.is_empty():
        return []
    terms, weights = suggestion_terms(member, words)
    if not terms:
        return []
    programs = tuple(m.program_id for m in repos.memberships.for_member(member.id))
    hits = repos.resources.search(
        ResourceQuery(
            terms=terms,
            term_weights=weights,
            program_ids=programs,
            fresh_for_member=member.id,
            min_score=MIN_SUGGESTION_SCORE,
            limit=max(0, min(limit, 2)),
        )
    )
    chosen = [h.resource for h in hits]
    repos.resources.record_shown(
        member.id, [r.id for r in chosen if r.id is not None], shown_in, now
    )
    return chosen


DEPTH = 12
"""How many ranked resources one shared search keeps for a batch: enough that two remain fresh for
nearly everyone; whoever has seen more of them gets a search of their own."""


def suggest_for_many(
    repos: Scope,
    asks: Sequence[tuple[Member, str]],
    *,
    now: datetime,
    shown_in: ShownIn,
    limit: int = 2,
) -> list[list[Resource]]:
    """``suggest_resources`` for many people at once (everyone introduced in a round), the same
    answers in a handful of statements rather than four a person.

    The rank of a resource does not depend on who searches, only what each person may be offered
    does: so one search serves everyone asking with the same words and programs (and the library
    ranks all those searches together, ``search_many``), one read finds
    what this batch already saw, marked or shared, and one insert records what is offered.
    """
    limit = max(0, min(limit, 2))
    if not asks or not limit or repos.resources.is_empty():
        return [[] for _ask in asks]
    ids = [m.id for m, _words in asks if m.id is not None]
    programs = repos.memberships.program_ids_of(ids)
    keys: list[tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]] | None] = []
    for member, words in asks:
        terms, weights = suggestion_terms(member, words)
        ok = member.id is not None and terms
        keys.append((terms, weights, programs.get(member.id or 0, ())) if ok else None)
    distinct = list(dict.fromkeys(k for k in keys if k is not None))
    searched = repos.resources.search_many(
        [
            ResourceQuery(
                terms=terms,
                term_weights=weights,
                program_ids=program_ids,
                min_score=MIN_SUGGESTION_SCORE,
                limit=DEPTH,
            )
            for terms, weights, program_ids in distinct
        ]
    )
    ranked = {key: [h.resource for h in hits] for key, hits in zip(distinct, searched, strict=True)}
    on_shelf = {r.id for found in ranked.values() for r in found if r.id is not None}
    seen = repos.resources.seen_by(ids, sorted(on_shelf))
    chosen: list[list[Resource]] = []
    shown: list[tuple[int, int]] = []
    for (member, _words), key in zip(asks, keys, strict=True):
        if key is None or member.id is None:
            chosen.append([])
            continue
        found = ranked[key]
        fresh = [r for r in found if (member.id, r.id) not in seen][:limit]
        if len(fresh) < limit and len(found) == DEPTH:  # saw most of the top: ask for them alone
            fresh = [
                h.resource
                for h in repos.resources.search(
                    ResourceQuery(
                        terms=key[0],
                        term_weights=key[1],
                        program_ids=key[2],
                        fresh_for_member=member.id,
                        min_score=MIN_SUGGESTION_SCORE,
                        limit=limit,
                    )
                )
            ]
        chosen.append(fresh)
        shown += [(member.id, r.id) for r in fresh if r.id is not None]
    repos.resources.record_shown_many(shown, shown_in, now)
    return chosen


SHARED_ON_THIS = N_("📚 Colleagues shared something on this:")


def suggestion_blocks(
    resources: Sequence[Resource], *, intro: str = SHARED_ON_THIS
) -> tuple[Block, ...]:
    """The suggestions as blocks to append to another feature's message; empty when there are none.
    ``intro`` is read in the language being spoken (a caller's already translated one stays as is)."""
    if not resources:
        return ()
    return (Section(_(intro)), *resource_list_blocks([(r, False) for r in resources]))


def suggestions_for(
    repos: Scope,
    member: Member,
    words: str,
    *,
    now: datetime,
    shown_in: ShownIn = ShownIn.REFLECTION,
    intro: str = SHARED_ON_THIS,
) -> tuple[Block, ...]:
    """``suggest_resources`` and ``suggestion_blocks`` in one call: what a feature appends to its reply."""
    return suggestion_blocks(
        suggest_resources(repos, member, words, now=now, shown_in=shown_in), intro=intro
    )
