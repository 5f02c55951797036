"""Coordinators: programs and roster imports, and teachers kept out of both."""

from __future__ import annotations

import pytest

from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.members import MemberRow
from storage.models.programs import MembershipRow, ProgramRow
from tests.conftest import Person, count, fetch_all, joined

GOOD = """name,email,subjects,grades,years,timezone,role,school
Ana Lopez,ana@district.example,Maths; Physics,9-10,3,Europe/London,teacher,Hillcrest
Ben Okafor,ben@district.example,English,6-8,14,America/Chicago,teacher,Riverside
Cara Kim,cara@district.example,Art,K-2,1,America/New_York,mentee,Riverside
"""
BAD = GOOD.replace("ben@district.example", "ben at district").replace(
    "America/New_York", "Mars/Base"
)


def coordinator(app: Staffroom, person: Person) -> object:
    maya = joined(person("Maya Patel"))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    maya.type('program create "New Teacher Mentoring" kind=mentoring day=tue time=15:30')
    return maya


def test_teachers_cannot_run_programs(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    assert "for programme coordinators" in ana.type("program create Sneaky").replies[0].text
    assert "for programme coordinators" in ana.type("roster import").replies[0].text
    assert count(app, ProgramRow) == 0


def test_program_create_set_and_add(app: Staffroom, person: Person) -> None:
    maya = coordinator(app, person)
    joined(person("Ben Okafor"))
    maya.type(
        'program set "New Teacher Mentoring" cadence=3 group_size=4 questions="How did it go? | What next?"'
    )  # type: ignore[attr-defined]
    (program,) = fetch_all(app, ProgramRow)
    assert (program.kind, program.checkin_weekday, program.cadence_weeks, program.group_size) == (
        "mentoring",
        1,
        3,
        4,
    )
    assert program.questions == ["How did it go?", "What next?"]
    outcome = maya.type('program set "New Teacher Mentoring" cadence=99 day=funday')  # type: ignore[attr-defined]
    assert "weekday" in outcome.replies[0].text or "from 1 to 12" in outcome.replies[0].text
    assert fetch_all(app, ProgramRow)[0].cadence_weeks == 3  # nothing changed
    outcome = maya.type("program add New Teacher Mentoring Ben Okafor as mentor capacity=2")  # type: ignore[attr-defined]
    assert (
        outcome.replies[0].text
        == "Added Ben Okafor to New Teacher Mentoring as mentor (up to 2 mentees)."
    )
    roles = sorted((m.role, m.capacity) for m in fetch_all(app, MembershipRow))
    assert roles == [("coordinator", None), ("mentor", 2)]


def test_a_roster_with_bad_rows_is_refused_whole_with_line_numbers(
    app: Staffroom, person: Person
) -> None:
    maya = coordinator(app, person)
    maya.type("roster import")  # type: ignore[attr-defined]
    form = maya.pending_form  # type: ignore[attr-defined]
    program_id = form.inputs[0].options[0].value
    outcome = maya.submit(form, {"program": program_id, "csv": BAD, "skip_bad": "no"})  # type: ignore[attr-defined]
    error = outcome.form_errors["csv"]
    assert "line 3" in error and "e-mail" in error
    assert "line 4" in error and "Mars/Base" in error
    assert count(app, MemberRow) == 1  # only the coordinator
    # What was pasted is kept in the form for fixing.
    assert outcome.replies[0].form.inputs[1].initial == BAD


def test_skip_bad_imports_the_good_rows_and_reports_the_rest(
    app: Staffroom, person: Person
) -> None:
    maya = coordinator(app, person)
    maya.type("roster import New Teacher Mentoring")  # type: ignore[attr-defined]
    form = maya.pending_form  # type: ignore[attr-defined]
    outcome = maya.submit(form, {"program": form.inputs[0].initial, "csv": BAD, "skip_bad": "yes"})  # type: ignore[attr-defined]
    assert "1 new" in outcome.replies[0].text and "Skipped 2 bad rows" in outcome.replies[0].text
    ana = fetch_all(app, MemberRow, MemberRow.email == "ana@district.example")[0]
    assert ana.platform_user_id == "pending:ana@district.example"
    assert ana.consented_at is None
    roles = {m.member_id: m.role for m in fetch_all(app, MembershipRow)}
    assert roles[ana.id] == "mentee"  # 3 years < mentor_min_years


def test_an_imported_teacher_is_recognised_on_first_contact(app: Staffroom, person: Person) -> None:
    maya = coordinator(app, person)
    maya.type("roster import")  # type: ignore[attr-defined]
    form = maya.pending_form  # type: ignore[attr-defined]
    maya.submit(form, {"program": form.inputs[0].options[0].value, "csv": GOOD, "skip_bad": "no"})  # type: ignore[attr-defined]
    ben = person("Ben Okafor")
    outcome = ben.type("profile")
    assert "English" in ben.shown[-1]  # type: ignore[attr-defined]
    assert outcome.ok
    (row,) = fetch_all(app, MemberRow, MemberRow.email == "ben@district.example")
    assert row.platform_user_id == "ben-okafor" and row.consented_at is not None
    roles = {m.member_id: m.role for m in fetch_all(app, MembershipRow)}
    assert roles[row.id] == "mentor"


def test_a_mistyped_program_gets_the_same_refusal_with_the_right_names_everywhere(
    app: Staffroom, person: Person
) -> None:
    maya = coordinator(app, person)
    refusal = "There is no program called “New Teacher Mentorin”. Programs: New Teacher Mentoring."
    for typed in (
        "program show New Teacher Mentorin",
        "pair preview New Teacher Mentorin",
        "checkins New Teacher Mentorin",
        'calendar show program="New Teacher Mentorin"',
        "reflections wall New Teacher Mentorin",
        "join New Teacher Mentorin",
        "digest New Teacher Mentorin",
        "roster import New Teacher Mentorin",
    ):
        outcome = maya.type(typed)  # type: ignore[attr-defined]
        assert outcome.replies[0].text.startswith(refusal), typed
    assert count(app, MembershipRow) == 1  # nobody joined anything by mistake


def test_admin_grant_trusts_a_user_id_or_a_platform_address_never_a_typed_one(
    app: Staffroom, person: Person
) -> None:
    eve = joined(person("Eve Black"))
    assert eve.type("profile set email=head@hill.org").ok
    with pytest.raises(LookupError, match=r"platform-verified e-mail 'head@hill\.org'"):
        grant_role(app, "console:local", "head@hill.org", Role.ADMIN)
    assert grant_role(app, "console:local", "Eve Black", Role.COORDINATOR) == "Eve Black"
