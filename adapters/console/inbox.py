"""Console delivery into each person's inbox, read by whichever terminal is being that person.

A console message is "delivered" when the worker marks it sent: the outbox row is the message in
the recipient's inbox (``storage/repositories/console_inbox.py``). Nothing is printed at send time,
so a message for Sam never appears in the terminal of whoever caused it, and a retried send cannot
show twice: there is only ever the one row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.kernel.domain import OutboxItem, Platform
from bot.kernel.messages import Message
from bot.kernel.ports import SendResult


class InboxEntry(Protocol):
    @property
    def outbox_id(self) -> int: ...
    @property
    def payload(self) -> dict[str, Any]: ...
    @property
    def sent_at(self) -> datetime | None: ...


class Waiting(Protocol):
    @property
    def user_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unread(self) -> int: ...
    @property
    def newest_id(self) -> int: ...


class ConsoleInbox(Protocol):
    def unread(self, workspace: str, user_id: str) -> Sequence[InboxEntry]: ...
    def recent(self, workspace: str, user_id: str, limit: int) -> Sequence[InboxEntry]: ...
    def mark_read(self, outbox_ids: Iterable[int], now: datetime) -> None: ...
    def waiting(self, workspace: str, *, besides: str) -> Sequence[Waiting]: ...


@dataclass
class InboxMessenger:
    """The console's messenger when people read their messages in ``staffroom chat``."""

    platform: Platform = Platform.CONSOLE

    def send(self, item: OutboxItem, message: Message) -> SendResult:
        return SendResult(ok=True, platform_message_id=f"console-{item.id}")
