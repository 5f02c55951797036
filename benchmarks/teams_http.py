"""Latency and throughput of Teams message activities posted to the real bot over loopback HTTP.

The real aiohttp app and botbuilder CloudAdapter run in a server process of their own (as in production)
on 127.0.0.1 with a fresh SQLite database; each activity's serviceUrl points at a fake Bot Connector in a
third process (a remote service in production), where the bot's reply is sent before the HTTP answer
returns. The connector's own handling time is measured there and taken out of each request's latency
(requests are sequential for the latency figures, so each connector call belongs to one request); a
throughput phase then runs several clients at once.
Target: p99 under 50 ms for a command reply. Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import logging
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.teams.app import build_teams_app
from bot.kernel.clock import ManualClock
from bot.kernel.settings import Settings
from staffroom import bootstrap
from staffroom.demo.school import make_school
from storage.db import make_session_factory
from storage.repositories.platform import SqlTeamsConversations
from tests.support.aiohttp_loop import Loop

TARGET_P99_MS = 50
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
MIX = [
    "profile",
    "goals",
    "help",
    "goals add Try one new questioning technique",
    "goals remove 1",
    "pause until 2026-12-18",
    "resume",
    'profile set school="North High"',
    "help pause",
    "gaols",
]


class TimedConnector:
    """The Bot Connector, answering at once and adding up how long it spent doing so."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._ids = itertools.count(1)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/__spent", self.spent)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    async def spent(self, _request: web.Request) -> web.StreamResponse:
        return web.json_response({"seconds": self.seconds, "calls": self.calls})

    async def handle(self, request: web.Request) -> web.StreamResponse:
        t0 = time.perf_counter()
        await request.read()
        response = web.json_response({"id": f"activity-{next(self._ids)}"})
        self.calls += 1
        self.seconds += time.perf_counter() - t0
        return response


class Client:
    def __init__(self, port: int, service_url: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.service_url = service_url
        self.ids = itertools.count(1)
        self.prefix = f"{threading.get_ident()}-"

    def activity(self, user: str, name: str, **extra: Any) -> dict[str, Any]:
        return {
            "type": "message",
            "id": f"{self.prefix}{next(self.ids)}",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "localTimezone": "Europe/London",
            "from": {"id": f"29:{user}", "name": name, "aadObjectId": f"aad-{user}"},
            "conversation": {"id": f"a:{user}", "conversationType": "personal", "tenantId": TENANT},
            "recipient": {"id": "28:staffroom", "name": "Staffroom"},
            "channelData": {"tenant": {"id": TENANT}},
            **extra,
        }

    def post(self, body: dict[str, Any]) -> int:
        self.conn.request(
            "POST", "/api/messages", json.dumps(body), {"Content-Type": "application/json"}
        )
        response = self.conn.getresponse()
        response.read()
        return response.status


def _join(client: Client, user: str, name: str, profile: dict[str, Any]) -> None:
    assert client.post(client.activity(user, name, text="join")) == 200
    data = {"staffroom": "form", "form_id": "member.profile", "__state__": "join:"}
    values = {
        k: ",".join(v) if isinstance(v, list) else v for k, v in profile.items() if v is not None
    }
    assert client.post(client.activity(user, name, value={**data, **values})) == 200


def serve_connector() -> int:
    """The Bot Connector's process: it is a remote service in production, so it gets its own CPU time."""
    loop = Loop()
    port = loop.serve(TimedConnector().app())
    print(json.dumps({"port": port}), flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    loop.close()
    return 0


def serve(db_dir: str) -> int:
    """The bot's process: the Teams app on its event loop, as `staffroom serve teams` runs it."""
    logging.disable(logging.WARNING)
    settings = Settings(
        database_url=f"sqlite:///{Path(db_dir) / 'bench.db'}", teams_allow_unauthenticated=True
    )
    bootstrap.upgrade_database(settings)
    app = bootstrap.build(settings, clock=ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    store = SqlTeamsConversations(make_session_factory(app.engine), app.clock.now)
    loop = Loop()
    port = loop.serve(build_teams_app(app.bot, store, settings))
    print(json.dumps({"port": port}), flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    loop.close()
    app.engine.dispose()
    return 0


def _spent(conn: http.client.HTTPConnection) -> float:
    conn.request("GET", "/__spent")
    response = conn.getresponse()
    return float(json.loads(response.read())["seconds"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--teachers", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients for throughput")
    parser.add_argument("--serve", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--connector", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.connector:
        return serve_connector()
    if args.serve:
        return serve(args.serve)
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        servers: list[subprocess.Popen[str]] = []

        def start(*extra: str) -> int:
            process = subprocess.Popen(
                [sys.executable, __file__, *extra],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            servers.append(process)
            assert process.stdout is not None
            return int(json.loads(process.stdout.readline())["port"])

        try:
            connector_port = start("--connector")
            port = start("--serve", tmp)
            service_url = f"http://127.0.0.1:{connector_port}/"
            meter = http.client.HTTPConnection("127.0.0.1", connector_port, timeout=30)
            school = make_school(args.teachers, rng)
            users = [(f"t{i}", t.name) for i, t in enumerate(school.teachers)]
            setup = Client(port, service_url)
            for (user, name), teacher in zip(users, school.teachers, strict=True):
                _join(setup, user, name, teacher.profile_values())

            latencies: list[float] = []
            connector_ms: list[float] = []
            client = Client(port, service_url)
            for _ in range(50):  # warm-up: connection, caches, the SDK's first-call costs
                client.post(client.activity(*users[0], text="help"))
            spent = _spent(meter)
            elapsed = 0.0
            for i in range(args.requests):
                user, name = users[i % len(users)]
                body = client.activity(user, name, text=rng.choice(MIX))
                t0 = time.perf_counter()
                assert client.post(body) == 200
                total = time.perf_counter() - t0
                elapsed += total
                spent, before = _spent(meter), spent
                latencies.append((total - (spent - before)) * 1000)
                connector_ms.append((spent - before) * 1000)

            def run_client(count: int, offset: int) -> None:
                c = Client(port, service_url)
                for i in range(count):
                    user, name = users[(offset + i) % len(users)]
                    assert c.post(c.activity(user, name, text=MIX[i % len(MIX)])) == 200

            per_client = args.requests // args.clients
            threads = [
                threading.Thread(target=run_client, args=(per_client, k * 7))
                for k in range(args.clients)
            ]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            concurrent_s = time.perf_counter() - t0
        finally:
            for server in servers:
                if server.stdin:
                    server.stdin.close()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    latencies.sort()
    result = {
        "requests": args.requests,
        "database": "sqlite",
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3),
        "connector_p50_ms": round(statistics.median(connector_ms), 3),
        "sequential_requests_per_s": round(args.requests / elapsed, 1),
        "requests_per_s": round(per_client * args.clients / concurrent_s, 1),
        "clients": args.clients,
        "target_p99_ms": TARGET_P99_MS,
    }
    print(json.dumps(result))
    return 0 if result["p99_ms"] < TARGET_P99_MS else 1


if __name__ == "__main__":
    sys.exit(main())
