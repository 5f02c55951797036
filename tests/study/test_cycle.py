"""A whole lesson-study cycle at the console, through the real core, a real database and the periodic
job on a controlled clock: four colleagues plan a research lesson, one books and teaches it, three
observe each with their own student group, their notes reach the group (and only the group) at the
debrief, each proposes one revision, and the cycle ends. The coordinator sees phases and dates only."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from adapters.console.messenger import ConsoleMessenger
from staffroom.bootstrap import Staffroom
from storage.models.study import StudyCycleRow, StudyMemberRow, StudyNoteRow
from tests.conftest import Person, fetch_all
from tests.observations.helpers import button
from tests.study.helpers import PLAN, START, group, replies, run_job, sent, words

FOCUS = {"Ana": "table 1 (the quiet pair)", "Cora": "table 3", "Dan": "who explains their thinking"}
NOTES = {
    "Ana": "Both folded first and only spoke once the strips matched",
    "Cora": "Table 3 argued 3/6 was bigger until one folded it",
    "Dan": "Four students explained; most used 'same amount', two said 'half'",
}


def test_a_whole_cycle_with_three_observers(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = group(app, person)
    ana, ben, cora, dan, maya = (people[n] for n in ("Ana", "Ben", "Cora", "Dan", "Maya"))

    # --- start: Ana names the group; the phases are due on school days ---------------------------
    started = ana.type(START)
    assert started.ok, replies(started)
    said = replies(started)
    assert "Lesson study #1 Fractions talk has started with Ben Okafor, Cora Diaz, Dan Wu" in said
    assert "plan: by Mon 30 Nov" in said and "teach and observe: by Mon 07 Dec" in said
    for name in ("Ben Okafor", "Cora Diaz", "Dan Wu"):
        (invite,) = sent(messenger, name, "started a lesson study with you")
        assert "Fractions talk" in words(invite)

    # --- the plan: a bad link is refused with everything kept, then shared ----------------------
    ana.press_button(button(started.replies[0], "Share the plan"))
    form = ana.pending_form
    assert form is not None and form.form_id == "study.plan"
    refused = ana.submit(form, {**PLAN, "link": "the shared drive", "goal": ""})
    assert not refused.ok
    assert set(refused.form_errors) == {"link", "goal"}
    again = refused.replies[0].form
    assert again is not None
    kept = {i.name: i.initial for i in again.inputs}
    assert kept["question"] == PLAN["question"] and kept["link"] == "the shared drive"
    assert fetch_all(app, StudyCycleRow)[0].question == ""
    shared = ana.submit(form, PLAN)
    assert shared.ok, replies(shared)
    (told,) = sent(messenger, "Ben Okafor", "shared the plan")
    assert PLAN["question"] in words(told)

    # --- Ben books the lesson he teaches; a Saturday is refused; each observer gets a focus ---------
    ben.press_button(button(told, "I'll teach it: book the lesson"))
    form = ben.pending_form
    assert form is not None and form.form_id == "study.book"
    labels = [i.label for i in form.inputs]
    assert labels[3:] == ["What Ana Lopez watches", "What Cora Diaz watches", "What Dan Wu watches"]
    booking = {"date": "2026-11-28", "period": "P3", "class_name": "7B"}
    focus_fields = [i.name for i in form.inputs[3:]]
    booking.update(dict(zip(focus_fields, FOCUS.values(), strict=True)))
    saturday = ben.submit(form, booking)
    assert not saturday.ok
    assert "isn't a school day" in saturday.form_errors["date"]
    booked = ben.submit(form, {**booking, "date": "2026-11-26"})
    assert booked.ok, replies(booked)
    assert "Thursday 26 November, P3, class 7B. 3 observers are invited" in replies(booked)
    assert "debrief: by Mon 30 Nov" in replies(booked)
    for first, name in (("Ana", "Ana Lopez"), ("Cora", "Cora Diaz"), ("Dan", "Dan Wu")):
        (invite,) = sent(messenger, name, "You observe, watching")
        assert f"watching: {FOCUS[first]}" in words(invite)
        assert "Watch what the students do" in words(invite)
    assert sent(messenger, "Ben Okafor", "You observe") == []

    # --- notes: not before the lesson, not from the teacher ----------------------------------------
    early = ana.type(f"study note {NOTES['Ana']}")
    assert not early.ok and "post them once you have watched it" in replies(early)
    app.clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    assert "the notes are your colleagues' to write" in replies(ben.type("study note It went well"))
    for first in ("Ana", "Cora"):
        noted = people[first].type(f"study note #1 {NOTES[first]}")
        assert noted.ok and "Only the group sees them" in replies(noted)

    # --- the teach phase nudges the one observer still to write, once ----------------------------
    result = run_job(app, messenger, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    assert result == {"debriefs": 0, "moved": 0, "nudges": 1}
    run_job(app, messenger, datetime(2026, 11, 27, 14, 0, tzinfo=UTC))
    assert len(sent(messenger, "Dan Wu", "Post what you saw")) == 1
    assert sent(messenger, "Ana Lopez", "Post what you saw") == []

    # --- the coordinator sees the phase and dates, never a note -------------------------------------
    listed = replies(maya.type("study list"))
    assert "#1 Fractions talk, 4 teachers: now teach and observe" in listed
    assert "teach and observe on Thu 26 Nov; debrief by Mon 30 Nov" in listed
    shown = replies(maya.type("study show #1"))
    assert "now teach and observe" in shown
    for text in (*NOTES.values(), PLAN["question"], FOCUS["Cora"]):
        assert text not in listed and text not in shown

    # --- the last observer's notes gather the debrief, to the group only ---------------------------
    last = dan.type(f"study note {NOTES['Dan']}")
    assert "the debrief has gone to the group" in replies(last)
    for name in ("Ana Lopez", "Ben Okafor", "Cora Diaz", "Dan Wu"):
        (debrief,) = sent(messenger, name, "The notes from the research lesson")
        read = words(debrief)
        for note in NOTES.values():
            assert note in read
        assert f"Cora Diaz watched {FOCUS['Cora']}" in read
        assert [b.label for b in debrief.buttons()] == ["Propose a revision"]
    everything_maya_got = json.dumps([words(m) for m in sent(messenger, "Maya Patel")])
    assert not any(note in everything_maya_got for note in NOTES.values())
    assert "Notes are for the research lesson" in replies(cora.type("study note One more"))

    # --- one revision each: by button and form, and typed; the last sends them all ------------------
    (debrief,) = sent(messenger, "Ben Okafor", "The notes from the research lesson")
    ben.press_button(button(debrief, "Propose a revision"))
    form = ben.pending_form
    assert form is not None and form.form_id == "study.revise"
    assert not ben.submit(form, {"revision": ""}).ok
    assert ben.submit(form, {"revision": "Pairs talk for a minute before folding"}).ok
    for first, text in (
        ("Ana", "Give the quiet pair a sentence starter"),
        ("Cora", "Start with 3/6"),
    ):
        assert people[first].type(f"study revise #1 {text}").ok
    assert "1 still to come" not in replies(dan.type("study revise Ask 'how do you know?' twice"))
    for name in ("Ana Lopez", "Ben Okafor", "Cora Diaz", "Dan Wu"):
        (revised,) = sent(messenger, name, "The revised lesson for")
        assert "Ben Okafor: Pairs talk for a minute before folding" in words(revised)
        assert "Teaching it again is optional" in words(revised)
    assert "now reteach (optional)" in replies(maya.type("study list"))

    # --- the cycle ends; the rows say what happened --------------------------------------------------
    assert "is finished" in replies(ana.type("study done"))
    (cycle,) = fetch_all(app, StudyCycleRow)
    assert (cycle.phase, str(cycle.lesson_on), cycle.class_name) == ("done", "2026-11-26", "7B")
    assert sorted(n.text for n in fetch_all(app, StudyNoteRow)) == sorted(NOTES.values())
    assert sorted(m.focus for m in fetch_all(app, StudyMemberRow) if m.focus) == sorted(
        FOCUS.values()
    )
    assert "Nothing is open" not in replies(maya.type("study list"))
    assert "now finished" in replies(maya.type("study list"))
