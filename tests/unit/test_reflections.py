"""Reflections and who may read them: only me by default, my mentor or group when I choose, the wall
without my name; a coordinator only ever counts them."""

from __future__ import annotations

from bot.reflections.model import Visibility
from tests.unit.school import School, Teacher


def mentoring_pair(school: School) -> tuple[Teacher, Teacher, Teacher]:
    """Ana mentors Ben in a published pairing; the coordinator is in none.

    The pairing is stored as a published round stores it rather than solved with ``pair publish``:
    the solver's imports alone would take seconds, and it has tests of its own in tests/pairing.
    """
    cora = school.coordinator()
    assert cora.say("program create Mentoring kind=mentoring").ok
    ana = school.person("Ana Lopez").join("Mentoring", years_experience="12")
    ben = school.person("Ben Okafor").join("Mentoring", years_experience="1")
    now = school.clock.now()
    with school.scope(commit=True) as repos:
        program = repos.programs.by_name("Mentoring")
        assert program is not None and program.id is not None
        published = repos.pairing.create_round(program.id, 1, score=1.0, seed=1, now=now)
        assert published is not None
        pair = [(school.member(ana).id or 0, "mentor"), (school.member(ben).id or 0, "mentee")]
        repos.pairing.add_pairing(
            published, pair, reason="Ana Lopez and Ben Okafor both teach Maths", score=1.0, now=now
        )
    return ana, ben, cora


def reflect(who: Teacher, visibility: Visibility, went_well: str, try_next: str = "") -> None:
    who.say("reflect")
    outcome = who.submit(
        who.form, {"went_well": went_well, "try_next": try_next, "visibility": visibility.value}
    )
    assert outcome.ok, who.text


def test_a_reflection_is_private_by_default_and_listed_for_its_author() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    ana.say("reflect")
    form = ana.form
    assert {i.name: i.initial for i in form.inputs}["visibility"] == "private"
    ana.submit(form, {"went_well": "Hinge questions in period 3", "tag": "Ask more open questions"})
    assert ana.text == "Saved. Only you can see it."
    ana.say("reflections")
    assert ana.text.splitlines()[1] == "1. 23 Nov · only me: Hinge questions in period 3"
    with school.scope() as repos:
        (stored,) = repos.reflections.for_member(school.member(ana).id or 0)
        assert (stored.went_well, stored.tag, stored.visibility, stored.is_draft) == (
            "Hinge questions in period 3",
            "Ask more open questions",
            Visibility.PRIVATE,
            False,
        )


def test_an_empty_reflection_is_refused_and_nothing_is_stored() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    ana.say("reflect")
    outcome = ana.submit(ana.form, {"went_well": "  ", "try_next": "", "visibility": "wall"})
    assert outcome.form_errors == {"went_well": "write a line in at least one of the two boxes"}
    assert {i.name: i.initial for i in ana.form.inputs}["visibility"] == "wall"
    ana.say("reflections")
    assert ana.text == "No reflections yet. Type `reflect` to write your first one."


def test_too_long_a_reflection_is_kept_whole_as_a_draft_shared_with_nobody() -> None:
    school = School()
    ana, ben, _cora = mentoring_pair(school)
    reflect(ana, Visibility.MENTOR, "x" * 3001)
    assert ana.text.startswith("Your reflection is 3,001 characters and the limit is 3,000.")
    assert [b.label for b in ana.shown[0].buttons()] == ["Shorten it"]
    assert school.outbox("reflection-shared:") == []
    ben.say("reflections shared")
    assert ben.text == "Nobody has shared a reflection with you yet."


def test_sharing_with_my_mentor_reaches_them_and_nobody_else() -> None:
    school = School()
    ana, ben, cora = mentoring_pair(school)
    outsider = school.teacher("Cal Outsider")
    reflect(ben, Visibility.MENTOR, "Cold calling worked", "Wait time of five seconds")
    assert ben.text == "Saved and shared with 1 person you're paired or grouped with."

    (delivered,) = school.messages_to(ana, "reflection-shared:")
    assert delivered.text == "Ben Okafor shared a reflection with you."
    assert school.outbox("reflection-shared:")[0].recipient_user_id == ana.user_id

    ana.say("reflections shared")
    assert ana.text == "1 reflection shared with you."
    outsider.say("reflections shared")
    assert outsider.text == "Nobody has shared a reflection with you yet."
    cora.say("reflections shared")
    assert cora.text == "Nobody has shared a reflection with you yet."


def test_a_private_reflection_cannot_be_opened_by_anyone_else_even_by_its_number() -> None:
    school = School()
    ana, ben, cora = mentoring_pair(school)
    reflect(ben, Visibility.PRIVATE, "A hard lesson with 9B")
    for reader in (ana, cora):
        outcome = reader.say("reflections show 1")
        assert not outcome.ok
        assert reader.text == "You have no reflection 1. Type `reflections` to see yours."
        reader.say("reflections shared")
        assert "9B" not in reader.text
    assert ben.say("reflections show 1").ok
    assert "A hard lesson with 9B" in str(ben.shown[0].blocks)


def test_the_wall_shows_reflections_without_their_authors_name() -> None:
    school = School()
    ana, ben, _cora = mentoring_pair(school)
    reflect(ben, Visibility.WALL, "Exit tickets on mini whiteboards")
    assert ben.text == "Saved and posted on the program's shared wall, without your name."
    ana.say("reflections wall")
    assert ana.text == "The shared wall: 1 reflection."
    shown = str(ana.shown[0].blocks)
    assert "Exit tickets on mini whiteboards" in shown
    assert "Ben" not in shown


def test_the_coordinator_counts_reflections_by_visibility() -> None:
    school = School()
    ana, ben, cora = mentoring_pair(school)
    reflect(ana, Visibility.PRIVATE, "Private thought")
    reflect(ben, Visibility.MENTOR, "For my mentor")
    reflect(ben, Visibility.WALL, "For everyone")
    cora.say("checkins Mentoring")
    # Two people: "1 on the wall" would name the anonymous post's author.
    assert cora.text.endswith("reflections: withheld (fewer than 5 people).")
    for name in ("Cy Dale", "Dee Fox", "Eve Gray"):
        school.person(name).join("Mentoring", years_experience="3")
    cora.say("checkins Mentoring")
    assert cora.text.endswith(
        "reflections: 1 private, 1 shared with mentors or groups, 1 on the wall."
    )
    assert "Private thought" not in cora.text


def test_deleting_a_reflection_asks_first_then_it_is_gone() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    reflect(ana, Visibility.PRIVATE, "Seating plan changes")
    ana.say("reflections delete 1")
    assert ana.text == "Delete reflection 1 (“Seating plan changes”)?"
    ana.press(ana.button("Delete it"))
    assert ana.text == "Deleted reflection 1. It's gone for good."
    ana.say("reflections")
    assert ana.text == "No reflections yet. Type `reflect` to write your first one."


def test_forget_me_takes_back_a_shared_reflection_not_yet_delivered() -> None:
    school = School()
    ana, ben, _cora = mentoring_pair(school)
    reflect(ben, Visibility.MENTOR, "Cold calling worked", "Wait time of five seconds")
    assert len(school.messages_to(ana, "reflection-shared:")) == 1  # queued, not yet delivered

    ben.say("forget-me")
    ben.press(ben.button("Yes, erase my data"))

    assert school.messages_to(ana, "reflection-shared:") == []


def test_a_forged_form_state_cannot_tie_a_reflection_to_someone_elses_check_in_or_program() -> None:
    from dataclasses import replace

    school = School()
    ana, _ben, _cora = mentoring_pair(school)
    with school.scope(commit=True) as repos:
        other = repos.programs.add(replace(repos.programs.list()[0], id=None, name="Not Ana's"))
    ana.say("reflect")
    forged = replace(ana.form, state=f"|999|{other.id}")  # a check-in and a program not hers
    assert ana.submit(forged, {"went_well": "Wait time", "visibility": "private"}).ok, ana.text
    with school.scope() as repos:
        (stored,) = repos.reflections.for_member(school.member(ana).id or 0)
    assert stored.checkin_id is None
    assert stored.program_id != other.id
