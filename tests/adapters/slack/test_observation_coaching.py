"""Peer observation's coaching conversation on Slack, through the real bolt app over signed HTTP, the
real delivery worker and Slack messenger, and Slack's Web API played locally: the request modal
offers the teacher's focus goal first and asks their question, both get the brief a school day
before, the debrief suggests ten minutes both are free, the teacher's thanks reaches the observer
(their words formatting nothing), and the feedback's look-fors read as words, never a number."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from bot.features import REGISTRY
from bot.kernel.clock import ManualClock
from staffroom.bootstrap import Staffroom
from storage.models.observations import ObservationFeedbackRow, ObservationRequestRow
from tests.adapters.slack.conftest import Slack, texts, view_submission
from tests.adapters.slack.test_onboarding_loop import (
    deliver,
    modal_after_press,
    posts,
    press,
    said_to,
)
from tests.conftest import fetch_all


def _run_job(app: Staffroom, slack: Slack, clock: ManualClock, at: datetime) -> None:
    clock.set(at)
    for _ in range(2):  # a second copy of the job at the same minute sends nothing more
        REGISTRY.job("observations.advance").run(app.uow_factory, clock.now())
    deliver(app, slack)


def test_brief_debrief_thanks_and_worded_feedback_on_slack(
    slack: Slack, app: Staffroom, clock: ManualClock
) -> None:
    slack.join("U0ANA", display_name="Ana Lopez", goals="Use more hinge questions")
    slack.join("U0BEN", display_name="Ben Okafor", goals="")
    slack.idle()
    slack.command("goals add Calmer transitions", user="U0ANA")
    slack.command("free add fri 13:00-13:30", user="U0ANA")
    slack.command("free add thu 10:00-11:30, fri 12:45-14:00", user="U0BEN")
    slack.idle()

    # --- the request modal: goals first, the focus goal on top and chosen, then the focus areas ---
    slack.command("observe", user="U0ANA")
    slack.idle()
    view = slack.opened_view("U0ANA")
    assert view["callback_id"] == "observe.request"
    (focus,) = [b for b in view["blocks"] if b["block_id"] == "focus"]
    labels = [o["text"]["text"] for o in focus["element"]["options"]]
    assert labels[:3] == [
        "My focus goal: Use more hinge questions",
        "My goal: Calmer transitions",
        "Questioning",
    ]
    assert labels[-1] == "Something else"
    chosen = focus["element"]["initial_option"]["value"]
    assert chosen == focus["element"]["options"][0]["value"]
    assert "question" in {b["block_id"] for b in view["blocks"]}
    filled = {
        "date": "2026-11-26",
        "start": "10:15",
        "end": "11:00",
        "class_name": "Year 9 algebra",
        "focus": chosen,
        "look_fors": "wait time\ncold call",
        "question": "Do the quiet students get a turn to talk?",
    }
    assert slack.interact(view_submission(view, filled, user="U0ANA")).status == 200
    slack.idle()
    (draft,) = said_to(slack, "Here is what I understood", "U0ANA")
    assert "Use more hinge questions" in texts(draft["blocks"])
    press(slack, draft, "Ask Ben Okafor", "U0ANA")
    deliver(app, slack)
    (ask,) = said_to(slack, "could you observe their lesson", "U0BEN")
    assert "Do the quiet students get a turn to talk?" in texts(ask["blocks"])
    press(slack, ask, "Accept", "U0BEN")
    deliver(app, slack)

    # --- the brief, a school day before, once each ---------------------------------------------------
    _run_job(app, slack, clock, datetime(2026, 11, 25, 10, 10, tzinfo=UTC))
    assert posts(slack, "Observation brief") == []
    _run_job(app, slack, clock, datetime(2026, 11, 25, 10, 20, tzinfo=UTC))
    _run_job(app, slack, clock, datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    for user in ("U0ANA", "U0BEN"):
        (brief,) = said_to(slack, "Observation brief", user)
        read = texts(brief["blocks"])
        assert "Use more hinge questions" in read and "wait time; cold call" in read
        assert "Year 9 algebra" in read
        assert "Do the quiet students get a turn to talk?" in read
    (for_ben,) = said_to(slack, "Observation brief", "U0BEN")
    assert "Ana Lopez's question is the one thing they most want you to answer" in texts(
        for_ben["blocks"]
    )

    # --- after the lesson: the feedback prompt and the debrief, the same ten minutes ---------------
    _run_job(app, slack, clock, datetime(2026, 11, 26, 11, 5, tzinfo=UTC))
    (debrief,) = said_to(slack, "Debrief with Ben Okafor", "U0ANA")
    (prompt,) = said_to(slack, "How did Ana Lopez's lesson go", "U0BEN")
    for message in (debrief, prompt):
        assert "*Friday 27 November, 13:00–13:10*" in texts(message["blocks"])

    # --- Ana thanks Ben through a modal; her words reach him, formatting nothing ------------------
    press(slack, debrief, "Thank Ben", "U0ANA")
    thanks_view = modal_after_press(slack, "U0ANA", "observe.thanks")
    words = "Thank you <!channel> *so much* for your free period"
    submitted = view_submission(thanks_view, {"thanks": words}, user="U0ANA")
    assert slack.interact(submitted).status == 200
    slack.idle()
    deliver(app, slack)
    (thanked,) = said_to(slack, "says thank you for observing", "U0BEN")
    read = texts(thanked["blocks"])
    assert "<!channel>" not in json.dumps(thanked["blocks"])
    assert "&lt;!channel&gt;" in read and "so much" in read
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.thanks == words and row.question == "Do the quiet students get a turn to talk?"

    # --- Ben's feedback: look-fors answered in words; Ana reads no number ---------------------------
    press(slack, prompt, "Give feedback", "U0BEN")
    feedback_view = modal_after_press(slack, "U0BEN", "observe.feedback")
    seen = [b for b in feedback_view["blocks"] if b["block_id"].startswith("seen_")]
    assert [o["text"]["text"] for o in seen[0]["element"]["options"]] == [
        "Seen often",
        "Seen sometimes",
        "Not seen yet",
        "Didn't look",
    ]
    values = {
        "strengths": "Long, calm pauses after each question",
        "suggestion_1": "Cold call after the pause",
        "seen_0": "often",
        "seen_1": "didnt_look",
    }
    assert slack.interact(view_submission(feedback_view, values, user="U0BEN")).status == 200
    slack.idle()
    deliver(app, slack)
    (feedback,) = said_to(slack, "sent feedback on your lesson", "U0ANA")
    fields = [b for b in feedback["blocks"] if b.get("fields")]
    shown = " ".join(f["text"] for b in fields for f in b["fields"])
    assert "Seen often" in shown and "Didn't look" in shown
    assert not re.search(r"\d", shown)
    assert "Thank Ben" not in json.dumps(feedback["blocks"])  # thanked already
    (stored,) = fetch_all(app, ObservationFeedbackRow)
    assert stored.look_fors_seen == {"wait time": "seen often", "cold call": "didn't look"}


def test_the_flows_defects_stay_fixed_on_slack(
    slack: Slack, app: Staffroom, clock: ManualClock
) -> None:
    slack.join("U0ANA", display_name="Ana Lopez")
    slack.join("U0BEN", display_name="Ben Okafor")
    slack.join("U0EVE", display_name="Eve Novak")  # declares no free periods
    slack.idle()
    slack.command("free add thu 10:00-11:30", user="U0BEN")
    slack.idle()

    # A Saturday lesson is refused, naming the next school day; nobody hears of it.
    slack.command("observe sat 10:00-11:00 focus: questioning", user="U0ANA")
    slack.idle()
    (refused,) = said_to(slack, "isn't a school day here", "U0ANA")
    assert "The next school day is Monday 30 November" in refused["text"]

    # Free colleagues first, under an honest header; the undeclared apart, after them.
    slack.command("observe thu 10:15-11:00 focus: questioning", user="U0ANA")
    slack.idle()
    (draft,) = said_to(slack, "Here is what I understood", "U0ANA")
    read = texts(draft["blocks"])
    assert read.index("Colleagues free then:") < read.index("Ben Okafor")
    assert read.index("Ben Okafor") < read.index("haven't said when they're free")
    assert read.index("haven't said when they're free") < read.index("Eve Novak")
    press(slack, draft, "Ask Ben Okafor", "U0ANA")
    deliver(app, slack)

    # Ben lost the DM: his list has the ask, with buttons that answer it.
    slack.command("observe list", user="U0BEN")
    slack.idle()
    (listed,) = said_to(slack, "waiting for your answer", "U0BEN")
    assert "You have no observations yet" not in texts(listed["blocks"])
    (accept,) = [label for label in buttons_of(listed) if label.startswith("Accept")]
    press(slack, listed, accept, "U0BEN")
    deliver(app, slack)
    assert said_to(slack, "Ben Okafor will observe your lesson", "U0ANA")
    (row,) = fetch_all(app, ObservationRequestRow)
    assert row.status == "confirmed"


def buttons_of(message: dict[str, Any]) -> list[str]:
    return [
        e["text"]["text"]
        for b in message["blocks"]
        if b.get("type") == "actions"
        for e in b["elements"]
    ]
