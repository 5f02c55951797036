"""Two mentees press *Find someone now* at the same moment: the one mentor with one place left gets one
of them, never both. Run on SQLite and on PostgreSQL, each press in its own thread and transaction."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.dispatch import Outcome
from bot.kernel.domain import Role
from bot.pairing import rematch
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.members import MemberRow
from storage.models.pairing import PairingMemberRow, PairingRow
from tests.conftest import Person, fetch_all, joined

MENTORS = {"Mo Mentor": 2, "Lee Mentor": 1, "Kit Mentor": 1}
MENTEES = ("Ann Mentee", "Xan Mentee", "Yas Mentee")


def _both_read_before_either_writes(monkeypatch: pytest.MonkeyPatch) -> threading.Barrier:
    """Make the race certain: each press waits, after reading who is free and before pairing, for
    the other to get there too. Holding the round, the second press is still waiting for the first
    to commit, so the first gives up waiting (the barrier breaks) and goes on alone."""
    barrier = threading.Barrier(2, timeout=2.0)
    weights = rematch.weights_from_settings

    def waiting(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return weights(*args, **kwargs)

    monkeypatch.setattr(rematch, "weights_from_settings", waiting)
    return barrier


def test_two_presses_at_once_never_give_a_mentor_more_mentees_than_places(
    app: Staffroom, person: Person, messenger: ConsoleMessenger, monkeypatch: pytest.MonkeyPatch
) -> None:
    maya = joined(person("Maya Patel"))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    assert maya.type("program create Circle kind=mentoring").ok
    for name, places in MENTORS.items():
        joined(person(name), years_experience="12").type("join Circle")
        assert maya.type(f'program add Circle "{name}" as mentor capacity={places}').ok
    mentees = {name: joined(person(name), years_experience="1") for name in MENTEES}
    for session in mentees.values():
        assert session.type("join Circle").ok
    for mentor, mentee in zip(MENTORS, MENTEES, strict=True):
        assert maya.type(f"pair pin Circle {mentor} with {mentee}").ok, maya.shown  # type: ignore[attr-defined]
    assert maya.type("pair publish Circle").ok
    # Xan's and Yas's mentors step away: each is told, with a button to be paired now. Mo, with
    # one of his two places taken by Ann, is the only mentor left with room.
    for mentor in ("Lee Mentor", "Kit Mentor"):
        assert person(mentor).type("leave").ok
    app.worker({messenger.platform: messenger}).drain()
    buttons = {}
    for name in ("Xan Mentee", "Yas Mentee"):
        (told,) = [
            d.message
            for d in messenger.delivered
            if d.recipient_user_id == name.lower().replace(" ", "-")
            and "stepped away" in d.message.text
        ]
        (buttons[name],) = told.buttons()
    barrier = _both_read_before_either_writes(monkeypatch)

    def press(name: str) -> Outcome:
        session = ConsoleSession(app.bot, name, timezone="Europe/London", write=lambda _s: None)
        return session.press_button(buttons[name])

    with ThreadPoolExecutor(2) as pool:
        outcomes = dict(zip(buttons, pool.map(press, buttons), strict=True))
    replies = sorted(o.replies[0].text for o in outcomes.values())
    assert replies[0].startswith("Done: you're now paired with Mo Mentor for round 1 of Circle")
    assert replies[1].startswith("Nobody else is free in this round just now.")
    (mo,) = [m.id for m in fetch_all(app, MemberRow) if m.display_name == "Mo Mentor"]
    pairings_of_mo = [p.pairing_id for p in fetch_all(app, PairingMemberRow) if p.member_id == mo]
    assert len(pairings_of_mo) == MENTORS["Mo Mentor"]  # Ann, and one of Xan and Yas
    assert len(fetch_all(app, PairingRow)) == 4
    assert barrier.broken  # the second press waited for the first: they never both read at once
