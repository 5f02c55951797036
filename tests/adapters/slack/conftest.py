"""The real bolt app served over loopback, talking to a local fake of Slack's Web API."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, ParamSpec, TypeVar

import pytest

from adapters.slack.app import SlackAdapter
from adapters.slack.server import BackgroundServer
from bot.kernel.settings import Settings
from staffroom.bootstrap import Staffroom
from tests.adapters.slack import fake_slack
from tests.adapters.slack.fake_slack import FakeSlack, Reply

P = ParamSpec("P")
T = TypeVar("T")


class CountedWork(ThreadPoolExecutor):
    """The adapter's work pool, counting the pieces of work handed to it and those finished.

    Every request is acknowledged only after its work was handed over, so once a test's requests
    have been answered, ``idle()`` waits for exactly that work: no guessing how long Slack stays quiet.
    """

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="slack")
        self._changed = threading.Condition()
        self.handed = 0
        self.finished = 0

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future = super().submit(fn, *args, **kwargs)
        with self._changed:
            self.handed += 1
        future.add_done_callback(self._done)  # runs at once if the work already finished
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._changed:
            self.finished += 1
            self._changed.notify_all()

    def idle(self, timeout: float = 10.0) -> int:
        """Wait until all work handed over so far has finished; returns how much that was."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.finished < self.handed:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{self.handed - self.finished} piece(s) of work unfinished"
                    )
                self._changed.wait(left)
            return self.handed


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack().start()
    yield server
    server.stop()


def slack_settings(app: Staffroom, fake: FakeSlack, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": fake_slack.BOT_TOKEN,
        "slack_signing_secret": fake_slack.SIGNING_SECRET,
        "slack_api_base_url": fake.api_url,
        **overrides,
    }
    return replace(app.settings, **values)


@dataclass
class Slack:
    """The running app, and helpers to send it what Slack would."""

    adapter: SlackAdapter
    server: BackgroundServer
    fake: FakeSlack
    work: CountedWork

    def idle(self) -> int:
        """Wait until the work after every acknowledgement so far is done; how many pieces it was."""
        return self.work.idle()

    @property
    def url(self) -> str:
        return self.server.url

    def command(
        self, text: str, *, user: str = "U1", command: str = "/staffroom", **kw: Any
    ) -> Reply:
        body = fake_slack.command_body(
            text, user=user, command=command, response_url=self.fake.response_url(user), **kw
        )
        return fake_slack.post(self.url, body, fake_slack.FORM)

    def interact(self, payload: dict[str, Any], **kw: Any) -> Reply:
        return fake_slack.post(
            self.url, fake_slack.interactive_body(payload), fake_slack.FORM, **kw
        )

    def event(self, event: dict[str, Any], *, event_id: str = "Ev1", **kw: Any) -> Reply:
        body = fake_slack.event_body(event, event_id=event_id)
        return fake_slack.post(self.url, body, fake_slack.JSON_TYPE, **kw)

    def opened_view(self, user: str = "U1") -> dict[str, Any]:
        """The modal the app opened for ``user`` most recently."""
        calls = self.fake.wait_for(
            "views.open",
            where=lambda c: str(c.params.get("trigger_id", "")).startswith(f"trigger-{user}-"),
        )
        return dict(calls[-1].params["view"])

    def join(self, user: str = "U1", **values: Any) -> Reply:
        """Join through the real modal, as a teacher would."""
        assert self.command("join", user=user).status == 200
        view = self.opened_view(user)
        filled = {**JOIN_VALUES, "display_name": f"Teacher {user}", **values}
        reply = self.interact(view_submission(view, filled, user=user))
        assert reply.status == 200
        return reply


JOIN_VALUES: dict[str, Any] = {
    "display_name": "Ana Lopez",
    "subjects": "Maths, Physics",
    "grade_bands": ["9-10"],
    "years_experience": "3",
    "school": "Hillcrest High",
    "timezone": "Europe/London",
    "goals": "Ask more open questions",
    "strengths": "",
}


def serve(adapter: SlackAdapter, fake: FakeSlack, work: CountedWork) -> Iterator[Slack]:
    """The adapter over HTTP until the test is done, then every piece of its work finished."""
    with BackgroundServer(adapter.app, door=adapter.door) as server:
        yield Slack(adapter, server, fake, work)
    work.idle()
    work.shutdown(wait=True)


@pytest.fixture
def slack(app: Staffroom, fake: FakeSlack) -> Iterator[Slack]:
    work = CountedWork()
    adapter = SlackAdapter(app.bot, slack_settings(app, fake), engine=app.engine, executor=work)
    yield from serve(adapter, fake, work)


# --- payloads as Slack builds them ----------------------------------------------------------------


def user_block(user: str) -> dict[str, Any]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": fake_slack.TEAM}


def state_values(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """What Slack puts in ``view.state.values`` when someone fills the modal with ``values``."""
    out: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind = element["type"]
        value = values.get(block["block_id"])
        entry: dict[str, Any] = {"type": kind}
        if kind == "static_select":
            entry["selected_option"] = {"value": value} if value else None
        elif kind == "multi_static_select":
            entry["selected_options"] = [{"value": v} for v in value or []]
        elif kind == "datepicker":
            entry["selected_date"] = value
        elif kind == "timepicker":
            entry["selected_time"] = value
        else:
            entry["value"] = value
        out[block["block_id"]] = {element["action_id"]: entry}
    return out


def view_submission(
    view: dict[str, Any], values: dict[str, Any], *, user: str = "U1"
) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": fake_slack.TEAM, "domain": "test-school"},
        "user": user_block(user),
        "api_app_id": "A0APP",
        "token": "legacy",
        "trigger_id": "trigger-submit",
        "view": {
            **view,
            "id": "V1",
            "team_id": fake_slack.TEAM,
            "state": {"values": state_values(view, values)},
            "hash": "h",
        },
        "response_urls": [],
    }


def button_press(
    message: dict[str, Any],
    element: dict[str, Any],
    *,
    user: str = "U1",
    channel: str = "DU1",
    response_url: str = "",
    ephemeral: bool = False,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": fake_slack.TEAM, "domain": "test-school"},
        "user": user_block(user),
        "api_app_id": "A0APP",
        "token": "legacy",
        "trigger_id": f"trigger-press-{user}",
        "container": {
            "type": "message",
            "message_ts": "1.1",
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "channel": {"id": channel, "name": "directmessage"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": element["action_id"],
                "block_id": "b1",
                "text": element["text"],
                "value": element.get("value", ""),
                "action_ts": "1.2",
            }
        ],
    }
    if not ephemeral:
        payload["message"] = {
            "type": "message",
            "ts": "1.1",
            "text": message.get("text", ""),
            "blocks": message["blocks"],
        }
    return payload


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Button label -> element, across a message's actions blocks."""
    return {
        e["text"]["text"]: e for b in blocks if b.get("type") == "actions" for e in b["elements"]
    }


def texts(blocks: list[dict[str, Any]]) -> str:
    """Everything a person reads in some blocks, as one string."""
    parts: list[str] = []
    for b in blocks:
        if isinstance(b.get("text"), dict):
            parts.append(b["text"]["text"])
        for f in b.get("fields") or []:
            parts.append(f["text"])
        for e in b.get("elements") or []:
            if isinstance(e.get("text"), dict):
                parts.append(e["text"]["text"])
            elif isinstance(e.get("text"), str):
                parts.append(e["text"])
    return "\n".join(parts)
