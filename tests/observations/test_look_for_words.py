"""Look-fors are answered in words ("seen often" ... "didn't look"), stored as those words, and the
feedback never shows a number: not in chat, Slack blocks, Teams cards or the console; old 1-4 ratings
migrate to the nearest words."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from adapters.console.messenger import ConsoleMessenger
from adapters.console.render import render
from adapters.slack.blocks import message_blocks
from adapters.teams.cards import render_card
from bot.kernel.messages import Message, Section, unsaid
from staffroom.bootstrap import Staffroom
from storage.migrate import alembic_config, upgrade
from storage.models.observations import ObservationFeedbackRow
from tests.conftest import Person, fetch_all
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


def test_old_ratings_migrate_to_the_nearest_words_and_back(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0015")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    with engine.begin() as db:
        db.execute(
            sa.text(
                "INSERT INTO observation_feedback "
                "(id, workspace_id, request_id, strengths, suggestions, ratings, "
                "shared_with_mentor, created_at) "
                "VALUES (:id, 1, :id, 'kind', '[]', :ratings, 0, :at)"
            ),
            [
                {"id": 1, "ratings": json.dumps({"a": 1, "b": 2, "c": 3, "d": 4}), "at": now},
                {"id": 2, "ratings": json.dumps({}), "at": now},
                {"id": 3, "ratings": json.dumps({"odd": "seven"}), "at": now},
            ],
        )
    upgrade(engine, "head")
    with engine.connect() as db:
        rows = dict(
            db.execute(sa.text("SELECT id, look_fors_seen FROM observation_feedback")).all()
        )
    assert {k: json.loads(v) for k, v in rows.items()} == {
        1: {"a": "not seen yet", "b": "seen sometimes", "c": "seen often", "d": "seen often"},
        2: {},
        3: {},
    }
    command.downgrade(alembic_config(engine), "0015")
    with engine.connect() as db:
        back = dict(db.execute(sa.text("SELECT id, ratings FROM observation_feedback")).all())
    assert json.loads(back[1]) == {"a": 1, "b": 2, "c": 3, "d": 3}
    engine.dispose()
