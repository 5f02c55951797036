"""A teacher's control over their own data: export everything, or erase it; both ask first."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.kernel.domain import MemberStatus
from bot.reflections.model import Visibility
from tests.unit.school import School, Teacher
from tests.unit.test_reflections import mentoring_pair, reflect


def export(who: Teacher) -> dict[str, Any]:
    who.say("export-my-data")
    assert who.text == (
        "I'll put everything Staffroom stores about you in one JSON file. Go ahead?"
    )
    who.press(who.button("Yes, export my data"))
    (attachment,) = who.shown[0].attachments
    assert (attachment.filename, attachment.mime_type) == (
        "staffroom-my-data.json",
        "application/json",
    )
    data: dict[str, Any] = json.loads(attachment.content)
    return data


def test_the_export_holds_every_part_each_feature_stores() -> None:
    school = School(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    ana, ben, _cora = mentoring_pair(school)
    reflect(ben, Visibility.MENTOR, "Cold calling worked")
    school.clock.set(datetime(2026, 11, 23, 15, 30, tzinfo=UTC))
    school.run_job("checkins.plan")

    data = export(ben)
    assert ben.text == "Here is everything Staffroom stores about you (1 reflection, 1 check-in)."
    assert data["profile"]["name"] == "Ben Okafor"
    assert data["programs"] == [{"program": "Mentoring", "role": "mentee"}]
    assert [(c["program"], c["week"], c["status"]) for c in data["checkins"]] == [
        ("Mentoring", "2026-W48", "sent")
    ]
    assert [r["went_well"] for r in data["reflections"]] == ["Cold calling worked"]
    (pairing,) = data["pairings"]
    assert pairing["your_role"] == "mentee"
    assert pairing["with"] == [{"name": "Ana Lopez", "role": "mentor"}]
    (message,) = data["messages_to_you"]
    assert message["text"].startswith("Hi Ben! Your weekly Mentoring check-in")
    assert message["status"] == "pending"
    assert (data["resources_shared"], data["observations"]) == ([], [])
    assert "Cold calling worked" not in json.dumps(export(ana)["reflections"])


def test_forget_me_asks_first_and_then_erases_what_could_name_them() -> None:
    school = School()
    ana, ben, _cora = mentoring_pair(school)
    reflect(ben, Visibility.MENTOR, "Cold calling worked")
    reflect(ben, Visibility.PRIVATE, "Year 9 were tough today")
    school.clock.set(datetime(2026, 11, 23, 15, 30, tzinfo=UTC))
    school.run_job("checkins.plan")
    before = school.member(ben)
    assert len(school.messages_to(ben)) == 1  # his check-in, not delivered yet

    ben.say("forget-me")
    assert ben.text.endswith("It cannot be undone. Are you sure?")
    assert school.member(ben).display_name == "Ben Okafor"  # asking changed nothing
    ben.press(ben.button("Yes, erase my data"))
    assert ben.text.startswith("Done: your profile and 2 reflections are erased")

    with school.scope() as repos:
        gone = repos.members.get(before.id or 0)
        assert gone is not None
        assert (gone.display_name, gone.email, gone.goals, gone.status, gone.reachable) == (
            "Former member",
            None,
            [],
            MemberStatus.OPTED_OUT,
            False,
        )
        assert repos.reflections.for_member(before.id or 0) == []
        assert repos.members.by_platform_user(ben.user_id) is None
        (pairing,) = [p for _round, p in repos.pairing.for_member(before.id or 0)]
        assert pairing.reason == ""  # it named them; the pairing itself stays for Ana's history
        assert pairing.member_ids == (school.member(ana).id, before.id)
    assert school.messages_to(ben) == []  # undelivered messages to him are dropped
    assert {r.recipient_user_id for r in school.outbox()} == {ana.user_id}
    ana.say("reflections shared")
    assert ana.text == "Nobody has shared a reflection with you yet."


def test_after_forget_me_the_person_is_a_stranger_who_may_join_again() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    ana.say("forget-me")
    ana.press(ana.button("Yes, erase my data"))
    outcome = ana.say("goals")
    assert not outcome.ok
    assert ana.text.startswith("You haven't joined Staffroom yet.")
    ana.join()
    assert school.member(ana).display_name == "Ana Lopez"
