"""What anyone can type or paste is data: control characters never reach storage, and an enormous paste
is refused before it is parsed (parsing and suggesting a verb for a megabyte took seconds of CPU while
the database waited)."""

from __future__ import annotations

from pathlib import Path

import pytest

from staffroom.bootstrap import Staffroom
from storage.models.members import MemberRow
from tests.conftest import Person, fetch_all, joined
from tests.observations.helpers import coordinator

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


def test_a_nul_in_a_roster_file_at_the_terminal_is_dropped_not_a_crash(
    app: Staffroom, person: Person, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from staffroom.cli import _roster_import

    maya = coordinator(app, person)
    assert maya.type("program create PLC kind=peer").ok
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,email,subjects,grades,years,timezone,role\n"
        "Ben\x00 Okafor,ben@x.example,Eng\x00lish,6-8,14,America/Chicago,peer\n"
    )
    assert _roster_import(app, "console:local", roster, "PLC", False) == 0, capsys.readouterr()
    (ben,) = fetch_all(app, MemberRow, MemberRow.email == "ben@x.example")
    assert (ben.display_name, ben.subjects) == ("Ben Okafor", ["English"])
