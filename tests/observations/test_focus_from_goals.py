"""The request form offers the teacher's own goals first (the focus goal on top), then the program's
focus areas, then their own words; a goal chosen is the focus in the teacher's words."""

from __future__ import annotations

from adapters.console.messenger import ConsoleMessenger
from bot.kernel.messages import Form, Input, unsaid
from staffroom.bootstrap import Staffroom
from storage.models.observations import ObservationRequestRow
from tests.conftest import Person, fetch_all
from tests.observations.helpers import reply_text, teacher

LESSON = {"date": "thu", "start": "10:15", "end": "11:00"}


def _focus(form: Form) -> Input:
    (focus,) = [i for i in form.inputs if i.name == "focus"]
    return focus


def _form(session: object) -> Form:
    form = session.type("observe").replies[0].form  # type: ignore[attr-defined]
    assert form is not None
    return form


def test_the_form_offers_goals_first_with_the_focus_goal_on_top(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    ana.type("goals clear")
    for goal in ("Engage the quiet students", "Use more hinge questions", "Calmer transitions"):
        assert ana.type(f"goals add {goal}").ok
    ana.type("goals")
    (focus_2,) = [b for b in ana.buttons if b.label == "Focus on 2"]
    ana.press_button(focus_2)  # the hinge questions are the focus now

    focus = _focus(_form(ana))
    labels = [unsaid(o.label) for o in focus.options]
    assert labels == [
        "My focus goal: Use more hinge questions",
        "My goal: Engage the quiet students",
        "My goal: Calmer transitions",
        "Questioning",
        "Classroom management",
        "Differentiation",
        "Engagement",
        "Assessment for learning",
        "Something else",
    ]
    assert focus.initial == focus.options[0].value

    # The focus goal, as it is, without choosing anything.
    draft = ana.submit(_form(ana), {**LESSON, "focus": str(focus.initial)})
    assert draft.ok, draft.form_errors
    assert "Use more hinge questions" in reply_text(draft)
    # Another goal: kept in the teacher's words, not folded into the "engagement" it resembles.
    draft = ana.submit(_form(ana), {**LESSON, "focus": focus.options[1].value})
    assert draft.ok, draft.form_errors
    rows = sorted(fetch_all(app, ObservationRequestRow), key=lambda r: r.id)
    assert [(r.focus, r.status) for r in rows] == [
        ("Use more hinge questions", "cancelled"),  # the first draft, replaced
        ("Engage the quiet students", "draft"),
    ]
    # The program's list and free text still work.
    draft = ana.submit(_form(ana), {**LESSON, "focus": "differentiation"})
    assert fetch_all(app, ObservationRequestRow)[-1].focus == "differentiation"
    draft = ana.submit(
        _form(ana), {**LESSON, "focus": "other", "focus_other": "Plenary that checks learning"}
    )
    assert draft.ok
    assert fetch_all(app, ObservationRequestRow)[-1].focus == "Plenary that checks learning"


def test_a_goal_removed_since_the_form_opened_is_asked_again(
    app: Staffroom, person: Person
) -> None:
    ana = teacher(person, "Ana Lopez")
    ana.type("goals clear")
    ana.type("goals add Use more hinge questions")
    ana.type("goals add Calmer transitions")
    form = _form(ana)
    second = _focus(form).options[1].value
    ana.type("goals remove 2")
    refused = ana.submit(form, {**LESSON, "focus": second})
    assert "no longer on your list" in refused.form_errors["focus"], refused
    assert fetch_all(app, ObservationRequestRow) == []


def test_without_goals_the_program_list_comes_first(app: Staffroom, person: Person) -> None:
    ana = teacher(person, "Ana Lopez")
    ana.type("goals clear")
    focus = _focus(_form(ana))
    assert [o.value for o in focus.options][:2] == ["questioning", "classroom management"]
    assert focus.initial is None


def test_a_long_goal_is_cut_at_a_word_to_fit_a_focus(app: Staffroom, person: Person) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Ben Okafor", free="thu 10:00-11:30")
    ana.type("goals clear")
    long_goal = "Plan " + " ".join(f"step{i}" for i in range(27))  # about 180 characters
    assert ana.type(f"goals add {long_goal}").ok
    draft = ana.submit(_form(ana), {**LESSON, "focus": "goal:1"})
    assert draft.ok, draft.form_errors
    stored = fetch_all(app, ObservationRequestRow)[-1].focus
    assert len(stored) <= 120 and stored.endswith("…")
    assert long_goal.startswith(stored[:-1]) and stored[-2].isdigit()
