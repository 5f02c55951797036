"""Teams conversation references: where the bot can reach each person when nobody has written to it.

Rows are bound to the tenant's workspace like everything else; the Teams adapter calls this store from its
request handler (remember) and from its messenger (get, set the 1:1 chat once created, mark unreachable).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.kernel.domain import Platform
from storage.models.members import MemberRow
from storage.models.platform import TeamsConversationRow
from storage.repositories.kernel import SqlWorkspaces
from storage.sql import insert_ignoring_conflict
from storage.types import Now


@dataclass(frozen=True)
class StoredConversation:
    workspace_id: int
    user_id: str
    conversation_id: str | None
    service_url: str
    reference: dict[str, Any]


def _stored(row: TeamsConversationRow) -> StoredConversation:
    return StoredConversation(
        workspace_id=row.workspace_id,
        user_id=row.user_id,
        conversation_id=row.conversation_id,
        service_url=row.service_url,
        reference=dict(row.reference),
    )


class SqlTeamsConversations:
    def __init__(self, sessions: sessionmaker[Session], now: Now) -> None:
        self._sessions = sessions
        self._now = now

    def remember(
        self,
        tenant_id: str,
        user_id: str,
        reference: dict[str, Any],
        *,
        conversation_id: str | None,
        service_url: str,
    ) -> int:
        """Store how to reach ``user_id``; returns the workspace id.

        A one-to-one conversation (``conversation_id`` set) always wins; a sighting in a team channel
        (no conversation id) only fills in someone we had no chat with yet, and refreshes the service URL.
        """
        with self._sessions() as session:
            workspace = SqlWorkspaces(session, self._now).ensure(
                Platform.TEAMS, tenant_id, tenant_id
            )
            values = {
                "workspace_id": workspace.id,
                "user_id": user_id,
                "conversation_id": conversation_id,
                "service_url": service_url,
                "reference": reference,
                "updated_at": self._now(),
            }
            inserted = insert_ignoring_conflict(
                session,
                TeamsConversationRow.__table__,  # type: ignore[arg-type]
                values,
            )
            if not inserted:
                row = self._row(session, workspace.id, user_id)
                assert row is not None
                if conversation_id is not None:
                    row.conversation_id = conversation_id
                    row.reference = reference
                elif row.conversation_id is None:
                    row.reference = reference
                row.service_url = service_url
                row.updated_at = self._now()
            session.commit()
            return workspace.id

    @staticmethod
    def _row(session: Session, workspace_id: int, user_id: str) -> TeamsConversationRow | None:
        return session.scalars(
            select(TeamsConversationRow).where(
                TeamsConversationRow.workspace_id == workspace_id,
                TeamsConversationRow.user_id == user_id,
            )
        ).first()

    def get(self, workspace_id: int, user_id: str) -> StoredConversation | None:
        with self._sessions() as session:
            row = self._row(session, workspace_id, user_id)
            return _stored(row) if row else None

    def set_conversation(
        self, workspace_id: int, user_id: str, conversation_id: str, reference: dict[str, Any]
    ) -> None:
        """The 1:1 chat the messenger created for someone met in a team: reuse it from now on."""
        with self._sessions() as session:
            row = self._row(session, workspace_id, user_id)
            if row is not None:
                row.conversation_id = conversation_id
                row.reference = reference
                row.updated_at = self._now()
                session.commit()

    def mark_unreachable(self, workspace_id: int, user_id: str) -> bool:
        """Teams said this person removed the app (403/404): stop trying; the digest shows it."""
        with self._sessions() as session:
            result = session.execute(
                update(MemberRow)
                .where(
                    MemberRow.workspace_id == workspace_id, MemberRow.platform_user_id == user_id
                )
                .values(reachable=False, updated_at=self._now())
            )
            session.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]
