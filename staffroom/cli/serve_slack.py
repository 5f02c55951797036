"""``staffroom serve slack``: the Slack app, the delivery worker and the scheduler in one process."""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

from bot.kernel.dispatch import Bot
from bot.kernel.domain import Platform
from bot.kernel.settings import Settings
from staffroom import bootstrap, runtime
from staffroom.bootstrap import Staffroom

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _stop(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def build_core(settings: Settings) -> tuple[Bot, Engine]:
    """A worker process's own core and engine (``--workers``)."""
    core = bootstrap.build(settings)
    return core.bot, core.engine


def serve_slack(app: Staffroom, *, port: int, host: str, socket: bool, workers: int = 2) -> int:
    from adapters.slack.app import SlackAdapter

    settings = app.settings
    bootstrap.configure_logging(settings)
    if socket:
        settings.require("SLACK_APP_TOKEN")
    adapter = SlackAdapter(
        app.bot, settings, engine=app.engine, work_processes=workers, core_factory=build_core
    )
    # The scheduler and the delivery worker run beside the app; Slack sends go through the adapter's
    # own messenger, which shares its token store and DM cache.
    messengers = bootstrap.platform_messengers(app, given={Platform.SLACK: adapter.sender})
    background = runtime.start_background(app, messengers=messengers)
    runtime.settle_for_serving()
    # `kill` (a service manager stopping us) ends as cleanly as Ctrl-C: workers and scheduler stop.
    signal.signal(signal.SIGTERM, _stop)
    try:
        if socket:
            from adapters.slack.server import run_socket_mode

            print("Staffroom for Slack: connecting in Socket Mode. Ctrl-C stops.", flush=True)
            run_socket_mode(adapter.app, settings.slack_app_token)
            return 0
        from adapters.slack.server import EVENTS_PATH, make_http_server

        web = bootstrap.digest_web(app)
        server = make_http_server(adapter.app, host, port, door=adapter.door, web=web)
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
        background.stop()
        adapter.close()
