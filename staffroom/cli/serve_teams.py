"""``staffroom serve teams`` and ``staffroom teams package``: the composition root of the Teams adapter.

Serving runs the bot's aiohttp app and, in the same process, the delivery worker and the scheduler
(``runtime.start_background``), so check-ins and digests go out without a second command to remember.
"""

from __future__ import annotations

from pathlib import Path

from bot.kernel.settings import Settings
from staffroom import bootstrap, runtime
from staffroom.bootstrap import Staffroom


def serve_teams(app: Staffroom, *, port: int, host: str) -> int:
    from adapters.teams.app import bot_config
    from adapters.teams.serve import run
    from bot.kernel.domain import Platform

    bootstrap.configure_logging(app.settings)
    bot_config(app.settings)  # refuse bad settings before anything starts
    # The app and the outbox's Teams messenger share one conversation store on the app's engine.
    # ... and one rate budget a tenant, which replies and the outbox draw from alike.
    store = bootstrap.teams_conversations(app)
    pacers = bootstrap.teams_pacers(app)
    messengers = bootstrap.platform_messengers(
        app, given={Platform.TEAMS: bootstrap.teams_messenger(app, store, pacers)}
    )
    background = runtime.start_background(app, messengers=messengers)
    digest = bootstrap.digest_web(app)
    runtime.settle_for_serving()
    try:
        run(app.bot, store, app.settings, host=host, port=port, digest=digest, pacers=pacers)
    finally:
        background.stop()
    return 0


def package_teams(settings: Settings, *, out: Path, endpoint: str | None) -> int:
    from adapters.teams.package import write_package
    from bot.features import REGISTRY

    settings.require("MICROSOFT_APP_ID")
    assert settings.microsoft_app_id is not None
    path = write_package(out, settings.microsoft_app_id, REGISTRY.verbs.values(), endpoint)
    print(f"Wrote {path}: upload it in Teams admin center > Teams apps > Manage apps > Upload.")
    return 0
