"""From a roster to a first conversation on Slack, through the real bolt app over signed HTTP, the real
delivery worker and Slack messenger, and Slack's Web API played locally: invitations, a first message
recognised by platform id and by e-mail, Join, the one reminder, one group DM per pair, and a "We
can't" that ends in a new match."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.slack.messenger import SlackMessenger
from bot.features import REGISTRY
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform, Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.members import MemberRow
from storage.models.pairing import PairingMemberRow, PairingRow
from tests.adapters.slack import fake_slack
from tests.adapters.slack.conftest import Slack, button_press, buttons, texts, view_submission
from tests.adapters.slack.fake_slack import Call
from tests.conftest import fetch_all

ROSTER = """name,email,subjects,grades,years,timezone,role,platform_user_id
Ana Lopez,u0ana@school.example,Science,6-8,12,Europe/London,mentor,U0ANA
Ben Okafor,u0ben@school.example,Science,6-8,1,Europe/London,mentee,U0BEN
Cara Kim,u0cara@school.example,Art,6-8,2,Europe/London,mentee,U0CARA
Dev Shah,u0dev@school.example,Art,6-8,9,Europe/London,mentor,
"""
"""Three by their Slack user id; Dev by the e-mail address his Slack profile gives."""


def deliver(app: Staffroom, slack: Slack) -> None:
    messenger = SlackMessenger(token=fake_slack.BOT_TOKEN, base_url=slack.fake.api_url)
    app.worker({Platform.SLACK: messenger}, worker_id="slack-loop").drain()


def posts(slack: Slack, fragment: str) -> list[Call]:
    """Messages Slack received (posted, or answered through a response URL) that say ``fragment``."""
    return [
        c
        for c in slack.fake.calls
        if c.method in ("chat.postMessage", "response_url") and fragment in json.dumps(c.params)
    ]


def to(call: Call) -> str:
    """Whose DM a post went to: a post to a user id opens it, a later one may name the DM."""
    channel = str(call.params["channel"])
    return channel[1:] if channel.startswith("DU") else channel


def said_to(slack: Slack, fragment: str, user: str) -> list[dict[str, Any]]:
    """Posts into ``user``'s DM, and replies to them through their response URL, saying ``fragment``."""
    return [
        c.params
        for c in posts(slack, fragment)
        if (to(c) == user if c.method == "chat.postMessage" else c.path.endswith(f"/{user}"))
    ]


def modal_after_press(slack: Slack, user: str, callback_id: str) -> dict[str, Any]:
    """The modal ``user``'s last button press opened, with ``callback_id``."""
    calls = slack.fake.wait_for(
        "views.open",
        where=lambda c: (
            c.params.get("trigger_id") == f"trigger-press-{user}"
            and c.params["view"]["callback_id"] == callback_id
        ),
    )
    return dict(calls[-1].params["view"])


def dm(user: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{user}",
        "user": user,
        "text": text,
    }


def press(slack: Slack, message: dict[str, Any], label: str, user: str) -> None:
    element = buttons(message["blocks"])[label]
    payload = button_press(
        message, element, user=user, channel=f"D{user}", response_url=slack.fake.response_url(user)
    )
    assert slack.interact(payload).status == 200
    slack.idle()


def test_a_roster_becomes_pairs_in_one_group_dm_and_we_cant_ends_in_a_new_match(
    slack: Slack, app: Staffroom, clock: ManualClock
) -> None:
    slack.join("U0CORA", display_name="Cora Coordinator")
    grant_role(app, f"slack:{fake_slack.TEAM}", "U0CORA", Role.COORDINATOR)
    slack.command(
        "program create Mentoring kind=mentoring day=tue time=15:30 tz=Europe/London", user="U0CORA"
    )
    slack.idle()

    # --- the roster, through its modal -------------------------------------------------------------
    slack.command("roster import Mentoring", user="U0CORA")
    slack.idle()
    view = slack.opened_view("U0CORA")
    assert view["callback_id"] == "roster.import"
    (program,) = [b for b in view["blocks"] if b["block_id"] == "program"]
    chosen = program["element"]["initial_option"]["value"]
    submitted = view_submission(
        view, {"program": chosen, "csv": ROSTER, "skip_bad": "no"}, user="U0CORA"
    )
    assert slack.interact(submitted).status == 200
    slack.idle()
    (report,) = posts(slack, "Imported into Mentoring")
    assert "4 new, 0 updated. Invited 3 who haven't joined yet." in report.params["text"]
    assert "1 known only by e-mail" in report.params["text"]

    # --- invitations reach the three known by id, in their own DMs ---------------------------------
    deliver(app, slack)
    invitations = posts(slack, "Cora Coordinator added you to *Mentoring* on Staffroom")
    assert sorted(c.params["channel"] for c in invitations) == ["U0ANA", "U0BEN", "U0CARA"]
    by_user = {c.params["channel"]: c.params for c in invitations}
    assert "Join" in buttons(by_user["U0BEN"]["blocks"])

    # --- Ana writes "hi" (known by her user id); Dev writes (known by his address); Ben presses Join --
    slack.event(dm("U0ANA", "hi"), event_id="EvAna")
    slack.event(dm("U0DEV", "hello"), event_id="EvDev")
    slack.idle()
    assert posts(slack, "Welcome to Staffroom, Ana! You're in Mentoring")
    assert posts(slack, "Welcome to Staffroom, Dev! You're in Mentoring")
    assert not posts(slack, "I don't know the command")
    press(slack, by_user["U0BEN"], "Join", "U0BEN")
    assert posts(slack, "Welcome, *Ben Okafor*! You're in.")

    # --- Cara hasn't started: three school days on, one gentle reminder, and Cora sees her waiting --
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # Thursday
    for _ in range(2):
        REGISTRY.job("invitations.remind").run(app.uow_factory, clock.now())
    deliver(app, slack)
    reminders = posts(slack, "a gentle reminder")
    assert [to(c) for c in reminders] == ["U0CARA"]
    slack.command("program show Mentoring", user="U0CORA")
    slack.idle()
    (shown,) = posts(slack, "Invited, not started")
    assert "Cara Kim: invited 3 days ago; reminded Thu 26 Nov" in texts(shown.params["blocks"])
    assert "Nudge" in buttons(shown.params["blocks"])
    press(slack, reminders[0].params, "Join", "U0CARA")
    consented = {m.display_name: m.consented_at for m in fetch_all(app, MemberRow)}
    assert all(consented[n] for n in ("Ana Lopez", "Ben Okafor", "Cara Kim", "Dev Shah"))

    # --- the round: each pair gets one group DM with both of them, named with real mentions --------
    slack.command("pair pin Mentoring Ana Lopez with Ben Okafor", user="U0CORA")
    slack.idle()
    slack.command("pair publish Mentoring", user="U0CORA")
    slack.work.idle(timeout=60)  # the solver's first round in this process loads scipy
    assert posts(slack, "Published round 1 of Mentoring: 2 pairs, 4 people introduced")
    deliver(app, slack)
    opened = sorted(c.params["users"] for c in slack.fake.of("conversations.open"))
    assert opened == ["U0ANA,U0BEN", "U0CARA,U0DEV"]
    groups = {members: channel for channel, members in slack.fake.group_dms.items()}
    intros = [
        c for c in posts(slack, "Meet your") if c.params["channel"] == groups[("U0ANA", "U0BEN")]
    ]
    assert len(intros) == 2  # one for each of them, in the one conversation they share
    for intro in intros:
        assert "<@U0ANA>" in texts(intro.params["blocks"]) and "<@U0BEN>" in texts(
            intro.params["blocks"]
        )

    # --- halfway, Ben says "We can't"; he is asked why, privately, and offered someone now --------
    clock.advance(timedelta(weeks=1))
    REGISTRY.job("pairing.rounds").run(app.uow_factory, clock.now())
    deliver(app, slack)
    (asked,) = [c for c in posts(slack, "did you manage to meet") if to(c) == "U0BEN"]
    press(slack, asked.params, "We can't", "U0BEN")
    (offer,) = posts(slack, "if you'd rather not wait for the next round")
    assert offer.method == "response_url"  # only Ben sees it
    assert {"Our timetables don't meet", "Not a good fit", "Find someone now"} <= set(
        buttons(offer.params["blocks"])
    )
    deliver(app, slack)
    assert [to(c) for c in posts(slack, "can't go ahead this time")] == ["U0ANA"]
    press(slack, offer.params, "Find someone now", "U0BEN")
    assert posts(slack, "Done: you're now paired with Dev Shah for round 1 of Mentoring")
    deliver(app, slack)
    assert "U0BEN,U0DEV" in [c.params["users"] for c in slack.fake.of("conversations.open")]
    new_pair = slack.fake.group_dms
    channel = next(ch for ch, people in new_pair.items() if people == ("U0BEN", "U0DEV"))
    assert len([c for c in posts(slack, "Meet your") if c.params["channel"] == channel]) == 2

    ids = {m.display_name: m.id for m in fetch_all(app, MemberRow)}
    pairs = {
        p.id: sorted(m.member_id for m in fetch_all(app, PairingMemberRow) if m.pairing_id == p.id)
        for p in fetch_all(app, PairingRow)
    }
    assert sorted(pairs.values()) == sorted(
        [
            sorted([ids["Ana Lopez"], ids["Ben Okafor"]]),
            sorted([ids["Cara Kim"], ids["Dev Shah"]]),
            sorted([ids["Ben Okafor"], ids["Dev Shah"]]),
        ]
    )

    # --- and the week's check-in reaches every one of them, in their own DM -------------------------
    clock.set(datetime(2026, 12, 8, 15, 31, tzinfo=UTC))  # Tuesday, a minute past 15:30 in London
    REGISTRY.job("checkins.plan").run(app.uow_factory, clock.now())
    deliver(app, slack)
    checkins = posts(slack, "Your weekly Mentoring check-in")
    assert sorted(to(c) for c in checkins) == ["U0ANA", "U0BEN", "U0CARA", "U0DEV"]
