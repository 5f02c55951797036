""" "Did you meet?" once a week a person, covering every pairing they are in (console, real database)."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console.messenger import ConsoleMessenger
from bot.kernel.clock import ManualClock
from bot.kernel.messages import Message
from bot.pairing.scheduled import run_due_pairing_rounds
from staffroom.bootstrap import Staffroom
from storage.models.pairing import PairingRow
from tests.conftest import Person, fetch_all, joined
from tests.e2e.test_pairing_flows import TEACHERS, setup_program

MONDAY_AFTER = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # a week after the rounds were published


def _two_programs(app: Staffroom, person: Person, mentoring_cadence: int) -> dict[str, object]:
    """Ana is in a peer pair with Ben, and mentors Cara in a second program."""
    maya, teachers = setup_program(app, person, names=("Ana Lopez", "Ben Okafor"))
    assert maya.type(f"program create Mentoring kind=mentoring cadence={mentoring_cadence}").ok
    teachers["Cara Kim"] = joined(person("Cara Kim"), **TEACHERS["Cara Kim"])
    assert maya.type('program add Mentoring "Ana Lopez" as mentor').ok
    assert maya.type('program add Mentoring "Cara Kim" as mentee').ok
    assert maya.type("pair publish Year 8 Circle").ok
    assert maya.type("pair publish Mentoring").ok
    return dict(teachers)


def asked(messenger: ConsoleMessenger, user: str) -> list[Message]:
    return [
        d.message
        for d in messenger.delivered
        if d.recipient_user_id == user and "did you manage to meet" in d.message.text
    ]


def run(app: Staffroom, clock: ManualClock, messenger: ConsoleMessenger, at: datetime) -> int:
    clock.set(at)
    sent = run_due_pairing_rounds(app.uow_factory, at).met_checks
    app.worker({messenger.platform: messenger}).drain()
    return sent


def test_a_teacher_in_two_programs_gets_one_did_you_meet_covering_both_pairings(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    teachers = _two_programs(app, person, mentoring_cadence=3)
    # The peer round's halfway has come; the mentoring round's comes on Friday of the same week.
    assert run(app, clock, messenger, MONDAY_AFTER) == 2  # Ana (both pairings) and Ben
    (to_ana,) = asked(messenger, "ana-lopez")
    assert to_ana.text.splitlines() == [
        "Halfway through your pairings: did you manage to meet each of them?",
        "• Ben Okafor (Year 8 Circle, round 1)",
        "• Cara Kim (Mentoring, round 1)",
    ]
    assert [b.label for b in to_ana.buttons()] == ["Yes, we met", "Not yet", "We can't"] * 2
    (to_ben,) = asked(messenger, "ben-okafor")
    assert (
        to_ben.text == "Halfway through round 1 of Year 8 Circle: did you manage to meet Ana Lopez?"
    )
    assert asked(messenger, "cara-kim") == []
    # Friday, after the mentoring round's halfway: Cara is asked; Ana, already asked, is not.
    assert run(app, clock, messenger, datetime(2026, 12, 4, 16, 0, tzinfo=UTC)) == 1
    assert len(asked(messenger, "cara-kim")) == 1 and len(asked(messenger, "ana-lopez")) == 1
    # One press answers one pairing, and the reply offers the other again (Slack and Teams close
    # every button of a pressed message).
    ana = teachers["Ana Lopez"]
    reply = ana.press_button(to_ana.buttons()[0]).replies[0]  # type: ignore[attr-defined]
    assert reply.text == "Great, thanks! Glad you found the time."
    assert "And Cara Kim (Mentoring, round 1)?" in str(reply.blocks)
    assert [b.label for b in reply.buttons()] == ["Yes, we met", "Not yet", "We can't"]
    done = ana.press_button(reply.buttons()[1]).replies[0]  # type: ignore[attr-defined]
    assert done.buttons() == []
    assert sorted(str(p.met_status) for p in fetch_all(app, PairingRow)) == ["met", "not_yet"]


def test_a_pairing_whose_halfway_comes_after_this_weeks_message_is_asked_about_next_week(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    _two_programs(app, person, mentoring_cadence=4)  # its halfway: Monday 7 December
    assert run(app, clock, messenger, MONDAY_AFTER) == 2
    (first,) = asked(messenger, "ana-lopez")
    assert "Ben Okafor" in first.text and "Cara Kim" not in first.text
    assert run(app, clock, messenger, MONDAY_AFTER.replace(hour=15)) == 0  # one a week
    run(app, clock, messenger, datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    later = asked(messenger, "ana-lopez")[1:]
    assert [m.text for m in later] == [
        "Halfway through round 1 of Mentoring: did you manage to meet Cara Kim?"
    ]
