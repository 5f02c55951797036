"""A school trying Staffroom by hand: ``staffroom chat`` in a real pseudo-terminal.

The installed command runs as a person would run it, with a terminal, readline and the inbox
watcher; the test types, waits for what a person would read, and presses buttons by the numbers
printed. Everything happens on a manual clock moved with ``/tick``.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

from tests.e2e.test_cli import EXE, SETTINGS_PREFIXES, run  # noqa: E402

MONDAY_8AM = "2026-12-07T08:00"
PROMPT = "you> "
WAIT = 30


class Terminal:
    """One ``staffroom chat`` in a pseudo-terminal, read like a screen."""

    def __init__(self, folder: Path, name: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIXES)}
        env["DATABASE_URL"] = f"sqlite:///{folder / 'trial.db'}"
        args = ["chat", "--as", name, "--tz", "Europe/London", "--clock", MONDAY_8AM]
        self.child = pexpect.spawn(
            EXE,
            args,
            cwd=str(folder),
            env=env,
            encoding="utf-8",
            timeout=WAIT,
            dimensions=(50, 200),
        )
        self.screen = ""
        self.expect(PROMPT)

    def expect(self, pattern: str) -> str:
        """Wait until ``pattern`` (a regular expression) shows; everything printed until then."""
        self.child.expect(pattern)
        seen = f"{self.child.before}{self.child.after}"
        self.screen += seen
        return seen

    def say(self, line: str, *, until: str = PROMPT) -> str:
        """Type a line; what follows its echo up to ``until`` (a prompt redrawn earlier is no answer)."""
        self.child.sendline(line)
        self.expect(re.escape(line) + r"\r?\n")
        return self.expect(until)

    def press(self, label: str, *, until: str = PROMPT) -> str:
        """Press the button shown last with this label, by the number printed beside it."""
        numbers = re.findall(rf"\[(\d+)\] {re.escape(label)}", self.screen)
        assert numbers, f"no button {label!r} on screen:\n{self.screen[-2000:]}"
        return self.say(numbers[-1], until=until)

    def fill(self, answers: list[str]) -> str:
        """A form, one prompt at a time, each answered once its prompt is shown."""
        seen = ""
        for answer in answers:
            seen += self.expect(r": $")
            self.child.sendline(answer)
        return seen + self.expect(PROMPT)

    def quit(self) -> None:
        self.child.sendline("quit")
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus == 0


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    url = {"DATABASE_URL": f"sqlite:///{tmp_path / 'trial.db'}"}
    assert run(["db", "upgrade"], tmp_path, url).returncode == 0
    yield tmp_path


def staffroom(folder: Path, *args: str) -> str:
    result = run(list(args), folder, {"DATABASE_URL": f"sqlite:///{folder / 'trial.db'}"})
    assert result.returncode == 0, result.stderr
    return result.stdout


JOIN = ["", "English", "4", "15", "Hillcrest", "", "", "", ""]
"""Maya's join form: name, subjects, grades, years, school, time zone, goals, strengths, language."""


def test_two_people_in_one_terminal_an_observation_and_a_week_of_check_ins(folder: Path) -> None:
    maya = Terminal(folder, "Maya Patel")
    maya.say("join", until=r"== Join Staffroom ==")
    assert "You're in." in maya.fill(JOIN)
    staffroom(folder, "admin", "grant", "Maya Patel")
    out = maya.say("program create Mentoring kind=mentoring day=tue time=15:30 tz=Europe/London")
    assert "Created *Mentoring*" in out

    # The roster is pasted into the coordinator's form, on the trial's clock: invitations keep school
    # hours, and the trial's Monday morning is not whenever the suite happens to run.
    roster = (
        "name,email,subjects,grades,years,timezone,role,platform_user_id,goals / "
        "Ana Lopez,ana@hill.example,Maths,9-10,2,Europe/London,mentee,ana-lopez,Better questions / "
        "Sam Lee,sam@hill.example,Maths,9-10,12,Europe/London,mentor,sam-lee,"
    )
    maya.say("roster import Mentoring", until=r"== Import a roster")
    imported = maya.fill(["", roster, ""])
    # The invitations are delivered at once, and the terminal says who has mail.
    assert "2 new" in imported and "Ana Lopez has 1 new message" in imported

    out = maya.say("/as Sam Lee")
    assert "You are now Sam Lee." in out and "Mentoring" in out
    assert "Welcome" in maya.press("Join")
    maya.say("free add wed 10:00-11:00")

    maya.say("/as Ana Lopez")
    maya.press("Join")
    out = maya.say("observe wed 10:15-11:00 focus: questioning")
    assert "Sam Lee" in out
    out = maya.press("Ask Sam Lee")
    assert "Sam Lee has 1 new message" in out

    out = maya.say("/as Sam Lee")
    assert "would like a colleague to observe a lesson" in out
    out = maya.press("Accept")
    assert "(saved as observation.ics)" in out  # Sam's invite; Ana's is beside it, not over it
    out = maya.say("/as Ana Lopez")
    assert "*Sam Lee* will observe your lesson" in out
    assert "(saved as observation-2.ics)" in out
    assert (folder / "observation-2.ics").read_text().startswith("BEGIN:VCALENDAR")

    out = maya.say("/tick until tue 16:00")
    assert "It is now Tue 08 Dec 2026 16:00" in out
    assert "Tue 08 Dec 2026 15:30" in out  # delivered when it was due, not when the tick ended
    assert "How confident do you feel" in out
    out = maya.press("4")
    maya.quit()

    with sqlite3.connect(folder / "trial.db") as db:
        answers = db.execute(
            "SELECT m.display_name, c.confidence FROM checkins c JOIN members m ON m.id = c.member_id"
            " WHERE c.confidence IS NOT NULL"
        ).fetchall()
    assert answers == [("Ana Lopez", 4)]


def test_a_message_arrives_in_the_other_persons_terminal_while_they_wait(folder: Path) -> None:
    setup = Terminal(folder, "Sam Lee")
    setup.say("join", until=r"== Join Staffroom ==")
    setup.fill(["", "Maths", "5", "6", "", "", "", "", ""])
    setup.say("free add wed 10:00-11:00")
    setup.say("/as Ana Lopez")
    setup.say("join", until=r"== Join Staffroom ==")
    setup.fill(["", "Maths", "5", "6", "", "", "", "", ""])
    setup.quit()

    sam = Terminal(folder, "Sam Lee")
    ana = Terminal(folder, "Ana Lopez")
    ana.say("observe wed 10:15-11:00 focus: questioning")
    out = ana.press("Ask Sam Lee")
    assert "would like a colleague" not in out  # Sam's message is not printed at Ana's
    sam.expect("Ana Lopez.{0,10} would like a colleague to observe a lesson")
    sam.expect(r"\[\d+\] Accept.*you> ")  # the prompt is drawn again under the message
    sam.press("Accept")
    ana.expect(r"Sam Lee\* will observe your lesson")
    ana.quit()
    sam.quit()
