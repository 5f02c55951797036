"""What reaches the core from any platform: who did what, in which workspace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
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
    language: str | None = None
    """The platform client's language tag (``es-MX``), a hint for someone who has not chosen."""


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


_CONTROL = {code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}
"""NUL and the other control characters no teacher types (tabs and line breaks stay): PostgreSQL
refuses NUL in text outright, and the rest only ever arrive to confuse a renderer."""


def _clean(text: str) -> str:
    return text.translate(_CONTROL)


def without_control(text: str) -> str:
    """``text`` with NUL and the other control characters taken out (tabs and line breaks stay):
    for what arrives by another door than an event, such as a roster file at the terminal."""
    return _clean(text)


def _clean_value(value: FormValue) -> FormValue:
    return [_clean(v) for v in value] if isinstance(value, list) else _clean(value)


def cleaned(inbound: Inbound) -> Inbound:
    """The event with control characters taken out of everything a person could have typed."""
    actor = replace(
        inbound.actor,
        display_name=_clean(inbound.actor.display_name),
        email=_clean(inbound.actor.email) if inbound.actor.email else inbound.actor.email,
    )
    return replace(
        inbound,
        actor=actor,
        text=_clean(inbound.text),
        value=_clean(inbound.value),
        values={k: _clean_value(v) for k, v in inbound.values.items()},
    )
