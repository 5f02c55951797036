"""The ORM models, one module a feature (the same names as ``bot/``); import from those modules.

Every row but a workspace's own belongs to one workspace, by ``workspace_id``. Importing this package
imports every module below, so ``Base.metadata`` holds every table: Alembic's environment and the
test that compares the migrations with the models rely on that.
"""

from storage.models import (
    base,
    calendar,
    checkins,
    digest,
    growth,
    kernel,
    members,
    observations,
    pairing,
    platform,
    programs,
    reflections,
    resources,
    study,
)

__all__ = [
    "base",
    "calendar",
    "checkins",
    "digest",
    "growth",
    "kernel",
    "members",
    "observations",
    "pairing",
    "platform",
    "programs",
    "reflections",
    "resources",
    "study",
]
