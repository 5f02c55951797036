"""Where each workspace's bot token lives when Staffroom is installed by OAuth: our own database.

The engine is the caller's (the process's one engine); the tables come from our Alembic migrations,
never from slack_sdk's ``create_all``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.kernel.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine


def installation_store(settings: Settings, engine: Engine) -> InstallationStore | None:
    """The OAuth installation store, or ``None`` when one bot token serves a single workspace."""
    if not (settings.slack_client_id and settings.slack_client_secret):
        return None
    return SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)
