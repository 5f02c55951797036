"""Pairing rounds through the real console adapter, core and database (SQLite, and PostgreSQL if set)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Role
from bot.pairing.scheduled import run_due_pairing_rounds
from staffroom.bootstrap import Staffroom, grant_role
from staffroom.cli.pairing import pair_command
from storage.models.kernel import OutboxRow
from storage.models.pairing import PairingMemberRow, PairingRoundRow, PairingRow, PairingRuleRow
from tests.conftest import Person, count, fetch_all, joined

TEACHERS = {
    "Ana Lopez": {
        "subjects": "Science",
        "grade_bands": ["6-8"],
        "years_experience": "12",
        "strengths": "behaviour, questioning",
        "goals": "",
    },
    "Ben Okafor": {
        "subjects": "Science",
        "grade_bands": ["6-8"],
        "years_experience": "1",
        "goals": "Improve classroom management",
    },
    "Cara Kim": {
        "subjects": "Art",
        "grade_bands": ["K-2"],
        "years_experience": "2",
        "goals": "Ask more open questions",
        "timezone": "America/Chicago",
    },
    "Dev Shah": {
        "subjects": "Art",
        "grade_bands": ["K-2"],
        "years_experience": "9",
        "strengths": "questioning",
        "goals": "",
        "timezone": "America/Chicago",
    },
}


def setup_program(
    app: Staffroom,
    person: Person,
    kind: str = "peer",
    extra: str = "group_size=2",
    names: tuple[str, ...] = tuple(TEACHERS),
) -> tuple[ConsoleSession, dict[str, ConsoleSession]]:
    maya = joined(person("Maya Patel"))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    assert maya.type(f'program create "Year 8 Circle" kind={kind} {extra}').ok
    teachers = {}
    for name in names:
        teachers[name] = joined(person(name), **TEACHERS[name])
        assert teachers[name].type("join Year 8 Circle").ok
    return maya, teachers


def last_text(session: ConsoleSession) -> str:
    return session.shown[-1]  # type: ignore[attr-defined,no-any-return]


def test_preview_shows_reasons_and_score_and_writes_nothing(app: Staffroom, person: Person) -> None:
    maya, _ = setup_program(app, person)
    outcome = maya.type("pair preview Year 8 Circle")
    text = outcome.replies[0].text
    assert text.startswith("Round 1 of Year 8 Circle: 2 groups, score")
    assert "Ana Lopez & Ben Okafor" in text and "both teach Science to 6-8" in text
    assert "Cara Kim & Dev Shah" in text and "both teach Art to K-2" in text
    assert "Nothing has been sent" in text
    assert count(app, PairingRoundRow) == 0 and count(app, PairingRow) == 0
    assert count(app, OutboxRow) == 0


def test_teachers_cannot_run_rounds(app: Staffroom, person: Person) -> None:
    _, teachers = setup_program(app, person)
    reply = teachers["Ana Lopez"].type("pair preview Year 8 Circle").replies[0].text
    assert "for programme coordinators" in reply


def test_publish_introduces_everyone_with_why_and_a_first_prompt(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, _ = setup_program(
        app, person, kind="mentoring", extra="", names=("Ana Lopez", "Ben Okafor")
    )
    reply = maya.type("pair publish Year 8 Circle").replies[0].text
    assert reply.startswith("Published round 1 of Year 8 Circle: 1 pair, 2 people introduced")
    (round_row,) = fetch_all(app, PairingRoundRow)
    assert (round_row.number, round_row.status) == (1, "published")
    roles = sorted(m.role for m in fetch_all(app, PairingMemberRow))
    assert roles == ["mentee", "mentor"]
    to = {d.recipient_user_id: d.message.text for d in messenger.delivered}
    assert to["ben-okafor"].startswith("Meet your mentor in Year 8 Circle: Ana Lopez")
    assert (
        "You both teach Science to 6-8; Ana Lopez has 12 years' experience and you want help "
        "with classroom management" in to["ben-okafor"]
    )
    assert "On “Improve classroom management”: Share one routine" in to["ben-okafor"]
    assert to["ana-lopez"].startswith("Meet your mentee in Year 8 Circle: Ben Okafor")
    assert (
        "Ben Okafor wants help with classroom management, which is one of your strengths"
        in to["ana-lopez"]
    )
    # The same prompt, about the mentee's goal, for both.
    assert "On “Improve classroom management”" in to["ana-lopez"]


def test_the_next_round_avoids_last_rounds_partners(app: Staffroom, person: Person) -> None:
    maya, _ = setup_program(app, person)
    maya.type("pair publish Year 8 Circle")
    second = maya.type("pair preview Year 8 Circle").replies[0].text
    assert second.startswith("Round 2 of Year 8 Circle") and "0 repeats" in second
    assert "Ana Lopez & Ben Okafor" not in second and "Cara Kim & Dev Shah" not in second
    maya.type("pair publish Year 8 Circle")
    assert sorted(r.number for r in fetch_all(app, PairingRoundRow)) == [1, 2]


def test_pins_forbids_and_do_not_pair_lists_change_the_round(
    app: Staffroom, person: Person
) -> None:
    maya, _ = setup_program(app, person)
    reply = maya.type("pair forbid Year 8 Circle Ana Lopez with Ben Okafor always").replies[0].text
    assert reply.startswith(
        "Ana Lopez and Ben Okafor won't be paired in any round of Year 8 Circle"
    )
    reply = maya.type("pair pin Year 8 Circle Ana Lopez with Dev Shah").replies[0].text
    assert reply.startswith("Pinned Ana Lopez with Dev Shah for round 1")
    preview = maya.type("pair preview Year 8 Circle").replies[0].text
    assert "Ana Lopez & Dev Shah" in preview and "[pinned]" in preview
    assert "Ben Okafor & Cara Kim" in preview
    refused = maya.type("pair pin Year 8 Circle Ana Lopez with Ben Okafor").replies[0].text
    assert "do-not-pair list" in refused
    maya.type("pair publish Year 8 Circle")
    # Round 2: the pin was for round 1 only, the do-not-pair stays; Ana-Dev and Ben-Cara are recent.
    preview = maya.type("pair preview Year 8 Circle").replies[0].text
    assert "Ana Lopez & Cara Kim" in preview and "Ben Okafor & Dev Shah" in preview
    assert count(app, PairingRuleRow) == 2
    ana = person("Ana Lopez")
    ana.type("export-my-data")
    (attachment,) = ana.press(1).replies[0].attachments
    rules = json.loads(attachment.content)["pairing_rules"]
    assert ("do_not_pair", "Ben Okafor") in {(r["rule"], r["with"]) for r in rules}


def test_a_pinned_mentor_is_introduced_and_never_also_told_of_a_free_round(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, _ = setup_program(
        app, person, kind="mentoring", extra="", names=("Ana Lopez", "Ben Okafor")
    )
    assert maya.type("pair pin Year 8 Circle Ana Lopez with Ben Okafor").ok
    preview = maya.type("pair preview Year 8 Circle").replies[0].text
    assert "Ana Lopez (mentor) → Ben Okafor" in preview and "[pinned]" in preview
    assert "Not matched" not in preview
    assert [line for line in preview.splitlines() if line.startswith("• Ana Lopez")] == [
        line for line in preview.splitlines() if line.startswith("• ")
    ]
    maya.type("pair publish Year 8 Circle")
    app.worker({messenger.platform: messenger}).drain()
    to_ana = [d.message.text for d in messenger.delivered if d.recipient_user_id == "ana-lopez"]
    assert len(to_ana) == 1 and to_ana[0].startswith("Meet your mentee in Year 8 Circle")


def test_a_mentor_who_leaves_ends_the_pairing_and_the_mentee_is_told_kindly_once(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(
        app, person, kind="mentoring", extra="", names=("Ana Lopez", "Ben Okafor")
    )
    maya.type("pair publish Year 8 Circle")
    app.worker({messenger.platform: messenger}).drain()
    ana = teachers["Ana Lopez"]
    left = ana.type("leave").replies[0]
    (undo,) = [b for b in left.buttons() if b.label == "Undo"]
    assert ana.press_button(undo).ok
    assert ana.type("leave").ok  # left, came back, left again: Ben hears it once
    app.worker({messenger.platform: messenger}).drain()
    told = [
        d.message.text
        for d in messenger.delivered
        if d.recipient_user_id == "ben-okafor" and "stepped away" in d.message.text
    ]
    assert told == [
        "Your mentor, Ana Lopez, has stepped away from Staffroom, so your pairing in round 1 of "
        "Year 8 Circle ends here. It's nothing you did. I can pair you now with someone who is "
        "still free this round, or the next round will pair you again."
    ]
    # The pairing is over: halfway through the round nobody is asked whether they met.
    clock.advance(timedelta(days=8))
    assert run_due_pairing_rounds(app.uow_factory, clock.now()).met_checks == 0


def test_when_one_of_a_trio_leaves_the_other_two_carry_on(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(app, person, names=("Ana Lopez", "Ben Okafor", "Cara Kim"))
    maya.type("pair publish Year 8 Circle")
    teachers["Cara Kim"].type("leave")
    app.worker({messenger.platform: messenger}).drain()
    told = {
        d.recipient_user_id: d.message.text
        for d in messenger.delivered
        if "stepped away" in d.message.text
    }
    assert sorted(told) == ["ana-lopez", "ben-okafor"]
    assert told["ana-lopez"] == (
        "Cara Kim has stepped away from Staffroom, so they won't be part of your group in "
        "round 1 of Year 8 Circle. The rest of you carry on as planned."
    )
    clock.advance(timedelta(days=8))
    assert run_due_pairing_rounds(app.uow_factory, clock.now()).met_checks == 2
    app.worker({messenger.platform: messenger}).drain()
    asked = [d.message.text for d in messenger.delivered if "did you manage" in d.message.text]
    assert len(asked) == 2 and not any("Cara Kim" in text for text in asked)


def test_paused_and_departed_teachers_are_skipped_and_listed(
    app: Staffroom, person: Person
) -> None:
    maya, teachers = setup_program(app, person)
    teachers["Cara Kim"].type("pause 2 weeks")
    teachers["Dev Shah"].type("leave")
    preview = maya.type("pair preview Year 8 Circle").replies[0].text
    assert "Ana Lopez & Ben Okafor" in preview
    assert "Skipped (2): Cara Kim is taking a break until" in preview
    assert "Dev Shah has left Staffroom" in preview


def test_an_odd_member_makes_a_trio(app: Staffroom, person: Person) -> None:
    maya, _ = setup_program(app, person, names=("Ana Lopez", "Ben Okafor", "Cara Kim"))
    preview = maya.type("pair preview Year 8 Circle").replies[0].text
    assert "1 group," in preview and "Not matched" not in preview
    assert "Ana Lopez, Ben Okafor & Cara Kim" in preview


def test_a_mentee_without_a_mentor_is_told_why_and_listed(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, _ = setup_program(
        app, person, kind="mentoring", extra="", names=("Ana Lopez", "Ben Okafor", "Cara Kim")
    )
    maya.type("program add Year 8 Circle Ana Lopez as mentor capacity=1")
    reply = maya.type("pair publish Year 8 Circle").replies[0].text
    assert "Not matched (1), and told why: " in reply and "at capacity" in reply
    told = [
        d.message.text
        for d in messenger.delivered
        if d.message.text.startswith("No new match for you")
    ]
    assert len(told) == 1 and "Every mentor is at capacity" in told[0]


def test_rounds_never_cross_workspaces(app: Staffroom, person: Person) -> None:
    maya, _ = setup_program(app, person, names=("Ana Lopez", "Ben Okafor"))
    # Another school, another workspace, the same names and program name.
    other_maya = joined(person("Maya Patel", workspace="other"))
    grant_role(app, "console:other", "Maya Patel", Role.COORDINATOR)
    other_maya.type('program create "Year 8 Circle" kind=peer group_size=2')
    for name in ("Cara Kim", "Dev Shah"):
        s = joined(person(name, workspace="other"), **TEACHERS[name])
        s.type("join Year 8 Circle")
    maya.type("pair publish Year 8 Circle")
    other_maya.type("pair publish Year 8 Circle")
    rounds = fetch_all(app, PairingRoundRow)
    assert len(rounds) == 2 and {r.number for r in rounds} == {1}
    members = fetch_all(app, PairingMemberRow)
    from storage.models.members import MemberRow

    workspace_of = {m.id: m.workspace_id for m in fetch_all(app, MemberRow)}
    for pairing in fetch_all(app, PairingRow):
        assert {workspace_of[m.member_id] for m in members if m.pairing_id == pairing.id} == {
            pairing.workspace_id
        }


def test_scheduled_rounds_follow_the_cadence_once_and_ask_did_you_meet(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(app, person)
    maya.type('program set "Year 8 Circle" cadence=2')
    assert run_due_pairing_rounds(app.uow_factory, clock.now()).published == []  # first is by hand
    maya.type("pair publish Year 8 Circle")
    clock.advance(timedelta(days=8))  # past halfway
    report = run_due_pairing_rounds(app.uow_factory, clock.now())
    assert report.published == [] and report.met_checks == 4
    assert run_due_pairing_rounds(app.uow_factory, clock.now()).met_checks == 0  # once only
    app.worker({messenger.platform: messenger}).drain()
    ana_asked = [
        d
        for d in messenger.delivered
        if d.recipient_user_id == "ana-lopez" and "did you manage to meet" in d.message.text
    ]
    assert len(ana_asked) == 1 and "Ben Okafor" in ana_asked[0].message.text
    (cant,) = [b for b in ana_asked[0].message.buttons() if b.label == "We can't"]
    reply = teachers["Ana Lopez"].press_button(cant).replies[0].text
    assert "won't be held to this pairing" in reply
    assert {p.met_status for p in fetch_all(app, PairingRow)} == {"cant", None}
    # Someone outside the pair cannot answer for it.
    assert "expired" in teachers["Cara Kim"].press_button(cant).replies[0].text
    clock.advance(timedelta(days=7))
    assert run_due_pairing_rounds(app.uow_factory, clock.now()).published == [
        "Year 8 Circle round 2"
    ]
    assert run_due_pairing_rounds(app.uow_factory, clock.now()).published == []
    assert sorted(r.number for r in fetch_all(app, PairingRoundRow)) == [1, 2]
    coordinator_note = [
        d.message.text for d in messenger.delivered if d.recipient_user_id == "maya-patel"
    ]
    app.worker({messenger.platform: messenger}).drain()
    coordinator_note = [
        d.message.text for d in messenger.delivered if d.recipient_user_id == "maya-patel"
    ]
    assert coordinator_note and coordinator_note[-1].startswith("Published on schedule: Round 2")


def test_never_met_pairs_do_not_count_against_the_history_rule(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(app, person, names=("Ana Lopez", "Ben Okafor"))
    maya.type("pair publish Year 8 Circle")
    clock.advance(timedelta(days=8))
    run_due_pairing_rounds(app.uow_factory, clock.now())
    app.worker({messenger.platform: messenger}).drain()
    asked = next(
        d
        for d in messenger.delivered
        if d.recipient_user_id == "ben-okafor" and "did you manage" in d.message.text
    )
    teachers["Ben Okafor"].press_button(
        next(b for b in asked.message.buttons() if b.label == "Not yet")
    )
    preview = maya.type("pair preview Year 8 Circle").replies[0].text
    assert "0 repeats" in preview and "met recently" not in preview


def test_tune_changes_the_weights_and_refuses_nonsense(app: Staffroom, person: Person) -> None:
    maya, _ = setup_program(app, person)
    reply = maya.type("pair tune Year 8 Circle focus=cross_subject history=2").replies[0].text
    assert "subject=-3" in reply
    preview = maya.type("pair preview Year 8 Circle").replies[0].text
    assert "Ana Lopez & Ben Okafor" not in preview  # same subject now counts against
    bad = maya.type("pair tune Year 8 Circle goals=lots").replies[0].text
    assert bad == "goals must be a number, e.g. goals=3."


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_cli_previews_or_publishes(
    app: Staffroom, person: Person, capsys: pytest.CaptureFixture[str], dry_run: bool
) -> None:
    setup_program(app, person)
    assert pair_command(app, "console:local", "Year 8 Circle", dry_run=dry_run) == 0
    out = capsys.readouterr().out
    assert out.startswith("Round 1 of Year 8 Circle: 2 groups")
    assert count(app, PairingRoundRow) == (0 if dry_run else 1)
    assert count(app, OutboxRow) == (0 if dry_run else 5)  # 4 introductions + Maya's summary
    assert pair_command(app, "console:local", "Nope", dry_run=True) == 1


def test_a_scheduled_round_waits_for_a_school_day_outside_quiet_hours(
    app: Staffroom, person: Person, clock: ManualClock
) -> None:
    maya, _ = setup_program(app, person)
    maya.type('program set "Year 8 Circle" cadence=1 time=15:30 tz=Europe/London')
    clock.set(
        datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    )  # a Saturday: a coordinator may still publish
    maya.type("pair publish Year 8 Circle")
    clock.set(datetime(2026, 12, 5, 12, 0, tzinfo=UTC))  # a week later, but Saturday again
    assert run_due_pairing_rounds(app.uow_factory, clock.now()).published == []
    clock.set(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))  # Monday, before the program's 15:30
    assert run_due_pairing_rounds(app.uow_factory, clock.now()).published == []
    clock.set(datetime(2026, 12, 7, 15, 30, tzinfo=UTC))
    assert run_due_pairing_rounds(app.uow_factory, clock.now()).published == [
        "Year 8 Circle round 2"
    ]


def _press(session: ConsoleSession, command: str, label: str) -> object:
    reply = session.type(command).replies[0]
    (found,) = [b for b in reply.buttons() if b.label == label]
    return session.press_button(found)


def test_export_lists_pairings_and_forget_me_erases_the_reasons_that_name_you(
    app: Staffroom, person: Person
) -> None:
    maya, teachers = setup_program(
        app, person, kind="mentoring", extra="", names=("Ana Lopez", "Ben Okafor")
    )
    maya.type("pair publish Year 8 Circle")
    exported = _press(teachers["Ben Okafor"], "export-my-data", "Yes, export my data")
    data = json.loads(exported.replies[0].attachments[0].content)  # type: ignore[attr-defined]
    (pairing,) = data["pairings"]
    assert pairing["program"] == "Year 8 Circle" and pairing["round"] == 1
    assert pairing["your_role"] == "mentee"
    assert pairing["with"] == [{"name": "Ana Lopez", "role": "mentor"}]
    assert "Ben Okafor" in pairing["reason"]
    assert _press(teachers["Ben Okafor"], "forget-me", "Yes, erase my data").ok  # type: ignore[attr-defined]
    (row,) = fetch_all(app, PairingRow)
    assert row.reason == ""
    assert count(app, PairingMemberRow) == 2  # Ana's history (and the repeat rule) still holds


def test_an_introduction_offers_a_resource_for_the_mentees_goal(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(
        app, person, kind="mentoring", extra="", names=("Ana Lopez", "Ben Okafor")
    )
    teachers["Ana Lopez"].type(
        "share https://example.org/calm Calm entry routines for classroom management "
        "#classroom-management"
    )
    maya.type("pair publish Year 8 Circle")
    to = {d.recipient_user_id: d.message for d in messenger.delivered}
    ben_sees = "\n".join(getattr(b, "text", "") for b in to["ben-okafor"].blocks)
    assert "Calm entry routines" in ben_sees
    # Ana shared it herself: never offered back to the sharer.
    ana_sees = "\n".join(getattr(b, "text", "") for b in to["ana-lopez"].blocks)
    assert "Calm entry routines" not in ana_sees


def _delivered(messenger: ConsoleMessenger, user: str, words: str) -> list[object]:
    return [
        d.message
        for d in messenger.delivered
        if d.recipient_user_id == user and words in d.message.text
    ]


def test_we_cant_asks_why_privately_and_rematches_from_people_still_free(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(app, person)
    for name in ("Cara Kim", "Dev Shah"):  # away when the round began: free once back
        teachers[name].type("pause")
    maya.type("pair publish Year 8 Circle")
    for name in ("Cara Kim", "Dev Shah"):
        teachers[name].type("resume")
    clock.advance(timedelta(days=8))
    run_due_pairing_rounds(app.uow_factory, clock.now())
    app.worker({messenger.platform: messenger}).drain()
    (asked,) = _delivered(messenger, "ana-lopez", "did you manage to meet")
    (cant,) = [b for b in asked.buttons() if b.label == "We can't"]  # type: ignore[attr-defined]
    reply = teachers["Ana Lopez"].press_button(cant).replies[0]
    assert [b.label for b in reply.buttons()] == [
        "Our timetables don't meet",
        "Not a good fit",
        "I'd rather tell the coordinator",
        "Find someone now",
    ]
    (tell,) = [b for b in reply.buttons() if b.label == "I'd rather tell the coordinator"]
    assert "nothing else" in teachers["Ana Lopez"].press_button(tell).replies[0].text
    (again,) = [b for b in reply.buttons() if b.label == "Find someone now"]
    done = teachers["Ana Lopez"].press_button(again).replies[0].text
    partner = "Cara Kim" if "Cara Kim" in done else "Dev Shah"
    assert done.startswith(f"Done: you're now paired with {partner} for round 1")
    # Pressing twice pairs nobody twice.
    assert "already paired with" in teachers["Ana Lopez"].press_button(again).replies[0].text
    app.worker({messenger.platform: messenger}).drain()
    # Ben, her partner, is told once, kindly, without the reason, and offered someone too.
    (to_ben,) = _delivered(messenger, "ben-okafor", "can't go ahead")
    assert "Find someone now" in [b.label for b in to_ben.buttons()]  # type: ignore[attr-defined]
    assert "timetable" not in to_ben.text.lower()  # type: ignore[attr-defined]
    # The coordinator hears only that Ana would like a word.
    (to_maya,) = _delivered(messenger, "maya-patel", "would like a word")
    assert to_maya.text.startswith("Ana Lopez would like a word")  # type: ignore[attr-defined]
    slug = partner.lower().replace(" ", "-")
    intro = _delivered(messenger, slug, "Meet your peer partner")
    assert intro and "Ana Lopez" in intro[-1].text  # type: ignore[attr-defined]
    pairings = fetch_all(app, PairingRow)
    assert sorted(str(p.met_status) for p in pairings) == ["None", "cant"]


def test_a_mentor_who_leaves_and_the_mentee_is_rematched_with_a_free_mentor(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(
        app, person, kind="mentoring", extra="", names=("Ana Lopez", "Ben Okafor", "Dev Shah")
    )
    teachers["Dev Shah"].type("pause")
    maya.type("pair publish Year 8 Circle")
    teachers["Dev Shah"].type("resume")
    teachers["Ana Lopez"].type("leave")
    app.worker({messenger.platform: messenger}).drain()
    (told,) = _delivered(messenger, "ben-okafor", "stepped away")
    (again,) = told.buttons()  # type: ignore[attr-defined]
    done = teachers["Ben Okafor"].press_button(again).replies[0].text
    assert done.startswith("Done: you're now paired with Dev Shah for round 1")
    app.worker({messenger.platform: messenger}).drain()
    assert _delivered(messenger, "dev-shah", "Meet your mentee in Year 8 Circle: Ben Okafor")
    assert _delivered(messenger, "ben-okafor", "Meet your mentor in Year 8 Circle: Dev Shah")


def test_a_pause_for_the_rest_of_the_round_ends_the_pairing_a_short_one_does_not(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(app, person)
    maya.type("pair publish Year 8 Circle")
    teachers["Ana Lopez"].type("pause tomorrow")
    teachers["Cara Kim"].type("pause 6 weeks")
    app.worker({messenger.platform: messenger}).drain()
    assert not _delivered(messenger, "ben-okafor", "taking a break")
    (told,) = _delivered(messenger, "dev-shah", "taking a break")
    assert told.text.startswith("Cara Kim is taking a break, so your pairing")  # type: ignore[attr-defined]


def test_forget_me_ends_the_pairing_without_naming_the_one_forgotten(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(app, person)
    maya.type("pair publish Year 8 Circle")
    teachers["Ana Lopez"].type("forget-me")
    assert teachers["Ana Lopez"].press(1).ok
    app.worker({messenger.platform: messenger}).drain()
    (told,) = _delivered(messenger, "ben-okafor", "stepped away")
    assert "Ana" not in told.text  # type: ignore[attr-defined]
    assert "Find someone now" in [b.label for b in told.buttons()]  # type: ignore[attr-defined]


def test_suggest_a_time_from_shared_free_periods_sends_everyone_the_invite(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(app, person, names=("Ana Lopez", "Ben Okafor"))
    for name in ("Ana Lopez", "Ben Okafor"):
        assert teachers[name].type("free add mon 10:00-11:00, wed 13:00-13:15").ok
    maya.type("pair publish Year 8 Circle")
    app.worker({messenger.platform: messenger}).drain()
    (intro,) = _delivered(messenger, "ana-lopez", "Meet your peer partner")
    times = [b for b in intro.buttons() if b.action_id == "pairing.time"]  # type: ignore[attr-defined]
    # Mondays only: Wednesday's fifteen minutes are too short for a first conversation.
    assert [b.label[:3] for b in times] == ["Mon", "Mon"]
    reply = teachers["Ana Lopez"].press_button(times[0]).replies[0].text
    assert reply == f"Done: {times[0].label} suggested to Ben Okafor."
    assert "already" in teachers["Ana Lopez"].press_button(times[0]).replies[0].text
    app.worker({messenger.platform: messenger}).drain()
    (to_ben,) = _delivered(messenger, "ben-okafor", "suggested")
    assert to_ben.text.startswith(f"Ana Lopez suggested {times[0].label} (your time)")  # type: ignore[attr-defined]
    (ics,) = to_ben.attachments  # type: ignore[attr-defined]
    assert ics.mime_type == "text/calendar" and "DTSTART:" in ics.content
    from icalendar import Calendar

    (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["summary"]) == "First conversation: Ana Lopez, Ben Okafor (Year 8 Circle)"
    assert (event["dtend"].dt - event["dtstart"].dt).total_seconds() == 20 * 60
    (to_ana,) = _delivered(messenger, "ana-lopez", "Suggested")
    assert to_ana.attachments[0].content == ics.content  # type: ignore[attr-defined]
    # Someone outside the pair cannot suggest a time for it.
    assert "expired" in maya.press_button(times[0]).replies[0].text
