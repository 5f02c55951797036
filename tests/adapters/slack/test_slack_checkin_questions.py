"""A program's own questions answered in a Slack modal opened from the check-in: signed requests to the
real bolt app, Slack's Web API played locally."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.checkins.planner import send_due_checkins
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.checkins import CheckinAnswerRow, CheckinRow, SupportRequestRow
from tests.adapters.slack import fake_slack
from tests.adapters.slack.conftest import Slack, button_press, buttons, texts, view_submission
from tests.conftest import fetch_all

DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # a Tuesday, 15:30 in London


def replies_to(slack: Slack, user: str, n: int) -> list[dict]:  # type: ignore[type-arg]
    calls = slack.fake.wait_for("response_url", n, where=lambda c: c.path.endswith(f"/{user}"))
    return [c.params for c in calls]


def _program(slack: Slack, app: Staffroom) -> None:
    slack.join("U9", display_name="Cora Coordinator")
    grant_role(app, f"slack:{fake_slack.TEAM}", "U9", Role.COORDINATOR)
    slack.join("U1", display_name="Ana Lopez")
    for line in (
        "program create PLC kind=peer day=tue time=15:30 tz=Europe/London",
        'program set PLC questions="What did you try? | Which routine helped? '
        '[choice: entry, exit] | How was your workload? [scale]"',
        'program add PLC "Ana Lopez" as peer',
    ):
        assert slack.command(line, user="U9").status == 200
        slack.idle()


def test_a_teacher_answers_every_kind_of_question_in_a_modal_from_the_check_in(
    slack: Slack, app: Staffroom, clock: ManualClock
) -> None:
    _program(slack, app)
    clock.set(DUE)
    send_due_checkins(app.uow_factory, clock.now())
    seen = len(replies_to(slack, "U1", 1))
    assert slack.command("checkin", user="U1").status == 200
    checkin = replies_to(slack, "U1", seen + 1)[-1]
    assert "How confident do you feel about" in texts(checkin["blocks"])
    answer = buttons(checkin["blocks"])["Answer this week's questions"]
    # One press opens the modal ...
    press = button_press(
        checkin, answer, user="U1", ephemeral=True, response_url=slack.fake.response_url("U1")
    )
    assert slack.interact(press).status == 200
    opened = slack.fake.wait_for(
        "views.open", where=lambda c: c.params.get("trigger_id") == "trigger-press-U1"
    )
    view = dict(opened[-1].params["view"])
    assert view["callback_id"] == "checkin.answers"
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels[1:] == ["What did you try?", "Which routine helped?", "How was your workload?"]
    # ... a refused choice is shown in the modal and nothing is kept ...
    bad = slack.interact(
        view_submission(view, {"q1": "Wait time", "q2": None, "q3": None, "confidence": "9"})
    )
    assert bad.status == 200 and bad.json()["response_action"] == "errors"
    assert fetch_all(app, CheckinAnswerRow) == []
    # ... and one submission keeps every answer: two interactions in all.
    good = slack.interact(
        view_submission(view, {"confidence": "4", "q1": "Wait time", "q2": "exit", "q3": "2"})
    )
    assert good.status == 200
    slack.idle()
    rows = fetch_all(app, CheckinAnswerRow)
    assert sorted((r.kind, r.value) for r in rows) == [
        ("choice", "exit"),
        ("scale", "2"),
        ("text", "Wait time"),
    ]
    [row] = fetch_all(app, CheckinRow)
    assert (row.status, row.confidence) == ("answered", 4)


def test_the_support_button_in_slack_tells_only_the_coordinator_chosen(
    slack: Slack, app: Staffroom, clock: ManualClock
) -> None:
    _program(slack, app)
    clock.set(DUE)
    send_due_checkins(app.uow_factory, clock.now())
    seen = len(replies_to(slack, "U1", 1))
    slack.command("checkin", user="U1")
    checkin = replies_to(slack, "U1", seen + 1)[-1]
    press = button_press(
        checkin,
        buttons(checkin["blocks"])["I'd like some support"],
        user="U1",
        ephemeral=True,
        response_url=slack.fake.response_url("U1"),
    )
    slack.interact(press)
    choose = replies_to(slack, "U1", seen + 2)[-1]
    assert list(buttons(choose["blocks"])) == ["The coordinator"]  # no mentor yet
    slack.interact(
        button_press(
            choose,
            buttons(choose["blocks"])["The coordinator"],
            user="U1",
            ephemeral=True,
            response_url=slack.fake.response_url("U1"),
        )
    )
    sent = replies_to(slack, "U1", seen + 3)[-1]
    assert "Only the coordinator Cora Coordinator will hear" in sent["text"]
    [request] = fetch_all(app, SupportRequestRow)
    assert (request.to_mentor, request.to_coordinator) == (False, True)
