"""Run the Teams bot's aiohttp app until interrupted (the web part of ``staffroom serve teams``)."""

from __future__ import annotations

import sys

from aiohttp import web

from adapters.pacing import SharedPacers
from adapters.teams.app import build_teams_app
from adapters.teams.references import ConversationStore
from bot.digest.web import DigestWeb
from bot.kernel.dispatch import Bot
from bot.kernel.settings import Settings


def run(
    core: Bot,
    store: ConversationStore,
    settings: Settings,
    *,
    host: str,
    port: int,
    digest: DigestWeb | None = None,
    pacers: SharedPacers | None = None,
) -> None:
    """Blocks serving ``POST /api/messages`` (and ``/digest/...`` when given the web digest);
    settings are checked before the port is opened."""
    app = build_teams_app(core, store, settings, digest, pacers)
    banner = f"Staffroom for Teams on http://{host}:{port}/api/messages"  # not translated: operator
    print(banner, file=sys.stderr)
    web.run_app(app, host=host, port=port, print=None)
