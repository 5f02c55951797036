"""How long a teacher waits for observer suggestions, at 5,000 and at 50,000 teachers.

Target: p99 under 100 ms. One workspace of teachers in three time zones, each with the weekly free
periods of a real timetable (4 to 8 of the day's periods), and a term of observations behind them
(about 2 lessons per teacher, some confirmed ahead; a third of the lessons had several observers, as
a research lesson does) so that "not already observing" and "observed least lately" do real work.
Each sample is a random teacher typing ``observe DATE HH:MM-HH:MM focus: ...`` at the console for a
random lesson in the grid: the command's whole path (parse, school-day check, suggestions, the draft
stored, the reply built), after the product's own statistics job, never a warmed or analysed table.

    .venv/bin/python benchmarks/observers.py                  # SQLite
    .venv/bin/python benchmarks/observers.py --postgres URL   # and PostgreSQL (a schema of its own)
    .venv/bin/python benchmarks/observers.py --teachers 5000 --samples 1000

Prints one JSON object as its last line; ``p99_ms`` is the worst p99 of every size and database.
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
from zoneinfo import ZoneInfo

from scratch_databases import databases, postgres_from_environment
from sqlalchemy import Engine, insert, text

from adapters.console.session import ConsoleSession, console_user_id
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform
from bot.kernel.settings import Settings
from bot.observations.model import RequestStatus
from staffroom import bootstrap

# The same school vocabulary as the demo, so benchmark and demo describe one kind of district.
from staffroom.demo.school import GRADES, STRENGTHS, SUBJECTS, ZONES
from staffroom.runtime import make_scheduler
from storage.models.members import MemberRow
from storage.models.observations import FreePeriodRow, ObservationRequestRow

SIZES = (5000, 50000)
SAMPLES = 1000
TARGET_P99_MS = 100
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday, week 12 of the autumn term
TERM_START = date(2026, 9, 7)
PERIODS = [
    (time(8, 50), time(9, 50)),
    (time(9, 50), time(10, 50)),
    (time(11, 10), time(12, 10)),
    (time(12, 10), time(13, 10)),
    (time(14, 0), time(15, 0)),
    (time(15, 0), time(16, 0)),
]
FOCI = (
    "questioning",
    "classroom management",
    "differentiation",
    "engagement",
    "assessment for learning",
)
SEVERAL_OBSERVERS = 3
"""One lesson in this many had several observers (two to four), as a lesson study's research lesson."""
CHUNK = 20000


def name_of(i: int) -> str:
    return f"Teacher {i}"


def seed(app: bootstrap.Staffroom, teachers: int, rng: random.Random) -> list[str]:
    """Bulk-load the school straight into the tables (setting up is not what is measured); the
    teachers are the console's people, so each can then type at the console. Returns who can ask."""
    engine: Engine = app.engine
    with app.uow_factory() as uow:
        workspace_id = uow.workspaces.ensure(Platform.CONSOLE, "local", "Benchmark District").id
        uow.commit()
    members: list[dict[str, Any]] = []
    for i in range(teachers):
        years = rng.choice((0, 1, 2, 3, 5, 8, 12, 20))
        members.append(
            {
                "workspace_id": workspace_id,
                "platform_user_id": console_user_id(name_of(i)),
                "display_name": name_of(i),
                "email": f"t{i}@district.example",
                "timezone": rng.choice(ZONES),
                "role": "teacher",
                "subjects": rng.sample(SUBJECTS, k=rng.choice((1, 1, 2))),
                "grade_bands": sorted(rng.sample(GRADES, k=rng.choice((1, 2)))),
                "school": None,
                "years_experience": years,
                "goals": [],
                "strengths": rng.sample(STRENGTHS, k=2) if years >= 5 else [],
                "status": rng.choices(("active", "paused", "opted_out"), (90, 7, 3))[0],
                "paused_until": date(2026, 12, 1),
                "reachable": True,
                "created_at": NOW,
                "updated_at": NOW,
                "consented_at": NOW,
                "joined_at": NOW,
            }
        )
    with engine.begin() as conn:
        for start in range(0, len(members), CHUNK):
            conn.execute(insert(MemberRow), members[start : start + CHUNK])
        rows = conn.execute(
            text(
                "SELECT id, timezone, status, display_name FROM members "
                "WHERE workspace_id = :w ORDER BY id"
            ),
            {"w": workspace_id},
        ).all()
        ids = [int(r[0]) for r in rows]
        zone_of = {int(r[0]): str(r[1]) for r in rows}
        free: list[dict[str, Any]] = []
        for member_id in ids:
            for weekday in range(5):
                for begins, ends in rng.sample(PERIODS, k=rng.choice((1, 1, 2))):
                    free.append(
                        {
                            "workspace_id": workspace_id,
                            "member_id": member_id,
                            "weekday": weekday,
                            "start_time": begins,
                            "end_time": ends,
                            "timezone": zone_of[member_id],
                        }
                    )
        free = _unique(free)
        for start in range(0, len(free), CHUNK):
            conn.execute(insert(FreePeriodRow), free[start : start + CHUNK])
        history = _history(workspace_id, ids, zone_of, teachers, rng)
        for start in range(0, len(history), CHUNK):
            conn.execute(insert(ObservationRequestRow), history[start : start + CHUNK])
    return [str(r[3]) for r in rows if r[2] == "active"]


def _history(
    workspace_id: int, ids: list[int], zone_of: dict[int, str], teachers: int, rng: random.Random
) -> list[dict[str, Any]]:
    """A term of lessons observed (about two per teacher), a third of them by several colleagues."""
    term_days = [
        TERM_START + timedelta(days=d)
        for d in range(0, 7 * 16)
        if (TERM_START + timedelta(days=d)).weekday() < 5
    ]
    history: list[dict[str, Any]] = []
    while len(history) < teachers * 2:
        requester = rng.choice(ids)
        several = rng.randrange(SEVERAL_OBSERVERS) == 0
        observers = rng.sample(ids, k=rng.randint(2, 4) if several else 1)
        day = rng.choice(term_days)
        begins, ends = rng.choice(PERIODS)
        zone = ZoneInfo(zone_of[requester])
        starts_at = datetime.combine(day, begins, tzinfo=zone)
        past = starts_at < NOW
        for observer in observers:
            if observer == requester:
                continue
            history.append(
                {
                    "workspace_id": workspace_id,
                    "requester_id": requester,
                    "observer_id": observer,
                    "starts_at": starts_at,
                    "ends_at": datetime.combine(day, ends, tzinfo=zone),
                    "timezone": zone_of[requester],
                    "class_name": "",
                    "focus": rng.choice(FOCI),
                    "look_fors": "",
                    "status": RequestStatus.DONE.value if past else RequestStatus.CONFIRMED.value,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
    return history


def _unique(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row in rows:
        key = (row["member_id"], row["weekday"], row["start_time"], row["end_time"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def measure(url: str, teachers: int, samples: int) -> dict[str, Any]:
    rng = random.Random(7)
    settings = Settings(database_url=url)
    bootstrap.upgrade_database(settings)
    app = bootstrap.build(settings, clock=ManualClock(NOW))
    try:
        t0 = timer.perf_counter()
        askers = seed(app, teachers, rng)
        seeded_s = timer.perf_counter() - t0
        make_scheduler(app).run_job("storage.statistics")  # the worker's own upkeep, once
        latencies: list[float] = []
        for _ in range(samples):
            asker = rng.choice(askers)
            day = NOW.date() + timedelta(days=rng.randrange(1, 40))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            begins, ends = rng.choice(PERIODS)
            line = (
                f"observe {day.isoformat()} {begins:%H:%M}-{ends:%H:%M} "
                f'focus: {rng.choice(FOCI)} "Year 9"'
            )
            teacher = ConsoleSession(app.bot, asker, write=_quiet)
            t1 = timer.perf_counter()
            outcome = teacher.type(line)
            latencies.append((timer.perf_counter() - t1) * 1000)
            assert outcome.ok and outcome.replies, (line, outcome.replies)
    finally:
        app.engine.dispose()
    latencies.sort()
    return {
        "teachers": teachers,
        "samples": samples,
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "max_ms": round(latencies[-1], 2),
        "seed_s": round(seeded_s, 1),
    }


def _quiet(_text: str) -> None:
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=postgres_from_environment(),
        help="also measure on this PostgreSQL (default: STAFFROOM_TEST_POSTGRES_URL if set)",
    )
    parser.add_argument(
        "--teachers",
        default=",".join(str(n) for n in SIZES),
        help="school sizes to measure, comma-separated (default: 5000,50000)",
    )
    parser.add_argument("--samples", type=int, default=SAMPLES)
    args = parser.parse_args()
    sizes = [int(n) for n in args.teachers.split(",") if n.strip()]
    results: list[dict[str, Any]] = []
    for teachers in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            for name, url in databases(args.postgres, Path(tmp), "observers"):
                result = {"database": name, **measure(url, teachers, args.samples)}
                results.append(result)
                print(
                    f"{name}, {teachers} teachers: p50 {result['p50_ms']} ms, p99 "
                    f"{result['p99_ms']} ms, max {result['max_ms']} ms ({args.samples} requests, "
                    f"seeded in {result['seed_s']} s)",
                    file=sys.stderr,
                )
    worst = max(r["p99_ms"] for r in results)
    summary = {
        "p99_ms": worst,
        "target_p99_ms": TARGET_P99_MS,
        "samples": args.samples,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "runs": results,
    }
    print(json.dumps(summary))
    return 0 if worst < TARGET_P99_MS else 1


if __name__ == "__main__":
    sys.exit(main())
