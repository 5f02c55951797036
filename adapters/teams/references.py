"""Conversation references: what the Teams adapter keeps so it can write to someone later.

The SQL store lives in ``storage/repositories/platform.py``; this module is the adapter's side of it: the
protocol both the request handler and the messenger use, and how a Bot Framework reference is built for a
person (from the activity they sent, or for a team member the bot has not chatted with yet).
"""

from __future__ import annotations

from typing import Any, Protocol

from botbuilder.core import TurnContext
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
)

from adapters.teams.inbound import is_personal, tenant_of, user_id_of


class StoredConversation(Protocol):
    @property
    def workspace_id(self) -> int: ...
    @property
    def user_id(self) -> str: ...
    @property
    def conversation_id(self) -> str | None: ...
    @property
    def service_url(self) -> str: ...
    @property
    def reference(self) -> dict[str, Any]: ...


class ConversationStore(Protocol):
    def remember(
        self,
        tenant_id: str,
        user_id: str,
        reference: dict[str, Any],
        *,
        conversation_id: str | None,
        service_url: str,
    ) -> int: ...

    def get(self, workspace_id: int, user_id: str) -> StoredConversation | None: ...

    def set_conversation(
        self, workspace_id: int, user_id: str, conversation_id: str, reference: dict[str, Any]
    ) -> None: ...

    def mark_unreachable(self, workspace_id: int, user_id: str) -> bool: ...


def reference_for(
    activity: Activity, account: ChannelAccount | None = None
) -> ConversationReference:
    """The reference to reach ``account`` (default: the sender) as seen in this activity.

    In a personal chat that is the chat itself; in a team it names the person, the bot, the tenant and the
    service URL, which is all ``create_conversation`` needs to open their one-to-one chat later.
    """
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    if account is not None:
        reference.user = account
    if not is_personal(activity):
        reference.conversation = ConversationAccount(
            id=None, conversation_type=None, tenant_id=tenant_of(activity)
        )
    return reference


def personal_reference(
    activity: Activity, account: ChannelAccount, conversation_id: str
) -> ConversationReference:
    """The reference of a one-to-one chat the bot just opened with ``account``."""
    return ConversationReference(
        user=account,
        bot=activity.recipient,
        conversation=ConversationAccount(
            id=conversation_id, conversation_type="personal", tenant_id=tenant_of(activity)
        ),
        channel_id=activity.channel_id,
        service_url=activity.service_url,
    )


def remember(
    store: ConversationStore, activity: Activity, account: ChannelAccount | None = None
) -> int:
    who = account or activity.from_property
    reference = reference_for(activity, who)
    conversation_id = reference.conversation.id if reference.conversation else None
    return store.remember(
        tenant_of(activity),
        user_id_of(who),
        reference.serialize(),
        conversation_id=conversation_id,
        service_url=str(activity.service_url),
    )
