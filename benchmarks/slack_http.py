"""Signed slash commands at the real Slack app over loopback, against a bare bolt app in the same run.

Staffroom runs as `staffroom serve slack` (its default 2 worker processes) on SQLite with 40 teachers
who joined through the real form; Slack's Web API and response URLs are played by the tests' fake in a
process of its own. The baseline is a bare bolt app, served by the same threaded WSGI server with the
same bolt settings (`process_before_response`), that answers `/staffroom` in its acknowledgement.

Figures:
- `requests_per_s`, `baseline_requests_per_s`: acknowledged commands a second with CONCURRENCY
  clients sending as fast as they can (Slack's 3-second rule is about the acknowledgement).
- `p50_ms`, `p99_ms`: time to the acknowledgement at a steady PACED_RATE commands a second, counted
  from when each was due. `saturated_p99_ms` is the same under the flat-out run, where it is mostly
  the clients' own queue (8 in flight / throughput).
- `answered_per_s`: Staffroom answers after acknowledging; the clock stops when the last answer has
  reached the fake Slack, and `answered` must equal `requests` (nothing lost).
Targets: p99 under 50 ms, and at least half the bare app's throughput. Prints one JSON object last.
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' fake Slack

from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform
from bot.kernel.events import Actor, Inbound, InboundKind
from bot.kernel.settings import Settings
from bot.members.profile import PROFILE_FORM
from staffroom import bootstrap
from staffroom.demo.school import make_school
from tests.adapters.slack import fake_slack
from tests.adapters.slack.fake_slack import FakeSlack

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
WARMUP = 100
CONCURRENCY = 8
TEACHERS = 40
PACED = int(os.environ.get("BENCH_PACED", "1000"))
PACED_RATE = 100.0
"""Commands a second for the latency figures: 6,000 a minute, far above a district's busiest minute."""
MIX = ("help", "profile", "goals", "home", "help pause", "goals")
ROOT = Path(__file__).resolve().parent.parent

BARE_APP = textwrap.dedent(
    """
    import os, sys
    from slack_bolt import App
    from slack_sdk import WebClient
    from adapters.slack.server import make_http_server
    from bot.features import REGISTRY
    from bot.kernel.commands import help_text

    app = App(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_BASE_URL"]),
        process_before_response=True,
    )

    @app.command("/staffroom")
    def answer(ack, body):
        ack(response_type="ephemeral", text=help_text(None, is_coordinator=False, registry=REGISTRY.verbs))

    server = make_http_server(app, "127.0.0.1", int(sys.argv[1]))
    print("ready", flush=True)
    server.serve_forever()
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            fake_slack.post(f"http://127.0.0.1:{port}/slack/events", b"", "text/plain")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def seed(database_url: str) -> list[str]:
    """Teachers who joined through the real profile form, so commands read real rows."""
    bootstrap.upgrade_database(Settings(database_url=database_url))
    app = bootstrap.build(
        Settings(database_url=database_url),
        clock=ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)),
    )
    users = []
    for n, teacher in enumerate(make_school(TEACHERS, random.Random(3)).teachers):
        user = f"U{n:04d}"
        actor = Actor(Platform.SLACK, fake_slack.TEAM, user, teacher.name, "Bench School")
        values = {**teacher.profile_values(), "__state__": "join:"}
        outcome = app.bot.handle(
            Inbound(actor=actor, kind=InboundKind.FORM, form_id=PROFILE_FORM, values=values)
        )
        assert outcome.ok, outcome.replies
        users.append(user)
    app.engine.dispose()
    return users


def drive(
    port: int,
    users: list[str],
    n: int,
    fake: FakeSlack,
    answered: Callable[[], int],
    *,
    rate: float | None = None,
) -> dict[str, float]:
    """Send ``n`` signed commands: as fast as CONCURRENCY clients can (``rate=None``), or paced at
    ``rate`` a second. Paced latency counts from when a request was due, not when it was sent, so a
    slow server cannot hide its queue (no coordinated omission)."""
    url = f"http://127.0.0.1:{port}/slack/events"
    rng = random.Random(5)
    bodies = [
        fake_slack.command_body(
            rng.choice(MIX),
            user=(user := rng.choice(users)),
            response_url=fake.response_url(user),
        )
        for _ in range(n)
    ]
    latencies: list[float] = []
    errors = 0
    inline = 0
    lock = threading.Lock()
    cursor = iter(range(n))
    before = answered()

    def client() -> None:
        nonlocal errors, inline
        while True:
            with lock:
                i = next(cursor, None)
            if i is None:
                return
            started = time.perf_counter()
            if rate is not None:
                started = begin + i / rate
                time.sleep(max(0.0, started - time.perf_counter()))
            reply = fake_slack.post(url, bodies[i], fake_slack.FORM)
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                errors += reply.status != 200
                inline += bool(reply.body)

    start = begin = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    acked = time.perf_counter() - start
    deadline = time.monotonic() + 120
    while inline + answered() - before < n and time.monotonic() < deadline:
        time.sleep(0.01)
    done = time.perf_counter() - start
    total = inline + answered() - before
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "acked_per_s": n / acked,
        "answered": total,
        "answered_in_ack": inline,
        "answered_per_s": total / done,
        "errors": errors,
    }


def run_server(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wait_until_up(port, proc)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


class RemoteFake(FakeSlack):
    """The fake Slack in a process of its own, so that answering response URLs (Slack's work in real
    life) does not take CPU from the client threads that drive the load."""

    def __init__(self) -> None:
        super().__init__()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.adapters.slack.fake_slack"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert self.proc.stdout is not None
        self._base = self.proc.stdout.readline().decode().strip()

    @property
    def base(self) -> str:
        return self._base

    def count(self, method: str) -> int:
        with urllib.request.urlopen(f"{self._base}/_count?method={method}") as reply:
            return int(json.loads(reply.read())["count"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def main() -> int:
    fake = RemoteFake()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            database_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            users = seed(database_url)
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "SLACK_BOT_TOKEN": fake_slack.BOT_TOKEN,
                "SLACK_SIGNING_SECRET": fake_slack.SIGNING_SECRET,
                "SLACK_API_BASE_URL": fake.api_url,
                "STAFFROOM_LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT),
            }

            def answered() -> int:
                return fake.count("response_url")

            port = free_port()
            staffroom = run_server(
                [
                    str(Path(sys.executable).parent / "staffroom"),
                    "serve",
                    "slack",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                env,
                port,
            )
            try:
                drive(port, users, WARMUP, fake, answered)
                ours = drive(port, users, REQUESTS, fake, answered)
                paced = drive(port, users, PACED, fake, answered, rate=PACED_RATE)
            finally:
                stop(staffroom)

            bare_port = free_port()
            bare = run_server([sys.executable, "-c", BARE_APP, str(bare_port)], env, bare_port)
            try:
                drive(bare_port, users, WARMUP, fake, lambda: 0)
                baseline = drive(bare_port, users, REQUESTS, fake, lambda: 0)
            finally:
                stop(bare)
    finally:
        fake.stop()

    result = {
        "requests": REQUESTS,
        "concurrency": CONCURRENCY,
        "p50_ms": round(paced["p50_ms"], 2),
        "p99_ms": round(paced["p99_ms"], 2),
        "paced_rate_per_s": PACED_RATE,
        "saturated_p50_ms": round(ours["p50_ms"], 2),
        "saturated_p99_ms": round(ours["p99_ms"], 2),
        "requests_per_s": round(ours["acked_per_s"], 1),
        "answered_per_s": round(ours["answered_per_s"], 1),
        "answered": int(ours["answered"]),
        "errors": int(ours["errors"] + paced["errors"] + baseline["errors"]),
        "baseline_requests_per_s": round(baseline["acked_per_s"], 1),
        "baseline_p99_ms": round(baseline["p99_ms"], 2),
    }
    result["throughput_ratio"] = round(
        result["requests_per_s"] / result["baseline_requests_per_s"], 2
    )
    result["ok"] = (
        result["p99_ms"] < 50
        and result["throughput_ratio"] >= 0.5
        and result["answered"] == REQUESTS
        and paced["answered"] == PACED
        and result["errors"] == 0
    )
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
