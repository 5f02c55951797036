"""One week's check-ins for 10,000 teachers, through a Slack messenger, to a rate-limited fake Slack.

What it shows: the fan-out is exactly-once and uses the platform's rate limit well, even when
the delivery worker is killed (SIGKILL) midway and restarted.

1. A fresh database (SQLite in a temp folder, or ``--database-url``) gets 10,000 members in three time
   zones in one program; the check-in planner (the scheduler's job) writes one check-in and one outbox
   row per member.
2. A local HTTP server plays Slack's Web API: ``chat.postMessage`` within a token bucket of
   ``--rate`` messages a second, ``429`` with ``Retry-After`` beyond it; ``conversations.history``
   returns a channel's messages with their metadata (how a retry finds a message that got through);
   a post to a user id lands in that teacher's DM, and the answer names the DM.
3. A worker process runs the product's delivery service (``runtime.start_background``: the delivery
   threads of ``staffroom worker``, ``STAFFROOM_DELIVERY_THREADS`` of them, over the Slack messenger
   that ``platform_messengers`` builds from the settings) with ``STAFFROOM_WORKER_ID`` set.
   ``--processes`` of them share the outbox, as several copies of ``staffroom worker`` would. When
   half the messages are in, every worker process is killed with SIGKILL, and new ones are started
   under the same names, which take back what their predecessors held.
4. The server's own log decides: ``sent`` (distinct check-ins received), ``duplicates`` (received more
   than once), ``lost`` (never received), ``seconds`` (first send to last), and ``utilisation`` (achieved
   rate / rate limit). Targets: duplicates 0, lost 0, utilisation >= 0.9.

The messenger is the Slack adapter's own (``adapters/slack/messenger.py``, slack_sdk's ``WebClient``):
it posts to the user id with the outbox key in the message metadata, paces itself under the limit it
learns from the 429s (``adapters/pacing.py``), and on a retry looks the key up in the DM's history
(``already_sent``) so a message that got through before the kill is not posted again.

Usage: ``.venv/bin/python benchmarks/fanout.py [--members 10000] [--rate 300] [--processes 2]
[--threads 8]``.
Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.kernel.domain import Platform  # noqa: E402

ZONES = ("Europe/London", "Europe/Paris", "Europe/Helsinki")
TOKEN = "xoxb-benchmark"
MESSENGER_NAME = "adapters.slack.messenger.SlackMessenger (slack_sdk WebClient)"


# --- the fake Slack ---------------------------------------------------------------------------------


class FakeSlack:
    """Slack's Web API as far as delivery needs it, with a token-bucket rate limit on chat.postMessage."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = max(
            1.0, rate / 10
        )  # a tenth of a second of burst, so bursts cannot inflate the rate
        self.tokens = self.capacity
        self.refilled = time.monotonic()
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.by_channel: dict[str, list[dict[str, Any]]] = {}
        self.limited = 0
        self.history_calls = 0
        self.first: float | None = None
        self.last: float | None = None
        self.accepted_at: list[float] = []

    def take(self) -> bool:
        now = time.monotonic()
        if self.refilled is None:
            self.refilled = now
        self.tokens = min(self.capacity, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def post(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        if body.get("token") not in (None, TOKEN):
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        with self.lock:
            if not self.take():
                self.limited += 1
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}
            metadata = body.get("metadata") or {}
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            key = str((metadata.get("event_payload") or {}).get("key"))
            self.received[key] += 1
            now = time.monotonic()
            self.first = self.first if self.first is not None else now
            self.last = now
            self.accepted_at.append(now)
            channel = str(body.get("channel"))
            if channel.startswith("U"):
                channel = "D" + channel  # posting to a user id opens the DM, as Slack does
            ts = f"{time.time():.6f}"
            self.by_channel.setdefault(channel, []).append(
                {"ts": ts, "text": body.get("text", ""), "metadata": metadata}
            )
        return 200, {"ok": True, "channel": channel, "ts": ts}, {}

    def history(self, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            self.history_calls += 1
            messages = list(reversed(self.by_channel.get(params.get("channel", ""), [])))
        return {"ok": True, "messages": messages[: int(params.get("limit", "100"))]}


class Server:
    """The fake Slack on aiohttp (its C HTTP parser keeps the harness from being the bottleneck)."""

    def __init__(self, fake: FakeSlack) -> None:
        from tests.support.aiohttp_loop import Loop

        self.loop = Loop()
        self.port = self.loop.serve(self._app(fake))

    @staticmethod
    def _app(fake: FakeSlack) -> Any:
        from aiohttp import web

        async def handle(request: web.Request) -> web.Response:
            method = request.path.rsplit("/", 1)[-1]
            body: dict[str, Any] = {k: v for k, v in request.query.items()}
            if request.method == "POST":
                if "json" in (request.content_type or ""):
                    body.update(await request.json())
                else:
                    body.update({k: str(v) for k, v in (await request.post()).items()})
            status, headers = 200, {}
            if method == "chat.postMessage":
                status, reply, headers = fake.post(body)
            elif method == "conversations.open":
                reply = {"ok": True, "channel": {"id": "D" + str(body.get("users"))}}
            elif method == "conversations.history":
                reply = fake.history(body)
            else:
                reply = {"ok": False, "error": "unknown_method"}
            return web.json_response(reply, status=status, headers=headers)

        app = web.Application()
        app.router.add_route("*", "/api/{method}", handle)
        return app

    def shutdown(self) -> None:
        self.loop.close()


def serve(fake: FakeSlack) -> Server:
    return Server(fake)


# --- the worker process ----------------------------------------------------------------------------


def worker_main(args: argparse.Namespace) -> int:
    """One running copy of the delivery service: the product's own ``start_background`` threads.

    It is what ``staffroom worker`` runs, minus the periodic jobs (the planner already ran), with
    ``STAFFROOM_WORKER_ID`` set so a restarted copy takes back what it held when it was killed.
    """
    from sqlalchemy import func, select

    from bot.kernel.settings import Settings
    from staffroom import bootstrap, runtime
    from storage.models.kernel import OutboxRow

    settings = Settings(
        database_url=args.database_url,
        slack_bot_token=TOKEN,
        slack_api_base_url=args.slack_url,
        delivery_threads=args.threads,
        delivery_max_attempts=50,
        worker_id=f"bench-{args.slot}",  # stable across restarts, like a StatefulSet pod name
    )
    app = bootstrap.build(settings)
    messengers = bootstrap.platform_messengers(app)
    assert type(messengers[Platform.SLACK]).__name__ == "SlackMessenger"

    def remaining() -> int:
        with app.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(OutboxRow.status.in_(["pending", "sending"]))
                ).scalar_one()
            )

    background = runtime.start_background(app, messengers=messengers, jobs=[], poll_seconds=0.02)
    try:
        while remaining():
            time.sleep(0.1)
    finally:
        background.stop()
    return 0


# --- the benchmark ---------------------------------------------------------------------------------


def seed(database_url: str, members: int) -> tuple[datetime, float]:
    """Members, one program, and the planner's run at the due time; returns (plan time, seconds)."""

    from seed_teachers import seed_teachers

    from bot.checkins.planner import send_due_checkins
    from bot.kernel.clock import ManualClock
    from bot.kernel.domain import Program, ProgramKind
    from bot.kernel.settings import Settings
    from staffroom import bootstrap

    bootstrap.upgrade_database(Settings(database_url=database_url))
    # A Tuesday a week or more ago, so every row is due by the real clock the worker uses.
    today = datetime.now(UTC).date()
    tuesday = today - timedelta(days=(today.weekday() - 1) % 7 + 7)
    planned_at = datetime.combine(tuesday, dtime(15, 31), tzinfo=UTC)
    clock = ManualClock(planned_at - timedelta(days=7))
    app = bootstrap.build(Settings(database_url=database_url), clock=clock)
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.SLACK, "TBENCH", "Benchmark District")
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
    with app.engine.begin() as conn:
        seed_teachers(
            conn,
            workspace_id=ws.id,
            program_id=program.id,
            count=members,
            now=now,
            user_id=lambda i: f"U{i:06d}",
            timezone=lambda i: ZONES[i % len(ZONES)],
        )
    clock.set(planned_at)
    started = time.perf_counter()
    report = send_due_checkins(app.uow_factory, clock.now())
    elapsed = time.perf_counter() - started
    assert report.sent == members, report
    app.engine.dispose()
    return planned_at, elapsed


def start_worker(args: argparse.Namespace, slack_url: str, slot: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--slot",
            str(slot),
            "--database-url",
            args.database_url,
            "--slack-url",
            slack_url,
            "--threads",
            str(args.threads),
        ],
        cwd=ROOT,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument(
        "--rate", type=float, default=300.0, help="Slack's limit, messages a second"
    )
    parser.add_argument(
        "--threads", type=int, default=8, help="delivery threads a worker process (the default)"
    )
    parser.add_argument(
        "--processes", type=int, default=2, help="worker processes sharing the outbox"
    )
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction sent before the kill")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--timeout", type=float, default=170.0)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--slack-url", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--slot", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker_main(args)

    with tempfile.TemporaryDirectory() as tmp:
        args.database_url = args.database_url or f"sqlite:///{Path(tmp) / 'fanout.db'}"
        _planned_at, plan_seconds = seed(args.database_url, args.members)
        fake = FakeSlack(args.rate)
        server = serve(fake)
        slack_url = f"http://127.0.0.1:{server.port}/api/"
        started = time.monotonic()
        workers = [start_worker(args, slack_url, slot) for slot in range(args.processes)]
        killed_at_sent = None
        deadline = started + args.timeout
        while time.monotonic() < deadline:
            if killed_at_sent is None and len(fake.received) >= args.members * args.kill_at:
                for worker in workers:  # the whole delivery service dies at once, mid-send
                    os.kill(worker.pid, signal.SIGKILL)
                for worker in workers:
                    worker.wait()
                killed_at_sent = len(fake.received)
                workers = [start_worker(args, slack_url, slot) for slot in range(args.processes)]
            if killed_at_sent is not None and all(w.poll() is not None for w in workers):
                break
            time.sleep(0.05)
        else:
            for worker in workers:
                worker.kill()
        for worker in workers:
            worker.wait()
        server.shutdown()
        db_status = outbox_status(args.database_url)

    sent = len(fake.received)
    duplicates = sum(n - 1 for n in fake.received.values() if n > 1)
    # From the first message Slack accepted to the last: the fan-out itself, the kill and restart
    # included, without the worker process's start-up.
    seconds = (fake.last or 0.0) - (fake.first or 0.0)
    result = {
        "members": args.members,
        "sent": sent,
        "duplicates": duplicates,
        "lost": args.members - sent,
        "seconds": round(seconds, 2),
        "rate_limit_per_s": args.rate,
        "achieved_per_s": round(sent / seconds, 1) if seconds else 0.0,
        "utilisation": round(sent / seconds / args.rate, 3) if seconds else 0.0,
        "rate_limited_responses": fake.limited,
        "history_lookups": fake.history_calls,
        "killed_after_sent": killed_at_sent,
        "worker_processes": args.processes,
        "threads_per_process": args.threads,
        "outbox_status": db_status,
        "plan_seconds": round(plan_seconds, 2),
        "database": args.database_url.split(":", 1)[0],
        "messenger": MESSENGER_NAME,
    }
    print("accepted each second:", per_second(fake.accepted_at), file=sys.stderr)
    print(
        f"sent {sent}/{args.members}, duplicates {duplicates}, lost {result['lost']}, "
        f"{result['achieved_per_s']}/s against a limit of {args.rate:g}/s "
        f"(utilisation {result['utilisation']}); worker killed after {killed_at_sent} and restarted",
        file=sys.stderr,
    )
    print(json.dumps(result))
    return 0 if duplicates == 0 and result["lost"] == 0 else 1


def per_second(times: list[float]) -> list[int]:
    """Messages Slack accepted in each second of the fan-out: where the time went, at a glance."""
    if not times:
        return []
    counts = Counter(int(t - times[0]) for t in times)
    return [counts.get(second, 0) for second in range(max(counts) + 1)]


def outbox_status(database_url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from storage.db import make_engine
    from storage.models.kernel import OutboxRow

    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))
        found = {status: int(n) for status, n in rows}
    engine.dispose()
    return found


if __name__ == "__main__":
    raise SystemExit(main())
