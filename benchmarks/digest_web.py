"""How fast the coordinator's web digest answers, through a running server, for 5,000 teachers.

Target: p99 under 200 ms for the page of a program of 5,000 teachers with 40 weeks of history
(``benchmarks/digest.py``'s program: 200,000 check-ins, 100,000 reflections, pairing rounds,
observations, resources, failed deliveries), with a signed link, over loopback HTTP. The server is
``staffroom web`` in its own process (the same core and the same threaded WSGI server class the
Slack server mounts ``/digest/...`` on), started from the environment like any install, so the
client's time is not the server's. Nothing is warmed: the first request is the first the server ever
answers (it also freezes the closed weeks' figures, as the product does on a first read) and counts
with the rest. Requests go one after another, a fresh connection each, as a coordinator's browser
opening the link would; 1,000 samples put ten beyond the 99th percentile. PostgreSQL gets no ANALYZE
of the benchmark's making: after the bulk load it runs the product's own ``storage.statistics`` job
once, as a deployment's worker would have within 15 minutes of any bulk change (it analyses what
autovacuum, when on, would have; this machine runs PostgreSQL with autovacuum off). Prints one JSON
object as its last line.

    .venv/bin/python benchmarks/digest_web.py [--requests 1000] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.digest.links import LinkSigner
from bot.kernel.settings import Settings
from storage.db import make_engine
from storage.models.members import MemberRow
from storage.models.programs import MembershipRow, ProgramRow

sys.path.insert(0, str(Path(__file__).parent))
from digest import TARGET_WEEK, TEACHERS, WEEKS, fill
from scratch_databases import postgres_schema

SECRET = "benchmark-web-secret-" + "x" * 32
TARGET_P99 = 0.200


def add_coordinator(url: str) -> tuple[int, int, int]:
    """The program's coordinator, whose link the requests carry: (workspace, program, member)."""
    engine = make_engine(url)
    with Session(engine) as s:
        program = s.query(ProgramRow).one()
        now = datetime.now(UTC)
        row = MemberRow(
            workspace_id=program.workspace_id,
            platform_user_id="UCOORD",
            display_name="Pat Coordinator",
            timezone=program.timezone,
            role="coordinator",
            status="active",
            reachable=True,
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        s.flush()
        s.add(
            MembershipRow(
                workspace_id=program.workspace_id,
                program_id=program.id,
                member_id=row.id,
                role="coordinator",
                joined_at=now,
            )
        )
        s.commit()
        found = (program.workspace_id, program.id, row.id)
    engine.dispose()
    return found


def run_upkeep(url: str) -> object:
    """The worker's storage job, once, through the product's own scheduler."""
    from staffroom.bootstrap import build
    from staffroom.runtime import make_scheduler

    app = build(Settings(database_url=url))
    try:
        return make_scheduler(app).run_job("storage.statistics")
    finally:
        app.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "STAFFROOM_WEB_SECRET": SECRET,
        "STAFFROOM_LOG_LEVEL": "WARNING",
    }
    staffroom = Path(sys.executable).with_name("staffroom")
    server = subprocess.Popen(
        [str(staffroom), "web", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "/healthz")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("staffroom web did not start")


def request(port: int, path: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def measure(url: str, requests: int) -> dict[str, Any]:
    workspace, program, member = add_coordinator(url)
    token = LinkSigner(SECRET).mint(workspace, program, member, 0, datetime.now(UTC))
    path = f"/digest/{token}?week={TARGET_WEEK}"
    port = free_port()
    server = start_server(url, port)
    try:
        times: list[float] = []
        size = 0
        for _ in range(requests):
            t0 = time.perf_counter()
            status, size = request(port, path)
            times.append(time.perf_counter() - t0)
            assert status == 200, status
        csv_t0 = time.perf_counter()
        csv_status, _ = request(port, f"/digest/{token}/csv?week={TARGET_WEEK}")
        csv_seconds = time.perf_counter() - csv_t0
        assert csv_status == 200
        refused_t0 = time.perf_counter()
        refused, _ = request(port, f"/digest/{token[:-2]}xx?week={TARGET_WEEK}")
        refused_seconds = time.perf_counter() - refused_t0
        assert refused == 403
    finally:
        server.terminate()
        server.wait(10)
    ordered = sorted(times)
    return {
        "requests": requests,
        "page_bytes": size,
        "first_ms": round(times[0] * 1000, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p90_ms": round(ordered[int(0.90 * len(ordered)) - 1] * 1000, 1),
        "p99_ms": round(ordered[int(0.99 * len(ordered)) - 1] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "csv_ms": round(csv_seconds * 1000, 1),
        "refused_ms": round(refused_seconds * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--database-url", help="a PostgreSQL URL (the program goes in a new schema)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as schema:
        url = (
            schema.enter_context(postgres_schema(args.database_url, "bench_digest_web"))
            if args.database_url
            else f"sqlite:///{Path(tmp) / 'digest-web.db'}"
        )
        t0 = time.perf_counter()
        fill(url, WEEKS, seed=47, analyze=False)
        print(f"filled {WEEKS} weeks in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        print(f"upkeep analysed: {run_upkeep(url)}", file=sys.stderr)
        result: dict[str, Any] = {
            "database": "postgresql" if args.database_url else "sqlite",
            "teachers": TEACHERS,
            "weeks": WEEKS,
            **measure(url, args.requests),
        }
    result["ok"] = result["p99_ms"] < TARGET_P99 * 1000
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
