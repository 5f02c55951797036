"""The `staffroom` command as an IT admin and a teacher would run it.

The installed script and settings read at start-up are proved in a subprocess; the longer stories call
the same entry point, ``staffroom.cli.main``, in this process with the same arguments, working directory
and input, because a fresh interpreter per step would cost seconds and prove nothing more.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from staffroom.cli import main

EXE = shutil.which("staffroom", path=str(Path(sys.executable).parent)) or "staffroom"


SETTINGS_PREFIXES = ("DATABASE_URL", "STAFFROOM_", "SLACK_", "MICROSOFT_")


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIXES)}
    full_env.update(env or {})
    return subprocess.run(
        [EXE, *args],
        cwd=cwd,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_malformed_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = run(["db", "current"], tmp_path, {"DATABASE_URL": "nonsense"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "staffroom: Setting DATABASE_URL is malformed ('nonsense'); expected e.g. sqlite:///staffroom.db "
        "or postgresql+psycopg://user@host/dbname"
    ]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("postgresql+psycopg://bob:s3cret@127.0.0.1:1/x", "cannot be reached"),
        ("notadb://bob:s3cret@host/db", "names a database Staffroom cannot use"),
        ("postgresql://bob:s3cret@host:port/db", "is malformed"),
        ("bob:s3cret@host", "is malformed"),
    ],
)
def test_a_database_url_that_cannot_work_is_one_line_without_its_password(
    url: str,
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    assert main(["deliver"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and problem in err[0], err
    assert "s3cret" not in err[0] and "bob:***@" in err[0]


def test_settings_come_from_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("STAFFROOM_DEFAULT_TIMEZONE=Nowhere/Land\n")
    result = run(["db", "current"], tmp_path)
    assert result.returncode == 2 and "STAFFROOM_DEFAULT_TIMEZONE" in result.stderr


Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def staffroom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Cli:
    """``staffroom(["db", "upgrade"], stdin=...)``: the command's entry point, run in ``tmp_path``."""
    for name in list(os.environ):
        if name.startswith(SETTINGS_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)

    def call(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(args)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["staffroom", *args], code, out, err)

    return call


def test_a_database_behind_is_refused_with_the_command_to_run(staffroom: Cli) -> None:
    result = staffroom(["chat", "--as", "Ana"])
    assert result.returncode == 2
    assert "Run: staffroom db upgrade" in result.stderr


@pytest.fixture
def workdir(staffroom: Cli, tmp_path: Path) -> Path:
    assert staffroom(["db", "upgrade"]).returncode == 0
    return tmp_path


def chat(staffroom: Cli, name: str, lines: list[str]) -> str:
    result = staffroom(
        ["chat", "--as", name, "--tz", "Europe/London"], stdin="\n".join([*lines, "quit", ""])
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


JOIN_FORM = [
    "join",
    "",
    "Maths, Physics",
    "3",
    "4",
    "Hillcrest High",
    "",
    "Ask better questions / Plan faster",
    "",
    "",  # Language: as the terminal is set
]


def test_chat_join_profile_goals_pause_resume(workdir: Path, staffroom: Cli) -> None:
    out = chat(
        staffroom,
        "Ana Lopez",
        [*JOIN_FORM, "goals add Use exit tickets", "pause 2 weeks", "1", "profile"],
    )
    assert "== Join Staffroom ==" in out
    assert "Welcome, *Ana Lopez*! You're in." in out
    assert "3. Use exit tickets" in out
    assert "Paused until" in out
    assert "Welcome back!" in out  # pressed button 1, "Resume now"
    assert "Status:         active" in out


def test_roster_import_refuses_bad_rows_and_writes_nothing(workdir: Path, staffroom: Cli) -> None:
    chat(staffroom, "Maya Patel", JOIN_FORM)
    assert staffroom(["admin", "grant", "Maya Patel"]).returncode == 0
    out = chat(staffroom, "Maya Patel", ['program create "Peer Groups" kind=peer'])
    assert "Created *Peer Groups*" in out
    roster = workdir / "roster.csv"
    roster.write_text(
        "name,email,subjects,grades,years,timezone,role\n"
        "Ben Okafor,ben@x.example,English,6-8,14,America/Chicago,teacher\n"
        "Cara Kim,cara@x.example,Art,K-2,many,America/New_York,teacher\n"
    )
    result = staffroom(["roster", "import", str(roster), "--program", "Peer Groups"])
    assert result.returncode == 1
    assert "line 3: years of experience should be a whole number" in result.stderr
    out = chat(staffroom, "Maya Patel", ['program show "Peer Groups"'])
    assert "1 coordinator" in out and "peer" not in out.split("People:")[1].splitlines()[0]
    result = staffroom(["roster", "import", str(roster), "--program", "Peer Groups", "--skip-bad"])
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout and "line 3" in result.stdout


def test_demo_tells_the_story_and_exits_zero(tmp_path: Path) -> None:
    result = run(
        ["demo", "--teachers", "8", "--weeks", "2", "--out", str(tmp_path / "out")], tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Staffroom demo" in result.stdout
    assert "Nothing was imported: 1 row needs fixing." in result.stdout
    # From a roster to a first conversation: invited, reminded once, paired, re-matched.
    for told in (
        "Invited 5 who haven't joined yet.",
        "Welcome to Staffroom, Lena! You're in New Starters",
        "Hi Ivy, a gentle reminder",
        "Ivy Chen: invited 3 days ago; reminded Thu 08 Oct",
        "suggested to Priya Raman.",
        "(attached: first-conversation.ics)",
        "Done: you're now paired with Priya Raman for round 1 of New Starters.",
    ):
        assert told in result.stdout
    # The check-ins ask the coordinator's own questions, answered in place, and mentors get theirs.
    assert 'questions="What did you try this week?' in result.stdout
    assert "(taps Answer this week's questions)" in result.stdout
    assert (
        "• Which routine helped most?  [entry routine / exit ticket / seating plan]"
        in result.stdout
    )
    assert ", a mentor (" in result.stdout and "(taps Yes, we talked)" in result.stdout
    # The Spanish-speaking teacher: her check-in, her goals and a break in Spanish; English beside.
    spanish = result.stdout.split("A teacher who reads Staffroom in Spanish", 1)[1]
    spanish = spanish.split("=" * 78, 2)[1]
    assert "¿Qué tan segura o seguro te sientes esta semana con «" in spanish
    assert "Lucía Gómez> pausa 2 semanas\nEn pausa hasta el " in spanish
    assert "¡Qué bien tenerte de vuelta!" in spanish and "Welcome back!" in spanish
    # An observation's coaching conversation: the brief, the debrief's shared ten minutes, thanks.
    for told in (
        "📝 Your observation brief:",
        "Question to answer: Do the quiet students get a turn to talk?",
        "to talk it through: you're both free *Friday 06",
        "says thank you for observing their lesson",
        "Seen often",
    ):
        assert told in result.stdout
    assert (tmp_path / "out" / "staffroom-demo.db").exists()
    # A lesson-study cycle: the plan, three observers' notes gathered for the group, revisions.
    read = " ".join(result.stdout.split())  # as read, whatever the terminal's wrapping
    for told in (
        "Shared the plan for *Fractions talk* with the group.",
        "3 observers are invited.",
        "The notes from the research lesson of *Fractions talk* are in.",
        "The revised lesson for *Fractions talk*, one change from each of you:",
        "now *finished*",
    ):
        assert told in read
    # The observed teacher's own growth record, and its two files beside the database.
    assert "growth record: evidence of a term's professional learning" in result.stdout
    assert "observed your lesson, focus" in result.stdout
    assert "you observed the research lesson on" in read
    assert sorted(p.suffix for p in (tmp_path / "out").glob("growth-record-*")) == [".csv", ".html"]
