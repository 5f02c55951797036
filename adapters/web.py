"""The web digest over WSGI: the shim the Slack server mounts at ``/digest/...``, and the small
threaded server ``staffroom web`` runs for console installs (no chat platform, no SDK loaded).

Everything is decided by the core's ``DigestWeb``; this only moves the method, path and query in
and the status, headers and body out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from bot.digest.web import DigestWeb, is_digest_path

log = logging.getLogger(__name__)


def serve_digest(
    web: DigestWeb, environ: WSGIEnvironment, start_response: StartResponse
) -> Iterable[bytes]:
    response = web.respond(
        str(environ.get("REQUEST_METHOD") or "GET"),
        str(environ.get("PATH_INFO") or ""),
        str(environ.get("QUERY_STRING") or ""),
    )
    start_response(response.status_line, list(response.headers))
    return [response.body]


def digest_app(web: DigestWeb) -> WSGIApplication:
    """Only the digest and a health check: what ``staffroom web`` serves."""

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO") or "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if is_digest_path(path):
            return serve_digest(web, environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


class ThreadingWebServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    """Request lines (each with a link token in it) go to the debug log, not to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def make_web_server(web: DigestWeb, host: str = "0.0.0.0", port: int = 8080) -> ThreadingWebServer:
    server = make_server(
        host, port, digest_app(web), server_class=ThreadingWebServer, handler_class=QuietHandler
    )
    assert isinstance(server, ThreadingWebServer)
    return server


class BackgroundWebServer:
    """``staffroom web``'s server on a thread, for tests and the benchmark."""

    def __init__(self, web: DigestWeb, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server = make_web_server(web, host, port)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}"

    def __enter__(self) -> BackgroundWebServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
