"""Latency of typical commands through the console adapter, in a workspace of a district's size.

One workspace; a coordinator who joined and was granted the role the way an IT admin does; one peer
program created with ``program create``; ``--members`` teachers (the synthetic school's profiles)
seeded in bulk and all in that program: most joined and active, some invited and not started, some
paused, some left; and a library of ``--resources`` resources loaded through the repository's bulk
import. Then a few hundred of those teachers type the commands they use most, in a shuffled mix
(``home``, ``profile``, ``goals``, ``help``, a ``resources`` search, a goal added and removed, a
pause and a resume, a typo), and the coordinator types ``program show`` between them. Every command
goes through ``ConsoleSession.type``, the dispatch path Slack and Teams take (parse, the role check,
one unit of work, the handler, the rendered reply), against a database nothing has run ``ANALYZE``
on. Every sample counts, the first included; ``--samples`` of each command (1,000 put ten beyond the
99th percentile).

Target: p99 under 10 ms for each command, with 20,000 members.

SQLite always; PostgreSQL too when ``STAFFROOM_TEST_POSTGRES_URL`` (or ``--postgres``) is set, in a
schema of its own, dropped after. Prints one JSON object as its last line.

    .venv/bin/python benchmarks/commands.py [--members 20000] [--resources 3000] [--samples 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scratch_databases import databases, postgres_from_environment
from sqlalchemy import insert, select

from adapters.console.session import ConsoleSession, console_user_id
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Role
from bot.kernel.settings import Settings
from staffroom import bootstrap
from staffroom.demo.school import make_teacher
from staffroom.demo.synthetic_library import synthetic_library, synthetic_queries
from storage.models.members import MemberRow
from storage.models.programs import MembershipRow, ProgramRow

TARGET_P99_MS = 10.0
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)  # a Monday morning
PROGRAM = "District Peers"
COORDINATOR = "Maya Patel"
TYPISTS = 200
"""The teachers who type: enough that no one person's rows stay hot, few enough to join quickly."""
CHUNK = 5000
TEACHER_COMMANDS = (
    "home",
    "profile",
    "goals",
    "help",
    "resources",
    "goals add",
    "goals remove",
    "pause",
    "resume",
    "typo",
)
"""Each command's name in the JSON; ``lines`` says what is typed for it."""


def lines(name: str, query: str) -> str:
    return {
        "resources": f"resources {query}",
        "goals add": "goals add Try one new questioning technique",
        "goals remove": "goals remove 1",
        "pause": "pause until 2026-12-18",
        "typo": "gaols",
        "program show": f"program show {PROGRAM}",
    }.get(name, name)


def seed(app: bootstrap.Staffroom, members: int, resources: int, rng: random.Random) -> list[str]:
    """The coordinator and their program, the members in bulk, the library; the typists' names."""
    coordinator = ConsoleSession(app.bot, COORDINATOR, write=lambda _t: None)
    coordinator.type("join")
    assert coordinator.pending_form is not None
    profile = {
        "display_name": COORDINATOR,
        "subjects": "Maths",
        "grade_bands": ["9-10"],
        "years_experience": "12",
        "school": "Hillcrest High",
        "timezone": "Europe/London",
        "goals": "",
        "strengths": "",
    }
    assert coordinator.submit(coordinator.pending_form, profile).ok  # type: ignore[arg-type]
    bootstrap.grant_role(app, "local", console_user_id(COORDINATOR), Role.COORDINATOR)
    created = coordinator.type(f'program create "{PROGRAM}" kind=peer group_size=2')
    assert created.ok, created.replies[0].text
    with app.engine.connect() as conn:
        workspace_id, program_id = conn.execute(
            select(ProgramRow.workspace_id, ProgramRow.id).where(ProgramRow.name == PROGRAM)
        ).one()
    used: set[str] = {COORDINATOR}
    joined = NOW - timedelta(days=30)
    rows: list[dict[str, Any]] = []
    states: list[str] = []
    for i in range(members):
        t = make_teacher(rng, used)
        roll = rng.random()
        state = (
            "active"
            if roll < 0.8
            else "invited"
            if roll < 0.9
            else "paused"
            if roll < 0.95
            else "left"
        )
        states.append(state)
        rows.append(
            {
                "workspace_id": workspace_id,
                "platform_user_id": console_user_id(t.name),
                "display_name": t.name,
                "email": f"t{i}@district.example",
                "timezone": t.timezone,
                "role": "teacher",
                "subjects": list(t.subjects),
                "grade_bands": list(t.grades),
                "school": t.school,
                "years_experience": t.years,
                "goals": list(t.goals),
                "strengths": list(t.strengths),
                "status": {"paused": "paused", "left": "opted_out"}.get(state, "active"),
                "paused_until": None,
                "consented_at": None if state == "invited" else joined,
                "joined_at": None if state == "invited" else joined,
                "reachable": True,
                "created_at": joined,
                "updated_at": joined,
            }
        )
    with app.engine.begin() as conn:
        for start in range(0, members, CHUNK):
            conn.execute(insert(MemberRow), rows[start : start + CHUNK])
        ids = dict(
            conn.execute(
                select(MemberRow.platform_user_id, MemberRow.id).where(
                    MemberRow.email.like("t%@district.example")
                )
            ).all()
        )
        memberships = [
            {
                "workspace_id": workspace_id,
                "program_id": program_id,
                "member_id": ids[row["platform_user_id"]],
                "role": "peer",
                "joined_at": joined,
                "invited_at": joined + timedelta(days=i % 20) if state == "invited" else None,
            }
            for i, (row, state) in enumerate(zip(rows, states, strict=True))
        ]
        for start in range(0, members, CHUNK):
            conn.execute(insert(MembershipRow), memberships[start : start + CHUNK])
    items = synthetic_library(resources, random.Random(7))
    sharer = next(iter(ids.values()))
    with app.uow_factory() as uow:
        repos = uow.scope(workspace_id)
        for start in range(0, resources, CHUNK):
            repos.resources.add_many(
                [r.resource(workspace_id) for r in items[start : start + CHUNK]],
                sharer,
                NOW - timedelta(days=1),
            )
        uow.commit()
    active = [row["display_name"] for row, s in zip(rows, states, strict=True) if s == "active"]
    return rng.sample(active, min(TYPISTS, len(active)))


def measure(url: str, members: int, resources: int, samples: int, only: set[str]) -> dict[str, Any]:
    rng = random.Random(11)
    settings = Settings(database_url=url)
    bootstrap.upgrade_database(settings)
    app = bootstrap.build(settings, clock=ManualClock(NOW))
    try:
        started = time.perf_counter()
        typists = seed(app, members, resources, rng)
        seed_s = time.perf_counter() - started
        teachers = [ConsoleSession(app.bot, name, write=lambda _t: None) for name in typists]
        coordinator = ConsoleSession(app.bot, COORDINATOR, write=lambda _t: None)
        names = [n for n in (*TEACHER_COMMANDS, "program show") if not only or n in only]
        queries = iter(synthetic_queries(samples, random.Random(12)))
        plan = [name for name in names for _ in range(samples)]
        rng.shuffle(plan)
        latencies: dict[str, list[float]] = {name: [] for name in names}
        shown = ""
        for i, name in enumerate(plan):
            session = coordinator if name == "program show" else teachers[i % len(teachers)]
            line = lines(name, next(queries) if name == "resources" else "")
            t0 = time.perf_counter()
            outcome = session.type(line)
            latencies[name].append((time.perf_counter() - t0) * 1000)
            assert outcome.replies, line
            if name == "program show":
                assert outcome.ok, outcome.replies[0].text
                shown = outcome.replies[0].text
    finally:
        app.engine.dispose()
    if shown:
        print(f"program show ({len(shown)} characters)", file=sys.stderr)
    result: dict[str, Any] = {"members": members, "library": resources, "seed_s": round(seed_s, 1)}
    for name, values in latencies.items():
        ordered = sorted(values)
        result[name] = {
            "samples": len(ordered),
            "p50_ms": round(statistics.median(ordered), 3),
            "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)], 3),
            "max_ms": round(ordered[-1], 3),
        }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--resources", type=int, default=3_000)
    parser.add_argument("--samples", type=int, default=1000, help="of each command")
    parser.add_argument("--only", default="", help="comma-separated command names to time")
    parser.add_argument("--postgres", default=postgres_from_environment())
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    summary: dict[str, Any] = {
        "members": args.members,
        "library": args.resources,
        "samples_each": args.samples,
        "target_p99_ms": TARGET_P99_MS,
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in databases(args.postgres, Path(tmp), "commands"):
            if args.no_sqlite and name == "sqlite":
                continue
            result = measure(url, args.members, args.resources, args.samples, only)
            summary[name] = result
            print(f"{name}: {json.dumps(result)}", file=sys.stderr, flush=True)
            ok = ok and all(
                v["p99_ms"] < TARGET_P99_MS for v in result.values() if isinstance(v, dict)
            )
    summary["load_average_1m_after"] = round(os.getloadavg()[0], 2)
    summary["ok"] = ok
    print(json.dumps(summary))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
