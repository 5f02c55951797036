"""A program's own questions, asked in the check-in and answered in place (console, real database)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Role
from bot.kernel.messages import Button, Message
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.checkins import CheckinAnswerRow, CheckinRow, SupportRequestRow
from storage.models.programs import ProgramRow
from tests.checkins.helpers import deliver, outbox, plan, setup_program, user_id
from tests.conftest import Person, count, fetch_all, joined

DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # Tuesday 15:30 in London
QUESTIONS = (
    'program set PLC questions="What did you try this week? | '
    "Which routine helped most? [choice: entry, exit, transitions] | "
    'How manageable was your workload? [scale]"'
)


def last_to(messenger: ConsoleMessenger, name: str) -> Message:
    return [d for d in messenger.delivered if d.recipient_user_id == user_id(name)][-1].message


def button(buttons: list[Button], label: str) -> Button:
    return next(b for b in buttons if b.label.startswith(label))


def test_a_coordinator_sets_questions_of_each_kind_and_a_typo_changes_nothing(
    app: Staffroom, person: Person
) -> None:
    cora = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    refused = cora.type('program set PLC questions="Fine? | Which? [choice: only one]"')
    assert not refused.ok
    assert "needs 2 to 6 choices" in refused.replies[0].text
    refused = cora.type('program set PLC questions="Fine? [scal]"')
    assert "end it with [scale] or [choice: a, b, c]" in refused.replies[0].text
    (program,) = fetch_all(app, ProgramRow)
    assert program.questions == ["What is one thing that went well this week?"]
    assert cora.type(QUESTIONS).ok
    shown = cora.type("program show PLC").replies[0]
    text = str(shown.blocks)
    assert "What did you try this week? (short text)" in text
    assert "Which routine helped most? (choose: entry / exit / transitions)" in text
    assert "How manageable was your workload? (1-5)" in text
    (program,) = fetch_all(app, ProgramRow)
    assert program.questions[1] == "Which routine helped most? [choice: entry, exit, transitions]"


def test_a_teacher_answers_every_question_in_place_in_two_interactions(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    cora = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    cora.type(QUESTIONS)
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    ana = person("Ana Lopez")
    message = last_to(messenger, "Ana Lopez")
    # 1: the button on the check-in opens every question at once.
    ana.press_button(button(message.buttons(), "Answer this week's questions"))
    form = ana.pending_form
    assert form is not None
    assert [i.label for i in form.inputs] == [
        "How confident do you feel about “Ask more open questions” this week?",
        "What did you try this week?",
        "Which routine helped most?",
        "How manageable was your workload?",
    ]
    assert [o.value for o in form.inputs[2].options] == ["entry", "exit", "transitions"]
    # A wrong choice comes back with what was typed kept, and nothing is stored.
    bad = ana.submit(form, {"confidence": "4", "q1": "Wait time", "q2": "lunch", "q3": "9"})
    assert not bad.ok
    assert bad.form_errors == {
        "q2": "pick one of: entry, exit, transitions",
        "q3": "pick a number from 1 to 5",
    }
    assert ana.pending_form is not None
    assert {i.name: i.initial for i in ana.pending_form.inputs}["q1"] == "Wait time"
    assert count(app, CheckinAnswerRow) == 0
    # 2: one submission keeps them all.
    saved = ana.submit(form, {"confidence": "4", "q1": "Wait time", "q2": "exit", "q3": "3"})
    assert saved.ok
    assert saved.replies[0].text.startswith(
        "Saved: 4/5 on “Ask more open questions” and 3 answers."
    )
    rows = fetch_all(app, CheckinAnswerRow)
    assert [(r.position, r.kind, r.value) for r in rows] == [
        (1, "text", "Wait time"),
        (2, "choice", "exit"),
        (3, "scale", "3"),
    ]
    (checkin,) = fetch_all(app, CheckinRow)
    assert (checkin.status, checkin.confidence, checkin.goal) == (
        "answered",
        4,
        "Ask more open questions",
    )
    # Her own history shows her answers and dates, never an ISO week.
    history = ana.type("checkin history").replies[0].text
    assert "week of 23 Nov · PLC: 4/5" in history
    assert "Which routine helped most? exit" in history
    assert "“Ask more open questions”: 4" in history and "2026-W" not in history
    # Someone else cannot open or answer her check-in.
    ben = joined(person("Ben Okafor"))
    refused = ben.press_button(button(message.buttons(), "Answer this week's questions"))
    assert "isn't one of yours" in refused.replies[0].text
    refused = ben.submit(form, {"q1": "mine now"})
    assert not refused.ok and count(app, CheckinAnswerRow) == 3


def _five_answer(app: Staffroom, person: Person, clock: ManualClock) -> ConsoleSession:
    names = {f"Teacher {n}": "Europe/London" for n in "ABCDEF"}
    cora = setup_program(app, person, teachers=names)
    cora.type(QUESTIONS)
    clock.set(DUE)
    plan(app)
    for i, name in enumerate(list(names)[:5]):
        who = person(name)
        who.type("checkin")
        who.press_button(button(who.buttons, "Answer this week's questions"))
        assert who.pending_form is not None
        values = {"q1": f"private words {i}", "q2": "exit" if i < 3 else "entry", "q3": "4"}
        assert who.submit(who.pending_form, values).ok
    return cora


def test_coordinators_see_counts_and_the_spread_from_five_people_never_text(
    app: Staffroom, person: Person, clock: ManualClock
) -> None:
    cora = _five_answer(app, person, clock)
    clock.set(DUE + timedelta(days=7))  # the week is over
    stats = cora.type("checkins PLC").replies[0].text
    assert "“What did you try this week?”: 5 answers\n" in stats
    assert "“Which routine helped most?”: 5 answers (exit: 3, entry: 2)" in stats
    assert "“How manageable was your workload?”: 5 answers (4: 5)" in stats
    assert "private words" not in stats


def test_a_closed_weeks_question_figures_do_not_move_when_a_late_answer_or_a_forget_me_arrives(
    app: Staffroom, person: Person, clock: ManualClock
) -> None:
    """Two reads either side of one teacher's late answer would otherwise give that answer away."""
    cora = _five_answer(app, person, clock)
    clock.set(DUE + timedelta(days=7))  # the week is over: the first read freezes it
    digest = str(cora.type("digest PLC").replies[0].blocks)
    assert "“Which routine helped most?”: 5 answers (exit: 3, entry: 2)" in digest
    assert "private words" not in digest
    before = cora.type("checkins PLC").replies[0].text
    # Teacher F answers last week's check-in late, and Teacher A has their answers forgotten.
    late = person("Teacher F")
    late.type("checkin")
    late.press_button(button(late.buttons, "Answer this week's questions"))
    assert late.pending_form is not None
    assert late.submit(late.pending_form, {"q2": "entry", "q3": "1"}).ok
    first = person("Teacher A")
    first.type("forget-me")
    first.press(1)
    assert count(app, CheckinAnswerRow) == 4 * 3 + 2  # A's went, F's 2 came
    after = cora.type("checkins PLC").replies[0].text
    assert after == before
    again = str(cora.type("digest PLC").replies[0].blocks)
    assert "“Which routine helped most?”: 5 answers (exit: 3, entry: 2)" in again
    assert "“How manageable was your workload?”: 5 answers (4: 5)" in again


def _ana_answers(
    app: Staffroom, person: Person, clock: ManualClock, values: dict[str, str]
) -> tuple[ConsoleSession, ConsoleSession]:
    """The coordinator and Ana, the program's one teacher, once she has answered this week's questions."""
    cora = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    cora.type(QUESTIONS)
    clock.set(DUE)
    plan(app)
    ana = person("Ana Lopez")
    ana.type("checkin")
    ana.press_button(button(ana.buttons, "Answer this week's questions"))
    assert ana.pending_form is not None
    assert ana.submit(ana.pending_form, values).ok
    return cora, ana


def test_under_five_people_the_answers_are_withheld(
    app: Staffroom, person: Person, clock: ManualClock
) -> None:
    cora, _ = _ana_answers(app, person, clock, {"q2": "exit"})
    clock.set(DUE + timedelta(days=7))
    stats = cora.type("checkins PLC").replies[0].text
    assert "“Which routine helped most?”: answers withheld (fewer than 5 people)" in stats
    assert "exit" not in stats


def test_answers_are_exported_and_forgotten(
    app: Staffroom, person: Person, clock: ManualClock
) -> None:
    _, ana = _ana_answers(app, person, clock, {"q1": "Cold calling, kindly", "q2": "entry"})
    ana.type("export-my-data")
    (attachment,) = ana.press(1).replies[0].attachments
    (exported,) = json.loads(attachment.content)["checkins"]
    assert exported["answers"] == [
        {
            "question": "What did you try this week?",
            "kind": "text",
            "answer": "Cold calling, kindly",
        },
        {"question": "Which routine helped most?", "kind": "choice", "answer": "entry"},
    ]
    ana.type("forget-me")
    ana.press(1)
    assert count(app, CheckinAnswerRow) == 0
    assert count(app, CheckinRow) == 1  # a status and no words: the anonymous count stays


def _mentoring(app: Staffroom, person: Person) -> ConsoleSession:
    cora = joined(person("Cora Coordinator"))
    grant_role(app, "console:local", "Cora Coordinator", Role.COORDINATOR)
    assert cora.type("program create Mentoring kind=mentoring day=tue time=15:30").ok
    joined(person("Sam Lee"), years_experience="12", goals="", strengths="questioning")
    joined(person("Tom Ward"), years_experience="1")
    assert cora.type('program add Mentoring "Sam Lee" as mentor').ok
    assert cora.type('program add Mentoring "Tom Ward" as mentee').ok
    assert cora.type("pair publish Mentoring").ok
    return cora


def test_a_mentor_gets_a_mentor_check_in_the_coordinator_can_edit(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    cora = _mentoring(app, person)
    refused = cora.type('program set Mentoring mentor_questions="[scale]"')
    assert not refused.ok and "needs words before its [kind]" in refused.replies[0].text
    assert cora.type(
        'program set Mentoring mentor_questions="Anything {mentee} needs from you? | '
        'How is mentoring going? [scale]"'
    ).ok
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    to_sam = last_to(messenger, "Sam Lee")
    assert to_sam.text.splitlines()[1] == "Did you and Tom talk this week?"
    assert "How confident" not in to_sam.text
    assert [b.label for b in to_sam.buttons()][:2] == ["Yes, we talked", "Not yet"]
    to_tom = last_to(messenger, "Tom Ward")
    assert "How confident do you feel about" in to_tom.text
    sam = person("Sam Lee")
    sam.press_button(button(to_sam.buttons(), "Yes, we talked"))
    sam.press_button(button(sam.buttons, "Answer this week's questions"))
    assert sam.pending_form is not None
    assert [i.label for i in sam.pending_form.inputs] == [
        "Anything Tom needs from you?",
        "How is mentoring going?",
    ]
    assert sam.submit(sam.pending_form, {"q1": "A seating plan template", "q2": "4"}).ok
    rows = fetch_all(app, CheckinAnswerRow)
    assert [(r.position, r.question, r.value) for r in rows] == [
        (0, "Did you and your mentee talk this week?", "yes"),
        (1, "Anything Tom needs from you?", "A seating plan template"),
        (2, "How is mentoring going?", "4"),
    ]
    # Counted by the question as Cora wrote it: every mentor's answers add up to one figure.
    assert rows[1].template == "Anything {mentee} needs from you?"


def test_a_teacher_in_two_programs_gets_one_check_in_a_week_asking_both(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    cora = setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London"}, settings="day=wed time=15:30"
    )
    cora.type('program set PLC questions="What did the PLC help with?"')
    assert cora.type("program create Coaching kind=peer day=tue time=09:00").ok
    assert cora.type(
        'program set Coaching questions="One thing to coach next? [choice: pace, questions]"'
    ).ok
    assert cora.type('program add Coaching "Ana Lopez" as peer').ok
    for day in range(2):  # Tuesday and Wednesday (Thursday would bring the one reminder)
        for hour in range(0, 24, 1):
            clock.set(datetime(2026, 11, 24, tzinfo=UTC) + timedelta(days=day, hours=hour))
            plan(app)
    deliver(app, messenger)
    to_ana = [d.message for d in messenger.delivered if d.recipient_user_id == user_id("Ana Lopez")]
    assert len(to_ana) == 1
    assert "Coaching check-in" in to_ana[0].text  # the earliest schedule: Tuesday 09:00
    assert len(outbox(app, "checkin:")) == 1
    ana = person("Ana Lopez")
    ana.press_button(button(to_ana[0].buttons(), "Answer this week's questions"))
    assert ana.pending_form is not None
    assert [i.label for i in ana.pending_form.inputs][1:] == [
        "One thing to coach next?",
        "What did the PLC help with?",
    ]
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    plan(app)
    assert len(outbox(app, "checkin:")) == 2  # next week: one again


def test_support_reaches_exactly_whom_the_teacher_chose_and_the_digest_counts_it(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    cora = _mentoring(app, person)
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    before = len(messenger.delivered)
    tom = person("Tom Ward")
    tom.press_button(button(last_to(messenger, "Tom Ward").buttons(), "I'd like some support"))
    assert [b.label for b in tom.buttons] == ["My mentor, Sam", "The coordinator", "Both"]
    tom.press_button(button(tom.buttons, "My mentor"))
    assert tom.shown[-1] == "Sent. Only your mentor Sam Lee will hear that you'd like some support."
    deliver(app, messenger)
    told = [d.recipient_user_id for d in messenger.delivered[before:]]
    assert told == [user_id("Sam Lee")]
    assert "Tom Ward would like some support" in messenger.delivered[-1].message.text
    tom.type("support")
    tom.press_button(button(tom.buttons, "The coordinator"))
    deliver(app, messenger)
    told = [d.recipient_user_id for d in messenger.delivered[before:]]
    assert told == [user_id("Sam Lee"), user_id("Cora Coordinator")]
    rows = fetch_all(app, SupportRequestRow)
    assert [(r.to_mentor, r.to_coordinator) for r in rows] == [(True, False), (False, True)]
    clock.set(DUE + timedelta(days=6))
    digest = cora.type("digest Mentoring").replies[0]
    assert "2 requests for support this week, sent by teachers to whom they chose" in str(
        digest.blocks
    )


def test_a_peer_in_a_group_gets_a_group_check_in_asking_whether_the_group_met(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    names = {
        "Ana Lopez": "Europe/London",
        "Ben Okafor": "Europe/London",
        "Cy Diaz": "Europe/London",
    }
    cora = setup_program(app, person, teachers=names)
    assert cora.type("program set PLC group_size=3").ok
    assert cora.type('program set PLC questions="What will you bring to {group} next time?"').ok
    assert cora.type("pair publish PLC").ok
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    to_ana = last_to(messenger, "Ana Lopez")
    assert "Your group: Ben and Cy." in to_ana.text
    assert len(to_ana.text.splitlines()) <= 3
    ana = person("Ana Lopez")
    ana.press_button(button(to_ana.buttons(), "Answer this week's questions"))
    assert ana.pending_form is not None
    assert [i.label for i in ana.pending_form.inputs] == [
        "How confident do you feel about “Ask more open questions” this week?",
        "Did your group (Ben and Cy) get together this week?",
        "What will you bring to Ben and Cy next time?",
    ]
    assert [o.value for o in ana.pending_form.inputs[1].options] == ["yes", "not yet"]
    assert ana.submit(ana.pending_form, {"q1": "yes", "q2": "A hinge question"}).ok
    rows = fetch_all(app, CheckinAnswerRow)
    assert [(r.question, r.template, r.value) for r in rows] == [
        (
            "Did your group (Ben and Cy) get together this week?",
            "Did your group get together this week?",
            "yes",
        ),
        (
            "What will you bring to Ben and Cy next time?",
            "What will you bring to {group} next time?",
            "A hinge question",
        ),
    ]
    # Before any group is published, a peer is asked only the program's questions.
    cora.type("program create Solo kind=peer day=tue time=15:30")
    cora.type('program set Solo questions="What will you bring to {group} next time?"')
    joined(person("Dee Ray"))
    cora.type('program add Solo "Dee Ray" as peer')
    clock.set(DUE + timedelta(days=7))
    plan(app)
    dee = person("Dee Ray")
    dee.type("checkin")
    shown = "\n".join(dee.shown)  # type: ignore[attr-defined]
    assert "How confident do you feel" in shown and "Your group" not in shown
    dee.press_button(button(dee.buttons, "Answer this week's questions"))
    assert dee.pending_form is not None
    assert [i.label for i in dee.pending_form.inputs][1:] == [
        "What will you bring to your group next time?"
    ]


def test_the_starred_focus_goal_is_what_the_check_in_and_the_observation_form_ask_about(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    ana = person("Ana Lopez")
    ana.type("goals add Use more hinge questions")
    ana.type("goals")
    ana.press_button(button(ana.buttons, "Focus on 2"))
    form = ana.type("observe").replies[0].form
    assert form is not None
    (focus,) = [i for i in form.inputs if i.name == "focus"]
    assert focus.options[0].label == "My focus goal: Use more hinge questions"
    assert focus.initial == focus.options[0].value
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    message = last_to(messenger, "Ana Lopez")
    assert "How confident do you feel about “Use more hinge questions” this week?" in message.text
    ana.press_button(button(message.buttons(), "4"))
    (row,) = fetch_all(app, CheckinRow)
    assert (row.confidence, row.goal) == (4, "Use more hinge questions")
