"""export-my-data gives a teacher their own lesson-study notes and revision, nobody else's; forget-me
takes a member's notes, revision and place out of their cycles (and out of the debriefs already sent),
and the rest of the group carries on to the end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from staffroom.bootstrap import Staffroom
from storage.models.kernel import OutboxRow
from storage.models.study import StudyCycleRow, StudyMemberRow, StudyNoteRow
from tests.conftest import Person, fetch_all
from tests.observations.helpers import button
from tests.study.helpers import group, replies, run_job, sent, taught, words

NOTES = {
    "Ana": "The quiet pair folded first",
    "Cora": "Table 3 argued",
    "Dan": "Four explained aloud",
}
REVISIONS = {"Ben": "Pairs talk for a minute before folding", "Dan": "Ask how do you know twice"}


def _debriefed(app: Staffroom, person: Person) -> dict[str, ConsoleSession]:
    people = group(app, person)
    taught(people)
    app.clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    for first, note in NOTES.items():
        assert people[first].type(f"study note #1 {note}").ok
    for first, revision in REVISIONS.items():
        assert people[first].type(f"study revise #1 {revision}").ok
    return people


def _export(session: ConsoleSession) -> dict[str, Any]:
    exported = session.press_button(
        button(session.type("export-my-data").replies[0], "Yes, export my data")
    )
    data: dict[str, Any] = json.loads(exported.replies[0].attachments[0].content)
    return data


def _forget(session: ConsoleSession) -> None:
    assert session.press_button(
        button(session.type("forget-me").replies[0], "Yes, erase my data")
    ).ok


def test_the_export_has_my_notes_and_revision_and_nobody_elses(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = _debriefed(app, person)
    dan = _export(people["Dan"])
    (study,) = dan["lesson_studies"]
    assert study == {
        "name": "Fractions talk",
        "phase": "debrief",
        "role": "observer",
        "you_watched": "table 3",
        "lesson_on": "2026-11-26",
        "your_notes": [NOTES["Dan"]],
        "your_revision": REVISIONS["Dan"],
    }
    (ben,) = _export(people["Ben"])["lesson_studies"]
    assert (ben["role"], ben["your_notes"], ben["your_revision"]) == (
        "teacher",
        [],
        REVISIONS["Ben"],
    )
    everything = json.dumps(dan) + json.dumps(_export(people["Cora"]))
    assert REVISIONS["Ben"] not in json.dumps(dan)
    assert NOTES["Ana"] not in everything and NOTES["Cora"] in everything
    assert _export(people["Maya"])["lesson_studies"] == []


def test_forgetting_an_observer_and_then_the_starter_leaves_a_group_that_works(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = _debriefed(app, person)
    _forget(people["Dan"])
    assert sorted(n.text for n in fetch_all(app, StudyNoteRow)) == sorted(
        [NOTES["Ana"], NOTES["Cora"]]
    )
    assert len(fetch_all(app, StudyMemberRow)) == 3
    sent_to_others = json.dumps([r.payload for r in fetch_all(app, OutboxRow)])
    assert NOTES["Dan"] not in sent_to_others and REVISIONS["Dan"] not in sent_to_others
    shown = replies(people["Ana"].type("study show #1"))
    assert NOTES["Cora"] in shown and NOTES["Dan"] not in shown and "Dan Wu" not in shown

    # The others' revisions complete the cycle without waiting for Dan's.
    assert people["Ana"].type("study revise #1 A sentence starter for the quiet pair").ok
    assert "Every revision for Fractions talk is in" in replies(
        people["Cora"].type("study revise #1 Start with 3/6")
    )
    for name in ("Ana Lopez", "Ben Okafor", "Cora Diaz"):
        (revised,) = sent(messenger, name, "The revised lesson for")
        assert REVISIONS["Ben"] in words(revised) and REVISIONS["Dan"] not in words(revised)

    # With the starter gone too, the reteach's one nudge goes to whoever taught it.
    _forget(people["Ana"])
    assert fetch_all(app, StudyCycleRow)[0].starter_id is None
    assert run_job(app, messenger, datetime(2026, 12, 17, 9, 0, tzinfo=UTC))["nudges"] == 1
    assert len(sent(messenger, "Ben Okafor", "The reteach is optional and due today")) == 1
    assert "is finished" in replies(people["Cora"].type("study done #1"))
