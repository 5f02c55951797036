"""The shapes of reply every feature uses, so a confirmation or a choice looks and reads the same."""

from __future__ import annotations

from collections.abc import Sequence

from bot.kernel.messages import Actions, Button, Context, Message, Section


def confirm(
    text: str,
    label: str,
    action_id: str,
    *,
    value: str = "",
    danger: bool = False,
    note: str | None = None,
) -> Message:
    """A question with one button that does it: nothing happens until it is pressed."""
    blocks: list[Section | Actions | Context] = [
        Section(text),
        Actions((Button(label, action_id, value, "danger" if danger else "primary"),)),
    ]
    if note:
        blocks.append(Context(note))
    return Message(text=text, blocks=tuple(blocks))


def choose(text: str, buttons: Sequence[Button], *, note: str | None = None) -> Message:
    """A question answered with one tap on one of a few buttons."""
    blocks: list[Section | Actions | Context] = [Section(text), Actions(tuple(buttons))]
    if note:
        blocks.append(Context(note))
    return Message(text=text, blocks=tuple(blocks))


def done(
    text: str,
    *,
    summary: str | None = None,
    note: str | None = None,
    then: Button | None = None,
) -> Message:
    """Something done at once, with a way back (Undo, Resume now): the button is an offer, not a question.

    ``summary`` is the plain text a notification or a text-only platform shows, when it is shorter.
    """
    blocks: list[Section | Actions | Context] = [Section(text)]
    if note:
        blocks.append(Context(note))
    if then is not None:
        blocks.append(Actions((then,)))
    return Message(text=summary or text, blocks=tuple(blocks))
