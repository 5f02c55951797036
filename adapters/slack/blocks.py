"""The neutral message as Block Kit: messages, modals and the Home tab.

Slack rejects a whole message when one block breaks a limit (``invalid_blocks``), so every limit is
enforced here rather than hoped for: long text is split across sections or cut with a visible marker,
and lists are trimmed. Texts are escaped (``&``, ``<``, ``>``) so nobody can smuggle a ``<!channel>``
ping or a fake link into a message Staffroom sends, and what people wrote formats nothing (``escape``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from adapters.markup import literal_markup
from bot.kernel.events import FormValue
from bot.kernel.i18n import N_, _, current_language, ngettext, speaking
from bot.kernel.messages import (
    Actions,
    Block,
    Button,
    Context,
    Divider,
    Form,
    Image,
    Input,
    InputKind,
    Link,
    Message,
    Section,
    known_mentions_only,
    said_as,
    unsaid,
)

JSON = dict[str, Any]

# Block Kit's limits (https://api.slack.com/reference/block-kit).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONTEXT_TEXT = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ID = 255
MAX_FALLBACK_TEXT = 3000
MAX_VIEW_TITLE = 24
MAX_LABEL = 2000
MAX_PLACEHOLDER = 150
MAX_INPUT_LENGTH = 3000
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_PRIVATE_METADATA = 3000

CUT = N_("… _(shortened for Slack)_")
PLAIN_CUT = "…"
ACTION_SEPARATOR = "|"
LINK_ACTION = "slack.link"
"""A link button: Slack opens the URL and still reports the press, which is acknowledged and dropped."""
MAX_URL = 3000
OPEN_FORM_ACTION = "slack.open_form"
"""A button standing in for a form in a delivered message: a modal needs a click (trigger) to open."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")


_MENTION = re.compile("\x1f@([A-Z0-9]{1,64})\x1f")


def escape(text: str) -> str:
    """Slack's three control characters; the core's own mrkdwn (``*bold*``, backticks) is kept, and
    what people wrote (its ``said`` spans) can format nothing (``adapters.markup``).

    The core's mention spans (``bot.kernel.messages.mention``) become real mentions, ``<@U…>``; a
    renderer only ever sees the spans of the message's own ``mentions`` (``known_mentions_only``).
    Every mrkdwn text object this module makes passes through here: one place, every surface.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = said_as(escaped, literal_markup)
    return _MENTION.sub(r"<@\1>", escaped).replace("\x1f", "")


def cut(text: str, limit: int, marker: str | None = None) -> str:
    if len(text) <= limit:
        return text
    marker = _(CUT) if marker is None else marker
    return text[: max(limit - len(marker), 0)].rstrip() + marker


def plain(text: str, limit: int) -> JSON:
    """A plain_text object: Slack formats nothing in it, so people's words need no escaping."""
    return {"type": "plain_text", "text": cut(unsaid(text), limit, PLAIN_CUT) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> JSON:
    return {"type": "mrkdwn", "text": cut(escape(text), limit) or " "}


def slack_action_id(core_action_id: str, index: int) -> str:
    """Block Kit wants action ids unique in a message; the core's may repeat (rating buttons)."""
    return f"{core_action_id[: MAX_ACTION_ID - 8]}{ACTION_SEPARATOR}{index}"


def core_action_id(action_id: str) -> str:
    head, sep, tail = action_id.rpartition(ACTION_SEPARATOR)
    return head if sep and tail.isdigit() else action_id


# --- messages ----------------------------------------------------------------------------------


def fallback_text(message: Message) -> str:
    """The notification preview, and what Slack shows where blocks cannot be drawn."""
    return cut(escape(message.text), MAX_FALLBACK_TEXT, PLAIN_CUT) or " "


def message_blocks(message: Message, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[JSON]:
    """Block Kit for a message; the renderer's own words (a cut marker, a button to open a form)
    are written in the message's language."""
    with speaking(message.language):
        return _message_blocks(message, max_blocks)


def _message_blocks(message: Message, max_blocks: int) -> list[JSON]:
    blocks: list[JSON] = []
    message = known_mentions_only(message)
    source: Iterable[Block] = message.blocks or (Section(text=message.text),)
    counter = _Counter()
    for block in source:
        blocks.extend(_block(block, counter))
    if message.form is not None:
        blocks.extend(_open_form_button(message.form, counter))
    return _fit(blocks, max_blocks)


def message_payload(message: Message) -> JSON:
    return {"text": fallback_text(message), "blocks": message_blocks(message)}


class _Counter:
    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


def _block(block: Block, counter: _Counter) -> list[JSON]:
    if isinstance(block, Section):
        return _section(block)
    if isinstance(block, Context):
        return [{"type": "context", "elements": [mrkdwn(block.text, MAX_CONTEXT_TEXT)]}]
    if isinstance(block, Actions):
        return _actions(block.buttons, counter)
    if isinstance(block, Divider):
        return [{"type": "divider"}]
    if isinstance(block, Link):
        return [_link(block, counter.next())]
    if isinstance(block, Image):
        # Block Kit images need a URL; the PNG itself is uploaded beside the message (messenger).
        return [
            {
                "type": "context",
                "elements": [
                    mrkdwn(_("🖼️ {alt} (picture attached)").format(alt=block.alt), MAX_CONTEXT_TEXT)
                ],
            }
        ]
    return []


def _section(section: Section) -> list[JSON]:
    out: list[JSON] = []
    for chunk in split_text(escape(section.text), MAX_SECTION_TEXT):
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    fields = [
        {
            "type": "mrkdwn",
            "text": cut(f"*{escape(label)}*\n{escape(value) or '—'}", MAX_FIELD_TEXT),
        }
        for label, value in section.fields
    ]
    for start in range(0, len(fields), MAX_FIELDS):
        group = fields[start : start + MAX_FIELDS]
        if out and start == 0 and "fields" not in out[-1]:
            out[-1]["fields"] = group
        else:
            out.append({"type": "section", "fields": group})
    return out


def split_text(text: str, limit: int) -> list[str]:
    """Split at line breaks (then spaces) so no chunk is longer than ``limit``; never loses text."""
    if not text:
        return []
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        at = rest.rfind("\n", 0, limit)
        if at <= limit // 2:
            at = rest.rfind(" ", 0, limit)
        if at <= 0:
            at = limit
        chunks.append(rest[:at].rstrip())
        rest = rest[at:].lstrip("\n ")
    if rest:
        chunks.append(rest)
    return chunks


MAX_ACCESSIBILITY_LABEL = 75
"""Block Kit's limit for a button's ``accessibility_label``, what a screen reader says instead."""


def _button(button: Button, index: int) -> JSON:
    element: JSON = {
        "type": "button",
        "text": plain(button.label, MAX_BUTTON_TEXT),
        "action_id": slack_action_id(button.action_id, index),
    }
    if button.value:
        element["value"] = button.value[:MAX_BUTTON_VALUE]
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    if button.description:
        element["accessibility_label"] = cut(button.description, MAX_ACCESSIBILITY_LABEL)
    return element


def _link(link: Link, index: int) -> JSON:
    button = {
        "type": "button",
        "text": plain(link.label, MAX_BUTTON_TEXT),
        "action_id": slack_action_id(LINK_ACTION, index),
        "url": link.url[:MAX_URL],
        "style": "primary",
    }
    return {"type": "actions", "elements": [button]}


def _actions(buttons: Iterable[Button], counter: _Counter) -> list[JSON]:
    elements = [_button(b, counter.next()) for b in buttons]
    return [
        {"type": "actions", "elements": elements[start : start + MAX_ACTIONS_ELEMENTS]}
        for start in range(0, len(elements), MAX_ACTIONS_ELEMENTS)
    ]


def _open_form_button(form: Form, counter: _Counter) -> list[JSON]:
    """A delivered message cannot open a modal by itself; a button carrying the form can."""
    from bot.kernel.messages import message_to_dict

    packed = json.dumps(
        {
            "form": message_to_dict(Message(text="", form=form))["form"],
            "language": current_language(),
        },
        separators=(",", ":"),
    )
    if len(packed) > MAX_BUTTON_VALUE:
        return [
            {
                "type": "context",
                "elements": [
                    mrkdwn(_("Open “{title}” with the command again.").format(title=form.title))
                ],
            }
        ]
    button = Button(
        _("Open: {title}").format(title=form.title), OPEN_FORM_ACTION, value=packed, style="primary"
    )
    return [{"type": "actions", "elements": [_button(button, counter.next())]}]


def unpack_form(value: str) -> tuple[Form | None, str | None]:
    """The form a button carries and the language it was written in (a button sent before forms
    carried their language holds the form alone)."""
    from bot.kernel.messages import message_from_dict

    packed = json.loads(value)
    if "form" in packed:
        return message_from_dict({"text": "", "form": packed["form"]}).form, packed.get("language")
    return message_from_dict({"text": "", "form": packed}).form, None


def _fit(blocks: list[JSON], max_blocks: int) -> list[JSON]:
    """Keep within the block budget; what does not fit is replaced by one visible marker."""
    if len(blocks) <= max_blocks:
        return blocks
    kept = blocks[: max_blocks - 1]
    dropped = len(blocks) - len(kept)
    kept.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": ngettext(
                        "… {n} more block did not fit in one Slack message.",
                        "… {n} more blocks did not fit in one Slack message.",
                        dropped,
                    ).format(n=dropped),
                }
            ],
        }
    )
    return kept


# --- modals --------------------------------------------------------------------------------------


def modal(
    form: Form, *, metadata: Mapping[str, Any] | None = None, language: str | None = None
) -> JSON:
    """A modal for a form; block ids are the input names, so errors land on the right field.
    ``language`` is the language of the message that carried the form (its Cancel, its notes)."""
    with speaking(language):
        return _modal(form, metadata)


def _modal(form: Form, metadata: Mapping[str, Any] | None) -> JSON:
    blocks: list[JSON] = []
    if form.errors:
        text = _("Please check: {errors}").format(errors="; ".join(e for _f, e in form.errors))
        blocks.append({"type": "context", "elements": [mrkdwn(text, MAX_CONTEXT_TEXT)]})
    blocks += [input_block(i) for i in form.inputs]
    private = json.dumps({"state": form.state, **(metadata or {})}, separators=(",", ":"))
    if len(private) > MAX_PRIVATE_METADATA:
        private = json.dumps({"state": form.state}, separators=(",", ":"))
    return {
        "type": "modal",
        "callback_id": form.form_id[:MAX_ACTION_ID],
        "title": plain(form.title, MAX_VIEW_TITLE),
        "submit": plain(form.submit_label, MAX_VIEW_TITLE),
        "close": plain(_("Cancel"), MAX_VIEW_TITLE),
        "private_metadata": private,
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }


def input_block(field: Input) -> JSON:
    block: JSON = {
        "type": "input",
        "block_id": field.name,
        "label": plain(field.label, MAX_LABEL),
        "element": _element(field),
        "optional": not field.required,
    }
    if field.hint:
        block["hint"] = plain(field.hint, MAX_LABEL)
    return block


def _option(value: str, label: str) -> JSON:
    return {"text": plain(label, MAX_OPTION_TEXT), "value": value[:MAX_OPTION_VALUE]}


def _element(field: Input) -> JSON:
    kind = field.kind
    element: JSON = {"action_id": field.name}
    initial = field.initial
    if field.placeholder and kind not in (InputKind.DATE, InputKind.TIME):
        element["placeholder"] = plain(field.placeholder, MAX_PLACEHOLDER)
    if kind in (InputKind.SELECT, InputKind.MULTISELECT):
        options = [_option(o.value, o.label) for o in field.options[:MAX_OPTIONS]]
        element["type"] = "static_select" if kind is InputKind.SELECT else "multi_static_select"
        element["options"] = options or [_option("-", _("(nothing to choose)"))]
        wanted = [initial] if isinstance(initial, str) else list(initial or [])
        chosen = [o for o in options if o["value"] in wanted]
        if chosen and kind is InputKind.SELECT:
            element["initial_option"] = chosen[0]
        elif chosen:
            element["initial_options"] = chosen
        return element
    text = ", ".join(initial) if isinstance(initial, list) else (initial or "")
    if kind is InputKind.DATE:
        element["type"] = "datepicker"
        if _DATE.match(text):
            element["initial_date"] = text
        return element
    if kind is InputKind.TIME:
        element["type"] = "timepicker"
        if _TIME.match(text):
            element["initial_time"] = text
        return element
    if kind is InputKind.NUMBER:
        element["type"] = "number_input"
        bounds = [v for v in (field.min_value, field.max_value) if v is not None]
        element["is_decimal_allowed"] = any(float(v) != int(v) for v in bounds)
        if field.min_value is not None:
            element["min_value"] = _number(field.min_value)
        if field.max_value is not None:
            element["max_value"] = _number(field.max_value)
        if text.strip():
            element["initial_value"] = text.strip()
        return element
    element["type"] = "plain_text_input"
    element["multiline"] = kind is InputKind.MULTILINE
    limit = min(field.max_length or MAX_INPUT_LENGTH, MAX_INPUT_LENGTH)
    element["max_length"] = limit
    if text:
        element["initial_value"] = text[:limit]
    return element


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def form_values(state_values: Mapping[str, Mapping[str, Any]]) -> dict[str, FormValue]:
    """A submitted modal's ``view.state.values`` as the core's field name -> value."""
    values: dict[str, FormValue] = {}
    for block_id, actions in state_values.items():
        for element in actions.values():
            values[block_id] = _value(element)
    return values


def _value(element: Mapping[str, Any]) -> FormValue:
    kind = element.get("type")
    if kind == "static_select":
        option = element.get("selected_option") or {}
        return str(option.get("value", ""))
    if kind == "multi_static_select":
        return [str(o["value"]) for o in element.get("selected_options") or []]
    if kind == "datepicker":
        return str(element.get("selected_date") or "")
    if kind == "timepicker":
        return str(element.get("selected_time") or "")
    return str(element.get("value") or "")


def read_metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def field_errors(form_inputs: Iterable[str], errors: Mapping[str, str]) -> dict[str, str]:
    """Slack's ``response_action: errors`` wants block ids that exist in the view: anything else
    (an error about the form as a whole) goes on the first field rather than being dropped."""
    names = list(form_inputs)
    out: dict[str, str] = {}
    for name, text in errors.items():
        target = name if name in names else (names[0] if names else name)
        out[target] = f"{out[target]} {text}" if target in out else text
    return {k: cut(v, MAX_LABEL, PLAIN_CUT) for k, v in out.items()}


# --- the Home tab ------------------------------------------------------------------------------


def home_view(message: Message) -> JSON:
    return {"type": "home", "blocks": message_blocks(message, max_blocks=MAX_VIEW_BLOCKS)}
