"""The registered surface (every verb, button, form, periodic job, export and forget part, Home
section) is what teachers and platforms depend on: a restructuring must leave it exactly as it was.

A deliberate change to the surface updates ``surface.json`` beside this file in the same commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("surface.json")


def _feature_of(function: Any) -> str:
    """The feature a registered function belongs to: the package under ``bot`` it lives in."""
    parts = function.__module__.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def registered_surface() -> dict[str, Any]:
    from bot import checkins, home, privacy, routes
    from bot.jobs import periodic_jobs
    from bot.pairing import intro

    jobs = periodic_jobs()
    return {
        "verbs": [
            {
                "name": v.name,
                "usage": v.usage,
                "summary": v.summary,
                "coordinator_only": v.coordinator_only,
                "examples": list(v.examples),
            }
            for v in routes.VERB_REGISTRY.values()
        ],
        "open_verbs": sorted(routes.OPEN_VERBS),
        "commands": sorted(routes.COMMANDS),
        "actions": sorted(routes.ACTIONS),
        "forms": sorted(routes.FORMS),
        "jobs": sorted([j.name, j.every.total_seconds()] for j in jobs),
        "export_parts": sorted(_feature_of(h) for h in privacy.EXPORT_HOOKS),
        "forget_parts": sorted(_feature_of(h) for h in privacy.FORGET_HOOKS),
        "home_sections": len(home.HOME_SECTIONS),
        "home_buttons": len(home.HOME_BUTTONS),
        "checkin_suggestions": sorted(_feature_of(h) for h in checkins.SUGGESTION_HOOKS),
        "introduction_extras": sorted(_feature_of(h) for h in intro.INTRODUCTION_EXTRAS),
    }


def test_the_registered_surface_is_unchanged() -> None:
    surface = json.loads(json.dumps(registered_surface()))
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert surface == expected
