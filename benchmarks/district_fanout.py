"""A district's fan-out, as a district runs it: several copies on PostgreSQL, with faults injected.

What it shows: 10,000 check-ins reach a rate-limited platform with nothing lost, nothing repeated on
Slack (on Teams at most the delivery threads of the copy that was killed), no post arriving while a
``Retry-After`` stands, the enforced limit used well, and delivery back at full speed within seconds
of every database connection being cut.

1. A fresh schema of the PostgreSQL database ``--database-url`` names (default: the database
   ``wt_delivery`` on 127.0.0.1, created if missing) gets 10,000 members in one program. On Teams
   each member also gets the stored conversation the Bot Connector would have given them.
2. A local HTTP server plays the platform with a limit it enforces: ``--rate`` posts a second per
   workspace (a token bucket with a tenth of a second of burst), ``429`` with ``Retry-After: 1`` past
   it. Slack: ``chat.postMessage``, ``conversations.history`` with message metadata. Teams: the Bot
   Connector's ``/v3/conversations/{id}/activities``.
3. ``--copies`` separate processes each run the product's delivery service (``runtime.
   start_background``: ``STAFFROOM_DELIVERY_THREADS`` threads over the messenger the settings build,
   with the database rate budget), each with a stable ``STAFFROOM_WORKER_ID``, as N copies of
   ``staffroom serve slack|teams`` would. Once every copy is up, the check-in planner writes one
   outbox row per member: a district's copies are running when check-ins come due.
4. Faults: when ``--kill-at`` of the messages are in, one copy is killed with SIGKILL and started again
   under the same name a second later; at each of ``--cuts`` every connection to the database is cut
   (``pg_terminate_backend``).
5. The server's log decides: ``sent`` (distinct recipients reached), ``lost`` (never reached),
   ``duplicates`` (reached more than once), ``posts_before_retry_after`` (posts arriving after a 429
   was answered and before its Retry-After had passed, leaving out those already on the wire when the
   429 was answered: sent within ``--in-flight-ms`` of it, reported as ``in_flight_at_429``),
   ``utilisation`` (accepted per second over the run / the enforced limit) and ``recovery_s`` (for the
   worst cut: from the cut until a quarter second again carries half the enforced rate).

Usage: ``.venv/bin/python benchmarks/district_fanout.py [--platform slack|teams] [--members 10000]
[--copies 3] [--threads 8] [--rate 250]``. Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.kernel.domain import Platform  # noqa: E402

TOKEN = "xoxb-district"
TEAM = "TDISTRICT"
TENANT = "district-tenant"
BOT = "28:staffroom-bot"
RETRY_AFTER_S = 1.0


# --- the rate-limited platform ---------------------------------------------------------------------


class Limit:
    """The platform's side of the limit: a token bucket, the 429s it answered, and every arrival."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate / 10)
        self.tokens = self.capacity
        self.refilled = time.time()
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.accepted_at: list[float] = []
        self.arrivals: list[float] = []
        self.limited_at: list[float] = []

    def admit(self, recipient: str) -> bool:
        with self.lock:
            now = time.time()
            self.arrivals.append(now)
            self.tokens = min(self.capacity, self.tokens + (now - self.refilled) * self.rate)
            self.refilled = now
            if self.tokens < 1:
                self.limited_at.append(now)
                return False
            self.tokens -= 1
            self.received[recipient] += 1
            self.accepted_at.append(now)
            return True

    def during_pauses(self, in_flight_s: float) -> tuple[int, int]:
        """(posts that arrived while a Retry-After stood, those of them already on the wire)."""
        early = in_flight = 0
        for arrived in self.arrivals:
            for limited in self.limited_at:
                if limited < arrived < limited + RETRY_AFTER_S:
                    if arrived - limited <= in_flight_s:
                        in_flight += 1
                    else:
                        early += 1
                    break
        return early, in_flight


def slack_app(limit: Limit) -> Any:
    from aiohttp import web

    history: dict[str, list[dict[str, Any]]] = {}

    async def handle(request: web.Request) -> web.Response:
        method = request.path.rsplit("/", 1)[-1]
        body: dict[str, Any] = dict(request.query)
        if request.method == "POST":
            if "json" in (request.content_type or ""):
                body.update(await request.json())
            else:
                body.update({k: str(v) for k, v in (await request.post()).items()})
        if method == "chat.postMessage":
            channel = str(body.get("channel"))
            channel = "D" + channel if channel.startswith("U") else channel
            if not limit.admit(channel):
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(int(RETRY_AFTER_S))},
                )
            metadata = body.get("metadata") or {}
            metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
            ts = f"{time.time():.6f}"
            history.setdefault(channel, []).insert(0, {"ts": ts, "metadata": metadata})
            return web.json_response({"ok": True, "channel": channel, "ts": ts})
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": "D" + str(body.get("users"))}})
        if method == "conversations.history":
            found = history.get(str(body.get("channel")), [])
            return web.json_response({"ok": True, "messages": found[: int(body.get("limit", 100))]})
        return web.json_response({"ok": False, "error": "unknown_method"})

    app = web.Application()
    app.router.add_route("*", "/api/{method}", handle)
    return app


def connector_app(limit: Limit) -> Any:
    from aiohttp import web

    async def handle(request: web.Request) -> web.Response:
        parts = request.path.strip("/").split("/")  # v3 conversations {id} activities
        await request.read()
        if len(parts) >= 4 and parts[3] == "activities":
            if not limit.admit(parts[2]):
                return web.json_response(
                    {"error": {"code": "Throttled", "message": "too many requests"}},
                    status=429,
                    headers={"Retry-After": str(int(RETRY_AFTER_S))},
                )
            return web.json_response({"id": f"activity-{time.time_ns()}"})
        return web.json_response({"error": {"code": "NotFound"}}, status=404)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


# --- one running copy ------------------------------------------------------------------------------


def copy_main(args: argparse.Namespace) -> int:
    """One copy of the delivery service, as ``staffroom serve slack|teams`` runs it beside its app."""
    from sqlalchemy import select

    from bot.kernel.settings import Settings
    from staffroom import bootstrap, runtime
    from storage.models.kernel import OutboxRow

    platform = Platform(args.platform)
    settings = Settings(
        database_url=args.database_url,
        slack_bot_token=TOKEN if platform is Platform.SLACK else None,
        slack_api_base_url=args.platform_url if platform is Platform.SLACK else None,
        teams_allow_unauthenticated=platform is Platform.TEAMS,
        delivery_threads=args.threads,
        delivery_max_attempts=50,
        worker_id=f"district-copy-{args.slot}",  # stable across restarts, like a StatefulSet pod
    )
    app = bootstrap.build(settings)
    messengers = bootstrap.platform_messengers(app)
    background = runtime.start_background(app, messengers=messengers, jobs=[], poll_seconds=0.05)
    runtime.settle_for_serving()  # as `staffroom serve` does once it is up

    # Whether anything is left to send: the first such row, not a count of them all. A copy of
    # the product has no such loop; the harness's own look must not take the database time the
    # copies are measured on (a count of the outbox from each copy five times a second did).
    left = (
        select(OutboxRow.id).where(OutboxRow.status.in_(["pending", "sending"])).limit(1).exists()
    )
    written = select(OutboxRow.id).limit(1).exists()  # the planner has run

    def remaining() -> bool:
        with app.engine.connect() as conn:
            return bool(conn.execute(select(left)).scalar_one()) or not bool(
                conn.execute(select(written)).scalar_one()
            )

    print("ready", flush=True)

    try:
        while True:
            try:
                if not remaining():
                    break
            except Exception:  # the harness cuts connections: look again in a moment
                pass
            time.sleep(0.5)
    finally:
        background.stop()
    return 0


# --- the harness -----------------------------------------------------------------------------------


def schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


def fresh_schema(base: str) -> tuple[str, str]:
    """A schema of its own in the benchmark's database (made if missing), so runs never meet."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": url.database}
        ):
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    schema = f"district_{os.getpid()}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return schema, schema_url(base, schema)


def drop_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def seed(
    database_url: str, platform: Platform, members: int, service_url: str
) -> Callable[[], None]:
    """Members, one program and (Teams) their conversations; returns the planner's run at the due
    time, which writes the check-ins to the outbox."""
    from seed_teachers import seed_teachers
    from sqlalchemy import insert

    from bot.checkins.planner import send_due_checkins
    from bot.kernel.clock import ManualClock
    from bot.kernel.domain import Program, ProgramKind
    from bot.kernel.settings import Settings
    from staffroom import bootstrap
    from storage.models.platform import TeamsConversationRow

    bootstrap.upgrade_database(Settings(database_url=database_url))
    today = datetime.now(UTC).date()
    tuesday = today - timedelta(days=(today.weekday() - 1) % 7 + 7)
    planned_at = datetime.combine(tuesday, dtime(15, 31), tzinfo=UTC)
    clock = ManualClock(planned_at - timedelta(days=7))
    app = bootstrap.build(Settings(database_url=database_url), clock=clock)
    external = TEAM if platform is Platform.SLACK else TENANT
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(platform, external, "District")
        program = uow.scope(ws.id).programs.add(
            Program(
                workspace_id=ws.id,
                name="Fan-out",
                kind=ProgramKind.PEER_GROUPS,
                checkin_weekday=1,
                checkin_time=dtime(15, 30),
            )
        )
        uow.commit()
    now = clock.now()
    user = (lambda i: f"U{i:06d}") if platform is Platform.SLACK else (lambda i: f"aad-{i:06d}")
    with app.engine.begin() as conn:
        seed_teachers(
            conn,
            workspace_id=ws.id,
            program_id=program.id,
            count=members,
            now=now,
            user_id=user,
            timezone=lambda i: "Europe/London",
        )
        if platform is Platform.TEAMS:
            conn.execute(
                insert(TeamsConversationRow),
                [
                    {
                        "workspace_id": ws.id,
                        "user_id": user(i),
                        "conversation_id": f"a:personal-{i:06d}",
                        "service_url": service_url,
                        "reference": {
                            "user": {"id": f"29:{i:06d}", "aadObjectId": user(i)},
                            "bot": {"id": BOT},
                            "conversation": {
                                "id": f"a:personal-{i:06d}",
                                "conversationType": "personal",
                                "tenantId": TENANT,
                            },
                            "channelId": "msteams",
                            "serviceUrl": service_url,
                        },
                        "updated_at": now,
                    }
                    for i in range(members)
                ],
            )

    def plan() -> None:
        clock.set(planned_at)
        report = send_due_checkins(app.uow_factory, clock.now())
        assert report.sent == members, report
        app.engine.dispose()

    return plan


def said_ready(copy: subprocess.Popen[bytes]) -> bool:
    """Wait for the copy's "ready" (whatever else it prints first); False if it ended instead."""
    assert copy.stdout is not None
    return any(line.strip() == b"ready" for line in copy.stdout)


def start_copy(args: argparse.Namespace, url: str, slot: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--copy",
            "--slot",
            str(slot),
            "--platform",
            args.platform,
            "--database-url",
            args.database_url,
            "--platform-url",
            url,
            "--threads",
            str(args.threads),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if not args.verbose else None,
    )


def cut_connections(base: str) -> int:
    """Every connection to the benchmark's database but this one: as a failover would."""
    from sqlalchemy import create_engine, text

    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        cut = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    engine.dispose()
    return int(cut or 0)


def recovery(accepted: list[float], cut_at: float, rate: float) -> float:
    """Seconds from a cut until a quarter second carries half the enforced rate again."""
    window, wanted = 0.25, rate * 0.25 * 0.5
    times = [t for t in accepted if t >= cut_at]
    for i, t in enumerate(times):
        j = i
        while j < len(times) and times[j] < t + window:
            j += 1
        if j - i >= wanted:
            return max(t - cut_at, 0.0)
    return float("inf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", choices=["slack", "teams"], default="slack")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=250.0, help="the enforced limit, posts/s")
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8, help="delivery threads a copy")
    parser.add_argument("--kill-at", type=float, default=0.3)
    parser.add_argument("--cuts", default="0.5,0.75", help="fractions sent at each connection cut")
    parser.add_argument("--in-flight-ms", type=float, default=50.0)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "STAFFROOM_BENCH_POSTGRES_URL",
            "postgresql+psycopg://postgres@127.0.0.1:5432/wt_delivery",
        ),
    )
    parser.add_argument("--timeout", type=float, default=240.0)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--copy", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--platform-url", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--slot", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.copy:
        return copy_main(args)

    from tests.support.aiohttp_loop import Loop

    platform = Platform(args.platform)
    base = args.database_url
    schema, args.database_url = fresh_schema(base)
    limit = Limit(args.rate)
    loop = Loop()
    port = loop.serve(slack_app(limit) if platform is Platform.SLACK else connector_app(limit))
    url = f"http://127.0.0.1:{port}/" + ("api/" if platform is Platform.SLACK else "")
    copies: list[subprocess.Popen[bytes]] = []
    try:
        plan = seed(args.database_url, platform, args.members, url)
        # The copies are up before the check-ins come due, as a district's always are: their
        # start-up (imports, the schema check) is not the fan-out's time.
        copies.extend(start_copy(args, url, slot) for slot in range(args.copies))
        for c in copies:
            if not said_ready(c):
                raise SystemExit("a copy did not start (run with --verbose to see why)")
        plan()
        cut_marks = sorted(float(x) for x in args.cuts.split(",") if x.strip())
        killed_at: int | None = None
        cuts: list[float] = []
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            got = len(limit.received)
            if killed_at is None and got >= args.members * args.kill_at:
                os.kill(copies[0].pid, signal.SIGKILL)  # mid-send: its threads hold messages
                copies[0].wait()
                killed_at = got
                time.sleep(1.0)
                copies[0] = start_copy(args, url, 0)  # the same name: it takes its claims back
            if cut_marks and got >= args.members * cut_marks[0]:
                cut_marks.pop(0)
                cuts.append(time.time())
                cut_connections(base)
            if killed_at is not None and all(c.poll() is not None for c in copies):
                break
            time.sleep(0.02)
    finally:
        for c in copies:  # a failed run too: no copy outlives it
            if c.poll() is None:
                c.kill()
            c.wait()
        loop.close()
        drop_schema(base, schema)

    sent = len(limit.received)
    duplicates = sum(n - 1 for n in limit.received.values() if n > 1)
    seconds = (limit.accepted_at[-1] - limit.accepted_at[0]) if limit.accepted_at else 0.0
    early, in_flight = limit.during_pauses(args.in_flight_ms / 1000)
    recoveries = [recovery(limit.accepted_at, cut, args.rate) for cut in cuts]
    result = {
        "platform": args.platform,
        "sent": sent,
        "lost": args.members - sent,
        "duplicates": duplicates,
        "posts_before_retry_after": early,
        "utilisation": round(sent / seconds / args.rate, 3) if seconds else 0.0,
        "recovery_s": round(max(recoveries), 2) if recoveries else None,
        "rate_limit_per_s": args.rate,
        "achieved_per_s": round(sent / seconds, 1) if seconds else 0.0,
        "seconds": round(seconds, 2),
        "rate_limited_responses": len(limit.limited_at),
        "in_flight_at_429": in_flight,
        "copies": args.copies,
        "threads_per_copy": args.threads,
        "killed_copy_threads": args.threads,
        "killed_after_sent": killed_at,
        "connection_cuts": len(cuts),
        "database": "postgresql",
    }
    print(json.dumps(result))
    ok = duplicates == 0 if platform is Platform.SLACK else duplicates <= args.threads
    return 0 if ok and result["lost"] == 0 and early == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
