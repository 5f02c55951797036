"""``staffroom serve teams`` and ``staffroom teams package``: the composition root of the Teams adapter.

Serving runs the bot's aiohttp app and, in the same process, the delivery worker and the scheduler, so
check-ins and digests go out without a second command to remember.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from bot.cli import wiring
from bot.cli.wiring import Staffroom
from bot.settings import Settings

log = logging.getLogger(__name__)


class _DeliveryLoop:
    """Fallback when the scheduler's ``start_background`` is not available: deliver every second."""

    def __init__(self, app: Staffroom) -> None:
        self._worker = app.worker(wiring.platform_messengers(app.settings))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delivery", daemon=True)

    def start(self) -> _DeliveryLoop:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            try:
                self._worker.run_once()
            except Exception:
                log.exception("delivery round failed; trying again in a second")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def _start_background(app: Staffroom) -> Any:
    start = getattr(wiring, "start_background", None)
    if start is not None:
        return start(app)
    log.warning("no scheduler in this build: only the delivery worker runs beside the Teams bot")
    return _DeliveryLoop(app).start()


def serve_teams(app: Staffroom, *, port: int, host: str) -> int:
    from adapters.teams.app import bot_config
    from adapters.teams.serve import run
    from storage.db import make_session_factory
    from storage.teams_conversations import SqlTeamsConversations

    wiring.configure_logging(app.settings)
    store = SqlTeamsConversations(make_session_factory(app.engine), app.clock.now)
    bot_config(app.settings)  # refuse bad settings before anything starts
    background = _start_background(app)
    try:
        run(app.bot, store, app.settings, host=host, port=port)
    finally:
        background.stop()
    return 0


def package_teams(settings: Settings, *, out: Path, endpoint: str | None) -> int:
    from adapters.teams.package import write_package
    from bot.routes import VERB_REGISTRY

    settings.require("MICROSOFT_APP_ID")
    assert settings.microsoft_app_id is not None
    path = write_package(out, settings.microsoft_app_id, VERB_REGISTRY.values(), endpoint)
    print(f"Wrote {path}: upload it in Teams admin center > Teams apps > Manage apps > Upload.")
    return 0
