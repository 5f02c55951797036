"""The one renderer for Teams: the core's neutral ``Message`` -> an Adaptive Card (schema 1.5).

Buttons become ``Action.Submit`` whose ``data`` carries exactly what the core needs back (the action id and
its value, or the form id and its state), so a press arrives as a message activity with ``value`` and is
translated back by ``inbound.py`` without any lookup. Forms become inputs with their labels, what was typed
(kept when the core refused the submission) and each error under its field, because Teams only shows an
input's ``errorMessage`` for its own client-side checks, never for ours.
"""

from __future__ import annotations

import json
import re
from typing import Any

from adapters.markup import literal_markup
from bot.kernel.i18n import N_, _, pgettext, speaking
from bot.kernel.messages import (
    Actions,
    Attachment,
    Button,
    Context,
    Divider,
    Form,
    Image,
    Input,
    InputKind,
    Link,
    Mention,
    Message,
    Section,
    known_mentions_only,
    mentions_as,
    said_as,
    unsaid,
)

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
MARKER = "staffroom"
"""Key in every ``Action.Submit`` data: tells our submissions from anything else a client might post."""
STATE_KEY = "__state__"
MULTI_KEY = "__multi__"
"""Names of multi-select inputs: Teams posts them as one comma-separated string we must split again."""

_STYLES = {"primary": "positive", "danger": "destructive"}
_ATTACHMENT_PREVIEW_CHARS = 4000


def render_card(message: Message) -> dict[str, Any]:
    """The Adaptive Card for a message: its blocks, then its form, then its files.

    The core's mentions become ``<at>`` mentions with their entities, and a message meant for a
    pair or group's conversation gets *Chat* (a group chat with them all) and *Schedule* buttons:
    Teams deep links, since a bot cannot start a group chat itself. The card's own words (a
    Submit note, the Chat button) are written in the message's language."""
    with speaking(message.language):
        return _card(message)


def _card(message: Message) -> dict[str, Any]:
    message = known_mentions_only(message)
    body: list[dict[str, Any]] = []
    separator = False
    # A picture the server serves itself is shown from its link: the chart would be most of the
    # card, and Teams refuses a card that is too big. A message that links to a page of its own
    # (the web digest) and has no such link for its picture points to the page instead.
    linked = any(isinstance(b, Link) for b in message.blocks)
    for block in message.blocks:
        if isinstance(block, Divider):
            separator = True
            continue
        if linked and isinstance(block, Image) and not block.url:
            note = _("({alt}: open the full digest to see it)").format(alt=block.alt)
            elements = [_text(note, isSubtle=True)]
        else:
            elements = _block(block)
        if separator and elements:
            elements[0]["separator"] = True
            separator = False
        body.extend(elements)
    if not message.blocks and not message.form:
        body.append(_text(message.text))
    if message.form is not None:
        body.extend(_form(message.form))
    for attachment in message.attachments:
        body.append(_attachment(attachment))
    together = _conversation_actions(message.conversation)
    if together:
        body.append({"type": "ActionSet", "actions": together})
    msteams: dict[str, Any] = {"width": "Full"}
    used = _mentions_in(body, message.mentions)
    if used:
        msteams["entities"] = [
            {
                "type": "mention",
                "text": _at(m),
                "mentioned": {"id": m.user_id, "name": _at_name(m)},
            }
            for m in used
        ]
    return fitted(
        {
            "type": "AdaptiveCard",
            "$schema": SCHEMA,
            "version": VERSION,
            "body": body,
            "msteams": msteams,
            # Where a client cannot draw the card (and for screen readers' summary): the words.
            "fallbackText": _fallback(message.text),
        }
    )


CHAT_LINK = "https://teams.microsoft.com/l/chat/0/0"
MEETING_LINK = "https://teams.microsoft.com/l/meeting/new"


def _at_name(m: Mention) -> str:
    """A name as it may stand between ``<at>`` tags: no markup of its own, no link syntax."""
    return re.sub(r"[<>\[\]\x00-\x1f]", "", m.name).strip() or "someone"


def _at(m: Mention) -> str:
    return f"<at>{_at_name(m)}</at>"


def _mentions_in(body: list[dict[str, Any]], mentions: tuple[Mention, ...]) -> list[Mention]:
    """Turn the mention spans in every text of ``body`` into ``<at>`` tags; the mentions used."""
    used: dict[str, Mention] = {}

    def tag(m: Mention) -> str:
        used[m.user_id] = m
        return _at(m)

    for element in _elements(body):
        if isinstance(element.get("text"), str):
            element["text"] = mentions_as(element["text"], mentions, tag)
        for fact in element.get("facts", []):
            for key in ("title", "value"):
                fact[key] = mentions_as(fact[key], mentions, tag)
    return list(used.values())


def _conversation_actions(people: tuple[Mention, ...]) -> list[dict[str, Any]]:
    """*Chat* and *Schedule* for everyone in ``people``, who Teams knows by e-mail (UPN) or Entra
    object id; someone known by neither cannot be put in a chat link, so then there is none."""
    from urllib.parse import urlencode

    ids = [m.email or (m.user_id if _ENTRA_ID.match(m.user_id) else "") for m in people]
    if len(people) < 2 or not all(ids):
        return []
    names = ", ".join(_at_name(m) for m in people)
    chat = CHAT_LINK + "?" + urlencode({"users": ",".join(ids), "topicName": names[:120]})
    meeting = (
        MEETING_LINK
        + "?"
        + urlencode(
            {
                "subject": _("First conversation: {names}").format(names=names)[:200],
                "attendees": ",".join(ids),
            }
        )
    )
    return [
        {
            "type": "Action.OpenUrl",
            "title": _("Chat"),
            "url": chat,
            "tooltip": _("Open a group chat with {names}").format(names=names),
        },
        {
            "type": "Action.OpenUrl",
            "title": pgettext("a button that schedules a meeting", "Schedule"),
            "url": meeting,
            "tooltip": _("Schedule a Teams meeting with {names}").format(names=names),
        },
    ]


_ENTRA_ID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


FALLBACK_CHARS = 600


def _fallback(text: str) -> str:
    """Escaped like every other text of ours: some clients render this as markdown too."""
    short = text if len(text) <= FALLBACK_CHARS else text[: FALLBACK_CHARS - 1] + "…"
    return markdown(short)


CARD_BUDGET = 24_000
"""Bytes a card may take: Teams refuses an activity over about 28 KB with 413, which no retry cures,
and the activity around the card needs a little room of its own."""
SHORTENED = N_("… (shortened to fit Teams)")


def size_of(card: dict[str, Any]) -> int:
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode())


def fitted(card: dict[str, Any]) -> dict[str, Any]:
    """The card, made to fit ``CARD_BUDGET``: pictures give way to their alternative text first
    (the digest's chart is most of a digest card), then the longest texts are shortened, so a
    message is never refused whole for its size."""
    if size_of(card) <= CARD_BUDGET:
        return card
    body = card["body"]
    for i, element in enumerate(body):
        if element.get("type") == "Image":
            body[i] = {
                "type": "TextBlock",
                "text": "({alt})".format(alt=element.get("altText") or _("a picture")),
                "wrap": True,
                "isSubtle": True,
            }
    shortened = _(SHORTENED)
    texts = [e for e in _elements(body) if isinstance(e.get("text"), str)]
    while size_of(card) > CARD_BUDGET and texts:
        longest = max(texts, key=lambda e: len(e["text"]))
        excess = size_of(card) - CARD_BUDGET
        keep = max(len(longest["text"]) - excess - len(shortened) - 16, 0)
        if keep == 0:
            texts.remove(longest)
        longest["text"] = longest["text"][:keep].rstrip() + shortened
    return card


def _elements(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [e for item in node for e in _elements(item)]
    if isinstance(node, dict):
        found = [node]
        for key in ("items", "columns", "body"):
            if key in node:
                found += _elements(node[key])
        return found
    return []


def card_attachment(message: Message) -> dict[str, Any]:
    """The card wrapped as a Bot Framework attachment, as it goes into ``Activity.attachments``."""
    return {"contentType": CARD_CONTENT_TYPE, "content": render_card(message)}


def plain_paragraph(message: Message) -> str:
    """The text of a message ``is_plain_text`` says goes as text, with its said spans kept."""
    if message.blocks and isinstance(message.blocks[0], Section):
        return message.blocks[0].text
    return message.text


def is_plain_text(message: Message) -> bool:
    """A message that is one paragraph of text is sent as text: lighter, and it reads like chat."""
    if message.form or message.attachments:
        return False
    if not message.blocks:
        return True
    return (
        len(message.blocks) == 1
        and isinstance(message.blocks[0], Section)
        and not message.blocks[0].fields
        and unsaid(message.blocks[0].text) == message.text
    )


_SLACK_BOLD = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


NO_LINK = "]\u2060"
"""A closing bracket followed by a word joiner: it looks the same, but ``](``, ``][`` and ``]:`` no
longer start a markdown link, so a name or title like ``[click](https://evil.example)`` shows as the
words it is instead of a link with made-up text. The core never writes markdown links (it writes URLs
as they are), so no link of ours is lost."""


def markdown(text: str) -> str:
    """The core writes chat-style ``*bold*``; in Teams (and Adaptive Cards) one star is italic.

    What people wrote (the core's ``said`` spans) shows as the characters it is: its markup
    characters become look-alikes first, so no star of theirs pairs with one of the core's."""
    return _SLACK_BOLD.sub(r"**\1**", said_as(text, literal_markup)).replace("]", NO_LINK)


def _text(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": markdown(text), "wrap": True, **extra}


def _block(block: Section | Context | Actions | Image | Divider | Link) -> list[dict[str, Any]]:
    if isinstance(block, Section):
        out: list[dict[str, Any]] = []
        if block.text:
            out.append(_text(block.text))
        if block.fields:
            out.append(
                {
                    "type": "FactSet",
                    "facts": [
                        {"title": markdown(k), "value": markdown(v)} for k, v in block.fields
                    ],
                }
            )
        return out
    if isinstance(block, Context):
        return [_text(block.text, isSubtle=True, size="Small")]
    if isinstance(block, Actions):
        return [{"type": "ActionSet", "actions": [_button(b) for b in block.buttons]}]
    if isinstance(block, Link):
        return [
            {
                "type": "ActionSet",
                "actions": [
                    {
                        "type": "Action.OpenUrl",
                        "title": block.label,
                        "url": block.url,
                        "style": "positive",
                    }
                ],
            }
        ]
    if isinstance(block, Image):
        return [
            {
                "type": "Image",
                "url": block.url or f"data:image/png;base64,{block.png_base64}",
                "altText": block.alt,
                "size": "Stretch",
            }
        ]
    return []


def _button(button: Button) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Submit",
        "title": button.label,
        "data": {MARKER: "action", "action_id": button.action_id, "value": button.value},
    }
    if button.style in _STYLES:
        action["style"] = _STYLES[button.style]
    if button.description:
        action["tooltip"] = button.description  # Adaptive Cards 1.5: also what screen readers say
    return action


def _form(form: Form) -> list[dict[str, Any]]:
    errors = dict(form.errors)
    out: list[dict[str, Any]] = [_text(form.title, weight="Bolder", size="Medium")]
    if errors:
        out.append(
            _text(_("Please check the fields marked below; nothing was saved."), color="Attention")
        )
    for field in form.inputs:
        out.append(_input(field))
        if field.name in errors:
            out.append(
                _text(f"⚠ {errors[field.name]}", color="Attention", size="Small", spacing="None")
            )
        elif field.hint:
            out.append(_text(field.hint, isSubtle=True, size="Small", spacing="None"))
    data = {
        MARKER: "form",
        "form_id": form.form_id,
        STATE_KEY: form.state,
        MULTI_KEY: [i.name for i in form.inputs if i.kind is InputKind.MULTISELECT],
    }
    out.append(
        {
            "type": "ActionSet",
            "actions": [
                {
                    "type": "Action.Submit",
                    "title": form.submit_label,
                    "style": "positive",
                    "data": data,
                }
            ],
        }
    )
    return out


def _initial(field: Input) -> str | None:
    if field.initial is None:
        return None
    if isinstance(field.initial, list):
        return ",".join(field.initial)
    return str(field.initial)


def _input(field: Input) -> dict[str, Any]:
    element: dict[str, Any] = {"id": field.name, "label": field.label, "isRequired": field.required}
    if field.required:
        element["errorMessage"] = _("{label} is required.").format(label=field.label)
    kind = field.kind
    if kind in (InputKind.SELECT, InputKind.MULTISELECT):
        element.update(
            type="Input.ChoiceSet",
            choices=[{"title": o.label, "value": o.value} for o in field.options],
            style="compact" if kind is InputKind.SELECT else "expanded",
            isMultiSelect=kind is InputKind.MULTISELECT,
        )
    elif kind is InputKind.DATE:
        element["type"] = "Input.Date"
    elif kind is InputKind.TIME:
        element["type"] = "Input.Time"
    elif kind is InputKind.NUMBER:
        element["type"] = "Input.Number"
        if field.min_value is not None:
            element["min"] = field.min_value
        if field.max_value is not None:
            element["max"] = field.max_value
    else:
        element["type"] = "Input.Text"
        element["isMultiline"] = kind is InputKind.MULTILINE
        if field.max_length:
            element["maxLength"] = field.max_length
        if field.placeholder:
            element["placeholder"] = field.placeholder
    initial = _initial(field)
    if initial not in (None, ""):
        element["value"] = initial
    return element


def _attachment(attachment: Attachment) -> dict[str, Any]:
    """Teams bots cannot drop a file into a chat without Graph or a consent card, so the file is shown.

    The card names the file and opens its text (an .ics invite is short) under a button, so the person can
    copy it; the plain-text fallback of the message says what it is.
    """
    preview = attachment.content[:_ATTACHMENT_PREVIEW_CHARS]
    return {
        "type": "Container",
        "separator": True,
        "items": [
            _text(f"📎 {attachment.filename} ({attachment.mime_type})", weight="Bolder"),
            {
                "type": "ActionSet",
                "actions": [
                    {
                        "type": "Action.ShowCard",
                        "title": f"Show {attachment.filename}",
                        "card": {
                            "type": "AdaptiveCard",
                            "version": VERSION,
                            "body": [_text(preview, fontType="Monospace", size="Small")],
                        },
                    },
                ],
            },
        ],
    }
