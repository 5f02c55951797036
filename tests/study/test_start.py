"""``study start`` refuses, in words that say what to do, a cycle it cannot start well: no name, nobody
named, names it cannot find, only the starter, a name two people share, someone who has left or is on
a break. Each refusal starts nothing: no row, no invitation."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import console_user_id
from staffroom.bootstrap import Staffroom
from storage.models.members import MemberRow
from storage.models.study import StudyCycleRow, StudyMemberRow
from tests.conftest import Person, count
from tests.study.helpers import START, group, replies, sent


def _refused(app: Staffroom, messenger: ConsoleMessenger, outcome: object) -> str:
    assert not outcome.ok  # type: ignore[attr-defined]
    assert count(app, StudyCycleRow) == 0 and count(app, StudyMemberRow) == 0
    for name in ("Ben Okafor", "Cora Diaz", "Dan Wu"):
        assert sent(messenger, name, "started a lesson study with you") == []
    return replies(outcome)


@pytest.mark.parametrize(
    ("line", "told"),
    [
        ("study start", "What will the group study? Give it a short name."),
        ("study start Fractions talk", "Who is in the group? Name them"),
        ("study start Fractions talk with Ana Lopez", "needs at least one colleague to observe"),
        (
            "study start Fractions talk with Ben Okafor, Zed Nobody and Cora",
            "I couldn't find “Zed Nobody”, “Cora” here. Use the names colleagues have on Staffroom; "
            "nothing was started.",
        ),
    ],
)
def test_a_start_without_a_group_it_can_find_is_refused(
    app: Staffroom, person: Person, messenger: ConsoleMessenger, line: str, told: str
) -> None:
    ana = group(app, person)["Ana"]
    assert told in _refused(app, messenger, ana.type(line))


def test_a_name_two_people_share_is_refused_with_who_is_who(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = group(app, person)["Ana"]
    with Session(app.engine) as session, session.begin():  # the platform calls Dan "Ben Okafor" too
        session.execute(
            update(MemberRow)
            .where(MemberRow.display_name == "Dan Wu")
            .values(display_name="Ben Okafor")
        )
    said = _refused(app, messenger, ana.type(START.replace(" and Dan Wu", "")))
    assert "2 people here are called Ben Okafor" in said
    assert f"user id {console_user_id('Ben Okafor')}" in said
    assert f"user id {console_user_id('Dan Wu')}" in said
    assert "Say which one with their user id" in said

    chosen = ana.type(f"study start Fractions talk with {console_user_id('Dan Wu')}, Cora Diaz")
    assert chosen.ok, replies(chosen)
    assert count(app, StudyMemberRow) == 3


def test_someone_on_a_break_or_gone_is_not_signed_up(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    people = group(app, person)
    assert people["Cora"].type("pause until 2026-12-04").ok
    assert people["Dan"].type("leave").ok
    said = _refused(app, messenger, people["Ana"].type(START))
    assert "Cora Diaz is taking a break until Fri 04 Dec; Dan Wu has left Staffroom." in said
    assert "nothing was started" in said
