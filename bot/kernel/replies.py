"""The shapes of reply every feature uses, so a confirmation or a choice looks and reads the same."""

from __future__ import annotations

from collections.abc import Sequence

from bot.kernel.messages import Actions, Attachment, Block, Button, Context, Message, Section


def confirm(
    text: str,
    label: str,
    action_id: str,
    *,
    value: str = "",
    danger: bool = False,
    note: str | None = None,
    details: Sequence[Block] = (),
    summary: str | None = None,
    ephemeral: bool = True,
    attachments: Sequence[Attachment] = (),
) -> Message:
    """A question with one button that does it: nothing happens until it is pressed."""
    button = Button(label, action_id, value, "danger" if danger else "primary")
    return choose(
        text,
        (button,),
        note=note,
        details=details,
        summary=summary,
        ephemeral=ephemeral,
        attachments=attachments,
    )


def choose(
    text: str,
    buttons: Sequence[Button],
    *,
    note: str | None = None,
    details: Sequence[Block] = (),
    summary: str | None = None,
    ephemeral: bool = True,
    attachments: Sequence[Attachment] = (),
) -> Message:
    """A question answered with one tap on one of a few buttons.

    ``details`` stand between the question and the buttons (what is being agreed to, e.g. a lesson's
    day and focus), so the buttons come after everything they act on. ``summary`` is the plain text
    for previews when the question alone would not say enough; ``ephemeral`` False for a message
    sent to someone through the outbox rather than a reply.
    """
    blocks: list[Block] = [Section(text), *details, Actions(tuple(buttons))]
    if note:
        blocks.append(Context(note))
    return Message(
        text=summary or text,
        blocks=tuple(blocks),
        ephemeral=ephemeral,
        attachments=tuple(attachments),
    )


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
