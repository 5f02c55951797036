"""The check-in planner at district scale: the minute nothing is due, and the minutes everyone is.

One workspace, one program (Tuesdays at 15:30 local), ``--members`` teachers who have all joined,
spread over time zones so that ``--due`` of them share one due minute (London) and the rest fall due
at other hours. Each figure runs the job exactly as the scheduler does (``REGISTRY.job
("checkins.plan")``, the library's suggestions wired in) against a database seeded in bulk; nothing
is warmed and nothing runs ``ANALYZE`` that the product does not run itself.

* ``idle``: the minutes before anything is due, after the planner's first look (which it also
  reports): the p50/p99 of ``--idle-samples`` runs, target under 50 ms;
* ``due``: the run at the minute ``--due`` teachers are due: all their check-ins queued, target
  under 10 s for 10,000;
* ``all_due`` (with ``--all-due``): a second database where every member is in London, so all of
  them are due in one run, target under 40 s for 50,000.

    .venv/bin/python benchmarks/planner.py                           # SQLite, 50,000 members
    .venv/bin/python benchmarks/planner.py --postgres URL --all-due  # and PostgreSQL

Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time as timer
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from scratch_databases import databases, postgres_from_environment
from sqlalchemy import Engine, func, insert, select

from bot.features import REGISTRY
from bot.kernel.domain import Platform, Program, ProgramKind
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models.kernel import OutboxRow
from storage.models.members import MemberRow
from storage.models.programs import MembershipRow
from storage.uow import SqlUnitOfWorkFactory

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # Tuesday 15:30 in London
OTHER_ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
"""West of London: at London's 15:30 on Tuesday their own 15:30 is still to come."""
TARGETS = {"idle_p99_ms": 50, "due_s": 10, "all_due_s": 40}


def seed(engine: Engine, members: int, in_london: int) -> SqlUnitOfWorkFactory:
    upgrade(engine)
    clock = {"now": MONDAY - timedelta(days=7)}
    uow_factory = SqlUnitOfWorkFactory(make_session_factory(engine), lambda: clock["now"])
    with uow_factory() as uow:
        workspace_id = uow.workspaces.ensure(Platform.SLACK, "T-BENCH", "Benchmark District").id
        program = uow.scope(workspace_id).programs.add(
            Program(
                workspace_id=workspace_id,
                name="District PLC",
                kind=ProgramKind.PEER_GROUPS,
                checkin_weekday=1,
                checkin_time=time(15, 30),
                timezone="Europe/London",
            )
        )
        uow.commit()
    joined = MONDAY - timedelta(days=7)
    rows = [
        {
            "workspace_id": workspace_id,
            "platform_user_id": f"U{i:06d}",
            "display_name": f"Teacher {i}",
            "timezone": "Europe/London" if i < in_london else OTHER_ZONES[i % len(OTHER_ZONES)],
            "role": "teacher",
            "subjects": ["Maths"],
            "grade_bands": ["9-10"],
            "goals": ["Ask more open questions"],
            "strengths": [],
            "status": "active",
            "consented_at": joined,
            "joined_at": joined,
            "reachable": True,
            "created_at": joined,
            "updated_at": joined,
        }
        for i in range(members)
    ]
    with engine.begin() as conn:
        for start in range(0, members, 5000):
            conn.execute(insert(MemberRow), rows[start : start + 5000])
        ids = list(conn.scalars(select(MemberRow.id).order_by(MemberRow.id)))
        memberships = [
            {
                "workspace_id": workspace_id,
                "program_id": program.id,
                "member_id": member_id,
                "role": "peer",
                "joined_at": joined,
            }
            for member_id in ids
        ]
        for start in range(0, members, 5000):
            conn.execute(insert(MembershipRow), memberships[start : start + 5000])
    return uow_factory


def run_job(uow_factory: SqlUnitOfWorkFactory, now: datetime) -> Any:
    return REGISTRY.job("checkins.plan").run(uow_factory, now)


def queued(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(OutboxRow)) or 0)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def measure(engine: Engine, members: int, due: int, idle_samples: int) -> dict[str, Any]:
    t0 = timer.perf_counter()
    uow_factory = seed(engine, members, due)
    seeded = timer.perf_counter() - t0

    t0 = timer.perf_counter()
    run_job(uow_factory, MONDAY)  # the planner's first look after a start: walks every member
    first_look = timer.perf_counter() - t0
    idle = []
    for i in range(idle_samples):  # Monday's minutes after that: nothing is due
        t0 = timer.perf_counter()
        run_job(uow_factory, MONDAY + timedelta(minutes=1 + i % 300))
        idle.append(timer.perf_counter() - t0)

    before = queued(engine)
    t0 = timer.perf_counter()
    run_job(uow_factory, DUE)
    due_s = timer.perf_counter() - t0
    sent = queued(engine) - before
    return {
        "members": members,
        "seed_s": round(seeded, 1),
        "first_look_s": round(first_look, 2),
        "idle_p50_ms": round(statistics.median(idle) * 1000, 2),
        "idle_p99_ms": round(percentile(idle, 0.99) * 1000, 2),
        "idle_samples": idle_samples,
        "due": due,
        "due_queued": sent,
        "due_s": round(due_s, 2),
    }


def each_database(
    postgres: str, label: str, work: Callable[[Engine], dict[str, Any]]
) -> dict[str, Any]:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in databases(postgres, Path(tmp), f"planner-{label.replace(' ', '-')}"):
            engine = make_engine(url)
            try:
                results[name] = work(engine)
            finally:
                engine.dispose()
            print(f"{label} on {name}: {results[name]}", file=sys.stderr)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--idle-samples", type=int, default=1000)
    parser.add_argument("--all-due", action="store_true", help="also time every member due at once")
    parser.add_argument(
        "--postgres",
        default=postgres_from_environment(),
        help="also measure on this PostgreSQL (default: STAFFROOM_TEST_POSTGRES_URL if set)",
    )
    args = parser.parse_args()
    summary: dict[str, Any] = {
        "targets": TARGETS,
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "planner": each_database(
            args.postgres,
            "planner",
            lambda engine: measure(engine, args.members, args.due, args.idle_samples),
        ),
    }
    if args.all_due:
        summary["all_due"] = each_database(
            args.postgres,
            "all due",
            lambda engine: measure(engine, args.members, args.members, 20),
        )
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
