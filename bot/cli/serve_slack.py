"""``staffroom serve slack``: the Slack app, the delivery worker and the scheduler in one process."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from bot.cli import wiring
from bot.cli.wiring import Staffroom

log = logging.getLogger(__name__)

DELIVERY_INTERVAL_S = 2.0


def serve_slack(app: Staffroom, *, port: int, host: str, socket: bool) -> int:
    from adapters.slack.app import SlackAdapter

    settings = app.settings
    wiring.configure_logging(settings)
    if socket:
        settings.require("SLACK_APP_TOKEN")
    adapter = SlackAdapter(app.bot, settings, engine=app.engine)
    stop = start_background_work(app)
    try:
        if socket:
            from adapters.slack.server import run_socket_mode

            print("Staffroom for Slack: connecting in Socket Mode. Ctrl-C stops.", flush=True)
            run_socket_mode(adapter.app, settings.slack_app_token)
            return 0
        from adapters.slack.server import EVENTS_PATH, make_http_server

        server = make_http_server(adapter.app, host, port)
        print(
            f"Staffroom for Slack: listening on http://{host}:{server.server_port}{EVENTS_PATH}. "
            "Ctrl-C stops.",
            flush=True,
        )
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return 0
    finally:
        stop()
        adapter.executor.shutdown(wait=False, cancel_futures=True)


def start_background_work(app: Staffroom) -> Callable[[], None]:
    """The delivery worker and the scheduler beside the app. The check-ins feature owns the scheduler
    (``wiring.start_background``); until it exists, a plain thread delivers the outbox."""
    start = getattr(wiring, "start_background", None)
    if callable(start):
        handle = start(app)
        stopper = getattr(handle, "shutdown", None) or getattr(handle, "stop", None)
        return stopper if callable(stopper) else (lambda: None)
    return _delivery_thread(app)


def _delivery_thread(app: Staffroom) -> Callable[[], None]:
    worker = app.worker(wiring.platform_messengers(app.settings))
    stopped = threading.Event()

    def loop() -> None:
        while not stopped.is_set():
            try:
                worker.run_once()
            except Exception:  # a database hiccup must not end delivery for good
                log.exception("delivery round failed")
            stopped.wait(DELIVERY_INTERVAL_S)

    threading.Thread(target=loop, name="delivery", daemon=True).start()
    return stopped.set
