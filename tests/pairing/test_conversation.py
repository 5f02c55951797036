"""One conversation for a pair or group: mentions, the shared chat, and times everyone is free."""

from __future__ import annotations

from datetime import UTC, datetime, time
from urllib.parse import parse_qs, urlsplit

from adapters.console.render import render
from adapters.slack.blocks import message_payload
from adapters.slack.messenger import group_of
from adapters.teams.cards import render_card
from bot.kernel.domain import Program
from bot.kernel.messages import Mention, message_from_dict, message_to_dict
from bot.observations.model import FreePeriod
from bot.pairing.intro import Introduction, build_introduction
from bot.pairing.meeting import shared_slots
from bot.pairing.model import Candidate

MON = 0


def test_slots_are_the_overlap_of_everyones_free_periods_each_in_their_own_zone() -> None:
    periods = {
        1: [FreePeriod(1, MON, time(10, 0), time(11, 0))],  # London: 10:00-11:00 UTC in winter
        2: [FreePeriod(2, MON, time(11, 30), time(12, 30))],  # Madrid: 10:30-11:30 UTC
    }
    zones = {1: "Europe/London", 2: "Europe/Madrid"}
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
    assert shared_slots(periods, zones, now) == [
        datetime(2026, 11, 30, 10, 30, tzinfo=UTC),
        datetime(2026, 12, 7, 10, 30, tzinfo=UTC),
    ]
    # Ten minutes in common is not a conversation; nobody declared: no slots, no buttons.
    periods[2] = [FreePeriod(2, MON, time(11, 50), time(12, 30))]
    assert shared_slots(periods, zones, now) == []
    assert shared_slots({1: periods[1]}, zones, now) == []


def _intro(**kw: object) -> Introduction:
    ana = Candidate(1, "Ana Lopez", role="mentor", timezone="Europe/London")
    ben = Candidate(2, "Ben <@U9> Okafor", role="mentee", timezone="Europe/London")
    people = (
        (1, Mention("U1AAA", "Ana Lopez", "ana@school.example")),
        (2, Mention("U2BBB", "Ben <@U9> Okafor", "ben@school.example")),
    )
    fields = {
        "program": Program(id=3, workspace_id=1, name="Mentoring"),
        "round_number": 1,
        "pairing_id": 7,
        "recipient": ana,
        "others": (ben,),
        "mentor_id": 1,
        "reason": "You both teach Science.",
        "prompt": "What's one thing that went well this week?",
        "focus_goals": (),
        "people": people,
        "slots": (datetime(2026, 11, 30, 10, 30, tzinfo=UTC),),
    }
    fields.update(kw)
    return Introduction(**fields)  # type: ignore[arg-type]


def test_an_introduction_names_everyone_with_real_mentions_in_slack() -> None:
    message = message_from_dict(message_to_dict(build_introduction(_intro())))  # via the outbox
    payload = message_payload(message)
    first = payload["blocks"][0]["text"]["text"]
    assert first.startswith("<@U1AAA> *Meet your mentee in Mentoring: <@U2BBB>*")
    # Words inside a name stay words: "<@U9>" typed into a name is escaped, never a ping.
    everything = str(payload)
    assert "<@U9>" not in everything and "&lt;@U9&gt;" in everything
    assert group_of(message) == "U1AAA,U2BBB"
    times = [b for b in payload["blocks"] if b["type"] == "actions"]
    assert times[0]["elements"][0]["text"]["text"] == "Mon 30 Nov 10:30"
    assert times[0]["elements"][0]["value"] == "7:20261130T1030"


def test_a_slack_message_for_one_person_is_not_a_group() -> None:
    message = build_introduction(_intro(people=()))
    assert group_of(message) == "" and "<@" not in str(message_payload(message))


def test_teams_mentions_each_person_and_links_a_chat_and_a_meeting_with_them_all() -> None:
    card = render_card(build_introduction(_intro()))
    body = str(card["body"])
    assert "<at>Ana Lopez</at>" in body and "<at>Ben @U9 Okafor</at>" in body
    entities = card["msteams"]["entities"]
    assert [(e["text"], e["mentioned"]["id"]) for e in entities] == [
        ("<at>Ana Lopez</at>", "U1AAA"),
        ("<at>Ben @U9 Okafor</at>", "U2BBB"),
    ]
    links = {
        a["title"]: a["url"]
        for e in card["body"]
        if e.get("type") == "ActionSet"
        for a in e["actions"]
        if a["type"] == "Action.OpenUrl"
    }
    chat = urlsplit(links["Chat"])
    assert chat.netloc == "teams.microsoft.com" and chat.path == "/l/chat/0/0"
    assert parse_qs(chat.query)["users"] == ["ana@school.example,ben@school.example"]
    meeting = urlsplit(links["Schedule"])
    assert meeting.path == "/l/meeting/new"
    assert parse_qs(meeting.query)["attendees"] == ["ana@school.example,ben@school.example"]


def test_the_console_shows_names_where_platforms_show_mentions() -> None:
    text, buttons = render(build_introduction(_intro()))
    assert text.startswith("Ana Lopez *Meet your mentee in Mentoring: Ben <@U9> Okafor*")
    assert "\x1f" not in text
    assert [b.label for b in buttons] == ["Mon 30 Nov 10:30"]
