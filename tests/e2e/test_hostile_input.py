"""What anyone can type or paste is data: control characters never reach storage, and an enormous paste
is refused before it is parsed (parsing and suggesting a verb for a megabyte took seconds of CPU while
the database waited)."""

from __future__ import annotations

import pytest

from staffroom.bootstrap import Staffroom
from storage.models.members import MemberRow
from tests.conftest import Person, fetch_all, joined

pytestmark = (
    pytest.mark.postgres
)  # PostgreSQL enforces column lengths and encodings SQLite does not


def test_a_nul_in_a_goal_is_dropped_not_a_crash(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    outcome = ana.type("goals add Ask\x00 better\x07 questions")
    assert outcome.ok, outcome.replies
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == "Ana Lopez")
    assert row.goals[-1] == "Ask better questions"


def test_a_huge_paste_is_refused_at_once_and_changes_nothing(
    app: Staffroom, person: Person
) -> None:
    ana = joined(person("Ana Lopez"))
    (before,) = fetch_all(app, MemberRow, MemberRow.display_name == "Ana Lopez")
    outcome = ana.type("goals add " + "x" * 1_000_000)
    assert not outcome.ok
    assert "longer than any command (1,000,010 characters" in outcome.replies[0].text
    (after,) = fetch_all(app, MemberRow, MemberRow.display_name == "Ana Lopez")
    assert after.goals == before.goals
