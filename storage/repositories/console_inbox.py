"""The console's inbox: console messages the delivery worker marked sent, by recipient.

Slack and Teams keep a DM's history; the terminal keeps nothing, so a trial at the console needs
somewhere for "a message to Sam" to wait until Sam looks. The outbox already holds every message
and its delivery state, so it is the inbox; ``console_reads`` only records what a terminal has shown.
Any process may deliver (a ``staffroom worker``, another terminal) and every terminal showing Sam
sees Sam's messages, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from bot.kernel.domain import OutboxStatus, Platform
from storage.models.kernel import OutboxRow, WorkspaceRow
from storage.models.members import MemberRow
from storage.models.platform import ConsoleReadRow


class InboxEntry(NamedTuple):
    outbox_id: int
    payload: dict[str, Any]
    sent_at: datetime | None


class Waiting(NamedTuple):
    """Someone else in the workspace with messages they have not seen yet."""

    user_id: str
    name: str
    unread: int
    newest_id: int


class SqlConsoleInbox:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @staticmethod
    def _delivered(workspace: str) -> Any:
        """Console messages of one console workspace that have been delivered."""
        return (
            select(OutboxRow)
            .join(WorkspaceRow, WorkspaceRow.id == OutboxRow.workspace_id)
            .where(
                WorkspaceRow.platform == Platform.CONSOLE.value,
                WorkspaceRow.external_id == workspace,
                OutboxRow.platform == Platform.CONSOLE.value,
                OutboxRow.status == OutboxStatus.SENT.value,
            )
        )

    def unread(self, workspace: str, user_id: str) -> list[InboxEntry]:
        """Oldest first, so a conversation reads in the order it happened."""
        seen = select(ConsoleReadRow.outbox_id).where(ConsoleReadRow.outbox_id == OutboxRow.id)
        query = (
            self._delivered(workspace)
            .where(OutboxRow.recipient_user_id == user_id, ~seen.exists())
            .order_by(OutboxRow.sent_at, OutboxRow.id)
        )
        with self._sessions() as session:
            return [_entry(row) for row in session.scalars(query)]

    def recent(self, workspace: str, user_id: str, limit: int) -> list[InboxEntry]:
        """The last ``limit`` messages, read or not, oldest first."""
        query = (
            self._delivered(workspace)
            .where(OutboxRow.recipient_user_id == user_id)
            .order_by(OutboxRow.sent_at.desc(), OutboxRow.id.desc())
            .limit(limit)
        )
        with self._sessions() as session:
            return [_entry(row) for row in reversed(list(session.scalars(query)))]

    def mark_read(self, outbox_ids: Iterable[int], now: datetime) -> None:
        ids = sorted(set(outbox_ids))
        if not ids:
            return
        with self._sessions() as session, session.begin():
            already = set(
                session.scalars(
                    select(ConsoleReadRow.outbox_id).where(ConsoleReadRow.outbox_id.in_(ids))
                )
            )
            fresh = [{"outbox_id": i, "read_at": now} for i in ids if i not in already]
            if fresh:
                session.execute(insert(ConsoleReadRow), fresh)

    def waiting(self, workspace: str, *, besides: str) -> Sequence[Waiting]:
        """Everyone but ``besides`` with unseen messages, and the name to switch to them by."""
        seen = select(ConsoleReadRow.outbox_id).where(ConsoleReadRow.outbox_id == OutboxRow.id)
        query = (
            select(
                OutboxRow.recipient_user_id,
                func.max(MemberRow.display_name),
                func.count(OutboxRow.id),
                func.max(OutboxRow.id),
            )
            .join(WorkspaceRow, WorkspaceRow.id == OutboxRow.workspace_id)
            .outerjoin(MemberRow, MemberRow.id == OutboxRow.recipient_member_id)
            .where(
                WorkspaceRow.platform == Platform.CONSOLE.value,
                WorkspaceRow.external_id == workspace,
                OutboxRow.platform == Platform.CONSOLE.value,
                OutboxRow.status == OutboxStatus.SENT.value,
                OutboxRow.recipient_user_id != besides,
                ~seen.exists(),
            )
            .group_by(OutboxRow.recipient_user_id)
            .order_by(OutboxRow.recipient_user_id)
        )
        with self._sessions() as session:
            return [
                Waiting(user_id, name or user_id, int(count), int(newest))
                for user_id, name, count, newest in session.execute(query)
            ]


def _entry(row: OutboxRow) -> InboxEntry:
    return InboxEntry(row.id, dict(row.payload), row.sent_at)
