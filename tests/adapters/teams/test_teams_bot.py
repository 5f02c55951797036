"""Activities posted over HTTP to the real aiohttp app and CloudAdapter; the Bot Connector is a local fake."""

from __future__ import annotations

import json
from typing import Any

from staffroom.bootstrap import Staffroom
from storage.models.kernel import OutboxRow, ProcessedEventRow
from storage.models.members import MemberRow
from storage.models.platform import TeamsConversationRow
from tests.adapters.teams.conftest import BOT_ID, TENANT, Teams, find_action, inputs_of
from tests.conftest import count, fetch_all

GOOD = {
    "display_name": "Ana Lopez",
    "subjects": "Maths, Physics",
    "grade_bands": "9-10,11-12",
    "years_experience": "3",
    "school": "Hillcrest High",
    "timezone": "Europe/London",
    "goals": "Ask more open questions",
    "strengths": "",
}


def _join_card(teams: Teams, **kw: Any) -> dict[str, Any]:
    status, _ = teams.say("join", **kw)
    assert status == 200
    card = teams.connector.cards()[-1]
    assert "display_name" in inputs_of(card)
    return card


def join(teams: Teams, user: str = "ana", name: str = "Ana Lopez") -> None:
    card = _join_card(teams, user=user, user_name=name)
    status, _ = teams.press(
        find_action(card, "Join"), {**GOOD, "display_name": name}, user=user, user_name=name
    )
    assert status == 200


def test_typed_command_in_a_personal_chat_is_answered_in_that_chat(teams: Teams) -> None:
    status, _ = teams.say("<at>Staffroom</at>&nbsp;help join")
    assert status == 200
    [reply] = teams.connector.sent()
    assert reply.path == "/v3/conversations/a:1on1-ana/activities/act-1"
    assert "join" in reply.body["text"].lower()
    assert reply.body["recipient"]["aadObjectId"] == "aad-ana"


def test_joining_through_the_card_refuses_bad_input_on_the_card_keeping_what_was_typed(
    teams: Teams, app: Staffroom
) -> None:
    card = _join_card(teams)
    submit = find_action(card, "Join")
    teams.connector.clear()
    bad = {**GOOD, "timezone": "Mars/Olympus", "years_experience": "300"}
    status, _ = teams.press(submit, bad, replyToId="activity-1")
    assert status == 200
    assert count(app, MemberRow) == 0
    [update] = teams.connector.sent()
    # The card that was submitted is replaced in place by the same form with the errors.
    assert (update.method, update.path) == (
        "PUT",
        "/v3/conversations/a:1on1-ana/activities/activity-1",
    )
    again = update.body["attachments"][0]["content"]
    fields = inputs_of(again)
    assert fields["timezone"]["value"] == "Mars/Olympus"
    assert fields["subjects"]["value"] == "Maths, Physics"
    assert fields["grade_bands"]["value"] == "9-10,11-12"
    texts = [t for t in teams.connector.texts() if t.startswith("⚠")]
    assert len(texts) == 2 and any("time zone" in t.lower() for t in texts)

    status, _ = teams.press(find_action(again, "Join"), GOOD, replyToId="activity-1")
    assert status == 200
    [ana] = fetch_all(app, MemberRow)
    assert (ana.platform_user_id, ana.display_name, ana.grade_bands) == (
        "aad-ana",
        "Ana Lopez",
        ["9-10", "11-12"],
    )
    assert ana.consented_at is not None


def test_a_repeated_activity_id_has_one_effect(teams: Teams, app: Staffroom) -> None:
    card = _join_card(teams)
    press = teams.activity(value={**find_action(card, "Join"), **GOOD}, activity_id="dup-1")
    teams.connector.clear()
    assert teams.post(press)[0] == 200
    assert teams.post(press)[0] == 200
    assert count(app, MemberRow) == 1
    assert len(teams.connector.sent()) == 1
    assert count(app, ProcessedEventRow, ProcessedEventRow.delivery_id == "dup-1") == 1


def test_personal_install_welcomes_with_a_join_button_and_stores_the_reference(
    teams: Teams, app: Staffroom
) -> None:
    added = teams.activity(
        "conversationUpdate", membersAdded=[{"id": BOT_ID}], activity_id="install-1"
    )
    assert teams.post(added)[0] == 200
    [card] = teams.connector.cards()
    assert find_action(card, "Join Staffroom")["action_id"] == "member.join"
    [row] = fetch_all(app, TeamsConversationRow)
    assert (row.user_id, row.conversation_id) == ("aad-ana", "a:1on1-ana")
    assert row.reference["serviceUrl"] == teams.service_url
    # Pressing the welcome's button replaces the welcome with the form, in place.
    teams.connector.clear()
    teams.press(find_action(card, "Join Staffroom"), replyToId="activity-1")
    [update] = teams.connector.sent()
    assert update.method == "PUT" and "display_name" in inputs_of(
        update.body["attachments"][0]["content"]
    )


def test_someone_added_to_a_team_is_invited_privately(teams: Teams, app: Staffroom) -> None:
    added = teams.activity(
        "conversationUpdate",
        channel=True,
        user="coord",
        user_name="Chris Coordinator",
        membersAdded=[{"id": "29:ben", "name": "Ben Okafor", "aadObjectId": "aad-ben"}],
    )
    assert teams.post(added)[0] == 200
    created = [c for c in teams.connector.calls if c.path == "/v3/conversations"]
    assert [c.body["members"][0]["id"] for c in created] == ["29:ben"]
    assert created[0].body["channelData"]["tenant"]["id"] == TENANT
    [invite] = teams.connector.sent()
    assert invite.path == "/v3/conversations/a:personal-29:ben/activities"
    assert any("invited you" in t for t in teams.connector.texts())
    [row] = fetch_all(app, TeamsConversationRow)
    assert (row.user_id, row.conversation_id) == ("aad-ben", "a:personal-29:ben")


def test_in_a_channel_the_mention_is_stripped_and_private_answers_go_to_the_persons_chat(
    teams: Teams,
) -> None:
    join(teams)
    teams.connector.clear()
    status, _ = teams.say("<at>Staffroom</at> profile", channel=True)
    assert status == 200
    paths = [c.path for c in teams.connector.calls]
    assert "/v3/conversations/a:personal-29:ana/activities" in paths
    channel_posts = [c for c in teams.connector.sent() if "19:general" in c.path]
    assert [c.body["text"] for c in channel_posts] == ["I've sent you a private message."]
    private = [c for c in teams.connector.sent() if "personal" in c.path]
    assert "Ana Lopez" in str(private[0].body)


def test_team_install_welcomes_the_channel(teams: Teams) -> None:
    added = teams.activity(
        "conversationUpdate", channel=True, user="coord", membersAdded=[{"id": BOT_ID}]
    )
    assert teams.post(added)[0] == 200
    [post] = teams.connector.sent()
    assert "19:general" in post.path
    assert find_action(post.body["attachments"][0]["content"], "Join Staffroom")


def test_action_execute_invoke_returns_the_next_card(teams: Teams) -> None:
    invoke = teams.activity(
        "invoke",
        name="adaptiveCard/action",
        value={
            "action": {
                "type": "Action.Execute",
                "verb": "member.join",
                "data": {"staffroom": "action", "action_id": "member.join", "value": ""},
            },
            "trigger": "manual",
        },
    )
    status, body = teams.post(invoke)
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "display_name" in inputs_of(body["value"])
    assert teams.connector.sent() == []


def test_action_execute_in_a_channel_answers_privately(teams: Teams) -> None:
    invoke = teams.activity(
        "invoke",
        channel=True,
        name="adaptiveCard/action",
        value={
            "action": {
                "type": "Action.Execute",
                "data": {"staffroom": "action", "action_id": "member.join"},
            }
        },
    )
    status, body = teams.post(invoke)
    assert status == 200
    assert body["value"] == "I've sent you a private message."
    [private] = teams.connector.sent()
    assert "personal-29:ana" in private.path


def test_removing_the_app_marks_the_person_unreachable(teams: Teams, app: Staffroom) -> None:
    join(teams)
    removed = teams.activity("installationUpdate", action="remove")
    assert teams.post(removed)[0] == 200
    assert [m.reachable for m in fetch_all(app, MemberRow)] == [False]
    assert teams.post(teams.activity("installationUpdate", action="add"))[0] == 200
    assert [m.reachable for m in fetch_all(app, MemberRow)] == [True]


def test_a_teacher_imported_by_email_is_recognised_on_their_first_message(
    teams: Teams, app: Staffroom
) -> None:
    from bot.kernel.domain import Platform, Program
    from bot.programs.roster import import_roster

    roster = (
        "name,email,subjects,grades,years,timezone,role\n"
        "Ana Lopez,ana@school.example,Maths,9-10,3,Europe/London,teacher\n"
    )
    with app.uow_factory() as uow:
        workspace = uow.workspaces.ensure(Platform.TEAMS, TENANT, "Hillcrest")
        repos = uow.scope(workspace.id)
        program = repos.programs.add(Program(workspace_id=workspace.id, name="Peers"))
        import_roster(repos, program, roster, skip_bad=False, now=app.clock.now())
        uow.commit()
    status, _ = teams.say("profile")
    assert status == 200
    [ana] = fetch_all(app, MemberRow)
    assert ana.platform_user_id == "aad-ana" and ana.consented_at is not None
    assert "Maths" in str(teams.connector.sent()[-1].body)
    lookups = [c.path for c in teams.connector.calls if c.method == "GET"]
    assert lookups == ["/v3/conversations/a:1on1-ana/members/29:ana"]
    teams.say("goals")  # known now: no second lookup
    assert len([c for c in teams.connector.calls if c.method == "GET"]) == 1


def test_the_bot_framework_emulator_works_for_local_trials(teams: Teams) -> None:
    """The Emulator sends no tenant and no Entra id: its channel stands in for the tenant."""
    activity = {
        "type": "message",
        "id": "emu-1",
        "text": "help",
        "channelId": "emulator",
        "serviceUrl": teams.service_url,
        "from": {"id": "emulator-user", "name": "User"},
        "conversation": {"id": "emu-conversation"},
        "recipient": {"id": "bot", "name": "Bot"},
    }
    assert teams.post(activity)[0] == 200
    [reply] = teams.connector.sent()
    assert reply.path.startswith("/v3/conversations/emu-conversation/activities")
    assert "join" in reply.body["text"]


def test_a_message_from_teams_without_a_tenant_is_ignored(teams: Teams) -> None:
    activity = teams.activity(text="help")
    del activity["conversation"]["tenantId"]
    activity["channelData"] = {}
    assert teams.post(activity)[0] == 200
    assert teams.connector.calls == []


def test_a_button_pressed_in_a_channel_leaves_the_card_and_answers_privately(
    teams: Teams, app: Staffroom
) -> None:
    teams.post(
        teams.activity(
            "conversationUpdate", channel=True, user="coord", membersAdded=[{"id": BOT_ID}]
        )
    )
    [welcome] = teams.connector.cards()
    teams.connector.clear()
    status, _ = teams.press(
        find_action(welcome, "Join Staffroom"), channel=True, replyToId="activity-1"
    )
    assert status == 200
    assert [c.method for c in teams.connector.sent()] == ["POST"]  # no PUT: the card is everyone's
    [form] = teams.connector.sent()
    assert form.path == "/v3/conversations/a:personal-29:ana/activities"
    card = form.body["attachments"][0]["content"]
    status, _ = teams.press(
        find_action(card, "Join"),
        GOOD,
        conversation={
            "id": "a:personal-29:ana",
            "conversationType": "personal",
            "tenantId": TENANT,
        },
    )
    assert status == 200
    [ana] = fetch_all(app, MemberRow)
    assert ana.platform_user_id == "aad-ana"


def test_forget_me_drops_the_stored_teams_conversation(teams: Teams, app: Staffroom) -> None:
    join(teams)
    assert fetch_all(app, TeamsConversationRow, TeamsConversationRow.user_id == "aad-ana")
    assert teams.say("export-my-data")[0] == 200
    teams.press(find_action(teams.connector.cards()[-1], "Yes, export my data"))
    exported = json.dumps(teams.connector.cards()[-1])
    assert "platform_records" in exported and "a:1on1-ana" in exported
    assert teams.say("forget-me")[0] == 200
    status, _ = teams.press(find_action(teams.connector.cards()[-1], "Yes, erase my data"))
    assert status == 200
    assert fetch_all(app, TeamsConversationRow) == []


def test_a_reply_answered_429_is_sent_again_after_retry_after(teams: Teams) -> None:
    assert teams.say("help")[0] == 200  # the member lookup and conversation, done once
    teams.connector.clear()
    teams.connector.planned.append((429, {"Retry-After": "3"}))
    started = teams.wall.clock()
    status, _ = teams.say("help join")
    assert status == 200
    replies = [c for c in teams.connector.sent() if c.method == "POST"]
    assert len(replies) == 2  # the refused one, then the same reply again
    assert replies[0].body == replies[1].body and "join" in replies[1].body["text"].lower()
    # The tenant's budget paused for the Retry-After before the reply went again.
    assert teams.wall.clock() - started >= 3.0


def test_a_reply_refused_longer_than_anyone_waits_is_queued_and_delivered_after_retry_after(
    teams: Teams, app: Staffroom
) -> None:
    """Never dropped: past the few seconds a person waits, the answer goes to the outbox, and the
    delivery worker sends it once the tenant's Retry-After has passed."""
    join(teams)
    teams.connector.clear()
    teams.connector.planned.append((429, {"Retry-After": "30"}))
    status, _ = teams.say("help join")
    assert status == 200
    [refused] = [c for c in teams.connector.sent() if c.method == "POST"]
    [row] = [r for r in fetch_all(app, OutboxRow) if r.idempotency_key.startswith("reply:")]
    assert row.status == "pending" and row.recipient_user_id == "aad-ana"
    paused_at = teams.wall.clock()
    assert teams.worker.run_once().sent == 1
    assert teams.wall.clock() - paused_at >= 29.0  # the budget waited out the Retry-After
    [delivered] = [c for c in teams.connector.sent() if c.method == "POST"][1:]
    assert (
        delivered.body["text"] == refused.body["text"] and "join" in delivered.body["text"].lower()
    )
    assert teams.worker.run_once().handled == 0  # and only once
