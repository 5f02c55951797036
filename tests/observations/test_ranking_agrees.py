"""The database's pre-ordering (top N of thousands) must agree with the core's ranking, on both
databases: otherwise the three people suggested would depend on where the data lives."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.kernel.domain import Member, MemberStatus, Platform
from bot.observations.model import FreePeriod, ObservationRequest, RequestStatus
from bot.observations.suggest import local_slots, preference, rank
from staffroom.bootstrap import Staffroom
from storage.repositories import observer_candidates

pytestmark = pytest.mark.postgres  # the ranking is SQL

SUBJECTS = ("Maths", "English", "Science", "Art", "Français")
GRADES = ("6-8", "9-10", "11-12")
STRENGTHS = ("questioning", "classroom management", "engagement", "behaviour", "100% of_it")
PERIODS = ((time(9), time(10)), (time(10), time(11)), (time(9), time(11)), (time(13), time(14)))
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.mark.parametrize("page", [100, 7], ids=["one page", "pages of seven"])
def test_the_databases_top_candidates_are_the_cores_top_candidates(
    app: Staffroom, page: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With short pages, reading stops early on the bound and must still find the true best.
    monkeypatch.setattr(observer_candidates, "PAGE", page)
    rng = random.Random(5)
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "rank", "rank")
        repos = uow.scope(ws.id)
        people: list[Member] = []
        for i in range(120):
            people.append(
                repos.members.add(
                    Member(
                        workspace_id=ws.id,
                        platform_user_id=f"u{i}",
                        display_name=rng.choice(("Ana", "ben", "Émile", "zoe")) + f" {i % 7}",
                        timezone=rng.choice(("Europe/London", "America/Chicago")),
                        subjects=rng.sample(SUBJECTS, k=rng.choice((1, 2))),
                        grade_bands=rng.sample(GRADES, k=1),
                        strengths=rng.sample(STRENGTHS, k=rng.choice((0, 1, 2))),
                        status=rng.choice((MemberStatus.ACTIVE,) * 5 + (MemberStatus.PAUSED,)),
                        paused_until=NOW.date() + timedelta(days=rng.choice((-1, 30))),
                    )
                )
            )
        for person in people[30:]:  # the first 30 declare no free periods at all
            assert person.id is not None
            for weekday in range(5):
                start, end = rng.choice(PERIODS)
                repos.observations.add_free_period(FreePeriod(person.id, weekday, start, end))
        for _ in range(150):  # a history, so fairness differs between people
            requester, observer = rng.sample(people, k=2)
            when = NOW - timedelta(days=rng.randrange(1, 90))
            repos.observations.add_request(
                ObservationRequest(
                    workspace_id=ws.id,
                    requester_id=requester.id or 0,
                    observer_id=observer.id,
                    starts_at=when,
                    ends_at=when + timedelta(minutes=50),
                    timezone="Europe/London",
                    focus="engagement",
                    status=RequestStatus.DONE,
                )
            )
        uow.commit()

    with app.uow_factory() as uow:
        repos = uow.scope(ws.id)
        checked = mixed = 0
        for trial in range(12):
            requester = rng.choice(people)
            day = NOW + timedelta(days=1 + trial % 5)
            start, end = rng.choice(PERIODS)
            request = ObservationRequest(
                workspace_id=ws.id,
                requester_id=requester.id or 0,
                starts_at=datetime.combine(day.date(), start, tzinfo=UTC),
                ends_at=datetime.combine(day.date(), end, tzinfo=UTC),
                timezone="Europe/London",
                focus=rng.choice(
                    ("questioning", "classroom management", "100% of_it", "engagement")
                ),
                subject=rng.choice((None, "Français", "Maths")),
            )
            partners = {p.id or 0: "mentor" for p in rng.sample(people, k=2)}
            slots = local_slots(
                repos.observations.member_timezones(), request.starts_at, request.ends_at
            )
            wish = preference(requester, request, partners)

            for undeclared in (False, True):

                def facts(
                    limit: int, wish=wish, request=request, slots=slots, undeclared=undeclared
                ):
                    return repos.observations.candidates(
                        exclude_member_id=request.requester_id,
                        slots=slots,
                        starts_at=request.starts_at,
                        ends_at=request.ends_at,
                        fairness_since=NOW - timedelta(days=60),
                        include_undeclared=undeclared,
                        preference=replace(wish, limit=limit),
                    )

                facts_all = facts(10_000)
                everyone = [f.member_id for f in facts_all]
                # The database's own order of everyone is the core's order of everyone...
                ranked = rank(facts_all, requester, request, partners, 10_000)
                assert everyone == [s.member_id for s in ranked]
                # ...so its first five are the core's first five.
                assert [f.member_id for f in facts(5)] == everyone[:5]
                # Everyone with a declared free period then comes before anyone who declared none.
                flags = [s.declared_free for s in ranked]
                assert flags == sorted(flags, reverse=True)
                checked += len(everyone) > 5
                mixed += undeclared and len(set(flags)) == 2
        assert checked >= 12  # the trials really had candidates to order
        assert mixed >= 6  # and people who declared nothing to place after them
