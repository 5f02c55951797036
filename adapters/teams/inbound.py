"""Translate Bot Framework activities (as Teams sends them) into the core's neutral ``Inbound`` events.

Who: the person is their Entra (AAD) object id when Teams gives it, since that id is the same for every app
and is what an admin puts in a roster; the workspace is the tenant. What: typed text with the bot's
@mention stripped (other mentions become the person's name), card submissions (``Action.Submit`` message
activities with ``value``, or ``adaptiveCard/action`` invokes) and install / member events. Each event
carries the activity id as its delivery id, so a re-delivered activity has one effect.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from adapters.teams.cards import MARKER, MULTI_KEY, STATE_KEY
from bot.kernel.domain import Platform
from bot.kernel.events import Actor, FormValue, Inbound, InboundKind, PlatformEvent

_TAG = re.compile(r"<[^>]+>")
_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
PERSONAL = "personal"


@dataclass(frozen=True)
class Routed:
    """One inbound event and where its replies go.

    ``private`` sends every reply to this person's own chat with the bot (an invitation to someone just
    added to a team); otherwise replies the core marks ephemeral still never go to a team channel.
    ``update`` is the id of the card whose button was pressed in a personal chat, replaced in place by the
    first reply (in a channel the card is everyone's, so it is left alone).
    """

    inbound: Inbound
    account: ChannelAccount
    private: bool = False
    update: str | None = None


def tenant_of(activity: Activity) -> str:
    """The tenant id (the workspace); outside Teams (the Emulator, Web Chat) the channel id stands in."""
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return str(conversation.tenant_id)
    data = activity.channel_data or {}
    tenant = data.get("tenant") if isinstance(data, dict) else None
    if isinstance(tenant, dict) and tenant.get("id"):
        return str(tenant["id"])
    channel = str(activity.channel_id or "")
    return channel if channel and channel != "msteams" else ""


def is_personal(activity: Activity) -> bool:
    conversation = activity.conversation
    kind = conversation.conversation_type if conversation is not None else None
    return kind in (None, PERSONAL)


def user_id_of(account: ChannelAccount) -> str:
    return str(account.aad_object_id or account.id)


def _timezone(activity: Activity) -> str | None:
    name = activity.local_timezone
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return str(name)


def _team_name(activity: Activity) -> str:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = data.get("team")
    return str(team.get("name") or "") if isinstance(team, dict) else ""


def actor_of(activity: Activity, account: ChannelAccount | None = None) -> Actor:
    who = account or activity.from_property
    return Actor(
        platform=Platform.TEAMS,
        workspace_external_id=tenant_of(activity),
        user_id=user_id_of(who),
        display_name=str(who.name or ""),
        workspace_name=_team_name(activity),
        timezone=_timezone(activity),
        language=str(activity.locale) if activity.locale else None,
    )


def command_text(activity: Activity) -> str:
    """What was typed, without the @mention of the bot, HTML or non-breaking spaces."""
    text = activity.text or ""
    bot_name = activity.recipient.name if activity.recipient else None

    def mention(match: re.Match[str]) -> str:
        name = _TAG.sub("", match.group(1)).strip()
        if bot_name and name == bot_name:
            return " "
        return f'"{name}"' if " " in name else name

    text = _AT.sub(mention, text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text).replace("\xa0", " ")
    return " ".join(text.split())


def _submitted(data: Mapping[str, Any]) -> tuple[InboundKind, dict[str, Any]] | None:
    marker = data.get(MARKER)
    if marker == "action" and isinstance(data.get("action_id"), str):
        return InboundKind.ACTION, {
            "action_id": data["action_id"],
            "value": str(data.get("value") or ""),
        }
    if marker == "form" and isinstance(data.get("form_id"), str):
        multi = data.get(MULTI_KEY) or []
        values: dict[str, FormValue] = {}
        for key, raw in data.items():
            if key in (MARKER, "form_id", MULTI_KEY):
                continue
            if isinstance(raw, list):
                values[key] = [str(v) for v in raw]
            elif key in multi:
                values[key] = [p for p in str(raw or "").split(",") if p]
            else:
                values[key] = "" if raw is None else str(raw)
        values.setdefault(STATE_KEY, "")
        return InboundKind.FORM, {"form_id": data["form_id"], "values": values}
    return None


def card_data(activity: Activity) -> Mapping[str, Any] | None:
    """The data of a card submission, from either an Action.Submit message or an Action.Execute invoke."""
    value = activity.value
    if not isinstance(value, dict):
        return None
    if activity.type == ActivityTypes.invoke:
        action = value.get("action")
        data = action.get("data") if isinstance(action, dict) else None
        return data if isinstance(data, dict) else None
    return value


def translate(activity: Activity) -> list[Routed]:
    """Every core event an activity means, in order; empty for activities Staffroom ignores."""
    if not tenant_of(activity) or activity.from_property is None:
        return []
    kind = activity.type
    if kind == ActivityTypes.message or (
        kind == ActivityTypes.invoke and activity.name == "adaptiveCard/action"
    ):
        return _message(activity)
    if kind == ActivityTypes.conversation_update:
        return _conversation_update(activity)
    if kind == ActivityTypes.installation_update:
        return _installation_update(activity)
    return []


def _message(activity: Activity) -> list[Routed]:
    actor = actor_of(activity)
    data = card_data(activity)
    if data is not None:
        submitted = _submitted(data)
        if submitted is None:
            return []
        kind, fields = submitted
        inbound = Inbound(actor=actor, kind=kind, delivery_id=activity.id, **fields)
        in_place = activity.type == ActivityTypes.message and is_personal(activity)
        return [
            Routed(
                inbound,
                activity.from_property,
                update=activity.reply_to_id if in_place else None,
            )
        ]
    text = command_text(activity) or "help"
    inbound = Inbound(actor=actor, kind=InboundKind.COMMAND, text=text, delivery_id=activity.id)
    return [Routed(inbound, activity.from_property)]


def _platform(
    activity: Activity, event: PlatformEvent, account: ChannelAccount, suffix: str = ""
) -> Inbound:
    return Inbound(
        actor=actor_of(activity, account),
        kind=InboundKind.PLATFORM,
        text=event.value,
        delivery_id=f"{activity.id}{suffix}" if activity.id else None,
    )


def _is_bot(activity: Activity, account: ChannelAccount) -> bool:
    return activity.recipient is not None and account.id == activity.recipient.id


def _conversation_update(activity: Activity) -> list[Routed]:
    """The bot added (installed: welcome whoever added it) or people added to a team (invite each)."""
    routed: list[Routed] = []
    for account in activity.members_added or []:
        if _is_bot(activity, account):
            # The installer is welcomed where the app was added: their chat, or the team's channel.
            inbound = _platform(activity, PlatformEvent.INSTALLED, activity.from_property)
            routed.append(Routed(inbound, activity.from_property))
        elif not is_personal(activity):
            inbound = _platform(activity, PlatformEvent.MEMBER_ADDED, account, f":{account.id}")
            routed.append(Routed(inbound, account, private=True))
    return routed


def _installation_update(activity: Activity) -> list[Routed]:
    """Removal from someone's personal scope means we can no longer reach them; adding means we can.

    The welcome itself comes with the ``conversationUpdate`` Teams sends alongside, so it is not doubled.
    Removing the app from one team says nothing about the rest of the tenant, so it stops nothing else.
    """
    action = str(activity.action or "")
    if not is_personal(activity):
        return []
    if action.startswith("remove"):
        event = PlatformEvent.USER_UNREACHABLE
    elif action.startswith("add"):
        event = PlatformEvent.USER_REACHABLE
    else:
        return []
    return [Routed(_platform(activity, event, activity.from_property), activity.from_property)]
