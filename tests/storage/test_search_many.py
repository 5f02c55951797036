"""The library's batch search answers every query exactly as one search each would, on both databases.

``search_many`` ranks the surfacing shape (any of the words, no filter, nobody's history) from one
read of the index rows; everything else it hands to ``search``. Ids, scores, pins and order must be
the same, with feedback, removals, pins, another workspace's resources, term weights and minimum
scores in play, and with the newest-``cap`` bound and the paged read both reached.
"""

from __future__ import annotations

import random
from functools import partial
from typing import Any

import pytest

from bot.kernel.domain import Member, Platform, Program
from bot.resources.model import Mark, Resource, ResourceQuery
from bot.resources.terms import query_terms
from staffroom.demo.synthetic_library import synthetic_library, synthetic_queries
from storage.repositories import resources as sql_resources
from storage.repositories.resources_search import SearchSpec

pytestmark = pytest.mark.postgres


def fill(app: Any) -> tuple[int, list[int], int]:
    """A library with feedback, removals and pins, and another school's resources beside it."""
    rng = random.Random(11)
    now = app.clock.now()
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "batch", "batch")
        other = uow.workspaces.ensure(Platform.CONSOLE, "elsewhere", "elsewhere")
        repos = uow.scope(ws.id)
        people = [
            repos.members.add(
                Member(workspace_id=ws.id, platform_user_id=f"p{i}", display_name=f"P {i}")
            )
            for i in range(8)
        ]
        ids = [p.id for p in people if p.id is not None]
        program = repos.programs.add(Program(workspace_id=ws.id, name="PLC"))
        assert program.id is not None
        for i, r in enumerate(synthetic_library(160, rng)):
            stored = repos.resources.add(
                Resource(
                    workspace_id=ws.id,
                    title=r.title,
                    url=r.url,
                    normalized_url=r.url,
                    note=r.note,
                    tags=list(r.tags),
                    subject=r.subject,
                    grade_band=r.grade_band,
                ),
                ids[i % len(ids)],
                now,
            )
            assert stored.id is not None
            for member in rng.sample(ids, k=rng.choice((0, 0, 1, 3, 6))):
                repos.resources.mark(stored.id, member, rng.choice(list(Mark)), now)
            if i % 23 == 0:
                stored.removed_at = now
                repos.resources.save(stored)
            if i % 17 == 0:
                repos.resources.pin(program.id, stored.id, ids[0], now)
        elsewhere = uow.scope(other.id)
        stranger = elsewhere.members.add(
            Member(workspace_id=other.id, platform_user_id="x", display_name="X")
        )
        assert stranger.id is not None
        for r in synthetic_library(40, random.Random(12)):
            elsewhere.resources.add(
                Resource(workspace_id=other.id, title=r.title, note=r.note, tags=list(r.tags)),
                stranger.id,
                now,
            )
        uow.commit()
    return ws.id, ids, program.id


def queries(people: list[int], program: int) -> list[ResourceQuery]:
    rng = random.Random(13)
    found: list[ResourceQuery] = []
    for i, words in enumerate(synthetic_queries(60, rng)):
        terms = query_terms(words)
        shape: dict[str, Any] = [
            {},
            {"program_ids": (program,)},
            {"term_weights": (3,) * (len(terms) // 2), "min_score": 10_000_000},
            {"program_ids": (program, 987654), "limit": 12},
            {"fresh_for_member": people[i % len(people)]},  # searched alone
            {"subject": "Maths"},  # searched alone
        ][i % 6]
        found.append(ResourceQuery(terms=terms, **shape))
    found += [
        ResourceQuery(terms=("zzznothing",)),
        ResourceQuery(terms=query_terms("feedback questioning"), limit=0),
        ResourceQuery(terms=query_terms("feedback feedback questioning"), match_all=True),
        ResourceQuery(terms=(), program_ids=(program,)),
    ]
    return found


def answers(app: Any, workspace_id: int, asked: list[ResourceQuery]) -> tuple[Any, Any]:
    with app.uow_factory() as uow:
        library = uow.scope(workspace_id).resources
        one_by_one = [library.search(q) for q in asked]
        together = library.search_many(asked)
    return one_by_one, together


def ranked(hits: list[Any]) -> list[tuple[int, int, bool]]:
    return [(h.resource.id, h.score, h.pinned) for h in hits]


def test_many_searches_answer_as_each_search_does(app: Any) -> None:
    workspace_id, people, program = fill(app)
    asked = queries(people, program)
    one_by_one, together = answers(app, workspace_id, asked)
    assert sum(1 for hits in one_by_one if hits) > 40  # a real comparison, pins included
    assert any(h.pinned for hits in one_by_one for h in hits)
    for query, alone, batched in zip(asked, one_by_one, together, strict=True):
        assert ranked(batched) == ranked(alone), query
        assert [h.resource for h in batched] == [h.resource for h in alone], query


def test_the_newest_cap_bound_and_a_paged_read_answer_the_same(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a cap of a few resources, which ones are candidates (the newest holding any word) and
    their idf decide the rank: the batch must bound them the same way across page boundaries."""
    workspace_id, people, program = fill(app)
    monkeypatch.setattr(sql_resources, "SearchSpec", partial(SearchSpec, cap=9))
    monkeypatch.setattr(sql_resources, "TOGETHER_PAGE", 7)
    asked = queries(people, program)
    one_by_one, together = answers(app, workspace_id, asked)
    assert sum(1 for hits in one_by_one if hits) > 20
    for query, alone, batched in zip(asked, one_by_one, together, strict=True):
        assert ranked(batched) == ranked(alone), query


def test_nothing_asked_and_an_empty_library_answer_nothing(app: Any) -> None:
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "empty", "empty")
        library = uow.scope(ws.id).resources
        assert library.search_many([]) == []
        assert library.search_many([ResourceQuery(terms=("feedback",))] * 2) == [[], []]
