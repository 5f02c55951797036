"""What a member may see of themselves and have erased: partners, messages, reflections."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.privacy.redaction import pattern, rewrite
from storage.models.kernel import OutboxRow
from storage.models.pairing import PairingMemberRow
from storage.models.platform import TeamsConversationRow
from storage.models.reflections import ReflectionRow


class SqlPrivacy:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._s = session
        self._ws = workspace_id

    def partners(self, member_id: int) -> list[int]:
        mine = select(PairingMemberRow.pairing_id).where(
            PairingMemberRow.workspace_id == self._ws, PairingMemberRow.member_id == member_id
        )
        rows = self._s.scalars(
            select(PairingMemberRow.member_id)
            .where(
                PairingMemberRow.workspace_id == self._ws,
                PairingMemberRow.pairing_id.in_(mine),
                PairingMemberRow.member_id != member_id,
            )
            .distinct()
        )
        return sorted(rows)

    def messages_for(self, member_id: int) -> list[dict[str, object]]:
        rows = self._s.scalars(
            select(OutboxRow)
            .where(OutboxRow.workspace_id == self._ws, OutboxRow.recipient_member_id == member_id)
            .order_by(OutboxRow.id)
        )
        return [
            {
                "text": r.payload.get("text", ""),
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "sent_at": r.sent_at.isoformat() if r.sent_at else None,
            }
            for r in rows
        ]

    def cancel_pending_for(self, member_id: int) -> int:
        """Drop what was never delivered and blank the text of what was (it was about them)."""
        self._s.execute(
            update(OutboxRow)
            .where(
                OutboxRow.workspace_id == self._ws,
                OutboxRow.recipient_member_id == member_id,
                OutboxRow.status.in_(["sent", "sending"]),
            )
            .values(payload={"text": "(erased at the member's request)", "blocks": []})
        )
        result = self._s.execute(
            delete(OutboxRow).where(
                OutboxRow.workspace_id == self._ws,
                OutboxRow.recipient_member_id == member_id,
                OutboxRow.status.in_(["pending", "failed"]),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def erase_keyed(self, key_prefix: str) -> int:
        keyed = OutboxRow.idempotency_key.startswith(key_prefix, autoescape=True)
        self._s.execute(
            update(OutboxRow)
            .where(
                OutboxRow.workspace_id == self._ws, keyed, OutboxRow.status.in_(["sent", "sending"])
            )
            .values(payload={"text": "(erased at the member's request)", "blocks": []})
        )
        result = self._s.execute(
            delete(OutboxRow).where(
                OutboxRow.workspace_id == self._ws,
                keyed,
                OutboxRow.status.in_(["pending", "failed"]),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def redact_outbox(
        self, identity: Sequence[str], names: Sequence[str], words: Sequence[str]
    ) -> int:
        who, said = pattern(identity), pattern(words)
        name_pattern = pattern(names)
        if who is None or name_pattern is None:
            return 0
        changed = 0
        rows = self._s.scalars(
            select(OutboxRow)
            .where(OutboxRow.workspace_id == self._ws)
            .execution_options(yield_per=500)
        )
        for row in rows:
            payload = rewrite(row.payload, who, name_pattern, said)
            if payload != row.payload:
                row.payload = payload
                changed += 1
        self._s.flush()
        return changed

    def platform_records(self, user_id: str) -> list[dict[str, object]]:
        rows = self._s.scalars(
            select(TeamsConversationRow).where(
                TeamsConversationRow.workspace_id == self._ws,
                TeamsConversationRow.user_id == user_id,
            )
        )
        return [
            {
                "platform": "teams",
                "conversation_id": r.conversation_id,
                "service_url": r.service_url,
                "conversation_reference": r.reference,
                "updated_at": r.updated_at.isoformat(),
            }
            for r in rows
        ]

    def forget_platform_user(self, user_id: str) -> None:
        self._s.execute(
            delete(TeamsConversationRow).where(
                TeamsConversationRow.workspace_id == self._ws,
                TeamsConversationRow.user_id == user_id,
            )
        )

    def readdress(self, member_id: int, user_id: str) -> None:
        self._s.execute(
            update(OutboxRow)
            .where(OutboxRow.workspace_id == self._ws, OutboxRow.recipient_member_id == member_id)
            .values(recipient_user_id=user_id)
        )

    def delete_reflections(self, member_id: int) -> int:
        result = self._s.execute(
            delete(ReflectionRow).where(
                ReflectionRow.workspace_id == self._ws, ReflectionRow.member_id == member_id
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
