"""The neutral message model: the only thing renderers see.

A message is text plus a few kinds of block. Adding a platform means writing a renderer for these and an
inbound translator, nothing else. Messages round-trip through JSON because the outbox stores them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

from bot.kernel.i18n import SOURCE_LANGUAGE, _, current_language


class InputKind(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    SELECT = "select"
    MULTISELECT = "multiselect"
    DATE = "date"
    TIME = "time"
    NUMBER = "number"


ButtonStyle = Literal["default", "primary", "danger"]


def _plain_only(record: object, *names: str) -> None:
    """Labels are plain text on every platform (no markup to escape), so they carry no said marks."""
    for name in names:
        value = getattr(record, name)
        if SAID_MARK in value or SAID_END in value:
            object.__setattr__(record, name, unsaid(value))


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    """Names the core handler, e.g. ``member.resume``."""
    value: str = ""
    """What the handler needs to act without asking again (an id, a rating)."""
    style: ButtonStyle = "default"
    description: str = ""
    """What pressing it does, in words that stand alone, for a screen reader (Slack's
    ``accessibility_label``, a Teams tooltip) where the label leans on what is around it: a
    "4" under a confidence question, "Accept" under a colleague's request."""

    def __post_init__(self) -> None:
        _plain_only(self, "label", "description")


@dataclass(frozen=True)
class Option:
    value: str
    label: str

    def __post_init__(self) -> None:
        _plain_only(self, "label")


@dataclass(frozen=True)
class Input:
    name: str
    label: str
    kind: InputKind = InputKind.TEXT
    required: bool = True
    options: tuple[Option, ...] = ()
    initial: str | list[str] | None = None
    placeholder: str | None = None
    hint: str | None = None
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class Form:
    form_id: str
    """Names the core handler for the submission, e.g. ``member.profile``."""
    title: str
    inputs: tuple[Input, ...]
    submit_label: str = field(default_factory=lambda: _("Save"))
    """In the language the form is built in, like everything else on it."""
    state: str = ""
    """Opaque context the handler needs back on submission (a program id, a record id)."""
    errors: tuple[tuple[str, str], ...] = ()
    """Field name -> what to fix; set when a submission was refused, with ``initial`` holding what was typed."""

    def __post_init__(self) -> None:
        # A form is plain text on every platform: its title and errors carry no said marks.
        _plain_only(self, "title")
        if any(SAID_MARK in v or SAID_END in v for _k, v in self.errors):
            object.__setattr__(self, "errors", tuple((k, unsaid(v)) for k, v in self.errors))

    def with_errors(self, errors: dict[str, str], typed: dict[str, Any]) -> Form:
        """The same form again, refilled with what was typed, carrying the errors to show."""
        inputs = tuple(
            replace(i, initial=typed[i.name]) if typed.get(i.name) not in (None, "") else i
            for i in self.inputs
        )
        return replace(self, inputs=inputs, errors=tuple(errors.items()))


@dataclass(frozen=True)
class Section:
    text: str = ""
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Context:
    """Small print under a section: who shared it, when it was sent."""

    text: str


@dataclass(frozen=True)
class Actions:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Divider:
    pass


@dataclass(frozen=True)
class Image:
    """A picture in the message (the digest's trend chart). PNG, base64, so the outbox can store it.

    ``url``, when the server can serve the same picture itself (an unguessable, expiring link): a
    renderer with a size limit (a Teams card) shows it from there instead of carrying the bytes."""

    alt: str
    png_base64: str
    url: str | None = None


@dataclass(frozen=True)
class Link:
    """A button that opens an address in the person's browser instead of calling the core.

    Only for addresses the core makes itself (the web digest's signed link), never one a person
    typed: renderers show it as a platform link button, which a name or title can never become.
    """

    label: str
    url: str

    def __post_init__(self) -> None:
        _plain_only(self, "label")


Block = Section | Context | Actions | Divider | Image | Link


@dataclass(frozen=True)
class Attachment:
    """A file sent with the message (an observation's .ics invite). Text content, e.g. iCalendar."""

    filename: str
    mime_type: str
    content: str


MENTION_MARK = "\x1f"
"""Brackets a mention span in a block's text: ``mention(user_id)``. People's words never contain it
(``unmark``), so nobody can type a mention into a message Staffroom sends."""
MENTION_SPAN = re.compile("\x1f@([^\x1f\\s]{1,128})\x1f")


@dataclass(frozen=True)
class Mention:
    """Someone a message names: each renderer turns ``mention(user_id)`` in a block's text into a
    real mention (Slack ``<@U…>``, a Teams ``<at>`` entity) or, where there are none, the name."""

    user_id: str
    """Their platform user id."""
    name: str
    email: str | None = None


def mention(user_id: str) -> str:
    """The span a block's text carries where a person is named; ``Message.mentions`` says who."""
    return f"{MENTION_MARK}@{unmark(user_id)}{MENTION_MARK}"


def unmark(text: str) -> str:
    """People's words with the mention and said marks taken out: data can never become a mention,
    nor end a span of what someone said early and have the rest read as the core's own markup."""
    return text.replace(MENTION_MARK, "").replace(SAID_MARK, "").replace(SAID_END, "")


SAID_MARK = "\x1e"
"""Opens what a person wrote inside the core's own text: ``said(text)``; ``SAID_END`` closes it. The core
writes chat-style markup (``*bold*``, backticks) around and between people's words; a renderer shows a
said span as the characters it is, so a name like ``*URGENT* _from the head_`` formats nothing for
whoever reads it. Nobody can type the marks (control characters are dropped at the door, and ``said``
drops them too); two different marks, so a stray one in old data can only make more text literal,
never end a span early."""
SAID_END = "\x1d"
_SAID_SPAN = re.compile("\x1e([^\x1e\x1d]*)\x1d")


def said(text: object) -> str:
    """Someone's words (a name, a goal, a title, a note) as they sit in a message for anyone."""
    return f"{SAID_MARK}{unmark(str(text))}{SAID_END}"


def said_as(text: str, literal: Callable[[str], str]) -> str:
    """``text`` with each said span replaced by ``literal(span)`` and the marks gone: how a renderer
    with a markup of its own (Slack mrkdwn, Teams markdown) keeps people's words as words."""
    if SAID_MARK not in text and SAID_END not in text:
        return text
    return unsaid(_SAID_SPAN.sub(lambda m: literal(m.group(1)), text))


def unsaid(text: str) -> str:
    """``text`` with the said marks taken out, for renderers that show text as text (a terminal)."""
    return text.replace(SAID_MARK, "").replace(SAID_END, "")


def mentions_as(text: str, mentions: tuple[Mention, ...], render: Any) -> str:
    """``text`` with each mention span replaced by ``render(mention)`` (an unknown id: its name if
    known, or nothing), for renderers that draw mentions their own way."""
    known = {m.user_id: m for m in mentions}

    def one(match: re.Match[str]) -> str:
        found = known.get(match.group(1))
        return str(render(found)) if found is not None else ""

    return MENTION_SPAN.sub(one, text)


def mentions_as_names(text: str, mentions: tuple[Mention, ...]) -> str:
    return mentions_as(text, mentions, lambda m: m.name)


def known_mentions_only(message: Message) -> Message:
    """The message with every span that is not one of its ``mentions``, and any stray mark, taken
    out of its blocks: what a renderer starts from, so only the core's own mentions become real."""
    if not any(MENTION_MARK in _texts_of(b) for b in message.blocks):
        return message

    known = {m.user_id for m in message.mentions}

    def clean(text: str) -> str:
        parts = MENTION_SPAN.split(text)  # plain text, a mentioned id, plain text, ...
        return "".join(
            (mention(part) if part in known else "") if i % 2 else part.replace(MENTION_MARK, "")
            for i, part in enumerate(parts)
        )

    def one(block: Block) -> Block:
        if isinstance(block, Section):
            return Section(
                clean(block.text),
                tuple((clean(k), clean(v)) for k, v in block.fields),
            )
        if isinstance(block, Context):
            return Context(clean(block.text))
        return block

    return replace(message, blocks=tuple(one(b) for b in message.blocks))


def _texts_of(block: Block) -> str:
    if isinstance(block, Section):
        return block.text + "".join(k + v for k, v in block.fields)
    if isinstance(block, Context):
        return block.text
    return ""


@dataclass(frozen=True)
class Message:
    text: str
    """The whole message as plain text: the notification preview and the fallback where blocks fail."""
    blocks: tuple[Block, ...] = ()
    form: Form | None = None
    """Open this form (a Slack modal, an Adaptive Card with inputs, console prompts)."""
    ephemeral: bool = True
    """Seen only by the person who typed the command (Slack's ephemeral reply)."""
    attachments: tuple[Attachment, ...] = ()
    mentions: tuple[Mention, ...] = ()
    """Who the ``mention(...)`` spans in the blocks' text are."""
    conversation: tuple[Mention, ...] = ()
    """Everyone this message is for together (a pair or group, the recipient among them): a
    platform that can open one conversation with them all delivers it there (a Slack group DM), one
    that can't links to it (a Teams chat), and the rest deliver it to the recipient alone."""
    language: str = field(default_factory=current_language)
    """The language it was written in (its reader's): a renderer writes its own words, a modal's
    Cancel or a fallback line, in the same one."""

    def __post_init__(self) -> None:
        # The preview is plain text: said spans live in the blocks, where renderers look for them.
        if SAID_MARK in self.text or SAID_END in self.text:
            if not self.blocks:
                object.__setattr__(self, "blocks", (Section(text=self.text),))
            object.__setattr__(self, "text", unsaid(self.text))

    def buttons(self) -> list[Button]:
        return [b for block in self.blocks if isinstance(block, Actions) for b in block.buttons]


def text_message(text: str, *, ephemeral: bool = True) -> Message:
    return Message(text=text, blocks=(Section(text=text),), ephemeral=ephemeral)


# --- JSON round trip, for the outbox -------------------------------------------------------------


def message_to_dict(message: Message) -> dict[str, Any]:
    return {
        "text": message.text,
        "ephemeral": message.ephemeral,
        "blocks": [_block_to_dict(b) for b in message.blocks],
        "form": _form_to_dict(message.form) if message.form else None,
        "attachments": [
            {"filename": a.filename, "mime_type": a.mime_type, "content": a.content}
            for a in message.attachments
        ],
        "mentions": [_mention_to_dict(m) for m in message.mentions],
        "conversation": [_mention_to_dict(m) for m in message.conversation],
        "language": message.language,
    }


def _mention_to_dict(m: Mention) -> dict[str, Any]:
    return {"user_id": m.user_id, "name": m.name, "email": m.email}


def message_from_dict(data: dict[str, Any]) -> Message:
    form = data.get("form")
    return Message(
        text=str(data["text"]),
        ephemeral=bool(data.get("ephemeral", False)),
        blocks=tuple(_block_from_dict(b) for b in data.get("blocks", [])),
        form=_form_from_dict(form) if form else None,
        attachments=tuple(Attachment(**a) for a in data.get("attachments", [])),
        mentions=tuple(Mention(**m) for m in data.get("mentions", [])),
        conversation=tuple(Mention(**m) for m in data.get("conversation", [])),
        language=str(data.get("language") or SOURCE_LANGUAGE),
    )


def _block_to_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, Section):
        return {"type": "section", "text": block.text, "fields": [list(f) for f in block.fields]}
    if isinstance(block, Context):
        return {"type": "context", "text": block.text}
    if isinstance(block, Actions):
        return {
            "type": "actions",
            "buttons": [
                {"label": b.label, "action_id": b.action_id, "value": b.value, "style": b.style}
                for b in block.buttons
            ],
        }
    if isinstance(block, Image):
        image = {"type": "image", "alt": block.alt, "png_base64": block.png_base64}
        return {**image, "url": block.url} if block.url else image
    if isinstance(block, Link):
        return {"type": "link", "label": block.label, "url": block.url}
    return {"type": "divider"}


def _block_from_dict(data: dict[str, Any]) -> Block:
    kind = data["type"]
    if kind == "section":
        return Section(text=data["text"], fields=tuple((k, v) for k, v in data["fields"]))
    if kind == "context":
        return Context(text=data["text"])
    if kind == "actions":
        return Actions(buttons=tuple(Button(**b) for b in data["buttons"]))
    if kind == "image":
        return Image(alt=data["alt"], png_base64=data["png_base64"], url=data.get("url"))
    if kind == "link":
        return Link(label=data["label"], url=data["url"])
    return Divider()


def _form_to_dict(form: Form) -> dict[str, Any]:
    return {
        "form_id": form.form_id,
        "title": form.title,
        "submit_label": form.submit_label,
        "state": form.state,
        "errors": [list(e) for e in form.errors],
        "inputs": [
            {
                "name": i.name,
                "label": i.label,
                "kind": i.kind.value,
                "required": i.required,
                "options": [[o.value, o.label] for o in i.options],
                "initial": i.initial,
                "placeholder": i.placeholder,
                "hint": i.hint,
                "max_length": i.max_length,
                "min_value": i.min_value,
                "max_value": i.max_value,
            }
            for i in form.inputs
        ],
    }


def _form_from_dict(data: dict[str, Any]) -> Form:
    inputs = tuple(
        Input(
            name=i["name"],
            label=i["label"],
            kind=InputKind(i["kind"]),
            required=i["required"],
            options=tuple(Option(v, label) for v, label in i["options"]),
            initial=i["initial"],
            placeholder=i["placeholder"],
            hint=i["hint"],
            max_length=i["max_length"],
            min_value=i["min_value"],
            max_value=i["max_value"],
        )
        for i in data["inputs"]
    )
    return Form(
        form_id=data["form_id"],
        title=data["title"],
        inputs=inputs,
        submit_label=data["submit_label"],
        state=data["state"],
        errors=tuple((k, v) for k, v in data["errors"]),
    )


@dataclass(frozen=True)
class Outgoing:
    """A message for someone other than the person who acted, written to the outbox."""

    recipient_member_id: int
    message: Message
    idempotency_key: str
    extra: dict[str, Any] = field(default_factory=dict)
