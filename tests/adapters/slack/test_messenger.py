"""The outbox delivered to Slack by the real DeliveryWorker and SlackMessenger, against the fake API."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta

import pytest

from adapters.slack.messenger import UNREACHABLE_ERRORS, SlackMessenger
from bot.kernel.domain import Member, OutboxItem, Platform
from bot.kernel.messages import Actions, Attachment, Button, Image, Message, Section
from bot.kernel.ports import SendResult
from staffroom.bootstrap import Staffroom
from storage.models.kernel import OutboxRow
from storage.models.members import MemberRow
from tests.adapters.slack import fake_slack
from tests.adapters.slack.conftest import texts
from tests.adapters.slack.fake_slack import FakeSlack
from tests.conftest import fetch_all

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake-chart").decode()


@pytest.fixture
def messenger(fake: FakeSlack) -> SlackMessenger:
    return SlackMessenger(token=fake_slack.BOT_TOKEN, base_url=fake.api_url)


@pytest.fixture
def member(app: Staffroom) -> Iterator[Member]:
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.SLACK, fake_slack.TEAM, "Test School")
        added = uow.scope(ws.id).members.add(
            Member(workspace_id=ws.id, platform_user_id="U1", display_name="Ana Lopez")
        )
        uow.commit()
    yield added


def enqueue(app: Staffroom, member: Member, message: Message, key: str) -> None:
    with app.uow_factory() as uow:
        assert uow.scope(member.workspace_id).outbox.enqueue(member, message, key, app.clock.now())
        uow.commit()


def deliver(app: Staffroom, messenger: SlackMessenger) -> None:
    app.worker({Platform.SLACK: messenger}, worker_id="w").drain()


def rows(app: Staffroom) -> list[OutboxRow]:
    return fetch_all(app, OutboxRow)


def test_a_message_goes_to_the_members_dm_and_its_ts_is_recorded(
    app: Staffroom, member: Member, messenger: SlackMessenger, fake: FakeSlack
) -> None:
    message = Message(
        text="Your new pairing",
        blocks=(
            Section("You're paired with <Ben> & co"),
            Actions((Button("We met", "pairing.met", "7"),)),
        ),
        ephemeral=False,
    )
    enqueue(app, member, message, "pair-1")
    deliver(app, messenger)
    # One call, not two: a post to the user id opens the DM, and Slack names it in the answer.
    assert fake.of("conversations.open") == []
    [post] = fake.of("chat.postMessage")
    assert post.token == fake_slack.BOT_TOKEN
    assert post.params["channel"] == "U1"
    assert "You're paired with &lt;Ben&gt; &amp; co" in texts(post.params["blocks"])
    [row] = rows(app)
    assert row.status == "sent"
    assert row.platform_message_id and row.platform_message_id.startswith("DU1:1700000000.")

    enqueue(app, member, Message(text="Next week"), "pair-2")
    deliver(app, messenger)
    assert fake.of("chat.postMessage")[-1].params["channel"] == "DU1"  # the DM id, remembered

    fake.fail("chat.postMessage", error="channel_not_found")  # that DM is gone
    enqueue(app, member, Message(text="The week after"), "pair-3")
    deliver(app, messenger)
    assert [p.params["channel"] for p in fake.of("chat.postMessage")[-2:]] == ["DU1", "U1"]
    assert [r.status for r in rows(app)] == ["sent", "sent", "sent"]


def test_a_short_429_is_waited_out_in_place_and_sent_once(
    app: Staffroom, member: Member, messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.fail("chat.postMessage", status=429, error="ratelimited", headers={"Retry-After": "0"})
    enqueue(app, member, Message(text="hello"), "k")
    deliver(app, messenger)
    assert len(fake.of("chat.postMessage")) == 2  # the 429, then slack_sdk's retry
    [row] = rows(app)
    assert (row.status, row.attempts) == ("sent", 1)


def test_a_429_teaches_the_workspace_pacer_to_space_the_next_posts(
    app: Staffroom, member: Member, messenger: SlackMessenger, fake: FakeSlack
) -> None:
    pacer = messenger.clients.pacer_for(fake_slack.TEAM)
    assert pacer.rate is None  # unpaced until Slack says "too fast"
    fake.fail("chat.postMessage", status=429, error="ratelimited", headers={"Retry-After": "0"})
    enqueue(app, member, Message(text="hello"), "k")
    deliver(app, messenger)
    assert rows(app)[0].status == "sent"
    assert pacer.rate is not None and pacer.rate >= 1.0


def test_a_known_ceiling_paces_posts_from_the_first(fake: FakeSlack) -> None:
    from adapters.slack.messenger import clients_from_settings
    from bot.kernel.settings import Settings

    settings = Settings(
        slack_bot_token=fake_slack.BOT_TOKEN,
        slack_api_base_url=fake.api_url,
        slack_messages_per_second=2.0,
    )
    messenger = SlackMessenger(clients=clients_from_settings(settings))
    assert messenger.clients.pacer_for(fake_slack.TEAM).rate == 2.0


def test_a_long_429_goes_back_to_the_outbox_with_slacks_delay(
    app: Staffroom, member: Member, messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.fail("chat.postMessage", status=429, error="ratelimited", headers={"Retry-After": "120"})
    enqueue(app, member, Message(text="hello"), "k")
    deliver(app, messenger)
    [row] = rows(app)
    assert row.status == "pending"
    assert row.next_attempt_at == app.clock.now() + timedelta(seconds=120)
    app.clock.advance(timedelta(seconds=121))  # type: ignore[attr-defined]
    deliver(app, messenger)
    [row] = rows(app)
    assert (row.status, row.attempts) == ("sent", 2)
    ok_posts = [c for c in fake.of("chat.postMessage")]
    assert len(ok_posts) == 2  # one refused, one delivered: nothing lost, nothing doubled


def test_files_and_pictures_are_uploaded_and_a_failed_upload_does_not_repost(
    app: Staffroom, member: Member, messenger: SlackMessenger, fake: FakeSlack
) -> None:
    message = Message(
        text="Observation booked",
        blocks=(Section("Tue 10:00, Room 4"), Image("Confidence trend", PNG)),
        attachments=(
            Attachment("observation.ics", "text/calendar", "BEGIN:VCALENDAR\nEND:VCALENDAR\n"),
        ),
    )
    fake.fail("files.completeUploadExternal", status=500, error="internal_error")
    enqueue(app, member, message, "obs-1")
    deliver(app, messenger)
    assert rows(app)[0].status == "pending"
    app.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    deliver(app, messenger)
    assert rows(app)[0].status == "sent"
    assert len(fake.of("chat.postMessage")) == 1
    uploads = fake.of("files.getUploadURLExternal")
    assert [u.params["filename"] for u in uploads][-2:] == [
        "confidence-trend.png",
        "observation.ics",
    ]
    raw = [c.params["_raw"] for c in fake.of("upload")]
    assert b"fake-chart" in raw[-2] and b"BEGIN:VCALENDAR" in raw[-1]
    completed = fake.of("files.completeUploadExternal")
    assert all(c.params["channel_id"] == "DU1" for c in completed)


@pytest.mark.parametrize(
    "error", ["account_inactive", "user_not_found", "cannot_dm_bot", "invalid_auth"]
)
def test_permanent_errors_fail_at_once(
    app: Staffroom, member: Member, messenger: SlackMessenger, fake: FakeSlack, error: str
) -> None:
    fake.fail("chat.postMessage", error=error)
    enqueue(app, member, Message(text="hello"), "k")
    deliver(app, messenger)
    [row] = rows(app)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, error)
    # About the person, not the workspace: nothing more is planned for them until they write.
    [stored] = fetch_all(app, MemberRow)
    assert stored.reachable is (error not in UNREACHABLE_ERRORS)


def test_blocks_slack_refuses_fall_back_to_text(
    app: Staffroom, member: Member, messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.fail("chat.postMessage", error="invalid_blocks")
    enqueue(app, member, Message(text="plain words", blocks=(Section("x"),)), "k")
    deliver(app, messenger)
    assert rows(app)[0].status == "sent"
    last = fake.of("chat.postMessage")[-1]
    # Still carrying the outbox key: a retry after a crash here finds it instead of re-sending.
    assert last.params == {
        "channel": "U1",
        "text": "plain words",
        "metadata": {"event_type": "staffroom_outbox", "event_payload": {"key": "k"}},
    }


class Killed(BaseException):
    """The copy dying right after Slack took the post, before it was recorded."""


class DiesAfterSend:
    def __init__(self, messenger: SlackMessenger) -> None:
        self.platform = Platform.SLACK
        self.inner = messenger

    def send(self, item: OutboxItem, message: Message) -> SendResult:
        self.inner.send(item, message)
        raise Killed()


def test_a_text_only_repost_that_got_through_before_a_crash_is_not_posted_again(
    app: Staffroom, member: Member, messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.fail("chat.postMessage", error="invalid_blocks")
    enqueue(app, member, Message(text="plain words", blocks=(Section("x"),)), "k")
    with pytest.raises(Killed):
        app.worker({Platform.SLACK: DiesAfterSend(messenger)}, worker_id="w").drain()  # type: ignore[dict-item]
    assert len(fake.of("chat.postMessage")) == 2  # the refused blocks, then the text that got in
    assert app.queue.release_claims("w", app.clock.now()) == 1  # the copy restarts
    report = app.worker({Platform.SLACK: messenger}, worker_id="w").drain()
    assert (report.sent, report.found_sent) == (1, 1)  # found by its key in the DM's history
    assert len(fake.of("chat.postMessage")) == 2  # nothing posted again
    [row] = rows(app)
    assert row.status == "sent" and row.platform_message_id


def test_a_form_in_a_delivered_message_becomes_a_button_that_opens_it(
    app: Staffroom, member: Member, messenger: SlackMessenger, fake: FakeSlack
) -> None:
    from bot.kernel.messages import Form, Input

    form = Form(
        "checkin.answer", "Weekly check-in", (Input("note", "Anything to add?"),), state="42"
    )
    enqueue(app, member, Message(text="Check-in time", form=form), "k")
    deliver(app, messenger)
    [post] = fake.of("chat.postMessage")
    [actions] = [b for b in post.params["blocks"] if b["type"] == "actions"]
    assert actions["elements"][0]["text"]["text"] == "Open: Weekly check-in"
    assert '"form_id":"checkin.answer"' in actions["elements"][0]["value"]
