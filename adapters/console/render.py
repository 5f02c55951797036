"""Neutral messages as plain terminal text, buttons numbered so they can be pressed by number."""

from __future__ import annotations

import textwrap
from dataclasses import replace

from bot.kernel.i18n import _, speaking
from bot.kernel.messages import (
    Actions,
    Block,
    Button,
    Context,
    Divider,
    Form,
    Image,
    InputKind,
    Link,
    Message,
    Section,
    known_mentions_only,
    mentions_as_names,
    unsaid,
)

WIDTH = 88


def render(message: Message, *, first_button: int = 1) -> tuple[str, list[Button]]:
    """Text for the terminal, and the buttons in the order their numbers were printed."""
    with speaking(message.language):
        return _render(message, first_button)


def _render(message: Message, first_button: int) -> tuple[str, list[Button]]:
    lines: list[str] = []
    buttons: list[Button] = []
    message = _named(_plain(message))
    if not message.blocks:
        lines += message.text.splitlines()
    for block in message.blocks:
        if isinstance(block, Section):
            if block.text:
                lines += block.text.splitlines()
            for label, value in block.fields:
                value_lines = value.splitlines() or [""]
                lines.append(f"  {label + ':':<15} {value_lines[0]}")
                lines += [f"  {'':<15} {extra}" for extra in value_lines[1:]]
        elif isinstance(block, Context):
            lines.append(f"  ({block.text})")
        elif isinstance(block, Actions):
            labels = []
            for button in block.buttons:
                labels.append(f"[{first_button + len(buttons)}] {button.label}")
                buttons.append(button)
            lines.append("  " + "   ".join(labels))
        elif isinstance(block, Divider):
            lines.append("  " + "-" * 40)
        elif isinstance(block, Image):
            lines.append("  " + _("[picture: {alt}]").format(alt=block.alt))
        elif isinstance(block, Link):
            lines.append(f"  {block.label}: {block.url}")
    for attachment in message.attachments:
        lines.append("  " + _("[file: {name}]").format(name=attachment.filename))
    text = "\n".join(_wrap(line) for line in lines)
    return text, buttons


def _plain(message: Message) -> Message:
    """A terminal shows words as words: the said marks go before anything splits lines (Python's
    ``splitlines`` counts them as line breaks)."""

    def one(block: Block) -> Block:
        if isinstance(block, Section):
            return Section(
                unsaid(block.text), tuple((unsaid(k), unsaid(v)) for k, v in block.fields)
            )
        if isinstance(block, Context):
            return Context(unsaid(block.text))
        return block

    return replace(message, blocks=tuple(one(b) for b in message.blocks))


def _named(message: Message) -> Message:
    """The terminal has no mentions: each one is the person's name."""
    message = known_mentions_only(message)
    if not message.mentions:
        return message

    def names(text: str) -> str:
        return mentions_as_names(text, message.mentions)

    blocks = tuple(
        Section(names(b.text), tuple((names(k), names(v)) for k, v in b.fields))
        if isinstance(b, Section)
        else Context(names(b.text))
        if isinstance(b, Context)
        else b
        for b in message.blocks
    )
    return Message(
        text=message.text,
        blocks=blocks,
        form=message.form,
        ephemeral=message.ephemeral,
        attachments=message.attachments,
        language=message.language,
    )


def render_form_header(form: Form) -> str:
    lines = [
        _("== {title} ==  (press Enter to keep a value in [brackets])").format(title=form.title)
    ]
    for name, error in form.errors:
        label = next((i.label for i in form.inputs if i.name == name), name)
        lines.append(f"  ! {label}: {error}")
    return "\n".join(lines)


def prompt_for(
    kind: InputKind, label: str, hint: str | None, initial: object, required: bool
) -> str:
    extra = f" ({hint})" if hint else ""
    optional = "" if required else _(" (optional)")
    default = ""
    if initial not in (None, "", []):
        shown = ", ".join(initial) if isinstance(initial, list) else str(initial)
        default = f" [{shown.replace(chr(10), ' / ')}]"
    return f"{label}{optional}{extra}{default}: "


def _wrap(line: str) -> str:
    if len(line) <= WIDTH:
        return line
    indent = len(line) - len(line.lstrip())
    return textwrap.fill(line, WIDTH, subsequent_indent=" " * (indent + 2))
