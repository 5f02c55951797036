"""The trial console in process, on every database: inboxes, switching person, moving time."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters.console.files import save_files
from adapters.console.inbox import InboxMessenger
from adapters.console.session import ConsoleSession
from adapters.console.ticks import tick_target
from adapters.console.trial import TrialConsole
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform, Role
from bot.kernel.messages import Attachment, Message
from bot.kernel.parsing import ParseError
from staffroom.bootstrap import Staffroom, grant_role
from staffroom.runtime import make_scheduler
from staffroom.trial import TrialTime
from storage.db import make_session_factory
from storage.repositories.console_inbox import SqlConsoleInbox
from tests.conftest import joined

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=LONDON)


def trial(app: Staffroom, name: str, *, workspace: str = "local", tmp: Path | None = None):  # type: ignore[no-untyped-def]
    shown: list[str] = []
    worker = app.worker({Platform.CONSOLE: InboxMessenger()}, worker_id="trial")
    session = ConsoleSession(
        app.bot,
        name,
        workspace=workspace,
        timezone="Europe/London",
        worker=worker,
        write=shown.append,
        files=tmp,
    )
    console = TrialConsole(
        session, SqlConsoleInbox(make_session_factory(app.engine)), app.clock, LONDON
    )
    console.shown = shown  # type: ignore[attr-defined]
    return console


def screen(console: TrialConsole) -> str:
    text = "\n".join(console.shown)  # type: ignore[attr-defined]
    console.shown.clear()  # type: ignore[attr-defined]
    return text


def both_join(console: TrialConsole) -> None:
    joined(console.session)
    console.switch_to("Sam Lee")
    joined(console.session)
    console.session.type("free add wed 10:00-11:00")
    console.switch_to("Ana Lopez")
    screen(console)


@pytest.fixture
def at_monday(clock: ManualClock) -> ManualClock:
    clock.set(MONDAY)
    return clock


def test_a_message_waits_for_its_person_and_is_shown_once(
    app: Staffroom, at_monday: ManualClock
) -> None:
    console = trial(app, "Ana Lopez")
    both_join(console)
    console.handle("observe wed 10:15-11:00 focus: questioning")
    ask = next(b for b in console.session.buttons if b.label == "Ask Sam Lee")
    console.handle(str(console.session.buttons.index(ask) + 1))
    out = screen(console)
    assert "would like a colleague to observe" not in out
    assert "📬 Sam Lee has 1 new message: `/as Sam Lee`" in out

    console.handle("/as Sam Lee")
    out = screen(console)
    assert out.count("would like a colleague to observe a lesson") == 1
    assert [b.label for b in console.session.buttons] == ["Accept", "Decline"]
    console.handle("/as Ana Lopez")
    console.handle("/as Sam Lee")
    assert "would like a colleague" not in screen(console)  # read already
    console.handle("/inbox 1")
    assert "would like a colleague to observe a lesson" in screen(console)


def test_another_workspaces_inbox_is_never_shown(app: Staffroom, at_monday: ManualClock) -> None:
    here = trial(app, "Ana Lopez")
    both_join(here)
    here.handle("observe wed 10:15-11:00 focus: questioning")
    here.handle("1")
    there = trial(app, "Sam Lee", workspace="elsewhere")
    joined(there.session)
    screen(there)
    there.handle("/inbox 20")
    there.handle("/who")
    out = screen(there)
    assert "Ana Lopez" not in out and "observe" not in out


def test_tick_plays_the_week_and_delivers_each_message_when_it_was_due(
    app: Staffroom, at_monday: ManualClock
) -> None:
    console = trial(app, "Maya Patel")
    joined(console.session)
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    console.handle("program create Mentoring kind=mentoring day=tue time=15:30 tz=Europe/London")
    console.switch_to("Ana Lopez")
    joined(console.session)
    console.switch_to("Maya Patel")
    console.handle('program add Mentoring "Ana Lopez" as mentee')
    time = TrialTime(at_monday, make_scheduler(app), console.session.worker)  # type: ignore[arg-type]
    console.advance = time.advance
    screen(console)

    console.handle("/tick until tue 16:00")
    out = screen(console)
    assert "It is now Tue 08 Dec 2026 16:00 (GMT)" in out
    assert "📬 Ana Lopez has" in out
    assert at_monday.now() == datetime(2026, 12, 8, 16, 0, tzinfo=LONDON)
    console.handle("/as Ana Lopez")
    out = screen(console)
    assert "📨 Tue 08 Dec 2026 15:30 (GMT)" in out and "How confident do you feel" in out

    console.handle("/tick 6d")
    out = screen(console)
    assert "A gentle nudge" in out  # Thursday's one reminder
    console.switch_to("Maya Patel")
    assert "📨 Mon 14 Dec 2026 08:00 (GMT)" in screen(console)  # the Monday digest


def test_tick_explains_itself_when_it_cannot_move(app: Staffroom, at_monday: ManualClock) -> None:
    console = trial(app, "Ana Lopez")
    console.handle("/tick 1d")
    assert "The clock is the real one here" in screen(console)
    console.advance = lambda _target: 0
    console.handle("/tick soon")
    assert "is not a length of time" in screen(console)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("1d", datetime(2026, 12, 8, 8, 0)),
        ("2h30m", datetime(2026, 12, 7, 10, 30)),
        ("1 week", datetime(2026, 12, 14, 8, 0)),
        ("until tue 16:00", datetime(2026, 12, 8, 16, 0)),
        ("until 16:00", datetime(2026, 12, 7, 16, 0)),
        ("until 07:00", datetime(2026, 12, 8, 7, 0)),
        ("until mon 07:00", datetime(2026, 12, 14, 7, 0)),
        ("until fri", datetime(2026, 12, 11, 0, 0)),
        ("until 2026-12-09 09:30", datetime(2026, 12, 9, 9, 30)),
    ],
)
def test_tick_targets(spec: str, expected: datetime) -> None:
    assert tick_target(spec, MONDAY, LONDON) == expected.replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "how far?"),
        ("soon", "is not a length of time"),
        ("until 2026-12-01 09:00", "has already passed"),
        ("9w", "at most 8 weeks"),
        ("until someday", "is not a weekday"),
        ("until 2026-13-40", "is not a date"),
    ],
)
def test_tick_refuses_what_it_cannot_read(spec: str, problem: str) -> None:
    with pytest.raises(ParseError, match=problem):
        tick_target(spec, MONDAY, LONDON)


def test_files_stay_in_their_folder_and_never_overwrite(tmp_path: Path) -> None:
    message = Message(
        text="files",
        attachments=(
            Attachment("../../escape.ics", "text/calendar", "BEGIN:VCALENDAR"),
            Attachment("escape.ics", "text/calendar", "second"),
        ),
    )
    saved = save_files(message, tmp_path)
    assert saved == [tmp_path / "escape.ics", tmp_path / "escape-2.ics"]
    assert (tmp_path / "escape.ics").read_text() == "BEGIN:VCALENDAR"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["escape-2.ics", "escape.ics"]


def test_export_is_written_to_the_folder(
    app: Staffroom, at_monday: ManualClock, tmp_path: Path
) -> None:
    console = trial(app, "Ana Lopez", tmp=tmp_path)
    joined(console.session)
    console.handle("export-my-data")
    console.handle("1")  # "Yes, export my data"
    out = screen(console)
    assert f"saved as {tmp_path / 'staffroom-my-data.json'}" in out
    assert '"Ana Lopez"' in (tmp_path / "staffroom-my-data.json").read_text()


def test_a_tick_runs_each_job_on_its_interval(app: Staffroom, at_monday: ManualClock) -> None:
    scheduler = make_scheduler(app)
    time = TrialTime(at_monday, scheduler, app.worker({Platform.CONSOLE: InboxMessenger()}))
    time.run_due()
    time.advance(MONDAY + timedelta(hours=1))
    assert scheduler.runs["checkins.plan"] == 1 + 12  # every five minutes
    assert scheduler.runs["digest.send"] == 1 + 4  # every fifteen
