"""Slack payloads as the core's neutral ``Inbound`` events: who, in which workspace, did what.

No business rule lives here. The only Slack knowledge is where each payload keeps the team, the user
and the text, and which of Slack's events mean "installed", "uninstalled" or "someone new arrived".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.slack.blocks import core_action_id, form_values, read_metadata
from bot.kernel.domain import Platform
from bot.kernel.events import Actor, Inbound, InboundKind, PlatformEvent

COMMAND_ALIASES = {"observe": "observe", "reflect": "reflect", "resources": "resources"}
"""Short slash commands in the manifest, each the first word of a core command."""

SYSTEM_USER = "slack-system"
"""The actor of workspace-wide events (an uninstall) that no one person did."""


@dataclass(frozen=True)
class Profile:
    display_name: str = ""
    timezone: str | None = None
    email: str | None = None
    language: str | None = None


class Profiles:
    """``users.info`` answers, cached: the time zone and e-mail are hints, not worth a call each time."""

    def __init__(self, ttl_seconds: float = 3600.0, max_entries: int = 20_000) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._cache: dict[tuple[str, str], tuple[float, Profile]] = {}
        self._lock = threading.Lock()

    def get(
        self, team_id: str, user_id: str, lookup: Callable[[str], Mapping[str, Any]]
    ) -> Profile:
        key = (team_id, user_id)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
        if hit and hit[0] > now:
            return hit[1]
        try:
            user = lookup(user_id)
        except Exception:
            return hit[1] if hit else Profile()
        profile = profile_from_user(user)
        with self._lock:
            if len(self._cache) >= self.max_entries:
                self._cache.clear()
            self._cache[key] = (now + self.ttl, profile)
        return profile


def profile_from_user(user: Mapping[str, Any]) -> Profile:
    details = user.get("profile") or {}
    name = (
        details.get("display_name")
        or details.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or ""
    )
    return Profile(
        display_name=str(name),
        timezone=str(user["tz"]) if user.get("tz") else None,
        email=str(details["email"]).lower() if details.get("email") else None,
        # Only with users.info's include_locale: the language the person's Slack is set to.
        language=str(user["locale"]) if user.get("locale") else None,
    )


def make_actor(team_id: str, user_id: str, profile: Profile, *, team_name: str = "") -> Actor:
    return Actor(
        platform=Platform.SLACK,
        workspace_external_id=team_id,
        user_id=user_id,
        display_name=profile.display_name,
        workspace_name=team_name or team_id,
        timezone=profile.timezone,
        email=profile.email,
        language=profile.language,
    )


# --- where each payload keeps the team and the user -------------------------------------------


def team_of(body: Mapping[str, Any]) -> str:
    """Slash commands and events say ``team_id``; interactivity nests it under ``team`` or ``user``."""
    if body.get("team_id"):
        return str(body["team_id"])
    team = body.get("team") or {}
    if team.get("id"):
        return str(team["id"])
    user = body.get("user") or {}
    return str(user.get("team_id") or "")


def team_name_of(body: Mapping[str, Any]) -> str:
    team = body.get("team") or {}
    return str(body.get("team_domain") or team.get("domain") or "")


def user_of(body: Mapping[str, Any]) -> str:
    if body.get("user_id"):
        return str(body["user_id"])
    user = body.get("user") or {}
    return str(user.get("id") or "")


# --- payload -> Inbound -----------------------------------------------------------------------


def command_text(command: str, text: str) -> str:
    """``/observe 3rd period`` is ``observe 3rd period``; ``/staffroom pause`` is ``pause``."""
    name = command.strip().lstrip("/").lower()
    verb = COMMAND_ALIASES.get(name)
    return f"{verb} {text.strip()}".strip() if verb else text.strip()


def command_inbound(body: Mapping[str, Any], actor: Actor) -> Inbound:
    return Inbound(
        actor=actor,
        kind=InboundKind.COMMAND,
        text=command_text(str(body.get("command", "")), str(body.get("text", ""))),
    )


def action_inbound(body: Mapping[str, Any], actor: Actor) -> Inbound:
    action = (body.get("actions") or [{}])[0]
    return Inbound(
        actor=actor,
        kind=InboundKind.ACTION,
        action_id=core_action_id(str(action.get("action_id", ""))),
        value=str(action.get("value") or ""),
    )


def form_inbound(view: Mapping[str, Any], actor: Actor) -> Inbound:
    values = form_values((view.get("state") or {}).get("values") or {})
    values["__state__"] = str(read_metadata(view).get("state", ""))
    return Inbound(
        actor=actor,
        kind=InboundKind.FORM,
        form_id=str(view.get("callback_id", "")),
        values=values,
    )


def platform_inbound(
    body: Mapping[str, Any], actor: Actor, event: PlatformEvent, *, delivery_id: str | None = None
) -> Inbound:
    return Inbound(
        actor=actor,
        kind=InboundKind.PLATFORM,
        text=event.value,
        delivery_id=delivery_id or event_delivery_id(body),
    )


def event_delivery_id(body: Mapping[str, Any]) -> str | None:
    """Slack re-sends an event (``X-Slack-Retry-Num``) with the same ``event_id``: one effect each."""
    event_id = body.get("event_id")
    return f"slack:{event_id}" if event_id else None


def revoked_platform_event(event: Mapping[str, Any]) -> PlatformEvent | None:
    """``tokens_revoked`` with bot tokens means Staffroom can no longer speak in the workspace."""
    tokens = event.get("tokens") or {}
    return PlatformEvent.UNINSTALLED if tokens.get("bot") else None


def direct_message_text(event: Mapping[str, Any]) -> str | None:
    """A person typing to the bot in its Messages tab; bots, edits and channel chatter are ignored."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return None
    text = str(event.get("text") or "").strip()
    return text or None
