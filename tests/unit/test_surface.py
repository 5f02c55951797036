"""The registered surface (every verb, button, form, periodic job, export and forget part, Home
section) is what teachers and platforms depend on: a restructuring must leave it exactly as it was.

A deliberate change to the surface updates ``surface.json`` beside this file in the same commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot import features
from bot.kernel.feature import Registry

SNAPSHOT = Path(__file__).with_name("surface.json")


def _feature_of(function: Any) -> str:
    """The feature a function belongs to: the package under ``bot`` it lives in."""
    return str(function.__module__.split(".")[1])


def registered_surface() -> dict[str, Any]:
    registry = features.REGISTRY
    return {
        "verbs": [
            {
                "name": v.name,
                "usage": v.usage,
                "summary": v.summary,
                "coordinator_only": v.coordinator_only,
                "examples": list(v.examples),
            }
            for v in registry.verbs.values()
        ],
        "open_verbs": sorted(registry.before_joining),
        "commands": sorted(registry.commands),
        "actions": sorted(registry.actions),
        "forms": sorted(registry.forms),
        "jobs": sorted([j.name, j.every.total_seconds()] for j in registry.jobs),
        "export_parts": sorted(name for name, _part in registry.export_parts()),
        "forget_parts": sorted(name for name, _part in registry.forget_parts()),
        "home_sections": len(registry.home_sections()),
        "home_buttons": len(registry.home_buttons()),
        "checkin_suggestions": [_feature_of(features.CHECKIN_SUGGESTIONS)],
        "introduction_extras": sorted(_feature_of(e) for e in features.INTRODUCTION_EXTRAS),
    }


def test_the_registered_surface_is_unchanged() -> None:
    surface = json.loads(json.dumps(registered_surface()))
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert surface == expected


def test_a_button_claimed_by_two_features_is_refused() -> None:
    import pytest

    from bot.kernel.feature import Feature

    def handler(_ctx: Any, _value: str) -> list[Any]:
        return []

    first = Feature("first", actions={"same.button": handler})
    second = Feature("second", actions={"same.button": handler})
    with pytest.raises(ValueError, match=r"same\.button"):
        Registry.of((first, second))
