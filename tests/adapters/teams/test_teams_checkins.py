"""A week of Staffroom in Teams, end to end: set up by typing, a proactive check-in card, a tap on it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.checkins.planner import send_due_checkins
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.checkins import CheckinRow
from tests.adapters.teams.conftest import TENANT, Teams, find_action
from tests.adapters.teams.test_teams_bot import join
from tests.conftest import fetch_all

DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # a Tuesday, 15:30 in London


def checkin_card(teams: Teams, app: Staffroom, clock: ManualClock, *setup: str) -> dict[str, Any]:
    """Cora creates PLC (and types ``setup``), Ana joins it; the planner's check-in card reaches Ana
    in her chat with the bot. The connector's record is cleared after it."""
    join(teams, user="cora", name="Cora Coordinator")
    grant_role(app, f"teams:{TENANT}", "aad-cora", Role.COORDINATOR)
    join(teams)
    for line in (
        "program create PLC kind=peer day=tue time=15:30",
        *setup,
        'program add PLC "Ana Lopez" as peer',
    ):
        assert teams.say(line, user="cora", user_name="Cora Coordinator")[0] == 200
    teams.connector.clear()
    clock.set(DUE)
    send_due_checkins(app.uow_factory, clock.now())
    assert teams.worker.run_once().sent == 1
    [sent] = teams.connector.sent()
    assert sent.path == "/v3/conversations/a:1on1-ana/activities"
    card: dict[str, Any] = sent.body["attachments"][0]["content"]
    teams.connector.clear()
    return card


def test_a_check_in_card_is_sent_proactively_and_replaced_by_the_answer_when_tapped(
    teams: Teams, app: Staffroom, clock: ManualClock
) -> None:
    card = checkin_card(teams, app, clock)
    card_id = teams.connector.returned[-1]
    assert teams.press(find_action(card, "4"), replyToId=card_id)[0] == 200
    [update] = teams.connector.sent()
    assert (update.method, update.path) == (
        "PUT",
        f"/v3/conversations/a:1on1-ana/activities/{card_id}",
    )
    assert "Thanks: 4/5" in str(update.body)
    [row] = fetch_all(app, CheckinRow)
    assert (row.status, row.confidence) == ("answered", 4)
