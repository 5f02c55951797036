"""Programs as coordinators run them: create, set, add people; and teachers joining one."""

from __future__ import annotations

from datetime import time

from bot.kernel.domain import ProgramKind, ProgramRole
from tests.unit.school import School, fields_of


def test_only_coordinators_run_programs() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    outcome = ana.say('program create "Year 9 PLC"')
    assert not outcome.ok
    assert ana.text.startswith("That one is for programme coordinators.")
    with school.scope() as repos:
        assert repos.programs.list() == []


def test_create_makes_the_coordinator_its_coordinator_with_the_settings_given() -> None:
    school = School()
    cora = school.coordinator()
    assert cora.say('program create "New Teacher Mentoring" kind=mentoring day=tue time=16:00').ok
    assert cora.text == "Created New Teacher Mentoring."
    shown = fields_of(cora.shown[0])
    assert shown["Kind"] == "mentoring"
    assert shown["Schedule"].startswith("check-ins Tue 16:00 local")
    assert shown["Coordinators"] == "Cora Coordinator"
    with school.scope() as repos:
        (program,) = repos.programs.list()
        assert (program.kind, program.checkin_weekday, program.checkin_time) == (
            ProgramKind.MENTORING,
            1,
            time(16, 0),
        )
        assert program.timezone == "Europe/London"  # the coordinator's own
        assert program.id is not None
        (membership,) = repos.memberships.for_program(program.id)
        assert membership.role is ProgramRole.COORDINATOR


def test_a_second_program_of_the_same_name_in_any_case_is_refused() -> None:
    school = School()
    cora = school.coordinator()
    cora.say('program create "Year 9 PLC"')
    outcome = cora.say('program create "year 9 plc"')
    assert not outcome.ok
    assert cora.text == "A program called “year 9 plc” already exists."
    with school.scope() as repos:
        assert [p.name for p in repos.programs.list()] == ["Year 9 PLC"]


def test_set_validates_every_option_before_changing_any() -> None:
    school = School()
    cora = school.coordinator()
    cora.say('program create "Year 9 PLC"')
    refused = cora.say('program set "Year 9 PLC" cadence=3 group_size=9')
    assert not refused.ok
    assert cora.text.startswith("group_size must be a whole number from 2 to 4.")
    with school.scope() as repos:
        program = repos.programs.by_name("Year 9 PLC")
        assert program is not None and program.cadence_weeks == 2

    assert cora.say('program set "year 9 plc" cadence=3 group_size=4 questions="A?|B?"').ok
    assert cora.text == "Updated Year 9 PLC."
    with school.scope() as repos:
        program = repos.programs.by_name("Year 9 PLC")
        assert program is not None
        assert (program.cadence_weeks, program.group_size, program.questions) == (
            3,
            4,
            ["A?", "B?"],
        )


def test_unknown_settings_and_programs_are_named_in_the_refusal() -> None:
    school = School()
    cora = school.coordinator()
    cora.say('program create "Year 9 PLC"')
    cora.say('program set "Year 9 PLC" colour=blue')
    assert cora.text.startswith("I can't set colour. Settable: kind, day, time")
    cora.say('program show "Year 10 PLC"')
    assert cora.text == "There is no program called “Year 10 PLC”. Programs: Year 9 PLC."


def test_add_puts_a_teacher_in_with_a_role_and_a_capacity() -> None:
    school = School()
    cora = school.coordinator()
    ana = school.teacher("Ana Lopez", years_experience="12")
    cora.say('program create "New Teacher Mentoring" kind=mentoring')
    assert cora.say("program add New Teacher Mentoring ana lopez as mentor capacity=2").ok
    assert cora.text == "Added Ana Lopez to New Teacher Mentoring as mentor (up to 2 mentees)."
    with school.scope() as repos:
        program = repos.programs.by_name("New Teacher Mentoring")
        member = repos.members.by_platform_user(ana.user_id)
        assert program is not None and program.id is not None
        assert member is not None and member.id is not None
        roles = {
            m.member_id: (m.role, m.capacity) for m in repos.memberships.for_program(program.id)
        }
        assert roles[member.id] == (ProgramRole.MENTOR, 2)

    cora.say('program add "New Teacher Mentoring" "Zed Nobody" as peer')
    assert cora.text.startswith("I can't find “Zed Nobody” here.")


def test_joining_a_mentoring_program_makes_the_experienced_a_mentor_and_the_new_a_mentee() -> None:
    school = School()
    cora = school.coordinator()
    cora.say('program create "New Teacher Mentoring" kind=mentoring day=wed time=15:30')
    ana = school.person("Ana Lopez").join("New Teacher Mentoring", years_experience="1")
    assert ana.shown[-1].text == (
        "You've joined *New Teacher Mentoring* as a mentee. Check-ins come on Wednesdays at "
        "15:30 your time; answering takes under a minute."
    )
    raj = school.person("Raj Patel").join("new teacher mentoring", years_experience="9")
    assert "as a mentor" in raj.shown[-1].text
    cora.say("program list")
    assert cora.text == (
        "Programs:\n• *New Teacher Mentoring*: mentoring, 2 teachers, check-ins Wed 15:30 local, "
        "new pairings every 2 weeks"
    )
