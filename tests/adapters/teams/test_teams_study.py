"""Lesson study on Teams, through the real botbuilder adapter (Activities over HTTP), the real
delivery worker and Teams messenger, and the Bot Connector played locally: a cycle is started by a
message, the plan is shared through its card (a bad link refused, nothing saved), the lesson booked
through another card, and an observer's note reaches the group at the debrief."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.kernel.clock import ManualClock
from staffroom.bootstrap import Staffroom
from storage.models.study import StudyCycleRow, StudyNoteRow
from tests.adapters.teams.conftest import Teams, _card_texts, find_action, inputs_of
from tests.adapters.teams.test_observation_coaching import _walk
from tests.adapters.teams.test_onboarding_loop import cards_to, said_to
from tests.adapters.teams.test_teams_bot import join
from tests.conftest import fetch_all
from tests.study.helpers import PLAN

NAMES = {"ana": "Ana Lopez", "ben": "Ben Okafor", "cora": "Cora Diaz", "dan": "Dan Wu"}


def _say(teams: Teams, user: str, text: str) -> None:
    status, _ = teams.say(text, user=user, user_name=NAMES[user])
    assert status == 200


def _press(teams: Teams, user: str, card: dict[str, Any], title: str, **inputs: Any) -> None:
    status, _ = teams.press(find_action(card, title), inputs, user=user, user_name=NAMES[user])
    assert status == 200


def _read(card: dict[str, Any]) -> str:
    """What a person reads on a card: its text blocks and its facts."""
    facts = [
        f"{f['title']} {f['value']}"
        for e in _walk(card)
        if e.get("type") == "FactSet"
        for f in e["facts"]
    ]
    return "\n".join([*_card_texts(card), *facts])


def test_start_plan_book_and_a_note_on_teams(
    teams: Teams, app: Staffroom, clock: ManualClock
) -> None:
    for user, name in NAMES.items():
        join(teams, user=user, name=name)

    _say(teams, "ana", "study start Fractions talk with Ben Okafor, Cora Diaz, Dan Wu")
    (started,) = cards_to(teams, "ana", "has started with")
    teams.worker.drain()
    for user in ("ben", "cora", "dan"):
        assert cards_to(teams, user, "started a lesson study with you")

    # --- the plan card: a bad link is refused and nothing saved; then it is shared ----------------
    _press(teams, "ana", started, "Share the plan")
    form = teams.connector.cards()[-1]
    assert {"question", "goal", "students_do", "watch_for", "link"} <= set(inputs_of(form))
    _press(teams, "ana", form, "Share with the group", **{**PLAN, "link": "our drive"})
    again = teams.connector.cards()[-1]
    assert "A link starts with https://" in _read(again)
    assert inputs_of(again)["question"]["value"] == PLAN["question"]
    assert fetch_all(app, StudyCycleRow)[0].question == ""
    _press(teams, "ana", again, "Share with the group", **PLAN)
    teams.worker.drain()
    (told,) = cards_to(teams, "ben", "shared the plan")
    assert PLAN["question"] in _read(told)

    # --- Ben books the lesson he teaches, one focus each -------------------------------------------
    _press(teams, "ben", told, "I'll teach it: book the lesson")
    form = teams.connector.cards()[-1]
    focus = [name for name in inputs_of(form) if name.startswith("focus_")]
    assert len(focus) == 3
    values = {"date": "2026-11-26", "period": "P3", "class_name": "7B"}
    values.update(dict(zip(focus, ("table 1", "table 3", "who explains"), strict=True)))
    _press(teams, "ben", form, "Book it and invite the observers", **values)
    teams.worker.drain()
    (invite,) = cards_to(teams, "cora", "You observe, watching")
    assert "table 3" in _read(invite)

    # --- notes from the three observers; the group gets the debrief -------------------------------
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    notes = {
        "ana": "Both folded first",
        "cora": "Table 3 argued 3/6 was bigger",
        "dan": "Four explained",
    }
    for user, text in notes.items():
        _say(teams, user, f"study note #1 {text}")
    assert said_to(teams, "cora", "Only the group sees them")
    teams.worker.drain()
    for user in NAMES:
        (debrief,) = cards_to(teams, user, "The notes from the research lesson")
        assert all(text in _read(debrief) for text in notes.values())
    assert sorted(n.text for n in fetch_all(app, StudyNoteRow)) == sorted(notes.values())
