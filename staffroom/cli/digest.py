"""``staffroom digest``: a program's weekly digest at the terminal, or every due digest sent now.

The terminal is the IT admin's or a coordinator's own machine with the database URL, so no chat-level
access check applies here; the privacy floor does, because it is applied when the digest is built.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from staffroom.bootstrap import Staffroom

FORMATS = ("text", "html", "csv")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    digest = commands.add_parser(
        "digest", help="a program's weekly digest (text, HTML or CSV), or send the due ones"
    )
    digest.add_argument("--program", help="the program's name")
    digest.add_argument(
        "--week", help="ISO week, e.g. 2026-W47 (default: the week just ended, program's time)"
    )
    digest.add_argument("--format", choices=FORMATS, default="text")
    digest.add_argument("--out", type=Path, help="write to this file instead of printing")
    digest.add_argument("--workspace", default=None, help="PLATFORM:ID (default: the console's)")
    digest.add_argument(
        "--send-due",
        action="store_true",
        help="queue every digest whose weekday and time have come (what the scheduler does)",
    )


def run(app: Staffroom, args: argparse.Namespace, workspace: str) -> int:
    if args.send_due:
        from bot.digest.links import chat_link_maker
        from bot.digest.sending import send_digests

        report = send_digests(app.uow_factory, app.clock.now(), chat_link_maker(app.settings))
        names = ", ".join(report.programs) or "none due"
        print(f"queued {report.queued} digest message(s) ({names})")
        return 0
    if not args.program:
        print("staffroom: digest needs --program NAME (or --send-due)", file=sys.stderr)
        return 2
    try:
        output = render(app, workspace, args.program, args.week, args.format)
    except LookupError as exc:
        print(f"staffroom: {exc}", file=sys.stderr)
        return 1
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(output, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


def render(
    app: Staffroom, workspace: str, program_name: str, week_text: str | None, fmt: str
) -> str:
    from bot.digest.build import build_digest
    from bot.digest.chart import trend_png_base64
    from bot.digest.render import csv_digest, html_digest, text_digest
    from bot.digest.weeks import parse_week, week_just_ended
    from staffroom.bootstrap import program_called, workspace_scope

    with app.uow_factory() as uow:
        repos = workspace_scope(uow, workspace)
        program = program_called(repos, program_name)
        try:
            week = (
                parse_week(week_text)
                if week_text
                else week_just_ended(app.clock.now(), program.timezone)
            )
        except ValueError as exc:
            raise LookupError(str(exc)) from None
        digest = build_digest(repos.digest, program, week, now=app.clock.now())
        uow.commit()  # a closed week read for the first time stays as it was read
    if fmt == "html":
        return html_digest(digest, trend_png_base64(digest))
    if fmt == "csv":
        return csv_digest(digest)
    return text_digest(digest)
