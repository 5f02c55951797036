"""Nobody becomes someone else by typing their address: only a platform or a coordinator's roster
(before the person arrived) says whose an e-mail is, and a roster never makes admins for a coordinator."""

from __future__ import annotations

from bot.kernel.domain import EmailSource, Role
from bot.kernel.events import FormValue
from bot.kernel.messages import Form
from tests.unit.school import School, Teacher

HEADER = "name,email,subjects,grades,years,timezone,role,platform_user_id"


def roster_form(cora: Teacher) -> Form:
    assert cora.say("roster import PLC").ok, cora.text
    return cora.form


def submit_roster(cora: Teacher, *rows: str, skip_bad: bool = False) -> tuple[bool, str]:
    form = roster_form(cora)
    (program,) = [i.initial for i in form.inputs if i.name == "program"]
    values: dict[str, FormValue] = {
        "program": program,
        "csv": "\n".join((HEADER, *rows)),
        "skip_bad": "yes" if skip_bad else "no",
    }
    outcome = cora.submit(form, values)
    return outcome.ok, outcome.form_errors.get("csv", cora.text)


def school_with_program() -> tuple[School, Teacher]:
    school = School()
    cora = school.coordinator()
    assert cora.say("program create PLC kind=peer").ok, cora.text
    return school, cora


def test_a_teacher_who_types_the_incoming_coordinators_address_is_not_made_into_her() -> None:
    school, cora = school_with_program()
    eve = school.teacher("Eve Black")
    assert eve.say("profile set email=Dana.Head@Hill.org").ok, eve.text
    assert school.member(eve).email_source is EmailSource.SELF

    ok, said = submit_roster(
        cora, "Dana Head,dana.head@hill.org,Leadership,9-10,20,Europe/London,coordinator,"
    )
    assert not ok
    assert "line 2: dana.head@hill.org is an address Eve Black typed into their own profile" in said
    assert "Nothing was imported" in said
    stored = school.member(eve)
    assert (stored.display_name, stored.role) == ("Eve Black", Role.TEACHER)

    ok, said = submit_roster(
        cora,
        "Dana Head,dana.head@hill.org,Leadership,9-10,20,Europe/London,coordinator,",
        "Finn Park,finn@hill.org,Art,6-8,2,Europe/London,peer,",
        skip_bad=True,
    )
    assert ok, said
    assert school.member(eve).role is Role.TEACHER
    with school.scope() as repos:
        assert repos.members.find("finn@hill.org") is not None  # the good row went in


def test_an_address_someone_else_holds_cannot_be_typed() -> None:
    school, cora = school_with_program()
    ok, said = submit_roster(cora, "Dana Head,dana@hill.org,Art,9-10,20,Europe/London,peer,")
    assert ok, said
    eve = school.teacher("Eve Black")
    outcome = eve.say("profile set email=DANA@hill.org")
    assert not outcome.ok
    assert "already belongs to someone else here" in eve.text
    assert school.member(eve).email is None


def test_the_roster_entry_is_claimed_by_the_address_the_platform_gives_and_nobody_else() -> None:
    school, cora = school_with_program()
    assert submit_roster(cora, "Dana Head,dana@hill.org,Art,9-10,20,Europe/London,coordinator,")[0]
    eve = school.person("Eve Black")  # no platform e-mail; names herself like Dana
    eve.say("help")
    with school.scope() as repos:
        assert repos.members.by_platform_user(eve.user_id) is None  # not claimed by a name
    dana = school.person("Dana Head", email="dana@hill.org")
    assert dana.say("help").ok
    claimed = school.member(dana)
    assert (claimed.role, claimed.email_source) == (Role.COORDINATOR, EmailSource.PLATFORM)


def test_a_coordinators_roster_cannot_make_admins_or_lower_anyones_role() -> None:
    school, cora = school_with_program()
    ok, said = submit_roster(cora, "Max Root,max@hill.org,Art,9-10,20,Europe/London,admin,")
    assert not ok
    assert "only an admin's roster can make admins" in said
    with school.scope(commit=True) as repos:
        boss = repos.members.by_platform_user(cora.user_id)
        assert boss is not None
        boss.role = Role.ADMIN
        repos.members.save(boss)
    ok, said = submit_roster(
        cora,
        f"Cora Coordinator,cora@hill.org,Art,9-10,20,Europe/London,coordinator,{cora.user_id}",
    )
    assert ok, said
    assert school.member(cora).role is Role.ADMIN  # named as a coordinator, still an admin


def test_a_row_may_not_give_one_persons_address_to_another_user_id() -> None:
    school, cora = school_with_program()
    dana = school.person("Dana Head", email="dana@hill.org")
    dana.join()
    eve = school.person("Eve Black")
    ok, said = submit_roster(
        cora, f"Eve Black,dana@hill.org,Art,9-10,20,Europe/London,peer,{eve.user_id}"
    )
    assert not ok
    assert "dana@hill.org already belongs to Dana Head here" in said


def test_when_the_platform_vouches_for_an_address_whoever_only_typed_it_loses_it() -> None:
    school = School()
    eve = school.teacher("Eve Black")
    assert eve.say("profile set email=dana@hill.org").ok, eve.text
    dana = school.person("Dana Head", email="dana@hill.org")
    dana.join()
    assert school.member(dana).email_source is EmailSource.PLATFORM
    assert school.member(eve).email is None
    with school.scope() as repos:
        assert [m.display_name for m in repos.members.by_email("dana@hill.org")] == ["Dana Head"]
