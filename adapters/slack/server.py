"""Serving the bolt app over HTTP: one threaded WSGI server from the standard library.

Slack sends events, slash commands and interactivity to one path, ``/slack/events``; OAuth adds
``/slack/install`` and ``/slack/oauth_redirect``; ``/healthz`` answers a load balancer; ``/digest/...``
is the coordinator's web digest (``adapters/web.py``), when the server is given one. Each request
gets a thread, and the bolt app answers within milliseconds because it acknowledges before working.
Every request to the events path passes the ``Door`` (``door.py``) before bolt sees a byte of it.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from adapters.slack.door import Admitted, Door, RecentSignatures, Refusal, content_length
from adapters.web import serve_digest
from bot.digest.web import DigestWeb, is_digest_path

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    """Request lines go to the debug log instead of stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def wsgi_app(app: App, door: Door | None = None, web: DigestWeb | None = None) -> WSGIApplication:
    """``door`` defaults to one that remembers replays in this process only."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    guard = door or default_door(app)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if web is not None and is_digest_path(str(environ.get("PATH_INFO") or "")):
            return serve_digest(web, environ, start_response)
        if environ.get("PATH_INFO") == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            return through_the_door(guard, slack, environ, start_response)
        return slack(environ, start_response)

    return application


def default_door(app: App) -> Door:
    return Door(app._signing_secret, RecentSignatures())


def through_the_door(
    door: Door, slack: WSGIApplication, environ: WSGIEnvironment, start_response: StartResponse
) -> Iterable[bytes]:
    """Read the raw body, let the door decide, and hand bolt only what it admitted."""
    length = content_length(environ.get("CONTENT_LENGTH"))
    if isinstance(length, Refusal):
        return refuse(length, start_response)
    body = environ["wsgi.input"].read(length) if length else b""
    verdict = door.check(
        body=body,
        content_type=str(environ.get("CONTENT_TYPE") or ""),
        timestamp=environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
        signature=environ.get("HTTP_X_SLACK_SIGNATURE"),
    )
    if isinstance(verdict, Refusal):
        return refuse(verdict, start_response)
    if not isinstance(verdict, Admitted):  # a replay: Slack is answered, nothing is done
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]
    environ["wsgi.input"] = io.BytesIO(verdict.body)
    environ["CONTENT_LENGTH"] = str(len(verdict.body))
    return slack(environ, start_response)


def refuse(refusal: Refusal, start_response: StartResponse) -> Iterable[bytes]:
    data = refusal.reason.encode()
    start_response(
        refusal.status, [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))]
    )
    return [data]


def make_http_server(
    app: App,
    host: str = "0.0.0.0",
    port: int = 3000,
    *,
    door: Door | None = None,
    web: DigestWeb | None = None,
) -> ThreadingWSGIServer:
    server = make_server(
        host,
        port,
        wsgi_app(app, door, web),
        server_class=ThreadingWSGIServer,
        handler_class=QuietHandler,
    )
    assert isinstance(server, ThreadingWSGIServer)
    return server


SHUTDOWN_POLL = 0.02
"""Seconds between the background server's looks at a stop request; ``shutdown()`` waits up to one."""


class BackgroundServer:
    """The HTTP server on a thread: tests and the benchmark start and stop it around their work."""

    def __init__(
        self,
        app: App,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        door: Door | None = None,
        web: DigestWeb | None = None,
    ) -> None:
        self.server = make_http_server(app, host, port, door=door, web=web)
        self.thread = threading.Thread(
            target=self.server.serve_forever, args=(SHUTDOWN_POLL,), daemon=True
        )

    @property
    def url(self) -> str:
        return f"{self.base}{EVENTS_PATH}"

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}"

    def __enter__(self) -> BackgroundServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def run_socket_mode(app: App, app_token: str | None) -> None:
    """Socket Mode: Slack pushes the same requests over a WebSocket; no public URL needed."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    SocketModeHandler(app, app_token).start()  # type: ignore[no-untyped-call]
