"""A roster imported again: what teachers set themselves stays theirs; the roster only fills blanks."""

from __future__ import annotations

import pytest

from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.members import MemberRow
from storage.models.programs import MembershipRow
from tests.conftest import Person, fetch_all, joined

pytestmark = pytest.mark.postgres  # a roster is written in bulk

PROGRAM = "New Teacher Mentoring"
FIRST = """name,email,subjects,grades,years,timezone,role,school
Ana Lopez,ana@district.example,Maths; Physics,9-10,3,Europe/London,teacher,Hillcrest
Ben Okafor,ben@district.example,English,6-8,14,America/Chicago,teacher,
Cara Kim,cara@district.example,Art,K-2,1,America/New_York,mentee,Riverside
"""
SECOND = """name,email,subjects,grades,years,timezone,role,school,goals
Ana Lopez,ana@district.example,Maths,9-10,4,Europe/London,mentor,Hillcrest,Use exit tickets
Ben Okafor,ben@district.example,English; Drama,6-8,14,America/Chicago,mentor,Riverside,Plan better
Cara Kim,cara@district.example,Art,K-2,2,America/New_York,mentee,Lakeside,
Dev Shah,dev@district.example,Science,6-8,9,Europe/London,teacher,Lakeside,
"""


def import_roster(maya: object, csv: str) -> str:
    maya.type(f"roster import {PROGRAM}")  # type: ignore[attr-defined]
    form = maya.pending_form  # type: ignore[attr-defined]
    outcome = maya.submit(form, {"program": form.inputs[0].initial, "csv": csv, "skip_bad": "no"})  # type: ignore[attr-defined]
    assert outcome.ok, outcome.replies
    return str(outcome.replies[0].text)


def member(app: Staffroom, email: str) -> MemberRow:
    (row,) = fetch_all(app, MemberRow, MemberRow.email == email)
    return row


def test_a_reimport_keeps_what_teachers_set_and_fills_only_their_blanks(
    app: Staffroom, person: Person
) -> None:
    maya = joined(person("Maya Patel"))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    maya.type(f'program create "{PROGRAM}" kind=mentoring')
    first = import_roster(maya, FIRST)
    assert first == (
        f"Imported into {PROGRAM}: 3 new, 0 updated. 3 known only by e-mail can't be messaged "
        "until they write to Staffroom (add their platform user id to reach them now)."
    )

    ana = person("Ana Lopez")
    assert ana.type('profile set name="Ana López" school="North High" timezone=Europe/Paris').ok
    assert ana.type("goals add Ask more open questions").ok
    assert person("Ben Okafor").type("profile").ok  # writing once is his consent; nothing changed

    report = import_roster(maya, SECOND)
    # Ana: name, school, time zone, goals, subjects, years; Ben: subjects.
    assert report.startswith(
        f"Imported into {PROGRAM}: 1 new, 3 updated; kept 7 values teachers set themselves. "
        "2 known only by e-mail"  # Cara and Dev; Ana and Ben have written since
    )
    row = member(app, "ana@district.example")
    assert (row.display_name, row.school, row.timezone) == (
        "Ana López",
        "North High",
        "Europe/Paris",
    )
    assert (row.goals, row.subjects, row.years_experience) == (
        ["Ask more open questions"],
        ["Maths", "Physics"],
        3,
    )
    ben = member(app, "ben@district.example")
    assert (ben.school, ben.goals, ben.subjects) == ("Riverside", ["Plan better"], ["English"])
    # Cara has not started using Staffroom: her profile is still the roster's, so it follows it.
    cara = member(app, "cara@district.example")
    assert (cara.school, cara.years_experience, cara.consented_at) == ("Lakeside", 2, None)
    # Roles and programme places come from the roster as before.
    roles = {m.member_id: m.role for m in fetch_all(app, MembershipRow)}
    assert roles[row.id] == "mentor" and roles[member(app, "dev@district.example").id] == "mentor"


def test_the_same_roster_again_keeps_nothing_worth_mentioning(
    app: Staffroom, person: Person
) -> None:
    maya = joined(person("Maya Patel"))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    maya.type(f'program create "{PROGRAM}" kind=mentoring')
    import_roster(maya, FIRST)
    assert person("Ben Okafor").type("profile").ok
    assert import_roster(maya, FIRST).startswith(f"Imported into {PROGRAM}: 0 new, 3 updated.")
