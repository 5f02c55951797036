"""Slash commands, modals and buttons through the real bolt app over signed HTTP."""

from __future__ import annotations

import threading

from sqlalchemy import select

from staffroom.bootstrap import Staffroom
from storage.models.kernel import WorkspaceRow
from storage.models.members import MemberRow
from tests.adapters.slack import fake_slack
from tests.adapters.slack.conftest import (
    JOIN_VALUES,
    Slack,
    button_press,
    buttons,
    texts,
    view_submission,
)
from tests.conftest import count, fetch_all


def replies_to(slack: Slack, user: str, n: int = 1) -> list[dict]:  # type: ignore[type-arg]
    calls = slack.fake.wait_for("response_url", n, where=lambda c: c.path.endswith(f"/{user}"))
    return [c.params for c in calls]


def test_a_command_is_acknowledged_at_once_and_answered_privately(slack: Slack) -> None:
    reply = slack.command("help")
    assert (reply.status, reply.body) == (200, b"")  # the ack; the answer follows
    [answer] = replies_to(slack, "U1")
    assert answer["response_type"] == "ephemeral"
    assert "join [program]" in texts(answer["blocks"])
    assert "&lt;command&gt;" in answer["text"]  # `help <command>` escaped for Slack


def test_the_ack_does_not_wait_for_the_web_api(slack: Slack) -> None:
    """Slack's 3 seconds: the command is acknowledged while users.info is still stuck."""
    release = threading.Event()
    original = slack.fake._answer

    def stuck(call):  # type: ignore[no-untyped-def]
        if call.method == "users.info":
            release.wait(10)
        return original(call)

    slack.fake._answer = stuck  # type: ignore[method-assign]
    try:
        reply = slack.command("help", user="USLOW")
        assert (reply.status, reply.body) == (200, b"")
        assert slack.fake.of("response_url") == []  # the work is still waiting on Slack
    finally:
        release.set()
    [answer] = replies_to(slack, "USLOW")
    assert "join [program]" in texts(answer["blocks"])


def test_join_opens_the_onboarding_modal_with_the_slack_time_zone(
    slack: Slack, app: Staffroom
) -> None:
    slack.fake.users["U7"] = {
        "id": "U7",
        "name": "ben",
        "tz": "America/Chicago",
        "profile": {"real_name": "Ben Okafor", "display_name": "", "email": "Ben@School.example"},
    }
    slack.command("join", user="U7")
    view = slack.opened_view("U7")
    assert view["type"] == "modal"
    assert view["callback_id"] == "member.profile"
    fields = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert fields["timezone"]["element"]["initial_value"] == "America/Chicago"
    assert fields["display_name"]["element"]["initial_value"] == "Ben Okafor"
    assert fields["grade_bands"]["element"]["type"] == "multi_static_select"
    assert fields["years_experience"]["element"]["type"] == "number_input"
    assert fields["goals"]["element"]["multiline"] is True
    assert fields["school"]["optional"] is True
    assert count(app, MemberRow) == 0  # opening a form writes nothing


def test_an_invalid_field_comes_back_inline_and_nothing_is_saved(
    slack: Slack, app: Staffroom
) -> None:
    slack.command("join")
    view = slack.opened_view()
    bad = {**JOIN_VALUES, "timezone": "Mars/Olympus", "subjects": ""}
    reply = slack.interact(view_submission(view, bad))
    assert reply.status == 200
    body = reply.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"timezone", "subjects"}
    assert "time zone" in body["errors"]["timezone"].lower()
    assert count(app, MemberRow) == 0


def test_a_valid_modal_joins_and_says_so_where_the_command_was_typed(
    slack: Slack, app: Staffroom
) -> None:
    slack.join("U1", display_name="Ana Lopez", timezone="Europe/Madrid")
    [member] = fetch_all(app, MemberRow)
    assert (member.display_name, member.timezone, member.platform_user_id) == (
        "Ana Lopez",
        "Europe/Madrid",
        "U1",
    )
    assert member.email == "u1@school.example"  # from users.info, for roster matching
    answers = replies_to(slack, "U1")
    assert any("Welcome, *Ana Lopez*" in texts(a["blocks"]) for a in answers)
    [workspace] = fetch_all(app, WorkspaceRow)
    assert (workspace.platform, workspace.external_id) == ("slack", fake_slack.TEAM)


def test_aliases_run_the_verb_they_stand_for(slack: Slack) -> None:
    from bot.reflections import chat as reflections

    slack.join("U1")
    slack.command("", command="/reflect", user="U1")
    [_join, reflect] = slack.fake.wait_for("views.open", 2)
    assert reflect.params["view"]["callback_id"] == reflections.FORM_ID
    slack.command("", command="/staffroom", user="U1")
    assert "Here is what I can do" in replies_to(slack, "U1", 2)[-1]["text"]


def test_a_button_updates_its_message_in_place_so_it_cannot_be_pressed_twice(
    slack: Slack, app: Staffroom
) -> None:
    slack.join("U1")
    slack.command("profile")
    profile = replies_to(slack, "U1", 2)[-1]
    pause = buttons(profile["blocks"])["Pause 2 weeks"]
    assert pause["action_id"].startswith("member.pause|")
    reply = slack.interact(button_press(profile, pause, response_url=slack.fake.response_url("U1")))
    assert reply.status == 200
    answers = replies_to(slack, "U1", 4)
    replaced = [a for a in answers if a.get("replace_original")]
    assert len(replaced) == 1
    assert "actions" not in [b["type"] for b in replaced[0]["blocks"]]
    assert "Pause 2 weeks" in texts(replaced[0]["blocks"])
    with app.engine.connect() as conn:
        status = conn.execute(select(MemberRow.status)).scalar_one()
    assert status == "paused"


def test_a_refused_button_leaves_the_message_alone(slack: Slack) -> None:
    element = {"action_id": "nothing.here|1", "text": {"type": "plain_text", "text": "Old"}}
    message = {"text": "old", "blocks": [{"type": "actions", "elements": [element]}]}
    slack.interact(button_press(message, element, response_url=slack.fake.response_url("U1")))
    [answer] = replies_to(slack, "U1")
    assert not answer["replace_original"]
    assert "expired" in answer["text"]


def test_work_falls_back_to_a_thread_when_the_worker_processes_are_gone(slack: Slack) -> None:
    from concurrent.futures import ThreadPoolExecutor

    dead = ThreadPoolExecutor(max_workers=1)
    dead.shutdown()  # submit() now raises, as a broken process pool does
    slack.adapter.processes = dead
    assert slack.command("help").status == 200
    [answer] = replies_to(slack, "U1")
    assert "join [program]" in texts(answer["blocks"])
