"""What a handler gets: the person, their workspace, the time, and the unit of work to change things."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain import Member, Workspace
from bot.errors import PermissionDenied, UserError
from bot.events import Actor
from bot.messages import Message
from bot.ports import Scope, UnitOfWork
from bot.settings import Settings


@dataclass
class Ctx:
    uow: UnitOfWork
    repos: Scope
    workspace: Workspace
    actor: Actor
    member: Member | None
    now: datetime
    settings: Settings

    def require_member(self) -> Member:
        if self.member is None:
            raise UserError(
                "You haven't joined Staffroom yet. Type `join` to start; it takes a minute."
            )
        return self.member

    def require_coordinator(self) -> Member:
        member = self.require_member()
        if not member.is_coordinator:
            raise PermissionDenied(
                "That one is for programme coordinators. If you think you should have it, "
                "ask your PD lead to add you as a coordinator."
            )
        return member

    def local_today(self, member: Member | None = None) -> date:
        """Today where the person is: a pause "until Friday" means their Friday."""
        who = member or self.member
        tz = who.timezone if who else self.settings.default_timezone
        return self.now.astimezone(ZoneInfo(tz)).date()

    def send(self, recipient: Member, message: Message, idempotency_key: str) -> bool:
        """Queue a message for someone in the same transaction as the change that caused it."""
        return self.repos.outbox.enqueue(recipient, message, idempotency_key, self.now)
