"""The outbox's Teams messenger: proactive sends through the real CloudAdapter to the fake Bot Connector."""

from __future__ import annotations

from datetime import timedelta

from botbuilder.schema import Activity

from adapters.teams.references import remember
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform
from bot.kernel.messages import Actions, Button, Image, Link, Message, Section
from staffroom.bootstrap import Staffroom
from storage.models.kernel import OutboxRow
from storage.models.members import MemberRow
from storage.models.platform import TeamsConversationRow
from tests.adapters.teams.conftest import BOT_ID, Teams, find_action
from tests.adapters.teams.test_teams_bot import join
from tests.conftest import fetch_all

CHECKIN = Message(
    text="Time for your one-minute check-in.",
    blocks=(
        Section("Time for your one-minute check-in. How did this week go?"),
        Actions((Button("Great", "checkin.answer", "5", style="primary"),)),
    ),
    ephemeral=False,
)


def queue(app: Staffroom, user_id: str, message: Message = CHECKIN, key: str = "checkin-1") -> None:
    with app.uow_factory() as uow:
        workspace = uow.workspaces.by_external_id(Platform.TEAMS, _tenant())
        assert workspace is not None
        repos = uow.scope(workspace.id)
        member = repos.members.by_platform_user(user_id)
        assert member is not None
        assert repos.outbox.enqueue(member, message, key, app.clock.now())
        uow.commit()


def _tenant() -> str:
    from tests.adapters.teams.conftest import TENANT

    return TENANT


def test_a_proactive_message_reaches_the_recorded_conversation(
    teams: Teams, app: Staffroom
) -> None:
    join(teams)
    teams.connector.clear()
    queue(app, "aad-ana")
    report = teams.worker.run_once()
    assert report.sent == 1
    [call] = teams.connector.sent()
    assert (call.method, call.path) == ("POST", "/v3/conversations/a:1on1-ana/activities")
    card = call.body["attachments"][0]["content"]
    assert find_action(card, "Great") == {
        "staffroom": "action",
        "action_id": "checkin.answer",
        "value": "5",
    }
    [row] = fetch_all(app, OutboxRow)
    assert (row.status, row.platform_message_id) == ("sent", teams.connector.returned[-1])


def test_429_is_retried_after_the_connector_says(
    teams: Teams, app: Staffroom, clock: ManualClock
) -> None:
    join(teams)
    teams.connector.clear()
    queue(app, "aad-ana")
    teams.connector.planned.append((429, {"Retry-After": "7"}))
    assert teams.worker.run_once().retried == 1
    [row] = fetch_all(app, OutboxRow)
    assert row.status == "pending" and row.next_attempt_at == clock.now() + timedelta(seconds=7)
    assert teams.worker.run_once().handled == 0  # not due yet
    clock.advance(timedelta(seconds=7))
    assert teams.worker.run_once().sent == 1
    assert len(teams.connector.sent()) == 2
    assert [r.status for r in fetch_all(app, OutboxRow)] == ["sent"]


def test_someone_who_removed_the_app_is_marked_unreachable_and_not_retried(
    teams: Teams, app: Staffroom
) -> None:
    join(teams)
    teams.connector.gone.add("a:1on1-ana")
    queue(app, "aad-ana")
    report = teams.worker.run_once()
    assert report.failed == 1
    [row] = fetch_all(app, OutboxRow)
    assert row.status == "failed" and "403" in (row.last_error or "")
    assert [m.reachable for m in fetch_all(app, MemberRow)] == [False]


def test_a_member_known_only_from_a_team_is_reached_by_opening_their_chat(
    teams: Teams, app: Staffroom
) -> None:
    join(teams)
    # Ana's only reference is a sighting in a team channel (no 1:1 chat yet).
    with app.engine.begin() as conn:
        conn.execute(TeamsConversationRow.__table__.delete())
    seen = Activity().deserialize(teams.activity(channel=True, text="hello"))
    remember(teams.store, seen)
    teams.connector.clear()
    queue(app, "aad-ana", Message(text="Your digest", blocks=(Image("chart", "iVBORw0KGgo="),)))
    assert teams.worker.run_once().sent == 1
    created, sent = teams.connector.calls
    assert created.path == "/v3/conversations"
    assert created.body["members"][0]["id"] == "29:ana"
    assert created.body["bot"]["id"] == BOT_ID
    assert sent.path == "/v3/conversations/a:personal-29:ana/activities"
    [image] = [e for e in sent.body["attachments"][0]["content"]["body"] if e["type"] == "Image"]
    assert image["url"] == "data:image/png;base64,iVBORw0KGgo="
    [row] = fetch_all(app, TeamsConversationRow)
    assert row.conversation_id == "a:personal-29:ana"
    # The next message reuses that chat.
    queue(app, "aad-ana", key="checkin-2")
    teams.connector.clear()
    assert teams.worker.run_once().sent == 1
    assert [c.path for c in teams.connector.calls] == [
        "/v3/conversations/a:personal-29:ana/activities"
    ]


def test_nobody_to_send_to_is_a_permanent_failure(teams: Teams, app: Staffroom) -> None:
    join(teams)
    with app.engine.begin() as conn:
        conn.execute(TeamsConversationRow.__table__.delete())
    teams.connector.clear()
    queue(app, "aad-ana")
    assert teams.worker.run_once().failed == 1
    assert teams.connector.sent() == []


def test_a_message_teams_refuses_is_not_retried_but_a_server_error_is(
    teams: Teams, app: Staffroom
) -> None:
    join(teams)
    queue(app, "aad-ana", key="malformed")
    teams.connector.planned.append((400, {}))
    assert teams.worker.run_once().failed == 1
    queue(app, "aad-ana", key="flaky")
    teams.connector.planned.append((502, {}))
    assert teams.worker.run_once().retried == 1
    statuses = sorted((r.idempotency_key, r.status) for r in fetch_all(app, OutboxRow))
    assert statuses == [("flaky", "pending"), ("malformed", "failed")]
    assert [m.reachable for m in fetch_all(app, MemberRow)] == [True]


def test_a_card_refused_as_too_large_arrives_as_its_words_and_links(
    teams: Teams, app: Staffroom
) -> None:
    """A 413 is never the end of a message: it goes again as text, with its link to the page."""
    join(teams)
    teams.connector.clear()
    digest = Message(
        text="Weekly digest: Mentoring",
        blocks=(
            Section("*Weekly digest: Mentoring*"),
            Link("Open the full digest", "https://staffroom.example/digest/tok"),
        ),
    )
    queue(app, "aad-ana", digest, key="digest-1")
    teams.connector.planned.append((413, {}))
    assert teams.worker.run_once().sent == 1
    refused, resent = [c.body for c in teams.connector.sent()]
    assert refused["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert "attachments" not in resent or not resent["attachments"]
    assert "Weekly digest: Mentoring" in resent["text"]
    assert "https://staffroom.example/digest/tok" in resent["text"]
    [row] = fetch_all(app, OutboxRow)
    assert row.status == "sent"
