"""From a roster to a first conversation on Teams, through the real botbuilder adapter (Activities over
HTTP), the real delivery worker and Teams messenger, and the Bot Connector played locally: invitations
by Entra id and by e-mail, a first message as consent, Join, introductions that mention both people and
open a chat with them, and a "We can't" that ends in a new match."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.features import REGISTRY
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.members import MemberRow
from tests.adapters.teams.conftest import BOT_ID, TENANT, Teams, find_action, inputs_of
from tests.adapters.teams.test_teams_bot import join
from tests.conftest import fetch_all

ROSTER = """name,email,subjects,grades,years,timezone,role,platform_user_id
Ana Lopez,ana@school.example,Science,6-8,12,Europe/London,mentor,aad-ana
Ben Okafor,ben@school.example,Science,6-8,1,Europe/London,mentee,aad-ben
Cara Kim,cara@school.example,Art,6-8,2,Europe/London,mentee,
Dev Shah,dev@school.example,Art,6-8,9,Europe/London,mentor,aad-dev
"""
"""Three by their Entra object id, Cara by the address Teams gives for her."""
NAMES = {"ana": "Ana Lopez", "ben": "Ben Okafor", "cara": "Cara Kim", "dev": "Dev Shah"}


def cards_to(teams: Teams, user: str, text: str) -> list[dict[str, Any]]:
    """Cards sent into ``user``'s personal chat that say ``text``."""
    return [
        a["content"]
        for c in teams.connector.sent()
        if f"1on1-{user}" in c.path or f"personal-29:{user}" in c.path
        for a in c.body.get("attachments") or []
        if text in str(a["content"])
    ]


def said_to(teams: Teams, user: str, text: str) -> bool:
    return any(
        text in str(c.body)
        for c in teams.connector.sent()
        if f"1on1-{user}" in c.path or f"personal-29:{user}" in c.path
    )


def press(teams: Teams, user: str, card: dict[str, Any], title: str, **inputs: Any) -> None:
    status, _ = teams.press(
        find_action(card, title), inputs, user=user, user_name=NAMES.get(user, user)
    )
    assert status == 200


def test_a_roster_becomes_pairs_with_a_shared_chat_and_we_cant_ends_in_a_new_match(
    teams: Teams, app: Staffroom, clock: ManualClock
) -> None:
    join(teams, user="coord", name="Cora Coordinator")
    grant_role(app, f"teams:{TENANT}", "aad-coord", Role.COORDINATOR)
    # The IT admin set Staffroom up for staff: Teams installs it for each of them (Cara later).
    for user in ("ana", "ben", "dev"):
        installed = teams.activity(
            "conversationUpdate", user=user, user_name=NAMES[user], membersAdded=[{"id": BOT_ID}]
        )
        assert teams.post(installed)[0] == 200
    status, _ = teams.say(
        "program create Mentoring kind=mentoring day=tue time=15:30 tz=Europe/London",
        user="coord",
        user_name="Cora Coordinator",
    )
    assert status == 200

    # --- the roster, through its card ---------------------------------------------------------------
    teams.say("roster import Mentoring", user="coord", user_name="Cora Coordinator")
    form = teams.connector.cards()[-1]
    program = inputs_of(form)["program"]["value"]
    press(teams, "coord", form, "Import", program=program, csv=ROSTER, skip_bad="no")
    assert said_to(teams, "coord", "Imported into Mentoring: 4 new, 0 updated. Invited 3")

    # --- invitations reach the three known by id, each in their own chat -------------------------
    teams.worker.drain()
    invited = {u for u in NAMES if cards_to(teams, u, "Cora Coordinator added you to")}
    assert invited == {"ana", "ben", "dev"}

    # --- Ana writes "hi"; Cara, known only by e-mail, writes too; Ben and Dev press Join ----------
    teams.say("hi", user="ana", user_name="Ana Lopez")
    assert said_to(teams, "ana", "Welcome to Staffroom, Ana! You're in Mentoring")
    teams.say("hello", user="cara", user_name="Cara Kim")
    assert said_to(teams, "cara", "Welcome to Staffroom, Cara! You're in Mentoring")
    for user in ("ben", "dev"):
        (invitation,) = cards_to(teams, user, "added you to")
        press(teams, user, invitation, "Join")
    consented = {m.display_name: m.consented_at for m in fetch_all(app, MemberRow)}
    assert all(consented[n] for n in NAMES.values())
    assert not any("I don't know the command" in t for t in teams.connector.texts())

    # --- the round: each introduction mentions both people and opens a chat with them -------------
    for line in ("pair pin Mentoring Ana Lopez with Ben Okafor", "pair publish Mentoring"):
        teams.say(line, user="coord", user_name="Cora Coordinator")
    assert said_to(teams, "coord", "Published round 1 of Mentoring: 2 pairs")
    teams.worker.drain()
    (intro,) = cards_to(teams, "ben", "Meet your mentor")
    assert {e["text"] for e in intro["msteams"]["entities"]} == {
        "<at>Ana Lopez</at>",
        "<at>Ben Okafor</at>",
    }
    assert _chat_with(intro) == {"ana@school.example", "ben@school.example"}

    # --- halfway, Ben says "We can't"; he is offered someone still free, at once -----------------
    clock.advance(timedelta(weeks=1))
    REGISTRY.job("pairing.rounds").run(app.uow_factory, clock.now())
    teams.worker.drain()
    (asked,) = cards_to(teams, "ben", "did you manage to meet")
    press(teams, "ben", asked, "We can't")
    (offer,) = cards_to(teams, "ben", "if you'd rather not wait")
    teams.worker.drain()
    assert cards_to(teams, "ana", "can't go ahead this time")
    press(teams, "ben", offer, "Find someone now")
    assert said_to(teams, "ben", "Done: you're now paired with Dev Shah for round 1 of Mentoring")
    teams.worker.drain()
    (again,) = cards_to(teams, "ben", "Meet your mentor in Mentoring: <at>Dev Shah</at>")
    assert _chat_with(again) == {"ben@school.example", "dev@school.example"}
    assert cards_to(teams, "dev", "Meet your mentee in Mentoring: <at>Ben Okafor</at>")


def _chat_with(card: dict[str, Any]) -> set[str]:
    """Who the card's *Chat* button opens a group chat with."""
    links = [
        a["url"]
        for e in card["body"]
        if e.get("type") == "ActionSet"
        for a in e["actions"]
        if a["type"] == "Action.OpenUrl" and a["title"] == "Chat"
    ]
    (chat,) = links
    (users,) = parse_qs(urlsplit(chat).query)["users"]
    return set(users.split(","))
