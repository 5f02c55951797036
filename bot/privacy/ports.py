"""What ``export-my-data`` and ``forget-me`` ask storage beyond the other repositories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class PrivacyRepository(Protocol):
    """What ``export-my-data`` and ``forget-me`` need beyond the other repositories."""

    def partners(self, member_id: int) -> list[int]:
        """Members who share a pairing or peer group with this one (mentor, mentees, group)."""
        ...

    def messages_for(self, member_id: int) -> list[dict[str, object]]:
        """Outbox rows addressed to the member (text and status), for the export."""
        ...

    def cancel_pending_for(self, member_id: int) -> int:
        """Drop undelivered messages to the member (forget-me); returns how many."""
        ...

    def delete_reflections(self, member_id: int) -> int: ...

    def redact_outbox(
        self, identity: Sequence[str], names: Sequence[str], words: Sequence[str]
    ) -> int:
        """In every message of this workspace that mentions ``identity``, whoever it is for, replace
        ``names`` and ``words`` (``bot.privacy.redaction.rewrite``); how many messages changed."""
        ...

    def platform_records(self, user_id: str) -> list[dict[str, object]]:
        """What the platform adapters keep for this user id, for the export."""
        ...

    def forget_platform_user(self, user_id: str) -> None:
        """Drop what the platform adapters keep for this user id (a Teams conversation reference)."""
        ...

    def readdress(self, member_id: int, user_id: str) -> None:
        """The platform user id on the member's own messages becomes ``user_id``."""
        ...

    def erase_keyed(self, key_prefix: str) -> int:
        """Messages to anyone whose key starts with ``key_prefix``: the undelivered are dropped (how many
        is returned), the delivered keep no text. For copies of something being forgotten that were sent
        to other people (a reflection shared with a mentor)."""
        ...
