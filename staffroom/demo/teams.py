"""The demo's Teams page: what Teams would show for one message, as Adaptive Card JSON."""

from __future__ import annotations

import json
from collections.abc import Callable

from bot.kernel.messages import Message


def teams_chapter(
    chapter: Callable[[str], None], say: Callable[[str], None], who: str, message: Message
) -> None:
    """Print the card the Teams adapter would send for ``message``: the same renderer the bot uses."""
    from adapters.teams.cards import card_attachment

    chapter("In Microsoft Teams: the same reply as an Adaptive Card")
    say(
        f"{who} typed `profile` in the console above. In Teams the same core reply is rendered by "
        "adapters/teams/cards.py into this Adaptive Card (schema 1.5), the JSON the bot sends:"
    )
    say(json.dumps(card_attachment(message), indent=2, ensure_ascii=False))
