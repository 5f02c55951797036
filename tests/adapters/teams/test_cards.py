"""The renderer on its own: each neutral block becomes the Adaptive Card element Teams shows."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.teams.cards import is_plain_text, markdown, render_card
from bot.kernel.messages import (
    Actions,
    Attachment,
    Button,
    Context,
    Divider,
    Form,
    Input,
    InputKind,
    Message,
    Option,
    Section,
    unmark,
)


def test_blocks_become_text_facts_buttons_and_a_separator() -> None:
    card = render_card(
        Message(
            text="Your pairing",
            blocks=(
                Section("You're paired with Ben.", fields=(("Subject", "Maths"),)),
                Divider(),
                Context("Sent by Staffroom"),
                Actions((Button("Snooze", "checkin.snooze", "7", style="danger"),)),
            ),
        )
    )
    assert card["version"] == "1.5"
    kinds = [e["type"] for e in card["body"]]
    assert kinds == ["TextBlock", "FactSet", "TextBlock", "ActionSet"]
    assert card["body"][1]["facts"] == [{"title": "Subject", "value": "Maths"}]
    assert card["body"][2]["separator"] is True and card["body"][2]["isSubtle"] is True
    [action] = card["body"][3]["actions"]
    assert action["style"] == "destructive"
    assert action["data"] == {"staffroom": "action", "action_id": "checkin.snooze", "value": "7"}


def test_a_refused_form_shows_each_error_under_its_field_with_the_typed_values() -> None:
    form = Form(
        "observe.request",
        "Ask for an observation",
        (
            Input("focus", "Focus", kind=InputKind.SELECT, options=(Option("q", "Questioning"),)),
            Input("day", "Day", kind=InputKind.DATE),
            Input("at", "Time", kind=InputKind.TIME),
            Input("minutes", "Minutes", kind=InputKind.NUMBER, min_value=10, max_value=90),
            Input("grades", "Grades", kind=InputKind.MULTISELECT, options=(Option("6", "6"),)),
        ),
        state="42",
    ).with_errors({"day": "That day is in the past."}, {"day": "2020-01-01", "grades": ["6"]})
    card = render_card(Message(text="Please check", form=form))
    by_id = {e["id"]: e for e in card["body"] if "id" in e}
    assert [by_id[k]["type"] for k in ("focus", "day", "at", "minutes", "grades")] == [
        "Input.ChoiceSet",
        "Input.Date",
        "Input.Time",
        "Input.Number",
        "Input.ChoiceSet",
    ]
    assert by_id["day"]["value"] == "2020-01-01" and by_id["grades"]["value"] == "6"
    assert by_id["grades"]["isMultiSelect"] is True
    assert (by_id["minutes"]["min"], by_id["minutes"]["max"]) == (10, 90)
    day_at = card["body"].index(by_id["day"])
    assert card["body"][day_at + 1]["text"] == "⚠ That day is in the past."
    assert card["body"][day_at + 1]["color"] == "Attention"
    submit = card["body"][-1]["actions"][0]["data"]
    assert submit == {
        "staffroom": "form",
        "form_id": "observe.request",
        "__state__": "42",
        "__multi__": ["grades"],
    }


def test_files_are_shown_not_lost_and_plain_text_stays_text() -> None:
    invite = Attachment("lesson.ics", "text/calendar", "BEGIN:VCALENDAR\nEND:VCALENDAR")
    card = render_card(Message(text="Invite", attachments=(invite,)))
    container = card["body"][-1]
    assert "lesson.ics" in container["items"][0]["text"]
    shown = container["items"][1]["actions"][0]["card"]["body"][0]["text"]
    assert shown.startswith("BEGIN:VCALENDAR")
    assert is_plain_text(Message(text="Hi", blocks=(Section("Hi"),)))
    assert not is_plain_text(Message(text="Hi", attachments=(invite,)))


def test_chat_style_bold_becomes_teams_bold() -> None:
    card = render_card(Message(text="x", blocks=(Section("*Ana Lopez* paused until *Fri 5 Dec*"),)))
    assert card["body"][0]["text"] == "**Ana Lopez** paused until **Fri 5 Dec**"
    assert markdown("2 * 3 * 4 and **kept**") == "2 * 3 * 4 and **kept**"


def _texts(node: object) -> list[str]:
    """Every string a card shows, wherever it sits in the card's JSON."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []


HOSTILE = st.one_of(
    st.text(),
    st.sampled_from(
        [
            "[click](https://evil.example)",
            "[click] (https://evil.example)",
            "[click][1]\n\n[1]: https://evil.example",
            "![x](https://evil.example/pixel.png)",
            "**[Reset your password](https://evil.example)**",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(name=HOSTILE)
def test_no_user_text_becomes_a_link_with_made_up_words(name: str) -> None:
    message = Message(
        text=f"You're paired with {name}.",
        blocks=(
            Section(f"You're paired with *{name}*.", fields=(("Goal", name),)),
            Context(f"shared by {name}"),
        ),
    )
    card_texts = _texts(render_card(message))
    for shown in [*card_texts, markdown(message.text)]:
        assert re.search(r"\](?=[(\[:])", shown) is None, shown
    visible = " ".join(card_texts).replace("\u2060", "")
    # the joiner we add is invisible anyway; Staffroom's own marks are never shown
    expected = unmark(name).replace("*", "").replace("\u2060", "")
    assert expected in visible.replace("*", "")  # every word is still shown


def test_every_card_fits_in_a_teams_activity_whatever_the_message() -> None:
    """Teams refuses an activity over ~28 KB with 413; a digest's chart alone was 24.6 KB."""
    from adapters.teams.cards import CARD_BUDGET, size_of
    from bot.kernel.messages import Image

    chart = Image(alt="Response rate and confidence, 8 weeks", png_base64="A" * 30_000)
    people = tuple(
        Section(f"Teacher {i}: no check-in answer for 2 weeks. " * 3) for i in range(150)
    )
    card = render_card(Message(text="Digest", blocks=(Section("*Digest*"), chart, *people)))
    assert size_of(card) <= CARD_BUDGET < 28_000
    texts = [e.get("text", "") for e in card["body"]]
    assert "(Response rate and confidence, 8 weeks)" in texts  # the picture's words stay
    assert texts[0] == "**Digest**" and any("shortened to fit Teams" in t for t in texts)

    small = render_card(Message(text="Hi", blocks=(Section("Hi"), chart)))
    assert size_of(small) <= CARD_BUDGET
