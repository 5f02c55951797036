"""Nobody is taken for a colleague by name: a name that reads the same as someone else's is refused
(whatever its case, spacing or look-alike letters), and where a command takes a name that fits two
people, it is refused with a list that tells them apart and nothing changes."""

from __future__ import annotations

import pytest

from tests.unit.school import School
from tests.unit.test_identity import school_with_program, submit_roster


@pytest.mark.parametrize(
    "taken",
    ["Ana Lopez", "ana lopez", "Ana  Lopez", "\u0410na L\u043epez", "Ana\u200b Lopez", "Aná Lopez"],
)
def test_a_name_that_reads_like_a_colleagues_is_refused(taken: str) -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    eve = school.teacher("Eve Black")
    outcome = eve.say(f'profile set name="{taken}"')
    assert not outcome.ok
    assert "Someone here is already called" in eve.text and "tells you apart" in eve.text
    assert school.member(eve).display_name == "Eve Black"
    assert school.member(ana).display_name == "Ana Lopez"


def test_joining_under_a_colleagues_name_is_refused_beside_the_name_field() -> None:
    school = School()
    school.teacher("Ana Lopez")
    impostor = school.person("Ana Lopez")
    impostor.say("join")
    outcome = impostor.submit(impostor.form, {**_profile(), "display_name": "ANA LOPEZ"})
    assert not outcome.ok
    assert "already called ANA LOPEZ" in outcome.form_errors["display_name"]
    with school.scope() as repos:
        assert repos.members.by_platform_user(impostor.user_id) is None  # nothing stored
    # A name that tells them apart is welcome.
    outcome = impostor.submit(impostor.form, {**_profile(), "display_name": "Ana Lopez, Science"})
    assert outcome.ok, impostor.text


def test_a_name_two_people_share_is_refused_with_who_is_who_and_nothing_changes() -> None:
    school, cora = school_with_program()
    first, second = school.teacher("Sam Lee", school="Hill High"), school.teacher("Sam Leeds")
    with school.scope(commit=True) as repos:  # two people the platform itself calls Sam Lee
        twin = repos.members.by_platform_user(second.user_id)
        assert twin is not None
        twin.display_name, twin.school = "Sam Lee", "Dale Academy"
        repos.members.save(twin)

    before = _memberships(school)
    outcome = cora.say("program add PLC Sam Lee as coordinator")
    assert not outcome.ok
    assert "2 people here are called Sam Lee" in cora.text
    assert f"Hill High · user id {first.user_id}" in cora.text
    assert f"Dale Academy · user id {second.user_id}" in cora.text
    assert _memberships(school) == before

    outcome = cora.say(f"pair pin PLC Sam Lee with {first.user_id}")
    assert not outcome.ok and "2 people here are called Sam Lee" in cora.text
    assert _memberships(school) == before

    assert cora.say(f"program add PLC {second.user_id} as coordinator").ok, cora.text
    assert _memberships(school) - before == {(second.user_id, "coordinator")}


def _memberships(school: School) -> set[tuple[str, str]]:
    with school.scope() as repos:
        program = repos.programs.by_name("PLC")
        assert program is not None and program.id is not None
        found = set()
        for m in repos.memberships.for_program(program.id):
            member = repos.members.get(m.member_id)
            assert member is not None
            found.add((member.platform_user_id, m.role.value))
        return found


def _profile() -> dict[str, object]:
    from tests.unit.school import PROFILE

    return dict(PROFILE)


def test_a_roster_cannot_bring_in_a_second_person_under_a_name_already_here() -> None:
    school, cora = school_with_program()
    ana = school.teacher("Ana Lopez")
    ok, said = submit_roster(
        cora,
        "ANA LOPEZ,ana.other@hill.org,Art,6-8,2,Europe/London,peer,",
        "Finn Park,finn@hill.org,Art,6-8,2,Europe/London,peer,",
        "Finn  park,finn.two@hill.org,Art,6-8,2,Europe/London,peer,",
    )
    assert not ok
    assert "line 2: ANA LOPEZ reads the same as the name of Ana Lopez (Maths, Physics" in said
    assert f"user id {ana.user_id})" in said
    assert "line 4: Finn park is also the name on line 3" in said
    with school.scope() as repos:
        assert repos.members.by_email("ana.other@hill.org") == []
        assert repos.members.by_email("finn@hill.org") == []  # nothing was written

    # The row that is Ana herself (her user id) is her, not a second Ana.
    ok, said = submit_roster(
        cora, f"Ana Lopez,ana@hill.org,Maths,9-10,3,Europe/London,peer,{ana.user_id}"
    )
    assert ok, said
