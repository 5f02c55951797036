"""The real Teams app on a loopback port, and a local HTTP server playing the Bot Connector service.

Tests post Activity JSON as Teams sends it to ``/api/messages``; every activity's ``serviceUrl`` points at
the fake connector, which records each call (method, path, JSON) and can be told to answer 429 or 403.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from adapters.pacing import SharedPacers
from adapters.teams.app import PLATFORM, build_teams_app
from adapters.teams.messenger import TeamsMessenger
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.domain import Platform
from bot.kernel.settings import Settings
from staffroom.bootstrap import Staffroom
from storage.db import make_session_factory
from storage.repositories.platform import SqlTeamsConversations
from storage.repositories.rate_budgets import SqlRateBudgets
from tests.support.aiohttp_loop import Loop

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:staffroom-bot"
TOKEN_PATH = "/oauth2/v2.0/token"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any]


@dataclass
class FakeConnector:
    """Plays ``/v3/conversations``: creates 1:1 chats, accepts activities, records everything."""

    calls: list[Call] = field(default_factory=list)
    planned: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """Answers to give before the normal ones: (status, headers), first in first out."""
    gone: set[str] = field(default_factory=set)
    """Conversation ids whose user removed the app: 403 like Teams."""
    unknown_members: set[str] = field(default_factory=set)
    """Users the member lookup does not find (no e-mail hint for them)."""
    returned: list[str] = field(default_factory=list)
    """Activity ids handed back, in order."""
    apps: dict[str, str] = field(default_factory=dict)
    """App id -> client secret that ``/{tenant}/oauth2/v2.0/token`` accepts, as Entra ID would."""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.endswith(TOKEN_PATH):
            return await self.token(request)
        body = await request.json() if request.can_read_body else {}
        with self._arrived:
            self.calls.append(Call(request.method, request.path, body))
            self._arrived.notify_all()
        if self.planned:
            status, headers = self.planned.pop(0)
            return web.json_response(
                {"error": {"code": "Throttled", "message": "planned"}},
                status=status,
                headers=headers,
            )
        parts = request.path.strip("/").split("/")
        if len(parts) >= 3 and parts[2] in self.gone:
            return web.json_response(
                {
                    "error": {
                        "code": "Forbidden",
                        "message": "The bot is not part of the conversation roster.",
                    }
                },
                status=403,
            )
        if request.method == "GET" and len(parts) == 5 and parts[3] == "members":
            # TeamsInfo.get_member: who someone is, with the e-mail activities do not carry.
            member = parts[4]
            user = member.removeprefix("29:")
            if user in self.unknown_members:
                return web.json_response({"error": {"code": "NotFound"}}, status=404)
            return web.json_response(
                {
                    "id": member,
                    "name": user.title(),
                    "aadObjectId": f"aad-{user}",
                    "email": f"{user}@school.example",
                    "userPrincipalName": f"{user}@school.example",
                }
            )
        if request.path == "/v3/conversations" and request.method == "POST":
            member = body["members"][0]["id"]
            return web.json_response({"id": f"a:personal-{member}", "activityId": ""})
        activity_id = f"activity-{next(self._ids)}"
        self.returned.append(activity_id)
        return web.json_response({"id": activity_id})

    async def token(self, request: web.Request) -> web.StreamResponse:
        """Entra ID's client-credentials grant, which botbuilder's ``MicrosoftAppCredentials`` uses
        (through MSAL) to get the bot's token: the same form fields in, its error shapes out."""
        form = dict(await request.post())
        with self._arrived:
            self.calls.append(
                Call(request.method, request.path, {k: str(v) for k, v in form.items()})
            )
            self._arrived.notify_all()
        if request.method != "POST" or form.get("grant_type") != "client_credentials":
            return _entra_error(
                400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
            )
        if form.get("scope") != BOT_FRAMEWORK_SCOPE:
            return _entra_error(
                400,
                "invalid_scope",
                70011,
                "The provided value for the input parameter 'scope' is not valid.",
            )
        app_id = str(form.get("client_id", ""))
        if app_id not in self.apps:
            return _entra_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{app_id}' was not found in the directory 'Bot Framework'.",
            )
        if form.get("client_secret") != self.apps[app_id]:
            return _entra_error(401, "invalid_client", 7000215, "Invalid client secret provided.")
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": f"token-for-{app_id}",
            }
        )

    # --- what tests read -------------------------------------------------------------------------
    def sent(self) -> list[Call]:
        """Messages sent or updated (not conversations created)."""
        return [c for c in self.calls if "/activities" in c.path]

    def wait_sent(self, count: int, timeout: float = 30.0) -> list[Call]:
        """Wait until ``count`` messages were sent (by another process, or a worker's thread);
        returns as soon as they were, with every one sent so far."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(sent := self.sent()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} message(s); calls were {self.calls}")
                self._arrived.wait(left)
            return sent

    def cards(self) -> list[dict[str, Any]]:
        return [a["content"] for c in self.sent() for a in c.body.get("attachments") or []]

    def texts(self) -> list[str]:
        out = []
        for c in self.sent():
            if c.body.get("text"):
                out.append(c.body["text"])
            for a in c.body.get("attachments") or []:
                out.extend(_card_texts(a["content"]))
        return out

    def clear(self) -> None:
        self.calls.clear()


def _entra_error(status: int, error: str, code: int, description: str) -> web.Response:
    return web.json_response(
        {
            "error": error,
            "error_description": f"AADSTS{code}: {description} Trace ID: 0000 Timestamp: 2026-11-23 09:00:00Z",
            "error_codes": [code],
        },
        status=status,
    )


def _card_texts(element: Any) -> list[str]:
    if isinstance(element, dict):
        found = [element["text"]] if element.get("type") == "TextBlock" else []
        for value in element.values():
            found.extend(_card_texts(value))
        return found
    if isinstance(element, list):
        return [t for v in element for t in _card_texts(v)]
    return []


class Wall:
    """The wall clock the tenants' rate budgets read: sleeping in a budget moves it on at once, so
    a test sees what waited and for how long without waiting."""

    def __init__(self) -> None:
        self.now = time.time()
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += max(seconds, 0.0)


@dataclass
class Teams:
    url: str
    service_url: str
    connector: FakeConnector
    store: SqlTeamsConversations
    messenger: TeamsMessenger
    worker: DeliveryWorker
    wall: Wall = field(default_factory=Wall)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def post(
        self,
        body: dict[str, Any] | bytes,
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url,
            data=data,
            method="POST",
            headers={"Content-Type": content_type, **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw.decode(errors="replace")

    def activity(
        self,
        kind: str = "message",
        *,
        user: str = "ana",
        user_name: str = "Ana Lopez",
        channel: bool = False,
        activity_id: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """An activity shaped like Teams': aadObjectId, tenant in conversation and channelData."""
        conversation: dict[str, Any] = (
            {
                "id": "19:general@thread.tacv2;messageid=1",
                "conversationType": "channel",
                "isGroup": True,
                "tenantId": TENANT,
            }
            if channel
            else {"id": f"a:1on1-{user}", "conversationType": "personal", "tenantId": TENANT}
        )
        channel_data: dict[str, Any] = {"tenant": {"id": TENANT}}
        if channel:
            channel_data.update(
                team={"id": "19:team@thread.tacv2", "name": "Hillcrest Staff"},
                channel={"id": "19:general@thread.tacv2"},
            )
        return {
            "type": kind,
            "id": activity_id or f"act-{next(self._ids)}",
            "timestamp": "2026-11-23T09:00:00.000Z",
            "localTimezone": "Europe/London",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": f"29:{user}", "name": user_name, "aadObjectId": f"aad-{user}"},
            "conversation": conversation,
            "recipient": {"id": BOT_ID, "name": "Staffroom"},
            "channelData": channel_data,
            **extra,
        }

    def say(self, text: str, **kw: Any) -> tuple[int, Any]:
        return self.post(self.activity(text=text, **kw))

    def press(
        self, card_action_data: dict[str, Any], inputs: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[int, Any]:
        """What Teams posts for an Action.Submit: a message activity whose value is data + inputs."""
        return self.post(self.activity(value={**card_action_data, **(inputs or {})}, **kw))


@pytest.fixture
def teams(app: Staffroom) -> Iterator[Teams]:
    loop = Loop()
    connector = FakeConnector()
    settings = Settings(database_url="unused", teams_allow_unauthenticated=True)
    store = SqlTeamsConversations(make_session_factory(app.engine), app.clock.now)
    connector_port = loop.serve(connector.app())
    # One budget a tenant, in the test's database, shared by replies and the outbox's messenger.
    wall = Wall()
    pacers = SharedPacers(SqlRateBudgets(app.engine), PLATFORM, clock=wall.clock, sleep=wall.sleep)
    port = loop.serve(build_teams_app(app.bot, store, settings, pacers=pacers))
    from adapters.teams.app import make_adapter

    messenger = TeamsMessenger(lambda: make_adapter(settings), store, pacers=pacers)
    worker = app.worker({Platform.TEAMS: messenger}, worker_id="teams-test")
    try:
        yield Teams(
            url=f"http://127.0.0.1:{port}/api/messages",
            service_url=f"http://127.0.0.1:{connector_port}/",
            connector=connector,
            store=store,
            messenger=messenger,
            worker=worker,
            wall=wall,
        )
    finally:
        messenger.close()
        loop.close()


def find_action(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The data of the card's button with this title, as Teams would post it back."""
    for element in _walk(card):
        if element.get("type") == "Action.Submit" and element.get("title") == title:
            return dict(element["data"])
    raise AssertionError(f"no button {title!r} in card")


def inputs_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in _walk(card) if str(e.get("type", "")).startswith("Input.")}


def _walk(element: Any) -> Iterator[dict[str, Any]]:
    if isinstance(element, dict):
        yield element
        for value in element.values():
            yield from _walk(value)
    elif isinstance(element, list):
        for value in element:
            yield from _walk(value)
