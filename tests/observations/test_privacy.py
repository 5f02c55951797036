"""export-my-data and forget-me cover what peer observation stores."""

from __future__ import annotations

import json

from adapters.console.messenger import ConsoleMessenger
from staffroom.bootstrap import Staffroom
from storage.models.observations import FreePeriodRow, ObservationFeedbackRow, ObservationRequestRow
from tests.conftest import Person, count, fetch_all
from tests.observations.helpers import button, last_to, reply_text, run_job, teacher

REQUEST = 'observe thu 10:15-11:00 focus: questioning "Year 9 algebra" look for: wait time'


def _observed_with_feedback(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> tuple[object, object]:
    from datetime import UTC, datetime

    ana = teacher(person, "Ana Lopez", free="mon 9:00-10:00")
    ben = teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    draft = ana.type(REQUEST)
    ana.press_button(button(draft.replies[0], "Ask Ben Okafor"))
    ben.press_button(button(last_to(messenger, "Ben Okafor"), "Accept"))
    run_job(app, messenger, datetime(2026, 11, 26, 11, 30, tzinfo=UTC))
    form = (
        ben.press_button(button(last_to(messenger, "Ben Okafor"), "Give feedback")).replies[0].form
    )
    assert form is not None
    ben.submit(
        form,
        {"strengths": "Patient, open questions", "suggestion_1": "Cold call", "seen_0": "often"},
    )
    return ana, ben


def test_export_includes_observations_feedback_received_and_free_periods(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana, ben = _observed_with_feedback(app, person, messenger)
    exported = ana.press_button(
        button(ana.type("export-my-data").replies[0], "Yes, export my data")
    )  # type: ignore[attr-defined]
    data = json.loads(exported.replies[0].attachments[0].content)
    (observation,) = data["observations"]
    assert observation["role"] == "observed" and observation["class"] == "Year 9 algebra"
    assert observation["feedback_received"]["strengths"] == "Patient, open questions"
    assert observation["feedback_received"]["look_fors_seen"] == {"wait time": "seen often"}
    assert data["free_periods"] == ["Mon 09:00-10:00"]
    # The observer's export lists the observation but not the feedback, which is Ana's.
    theirs = ben.press_button(button(ben.type("export-my-data").replies[0], "Yes, export my data"))  # type: ignore[attr-defined]
    ben_data = json.loads(theirs.replies[0].attachments[0].content)
    assert ben_data["observations"][0]["role"] == "observer"
    assert "feedback_received" not in ben_data["observations"][0]


def test_forget_me_erases_feedback_free_periods_and_cancels_open_observations(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana, ben = _observed_with_feedback(app, person, messenger)
    chloe = teacher(person, "Chloe Kim", free="fri 9:00-10:00")
    draft = ana.type("observe fri 9:00-9:50 focus: engagement")  # type: ignore[attr-defined]
    ana.press_button(button(draft.replies[0], "Ask Chloe Kim"))  # type: ignore[attr-defined]
    chloe.press_button(button(last_to(messenger, "Chloe Kim"), "Accept"))
    done = ana.press_button(button(ana.type("forget-me").replies[0], "Yes, erase my data"))  # type: ignore[attr-defined]
    assert done.ok
    assert count(app, ObservationFeedbackRow) == 0
    assert count(app, FreePeriodRow) == 2  # Ben's and Chloe's stay
    observed, later = sorted(fetch_all(app, ObservationRequestRow), key=lambda r: r.id)
    rows = {"questioning": observed, "engagement": later}
    assert (observed.focus, observed.class_name, observed.look_fors) == ("", "", "")
    assert later.status == "cancelled" and later.focus == ""
    assert "cancelled the observation" in last_to(messenger, "Chloe Kim").text
    shown = reply_text(ben.type(f"observe show {rows['questioning'].id}"))  # type: ignore[attr-defined]
    assert "Former member's lesson" in shown and "Patient" not in shown and "Ana" not in shown
