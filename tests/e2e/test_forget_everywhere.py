"""forget-me means gone: after it, no column of any table holds the person's name, address, user id
or the words they wrote, whoever the row was for."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.console.messenger import ConsoleMessenger
from bot.kernel.domain import Platform
from staffroom.bootstrap import Staffroom
from storage.models.base import Base
from storage.models.observations import ObservationFeedbackRow
from tests.conftest import Person, fetch_all
from tests.e2e.test_pairing_flows import setup_program
from tests.observations.helpers import button, last_to, run_job

pytestmark = pytest.mark.postgres  # erasure runs through every table and its foreign keys

NAME = "Zebulon Quixote"
SECRETS = (
    "Zebulon",
    "Quixote",
    "zeb@quixote.example",
    "zebulon-quixote",  # the console user id
    "Zebgoal tangram fluency",
    "Zebfocus cold calling",
    "Zeblook wait time",
    "Zebclass 9Q",
    "Zebreflection about my week",
)


def every_value(app: Staffroom) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-empty value in the database."""
    found = []
    with app.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                for column, value in row.items():
                    if value is None:
                        continue
                    text = value if isinstance(value, str) else json.dumps(value, default=str)
                    found.append((table.name, column, text))
    return found


def test_nothing_in_any_table_names_them_or_keeps_their_words(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    from tests.e2e.test_pairing_flows import TEACHERS

    TEACHERS[NAME] = {**TEACHERS["Ben Okafor"], "goals": "Zebgoal tangram fluency"}
    try:
        maya, people = setup_program(app, person, names=("Ana Lopez", NAME))
    finally:
        del TEACHERS[NAME]
    zeb, ana = people[NAME], people["Ana Lopez"]
    assert zeb.type("profile set email=zeb@quixote.example").ok
    assert ana.type("free add thu 10:00-11:30").ok
    assert maya.type("pair publish Year 8 Circle").ok  # Ana's introduction names Zebulon
    deliver = app.worker({Platform.CONSOLE: messenger}, worker_id="t").drain
    deliver()

    # Zebulon asks Ana to observe (the ask carries his focus, class and look-fors) ...
    draft = zeb.type(
        'observe thu 10:15-11:00 focus: Zebfocus cold calling "Zebclass 9Q" '
        "look for: Zeblook wait time"
    )
    zeb.press_button(button(draft.replies[0], "Ask Ana Lopez"))
    deliver()
    ana.press_button(button(last_to(messenger, "Ana Lopez"), "Accept"))
    deliver()
    # ... and writes a reflection he shares with his partner.
    form = zeb.type("reflect").replies[0].form
    assert form is not None
    values = {i.name: i.initial or "" for i in form.inputs}
    text_field = next(i.name for i in form.inputs if i.kind.value == "multiline")
    values[text_field] = "Zebreflection about my week"
    if "visibility" in values:
        values["visibility"] = "mentor"
    assert zeb.submit(form, values).ok  # type: ignore[arg-type]
    run_job(app, messenger, datetime(2026, 11, 26, 11, 30, tzinfo=UTC))

    done = zeb.press_button(button(zeb.type("forget-me").replies[0], "Yes, erase my data"))
    assert done.ok
    leaks = [
        (table, column, secret)
        for table, column, text in every_value(app)
        for secret in SECRETS
        if secret.lower() in text.lower()
    ]
    assert not leaks, "\n".join(map(str, sorted(set(leaks))))


def test_feedback_they_gave_stays_with_the_observed_teacher_from_a_colleague(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    from tests.observations.test_privacy import _observed_with_feedback

    ana, ben = _observed_with_feedback(app, person, messenger)  # Ben observed Ana
    done = ben.press_button(button(ben.type("forget-me").replies[0], "Yes, erase my data"))  # type: ignore[attr-defined]
    assert done.ok
    (feedback,) = fetch_all(app, ObservationFeedbackRow)
    assert feedback.observer_id is None
    shown = " ".join(ana.type("observe list").replies[0].text.split())  # type: ignore[attr-defined]
    assert "Ben" not in shown
