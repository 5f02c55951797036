"""Delivers outbox messages to the terminal, as Slack or Teams would deliver them to a DM."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.console.render import render
from bot.kernel.domain import OutboxItem, Platform
from bot.kernel.messages import Message
from bot.kernel.ports import SendResult


@dataclass
class Delivered:
    recipient_user_id: str
    text: str
    message: Message


@dataclass
class ConsoleMessenger:
    """Prints each message under the name of who it is for, and keeps a log for the demo and tests."""

    write: Callable[[str], None] = print
    name_of: Callable[[str], str] = lambda user_id: user_id
    quiet: bool = False
    platform: Platform = Platform.CONSOLE
    delivered: list[Delivered] = field(default_factory=list)

    def send(self, item: OutboxItem, message: Message) -> SendResult:
        text, _ = render(message)
        self.delivered.append(Delivered(item.recipient_user_id, text, message))
        if not self.quiet:
            self.write(f"\n📨 to {self.name_of(item.recipient_user_id)}:\n{text}")
        return SendResult(ok=True, platform_message_id=f"console-{item.id}")
