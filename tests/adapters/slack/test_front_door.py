"""What an attacker sees at Slack's door: malformed or forged requests are refused with a 4xx and no
traceback in the log, and a signed request sent twice within the window does nothing the second time."""

from __future__ import annotations

import http.client
import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import delete

from staffroom.bootstrap import Staffroom
from storage.models.members import MemberRow
from storage.models.platform import SlackSeenRequestRow
from tests.adapters.slack import fake_slack
from tests.adapters.slack.conftest import Slack, view_submission
from tests.conftest import count

pytestmark = (
    pytest.mark.postgres
)  # on PostgreSQL the requests let in are shared through the database


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog


def tracebacks(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Every traceback the server left: logged at ERROR with exc_info, or printed by the WSGI server."""
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    printed = capsys.readouterr().err
    return logged + (["stderr: " + printed] if "Traceback" in printed else [])


def help_body() -> bytes:
    return fake_slack.command_body("help", user="U1")


NOW = str(int(time.time()))
HOSTILE = [
    # (what, body, content type, headers instead of a good signature, expected status)
    ("non-numeric timestamp", help_body(), fake_slack.FORM, {"ts": "12ab"}, 401),
    ("empty timestamp", help_body(), fake_slack.FORM, {"ts": ""}, 401),
    ("stale timestamp, signed", help_body(), fake_slack.FORM, {"ts": str(int(time.time()) - 3600)}, 401),
    ("bad signature", help_body(), fake_slack.FORM, {"sig": "v0=" + "0" * 64}, 401),
    ("non-ASCII signature", help_body(), fake_slack.FORM, {"sig": "v0=é"}, 401),
    ("unsigned truncated JSON", b'{"type": "event_callback", "ev', fake_slack.JSON_TYPE, {"sig": "v0=x"}, 401),
    ("unsigned non-UTF-8", b"\xff\xfe\xfd", fake_slack.JSON_TYPE, {"sig": "v0=x"}, 401),
    ("signed truncated JSON", b'{"type": "event_callback", "ev', fake_slack.JSON_TYPE, {}, 400),
    ("signed JSON that is a list", b"[1, 2]", fake_slack.JSON_TYPE, {}, 400),
    ("signed non-UTF-8 JSON", b"\xff\xfe\xfd", fake_slack.JSON_TYPE, {}, 400),
    ("signed non-UTF-8 form", b"text=\xff&command=%2Fstaffroom", fake_slack.FORM, {}, 400),
    ("signed form, broken payload", urlencode({"payload": '{"type": "block_ac'}).encode(), fake_slack.FORM, {}, 400),
    ("signed form, payload not UTF-8", b"payload=%7B%22a%22%3A%22%ff%22%7D", fake_slack.FORM, {}, 400),
    ("signed JSON nested absurdly deep", b"[" * 5000 + b"]" * 5000, fake_slack.JSON_TYPE, {}, 400),
    ("signed, unexpected content type", b"hello", "text/plain", {}, 400),
    ("signed event that is not an object", b'{"type": "event_callback", "event": "x"}', fake_slack.JSON_TYPE, {}, 400),
    ("signed payload without a type", urlencode({"payload": '{"actions": []}'}).encode(), fake_slack.FORM, {}, 400),
    ("signed button press with no action", urlencode({"payload": '{"type": "block_actions"}'}).encode(), fake_slack.FORM, {}, 400),
    ("signed payload, actions not objects", urlencode({"payload": '{"type": "block_actions", "actions": ["x"]}'}).encode(), fake_slack.FORM, {}, 400),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "body", "content_type", "forged", "status"),
    HOSTILE,
    ids=[case[0] for case in HOSTILE],
)
def test_a_malformed_or_forged_request_is_refused_without_a_traceback(
    slack: Slack,
    app: Staffroom,
    logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    what: str,
    body: bytes,
    content_type: str,
    forged: dict[str, str],
    status: int,
) -> None:
    ts = forged.get("ts", str(int(time.time())))
    headers = {"X-Slack-Request-Timestamp": ts}
    signature = forged.get("sig") or (
        fake_slack.sign(body, ts) if ts.isdigit() else "v0=" + "1" * 64
    )
    reply = fake_slack.post(slack.url, body, content_type, signature=signature, headers=headers)
    assert reply.status == status, what
    assert b"Traceback" not in reply.body
    assert slack.idle() == 0  # no work handed on
    assert tracebacks(logs, capsys) == []
    assert [c.method for c in slack.fake.calls if c.method != "auth.test"] == []
    assert count(app, MemberRow) == 0 and count(app, SlackSeenRequestRow) == 0


def test_an_oversized_body_is_refused_unread(slack: Slack) -> None:
    """Only the headers are sent: the refusal comes before the server waits for a megabyte."""
    host, port = slack.server.server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        connection.putrequest("POST", "/slack/events")
        connection.putheader("Content-Type", fake_slack.FORM)
        connection.putheader("Content-Length", str(1024 * 1024 + 1))
        connection.endheaders()
        assert connection.getresponse().status == 413
    finally:
        connection.close()
    assert slack.idle() == 0


def test_a_replayed_slash_command_is_answered_once(
    slack: Slack, app: Staffroom, logs: pytest.LogCaptureFixture
) -> None:
    body = fake_slack.command_body("help", user="U1", response_url=slack.fake.response_url("U1"))
    ts = int(time.time())
    first = fake_slack.post(slack.url, body, fake_slack.FORM, timestamp=ts)
    assert first.status == 200
    slack.idle()
    answered = len(slack.fake.of("response_url"))
    assert answered == 1
    calls = len(slack.fake.calls)
    again = fake_slack.post(slack.url, body, fake_slack.FORM, timestamp=ts)
    assert (again.status, again.body) == (200, b"")
    slack.idle()
    assert len(slack.fake.calls) == calls  # no Web API call, no second answer
    shared = app.engine.dialect.name == "postgresql"  # SQLite: the server's memory keeps them
    assert count(app, SlackSeenRequestRow) == (1 if shared else 0)
    # The same command signed anew (a new timestamp) is a new request, and is answered.
    assert fake_slack.post(slack.url, body, fake_slack.FORM, timestamp=ts + 1).status == 200
    slack.idle()
    assert len(slack.fake.of("response_url")) == 2


def test_a_replayed_form_submission_has_no_second_effect(slack: Slack, app: Staffroom) -> None:
    assert slack.command("join", user="U1").status == 200
    view = slack.opened_view("U1")
    submission = fake_slack.interactive_body(
        view_submission(view, {"display_name": "Ana Lopez", "grade_bands": ["9-10"]} | FILLED)
    )
    ts = int(time.time())
    assert fake_slack.post(slack.url, submission, fake_slack.FORM, timestamp=ts).status == 200
    slack.idle()
    assert count(app, MemberRow) == 1
    with app.engine.begin() as conn:  # the teacher leaves; a replayed join must not bring them back
        conn.execute(delete(MemberRow))
    calls = len(slack.fake.calls)
    replay = fake_slack.post(slack.url, submission, fake_slack.FORM, timestamp=ts)
    assert (replay.status, replay.body) == (200, b"")
    slack.idle()
    assert count(app, MemberRow) == 0
    assert len(slack.fake.calls) == calls


def test_a_replayed_event_has_no_second_effect(slack: Slack) -> None:
    body = fake_slack.event_body(
        {"type": "app_home_opened", "user": "U1", "tab": "home"}, event_id="EvHome"
    )
    ts = int(time.time())
    assert fake_slack.post(slack.url, body, fake_slack.JSON_TYPE, timestamp=ts).status == 200
    slack.idle()
    calls = len(slack.fake.calls)
    assert fake_slack.post(slack.url, body, fake_slack.JSON_TYPE, timestamp=ts).status == 200
    assert slack.idle() == 1  # only the first was handed on
    assert len(slack.fake.calls) == calls


def test_url_verification_still_answers_its_challenge(slack: Slack) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}).encode()
    reply = fake_slack.post(slack.url, body, fake_slack.JSON_TYPE)
    assert reply.status == 200 and b"c-123" in reply.body


FILLED = {
    "subjects": "Maths",
    "years_experience": "3",
    "school": "Hillcrest High",
    "timezone": "Europe/London",
    "goals": "Ask more open questions",
    "strengths": "",
}


def test_every_copy_of_the_server_recognises_a_replay(app: Staffroom) -> None:
    """Two servers on one database (behind a load balancer): a request let in by one is a replay
    at the other, and signatures past the window are pruned."""
    from adapters.slack.door import Door, Remembered
    from storage.repositories.replays import KEEP_SECONDS, SqlSeenRequests

    clock = [float(int(time.time()))]
    one = Door(fake_slack.SIGNING_SECRET, Remembered(SqlSeenRequests(app.engine)))
    other = Door(
        fake_slack.SIGNING_SECRET,
        Remembered(SqlSeenRequests(app.engine, lambda: clock[0])),
        clock=lambda: clock[0],
    )
    body = help_body()

    def knock(door: Door) -> str:
        ts = str(int(clock[0]))
        verdict = door.check(
            body=body,
            content_type=fake_slack.FORM,
            timestamp=ts,
            signature=fake_slack.sign(body, ts),
        )
        return type(verdict).__name__

    assert knock(one) == "Admitted"
    assert knock(other) == "Replayed"
    clock[0] += KEEP_SECONDS + 120
    assert knock(other) == "Admitted"  # signed anew, later
    assert count(app, SlackSeenRequestRow) == 1  # the old one was pruned
