"""A lesson study is its group's business: a colleague outside it is refused, kindly, as if it did not
exist, whatever they type or press; a workspace elsewhere with the same numbers sees nothing of it;
the coordinator sees its phase and dates and nothing the group wrote."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.study import StudyCycleRow, StudyMemberRow, StudyNoteRow
from tests.conftest import Person, count, fetch_all, joined
from tests.observations.helpers import button, teacher
from tests.study.helpers import PLAN, group, replies, sent, taught

NOT_YOURS = "I can't find that lesson study among yours. Type `study list` to see them."
NOTES = {"Ana": "The quiet pair folded first", "Cora": "Table 3 argued", "Dan": "Four explained"}
REVISION = "Pairs talk for a minute before folding"
TRIES = (
    "study show #1",
    "study plan #1",
    "study book #1",
    "study note #1 I was there too",
    "study revise #1 Start with 3/6",
    "study done #1",
)


def _debriefed(app: Staffroom, person: Person) -> dict[str, ConsoleSession]:
    people = group(app, person)
    taught(people)
    app.clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    for first, note in NOTES.items():
        assert people[first].type(f"study note #1 {note}").ok
    assert people["Ben"].type(f"study revise #1 {REVISION}").ok
    return people


def _stored(app: Staffroom) -> list[tuple[object, ...]]:
    cycles = [(c.phase, c.question, c.lesson_on, c.nudged) for c in fetch_all(app, StudyCycleRow)]
    members = [(m.member_id, m.focus, m.revision) for m in fetch_all(app, StudyMemberRow)]
    return [*cycles, *members, (count(app, StudyNoteRow),)]


def _refused_everything(session: ConsoleSession, app: Staffroom) -> None:
    before = _stored(app)
    for line in TRIES:
        outcome = session.type(line)
        assert not outcome.ok, line
        assert NOT_YOURS in replies(outcome), line
    assert _stored(app) == before


def test_a_colleague_outside_the_group_can_neither_see_nor_change_it(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = _debriefed(app, person)
    eve = teacher(person, "Eve Stone")
    _refused_everything(eve, app)
    assert "You're in no lesson study yet" in replies(eve.type("study list"))

    # Buttons and forms carry the cycle's number too: pressed or sent by Eve, they are refused.
    (debrief,) = sent(messenger, "Cora Diaz", "The notes from the research lesson")
    pressed = eve.press_button(button(debrief, "Propose a revision"))
    assert not pressed.ok and NOT_YOURS in replies(pressed)
    people["Ben"].press_button(button(debrief, "Propose a revision"))
    form = people["Ben"].pending_form
    assert form is not None and form.form_id == "study.revise"
    before = _stored(app)
    outcome = eve.submit(form, {"revision": "Eve's change"})
    assert not outcome.ok and NOT_YOURS in replies(outcome)
    assert _stored(app) == before


def test_another_workspace_with_the_same_numbers_sees_nothing(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    _debriefed(app, person)
    zoe = joined(person("Zoe Park", workspace="other"), subjects="Maths", grade_bands=["9-10"])
    omar = joined(person("Omar Reyes", workspace="other"), subjects="Science", grade_bands=["6-8"])
    grant_role(app, "console:other", "Omar Reyes", Role.COORDINATOR)
    _refused_everything(zoe, app)
    assert "No lesson studies yet" in replies(omar.type("study list"))
    assert "There is no lesson study with that number" in replies(omar.type("study show #1"))


def test_the_coordinator_sees_phase_and_dates_but_nothing_the_group_wrote(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = _debriefed(app, person)
    maya = people["Maya"]
    listed, shown = replies(maya.type("study list")), replies(maya.type("study show #1"))
    assert "#1 Fractions talk, 4 teachers: now debrief" in listed
    assert "now debrief" in shown and "revise: Thu 03 Dec" in shown
    for text in (*NOTES.values(), REVISION, PLAN["question"], PLAN["goal"], "table 2", "7B"):
        assert text not in listed and text not in shown
    # Seeing the phase gives no hand in the cycle.
    before = _stored(app)
    for line in TRIES[1:]:
        outcome = maya.type(line)
        assert not outcome.ok and NOT_YOURS in replies(outcome), line
    assert _stored(app) == before
