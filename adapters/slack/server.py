"""Serving the bolt app over HTTP: one threaded WSGI server from the standard library.

Slack sends events, slash commands and interactivity to one path, ``/slack/events``; OAuth adds
``/slack/install`` and ``/slack/oauth_redirect``; ``/healthz`` answers a load balancer. Each request
gets a thread, and the bolt app answers within milliseconds because it acknowledges before working.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

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


def wsgi_app(app: App) -> WSGIApplication:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return slack(environ, start_response)

    return application


def make_http_server(app: App, host: str = "0.0.0.0", port: int = 3000) -> ThreadingWSGIServer:
    server = make_server(
        host, port, wsgi_app(app), server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
    assert isinstance(server, ThreadingWSGIServer)
    return server


SHUTDOWN_POLL = 0.02
"""Seconds between the background server's looks at a stop request; ``shutdown()`` waits up to one."""


class BackgroundServer:
    """The HTTP server on a thread: tests and the benchmark start and stop it around their work."""

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server = make_http_server(app, host, port)
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
