"""Teachers a coordinator imports are reached once they write, however the roster named them."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.unit.school import School, Teacher

HEADER = "name,email,subjects,grades,years,timezone,role,platform_user_id"


def import_roster(cora: Teacher, *rows: str) -> None:
    assert cora.say("roster import PLC").ok, cora.text
    form = cora.form
    (program,) = [i.initial for i in form.inputs if i.name == "program"]
    assert program, "`roster import PLC` preselects the program"
    csv = "\n".join((HEADER, *rows))
    outcome = cora.submit(form, {"program": program, "csv": csv, "skip_bad": "no"})
    assert outcome.ok, cora.text


def test_a_teacher_imported_by_platform_id_gets_check_ins_after_writing_once() -> None:
    school = School(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # a Monday
    cora = school.coordinator()
    assert cora.say("program create PLC kind=peer day=tue time=15:30").ok, cora.text
    dana = school.person("Dana Imported", timezone="Europe/London")
    import_roster(
        cora,
        f"Dana Imported,dana@school.example,Maths,9-10,4,Europe/London,peer,{dana.user_id}",
    )
    assert school.member(dana).consented_at is None  # a coordinator's import is not her consent

    assert dana.say("help").ok, dana.text
    assert school.member(dana).consented_at == school.clock.now()

    school.clock.set(datetime(2026, 11, 24, 15, 31, tzinfo=UTC))  # Tuesday 15:31 in London
    school.run_job("checkins.plan")
    (checkin,) = school.messages_to(dana, "checkin:")
    assert "How confident do you feel" in checkin.text


def test_an_imported_teacher_who_has_not_written_is_not_messaged() -> None:
    school = School(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    cora = school.coordinator()
    assert cora.say("program create PLC kind=peer day=tue time=15:30").ok, cora.text
    eli = school.person("Eli Quiet", timezone="Europe/London")
    import_roster(
        cora, f"Eli Quiet,eli@school.example,English,6-8,9,Europe/London,peer,{eli.user_id}"
    )

    school.clock.set(datetime(2026, 11, 24, 15, 31, tzinfo=UTC))
    school.run_job("checkins.plan")
    assert school.messages_to(eli, "checkin:") == []


def test_everyone_imported_by_platform_id_is_invited_once_and_joins_with_one_press() -> None:
    school = School(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    cora = school.coordinator()
    assert cora.say("program create PLC kind=peer day=tue time=15:30").ok, cora.text
    dana = school.person("Dana Imported", timezone="Europe/London")
    row = f"Dana Imported,dana@school.example,Maths,9-10,4,Europe/London,peer,{dana.user_id}"
    import_roster(cora, row)
    assert "Invited 1 who hasn't joined yet." in cora.text
    (invitation,) = school.messages_to(dana, "invite:")
    assert invitation.text.startswith("Hi Dana! Cora Coordinator added you to *PLC* on Staffroom.")
    assert "coordinators only ever see totals" in str(invitation.blocks)

    import_roster(cora, row)  # the same roster again: no second invitation
    assert len(school.messages_to(dana, "invite:")) == 1

    assert dana.press(dana.button("Join", [invitation])).ok, dana.text
    assert school.member(dana).consented_at == school.clock.now()
    assert "Welcome" in dana.text
    import_roster(cora, row)
    assert "Invited" not in cora.text  # she has joined: nothing more to invite


def test_adding_someone_who_has_not_joined_to_a_program_invites_them() -> None:
    school = School(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    cora = school.coordinator()
    assert cora.say("program create PLC kind=peer").ok, cora.text
    assert cora.say("program create Circle kind=peer").ok, cora.text
    eli = school.person("Eli Quiet")
    import_roster(cora, f"Eli Quiet,eli@school.example,Art,6-8,9,Europe/London,peer,{eli.user_id}")
    assert cora.say('program add Circle "Eli Quiet" as peer').ok, cora.text
    assert "I've sent them an invitation" in cora.text
    circle, plc = sorted(school.messages_to(eli, "invite:"), key=lambda m: m.text)
    assert "*Circle*" in circle.text and "*PLC*" in plc.text
