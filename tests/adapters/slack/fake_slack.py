"""A local HTTP server that plays Slack's Web API (and response URLs, and file uploads), recording
every call, plus a client that signs requests the way Slack does. Used by the tests and the benchmark.

Only Slack's side is fake: the bolt app, slack_sdk's clients and their retry handlers are the real ones.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode, urlsplit

SIGNING_SECRET = "test-signing-secret-0123456789"
BOT_TOKEN = "xoxb-test-token"
TEAM = "T0TEST"
BOT_USER = "UBOT"
OAUTH_TOKEN = "xoxb-oauth-token"
SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "im:history",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
    "files:write",
)
"""What an install from ``adapters/slack/manifest.yaml`` grants; a test narrows it to play an old install."""


@dataclass
class Call:
    method: str
    """Web API method (``chat.postMessage``), or ``response_url`` / ``upload`` for the other endpoints."""
    params: dict[str, Any]
    token: str | None
    path: str


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


@dataclass
class FakeSlack:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _scripts: dict[str, list[Scripted]] = field(default_factory=dict)
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))  # type: ignore[type-arg]
    server: ThreadingHTTPServer | None = None
    oauth_team: str = "T0OAUTH"
    tokens: set[str] = field(default_factory=lambda: {BOT_TOKEN, OAUTH_TOKEN})
    """Bot tokens this Slack issued: ``auth.test`` refuses any other, as Slack does."""
    scopes: list[str] | None = field(default_factory=lambda: list(SCOPES))
    """The installed bot scopes, sent in ``x-oauth-scopes`` on every Web API answer to a token
    (``None``: no such header, as behind a proxy that drops it)."""
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Messages posted, by channel, newest first: what ``conversations.history`` answers."""
    group_dms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Group DMs opened, by channel id: who is in each (the bot besides)."""

    # --- lifecycle --------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self)

            def do_POST(self) -> None:
                fake._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A short poll: stop() waits up to one interval for the serving loop to notice.
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def base(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base}/response/{name}"

    # --- scripting and inspection -----------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str = "internal_error",
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls of ``method`` fail (HTTP ``status``, Slack ``error``)."""
        self._scripts.setdefault(method, []).append(
            Scripted(status, {"ok": False, "error": error}, headers or {}, times)
        )

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait until ``count`` matching calls arrived (work happens after the ack, on threads);
        returns as soon as they have, with every matching call so far."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [
                    c for c in self.calls if c.method == method and (where is None or where(c))
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    names = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} {method} call(s); calls were {names}")
                self._lock.wait(left)

    # --- the server -------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        params: dict[str, Any] = dict(parse_qsl(parts.query))
        ctype = request.headers.get("Content-Type") or ""
        if raw and parts.path.startswith("/upload/"):
            params["_raw"] = raw
        elif raw and "json" in ctype:
            params.update(json.loads(raw))
        elif raw and "x-www-form-urlencoded" in ctype:
            params.update(dict(parse_qsl(raw.decode())))
        elif raw:
            params["_raw"] = raw
        auth = request.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ").strip() or params.get("token")
        if parts.path == "/_count":  # for a benchmark running this server in its own process
            with self._lock:
                wanted = params.get("method")  # "*": every call but the start-up auth.test
                n = sum(
                    1
                    for c in self.calls
                    if c.method == wanted or (wanted == "*" and c.method != "auth.test")
                )
            data = json.dumps({"count": n}).encode()
            request.send_response(200)
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
            return
        if parts.path.startswith("/api/"):
            method = parts.path.removeprefix("/api/")
        elif parts.path.startswith("/response/"):
            method = "response_url"
        elif parts.path.startswith("/upload/"):
            method = "upload"
        else:
            method = parts.path
        call = Call(method, params, token, parts.path)
        status, body, headers = self._answer(call)
        if parts.path.startswith("/api/") and token in self.tokens and self.scopes is not None:
            headers = {"x-oauth-scopes": ",".join(self.scopes), **headers}
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request.send_response(status)
        request.send_header(
            "Content-Type", "application/json" if not isinstance(body, bytes) else "text/plain"
        )
        request.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            request.send_header(k, v)
        request.end_headers()
        request.wfile.write(data)

    def _answer(self, call: Call) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            scripts = self._scripts.get(call.method) or []
            if scripts:
                script = scripts[0]
                script.times -= 1
                if script.times <= 0:
                    scripts.pop(0)
                return script.status, script.body, script.headers
        if call.method in ("response_url", "upload"):
            return 200, b"ok", {}
        return 200, self._ok(call), {}

    def _open(self, users: str) -> dict[str, Any]:
        """conversations.open as Slack answers it: one user is their DM; two to eight open (or
        reopen) the one group DM of exactly those people, which needs the mpim:write scope."""
        ids = [u.strip() for u in users.split(",") if u.strip()]
        if not ids:
            return {"ok": False, "error": "users_list_not_supplied"}
        if len(ids) > 8:
            return {"ok": False, "error": "too_many_users"}
        if len(set(ids)) != len(ids) or any(u[:1] not in ("U", "W") for u in ids):
            return {"ok": False, "error": "user_not_found"}
        if BOT_USER in ids:
            return {"ok": False, "error": "cannot_dm_bot"}
        if len(ids) == 1:
            return {"ok": True, "channel": {"id": "D" + ids[0]}}
        if self.scopes is not None and "mpim:write" not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": "mpim:write"}
        members = tuple(sorted(ids))
        channel = "G" + hashlib.sha1(",".join(members).encode()).hexdigest()[:10].upper()
        with self._lock:
            self.group_dms[channel] = members
        return {"ok": True, "channel": {"id": channel, "is_mpim": True}}

    def _ok(self, call: Call) -> dict[str, Any]:
        m, p = call.method, call.params
        if m == "auth.test":
            if not call.token:
                return {"ok": False, "error": "not_authed"}
            if call.token not in self.tokens:
                return {"ok": False, "error": "invalid_auth"}
            return {
                "ok": True,
                "team_id": TEAM,
                "team": "Test School",
                "user_id": BOT_USER,
                "bot_id": "B0BOT",
                "url": "https://test.slack.com/",
            }
        if m == "users.info":
            uid = str(p.get("user"))
            user = self.users.get(uid) or {
                "id": uid,
                "name": uid.lower(),
                "real_name": f"Teacher {uid}",
                "tz": "Europe/London",
                "profile": {
                    "real_name": f"Teacher {uid}",
                    "display_name": "",
                    "email": f"{uid.lower()}@school.example",
                },
            }
            if str(p.get("include_locale")).lower() not in ("1", "true"):
                # Slack leaves the client's language out unless include_locale asks for it.
                user = {k: v for k, v in user.items() if k != "locale"}
            return {"ok": True, "user": user}
        if m == "conversations.open":
            return self._open(str(p.get("users") or ""))
        if m in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            channel = str(p.get("channel"))
            if m == "chat.postMessage" and channel[:1] in ("U", "W"):
                channel = "D" + channel  # posting to a user id opens the DM, as Slack does
            ts = f"1700000000.{next(self._ts):06d}"
            if m == "chat.postMessage":
                metadata = p.get("metadata") or {}
                metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
                posted = {"ts": ts, "text": p.get("text", ""), "metadata": metadata}
                self.history.setdefault(channel, []).insert(0, posted)
            return {"ok": True, "channel": channel, "ts": ts}
        if m == "conversations.history":
            # Newest first, with each message's metadata (asked for with include_all_metadata).
            found = self.history.get(str(p.get("channel")), [])
            return {"ok": True, "messages": found[: int(p.get("limit") or 100)]}
        if m == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):05d}"
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if m == "files.completeUploadExternal":
            files = p.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": files}
        if m in ("views.open", "views.publish", "views.update", "views.push"):
            return {"ok": True, "view": {"id": "V1"}}
        if m == "oauth.v2.access":
            return {
                "ok": True,
                "app_id": "A0APP",
                "authed_user": {"id": "UINSTALLER"},
                "scope": "commands,chat:write",
                "token_type": "bot",
                "access_token": OAUTH_TOKEN,
                "bot_user_id": "UBOT2",
                "team": {"id": self.oauth_team, "name": "OAuth School"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        return {"ok": True}


# --- signed requests to the app, as Slack sends them ---------------------------------------------


def sign(body: bytes, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def post(
    url: str,
    body: bytes,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature or sign(body, ts, secret),
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Reply(response.status, response.read())
    except HTTPError as exc:
        return Reply(exc.code, exc.read())


def command_body(
    text: str,
    *,
    user: str = "U1",
    team: str = TEAM,
    command: str = "/staffroom",
    response_url: str = "",
    channel: str = "C1",
) -> bytes:
    return urlencode(
        {
            "token": "legacy",
            "team_id": team,
            "team_domain": "test-school",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0APP",
            "response_url": response_url,
            "trigger_id": f"trigger-{user}-{time.monotonic_ns()}",
        }
    ).encode()


def interactive_body(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def event_body(event: dict[str, Any], *, event_id: str = "Ev1", team: str = TEAM) -> bytes:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A0APP",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        }
    ).encode()


FORM = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"


if (
    __name__ == "__main__"
):  # a fake Slack in its own process: prints its base URL, serves until killed
    server = FakeSlack().start()
    print(server.base, flush=True)
    threading.Event().wait()
