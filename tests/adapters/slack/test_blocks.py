"""The Block Kit renderer: escaping, Slack's limits, modals with typed inputs, and the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from adapters.slack import blocks
from adapters.slack.inbound import COMMAND_ALIASES, command_text
from bot.features import REGISTRY
from bot.kernel.messages import (
    Actions,
    Button,
    Context,
    Divider,
    Form,
    Image,
    Input,
    InputKind,
    Message,
    Option,
    Section,
)

MANIFEST = Path(blocks.__file__).parent / "manifest.yaml"


def assert_within_limits(rendered: list[dict[str, Any]], max_blocks: int = 50) -> None:
    """The limits Slack enforces with ``invalid_blocks``."""
    assert len(rendered) <= max_blocks
    ids: list[str] = []
    for block in rendered:
        if block["type"] == "section":
            if "text" in block:
                assert 0 < len(block["text"]["text"]) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
        if block["type"] == "actions":
            assert 0 < len(block["elements"]) <= 25
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= 75
                assert len(element.get("value", "")) <= 2000
                ids.append(element["action_id"])
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
    assert len(ids) == len(set(ids)), "action ids must be unique in a message"


def test_text_is_escaped_but_formatting_kept() -> None:
    rendered = blocks.message_blocks(
        Message(text="x", blocks=(Section("*Hi* <!channel> & `a<b`"),))
    )
    assert rendered[0]["text"]["text"] == "*Hi* &lt;!channel&gt; &amp; `a&lt;b`"
    assert blocks.fallback_text(Message(text="<@U1>")) == "&lt;@U1&gt;"


def test_long_text_is_split_across_sections_without_losing_any() -> None:
    paragraph = "word " * 200
    text = "\n".join([paragraph] * 8)  # about 8,000 characters
    rendered = blocks.message_blocks(Message(text="t", blocks=(Section(text),)))
    assert len(rendered) == 4  # split at line breaks: two paragraphs a section
    assert_within_limits(rendered)
    joined = " ".join(b["text"]["text"] for b in rendered)
    assert joined.split() == text.split()


def test_too_many_blocks_are_cut_with_a_visible_marker() -> None:
    many = tuple(Section(f"item {i}") for i in range(80))
    rendered = blocks.message_blocks(Message(text="t", blocks=many))
    assert_within_limits(rendered)
    assert len(rendered) == 50
    assert "31 more blocks did not fit" in rendered[-1]["elements"][0]["text"]


def test_buttons_get_unique_ids_that_lead_back_to_the_core_action() -> None:
    rate = tuple(Button(str(n), "checkin.rate", value=str(n)) for n in range(1, 31))
    rendered = blocks.message_blocks(Message(text="t", blocks=(Actions(rate),)))
    assert_within_limits(rendered)
    assert [len(b["elements"]) for b in rendered] == [25, 5]
    ids = [e["action_id"] for b in rendered for e in b["elements"]]
    assert {blocks.core_action_id(i) for i in ids} == {"checkin.rate"}
    assert blocks.core_action_id("member.resume") == "member.resume"


def test_every_kind_of_block_and_long_labels_stay_within_limits() -> None:
    message = Message(
        text="t" * 50_000,
        blocks=(
            Section("s", fields=tuple((f"k{i}", "v" * 2500) for i in range(13))),
            Context("c" * 5000),
            Divider(),
            Image("Trend", "iVBORw0KGgo="),
            Actions((Button("L" * 200, "a", value="v" * 3000, style="danger"),)),
        ),
    )
    rendered = blocks.message_blocks(message)
    assert_within_limits(rendered)
    assert [b["type"] for b in rendered] == [
        "section",
        "section",
        "context",
        "divider",
        "context",
        "actions",
    ]
    assert "Trend" in rendered[4]["elements"][0]["text"]
    assert len(blocks.fallback_text(message)) <= 3000


FORM = Form(
    "obs.request",
    "Ask a colleague to observe your lesson, please",
    (
        Input("class_name", "Class", placeholder="e.g. 9B maths", max_length=5000, initial="9B"),
        Input("notes", "Notes", kind=InputKind.MULTILINE, required=False),
        Input(
            "focus",
            "Focus",
            kind=InputKind.SELECT,
            options=(Option("q", "Questioning"), Option("e", "Engagement")),
            initial="e",
        ),
        Input(
            "look",
            "Look-fors",
            kind=InputKind.MULTISELECT,
            options=tuple(Option(str(i), "x" * 90) for i in range(120)),
            initial=["1", "nope"],
        ),
        Input("day", "Day", kind=InputKind.DATE, initial="2026-12-01"),
        Input("at", "Time", kind=InputKind.TIME, initial="10:30"),
        Input(
            "minutes", "Minutes", kind=InputKind.NUMBER, min_value=10, max_value=120, initial="45"
        ),
        Input("rating", "Rating", kind=InputKind.NUMBER, min_value=0.5, max_value=5),
    ),
    state="program:3",
)


def test_a_form_is_a_modal_with_typed_inputs() -> None:
    view = blocks.modal(FORM, metadata={"r": "https://hooks.slack.com/x"})
    assert len(view["title"]["text"]) <= 24
    assert view["callback_id"] == "obs.request"
    assert blocks.read_metadata(view) == {"state": "program:3", "r": "https://hooks.slack.com/x"}
    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert elements["class_name"]["type"] == "plain_text_input"
    assert elements["class_name"]["max_length"] == 3000
    assert elements["class_name"]["initial_value"] == "9B"
    assert elements["notes"]["multiline"] is True
    assert elements["focus"]["initial_option"]["value"] == "e"
    assert len(elements["look"]["options"]) == 100
    assert all(len(o["text"]["text"]) <= 75 for o in elements["look"]["options"])
    assert [o["value"] for o in elements["look"]["initial_options"]] == ["1"]
    assert elements["day"] == {
        "action_id": "day",
        "type": "datepicker",
        "initial_date": "2026-12-01",
    }
    assert elements["at"]["initial_time"] == "10:30"
    assert elements["minutes"] == {
        "action_id": "minutes",
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": "10",
        "max_value": "120",
        "initial_value": "45",
    }
    assert elements["rating"]["is_decimal_allowed"] is True


def test_submitted_values_come_back_by_field_name() -> None:
    state = {
        "class_name": {"class_name": {"type": "plain_text_input", "value": "9B"}},
        "notes": {"notes": {"type": "plain_text_input", "value": None}},
        "focus": {"focus": {"type": "static_select", "selected_option": {"value": "q"}}},
        "look": {
            "look": {
                "type": "multi_static_select",
                "selected_options": [{"value": "1"}, {"value": "2"}],
            }
        },
        "day": {"day": {"type": "datepicker", "selected_date": "2026-12-01"}},
        "at": {"at": {"type": "timepicker", "selected_time": "10:30"}},
        "minutes": {"minutes": {"type": "number_input", "value": "45"}},
    }
    assert blocks.form_values(state) == {
        "class_name": "9B",
        "notes": "",
        "focus": "q",
        "look": ["1", "2"],
        "day": "2026-12-01",
        "at": "10:30",
        "minutes": "45",
    }


def test_errors_about_the_whole_form_land_on_its_first_field() -> None:
    errors = blocks.field_errors(["a", "b"], {"b": "too long", "_": "expired"})
    assert errors == {"b": "too long", "a": "expired"}


def test_the_manifest_matches_what_the_app_handles() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/staffroom", *(f"/{a}" for a in COMMAND_ALIASES)}
    urls = {c["url"] for c in manifest["features"]["slash_commands"]}
    urls |= {manifest["settings"]["event_subscriptions"]["request_url"]}
    urls |= {manifest["settings"]["interactivity"]["request_url"]}
    assert {u.rsplit("/", 2)[-2:] == ["slack", "events"] for u in urls} == {True}
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
        "member_joined_channel",
        "message.im",
    }
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    from adapters.slack.app import BOT_SCOPES

    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)


def test_slash_command_aliases_are_verbs_with_the_words_typed() -> None:
    assert command_text("/observe", " tue 10:00 ") == "observe tue 10:00"
    assert command_text("/staffroom", "pause until friday") == "pause until friday"
    assert command_text("/staffroom", "") == ""
    assert "home" in REGISTRY.verbs


def test_serve_slack_refuses_to_start_without_its_secrets(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from staffroom.cli import main

    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 's.db'}")
    assert main(["db", "upgrade"]) == 0
    assert main(["serve", "slack", "--port", "0"]) == 2
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["serve", "slack", "--socket"]) == 2  # Socket Mode needs SLACK_APP_TOKEN
