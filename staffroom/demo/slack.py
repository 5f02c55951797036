"""The demo's Slack chapter: one message as the Slack adapter would post it (Block Kit JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable

from bot.kernel.messages import Message


def slack_chapter(
    chapter: Callable[[str], None], say: Callable[[str], None], name: str, message: Message
) -> None:
    from adapters.slack.blocks import message_payload

    chapter("What Slack would show: one message as Block Kit")
    say(f"{name}'s `profile` answer, as the Slack adapter posts it (chat.postMessage body):")
    say(json.dumps(message_payload(message), indent=2, ensure_ascii=False))
