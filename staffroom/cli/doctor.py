"""``staffroom doctor``: check the settings, database, time zones, outbox, Slack and Teams set-up.

It reads the settings itself, so a bad one is a failed line among the others rather than the one-line
refusal every other command gives; exit status 1 when anything failed, for a deploy script to stop on.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser(
        "doctor", help="check everything a running copy needs, with a fix for each problem"
    )
    doctor.add_argument(
        "--socket",
        action="store_true",
        help="this copy runs `serve slack --socket`: check SLACK_APP_TOKEN, not request URLs",
    )
    doctor.add_argument(
        "--slack-manifest",
        type=Path,
        default=None,
        metavar="FILE",
        help="the Slack app manifest you pasted into Slack (default: adapters/slack/manifest.yaml)",
    )
    doctor.add_argument(
        "--teams-package",
        type=Path,
        default=Path("staffroom-teams.zip"),
        metavar="FILE",
        help="the Teams app package you uploaded (default: staffroom-teams.zip)",
    )
    doctor.add_argument(
        "--teams-token-url",
        default=None,
        metavar="URL",
        help="token endpoint for the Teams check (default: Entra ID's, login.microsoftonline.com)",
    )
    doctor.add_argument(
        "--queue-max-age",
        type=float,
        default=15.0,
        metavar="MINUTES",
        help="fail when a due message has waited longer than this (default 15)",
    )
    doctor.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        help="seconds to wait for Slack or Microsoft (default 5)",
    )


def run(args: argparse.Namespace) -> int:
    from staffroom.doctor import DoctorOptions, Status, run_checks
    from staffroom.doctor.slack import MANIFEST, SlackOptions
    from staffroom.doctor.teams import TeamsOptions

    options = DoctorOptions(
        slack=SlackOptions(
            manifest=args.slack_manifest or MANIFEST, socket=args.socket, timeout=args.timeout
        ),
        teams=TeamsOptions(
            token_url=args.teams_token_url, package=args.teams_package, timeout=args.timeout
        ),
        queue_max_age=timedelta(minutes=args.queue_max_age),
    )
    findings = run_checks(options)
    for finding in findings:
        print(finding.line(), flush=True)
    counts = {status: sum(f.status is status for f in findings) for status in Status}
    failed = counts[Status.FAIL]
    print(
        f"doctor: {counts[Status.OK]} ok, {counts[Status.WARN]} warning(s), "
        f"{failed} failed, {counts[Status.SKIP]} skipped"
    )
    return 1 if failed else 0
