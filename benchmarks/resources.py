"""Search latency through the ``resources`` command over a library of 200,000 resources.

Target: p99 under 50 ms for ``resources <words>`` typed at the console, on PostgreSQL (and printed
for SQLite): the whole command a teacher runs, from the inbound message through the core's dispatch
(their programs looked up, full-text candidates, the integer ranking, filters, the top five loaded
with their sharers, what they were shown recorded, the unit of work committed) to the rendered reply.
Teachers join through the console's form and belong to a program whose coordinator pinned a few
resources, so the pinned-first ranking is in play. The library is loaded through the repository's
bulk import (``add_many``), which writes the tables the product reads (``resources``, its sharers,
the ``resource_search`` rows and, from them, the full-text index: FTS5 on SQLite, the tsvector's GIN
index on PostgreSQL, and the live count). No ANALYZE of the benchmark's making: after the load it
runs the product's own ``storage.statistics`` job once, as a worker would within its interval (it
analyses only what autovacuum would have; SQLite is left to its heuristics, as in production). Every
search counts, the first included; 1,000 samples put ten beyond the 99th percentile.

SQLite always; PostgreSQL too when ``STAFFROOM_TEST_POSTGRES_URL`` (or ``--postgres``) is set, in a
schema of its own, dropped after. Prints one JSON object as its last line.

    .venv/bin/python benchmarks/resources.py [--resources 200000] [--searches 1000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scratch_databases import databases, postgres_from_environment

from adapters.console.session import ConsoleSession
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform, Role
from bot.kernel.settings import Settings
from staffroom import bootstrap
from staffroom.demo.school import make_school
from staffroom.demo.synthetic_library import synthetic_library, synthetic_queries
from staffroom.runtime import make_scheduler

TARGET_P99_MS = 50.0
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
TEACHERS = 30
PROGRAM = "District Mentoring"
PINS = 12
CHUNK = 5000
FILTERS = ("", "", "", " subject=Maths", " grade=6-8", " #classroom-management")
"""What teachers add to their words: mostly nothing, sometimes a subject, a grade band or a tag."""


def join_school(app: bootstrap.Staffroom, seed: int) -> tuple[ConsoleSession, list[ConsoleSession]]:
    """A coordinator and ``TEACHERS`` teachers, each joined through the console's form, in one program."""
    school = make_school(TEACHERS, random.Random(seed))
    sessions = []
    for teacher in school.teachers:
        session = ConsoleSession(app.bot, teacher.name, write=lambda _t: None)
        session.type("join")
        assert session.pending_form is not None
        assert session.submit(session.pending_form, teacher.profile_values()).ok
        sessions.append(session)
    coordinator = ConsoleSession(app.bot, "Pat Coordinator", write=lambda _t: None)
    coordinator.type("join")
    assert coordinator.pending_form is not None
    values = school.teachers[0].profile_values() | {"display_name": "Pat Coordinator"}
    assert coordinator.submit(coordinator.pending_form, values).ok
    bootstrap.grant_role(app, "local", "pat-coordinator", Role.COORDINATOR)
    said = coordinator.type(f'program create "{PROGRAM}" kind=mentoring')
    assert said.ok, said.replies
    for session in sessions:
        said = coordinator.type(f'program add "{PROGRAM}" {session.name} as mentee')
        assert said.ok, said.replies
    return coordinator, sessions


def load_library(app: bootstrap.Staffroom, size: int, seed: int) -> None:
    """The library, in the repository's bulk import: a few statements per 5,000 resources."""
    items = synthetic_library(size, random.Random(seed))
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "local", "local")
        repos = uow.scope(ws.id)
        sharers = [m.id for m in repos.members.list() if m.id is not None]
        for k, start in enumerate(range(0, size, CHUNK)):
            repos.resources.add_many(
                [r.resource(ws.id) for r in items[start : start + CHUNK]],
                sharers[k % len(sharers)],
                NOW,
            )
        uow.commit()


def pin_some(coordinator: ConsoleSession, size: int, seed: int) -> None:
    """The coordinator pins a few resources for the program, through the command."""
    rng = random.Random(seed + 2)
    for resource_id in rng.sample(range(1, size + 1), PINS):
        said = coordinator.type(f'resources pin R{resource_id} "{PROGRAM}"')
        assert said.ok, said.replies


def run_upkeep(app: bootstrap.Staffroom) -> object:
    """The worker's storage job, once, through the product's own scheduler."""
    return make_scheduler(app).run_job("storage.statistics")


def measure(url: str, size: int, searches: int, seed: int) -> dict[str, Any]:
    settings = Settings(database_url=url)
    bootstrap.upgrade_database(settings)
    app = bootstrap.build(settings, clock=ManualClock(NOW))
    try:
        coordinator, teachers = join_school(app, seed)
        started = time.perf_counter()
        load_library(app, size, seed)
        load_s = time.perf_counter() - started
        pin_some(coordinator, size, seed)
        analysed = run_upkeep(app)
        print(f"upkeep analysed: {analysed}", file=sys.stderr)
        lines = [
            f"resources {words}{FILTERS[i % len(FILTERS)]}"
            for i, words in enumerate(synthetic_queries(searches, random.Random(seed + 1)))
        ]
        latencies: list[float] = []
        found = 0
        for i, line in enumerate(lines):
            teacher = teachers[i % len(teachers)]
            t0 = time.perf_counter()
            outcome = teacher.type(line)
            latencies.append((time.perf_counter() - t0) * 1000)
            assert outcome.ok and outcome.replies, (line, outcome.replies)
            found += not outcome.replies[0].text.startswith("Nothing in the library")
    finally:
        app.engine.dispose()
    ordered = sorted(latencies)
    return {
        "resources": size,
        "searches": searches,
        "load_s": round(load_s, 1),
        "found_share": round(found / searches, 3),
        "first_ms": round(latencies[0], 3),
        "p50_ms": round(statistics.median(ordered), 3),
        "p90_ms": round(ordered[max(0, int(len(ordered) * 0.90) - 1)], 3),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)], 3),
        "max_ms": round(ordered[-1], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=200_000)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--postgres", default=postgres_from_environment())
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in databases(args.postgres, Path(tmp), "resources"):
            results[name] = measure(url, args.resources, args.searches, args.seed)
            print(f"{name}: {json.dumps(results[name])}", file=sys.stderr, flush=True)
    target = results.get("postgresql", results["sqlite"])
    summary = {
        "resources": args.resources,
        "searches": args.searches,
        "target_p99_ms": TARGET_P99_MS,
        "target_on": "postgresql" if "postgresql" in results else "sqlite",
        **results,
        "ok": float(target["p99_ms"]) < TARGET_P99_MS,
    }
    print(json.dumps(summary))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
