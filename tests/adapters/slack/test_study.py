"""Lesson study on Slack, through the real bolt app over signed HTTP, the real delivery worker and
Slack messenger, and Slack's Web API played locally: a cycle is started with a slash command, the
plan is shared through its modal (a bad link refused beside its field), the lesson booked through
another, and an observer's note reaches the group at the debrief, never anyone outside it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.kernel.clock import ManualClock
from staffroom.bootstrap import Staffroom
from storage.models.study import StudyCycleRow, StudyNoteRow
from tests.adapters.slack.conftest import Slack, texts, view_submission
from tests.adapters.slack.test_onboarding_loop import (
    deliver,
    modal_after_press,
    press,
    said_to,
)
from tests.conftest import fetch_all
from tests.study.helpers import PLAN

PEOPLE = {"U0ANA": "Ana Lopez", "U0BEN": "Ben Okafor", "U0COR": "Cora Diaz", "U0DAN": "Dan Wu"}


def test_start_plan_book_and_a_note_on_slack(
    slack: Slack, app: Staffroom, clock: ManualClock
) -> None:
    for user, name in PEOPLE.items():
        slack.join(user, display_name=name)
    slack.idle()

    # --- start with a slash command ---------------------------------------------------------------
    slack.command("study start Fractions talk with Ben Okafor, Cora Diaz, Dan Wu", user="U0ANA")
    slack.idle()
    (started,) = said_to(slack, "has started with", "U0ANA")
    assert "Fractions talk" in texts(started["blocks"])
    deliver(app, slack)
    for user in ("U0BEN", "U0COR", "U0DAN"):
        assert said_to(slack, "started a lesson study with you", user)

    # --- the plan modal: a bad link comes back beside its field, then the plan is shared ----------
    press(slack, started, "Share the plan", "U0ANA")
    view = modal_after_press(slack, "U0ANA", "study.plan")
    assert {"question", "goal", "students_do", "watch_for", "link"} <= {
        b["block_id"] for b in view["blocks"]
    }
    bad = slack.interact(view_submission(view, {**PLAN, "link": "our drive"}, user="U0ANA"))
    assert bad.status == 200 and bad.json()["response_action"] == "errors"
    assert "https://" in bad.json()["errors"]["link"]
    assert fetch_all(app, StudyCycleRow)[0].question == ""
    assert slack.interact(view_submission(view, PLAN, user="U0ANA")).status == 200
    slack.idle()
    deliver(app, slack)
    (told,) = said_to(slack, "shared the plan", "U0BEN")
    assert PLAN["question"] in texts(told["blocks"])

    # --- Ben books the lesson he teaches, one focus each -------------------------------------------
    press(slack, told, "I'll teach it: book the lesson", "U0BEN")
    view = modal_after_press(slack, "U0BEN", "study.book")
    focus = [b["block_id"] for b in view["blocks"] if b["block_id"].startswith("focus_")]
    assert len(focus) == 3
    values = {"date": "2026-11-26", "period": "P3", "class_name": "7B"}
    values.update(dict(zip(focus, ("table 1", "table 3", "who explains"), strict=True)))
    assert slack.interact(view_submission(view, values, user="U0BEN")).status == 200
    slack.idle()
    deliver(app, slack)
    (invite,) = said_to(slack, "You observe, watching", "U0COR")
    assert "table 3" in texts(invite["blocks"])

    # --- notes: Cora's words, formatting nothing, reach the group at the debrief -------------------
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    note = "Table 3 argued *3/6* was bigger <!channel> until one folded it"
    for user, text in (
        ("U0ANA", "Both folded first"),
        ("U0COR", note),
        ("U0DAN", "Four explained"),
    ):
        slack.command(f"study note #1 {text}", user=user)
        slack.idle()
    assert len(said_to(slack, "Only the group sees them", "U0COR")) == 1
    deliver(app, slack)
    for user in PEOPLE:
        (debrief,) = said_to(slack, "The notes from the research lesson", user)
        assert "<!channel>" not in json.dumps(debrief["blocks"])
        assert "&lt;!channel&gt;" in texts(debrief["blocks"])
    assert sorted(n.text for n in fetch_all(app, StudyNoteRow)) == sorted(
        ["Both folded first", note, "Four explained"]
    )
