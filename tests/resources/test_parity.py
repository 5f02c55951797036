"""The same library answers the same on SQLite and PostgreSQL: same resources, same order, same scores."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import Engine

from bot.kernel.clock import ManualClock
from bot.kernel.domain import Member, Platform, Program
from bot.kernel.settings import Settings
from bot.resources.model import Mark, Resource, ResourceQuery
from bot.resources.terms import query_terms, slug
from staffroom.bootstrap import Staffroom, build
from staffroom.demo.synthetic_library import TOPICS, synthetic_library, synthetic_queries
from tests.conftest import PG_URL, START, shared_engine

pytestmark = pytest.mark.skipif(not PG_URL, reason="set STAFFROOM_TEST_POSTGRES_URL")

Result = list[tuple[int, int, bool]]


@pytest.fixture
def both(
    sqlite_url: str, postgres_url: str, engines: dict[str, Engine]
) -> tuple[Staffroom, Staffroom]:
    return tuple(  # type: ignore[return-value]
        build(
            Settings(database_url=url), clock=ManualClock(START), engine=shared_engine(engines, url)
        )
        for url in (sqlite_url, postgres_url)
    )


def fill(app: Staffroom, seed: int) -> tuple[int, list[int], int]:
    """A library with feedback, removals and a pin, built by the same calls on either database."""
    rng = random.Random(seed)
    now = app.clock.now()
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "parity", "parity")
        other = uow.workspaces.ensure(Platform.CONSOLE, "elsewhere", "elsewhere")
        repos = uow.scope(ws.id)
        people = [
            repos.members.add(
                Member(workspace_id=ws.id, platform_user_id=f"p{i}", display_name=f"P {i}")
            )
            for i in range(12)
        ]
        ids = [p.id for p in people if p.id is not None]
        program = repos.programs.add(Program(workspace_id=ws.id, name="PLC"))
        assert program.id is not None
        items = [
            Resource(
                workspace_id=ws.id,
                title=r.title,
                url=r.url,
                normalized_url=r.url,
                note=r.note,
                tags=list(r.tags),
                subject=r.subject,
                grade_band=r.grade_band,
            )
            for r in synthetic_library(250, rng)
        ]
        for i, item in enumerate(items):
            stored = repos.resources.add(item, ids[i % len(ids)], now)
            assert stored.id is not None
            for member in rng.sample(ids, k=rng.choice((0, 0, 0, 1, 2, 5))):
                repos.resources.mark(stored.id, member, rng.choice(list(Mark)), now)
            if i % 37 == 0:
                stored.removed_at = now
                repos.resources.save(stored)
            if i % 29 == 0:
                repos.resources.pin(program.id, stored.id, ids[0], now)
        # The same words in another workspace must change nothing here.
        elsewhere = uow.scope(other.id)
        stranger = elsewhere.members.add(
            Member(workspace_id=other.id, platform_user_id="x", display_name="X")
        )
        assert stranger.id is not None
        for r in synthetic_library(50, random.Random(seed + 1)):
            elsewhere.resources.add(
                Resource(workspace_id=other.id, title=r.title, note=r.note, tags=list(r.tags)),
                stranger.id,
                now,
            )
        uow.commit()
    return ws.id, ids, program.id


def run(app: Staffroom, workspace_id: int, queries: list[ResourceQuery]) -> list[Result]:
    with app.uow_factory() as uow:
        repos = uow.scope(workspace_id)
        return [
            [(h.resource.id or 0, h.score, h.pinned) for h in repos.resources.search(q)]
            for q in queries
        ]


def test_identical_results_and_order_on_sqlite_and_postgresql(
    both: tuple[Staffroom, Staffroom],
) -> None:
    lite, pg = both
    ws_lite, people, program = fill(lite, seed=3)
    ws_pg, people_pg, program_pg = fill(pg, seed=3)
    assert (ws_lite, people, program) == (ws_pg, people_pg, program_pg)
    rng = random.Random(5)
    queries = []
    for i, words in enumerate(synthetic_queries(120, rng)):
        filters: dict[str, object] = [
            {},
            {"subject": "Maths"},
            {"grade_band": "6-8"},
            {"tag": slug(rng.choice(TOPICS))},
            {"program_ids": (program,)},
            {"fresh_for_member": people[i % len(people)], "min_score": 10_000_000},
        ][i % 6]
        queries.append(ResourceQuery(terms=query_terms(words), limit=10, **filters))  # type: ignore[arg-type]
    queries.append(ResourceQuery(terms=(), program_ids=(program,), limit=10))
    queries.append(ResourceQuery(terms=query_terms("feedback questioning"), term_weights=(3, 1)))
    on_sqlite, on_postgres = run(lite, ws_lite, queries), run(pg, ws_pg, queries)
    assert sum(1 for r in on_sqlite if r) > 90  # most queries find something: a real comparison
    assert any(any(pinned for _, _, pinned in r) for r in on_sqlite)
    for query, a, b in zip(queries, on_sqlite, on_postgres, strict=True):
        assert a == b, query
