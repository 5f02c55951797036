"""Joining, the profile, goals, pausing and leaving, through the real dispatcher over the fakes."""

from __future__ import annotations

from datetime import date, timedelta

from bot.kernel.domain import MemberStatus
from tests.unit.school import PROFILE, School, fields_of


def test_joining_opens_the_profile_form_prefilled_from_the_platform() -> None:
    school = School()
    ana = school.person("Ana Lopez", timezone="America/Chicago")
    ana.say("join")
    assert ana.text == "Welcome to Staffroom! Tell us a little about your teaching."
    form = ana.form
    assert (form.title, form.submit_label) == ("Join Staffroom", "Join")
    initial = {i.name: i.initial for i in form.inputs}
    assert initial["display_name"] == "Ana Lopez"
    assert initial["timezone"] == "America/Chicago"


def test_a_teacher_who_joins_is_welcomed_and_stored_with_their_consent() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    assert ana.text.startswith("Welcome, Ana Lopez! You're in.")
    fields = fields_of(ana.shown[0])
    assert fields["Subjects"] == "Maths, Physics"
    assert fields["Goals"] == "1. Ask more open questions"
    assert [b.label for b in ana.shown[0].buttons()] == ["Edit profile", "Pause 2 weeks"]
    stored = school.member(ana)
    assert stored.subjects == ["Maths", "Physics"]
    assert stored.grade_bands == ["9-10"]
    assert stored.years_experience == 3
    assert stored.status is MemberStatus.ACTIVE
    assert stored.consented_at == school.clock.now()


def test_joining_twice_shows_the_profile_instead_of_a_second_form() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    ana.say("join")
    assert ana.text == "You're already in Staffroom. Here is your profile."
    assert all(m.form is None for m in ana.shown)


def test_a_refused_form_comes_back_with_each_error_and_everything_typed() -> None:
    school = School()
    ana = school.person("Ana Lopez")
    ana.say("join")
    typed = {**PROFILE, "display_name": "Ana Lopez", "timezone": "Mars/Olympus", "subjects": ""}
    outcome = ana.submit(ana.form, typed)
    assert not outcome.ok
    assert set(outcome.form_errors) == {"timezone", "subjects"}
    assert ana.text.startswith("Please check: ")
    again = ana.form
    errors = dict(again.errors)
    assert errors["subjects"] == "This one is needed for good pairings."
    assert "Mars/Olympus" in errors["timezone"]
    initial = {i.name: i.initial for i in again.inputs}
    assert initial["timezone"] == "Mars/Olympus"
    assert initial["school"] == "Hillcrest High"
    assert initial["goals"] == "Ask more open questions"
    with school.uow_factory() as uow:
        workspace_ids = uow.workspaces.active_ids()
        assert [uow.scope(w).members.list() for w in workspace_ids] == [[]]


def test_profile_set_changes_only_what_was_named_and_a_typo_changes_nothing() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    assert ana.say('profile set school="North High" tz=America/Chicago').ok
    assert ana.text == "Updated school, tz."
    stored = school.member(ana)
    assert (stored.school, stored.timezone, stored.subjects) == (
        "North High",
        "America/Chicago",
        ["Maths", "Physics"],
    )

    refused = ana.say("profile set years=lots school=Elsewhere")
    assert not refused.ok
    assert ana.text.startswith("years: ")
    assert school.member(ana).school == "North High"


def test_goals_focus_stars_a_goal_by_number_or_button_and_check_ins_ask_about_it() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    ana.say("goals add Use more hinge questions")
    ana.say("goals focus 3")
    assert ana.text == "You have 2 goals; there is no number 3."
    assert school.member(ana).goals == ["Ask more open questions", "Use more hinge questions"]
    ana.say("goals")
    (button,) = ana.shown[0].buttons()
    assert button.label == "Focus on 2"
    ana.press(button)
    assert school.member(ana).goals == ["Use more hinge questions", "Ask more open questions"]
    assert ana.text.startswith("Done. Your goals:\n1. Use more hinge questions ★ your focus")
    ana.say("goals focus 2")
    assert school.member(ana).goals == ["Ask more open questions", "Use more hinge questions"]


def test_goals_add_remove_and_clear() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    ana.say("goals add Use more hinge questions")
    assert ana.text == (
        "Goals updated. Your goals:\n1. Ask more open questions ★ your focus: check-ins ask "
        "about it\n2. Use more hinge questions"
    )
    refused = ana.say("goals add use more HINGE questions")
    assert not refused.ok
    assert ana.text == "That goal is already on your list."
    ana.say("goals remove 1")
    assert school.member(ana).goals == ["Use more hinge questions"]
    ana.say("goals remove 7")
    assert ana.text == "You have 1 goal; there is no number 7."
    ana.say("goals clear")
    assert ana.text.startswith("You have no goals yet.")
    assert school.member(ana).goals == []


def test_pause_until_a_date_then_resume() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    ana.say("pause until 2026-12-04")
    assert ana.text == "Paused until Friday 04 December. No check-ins or pairings meanwhile."
    assert [b.label for b in ana.shown[0].buttons()] == ["Resume now"]
    stored = school.member(ana)
    assert (stored.status, stored.paused_until) == (MemberStatus.PAUSED, date(2026, 12, 4))

    ana.press(ana.button("Resume now"))
    assert ana.text == "Welcome back! Check-ins and pairings start again from the next one."
    assert school.member(ana).status is MemberStatus.ACTIVE
    ana.say("resume")
    assert ana.text == "You're not paused; everything is running as usual."


def test_a_pause_in_the_past_is_refused_with_the_usage() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    yesterday = school.clock.now().date() - timedelta(days=1)
    outcome = ana.say(f"pause until {yesterday.isoformat()}")
    assert not outcome.ok
    assert "pause [until DATE]" in ana.text
    assert school.member(ana).status is MemberStatus.ACTIVE


def test_leaving_stops_everything_until_they_undo_or_join_again() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    ana.say("leave")
    assert ana.text == "Done: Staffroom won't message you any more."
    undo = ana.button("Undo")
    assert school.member(ana).status is MemberStatus.OPTED_OUT

    refused = ana.say("goals")
    assert not refused.ok
    assert ana.text == "You've left Staffroom. Type `join` to come back."

    ana.press(undo)
    assert ana.text == "Welcome back! Everything is as you left it."
    assert school.member(ana).status is MemberStatus.ACTIVE


def test_someone_who_has_not_joined_is_asked_to_join_first() -> None:
    school = School()
    ben = school.person("Ben Okafor")
    outcome = ben.say("goals")
    assert not outcome.ok
    assert ben.text == "You haven't joined Staffroom yet. Type `join` to start; it takes a minute."
