"""Ranking: the expected order on a small corpus, feedback moving it, and workspaces kept apart."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.kernel.domain import Member, Platform
from bot.kernel.ports import Scope
from bot.resources.model import Mark, Resource, ResourceQuery
from bot.resources.terms import query_terms
from staffroom.bootstrap import Staffroom
from storage.repositories.resources_search import SATURATION, idf

pytestmark = pytest.mark.postgres  # search is written once per database

CORPUS = (
    # title, tags, note
    ("Wait time for better questioning", ["questioning"], ""),
    ("Seating plans", [], "Questioning during seating changes"),
    ("Questioning ladder", ["questioning"], "Questions that climb, questions that stretch"),
    ("Group roles", ["questioning"], ""),
    ("Exit tickets", ["assessment"], "Three questions at the door"),
)


@contextmanager
def scope(app: Staffroom, workspace: str = "local") -> Iterator[Scope]:
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, workspace, workspace)
        yield uow.scope(ws.id)
        uow.commit()


def add_people(app: Staffroom, count: int, workspace: str = "local") -> list[int]:
    with scope(app, workspace) as repos:
        ids = []
        for i in range(count):
            m = repos.members.add(
                Member(
                    workspace_id=repos.workspace_id,
                    platform_user_id=f"u{i}",
                    display_name=f"Teacher {i}",
                )
            )
            assert m.id is not None
            ids.append(m.id)
        return ids


def load(app: Staffroom, sharer: int, workspace: str = "local") -> list[int]:
    with scope(app, workspace) as repos:
        ids = []
        for i, (title, tags, note) in enumerate(CORPUS):
            stored = repos.resources.add(
                Resource(
                    workspace_id=repos.workspace_id,
                    title=title,
                    tags=tags,
                    note=note,
                    url=f"https://example.org/{workspace}/{i}",
                    normalized_url=f"example.org/{workspace}/{i}",
                ),
                sharer,
                app.clock.now(),
            )
            assert stored.id is not None
            ids.append(stored.id)
        return ids


def search(app: Staffroom, words: str, workspace: str = "local") -> list[tuple[str, int]]:
    with scope(app, workspace) as repos:
        hits = repos.resources.search(ResourceQuery(terms=query_terms(words)))
        return [(h.resource.title, h.score) for h in hits]


def test_field_weights_order_a_one_word_query(app: Staffroom) -> None:
    (ana,) = add_people(app, 1)
    load(app, ana)
    found = search(app, "questioning")
    assert [t for t, _ in found] == [
        "Questioning ladder",  # title + tags + note
        "Wait time for better questioning",  # title + tags
        "Group roles",  # tags
        "Seating plans",  # note
        "Exit tickets",  # note ("questions")
    ]
    # 5 live resources, "question" in all 5: every score is idf(5, 5) x saturation x neutral feedback.
    assert [s for _, s in found] == [idf(5, 5) * SATURATION[f] * 10 for f in (6, 5, 2, 1, 1)]


def test_rare_words_outweigh_common_ones(app: Staffroom) -> None:
    (ana,) = add_people(app, 1)
    load(app, ana)
    found = search(app, "questioning seating")
    assert found[0][0] == "Seating plans"
    assert search(app, "volcanoes") == []


def test_helpful_marks_lift_and_unhelpful_marks_sink(app: Staffroom) -> None:
    people = add_people(app, 12)
    ids = load(app, people[0])
    roles, ladder = ids[3], ids[2]
    with scope(app) as repos:
        for member in people[1:11]:
            repos.resources.mark(roles, member, Mark.HELPFUL, app.clock.now())
        for member in people[1:4]:
            repos.resources.mark(ladder, member, Mark.UNHELPFUL, app.clock.now())
    order = [t for t, _ in search(app, "questioning")]
    assert order == [
        "Group roles",
        "Wait time for better questioning",
        "Seating plans",
        "Exit tickets",
        "Questioning ladder",
    ]
    # Changing one's mind moves the counters back: one less unhelpful mark lifts the ladder a little.
    with scope(app) as repos:
        repos.resources.mark(ladder, people[1], Mark.HELPFUL, app.clock.now())
        resource = repos.resources.get(ladder)
        assert resource is not None
        assert (resource.helpful_count, resource.unhelpful_count) == (1, 2)


def test_ties_go_to_the_lower_id_and_removed_ones_disappear(app: Staffroom) -> None:
    (ana,) = add_people(app, 1)
    ids = load(app, ana)
    found = search(app, "questions")
    assert [t for t, _ in found][-2:] == ["Seating plans", "Exit tickets"]  # equal scores, by id
    with scope(app) as repos:
        seating = repos.resources.get(ids[1])
        assert seating is not None
        seating.removed_at = app.clock.now()
        repos.resources.save(seating)
    assert "Seating plans" not in [t for t, _ in search(app, "questions")]


def test_an_edit_is_searchable_at_once(app: Staffroom) -> None:
    (ana,) = add_people(app, 1)
    ids = load(app, ana)
    with scope(app) as repos:
        exit_tickets = repos.resources.get(ids[4])
        assert exit_tickets is not None
        exit_tickets.tags = ["plenary"]
        repos.resources.save(exit_tickets)
    assert [t for t, _ in search(app, "plenaries")] == ["Exit tickets"]
    assert [t for t, _ in search(app, "assessment")] == []


def test_workspaces_never_see_each_other(app: Staffroom) -> None:
    (ana,) = add_people(app, 1, "school-a")
    (ben,) = add_people(app, 1, "school-b")
    load(app, ana, "school-a")
    with scope(app, "school-b") as repos:
        repos.resources.add(
            Resource(workspace_id=repos.workspace_id, title="Questioning in school B"),
            ben,
            app.clock.now(),
        )
    assert [t for t, _ in search(app, "questioning", "school-b")] == ["Questioning in school B"]
    assert len(search(app, "questioning", "school-a")) == 5


def test_most_helpful_counts_marks_made_in_the_period(app: Staffroom) -> None:
    from datetime import timedelta

    people = add_people(app, 4)
    ids = load(app, people[0])
    now = app.clock.now()
    with scope(app) as repos:
        repos.resources.mark(ids[0], people[1], Mark.HELPFUL, now - timedelta(days=10))
        repos.resources.mark(ids[1], people[1], Mark.HELPFUL, now - timedelta(days=1))
        repos.resources.mark(ids[1], people[2], Mark.HELPFUL, now - timedelta(days=2))
        repos.resources.mark(ids[2], people[2], Mark.HELPFUL, now - timedelta(days=3))
        repos.resources.mark(ids[3], people[3], Mark.UNHELPFUL, now - timedelta(days=1))
        top = repos.resources.most_helpful(now - timedelta(days=7), now)
    assert [(h.resource.title, h.helpful) for h in top] == [
        ("Seating plans", 2),
        ("Questioning ladder", 1),
    ]


def test_the_plan_hint_never_changes_the_answer(app: Staffroom) -> None:
    """PostgreSQL walks newest-first for common words and asks GIN for rare ones, first among the
    newest ids when asked to (a window holding enough hits, too few, or none): same rows every way."""
    from sqlalchemy import text

    from storage.repositories.resources_search import SearchSpec, ranked_search_sql

    people = add_people(app, 3)
    ids = load(app, people[0])
    with scope(app) as repos:
        repos.resources.mark(ids[3], people[1], Mark.HELPFUL, app.clock.now())
    with app.engine.connect() as connection:
        ws = connection.execute(
            text("SELECT id FROM workspaces WHERE external_id = 'local'")
        ).scalar()
        assert isinstance(ws, int)
        for words, match_all in (
            ("questioning", True),
            ("questions seating", False),
            ("exit", True),
        ):
            answers = []
            hints = [(True, 0), (False, 0), *((False, ids[-1] - n) for n in (1, 2, 3, 5))]
            for dense, newer_than in hints:
                for cap in (2000, 2):
                    spec = SearchSpec(
                        workspace_id=ws,
                        terms=query_terms(words),
                        match_all=match_all,
                        dense=dense,
                        newer_than=newer_than,
                        cap=cap,
                    )
                    sql, params = ranked_search_sql(app.engine.dialect.name, spec)
                    answers.append((cap, list(connection.execute(text(sql), params))))
            full = [a for cap, a in answers if cap == 2000]
            capped = [a for cap, a in answers if cap == 2]
            assert all(a == full[0] for a in full), words
            assert all(a == capped[0] for a in capped), words
            # A cap of two ranks the two newest hits only.
            assert {row[0] for row in capped[0]} <= set(sorted(ids, reverse=True)[:5])
            assert len(capped[0]) <= 2
