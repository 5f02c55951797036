"""``staffroom``: the command line. Imports stay inside each command so ``--help`` is instant."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="staffroom",
        description="Peer-led professional development for teachers, in Slack, Teams and the terminal.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    db = commands.add_parser("db", help="database schema: upgrade, current")
    db.add_argument("action", choices=["upgrade", "current"])

    from staffroom.cli.chat import add_parser as add_chat_parser

    add_chat_parser(commands)

    roster = commands.add_parser("roster", help="import teachers from a CSV file")
    roster.add_argument("action", choices=["import"])
    roster.add_argument("file", type=Path)
    roster.add_argument("--program", required=True, help="program to enrol everyone in")
    roster.add_argument(
        "--skip-bad", action="store_true", help="import the good rows even if some are bad"
    )
    roster.add_argument(
        "--workspace", default=None, help="PLATFORM:ID, e.g. slack:T0123 (default: the console's)"
    )

    admin = commands.add_parser("admin", help="name coordinators and admins")
    admin.add_argument("action", choices=["grant"])
    admin.add_argument("who", help="name, e-mail or platform user id")
    admin.add_argument("--role", choices=["teacher", "coordinator", "admin"], default="coordinator")
    admin.add_argument("--workspace", default=None, help="PLATFORM:ID (default: the console's)")

    commands.add_parser(
        "deliver", help="deliver what is due to console inboxes once (read them in `chat`)"
    )

    # serve teams: `serve` has one sub-command a platform (Slack adds `slack` beside it).
    serve = commands.add_parser("serve", help="run Staffroom for a chat platform (slack, teams)")
    platforms = serve.add_subparsers(dest="platform", metavar="PLATFORM", required=True)
    serve_teams = platforms.add_parser(
        "teams", help="the Teams bot at POST /api/messages, with delivery and the scheduler"
    )
    serve_teams.add_argument("--port", type=int, default=3978, help="HTTP port (default 3978)")
    serve_teams.add_argument("--host", default="0.0.0.0", help="address to listen on")
    teams = commands.add_parser("teams", help="Teams app package for your admin to upload")
    teams.add_argument("action", choices=["package"])
    teams.add_argument(
        "--out", type=Path, default=Path("staffroom-teams.zip"), help="zip file to write"
    )
    teams.add_argument(
        "--endpoint", default=None, help="public base URL of the bot (for validDomains), optional"
    )
    # serve slack: `slack` beside `teams` under `serve`.
    serve_slack = platforms.add_parser(
        "slack", help="the Slack app: HTTP at /slack/events, or Socket Mode with --socket"
    )
    serve_slack.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    serve_slack.add_argument("--host", default="0.0.0.0", help="address to listen on")
    serve_slack.add_argument(
        "--socket", action="store_true", help="Socket Mode instead of HTTP (needs SLACK_APP_TOKEN)"
    )
    serve_slack.add_argument(
        "--workers",
        type=int,
        default=2,
        help="processes that run commands after Slack is acknowledged (0: threads; default 2)",
    )

    pair = commands.add_parser("pair", help="run a pairing round now, or preview it with --dry-run")
    pair.add_argument("--program", required=True, help="the program's name")
    pair.add_argument(
        "--dry-run", action="store_true", help="show the pairs and reasons; send and save nothing"
    )
    pair.add_argument("--workspace", default=None, help="PLATFORM:ID (default: the console's)")

    demo = commands.add_parser(
        "demo", help="simulate a school using Staffroom, in a fresh SQLite file"
    )
    demo.add_argument("--teachers", type=int, default=40)
    demo.add_argument("--weeks", type=int, default=4)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument(
        "--out", type=Path, default=Path("demo-output"), help="folder for the database and reports"
    )
    worker = commands.add_parser(
        "worker", help="run the scheduler and deliver messages (no web server); Ctrl-C stops it"
    )
    worker.add_argument(
        "--once",
        action="store_true",
        help="run every scheduled job once, deliver what is due, and exit (for cron or a test)",
    )
    worker.add_argument(
        "--poll", type=float, default=1.0, help="seconds between outbox checks when idle"
    )
    from staffroom.cli.digest import add_parser as add_digest_parser

    add_digest_parser(commands)
    from staffroom.cli.doctor import add_parser as add_doctor_parser

    add_doctor_parser(commands)

    from staffroom.cli.web import add_parser as add_web_parser

    add_web_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "doctor":  # reads the settings itself: a bad one is a failed check
        from staffroom.cli import doctor

        return doctor.run(args)
    from bot.kernel.settings import SettingsError, load_settings

    try:
        settings = load_settings()
        return _run(args, settings)
    except SettingsError as exc:
        print(f"staffroom: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace, settings: object) -> int:
    from bot.kernel.settings import Settings
    from staffroom import bootstrap

    assert isinstance(settings, Settings)
    if args.command == "demo":
        from staffroom.demo.story import run_demo

        return run_demo(teachers=args.teachers, weeks=args.weeks, seed=args.seed, out=args.out)
    if args.command == "db":
        if args.action == "upgrade":
            print(f"Database is at revision {bootstrap.upgrade_database(settings)}.")
            return 0
        from storage.db import make_engine
        from storage.migrate import current_revision, head_revision

        current = current_revision(make_engine(settings.database_url))
        print(f"current: {current or 'none'}; code needs: {head_revision()}")
        return 0 if current == head_revision() else 1
    if args.command == "chat":  # builds its own app: the clock may be a manual one
        from staffroom.cli import chat

        return chat.run(args, settings)
    if args.command == "teams":  # teams package: needs no database
        from staffroom.cli.serve_teams import package_teams

        return package_teams(settings, out=args.out, endpoint=args.endpoint)

    from storage.migrate import DatabaseBehind

    try:
        app = bootstrap.build(settings)
    except DatabaseBehind as exc:
        print(f"staffroom: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    workspace = (
        args.workspace
        if getattr(args, "workspace", None)
        else f"console:{settings.console_workspace}"
    )

    if args.command == "roster":
        return _roster_import(app, workspace, args.file, args.program, args.skip_bad)
    if args.command == "admin":
        from bot.kernel.domain import Role

        try:
            name = bootstrap.grant_role(app, workspace, args.who, Role(args.role))
        except LookupError as exc:
            print(f"staffroom: {exc}", file=sys.stderr)
            return 1
        print(f"{name} is now {args.role} in {workspace}.")
        return 0
    if args.command == "deliver":
        from adapters.console.inbox import InboxMessenger
        from bot.kernel.domain import Platform

        report = app.worker({Platform.CONSOLE: InboxMessenger()}).drain()
        print(f"sent {report.sent}, retrying {report.retried}, failed {report.failed}")
        return 0
    # The commands that start a long-running service or a feature's own job.
    if args.command == "serve" and args.platform == "slack":
        from staffroom.cli.serve_slack import serve_slack

        return serve_slack(
            app, port=args.port, host=args.host, socket=args.socket, workers=args.workers
        )

    if args.command == "serve" and args.platform == "teams":
        from staffroom.cli.serve_teams import serve_teams

        return serve_teams(app, port=args.port, host=args.host)

    if args.command == "pair":
        from staffroom.cli.pairing import pair_command

        return pair_command(app, workspace, args.program, dry_run=args.dry_run)

    if args.command == "worker":
        return _worker(app, once=args.once, poll=args.poll)

    if args.command == "digest":
        from staffroom.cli import digest

        return digest.run(app, args, workspace)

    if args.command == "web":
        from staffroom.cli import web

        return web.run(app, args)

    raise AssertionError(args.command)


def _roster_import(
    app: object, workspace: str, file: Path, program_name: str, skip_bad: bool
) -> int:
    from bot.kernel.errors import UserError
    from bot.kernel.messages import unsaid
    from bot.programs.roster import import_roster
    from staffroom.bootstrap import Staffroom, parse_workspace

    assert isinstance(app, Staffroom)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"staffroom: cannot read {file}: {exc}", file=sys.stderr)
        return 1
    platform, external = parse_workspace(workspace)
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(platform, external, external)
        repos = uow.scope(ws.id)
        program = repos.programs.by_name(program_name)
        if program is None:
            names = ", ".join(p.name for p in repos.programs.list()) or "none yet"
            print(
                f"staffroom: no program called {program_name!r} in {workspace} (programs: {names})",
                file=sys.stderr,
            )
            return 1
        try:
            report = import_roster(repos, program, text, skip_bad=skip_bad, now=app.clock.now())
        except UserError as exc:
            print(f"staffroom: {unsaid(exc.message)}", file=sys.stderr)
            return 1
        uow.commit()
    print(report.summary(program))
    return 0


def _worker(app: object, *, once: bool, poll: float) -> int:
    import signal
    import time

    from staffroom.bootstrap import Staffroom, configure_logging
    from staffroom.runtime import make_scheduler, settle_for_serving, start_background

    assert isinstance(app, Staffroom)
    configure_logging(app.settings)
    if once:
        from bot.kernel.delivery_failures import report_to_coordinators
        from staffroom.bootstrap import platform_messengers

        scheduler = make_scheduler(app)
        ran = scheduler.run_all()
        worker = app.worker(platform_messengers(app))
        worker.on_failure = report_to_coordinators(app.uow_factory, app.clock)
        report = worker.drain()
        print(
            f"ran {len(ran)} job(s) ({', '.join(ran) or 'none'}); "
            f"sent {report.sent}, retrying {report.retried}, failed {report.failed}"
        )
        return 0 if not any(scheduler.failures.values()) else 1

    def terminate(*_args: object) -> None:
        raise KeyboardInterrupt  # SIGTERM stops the worker the way Ctrl-C does

    signal.signal(signal.SIGTERM, terminate)
    background = None
    # Everything after the handler is installed sits inside the try: a SIGTERM that lands while the
    # scheduler starts or the banner prints must still end in a clean stop, not exit 130.
    try:
        background = start_background(app, poll_seconds=poll)
        settle_for_serving()
        print(
            f"staffroom worker: {len(background.scheduler.jobs)} scheduled job(s) "
            f"({', '.join(background.scheduler.jobs)}); delivering. Ctrl-C to stop.",
            flush=True,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut stop() short
        if background is not None:
            background.stop()
    delivered = background.delivered if background is not None else 0
    print(f"staffroom worker: stopped after delivering {delivered} message(s).")
    return 0
