"""One week's check-ins for 10,000 teachers, through a Slack messenger, to a rate-limited fake Slack.

What it shows (issue 6): the fan-out is exactly-once and uses the platform's rate limit well, even when
the delivery worker is killed (SIGKILL) midway and restarted.

1. A fresh database (SQLite in a temp folder, or ``--database-url``) gets 10,000 members in three time
   zones in one program; the check-in planner (the scheduler's job) writes one check-in and one outbox
   row per member.
2. A local HTTP server plays Slack's Web API: ``chat.postMessage`` within a token bucket of
   ``--rate`` messages a second, ``429`` with ``Retry-After`` beyond it; ``conversations.history``
   returns a channel's messages with their metadata (how a retry finds a message that got through).
3. A worker process (``DeliveryWorker`` threads over ``slack_sdk``'s real ``WebClient``) delivers the
   outbox. When half the messages are in, it is killed with SIGKILL, and a new one is started.
4. The server's own log decides: ``sent`` (distinct check-ins received), ``duplicates`` (received more
   than once), ``lost`` (never received), ``seconds`` (first send to last), and ``utilisation`` (achieved
   rate / rate limit). Targets: duplicates 0, lost 0, utilisation >= 0.9.

The messenger is the benchmark's own thin ``slack_sdk`` one (chat.postMessage with the outbox key in the
message metadata) until the Slack adapter (issue 3) lands; the JSON says which one ran.

Usage: ``.venv/bin/python benchmarks/fanout.py [--members 10000] [--rate 300] [--threads 4]``.
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.domain import OutboxItem, Platform  # noqa: E402
from bot.messages import Message  # noqa: E402
from bot.ports import SendResult  # noqa: E402

ZONES = ("Europe/London", "Europe/Paris", "Europe/Helsinki")
TOKEN = "xoxb-benchmark"
MESSENGER_NAME = (
    "benchmark slack_sdk messenger (chat.postMessage + metadata); Slack adapter not landed"
)


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

    def take(self) -> bool:
        now = time.monotonic()
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
            key = str((body.get("metadata") or {}).get("event_payload", {}).get("idempotency_key"))
            self.received[key] += 1
            now = time.monotonic()
            self.first = self.first if self.first is not None else now
            self.last = now
            channel = str(body.get("channel"))
            ts = f"{time.time():.6f}"
            self.by_channel.setdefault(channel, []).append(
                {"ts": ts, "text": body.get("text", ""), "metadata": body.get("metadata")}
            )
        return 200, {"ok": True, "channel": channel, "ts": ts}, {}

    def history(self, params: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            self.history_calls += 1
            messages = list(reversed(self.by_channel.get(params.get("channel", ""), [])))
        return {"ok": True, "messages": messages[: int(params.get("limit", "100"))]}


def serve(fake: FakeSlack) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            if "json" in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw or "{}")
            else:
                body = {k: v[0] for k, v in parse_qs(raw).items()}
            self._route(urlparse(self.path).path, body)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            self._route(url.path, {k: v[0] for k, v in parse_qs(url.query).items()})

        def _route(self, path: str, body: dict[str, Any]) -> None:
            method = path.rsplit("/", 1)[-1]
            if method == "chat.postMessage":
                self._reply(*fake.post(body))
            elif method == "conversations.history":
                self._reply(200, fake.history(body), {})
            else:
                self._reply(200, {"ok": False, "error": "unknown_method"}, {})

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- the messenger ----------------------------------------------------------------------------------


class BenchSlackMessenger:
    """chat.postMessage through slack_sdk, the outbox key in the message's metadata.

    ``already_sent`` asks ``conversations.history`` for a message carrying the key, so a retry after a
    crash between "sent" and "marked sent" is recognised instead of sent again.
    """

    platform = Platform.SLACK

    def __init__(self, base_url: str) -> None:
        from slack_sdk import WebClient

        self.client = WebClient(token=TOKEN, base_url=base_url, retry_handlers=[])

    def send(self, item: OutboxItem, message: Message) -> SendResult:
        from slack_sdk.errors import SlackApiError

        try:
            response = self.client.chat_postMessage(
                channel=item.recipient_user_id,
                text=message.text,
                metadata={
                    "event_type": "staffroom_outbox",
                    "event_payload": {"idempotency_key": item.idempotency_key},
                },
            )
        except SlackApiError as exc:
            status = exc.response.status_code
            headers = {k.lower(): v for k, v in (exc.response.headers or {}).items()}
            if status == 429:
                retry = headers.get("retry-after", "1")
                value = retry[0] if isinstance(retry, list) else retry
                return SendResult(ok=False, retry_after=float(value), error="429 ratelimited")
            error = str(exc.response.get("error", status))
            return SendResult(ok=False, permanent=status < 500, error=error)
        except OSError as exc:
            return SendResult(ok=False, error=f"network: {exc}")
        return SendResult(ok=True, platform_message_id=str(response.get("ts")))

    def already_sent(self, item: OutboxItem) -> str | None:
        response = self.client.conversations_history(
            channel=item.recipient_user_id, include_all_metadata=True, limit=20
        )
        for found in response.get("messages", []):
            payload = (found.get("metadata") or {}).get("event_payload") or {}
            if payload.get("idempotency_key") == item.idempotency_key:
                return str(found["ts"])
        return None


# --- the worker process ----------------------------------------------------------------------------


def worker_main(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from bot.cli import wiring
    from bot.delivery import DeliveryWorker
    from bot.settings import Settings
    from storage.models import OutboxRow

    app = wiring.build(Settings(database_url=args.database_url))
    messenger = BenchSlackMessenger(args.slack_url)
    stop = threading.Event()

    def remaining() -> int:
        with app.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(OutboxRow.status.in_(["pending", "sending"]))
                ).scalar_one()
            )

    def loop(index: int) -> None:
        worker = DeliveryWorker(
            app.queue,
            {Platform.SLACK: messenger},
            app.clock,
            worker_id=f"bench-{os.getpid()}-{index}",
            max_attempts=50,
            lease=timedelta(seconds=args.lease),
            batch_size=args.batch,
        )
        while not stop.is_set():
            report = worker.run_once()
            if report.handled == 0:
                if remaining() == 0:
                    stop.set()
                    return
                time.sleep(0.02)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return 0


# --- the benchmark ---------------------------------------------------------------------------------


def seed(database_url: str, members: int) -> tuple[datetime, float]:
    """Members, one program, and the planner's run at the due time; returns (plan time, seconds)."""
    from sqlalchemy import insert

    from bot.checkins import send_due_checkins
    from bot.cli import wiring
    from bot.clock import ManualClock
    from bot.domain import Program, ProgramKind
    from bot.settings import Settings
    from storage.models import MemberRow, MembershipRow

    wiring.upgrade_database(Settings(database_url=database_url))
    # A Tuesday a week or more ago, so every row is due by the real clock the worker uses.
    today = datetime.now(UTC).date()
    tuesday = today - timedelta(days=(today.weekday() - 1) % 7 + 7)
    planned_at = datetime.combine(tuesday, dtime(15, 31), tzinfo=UTC)
    clock = ManualClock(planned_at - timedelta(days=7))
    app = wiring.build(Settings(database_url=database_url), clock=clock)
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
        conn.execute(
            insert(MemberRow),
            [
                {
                    "workspace_id": ws.id,
                    "platform_user_id": f"U{i:06d}",
                    "display_name": f"Teacher {i}",
                    "timezone": ZONES[i % len(ZONES)],
                    "role": "teacher",
                    "subjects": ["Maths"],
                    "grade_bands": ["9-10"],
                    "goals": ["Ask more open questions"],
                    "strengths": [],
                    "status": "active",
                    "reachable": True,
                    "consented_at": now,
                    "joined_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(members)
            ],
        )
        ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM members ORDER BY id")]
        conn.execute(
            insert(MembershipRow),
            [
                {
                    "workspace_id": ws.id,
                    "program_id": program.id,
                    "member_id": mid,
                    "role": "peer",
                    "joined_at": now,
                }
                for mid in ids
            ],
        )
    clock.set(planned_at)
    started = time.perf_counter()
    report = send_due_checkins(app.uow_factory, clock.now())
    elapsed = time.perf_counter() - started
    assert report.sent == members, report
    app.engine.dispose()
    return planned_at, elapsed


def start_worker(args: argparse.Namespace, slack_url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--database-url",
            args.database_url,
            "--slack-url",
            slack_url,
            "--threads",
            str(args.threads),
            "--lease",
            str(args.lease),
            "--batch",
            str(args.batch),
        ],
        cwd=ROOT,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument(
        "--rate", type=float, default=300.0, help="Slack's limit, messages a second"
    )
    parser.add_argument("--threads", type=int, default=4, help="delivery threads in the worker")
    parser.add_argument(
        "--lease", type=float, default=2.0, help="seconds a claimed message is held"
    )
    parser.add_argument("--batch", type=int, default=10, help="messages claimed at a time")
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction sent before the kill")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--timeout", type=float, default=170.0)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--slack-url", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker_main(args)

    with tempfile.TemporaryDirectory() as tmp:
        args.database_url = args.database_url or f"sqlite:///{Path(tmp) / 'fanout.db'}"
        _planned_at, plan_seconds = seed(args.database_url, args.members)
        fake = FakeSlack(args.rate)
        server = serve(fake)
        slack_url = f"http://127.0.0.1:{server.server_address[1]}/api/"
        started = time.monotonic()
        worker = start_worker(args, slack_url)
        killed_at_sent = None
        deadline = started + args.timeout
        while time.monotonic() < deadline:
            if killed_at_sent is None and len(fake.received) >= args.members * args.kill_at:
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait()
                killed_at_sent = len(fake.received)
                worker = start_worker(args, slack_url)
            if worker.poll() is not None and killed_at_sent is not None:
                break
            time.sleep(0.05)
        else:
            worker.kill()
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
        "outbox_status": db_status,
        "plan_seconds": round(plan_seconds, 2),
        "database": args.database_url.split(":", 1)[0],
        "messenger": MESSENGER_NAME,
    }
    print(
        f"sent {sent}/{args.members}, duplicates {duplicates}, lost {result['lost']}, "
        f"{result['achieved_per_s']}/s against a limit of {args.rate:g}/s "
        f"(utilisation {result['utilisation']}); worker killed after {killed_at_sent} and restarted",
        file=sys.stderr,
    )
    print(json.dumps(result))
    return 0 if duplicates == 0 and result["lost"] == 0 else 1


def outbox_status(database_url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from storage.db import make_engine
    from storage.models import OutboxRow

    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))
        found = {status: int(n) for status, n in rows}
    engine.dispose()
    return found


if __name__ == "__main__":
    raise SystemExit(main())
