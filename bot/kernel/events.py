"""What reaches the core from any platform: who did what, in which workspace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.kernel.domain import Platform

FormValue = str | list[str]


def form_text(values: Mapping[str, FormValue], name: str) -> str:
    """A form field as one line of text: a multi-select's choices joined, blanks around it dropped."""
    value = values.get(name)
    if isinstance(value, list):
        return ", ".join(value)
    return (value or "").strip()


class InboundKind(StrEnum):
    COMMAND = "command"  # a verb typed as a slash command, in a DM, or in the console
    ACTION = "action"  # a button press
    FORM = "form"  # a submitted form (Slack modal, Adaptive Card inputs, console prompts)
    PLATFORM = "platform"  # something the platform tells us: installed, uninstalled, user gone; see PlatformEvent


class PlatformEvent(StrEnum):
    """Platform happenings the core cares about; ``Inbound.text`` holds one of these for PLATFORM."""

    INSTALLED = "installed"  # the app was added for this person (welcome them, offer to join)
    MEMBER_ADDED = "member_added"  # someone joined a program's channel or team (invite them)
    UNINSTALLED = "uninstalled"  # the whole workspace removed the app: stop every send
    USER_UNREACHABLE = "user_unreachable"  # this person removed the app or cannot be messaged
    USER_REACHABLE = "user_reachable"  # they can be messaged again


@dataclass(frozen=True)
class Actor:
    """The person behind an event, as the platform names them.

    ``timezone`` and ``email`` are hints from the platform's profile, used as defaults on joining.
    """

    platform: Platform
    workspace_external_id: str
    user_id: str
    display_name: str = ""
    workspace_name: str = ""
    timezone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Inbound:
    actor: Actor
    kind: InboundKind
    text: str = ""
    action_id: str = ""
    value: str = ""
    form_id: str = ""
    values: Mapping[str, FormValue] = field(default_factory=dict)
    delivery_id: str | None = None
    """The platform's id for this delivery; a repeat of it has no second effect."""
    received_at: datetime | None = None
