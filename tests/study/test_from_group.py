"""Starting a lesson study from a peer group's introduction at the console: the button is on a group's
introduction only, asks just the name, holds exactly that group, and is nobody else's to press."""

from __future__ import annotations

from adapters.console.messenger import ConsoleMessenger
from bot.kernel.messages import Message
from staffroom.bootstrap import Staffroom
from storage.models.study import StudyCycleRow, StudyMemberRow
from tests.conftest import Person, count, fetch_all, joined
from tests.e2e.test_pairing_flows import TEACHERS, setup_program
from tests.observations.helpers import button
from tests.study.helpers import replies, sent, words

GROUP = ("Ana Lopez", "Ben Okafor", "Cara Kim")
BUTTON = "Start a lesson study together"


def introduction(messenger: ConsoleMessenger, name: str) -> Message:
    (intro,) = sent(messenger, name, "Meet your peer group")
    return intro


def test_a_group_starts_a_cycle_from_its_introduction(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, teachers = setup_program(app, person, extra="group_size=3", names=GROUP)
    assert maya.type("pair publish Year 8 Circle").ok
    ana = teachers["Ana Lopez"]
    opened = ana.press_button(button(introduction(messenger, "Ana Lopez"), BUTTON))
    assert opened.ok, replies(opened)
    form = ana.pending_form
    assert form is not None and form.form_id == "study.start"
    assert [i.name for i in form.inputs] == ["name"]

    empty = ana.submit(form, {"name": "  "})
    assert not empty.ok and "short name" in empty.form_errors["name"]
    assert count(app, StudyCycleRow) == 0

    started = ana.submit(form, {"name": "Fractions talk"})
    assert started.ok, replies(started)
    assert "Lesson study #1 Fractions talk has started with" in replies(started)
    (cycle,) = fetch_all(app, StudyCycleRow)
    assert cycle.name == "Fractions talk" and cycle.phase == "plan"
    assert count(app, StudyMemberRow) == 3
    for name in ("Ben Okafor", "Cara Kim"):
        (invite,) = sent(messenger, name, "started a lesson study with you")
        assert "Fractions talk" in words(invite)


def test_only_a_group_gets_the_button_and_only_its_people_may_press_it(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, _ = setup_program(app, person, extra="group_size=3", names=GROUP)
    assert maya.type("pair publish Year 8 Circle").ok
    pressed = button(introduction(messenger, "Ana Lopez"), BUTTON)
    dev = joined(person("Dev Shah"), **TEACHERS["Dev Shah"])
    outsider = dev.press_button(pressed)
    assert "a group you're not in" in replies(outsider) and dev.pending_form is None
    assert count(app, StudyCycleRow) == 0

    forged = dev.press_button(type(pressed)(pressed.label, pressed.action_id, "not-a-number"))
    assert "a group you're not in" in replies(forged) and count(app, StudyCycleRow) == 0


def test_a_mentoring_pair_is_not_offered_a_lesson_study(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, _ = setup_program(app, person, kind="mentoring", extra="", names=GROUP[:2])
    assert maya.type("pair publish Year 8 Circle").ok
    (intro,) = sent(messenger, "Ben Okafor", "Meet your mentor")
    assert BUTTON not in [b.label for b in intro.buttons()]
