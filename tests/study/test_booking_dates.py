"""The dates a booking sets: a lesson booked before the plan was due brings the plan's date forward,
so no phase is ever shown due after the one that follows it."""

from __future__ import annotations

from adapters.console.messenger import ConsoleMessenger
from staffroom.bootstrap import Staffroom
from storage.models.study import StudyCycleRow
from tests.conftest import Person, fetch_all
from tests.observations.helpers import button
from tests.study.helpers import PLAN, START, group, replies, sent


def test_an_early_lesson_brings_the_plan_date_forward(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = group(app, person)
    ana, ben = people["Ana"], people["Ben"]
    started = ana.type(START)
    assert "plan: by Mon 30 Nov" in replies(started)
    ana.press_button(button(started.replies[0], "Share the plan"))
    assert ana.pending_form is not None and ana.submit(ana.pending_form, PLAN).ok
    (told,) = sent(messenger, "Ben Okafor", "shared the plan")
    ben.press_button(button(told, "I'll teach it: book the lesson"))
    form = ben.pending_form
    assert form is not None
    booking = {"date": "2026-11-26", "period": "P3", "class_name": "7B"}
    booking.update({i.name: "table 1" for i in form.inputs[3:]})
    booked = ben.submit(form, booking)
    assert booked.ok, replies(booked)
    assert "plan: by Thu 26 Nov" in replies(booked) and "plan: by Mon 30 Nov" not in replies(booked)
    (cycle,) = fetch_all(app, StudyCycleRow)
    dues = [cycle.plan_due, cycle.teach_due, cycle.debrief_due, cycle.revise_due]
    assert dues == sorted(dues)
