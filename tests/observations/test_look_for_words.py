"""Look-fors are answered in words ("seen often" ... "didn't look"), stored as those words, and the
feedback never shows a number: not in chat, Slack blocks, Teams cards or the console; old 1-4 ratings
migrate to the nearest words."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from adapters.console.messenger import ConsoleMessenger
from adapters.console.render import render
from adapters.slack.blocks import message_blocks
from adapters.teams.cards import render_card
from bot.kernel.messages import Message, Section, unsaid
from staffroom.bootstrap import Staffroom
from storage.db import make_engine
from storage.migrate import alembic_config, upgrade
from storage.models.observations import ObservationFeedbackRow
from tests.conftest import PG_URL, Person, fetch_all
from tests.observations.helpers import button, last_to, reply_text, run_job, teacher

REQUEST = (
    "observe thu 10:15-11:00 focus: questioning look for: wait time, no hands up, exit tickets"
)
AFTER = datetime(2026, 11, 26, 11, 5, tzinfo=UTC)


def _feedback_section(message: Message) -> Section:
    (section,) = [b for b in message.blocks if isinstance(b, Section) and b.fields]
    return section


def _given(app: Staffroom, person: Person, messenger: ConsoleMessenger) -> Message:
    ana = teacher(person, "Ana Lopez")
    ben = teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    ana.press_button(button(ana.type(REQUEST).replies[0], "Ask Ben Okafor"))
    ben.press_button(button(last_to(messenger, "Ben Okafor"), "Accept"))
    run_job(app, messenger, AFTER)
    form = (
        ben.press_button(button(last_to(messenger, "Ben Okafor"), "Give feedback")).replies[0].form
    )
    assert form is not None
    questions = [i for i in form.inputs if i.name.startswith("seen_")]
    assert [unsaid(i.label) for i in questions] == [
        "“wait time”: how often did you see it?",
        "“no hands up”: how often did you see it?",
        "“exit tickets”: how often did you see it?",
    ]
    for question in questions:
        assert [o.label for o in question.options] == [
            "Seen often",
            "Seen sometimes",
            "Not seen yet",
            "Didn't look",
        ]
        assert not re.search(r"\d", question.label + "".join(o.label for o in question.options))
    # A typed number (what the old form took) is refused: the answer is a word.
    refused = ben.submit(
        form, {"strengths": "Calm start", "suggestion_1": "Cold call", "seen_0": "4"}
    )
    assert "seen often, seen sometimes" in refused.form_errors["seen_0"]
    assert fetch_all(app, ObservationFeedbackRow) == []
    sent = ben.submit(
        form,
        {
            "strengths": "Calm start, every question waited",
            "suggestion_1": "Cold call after the pause",
            "suggestion_2": "Collect the exit tickets at the door",
            "seen_0": "often",
            "seen_1": "didnt_look",
            "seen_2": "",
        },
    )
    assert sent.ok
    return last_to(messenger, "Ana Lopez")


def test_look_fors_are_answered_and_stored_in_words(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    feedback = _given(app, person, messenger)
    (row,) = fetch_all(app, ObservationFeedbackRow)
    assert row.look_fors_seen == {"wait time": "seen often", "no hands up": "didn't look"}
    fields = {unsaid(k): unsaid(v) for k, v in _feedback_section(feedback).fields}
    assert fields == {
        "Strengths": "Calm start, every question waited",
        "Next step": "Cold call after the pause",
        "Another next step": "Collect the exit tickets at the door",
        "wait time": "Seen often",
        "no hands up": "Didn't look",
    }


def test_feedback_shows_no_number_in_chat_slack_teams_or_the_console(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    feedback = _given(app, person, messenger)
    only_feedback = Message(text="feedback", blocks=(_feedback_section(feedback),))
    rendered = {
        "console": render(only_feedback)[0],
        "slack": json.dumps(message_blocks(only_feedback), ensure_ascii=False),
        "teams": json.dumps(render_card(only_feedback)["body"], ensure_ascii=False),
    }
    for where, text in rendered.items():
        assert "Seen often" in text and "Didn't look" in text, where
        assert not re.search(r"\d", text), (where, text)
    # Ana's own view of it later says the same words and no score.
    ana = person("Ana Lopez")
    (row,) = fetch_all(app, ObservationFeedbackRow)
    shown = reply_text(ana.type(f"observe show {row.request_id}"))
    assert "Seen often" in shown and "/4" not in shown and "1-4" not in shown


@contextmanager
def _empty_database(kind: str, tmp_path: Path) -> Iterator[sa.Engine]:
    """A database with nothing in it yet: a SQLite file, or a PostgreSQL schema of its own."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"migrate_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as db:
        db.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    engine = make_engine(f"{PG_URL}{separator}options=-csearch_path%3D{schema}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as db:
            db.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _old_feedback(db: sa.Connection, ratings: list[dict[str, Any]]) -> None:
    """Feedback rows as the 1-4 ratings stored them, with the workspace, people and lesson they need."""
    at = datetime(2026, 11, 1, tzinfo=UTC)
    db.execute(
        sa.text(
            "INSERT INTO workspaces (id, platform, external_id, name, active, created_at) "
            "VALUES (1, 'console', 'local', 'Local', true, :at)"
        ),
        {"at": at},
    )
    db.execute(
        sa.text(
            "INSERT INTO members (id, workspace_id, platform_user_id, display_name, timezone, role, "
            "subjects, grade_bands, goals, strengths, status, reachable, created_at, updated_at) "
            "VALUES (1, 1, 'u1', 'Ana', 'UTC', 'teacher', '[]', '[]', '[]', '[]', 'active', true, "
            ":at, :at)"
        ),
        {"at": at},
    )
    for i, rated in enumerate(ratings, 1):
        db.execute(
            sa.text(
                "INSERT INTO observation_requests (id, workspace_id, requester_id, starts_at, "
                "ends_at, class_name, focus, look_fors, status, created_at, updated_at, timezone) "
                "VALUES (:id, 1, 1, :at, :at, '', 'questioning', '', 'done', :at, :at, 'UTC')"
            ),
            {"id": i, "at": at},
        )
        db.execute(
            sa.text(
                "INSERT INTO observation_feedback (id, workspace_id, request_id, strengths, "
                "suggestions, ratings, shared_with_mentor, created_at) "
                "VALUES (:id, 1, :id, 'kind', '[]', :ratings, false, :at)"
            ),
            {"id": i, "ratings": json.dumps(rated), "at": at},
        )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


@pytest.mark.parametrize("kind", ["sqlite", "postgres"] if PG_URL else ["sqlite"])
def test_old_ratings_migrate_to_the_nearest_words_and_back(kind: str, tmp_path: Path) -> None:
    with _empty_database(kind, tmp_path) as engine:
        upgrade(engine, "0015")
        with engine.begin() as db:
            _old_feedback(db, [{"a": 1, "b": 2, "c": 3, "d": 4}, {}, {"odd": "seven"}])
        upgrade(engine, "head")
        with engine.connect() as db:
            rows = db.execute(sa.text("SELECT id, look_fors_seen FROM observation_feedback"))
            words = {row_id: _json(value) for row_id, value in rows}
        assert words == {
            1: {"a": "not seen yet", "b": "seen sometimes", "c": "seen often", "d": "seen often"},
            2: {},
            3: {},
        }
        command.downgrade(alembic_config(engine), "0015")
        with engine.connect() as db:
            back = dict(db.execute(sa.text("SELECT id, ratings FROM observation_feedback")).all())
        assert _json(back[1]) == {"a": 1, "b": 2, "c": 3, "d": 3}
