"""Lesson study in a teacher's growth record, through the console's real commands and a real database:
the cycle, what the teacher did in it (taught or observed, how many notes, a revision), its hours,
and never the words of anyone's notes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from staffroom.bootstrap import Staffroom
from tests.conftest import Person
from tests.observations.helpers import button
from tests.study.helpers import PLAN, START, group, replies, run_job, sent

NOTES = (
    "The quiet pair folded first and only spoke once the strips matched",
    "Table 1 said 'half'",
)
REVISION = "Give the quiet pair a sentence starter"


def taught_and_revised(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> dict[str, ConsoleSession]:
    """Ana starts the cycle and observes table 1; Ben books and teaches Thursday's lesson; the notes
    are gathered on Monday, and Ana proposes her revision."""
    people = group(app, person)
    ana, ben = people["Ana"], people["Ben"]
    started = ana.type(START)
    ana.press_button(button(started.replies[0], "Share the plan"))
    assert ana.pending_form is not None and ana.submit(ana.pending_form, PLAN).ok
    (told,) = sent(messenger, "Ben Okafor", "shared the plan")
    ben.press_button(button(told, "I'll teach it: book the lesson"))
    form = ben.pending_form
    assert form is not None
    booking = {"date": "2026-11-26", "period": "P3", "class_name": "7B"}
    booking.update(
        dict(zip([i.name for i in form.inputs[3:]], ("table 1", "table 3", "talk"), strict=True))
    )
    assert ben.submit(form, booking).ok
    app.clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    for note in NOTES:
        assert ana.type(f"study note #1 {note}").ok
    run_job(app, messenger, datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    revised = ana.type(f"study revise #1 {REVISION}")
    assert revised.ok, replies(revised)
    app.clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    return people


def test_the_record_says_what_each_teacher_did_in_the_cycle_never_what_anyone_wrote(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = taught_and_revised(app, person, messenger)

    ana = replies(people["Ana"].type("growth"))
    assert "Lesson study: 1 cycle, 1 with the lesson taught" in ana
    assert (
        "Fractions talk: you observed the research lesson on Thu 26 Nov 2026, watching table 1; "
        "2 notes on what students did; proposed a revision (debrief)" in ana
    )
    assert "Estimated hours: 2.0 h" in ana
    ben = replies(people["Ben"].type("growth"))
    assert "Fractions talk: you taught the research lesson on Thu 26 Nov 2026 (debrief)" in ben
    for record in (ana, ben):
        assert not any(note in record for note in NOTES) and REVISION not in record
        assert PLAN["question"] not in record

    home = replies(people["Cora"].type("home"))
    assert "1 lesson-study cycle" in home and "about 2.0 h" in home


def test_the_files_list_the_cycle_with_its_hours(
    app: Staffroom, person: Person, messenger: ConsoleMessenger, tmp_path
) -> None:
    people = taught_and_revised(app, person, messenger)
    ana = people["Ana"]
    ana.files = tmp_path
    record = ana.type("growth").replies[0]
    page, table = ana.press_button(button(record, "Download (HTML + CSV)")).replies[0].attachments

    assert "<h2>Lesson study</h2>" in page.content
    assert "observed the research lesson on Thu 26 Nov 2026, watching table 1" in page.content
    assert not any(note in page.content for note in NOTES)
    rows = [r for r in csv.DictReader(io.StringIO(table.content)) if r["section"] == "lesson study"]
    assert [(r["item"], r["count"], r["hours"]) for r in rows] == [("Fractions talk", "1", "2.00")]
    assert "2 notes on what students did; proposed a revision; debrief" in rows[0]["detail"]


def test_a_cycle_still_being_planned_counts_no_hours(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = group(app, person)
    assert people["Ana"].type(START).ok
    ana = replies(people["Ana"].type("growth"))
    assert "Fractions talk: you are planning the lesson with the group (plan)" in ana
    assert "Estimated hours: 0.0 h" in ana
