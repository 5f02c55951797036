"""Messages a screen reader can read: buttons that make sense alone, pictures with words, cards
with a text fallback, and nothing said only by an emoji."""

from __future__ import annotations

import base64
import re

from adapters.slack.blocks import message_blocks
from adapters.teams.cards import render_card
from bot.kernel.messages import Actions, Button, Image, Message, Section
from bot.resources.render import shortened

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()

CHECKIN = Message(
    text="How confident do you feel about “Questioning” this week?",
    blocks=(
        Section("How confident do you feel about “Questioning” this week?"),
        Actions(
            (
                Button(
                    "4", "checkin.rate", "7:4", description="My confidence this week: 4 out of 5"
                ),
                Button("Skip this week", "checkin.skip", "7"),
            )
        ),
        Image(alt="Response rate and confidence over the last 8 weeks", png_base64=PNG),
    ),
)


def test_slack_buttons_carry_their_standalone_label() -> None:
    blocks = message_blocks(CHECKIN)
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["accessibility_label"] == "My confidence this week: 4 out of 5"
    assert "accessibility_label" not in buttons[1]  # its label says it all


def test_teams_cards_have_tooltips_alt_text_and_a_text_fallback() -> None:
    card = render_card(CHECKIN)
    assert card["fallbackText"].startswith("How confident do you feel")
    actions = [a for e in card["body"] if e.get("type") == "ActionSet" for a in e["actions"]]
    assert actions[0]["tooltip"] == "My confidence this week: 4 out of 5"
    images = [e for e in card["body"] if e.get("type") == "Image"]
    assert images and all(i["altText"] for i in images)


def test_a_long_title_is_cut_at_a_word_not_mid_word() -> None:
    title = "Mini whiteboards: every student answers at once"
    cut = shortened(title, 30)
    assert cut == "Mini whiteboards: every…"
    assert len(cut) <= 30 and shortened("Short", 30) == "Short"
    assert shortened("x" * 40, 30) == "x" * 29 + "…"  # one long word: cut it, there is no other way


def test_every_button_label_the_core_writes_starts_with_words() -> None:
    """A screen reader reads a label from its first character: "thumbs up sign, Mini whiteb…" is
    what an emoji-first label sounds like. Collected from the core's source, every literal label."""
    from pathlib import Path

    source = "\n".join(p.read_text() for p in Path("bot").rglob("*.py"))
    labels = re.findall(r'Button\(\s*(?:N?_\(\s*|pgettext\([^,]*,\s*)?f?"([^"]*)"', source)
    assert len(labels) > 20
    assert [label for label in labels if not re.match(r"[\w{]", label)] == []
