"""``staffroom chat``: a console workspace in the terminal, as anyone in it, on a real or manual clock."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

EXIT_CONFIG = 2


def add_parser(commands: Any) -> None:
    chat = commands.add_parser(
        "chat", help="try Staffroom in the terminal: be anyone, read their inbox, move time"
    )
    chat.add_argument(
        "--as", dest="name", required=True, metavar="NAME", help="who you are, e.g. 'Ana Lopez'"
    )
    chat.add_argument(
        "--workspace",
        default=None,
        help="console workspace id (default: STAFFROOM_CONSOLE_WORKSPACE)",
    )
    chat.add_argument(
        "--tz", default=None, help="your time zone, offered as the default when you join"
    )
    chat.add_argument(
        "--clock",
        default=None,
        metavar="WHEN",
        help="start a manual clock here, e.g. 2026-12-07T08:00 (your time zone); /tick moves it",
    )


def start_of_clock(text: str, zone: ZoneInfo) -> datetime:
    """An ISO moment; without an offset it is read in ``zone``."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"--clock {text!r} is not a date and time like 2026-12-07T08:00") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def run(args: argparse.Namespace, settings: Any) -> int:
    from adapters.console.inbox import InboxMessenger
    from adapters.console.session import ConsoleSession
    from adapters.console.trial import TrialConsole
    from bot.kernel.clock import Clock, ManualClock, SystemClock
    from bot.kernel.domain import Platform
    from bot.kernel.parsing import ParseError, parse_timezone
    from staffroom import bootstrap
    from storage.db import make_session_factory
    from storage.migrate import DatabaseBehind
    from storage.repositories.console_inbox import SqlConsoleInbox

    try:
        zone = ZoneInfo(parse_timezone(args.tz or settings.default_timezone))
        manual = ManualClock(start_of_clock(args.clock, zone)) if args.clock else None
    except (ParseError, ValueError) as exc:
        print(f"staffroom: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    platform, workspace = bootstrap.parse_workspace(args.workspace or settings.console_workspace)
    if platform is not Platform.CONSOLE:
        print("staffroom: chat works in console workspaces only", file=sys.stderr)
        return EXIT_CONFIG
    clock: Clock = manual or SystemClock()
    try:
        app = bootstrap.build(settings, clock=clock)
    except DatabaseBehind as exc:
        print(f"staffroom: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    worker = app.worker({Platform.CONSOLE: InboxMessenger()})
    session = ConsoleSession(
        app.bot,
        args.name,
        workspace=workspace,
        timezone=args.tz,
        # The terminal's own language (LANG=es_ES.UTF-8), as Slack and Teams report their client's.
        language=(os.environ.get("LANG") or "").split(".", 1)[0] or None,
        worker=worker,
        files=Path("."),
    )
    trial = TrialConsole(session, SqlConsoleInbox(make_session_factory(app.engine)), clock, zone)
    if manual is not None:
        from staffroom.runtime import make_scheduler
        from staffroom.trial import TrialTime

        time = TrialTime(manual, make_scheduler(app), worker)
        time.run_due()  # as a starting scheduler does: every job once, now
        trial.advance = time.advance
    trial.run(watch_every=1.0 if sys.stdin.isatty() else None)
    return 0
