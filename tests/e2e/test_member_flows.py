"""A teacher's own flows through the console adapter and the real core, on a real database."""

from __future__ import annotations

from datetime import date, timedelta

from bot.kernel.domain import MemberStatus, Platform
from bot.kernel.events import Actor, Inbound, InboundKind
from staffroom.bootstrap import Staffroom
from storage.models.kernel import ProcessedEventRow
from storage.models.members import MemberRow
from tests.conftest import PROFILE, Person, count, fetch_all, joined


def member_row(app: Staffroom, name: str) -> MemberRow:
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == name)
    return row


def test_join_opens_a_form_and_stores_the_profile_with_consent(
    app: Staffroom, person: Person
) -> None:
    ana = person("Ana Lopez")
    joined(ana)
    row = member_row(app, "Ana Lopez")
    assert row.subjects == ["Maths", "Physics"]
    assert row.grade_bands == ["9-10"]
    assert row.years_experience == 3
    assert row.timezone == "Europe/London"
    assert row.goals == ["Ask more open questions"]
    assert row.consented_at == app.clock.now()
    assert any("You're in" in line for line in ana.shown)  # type: ignore[attr-defined]


def test_invalid_form_shows_errors_per_field_and_keeps_what_was_typed(
    app: Staffroom, person: Person
) -> None:
    ana = person("Ana Lopez")
    ana.type("join")
    form = ana.pending_form
    assert form is not None
    outcome = ana.submit(
        form, {**PROFILE, "timezone": "Mars/Olympus", "years_experience": "ninety"}
    )
    assert not outcome.ok
    assert set(outcome.form_errors) == {"timezone", "years_experience"}
    again = outcome.replies[0].form
    assert again is not None
    typed = {i.name: i.initial for i in again.inputs}
    assert typed["subjects"] == "Maths, Physics"
    assert typed["timezone"] == "Mars/Olympus"
    assert count(app, MemberRow) == 0


def test_commands_before_joining_point_to_join(person: Person) -> None:
    ben = person("Ben Okafor")
    outcome = ben.type("goals")
    assert "Type `join`" in outcome.replies[0].text


def test_profile_set_changes_only_named_fields_and_rejects_bad_values(
    app: Staffroom, person: Person
) -> None:
    ana = joined(person("Ana Lopez"))
    ana.type('profile set school="North High" tz=America/Chicago subjects="Maths; Art"')
    row = member_row(app, "Ana Lopez")
    assert (row.school, row.timezone, row.subjects) == (
        "North High",
        "America/Chicago",
        ["Maths", "Art"],
    )
    outcome = ana.type("profile set years=-3")
    assert "whole number from 0 to 60" in outcome.replies[0].text
    outcome = ana.type("profile set shoe_size=9")
    assert "can't change “shoe_size”" in outcome.replies[0].text
    assert member_row(app, "Ana Lopez").years_experience == 3


def test_goals_add_remove_and_limits(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    ana.type("goals add Use exit tickets every lesson")
    assert member_row(app, "Ana Lopez").goals == [
        "Ask more open questions",
        "Use exit tickets every lesson",
    ]
    outcome = ana.type("goals remove 7")
    assert "there is no number 7" in outcome.replies[0].text
    ana.type("goals remove 1")
    assert member_row(app, "Ana Lopez").goals == ["Use exit tickets every lesson"]
    outcome = ana.type("goals add " + "x" * 300)
    assert "under 200" in outcome.replies[0].text


def test_pause_until_a_date_in_the_teachers_zone_then_resume(
    app: Staffroom, person: Person
) -> None:
    ana = joined(person("Ana Lopez"))
    outcome = ana.type("pause until 2026-12-04")
    assert "Paused until Friday 04 December" in outcome.replies[0].text
    row = member_row(app, "Ana Lopez")
    assert row.status == MemberStatus.PAUSED.value and row.paused_until == date(2026, 12, 4)
    ana.press(1)  # "Resume now"
    row = member_row(app, "Ana Lopez")
    assert row.status == MemberStatus.ACTIVE.value and row.paused_until is None


def test_pause_relative_and_refusals(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    ana.type("pause 2 weeks")
    assert member_row(app, "Ana Lopez").paused_until == app.clock.now().date() + timedelta(days=14)
    outcome = ana.type("pause until 2020-01-01")
    assert "in the past" in outcome.replies[0].text and "Usage: `pause" in outcome.replies[0].text
    outcome = ana.type("pause until someday maybe")
    assert "couldn't read" in outcome.replies[0].text


def test_leave_is_immediate_and_undoable(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    outcome = ana.type("leave")
    assert "won't message you" in outcome.replies[0].text
    assert member_row(app, "Ana Lopez").status == MemberStatus.OPTED_OUT.value
    undo = outcome.replies[0].buttons()[0]
    assert "You've left" in ana.type("goals").replies[0].text
    ana.press_button(undo)  # buttons on earlier messages stay pressable, as in Slack and Teams
    assert member_row(app, "Ana Lopez").status == MemberStatus.ACTIVE.value


def test_unknown_and_malformed_commands_get_usage(person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    assert "Did you mean `goals`?" in ana.type("gaols").replies[0].text
    assert "Usage: `goals" in ana.type("goals remove two").replies[0].text
    assert "help <command>" in ana.type("help").replies[0].text
    assert "Usage: `pause [until DATE]`" in ana.type("help pause").replies[0].text
    assert (
        "`program" not in ana.type("help").replies[0].text
    )  # coordinator verbs hidden from teachers


def test_a_repeated_delivery_id_has_one_effect(app: Staffroom, person: Person) -> None:
    joined(person("Ana Lopez"))
    actor = Actor(
        platform=Platform.CONSOLE,
        workspace_external_id="local",
        user_id="ana-lopez",
        display_name="Ana Lopez",
    )
    event = Inbound(
        actor=actor,
        kind=InboundKind.COMMAND,
        text="goals add Try think-pair-share",
        delivery_id="evt-1",
    )
    first, second = app.bot.handle(event), app.bot.handle(event)
    assert first.ok and not first.duplicate
    assert second.duplicate and second.replies == []
    assert member_row(app, "Ana Lopez").goals.count("Try think-pair-share") == 1
    assert count(app, ProcessedEventRow) == 1


def test_workspaces_never_see_each_other(app: Staffroom, person: Person) -> None:
    joined(person("Ana Lopez", workspace="north"))
    other = joined(person("Ben Okafor", workspace="south"))
    with app.uow_factory() as uow:
        north = uow.workspaces.by_external_id(Platform.CONSOLE, "north")
        south = uow.workspaces.by_external_id(Platform.CONSOLE, "south")
        assert north and south
        assert uow.scope(south.id).members.find("Ana Lopez") is None
        ana = uow.scope(north.id).members.find("ana lopez")
        assert ana is not None
        assert uow.scope(south.id).members.get(ana.id or 0) is None
    # The same person name in another workspace is a different member.
    twin = joined(person("Ana Lopez", workspace="south"))
    assert twin is not other
    assert count(app, MemberRow) == 3


def test_help_lists_every_feature_a_teacher_can_use(person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    listed = ana.type("help").replies[0].text
    for verb in ("reflect", "observe", "resources", "share"):
        assert f"`{verb}" in listed, verb
    assert "Usage: `observe" in ana.type("help observe").replies[0].text
