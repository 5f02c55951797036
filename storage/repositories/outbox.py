"""The outbox writer: what a handler or a job wants delivered, written in the caller's transaction.

One message or a whole batch take the same path: one ``INSERT ... ON CONFLICT DO NOTHING`` on the
(workspace, idempotency key) constraint, so a key used before is skipped however the row was asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.kernel.domain import Member, OutboxStatus, Workspace
from bot.kernel.messages import Message, message_to_dict
from storage.models.kernel import OutboxRow
from storage.sql import insert_many_ignoring_conflicts


class SqlOutbox:
    def __init__(self, session: Session, workspace: Workspace) -> None:
        self._s = session
        self._ws = workspace

    def enqueue(
        self, recipient: Member, message: Message, idempotency_key: str, now: datetime
    ) -> bool:
        return self.enqueue_many([(recipient, message, idempotency_key)], now) == 1

    def enqueue_many(self, messages: Sequence[tuple[Member, Message, str]], now: datetime) -> int:
        rows = [self._row(member, message, key, now) for member, message, key in messages]
        return insert_many_ignoring_conflicts(self._s, OutboxRow.__table__, rows)  # type: ignore[arg-type]

    def _row(self, recipient: Member, message: Message, key: str, now: datetime) -> dict[str, Any]:
        return {
            "workspace_id": self._ws.id,
            "platform": self._ws.platform.value,
            "recipient_member_id": recipient.id,
            "recipient_user_id": recipient.platform_user_id,
            "idempotency_key": key,
            "payload": message_to_dict(message),
            "status": OutboxStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
