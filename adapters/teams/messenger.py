"""The outbox's Teams messenger: proactive messages to people who have not just written to the bot.

Each send continues the person's stored conversation (``continue_conversation``), or first opens their
one-to-one chat when we only know them from a team, then stores that chat. The Bot Connector's answers map
onto what the delivery worker understands: 429 -> ``retry_after`` (its Retry-After, else a short default,
and the worker backs off); 403 / 404 (the person removed the app, or left the tenant) -> permanent, and the
person is marked unreachable so the coordinator's digest can show it; other errors -> retried.

Every send takes its slot from the tenant's rate budget, shared with direct replies and every other
copy (``adapters/pacing.py``), and a 429 pauses that budget for its ``Retry-After``. A message the
connector refuses as too large (413) is sent again as its words and links alone, so a digest whose
card would not fit still arrives.

The delivery worker is synchronous and runs in its own thread; the Bot Framework SDK is asyncio. The
messenger therefore owns one event loop in a daemon thread and runs every send on it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationParameters, ConversationReference

from adapters.pacing import MemoryRateBudgets, SharedPacers
from adapters.teams.app import PLATFORM, to_activity
from adapters.teams.references import ConversationStore, StoredConversation
from adapters.teams.retry import status_of
from bot.kernel.domain import OutboxItem, Platform
from bot.kernel.messages import Link, Message
from bot.kernel.ports import SendResult

log = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_RETRY_AFTER = 5.0
GONE = (403, 404)
REFUSED = (400, 413)
"""The connector refused the message itself (malformed, or a card over Teams' ~28 KB): retrying the
same activity cannot help."""
TOO_LARGE = 413
PLAIN_CHARS = 3000
"""The words of a message sent again as text after a 413: well under any limit."""


class TeamsMessenger:
    platform: Platform = Platform.TEAMS

    def __init__(
        self,
        adapter_factory: Callable[[], CloudAdapter],
        conversations: ConversationStore,
        *,
        app_id: str = "",
        timeout: float = 30.0,
        pacers: SharedPacers | None = None,
    ) -> None:
        self._adapter_factory = adapter_factory
        self._adapter: CloudAdapter | None = None
        self.conversations = conversations
        self.app_id = app_id
        self.timeout = timeout
        self.pacers = pacers or SharedPacers(MemoryRateBudgets(), PLATFORM)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- the event loop the SDK runs on ----------------------------------------------------------
    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="teams-messenger", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(self.timeout)
        except TimeoutError:
            future.cancel()
            raise

    def close(self) -> None:
        with self._lock:
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._loop.stop)
                if self._thread is not None:
                    self._thread.join(timeout=5)
                self._loop.close()
                self._loop, self._thread = None, None

    # --- Messenger -------------------------------------------------------------------------------
    def send(self, item: OutboxItem, message: Message) -> SendResult:
        stored = self.conversations.get(item.workspace_id, item.recipient_user_id)
        if stored is None:
            return SendResult(
                ok=False,
                permanent=True,
                error="no Teams conversation for this person: they have not installed Staffroom "
                "or written to it, and no team they are in has it",
            )
        pacer = self.pacers.for_workspace(item.workspace_external_id)
        try:
            pacer.acquire()
            try:
                message_id = self._run(self._send(stored, message))
            except Exception as exc:
                if status_of(exc)[0] != TOO_LARGE:
                    raise
                log.warning("Teams refused outbox item %s as too large; sending its text", item.id)
                pacer.acquire()
                message_id = self._run(self._send(stored, plain(message)))
        except TimeoutError:
            return SendResult(ok=False, error=f"Bot Connector did not answer in {self.timeout}s")
        except Exception as exc:
            return self._failure(item, exc)
        pacer.accepted()
        return SendResult(ok=True, platform_message_id=message_id)

    def _failure(self, item: OutboxItem, exc: Exception) -> SendResult:
        status, retry_after = status_of(exc)
        error = f"{type(exc).__name__}: {exc}"[:500]
        if status == 429:
            pause = retry_after or DEFAULT_RETRY_AFTER
            self.pacers.for_workspace(item.workspace_external_id).rate_limited(pause)
            return SendResult(ok=False, retry_after=pause, error=f"429 {error}")
        if status in GONE:
            self.conversations.mark_unreachable(item.workspace_id, item.recipient_user_id)
            log.info("Teams user %s is unreachable (%s); marked so", item.recipient_user_id, status)
            return SendResult(
                ok=False,
                permanent=True,
                error=f"{status} user unreachable: {error}",
                unreachable=True,
            )
        if status in REFUSED:
            log.error("Teams refused outbox item %s (%s): %s", item.id, status, error)
            return SendResult(ok=False, permanent=True, error=f"{status} refused: {error}")
        log.warning("Teams send failed for outbox item %s: %s", item.id, error)
        return SendResult(ok=False, error=error)

    async def _send(self, stored: StoredConversation, message: Message) -> str | None:
        if self._adapter is None:
            self._adapter = self._adapter_factory()
        adapter = self._adapter
        reference = ConversationReference().deserialize(stored.reference)
        sent: list[str | None] = []

        async def deliver(turn_context: TurnContext) -> None:
            # A proactive message starts a new thread: no reply to the made-up continuation activity.
            turn_context.activity.id = None
            response = await turn_context.send_activity(to_activity(message))
            sent.append(response.id if response else None)

        if stored.conversation_id:
            await adapter.continue_conversation(reference, deliver, self.app_id)
            return sent[0] if sent else None

        tenant = reference.conversation.tenant_id if reference.conversation else None
        created: list[str] = []

        async def deliver_new(turn_context: TurnContext) -> None:
            conversation_id = turn_context.activity.conversation.id
            created.append(conversation_id)
            reference.conversation.id = conversation_id
            reference.conversation.conversation_type = "personal"
            await asyncio.to_thread(
                self.conversations.set_conversation,
                stored.workspace_id,
                stored.user_id,
                conversation_id,
                reference.serialize(),
            )
            await deliver(turn_context)

        await adapter.create_conversation(
            self.app_id,
            deliver_new,
            ConversationParameters(
                is_group=False,
                bot=reference.bot,
                members=[reference.user],
                tenant_id=tenant,
                channel_data={"tenant": {"id": tenant}},
            ),
            reference.channel_id or "msteams",
            stored.service_url,
        )
        return sent[0] if sent else None


def plain(message: Message) -> Message:
    """A message as its words and links only: what is sent when its card was refused as too large."""
    text = message.text if len(message.text) <= PLAIN_CHARS else message.text[:PLAIN_CHARS] + "…"
    links = [f"{b.label}: {b.url}" for b in message.blocks if isinstance(b, Link)]
    return Message(text="\n\n".join([text, *links]), language=message.language)
