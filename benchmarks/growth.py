"""How long a teacher's growth record takes among thousands of teachers with years of history.

Target: p99 under 100 ms. One workspace of ``--teachers`` teachers (2,000), each with ``--years``
years (3) of weekly answered check-ins, a reflection every other week and two observations a year
on each side, loaded in bulk. Each sample is ``build_record`` for a random teacher over the last
12 months in its own unit of work, exactly as ``growth`` makes it. SQLite gets no ANALYZE (the
product runs none there), so the figure is what its planner does without statistics; PostgreSQL
is analysed after the load, as ``storage.statistics`` does after bulk changes.

    .venv/bin/python benchmarks/growth.py                      # SQLite
    .venv/bin/python benchmarks/growth.py --postgres URL       # and PostgreSQL (a schema of its own)
    .venv/bin/python benchmarks/growth.py --teachers 500 --years 1 --samples 50   # a quick look

Prints one JSON object as its last line; ``p99_ms`` is the worst p99 of the databases measured.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time as timer
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from scratch_databases import databases, postgres_from_environment
from seed_teachers import seed_teachers
from sqlalchemy import Engine, insert, text

from bot.checkins.schedule import iso_week
from bot.growth.period import parse_period
from bot.growth.record import build_record
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform, Program
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models.checkins import CheckinRow
from storage.models.observations import ObservationRequestRow
from storage.models.reflections import ReflectionRow
from storage.uow import SqlUnitOfWorkFactory

TARGET_P99_MS = 100
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CHUNK = 20_000


def seed(engine: Engine, teachers: int, years: int, rng: random.Random) -> tuple[int, list[int]]:
    uow_factory = SqlUnitOfWorkFactory(make_session_factory(engine), lambda: NOW)
    with uow_factory() as uow:
        workspace_id = uow.workspaces.ensure(Platform.CONSOLE, "bench", "Benchmark District").id
        program = uow.scope(workspace_id).programs.add(Program(workspace_id, "Circle"))
        uow.commit()
    assert program.id is not None
    weeks = 52 * years
    with engine.begin() as conn:
        ids = seed_teachers(
            conn,
            workspace_id=workspace_id,
            program_id=program.id,
            count=teachers,
            now=NOW,
            user_id=lambda i: f"u{i}",
            timezone=lambda i: "Europe/London",
        )
        checkins: list[dict[str, Any]] = []
        reflections: list[dict[str, Any]] = []
        lessons: list[dict[str, Any]] = []
        for member_id in ids:
            for week in range(weeks):
                when = NOW - timedelta(
                    weeks=week, hours=rng.randrange(1, 24)
                )  # within its ISO week
                checkins.append(
                    {
                        "workspace_id": workspace_id,
                        "program_id": program.id,
                        "member_id": member_id,
                        "week": iso_week(when.date()),
                        "status": "answered",
                        "due_at": when,
                        "sent_at": when,
                        "answered_at": when,
                        "confidence": rng.randint(1, 5),
                        "goal": "Ask more open questions",
                    }
                )
                if week % 2 == 0:
                    reflections.append(
                        {
                            "workspace_id": workspace_id,
                            "member_id": member_id,
                            "program_id": program.id,
                            "went_well": "A quick note",
                            "try_next": "",
                            "visibility": "private",
                            "is_draft": False,
                            "created_at": when,
                            "updated_at": when,
                        }
                    )
            for _ in range(2 * years):
                observer = rng.choice(ids)
                day = date(2026, 12, 1) - timedelta(days=rng.randrange(0, 365 * years))
                starts = datetime.combine(day, time(10, 0), tzinfo=UTC)
                lessons.append(
                    {
                        "workspace_id": workspace_id,
                        "requester_id": member_id,
                        "observer_id": observer if observer != member_id else None,
                        "starts_at": starts,
                        "ends_at": starts + timedelta(minutes=50),
                        "timezone": "Europe/London",
                        "class_name": "",
                        "focus": "questioning",
                        "look_fors": "",
                        "status": "done",
                        "created_at": starts,
                        "updated_at": starts,
                    }
                )
        for table, rows in (
            (CheckinRow, checkins),
            (ReflectionRow, reflections),
            (ObservationRequestRow, lessons),
        ):
            for start in range(0, len(rows), CHUNK):
                conn.execute(insert(table), rows[start : start + CHUNK])
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return workspace_id, ids


def measure(engine: Engine, label: str, teachers: int, years: int, samples: int) -> dict[str, Any]:
    rng = random.Random(11)
    upgrade(engine)
    t0 = timer.perf_counter()
    workspace_id, ids = seed(engine, teachers, years, rng)
    seeded_s = timer.perf_counter() - t0
    uow_factory = SqlUnitOfWorkFactory(make_session_factory(engine), ManualClock(NOW).now)
    period = parse_period("", NOW.date())
    latencies: list[float] = []
    checkins: list[int] = []
    for _ in range(samples):
        with uow_factory() as uow:
            repos = uow.scope(workspace_id)
            t1 = timer.perf_counter()
            member = repos.members.get(rng.choice(ids))
            assert member is not None
            record = build_record(repos, member, period, NOW)
            latencies.append((timer.perf_counter() - t1) * 1000)
            checkins.append(record.activity.checkins_answered)
    latencies.sort()
    return {
        "database": label,
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 2),
        "max_ms": round(latencies[-1], 2),
        "checkins_in_a_record": round(statistics.mean(checkins), 1),
        "seed_s": round(seeded_s, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=2000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument(
        "--postgres",
        default=postgres_from_environment(),
        help="also measure on this PostgreSQL (default: STAFFROOM_TEST_POSTGRES_URL if set)",
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in databases(args.postgres, Path(tmp), "growth"):
            engine = make_engine(url)
            try:
                results.append(measure(engine, name, args.teachers, args.years, args.samples))
            finally:
                engine.dispose()
    for r in results:
        print(
            f"{r['database']}: p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms "
            f"({args.samples} records, {args.teachers} teachers x {args.years} years, "
            f"seeded in {r['seed_s']} s)"
        )
    worst = max(r["p99_ms"] for r in results)
    summary = {
        "p99_ms": worst,
        "target_p99_ms": TARGET_P99_MS,
        "teachers": args.teachers,
        "years": args.years,
        "samples": args.samples,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "databases": {
            r["database"]: {k: v for k, v in r.items() if k != "database"} for r in results
        },
    }
    print(json.dumps(summary))
    return 0 if worst < TARGET_P99_MS else 1


if __name__ == "__main__":
    sys.exit(main())
