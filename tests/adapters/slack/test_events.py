"""Events API: App Home, new channel members, uninstalls, DMs; signatures and Slack's retries."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from bot.kernel.domain import Platform
from bot.kernel.messages import text_message
from staffroom.bootstrap import Staffroom
from storage.models.kernel import OutboxRow, ProcessedEventRow, WorkspaceRow
from storage.models.members import MemberRow
from tests.adapters.slack import fake_slack
from tests.adapters.slack.conftest import Slack, buttons, texts
from tests.conftest import count, fetch_all


def test_bad_and_stale_signatures_are_refused_and_change_nothing(
    slack: Slack, app: Staffroom
) -> None:
    body = fake_slack.command_body("join", response_url=slack.fake.response_url("U1"))
    forged = fake_slack.post(slack.url, body, fake_slack.FORM, secret="not-the-secret")
    stale = fake_slack.post(slack.url, body, fake_slack.FORM, timestamp=int(time.time()) - 60 * 10)
    garbage = fake_slack.post(slack.url, body, fake_slack.FORM, signature="v0=deadbeef")
    event = fake_slack.event_body({"type": "app_uninstalled"}, event_id="EvX")
    uninstall = fake_slack.post(slack.url, event, fake_slack.JSON_TYPE, secret="nope")
    assert [forged.status, stale.status, garbage.status, uninstall.status] == [401] * 4
    assert slack.idle() == 0  # refused before any work was handed over
    assert [
        c.method for c in slack.fake.calls if c.method != "auth.test"
    ] == []  # start-up check only
    assert count(app, WorkspaceRow) == 0


def test_url_verification_is_answered(slack: Slack) -> None:
    body = b'{"type": "url_verification", "challenge": "abc123", "token": "t"}'
    reply = fake_slack.post(slack.url, body, fake_slack.JSON_TYPE)
    assert reply.status == 200
    assert b"abc123" in reply.body


def test_home_tab_shows_a_visitor_how_to_join(slack: Slack) -> None:
    slack.event({"type": "app_home_opened", "user": "U5", "tab": "home", "channel": "DU5"})
    [publish] = slack.fake.wait_for("views.publish")
    assert publish.params["user_id"] == "U5"
    view = publish.params["view"]
    assert view["type"] == "home"
    assert "Join Staffroom" in buttons(view["blocks"])


def test_home_tab_shows_a_members_own_page(slack: Slack, app: Staffroom) -> None:
    from datetime import time as clock_time

    from bot.kernel.domain import Membership, Program, ProgramRole
    from bot.observations.model import ObservationRequest, RequestStatus
    from bot.reflections.model import Reflection, Visibility

    slack.join("U1", goals="Use exit tickets\nWait longer after questions")
    slack.join("U2")
    with app.uow_factory() as uow:
        ws = uow.workspaces.by_external_id(Platform.SLACK, fake_slack.TEAM)
        assert ws is not None
        repos = uow.scope(ws.id)
        me = repos.members.by_platform_user("U1")
        other = repos.members.by_platform_user("U2")
        assert me and me.id and other and other.id
        program = repos.programs.add(
            Program(ws.id, "Year 9 PLC", checkin_weekday=1, checkin_time=clock_time(15, 30))
        )
        assert program.id is not None
        repos.memberships.upsert(Membership(program.id, me.id, ProgramRole.PEER))
        now = app.clock.now()
        round_ = repos.pairing.create_round(program.id, 1, score=1.0, seed=1, now=now)
        assert round_ is not None
        repos.pairing.add_pairing(
            round_,
            [(me.id, "peer"), (other.id, "peer")],
            reason="both teach maths",
            score=1.0,
            now=now,
        )
        repos.reflections.add(
            Reflection(me.id, went_well="Cold calling worked", created_at=now, updated_at=now)
        )
        repos.observations.add_request(
            ObservationRequest(
                workspace_id=ws.id,
                requester_id=other.id,
                observer_id=me.id,
                starts_at=now + timedelta(days=1),
                ends_at=now + timedelta(days=1, hours=1),
                timezone="Europe/London",
                focus="questioning",
                status=RequestStatus.CONFIRMED,
                created_at=now,
            )
        )
        repos.reflections.add(
            Reflection(
                other.id,
                went_well="Someone else's secret",
                visibility=Visibility.PRIVATE,
                created_at=now,
                updated_at=now,
            )
        )
        uow.commit()
    slack.event({"type": "app_home_opened", "user": "U1", "tab": "home"}, event_id="EvH")
    [publish] = slack.fake.wait_for("views.publish")
    page = texts(publish.params["view"]["blocks"])
    assert "Hi Teacher U1" in page
    assert "1. Use exit tickets" in page and "2. Wait longer after questions" in page
    assert "Year 9 PLC (peer)" in page
    assert "Year 9 PLC, round 1: *Teacher U2* (both teach maths)" in page
    assert "Year 9 PLC: Tuesdays at 15:30, your time" in page
    assert "Cold calling worked" in page
    assert "secret" not in page
    assert "Tue 24 Nov 09:00: questioning (you observe; confirmed)" in page
    assert {"Edit profile", "Write a reflection", "Ask for an observation", "Pause 2 weeks"} <= set(
        buttons(publish.params["view"]["blocks"])
    )


@pytest.mark.parametrize(
    ("label", "form_id"),
    [("Write a reflection", "reflection.form"), ("Ask for an observation", "observe.request")],
)
def test_home_buttons_open_their_forms(slack: Slack, label: str, form_id: str) -> None:
    from bot.observations import request as observations
    from bot.reflections import chat as reflections

    assert {reflections.FORM_ID, observations.REQUEST_FORM} == {
        "reflection.form",
        "observe.request",
    }
    slack.join("U1")
    slack.event({"type": "app_home_opened", "user": "U1", "tab": "home"}, event_id="EvH")
    view = slack.fake.wait_for("views.publish")[0].params["view"]
    press = buttons(view["blocks"])[label]
    payload = {
        "type": "block_actions",
        "team": {"id": fake_slack.TEAM, "domain": "test-school"},
        "user": {"id": "U1", "username": "u1", "name": "u1", "team_id": fake_slack.TEAM},
        "api_app_id": "A0APP",
        "token": "legacy",
        "trigger_id": "trigger-U1-home",
        "container": {"type": "view", "view_id": "V1"},
        "view": {**view, "id": "V1"},
        "actions": [{**press, "block_id": "b", "action_ts": "1"}],
    }
    assert slack.interact(payload).status == 200
    opened = slack.fake.wait_for("views.open", 2)[-1].params["view"]
    assert opened["callback_id"] == form_id
    assert '"h":true' in opened["private_metadata"]  # the Home tab is refreshed after saving


def test_pressing_a_home_button_refreshes_the_home_tab(slack: Slack, app: Staffroom) -> None:
    slack.join("U1")
    slack.event({"type": "app_home_opened", "user": "U1", "tab": "home"}, event_id="EvH")
    view = slack.fake.wait_for("views.publish")[0].params["view"]
    pause = buttons(view["blocks"])["Pause 2 weeks"]
    payload = {
        "type": "block_actions",
        "team": {"id": fake_slack.TEAM, "domain": "test-school"},
        "user": {"id": "U1", "username": "u1", "name": "u1", "team_id": fake_slack.TEAM},
        "api_app_id": "A0APP",
        "token": "legacy",
        "trigger_id": "trigger-home",
        "container": {"type": "view", "view_id": "V1"},
        "view": {**view, "id": "V1"},
        "actions": [{**pause, "block_id": "b", "action_ts": "1"}],
    }
    assert slack.interact(payload).status == 200
    publishes = slack.fake.wait_for("views.publish", 2)
    assert "Resume" in buttons(publishes[-1].params["view"]["blocks"])
    # The confirmation goes to their DM: a Home tab has no response_url.
    posts = slack.fake.wait_for("chat.postMessage")
    assert "pause" in posts[-1].params["text"].lower()
    assert fetch_all(app, MemberRow)[0].status == "paused"


def test_first_visit_to_messages_tab_welcomes_once(slack: Slack) -> None:
    for n in range(3):
        slack.event(
            {"type": "app_home_opened", "user": "U9", "tab": "messages"}, event_id=f"EvM{n}"
        )
    slack.idle()
    [post] = slack.fake.of("chat.postMessage")
    assert post.params["channel"] == "U9"  # Slack opens the DM for a post to a user id
    assert "Join Staffroom" in buttons(post.params["blocks"])


def test_someone_joining_a_program_channel_is_invited_once_even_when_slack_retries(
    slack: Slack, app: Staffroom
) -> None:
    event = {
        "type": "member_joined_channel",
        "user": "U3",
        "channel": "C9",
        "team": fake_slack.TEAM,
    }
    for retry in ("", "1", "2"):
        headers = (
            {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        )
        assert slack.event(event, event_id="EvJoin", headers=headers).status == 200
    slack.idle()
    [post] = slack.fake.of("chat.postMessage")
    assert "invited you" in post.params["text"]
    assert count(app, ProcessedEventRow) == 1


def test_staffroom_itself_joining_a_channel_is_not_welcomed(slack: Slack) -> None:
    slack.event({"type": "member_joined_channel", "user": fake_slack.BOT_USER, "channel": "C9"})
    slack.idle()
    assert slack.fake.of("chat.postMessage") == []


def test_uninstall_stops_every_send(slack: Slack, app: Staffroom) -> None:
    slack.join("U1")
    with app.uow_factory() as uow:
        ws = uow.workspaces.by_external_id(Platform.SLACK, fake_slack.TEAM)
        assert ws is not None
        repos = uow.scope(ws.id)
        member = repos.members.by_platform_user("U1")
        assert member is not None
        repos.outbox.enqueue(member, text_message("later"), "k1", app.clock.now())
        uow.commit()
    slack.event({"type": "app_uninstalled"}, event_id="EvU")
    slack.idle()
    assert fetch_all(app, WorkspaceRow)[0].active is False
    worker = app.worker({Platform.SLACK: slack.adapter.sender}, worker_id="t")
    app.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    report = worker.drain()
    assert report.handled == 0
    assert [r.status for r in fetch_all(app, OutboxRow)] == ["pending"]


def test_tokens_revoked_for_the_bot_is_an_uninstall(slack: Slack, app: Staffroom) -> None:
    slack.join("U1")
    slack.event({"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}}, event_id="EvR1")
    slack.idle()
    assert fetch_all(app, WorkspaceRow)[0].active is True  # user tokens only: nothing to do
    slack.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}, event_id="EvR2")
    slack.idle()
    assert fetch_all(app, WorkspaceRow)[0].active is False


def test_typing_to_the_bot_in_its_dm_runs_the_command(slack: Slack) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "DU4",
        "user": "U4",
        "text": "help",
    }
    slack.event(event, event_id="EvDM")
    slack.event({**event, "bot_id": "B0BOT", "user": "UBOT"}, event_id="EvDM2")
    slack.idle()
    [post] = slack.fake.of("chat.postMessage")  # the bot's own message is not a command
    assert "join [program]" in texts(post.params["blocks"])
