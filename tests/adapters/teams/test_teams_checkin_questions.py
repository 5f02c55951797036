"""A program's own questions answered on a Teams card opened from the check-in: Activities posted over
HTTP to the real aiohttp app and CloudAdapter, the Bot Connector played locally."""

from __future__ import annotations

from typing import Any

from bot.kernel.clock import ManualClock
from staffroom.bootstrap import Staffroom
from storage.models.checkins import CheckinAnswerRow, CheckinRow, SupportRequestRow
from tests.adapters.teams.conftest import Teams, find_action, inputs_of
from tests.adapters.teams.test_teams_checkins import checkin_card
from tests.conftest import fetch_all

QUESTIONS = (
    'program set PLC questions="What did you try? | Which routine helped? '
    '[choice: entry, exit] | How was your workload? [scale]"'
)


def _program_and_check_in(teams: Teams, app: Staffroom, clock: ManualClock) -> dict[str, Any]:
    return checkin_card(teams, app, clock, QUESTIONS)


def test_a_teacher_answers_every_kind_of_question_on_the_card_in_two_presses(
    teams: Teams, app: Staffroom, clock: ManualClock
) -> None:
    checkin = _program_and_check_in(teams, app, clock)
    card_id = teams.connector.returned[-1]
    # 1: the check-in's button replaces the card with one that has an input a question.
    assert (
        teams.press(find_action(checkin, "Answer this week's questions"), replyToId=card_id)[0]
        == 200
    )
    [update] = teams.connector.sent()
    assert (update.method, update.path) == (
        "PUT",
        f"/v3/conversations/a:1on1-ana/activities/{card_id}",
    )
    form = update.body["attachments"][0]["content"]
    fields = inputs_of(form)
    assert list(fields) == ["confidence", "q1", "q2", "q3"]
    assert [fields[n]["label"] for n in ("q1", "q2", "q3")] == [
        "What did you try?",
        "Which routine helped?",
        "How was your workload?",
    ]
    assert (fields["q1"]["type"], fields["q2"]["type"], fields["q3"]["type"]) == (
        "Input.Text",
        "Input.ChoiceSet",
        "Input.ChoiceSet",
    )
    assert [c["value"] for c in fields["q2"]["choices"]] == ["entry", "exit"]
    assert [c["value"] for c in fields["q3"]["choices"]] == ["1", "2", "3", "4", "5"]

    # A value the card never offered is refused in place: the card comes back with the error beside
    # its field, what was typed kept, and nothing stored.
    teams.connector.clear()
    save = find_action(form, "Save")
    bad = {"confidence": "4", "q1": "Wait time", "q2": "lunch", "q3": "2"}
    assert teams.press(save, bad, replyToId=card_id)[0] == 200
    [again] = teams.connector.sent()
    assert (again.method, again.path) == (
        "PUT",
        f"/v3/conversations/a:1on1-ana/activities/{card_id}",
    )
    refused = again.body["attachments"][0]["content"]
    assert inputs_of(refused)["q1"]["value"] == "Wait time"
    assert [t for t in teams.connector.texts() if t.startswith("⚠")] == [
        "⚠ pick one of: entry, exit"
    ]
    assert fetch_all(app, CheckinAnswerRow) == []
    [row] = fetch_all(app, CheckinRow)
    assert (row.status, row.confidence) == ("sent", None)

    # 2: one submission keeps every answer and the rating.
    teams.connector.clear()
    good = {"confidence": "4", "q1": "Wait time", "q2": "exit", "q3": "2"}
    assert teams.press(find_action(refused, "Save"), good, replyToId=card_id)[0] == 200
    assert any(
        "Saved: 4/5 on “Ask more open questions” and 3 answers." in t
        for t in teams.connector.texts()
    )
    rows = fetch_all(app, CheckinAnswerRow)
    assert sorted((r.position, r.kind, r.value) for r in rows) == [
        (1, "text", "Wait time"),
        (2, "choice", "exit"),
        (3, "scale", "2"),
    ]
    [row] = fetch_all(app, CheckinRow)
    assert (row.status, row.confidence) == ("answered", 4)


def test_a_malformed_submission_is_answered_and_stores_nothing(
    teams: Teams, app: Staffroom, clock: ManualClock
) -> None:
    checkin = _program_and_check_in(teams, app, clock)
    teams.press(find_action(checkin, "Answer this week's questions"))
    form = teams.connector.cards()[-1]
    save = find_action(form, "Save")
    teams.connector.clear()
    # Someone else's check-in id in the state, then a state that is not an id at all.
    for state in ("999999", "not-a-number"):
        status, _ = teams.press({**save, "__state__": state}, {"q1": "mine now"})
        assert status == 200
    assert all("isn't one of yours" in t for t in teams.connector.texts())
    assert len(teams.connector.texts()) == 2
    assert fetch_all(app, CheckinAnswerRow) == []


def test_the_support_button_on_the_card_tells_only_the_coordinator_chosen(
    teams: Teams, app: Staffroom, clock: ManualClock
) -> None:
    checkin = _program_and_check_in(teams, app, clock)
    teams.press(find_action(checkin, "I'd like some support"))
    choose = teams.connector.cards()[-1]
    teams.press(find_action(choose, "The coordinator"))
    assert any(
        "Only the coordinator Cora Coordinator will hear" in t for t in teams.connector.texts()
    )
    teams.connector.clear()
    assert teams.worker.run_once().sent == 1
    [told] = teams.connector.sent()
    assert told.body["recipient"]["aadObjectId"] == "aad-cora"
    assert "Ana Lopez would like some support" in str(told.body)
    [request] = fetch_all(app, SupportRequestRow)
    assert (request.to_mentor, request.to_coordinator) == (False, True)
