"""Peer observation's coaching conversation on Teams, through the real botbuilder adapter (Activities
over HTTP), the real delivery worker and Teams messenger, and the Bot Connector played locally: the
request card offers the focus goal first and asks the teacher's question, both get the brief a school
day before, the debrief suggests ten minutes both are free, the thanks reaches the observer, and the
feedback's look-fors read as words, never a number."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from bot.features import REGISTRY
from bot.kernel.clock import ManualClock
from staffroom.bootstrap import Staffroom
from storage.models.observations import ObservationFeedbackRow, ObservationRequestRow
from tests.adapters.teams.conftest import Teams, _card_texts, inputs_of
from tests.adapters.teams.test_onboarding_loop import cards_to, press
from tests.adapters.teams.test_teams_bot import join
from tests.conftest import fetch_all

NAMES = {"ana": "Ana Lopez", "ben": "Ben Okafor"}


def _run_job(app: Staffroom, teams: Teams, clock: ManualClock, at: datetime) -> None:
    clock.set(at)
    for _ in range(2):  # a second copy of the job at the same minute sends nothing more
        REGISTRY.job("observations.advance").run(app.uow_factory, clock.now())
    teams.worker.drain()


def _read(card: dict[str, Any]) -> str:
    """What a person reads on a card: its text blocks and its facts."""
    facts = [
        f"{f['title']} {f['value']}"
        for e in _walk(card)
        if e.get("type") == "FactSet"
        for f in e["facts"]
    ]
    return "\n".join([*_card_texts(card), *facts])


def _walk(element: Any) -> list[dict[str, Any]]:
    if isinstance(element, dict):
        return [element, *[e for v in element.values() for e in _walk(v)]]
    if isinstance(element, list):
        return [e for v in element for e in _walk(v)]
    return []


def _say(teams: Teams, user: str, text: str) -> None:
    status, _ = teams.say(text, user=user, user_name=NAMES[user])
    assert status == 200


def test_brief_debrief_thanks_and_worded_feedback_on_teams(
    teams: Teams, app: Staffroom, clock: ManualClock
) -> None:
    for user, name in NAMES.items():
        join(teams, user=user, name=name)
    _say(teams, "ana", "goals clear")
    _say(teams, "ana", "goals add Use more hinge questions")
    _say(teams, "ana", "goals add Calmer transitions")
    _say(teams, "ana", "free add fri 13:00-13:30")
    _say(teams, "ben", "free add thu 10:00-11:30, fri 12:45-14:00")

    # --- the request card: goals first, the focus goal on top and chosen ---------------------------
    _say(teams, "ana", "observe")
    form = teams.connector.cards()[-1]
    fields = inputs_of(form)
    choices = [c["title"] for c in fields["focus"]["choices"]]
    assert choices[:3] == [
        "My focus goal: Use more hinge questions",
        "My goal: Calmer transitions",
        "Questioning",
    ]
    assert fields["focus"]["value"] == fields["focus"]["choices"][0]["value"]
    assert "question" in fields
    press(
        teams,
        "ana",
        form,
        "Check and find observers",
        date="2026-11-26",
        start="10:15",
        end="11:00",
        class_name="Year 9 algebra",
        focus=fields["focus"]["value"],
        look_fors="wait time\ncold call",
        question="Do the quiet students get a turn to talk?",
    )
    (draft,) = cards_to(teams, "ana", "Here is what I understood")
    assert "Use more hinge questions" in _read(draft)
    press(teams, "ana", draft, "Ask Ben Okafor")
    teams.worker.drain()
    (ask,) = cards_to(teams, "ben", "would like a colleague to observe")
    assert "Do the quiet students get a turn to talk?" in _read(ask)
    press(teams, "ben", ask, "Accept")
    teams.worker.drain()

    # --- the brief, a school day before, once each ---------------------------------------------------
    _run_job(app, teams, clock, datetime(2026, 11, 25, 10, 10, tzinfo=UTC))
    assert cards_to(teams, "ana", "Your observation brief") == []
    _run_job(app, teams, clock, datetime(2026, 11, 25, 10, 20, tzinfo=UTC))
    _run_job(app, teams, clock, datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    for user in NAMES:
        (brief,) = cards_to(teams, user, "Your observation brief")
        read = _read(brief)
        assert "Use more hinge questions" in read and "wait time; cold call" in read
        assert "Year 9 algebra" in read
        assert "Do the quiet students get a turn to talk?" in read

    # --- after the lesson: the feedback prompt and the debrief, the same ten minutes ---------------
    _run_job(app, teams, clock, datetime(2026, 11, 26, 11, 5, tzinfo=UTC))
    (debrief,) = cards_to(teams, "ana", "Ten minutes with Ben Okafor")
    (prompt,) = cards_to(teams, "ben", "How did")
    for card in (debrief, prompt):
        assert "Friday 27 November, 13:00–13:10" in _read(card)

    # --- Ana thanks Ben through a card; her words reach him once -----------------------------------
    press(teams, "ana", debrief, "Thank Ben")
    thanks_form = teams.connector.cards()[-1]
    assert "thanks" in inputs_of(thanks_form)
    words = "Thank you <at>everyone</at> for your free period"
    press(teams, "ana", thanks_form, "Send", thanks=words)
    teams.worker.drain()
    (thanked,) = cards_to(teams, "ben", "says thank you for observing")
    assert "for your free period" in _read(thanked)
    assert not thanked.get("msteams", {}).get("entities")  # her words mention nobody
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.thanks == words and row.thanked_at is not None
    press(teams, "ana", debrief, "Thank Ben")
    assert any("already thanked Ben Okafor" in t for t in teams.connector.texts())
    teams.worker.drain()
    assert len(cards_to(teams, "ben", "says thank you for observing")) == 1

    # --- Ben's feedback: look-fors answered in words; Ana reads no number ---------------------------
    press(teams, "ben", prompt, "Give feedback")
    feedback_form = teams.connector.cards()[-1]
    seen = inputs_of(feedback_form)["seen_0"]
    assert [c["title"] for c in seen["choices"]] == [
        "Seen often",
        "Seen sometimes",
        "Not seen yet",
        "Didn't look",
    ]
    press(
        teams,
        "ben",
        feedback_form,
        "Send to Ana",
        strengths="Long, calm pauses after each question",
        suggestion_1="Cold call after the pause",
        seen_0="often",
        seen_1="didnt_look",
    )
    teams.worker.drain()
    (feedback,) = cards_to(teams, "ana", "sent this feedback")
    facts = [f for e in _walk(feedback) if e.get("type") == "FactSet" for f in e["facts"]]
    shown = " ".join(f"{f['title']} {f['value']}" for f in facts)
    assert "Seen often" in shown and "Didn't look" in shown
    assert not re.search(r"\d", shown)
    assert "Thank Ben" not in json.dumps(feedback)
    (stored,) = fetch_all(app, ObservationFeedbackRow)
    assert stored.look_fors_seen == {"wait time": "seen often", "cold call": "didn't look"}


def test_the_flows_defects_stay_fixed_on_teams(teams: Teams, app: Staffroom) -> None:
    names = {**NAMES, "eve": "Eve Novak"}
    for user, name in names.items():
        join(teams, user=user, name=name)
    _say(teams, "ben", "free add thu 10:00-11:30")  # Eve declares no free periods

    # A Saturday lesson is refused, naming the next school day; nobody hears of it.
    _say(teams, "ana", "observe sat 10:00-11:00 focus: questioning")
    assert any(
        "isn't a school day here" in t and "The next school day is Monday 30 November" in t
        for t in teams.connector.texts()
    )

    # Free colleagues first, under an honest header; the undeclared apart, after them.
    _say(teams, "ana", "observe thu 10:15-11:00 focus: questioning")
    (draft,) = cards_to(teams, "ana", "Here is what I understood")
    read = _read(draft)
    assert read.index("Colleagues free then:") < read.index("Ben Okafor")
    assert read.index("Ben Okafor") < read.index("haven't said when they're free")
    assert read.index("haven't said when they're free") < read.index("Eve Novak")
    press(teams, "ana", draft, "Ask Ben Okafor")
    teams.worker.drain()

    # Ben lost the message: his list has the ask, with buttons that answer it.
    status, _ = teams.say("observe list", user="ben", user_name="Ben Okafor")
    assert status == 200
    (listed,) = cards_to(teams, "ben", "waiting for your answer")
    assert "You have no observations yet" not in _read(listed)
    (row,) = fetch_all(app, ObservationRequestRow)
    press(teams, "ben", listed, f"Accept #{row.id}")
    teams.worker.drain()
    assert cards_to(teams, "ana", "will observe your lesson")
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.status == "confirmed"
