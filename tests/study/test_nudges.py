"""The periodic job nudges, once per phase, whoever still owes something in it: on the phase's due date
(the school day after the lesson, for the notes), between 08:00 and 17:00 where the cycle is, never
twice for two copies of the job or a later run, and never someone who has done their part."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.console.messenger import ConsoleMessenger
from staffroom.bootstrap import Staffroom
from storage.models.study import StudyCycleRow
from tests.conftest import Person, fetch_all
from tests.observations.helpers import inbox
from tests.study.helpers import START, group, run_job, share_plan, tally, taught

NOBODY = {"Ana": 0, "Ben": 0, "Cora": 0, "Dan": 0, "Maya": 0}
OBSERVERS = {**NOBODY, "Ana": 1, "Cora": 1, "Dan": 1}
GROUP = {**OBSERVERS, "Ben": 1}


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_the_plan_nudge_goes_once_on_its_due_day_in_the_cycles_own_school_hours(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = group(app, person, timezone="America/New_York")
    assert people["Ana"].type(START).ok  # the plan is due Mon 30 Nov, in New York
    plan_due = "The plan is due today, and the plan isn't shared yet"

    assert run_job(app, messenger, at(11, 27, 15))["nudges"] == 0  # before the due day
    assert run_job(app, messenger, at(11, 30, 12, 45))["nudges"] == 0  # 07:45 in New York
    assert tally(messenger, plan_due) == NOBODY

    assert run_job(app, messenger, at(11, 30, 13))["nudges"] == 4  # 08:00 in New York
    for later in (at(11, 30, 13), at(11, 30, 14), at(12, 1, 15)):
        assert run_job(app, messenger, later)["nudges"] == 0
    assert tally(messenger, plan_due) == GROUP
    assert "(plan, due Mon 30 Nov)" in messenger.delivered[-1].message.blocks[0].text  # type: ignore[attr-defined]
    assert fetch_all(app, StudyCycleRow)[0].nudged == "plan"


def test_once_the_plan_is_shared_its_author_is_not_nudged_and_five_pm_is_too_late(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = group(app, person)
    assert people["Ana"].type(START).ok
    share_plan(people["Ana"])
    not_booked = "the research lesson isn't booked yet"

    assert run_job(app, messenger, at(11, 30, 17))["nudges"] == 0  # due today, but 17:00
    assert run_job(app, messenger, at(11, 30, 23))["nudges"] == 0
    assert run_job(app, messenger, at(12, 1, 8))["nudges"] == 3  # the next morning
    run_job(app, messenger, at(12, 1, 10))
    assert tally(messenger, not_booked) == {**NOBODY, "Ben": 1, "Cora": 1, "Dan": 1}


def test_observers_without_notes_are_nudged_on_the_school_day_after_the_lesson_not_saturday(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = group(app, person)
    taught(people, "2026-11-27")  # a Friday
    app.clock.set(at(11, 27, 12))  # type: ignore[attr-defined]
    assert people["Cora"].type("study note #1 Table 2 folded before talking").ok
    post_notes = "Post what you saw"

    for weekend in (at(11, 27, 16), at(11, 28, 10), at(11, 29, 10), at(11, 30, 7)):
        assert run_job(app, messenger, weekend)["nudges"] == 0
    assert run_job(app, messenger, at(11, 30, 9))["nudges"] == 2
    run_job(app, messenger, at(11, 30, 15))
    assert tally(messenger, post_notes) == {**NOBODY, "Ana": 1, "Dan": 1}
    # The debrief is due Tue 1 Dec: the job gathers the notes in school hours, not in the night.
    assert run_job(app, messenger, at(12, 1, 0, 15))["debriefs"] == 0
    assert run_job(app, messenger, at(12, 1, 8))["debriefs"] == 1


@pytest.mark.postgres  # the job locks the cycle and stores what it nudged, on both databases
def test_the_gathered_notes_are_the_debriefs_one_message(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = group(app, person)
    taught(people)  # Thursday 26 November; the debrief is due Monday 30
    app.clock.set(at(11, 26, 12))  # type: ignore[attr-defined]
    assert people["Ana"].type("study note #1 Both folded first").ok
    run_job(app, messenger, at(11, 27, 9))  # Cora and Dan are asked for their notes

    before = {
        n: len(inbox(messenger, n)) for n in ("Ana Lopez", "Ben Okafor", "Cora Diaz", "Dan Wu")
    }
    assert run_job(app, messenger, at(11, 30, 9)) == {"debriefs": 1, "moved": 0, "nudges": 0}
    assert {n: len(inbox(messenger, n)) - k for n, k in before.items()} == dict.fromkeys(before, 1)
    for later in (at(11, 30, 14), at(12, 1, 9), at(12, 1, 14)):
        assert run_job(app, messenger, later)["nudges"] == 0
    assert tally(messenger, "The notes from the research lesson") == GROUP
    assert tally(messenger, "The debrief is due today") == NOBODY
    (cycle,) = fetch_all(app, StudyCycleRow)
    assert cycle.phase == "revise" and cycle.nudged.split(",") == ["teach", "debrief"]


def test_debrief_revise_and_reteach_each_nudge_who_still_owes_once(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = group(app, person)
    taught(people)
    app.clock.set(at(11, 26, 12))  # type: ignore[attr-defined]
    for first in ("Ana", "Cora", "Dan"):  # the last note sends the debrief at once
        assert people[first].type(f"study note #1 What {first} saw").ok
    assert people["Ben"].type("study revise #1 Pairs talk before folding").ok

    # The debrief is due Mon 30: Ben, who has proposed his revision already, has done his part.
    assert run_job(app, messenger, at(11, 30, 9))["nudges"] == 3
    assert run_job(app, messenger, at(12, 1, 9)) == {"debriefs": 0, "moved": 1, "nudges": 0}
    assert tally(messenger, "The debrief is due today") == OBSERVERS

    # Revisions are due Thu 3 Dec: Ana has sent hers, Dan is on a break; Cora is nudged.
    app.clock.set(at(12, 2, 10))  # type: ignore[attr-defined]
    assert people["Ana"].type("study revise #1 A sentence starter for the quiet pair").ok
    assert people["Dan"].type("pause").ok
    assert run_job(app, messenger, at(12, 3, 9))["nudges"] == 1
    run_job(app, messenger, at(12, 3, 15))
    assert tally(messenger, "Revisions are due today") == {**NOBODY, "Cora": 1}

    # The revised lesson goes the next morning, not in the night; the reteach is due Thu 17 Dec.
    assert run_job(app, messenger, at(12, 4, 0, 15))["moved"] == 0
    assert run_job(app, messenger, at(12, 4, 8))["moved"] == 1
    assert tally(messenger, "The revised lesson for") == GROUP
    assert run_job(app, messenger, at(12, 16, 9))["nudges"] == 0
    assert run_job(app, messenger, at(12, 17, 9))["nudges"] == 1
    run_job(app, messenger, at(12, 17, 16))
    assert tally(messenger, "The reteach is optional and due today") == {**NOBODY, "Ana": 1}
    assert run_job(app, messenger, at(12, 18, 9)) == {"debriefs": 0, "moved": 1, "nudges": 0}
    assert fetch_all(app, StudyCycleRow)[0].phase == "done"
